import { registerAttributesTable } from '../geopackage-ddl';
import type { Migration } from './migration';

/**
 * Scenarios: named variants of the plan on top of the baseline. The feature tables always hold the active
 * scenario; each scenario keeps the full rows it differs in (`scenario_rows`), and the baseline values of
 * the rows the active scenario overrides are kept aside (`scenario_stash`) until it is switched off.
 * Edits are logged per scenario (`verkosto_edit_log.scenario_fid`, 0 = the baseline).
 */
export const migration0007: Migration = {
  version: 7,
  name: 'scenarios',
  up(db) {
    db.exec(`
CREATE TABLE scenarios (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  name TEXT NOT NULL,
  parent_fid INTEGER NOT NULL DEFAULT 0,
  description TEXT NOT NULL DEFAULT '',
  locked INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE TABLE scenario_rows (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  scenario_fid INTEGER NOT NULL,
  table_name TEXT NOT NULL,
  row_key TEXT NOT NULL,
  row_json TEXT,
  UNIQUE (scenario_fid, table_name, row_key)
);
CREATE TABLE scenario_stash (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  table_name TEXT NOT NULL,
  row_key TEXT NOT NULL,
  row_json TEXT,
  UNIQUE (table_name, row_key)
);
ALTER TABLE verkosto_edit_log ADD COLUMN scenario_fid INTEGER NOT NULL DEFAULT 0;
CREATE INDEX verkosto_edit_log_scenario ON verkosto_edit_log (scenario_fid, undone);`);
    registerAttributesTable(db, 'scenarios', 'Scenarios: named variants of the plan on top of the baseline');
    registerAttributesTable(db, 'scenario_rows', 'Scenario rows: the full rows each scenario differs in (JSON, geometry as GeoJSON)');
    registerAttributesTable(db, 'scenario_stash', 'Baseline values of the rows the active scenario overrides');
  },
};
