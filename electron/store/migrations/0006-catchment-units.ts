import { registerAttributesTable } from '../geopackage-ddl';
import type { Migration } from './migration';

/**
 * Explicit unit assignments (paint by units): which catchment a demand unit belongs to, per catchment set
 * (service × language, since the sets overlap by design). A unit has at most one catchment in a set.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'catchment-units',
  up(db) {
    db.exec(`
CREATE TABLE catchment_units (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  unit_fid INTEGER NOT NULL,
  catchment_fid INTEGER NOT NULL,
  service TEXT NOT NULL,
  language TEXT NOT NULL CHECK (language IN ('fi', 'sv')),
  UNIQUE (unit_fid, service, language)
);
CREATE INDEX catchment_units_catchment ON catchment_units (catchment_fid);`);
    registerAttributesTable(db, 'catchment_units', 'Demand units assigned to catchments (paint by units), one per unit and catchment set');
  },
};
