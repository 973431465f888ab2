/**
 * Exports one project layer to GeoPackage, GeoJSON, Shapefile (zip with .prj and .cpg), KML, CSV or XLSX.
 * Every attribute goes out (facility capacities as columns, each feature's import provenance too), the
 * project's sources and licences go along (a provenance table, sheet or text file), and the file appears
 * only when complete: written beside the target under a temporary name, then renamed.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import * as XLSX from 'xlsx';
import type { LayerId } from '../../../shared/domain/project';
import { LAYER_GEOMETRY_TYPES } from '../../../shared/domain/project';
import { VerkostoError } from '../../../shared/errors';
import { findCrs } from '../../../shared/geo/crs';
import type { Geometry, Position } from '../../../shared/geo/geometry';
import { envelopeOf } from '../../../shared/geo/geometry';
import { encodeGeoPackageGeometry } from '../../../shared/geo/gpkg-geometry';
import type { ExportFormat } from '../../../shared/import/types';
import { CORE_TABLES_DDL, ensureSpatialRefSys, GEOPACKAGE_APPLICATION_ID, GEOPACKAGE_USER_VERSION, insertRequiredSpatialRefSys, registerAttributesTable, registerFeatureTable } from '../../store/geopackage-ddl';
import type { ProjectFile } from '../../store/project-file';
import { registerGeoPackageFunctions } from '../../store/sqlite-functions';
import { createTransform, transformGeometry } from '../import/geometry-checks';
import { exportColumns, exportRows, type ExportColumn, type ExportRow } from './export-rows';
import { writeShapefile } from './shapefile-writer';

export interface ExportResult {
  file: string;
  format: ExportFormat;
  features: number;
  epsg: number;
  /** Shapefile only: long column names shortened to 10 characters. */
  renamedColumns: Record<string, string>;
}

export function formatOf(file: string): ExportFormat | null {
  const extension = path.extname(file).toLowerCase();
  return ({ '.gpkg': 'gpkg', '.geojson': 'geojson', '.json': 'geojson', '.zip': 'shapefile', '.shp': 'shapefile', '.kml': 'kml', '.csv': 'csv', '.xlsx': 'xlsx' } as const)[extension as '.gpkg'] ?? null;
}

interface ProvenanceRow {
  title: string;
  publisher: string;
  licence: string;
  url: string | null;
  retrieved: string | null;
}

function provenance(project: ProjectFile): ProvenanceRow[] {
  const rows: ProvenanceRow[] = project.dataSources().map((source) => ({ title: source.title, publisher: source.publisher, licence: source.licence, url: source.url, retrieved: source.retrieved }));
  const imported = project.db.prepare('SELECT title, publisher, licence, attribution, url, file, last_sync_at FROM import_sources ORDER BY fid').all() as {
    title: string; publisher: string | null; licence: string | null; attribution: string | null; url: string | null; file: string | null; last_sync_at: string | null;
  }[];
  for (const source of imported) {
    rows.push({ title: source.title, publisher: source.publisher ?? source.attribution ?? '', licence: source.licence ?? '', url: source.url ?? (source.file ? path.basename(source.file) : null), retrieved: source.last_sync_at });
  }
  return rows;
}

function provenanceText(rows: ProvenanceRow[]): string {
  return rows.map((row) => [row.title, row.publisher, row.licence, row.url ?? '', row.retrieved ?? ''].join('\t')).join('\n') + '\n';
}

function geometryWkt(geometry: Geometry): string {
  const pos = (p: Position) => `${p[0]} ${p[1]}`;
  const ring = (r: Position[]) => `(${r.map(pos).join(', ')})`;
  switch (geometry.type) {
    case 'Point': return `POINT (${pos(geometry.coordinates)})`;
    case 'MultiPoint': return `MULTIPOINT (${geometry.coordinates.map((p) => `(${pos(p)})`).join(', ')})`;
    case 'LineString': return `LINESTRING ${ring(geometry.coordinates)}`;
    case 'MultiLineString': return `MULTILINESTRING (${geometry.coordinates.map(ring).join(', ')})`;
    case 'Polygon': return `POLYGON (${geometry.coordinates.map(ring).join(', ')})`;
    case 'MultiPolygon': return `MULTIPOLYGON (${geometry.coordinates.map((p) => `(${p.map(ring).join(', ')})`).join(', ')})`;
  }
}

