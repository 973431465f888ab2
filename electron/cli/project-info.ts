/**
 * What `verkosto info` reports about a project file, read without changing a byte of it: the file is
 * checked by inspectProjectFile (which names the problem of a missing, foreign or damaged file) and then
 * read over a read-only connection — no migration, no switch to WAL, as opening it for editing would do.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { inspectProjectFile } from '../store/inspect-file';

export interface LayerInfo {
  name: string;
  /** GeoPackage geometry type name: POINT, MULTIPOLYGON, … */
  geometryType: string;
  featureCount: number;
  /** [minX, minY, maxX, maxY] in the layer's CRS, or null when the layer is empty. */
  extent: [number, number, number, number] | null;
  srsId: number;
}

export interface ProjectInfo {
  file: string;
  sizeBytes: number;
  name: string | null;
  crs: { epsg: number | null; name: string | null };
  schemaVersion: number;
  layers: LayerInfo[];
  /** Attribute (non-spatial) tables and their row counts. */
  tables: { name: string; rowCount: number }[];
  demandUnitKinds: Record<string, number>;
  populationYears: number[];
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

function openReadOnly(file: string): Database.Database {
  // A file whose header says WAL (bytes 18/19 = 2) but that has no -wal beside it: a read-only connection
  // would leave -wal and -shm behind, so read over a read-write connection that runs no writing statement
  // (as inspect-file does). Its header was checked by inspectProjectFile just before.
  const header = Buffer.alloc(20);
  const handle = openSync(file, 'r');
  try {
    readSync(handle, header, 0, 20, 0);
  } finally {
    closeSync(handle);
  }
  const walHeader = header[18] === 2 || header[19] === 2;
  if (!walHeader || existsSync(`${file}-wal`)) return new Database(file, { readonly: true, fileMustExist: true });
  const db = new Database(file, { fileMustExist: true });
  db.pragma('query_only = 1');
  return db;
}

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?").get(name) !== undefined;
}

/** Reads the summary of a Verkosto project; throws VerkostoError (fileNotFound, notAGeoPackage, …) otherwise. */
export function readProjectInfo(file: string): ProjectInfo {
  const inspection = inspectProjectFile(file);
  const db = openReadOnly(file);
  try {
    const layerRows = db
      .prepare(
        `SELECT g.table_name AS name, g.column_name AS geometryColumn, g.geometry_type_name AS geometryType, g.srs_id AS srsId,
                c.min_x AS minX, c.min_y AS minY, c.max_x AS maxX, c.max_y AS maxY
           FROM gpkg_geometry_columns g JOIN gpkg_contents c ON c.table_name = g.table_name
          ORDER BY c.rowid`,
      )
      .all() as { name: string; geometryColumn: string; geometryType: string; srsId: number; minX: number | null; minY: number | null; maxX: number | null; maxY: number | null }[];
    const layers: LayerInfo[] = layerRows.map((row) => {
      const featureCount = (db.prepare(`SELECT COUNT(*) AS n FROM ${quote(row.name)}`).get() as { n: number }).n;
      // The R-tree holds the exact extent; gpkg_contents' box is what other tools read and may lag behind.
      const rtree = `rtree_${row.name}_${row.geometryColumn}`;
      let extent: LayerInfo['extent'] = null;
      if (featureCount > 0 && tableExists(db, rtree)) {
        const box = db.prepare(`SELECT MIN(minx) AS a, MIN(miny) AS b, MAX(maxx) AS c, MAX(maxy) AS d FROM ${quote(rtree)}`).get() as Record<string, number | null>;
        if (box.a != null) extent = [box.a, box.b!, box.c!, box.d!];
      } else if (featureCount > 0 && row.minX != null) {
        extent = [row.minX, row.minY!, row.maxX!, row.maxY!];
      }
      return { name: row.name, geometryType: row.geometryType, featureCount, extent, srsId: row.srsId };
    });
    const tables = (db.prepare("SELECT table_name AS name FROM gpkg_contents WHERE data_type = 'attributes' ORDER BY rowid").all() as { name: string }[])
      .filter((table) => tableExists(db, table.name))
      .map((table) => ({ name: table.name, rowCount: (db.prepare(`SELECT COUNT(*) AS n FROM ${quote(table.name)}`).get() as { n: number }).n }));

    const settings = new Map<string, unknown>();
    if (tableExists(db, 'verkosto_settings')) {
      for (const row of db.prepare('SELECT key, value FROM verkosto_settings').all() as { key: string; value: string | null }[]) {
        try {
          settings.set(row.key, row.value == null ? null : JSON.parse(row.value));
        } catch {
          settings.set(row.key, row.value);
        }
      }
    }
    const settingEpsg = Number(settings.get('project.epsg'));
    const epsg = Number.isInteger(settingEpsg) && settingEpsg > 0 ? settingEpsg : (layers[0]?.srsId ?? null);
    const srs = epsg == null ? undefined : (db.prepare('SELECT srs_name AS name FROM gpkg_spatial_ref_sys WHERE srs_id = ?').get(epsg) as { name: string } | undefined);

    const demandUnitKinds: Record<string, number> = {};
    if (tableExists(db, 'demand_units')) {
      for (const row of db.prepare('SELECT unit_kind AS kind, COUNT(*) AS n FROM demand_units GROUP BY unit_kind ORDER BY unit_kind').all() as { kind: string; n: number }[]) {
        demandUnitKinds[row.kind] = row.n;
      }
    }
    const populationYears = tableExists(db, 'demand_population')
      ? (db.prepare('SELECT DISTINCT year FROM demand_population ORDER BY year').all() as { year: number }[]).map((row) => row.year)
      : [];
    const name = settings.get('project.name');
    return {
      file: path.resolve(file),
      sizeBytes: inspection.sizeBytes,
      name: typeof name === 'string' ? name : null,
      crs: { epsg, name: srs?.name ?? null },
      schemaVersion: inspection.schemaVersion,
      layers,
      tables,
      demandUnitKinds,
      populationYears,
    };
  } finally {
    db.close();
  }
}
