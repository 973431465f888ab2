/**
 * GeoPackage files opened read-only with better-sqlite3 (never written: the user's file stays as it was).
 * Every feature table is a layer; rows stream with a statement iterator in constant memory.
 */
import Database from 'better-sqlite3';
import { VerkostoError } from '../../../../../shared/errors';
import { decodeGeoPackageGeometry } from '../../../../../shared/geo/gpkg-geometry';
import type { FeatureSource, ReadOptions, SourceFeature, SourceField, SourceLayerInfo } from '../../../../../shared/import/feature-source';
import { checkAborted, fileLabel, fileSize } from './file-utils';

function fieldType(declared: string): SourceField['type'] {
  const type = declared.toUpperCase();
  if (/INT/.test(type)) return 'integer';
  if (/REAL|DOUBLE|FLOAT|NUMERIC/.test(type)) return 'number';
  if (/BOOL/.test(type)) return 'boolean';
  if (/DATE/.test(type)) return 'date';
  if (/TEXT|CHAR|CLOB/.test(type)) return 'string';
  return 'unknown';
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export class GeoPackageFileSource implements FeatureSource {
  readonly description: string;
  private db: Database.Database | null = null;

  constructor(private readonly file: string) {
    this.description = fileLabel(file);
    fileSize(file);
  }

  private open(): Database.Database {
    if (this.db) return this.db;
    try {
      const db = new Database(this.file, { readonly: true, fileMustExist: true });
      db.prepare('SELECT 1 FROM gpkg_contents LIMIT 1').get();
      this.db = db;
      return db;
    } catch (error) {
      throw new VerkostoError('importUnreadable', { source: this.description, detail: error instanceof Error ? error.message : String(error) });
    }
  }

  close(): void {
    this.db?.close();
    this.db = null;
  }

  private geometryColumn(table: string): { column: string; srsId: number } {
    const row = this.open().prepare('SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?').get(table) as { column_name: string; srs_id: number } | undefined;
    if (!row) throw new VerkostoError('importUnreadable', { source: this.description, detail: `no feature table “${table}”` });
    return { column: row.column_name, srsId: row.srs_id };
  }

  async listLayers(): Promise<SourceLayerInfo[]> {
    const db = this.open();
    const tables = db
      .prepare("SELECT c.table_name, c.identifier, c.min_x, c.min_y, c.max_x, c.max_y FROM gpkg_contents c WHERE c.data_type = 'features' ORDER BY c.table_name")
      .all() as { table_name: string; identifier: string | null; min_x: number | null; min_y: number | null; max_x: number | null; max_y: number | null }[];
    return tables.map((table) => {
      const { column, srsId } = this.geometryColumn(table.table_name);
      const srs = db.prepare('SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = ?').get(srsId) as { organization: string; organization_coordsys_id: number } | undefined;
      const epsg = srs && srs.organization.toUpperCase() === 'EPSG' ? srs.organization_coordsys_id : srsId > 0 ? srsId : null;
      const columns = db.prepare(`PRAGMA table_info(${quote(table.table_name)})`).all() as { name: string; type: string; pk: number }[];
      const fields = columns.filter((c) => c.name !== column && c.pk === 0).map((c) => ({ name: c.name, type: fieldType(c.type) }));
      const count = (db.prepare(`SELECT COUNT(*) AS n FROM ${quote(table.table_name)}`).get() as { n: number }).n;
      const extent = table.min_x != null ? ([table.min_x, table.min_y!, table.max_x!, table.max_y!] as [number, number, number, number]) : null;
      return { name: table.table_name, title: table.identifier, epsg, latitudeFirst: false, fields, featureCount: count, extent };
    });
  }

  async *readFeatures(layer: string, options: ReadOptions = {}): AsyncIterable<SourceFeature> {
    const db = this.open();
    const { column } = this.geometryColumn(layer);
    const columns = db.prepare(`PRAGMA table_info(${quote(layer)})`).all() as { name: string; pk: number }[];
    const pk = columns.find((c) => c.pk === 1)?.name ?? 'rowid';
    const total = (db.prepare(`SELECT COUNT(*) AS n FROM ${quote(layer)}`).get() as { n: number }).n;
    let index = 0;
    for (const row of db.prepare(`SELECT * FROM ${quote(layer)} ORDER BY ${quote(pk)}`).iterate() as Iterable<Record<string, unknown>>) {
      if (index % 5000 === 0) {
        checkAborted(options.signal);
        options.onProgress?.({ featuresRead: index, featuresTotal: total, bytesRead: null, bytesTotal: null });
      }
      index++;
      const properties: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(row)) if (name !== column && name !== pk) properties[name] = value;
      let geometry = null;
      try {
        geometry = decodeGeoPackageGeometry(row[column] as Uint8Array | null)?.geometry ?? null;
      } catch (error) {
        throw new VerkostoError('importInvalidGeometry', { source: this.description, feature: String(row[pk]), reason: error instanceof Error ? error.message : String(error) });
      }
      yield { sourceId: String(row[pk]), geometry, properties };
    }
  }
}
