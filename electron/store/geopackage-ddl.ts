/**
 * GeoPackage 1.3 DDL, word for word from the specification (Annex C), so GDAL's validator and QGIS accept
 * the file, plus helpers that register a table in gpkg_contents and build a feature table's R-tree index.
 */
import type Database from 'better-sqlite3';
import { findCrs } from '../../shared/geo/crs';

export const GEOPACKAGE_APPLICATION_ID = 0x47504b47; // 'GPKG'
export const GEOPACKAGE_USER_VERSION = 10300; // GeoPackage 1.3.0

export const CORE_TABLES_DDL = `
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition  TEXT NOT NULL,
  description TEXT
);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
CREATE TABLE gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
);
`;

/** Inserts the spec's three required SRS rows (-1, 0, 4326). */
export function insertRequiredSpatialRefSys(db: Database.Database): void {
  const insert = db.prepare(
    'INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES (?, ?, ?, ?, ?, ?)',
  );
  insert.run('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
  insert.run('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
  insert.run('WGS 84 geodetic', 4326, 'EPSG', 4326, findCrs(4326)!.wkt, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
}

/** Registers an EPSG CRS in gpkg_spatial_ref_sys unless it is there already. */
export function ensureSpatialRefSys(db: Database.Database, epsg: number): void {
  const definition = findCrs(epsg);
  if (!definition) throw new Error(`EPSG:${epsg} is not supported`);
  db.prepare(
    'INSERT OR IGNORE INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(definition.name, epsg, 'EPSG', epsg, definition.wkt, definition.name);
}

/** Registers an attribute (non-spatial) table in gpkg_contents, as GeoPackage requires of every user table. */
export function registerAttributesTable(db: Database.Database, table: string, description: string): void {
  db.prepare("INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES (?, 'attributes', ?, ?)").run(table, table, description);
}

/** Registers a feature table, its geometry column and an R-tree spatial index with the spec's triggers. */
export function registerFeatureTable(
  db: Database.Database,
  options: { table: string; geometryType: string; srsId: number; description: string; identifier: string },
): void {
  const { table, geometryType, srsId, description, identifier } = options;
  db.prepare("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, 'features', ?, ?, ?)").run(
    table, identifier, description, srsId,
  );
  db.prepare('INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES (?, ?, ?, ?, 0, 0)').run(
    table, 'geom', geometryType, srsId,
  );
  createRtreeIndex(db, table, 'geom', 'fid');
}

/** The GeoPackage 1.3 R-tree spatial index extension (§F.3) for one geometry column. */
export function createRtreeIndex(db: Database.Database, t: string, c: string, i: string): void {
  const rtree = `rtree_${t}_${c}`;
  const bounds = `ST_MinX(NEW.${c}), ST_MaxX(NEW.${c}), ST_MinY(NEW.${c}), ST_MaxY(NEW.${c})`;
  db.exec(`
CREATE VIRTUAL TABLE ${rtree} USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER ${rtree}_insert AFTER INSERT ON ${t}
WHEN (new.${c} NOT NULL AND NOT ST_IsEmpty(NEW.${c}))
BEGIN
  INSERT OR REPLACE INTO ${rtree} VALUES (NEW.${i}, ${bounds});
END;
CREATE TRIGGER ${rtree}_update1 AFTER UPDATE OF ${c} ON ${t}
WHEN OLD.${i} = NEW.${i} AND (NEW.${c} NOTNULL AND NOT ST_IsEmpty(NEW.${c}))
BEGIN
  INSERT OR REPLACE INTO ${rtree} VALUES (NEW.${i}, ${bounds});
END;
CREATE TRIGGER ${rtree}_update2 AFTER UPDATE OF ${c} ON ${t}
WHEN OLD.${i} = NEW.${i} AND (NEW.${c} ISNULL OR ST_IsEmpty(NEW.${c}))
BEGIN
  DELETE FROM ${rtree} WHERE id = OLD.${i};
END;
CREATE TRIGGER ${rtree}_update3 AFTER UPDATE ON ${t}
WHEN OLD.${i} != NEW.${i} AND (NEW.${c} NOTNULL AND NOT ST_IsEmpty(NEW.${c}))
BEGIN
  DELETE FROM ${rtree} WHERE id = OLD.${i};
  INSERT OR REPLACE INTO ${rtree} VALUES (NEW.${i}, ${bounds});
END;
CREATE TRIGGER ${rtree}_update4 AFTER UPDATE ON ${t}
WHEN OLD.${i} != NEW.${i} AND (NEW.${c} ISNULL OR ST_IsEmpty(NEW.${c}))
BEGIN
  DELETE FROM ${rtree} WHERE id IN (OLD.${i}, NEW.${i});
END;
CREATE TRIGGER ${rtree}_delete AFTER DELETE ON ${t}
WHEN old.${c} NOT NULL
BEGIN
  DELETE FROM ${rtree} WHERE id = OLD.${i};
END;
`);
  db.prepare(
    "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES (?, ?, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
  ).run(t, c);
}