function csvCell(value: unknown): string {
  if (value == null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function kmlGeometry(geometry: Geometry): string {
  const coords = (ring: Position[]) => `<coordinates>${ring.map((p) => `${p[0]},${p[1]}`).join(' ')}</coordinates>`;
  const polygon = (rings: Position[][]) =>
    `<Polygon><outerBoundaryIs><LinearRing>${coords(rings[0]!)}</LinearRing></outerBoundaryIs>${rings.slice(1).map((r) => `<innerBoundaryIs><LinearRing>${coords(r)}</LinearRing></innerBoundaryIs>`).join('')}</Polygon>`;
  switch (geometry.type) {
    case 'Point': return `<Point>${coords([geometry.coordinates])}</Point>`;
    case 'Polygon': return polygon(geometry.coordinates);
    case 'MultiPolygon': return geometry.coordinates.length === 1 ? polygon(geometry.coordinates[0]!) : `<MultiGeometry>${geometry.coordinates.map(polygon).join('')}</MultiGeometry>`;
    default: return '';
  }
}

/** Writes through a temp file beside the target, renamed into place only when complete. */
function atomically(target: string, write: (temporary: string) => void): void {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.partial`);
  try {
    write(temporary);
    renameSync(temporary, target);
  } catch (error) {
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(temporary + suffix, { force: true });
    if (error instanceof VerkostoError) throw error;
    throw new VerkostoError('exportFailed', { file: path.basename(target), detail: error instanceof Error ? error.message : String(error) });
  }
}

class LineWriter {
  private fd: number;
  private buffer: string[] = [];
  private size = 0;
  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }
  write(text: string): void {
    this.buffer.push(text);
    this.size += text.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buffer.length) writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

function sqlType(column: ExportColumn): string {
  return column.type === 'integer' ? 'INTEGER' : column.type === 'real' ? 'REAL' : 'TEXT';
}

/** Exports `layer` of the project to `file` in the format its extension (or `format`) says. */
export function exportLayer(project: ProjectFile, layer: LayerId, file: string, format: ExportFormat | null = formatOf(file), options: { overwrite?: boolean } = {}): ExportResult {
  if (!format) throw new VerkostoError('importUnsupportedFormat', { file: path.basename(file) });
  if (existsSync(file) && !options.overwrite) throw new VerkostoError('fileExists', { file: path.basename(file) });
  const columns = exportColumns(project, layer);
  const epsg = project.epsg;
  const crs = findCrs(epsg)!;
  let features = 0;
  let renamedColumns: Record<string, string> = {};
  const rows = () => exportRows(project, layer, columns);

  atomically(file, (temporary) => {
    switch (format) {
      case 'geojson': {
        const out = new LineWriter(temporary);
        out.write(`{"type":"FeatureCollection","name":${JSON.stringify(layer)},"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::${epsg}"}},"features":[\n`);
        for (const row of rows()) {
          out.write(`${features ? ',\n' : ''}${JSON.stringify({ type: 'Feature', id: row.fid, properties: row.values, geometry: row.geometry })}`);
          features++;
        }
        out.write('\n]}\n');
        out.close();
        return;
      }
      case 'csv': {
        // UTF-8 with BOM (Excel reads it as UTF-8), geometry as WKT in the first column (GDAL reads it as the geometry).
        const out = new LineWriter(temporary);
        out.write(`\uFEFF${['WKT', ...columns.map((c) => c.name)].map(csvCell).join(',')}\r\n`);
        for (const row of rows()) {
          out.write(`${[row.geometry ? geometryWkt(row.geometry) : '', ...columns.map((c) => row.values[c.name])].map(csvCell).join(',')}\r\n`);
          features++;
        }
        out.close();
        return;
      }
      case 'kml': {
        const transform = createTransform(epsg, 4326);
        const out = new LineWriter(temporary);
        out.write(`<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document id="root_doc">\n<Schema name="${layer}" id="${layer}">`);
        const hasName = columns.some((c) => c.name === 'name');
        const kmlColumns = columns.filter((c) => c.name !== 'name');
        for (const column of kmlColumns) out.write(`<SimpleField name="${xmlEscape(column.name)}" type="${column.type === 'integer' ? 'int' : column.type === 'real' ? 'double' : 'string'}"/>`);
        out.write(`</Schema>\n<Folder><name>${layer}</name>\n`);
        for (const row of rows()) {
          const geometry = row.geometry ? transformGeometry(row.geometry, transform) : null;
          const data = kmlColumns.filter((c) => row.values[c.name] != null).map((c) => `<SimpleData name="${xmlEscape(c.name)}">${xmlEscape(String(row.values[c.name]))}</SimpleData>`).join('');
          // A `name` column is the placemark's <name> (GDAL reads it back as Name); otherwise the Finnish name labels it.
          const label = hasName ? row.values.name : (row.values.name_fi ?? row.values.code ?? row.fid);
          out.write(`<Placemark id="${layer}.${row.fid}">${label != null ? `<name>${xmlEscape(String(label))}</name>` : ''}<ExtendedData><SchemaData schemaUrl="#${layer}">${data}</SchemaData></ExtendedData>${geometry ? kmlGeometry(geometry) : ''}</Placemark>\n`);
          features++;
        }
        out.write(`</Folder>\n<!-- ${xmlEscape(provenanceText(provenance(project)).replace(/--/g, '—'))} -->\n</Document></kml>\n`);
        out.close();
        return;
      }
      case 'xlsx': {
        // Points as x/y; areas as the centre of their bounding box plus WKT where it fits a cell (32 767 characters).
        const point = LAYER_GEOMETRY_TYPES[layer] === 'POINT';
        const header = [...(point ? ['x', 'y'] : ['x_centre', 'y_centre', 'WKT']), ...columns.map((c) => c.name)];
        const data: unknown[][] = [header];
        for (const row of rows()) {
          const geometry = row.geometry;
          let shape: unknown[];
          if (point) shape = geometry?.type === 'Point' ? [geometry.coordinates[0], geometry.coordinates[1]] : [null, null];
          else {
            const box = geometry ? envelopeOf(geometry) : null;
            const wkt = geometry ? geometryWkt(geometry) : null;
            shape = [box ? (box.minX + box.maxX) / 2 : null, box ? (box.minY + box.maxY) / 2 : null, wkt && wkt.length <= 32_767 ? wkt : null];
          }
          data.push([...shape, ...columns.map((c) => row.values[c.name])]);
          features++;
        }
        const book = XLSX.utils.book_new();
        XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(data), layer.slice(0, 31));
        const sources = provenance(project);
        XLSX.utils.book_append_sheet(
          book,
          XLSX.utils.aoa_to_sheet([['title', 'publisher', 'licence', 'url', 'retrieved', 'crs'], ...sources.map((s) => [s.title, s.publisher, s.licence, s.url, s.retrieved, `EPSG:${epsg}`]), ...(sources.length ? [] : [[null, null, null, null, null, `EPSG:${epsg}`]])]),
          'sources',
        );
        XLSX.writeFile(book, temporary, { bookType: 'xlsx', compression: true });
        return;
      }
      case 'shapefile': {
        const all: ExportRow[] = [...rows()];
        features = all.length;
        const written = writeShapefile(all, columns, LAYER_GEOMETRY_TYPES[layer] === 'POINT' ? 'point' : 'polygon', crs.wkt);
        renamedColumns = Object.fromEntries(columns.map((c, i) => [c.name, written.names[i]!]).filter(([a, b]) => a !== b));
        const base = layer;
        const renames = Object.entries(renamedColumns).map(([from, to]) => `${to}\t${from}`).join('\n');
        const zip = zipSync({
          [`${base}.shp`]: written.shp,
          [`${base}.shx`]: written.shx,
          [`${base}.dbf`]: written.dbf,
          [`${base}.prj`]: written.prj,
          [`${base}.cpg`]: written.cpg,
          [`${base}_sources.txt`]: Buffer.from(`${provenanceText(provenance(project))}\n${renames ? `Columns shortened to 10 characters:\n${renames}\n` : ''}`, 'utf8'),
        });
        const fd = openSync(temporary, 'w');
        writeSync(fd, zip);
        closeSync(fd);
        return;
      }
      case 'gpkg': {
        const db = new Database(temporary);
        try {
          db.pragma(`application_id = ${GEOPACKAGE_APPLICATION_ID}`);
          db.pragma(`user_version = ${GEOPACKAGE_USER_VERSION}`);
          registerGeoPackageFunctions(db);
          db.transaction(() => {
            db.exec(CORE_TABLES_DDL);
            insertRequiredSpatialRefSys(db);
            ensureSpatialRefSys(db, epsg);
            db.exec(`CREATE TABLE ${layer} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom ${LAYER_GEOMETRY_TYPES[layer]}, ${columns.map((c) => `${c.name} ${sqlType(c)}`).join(', ')})`);
            registerFeatureTable(db, { table: layer, geometryType: LAYER_GEOMETRY_TYPES[layer], srsId: epsg, description: `Verkosto: ${layer}`, identifier: layer });
            const insert = db.prepare(`INSERT INTO ${layer} (fid, geom, ${columns.map((c) => c.name).join(', ')}) VALUES (?, ?, ${columns.map(() => '?').join(', ')})`);
            for (const row of rows()) {
              insert.run(row.fid, row.geometry ? encodeGeoPackageGeometry(row.geometry, epsg) : null, ...columns.map((c) => row.values[c.name]));
              features++;
            }
            db.prepare(
              `UPDATE gpkg_contents SET (min_x, max_x, min_y, max_y) = (SELECT MIN(minx), MAX(maxx), MIN(miny), MAX(maxy) FROM rtree_${layer}_geom) WHERE table_name = ?`,
            ).run(layer);
            db.exec('CREATE TABLE verkosto_provenance (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, title TEXT, publisher TEXT, licence TEXT, url TEXT, retrieved TEXT)');
            registerAttributesTable(db, 'verkosto_provenance', 'Sources and licences of the exported data');
            const source = db.prepare('INSERT INTO verkosto_provenance (title, publisher, licence, url, retrieved) VALUES (?, ?, ?, ?, ?)');
            for (const row of provenance(project)) source.run(row.title, row.publisher, row.licence, row.url, row.retrieved);
          })();
        } finally {
          db.close();
        }
        return;
      }
    }
  });
  return { file, format, features, epsg: format === 'kml' ? 4326 : epsg, renamedColumns };
}
