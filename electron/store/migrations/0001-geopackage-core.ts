import { CORE_TABLES_DDL, insertRequiredSpatialRefSys, registerAttributesTable } from '../geopackage-ddl';
import type { Migration } from './migration';

/** The GeoPackage core tables, and Verkosto's schema-version and settings tables. */
export const migration0001: Migration = {
  version: 1,
  name: 'geopackage-core',
  up(db) {
    db.exec(CORE_TABLES_DDL);
    insertRequiredSpatialRefSys(db);
    db.exec(`
CREATE TABLE verkosto_schema (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  version INTEGER NOT NULL UNIQUE,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
);
CREATE TABLE verkosto_settings (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  key TEXT NOT NULL UNIQUE,
  value TEXT
);`);
    registerAttributesTable(db, 'verkosto_schema', 'Verkosto: applied schema migrations');
    registerAttributesTable(db, 'verkosto_settings', 'Verkosto: project settings (JSON values)');
  },
};
