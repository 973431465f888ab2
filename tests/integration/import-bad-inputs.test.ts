/**
 * The bad-input corpus: every row is a broken, hostile or misleading input. Each must fail with its own
 * clear message (a VerkostoError whose text exists in every language) and leave the project file byte
 * for byte as it was (hash of the file and its WAL, checked after every row).
 *
 * Part B: append network rows to BAD_INPUTS (open() may return any FeatureSource, e.g. a WFS reader
 * pointed at a local server that answers HTTP 500).
 */
import { closeSync, ftruncateSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Zip, ZipDeflate, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { createTranslator, errorMessage } from '../../electron/cli/messages';
import { importSource } from '../../electron/services/import/import-service';
import { openFileSource } from '../../electron/services/import/readers/files/open-file-source';
import type { ProjectFile } from '../../electron/store/project-file';
import type { LayerId } from '../../shared/domain/project';
import { VerkostoError, type ErrorCode } from '../../shared/errors';
import type { FeatureSource } from '../../shared/import/feature-source';
import type { FieldMapping, StoredSourceConfig } from '../../shared/import/types';
import { makeTempDir } from '../fixtures/store-helpers';
import { newProject, projectBytesHash, SCHOOL_MAPPING, schoolsGeoJson, sourceConfig, writeSchoolsGeoJson } from './import/import-helpers';
import { NETWORK_BAD_INPUTS } from './ogc/network-bad-inputs';

export interface BadInputCase {
  name: string;
  /** The error code the user must get (one of several when readers may reasonably differ). */
  code: ErrorCode | ErrorCode[];
  /** Builds the input in `dir` and opens it (opening may itself throw the expected error). */
  open(dir: string): FeatureSource | Promise<FeatureSource>;
  layer?: string;
  target?: LayerId;
  mapping?: FieldMapping;
  config?: Partial<StoredSourceConfig>;
  /** An abort signal for the import (cancellation rows). */
  signal?: () => AbortSignal;
  /** Text the message must contain (e.g. a correctly decoded ISO-8859-1 value). */
  messageContains?: string;
  /** Import with `replaceExisting` (the target layer's features would be replaced). */
  replaceExisting?: boolean;
}

const write = (dir: string, name: string, content: string | Uint8Array): string => {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
};
const geojson = (features: unknown[], crs?: unknown) => JSON.stringify({ type: 'FeatureCollection', ...(crs ? { crs } : {}), features });
const point = (id: string, x: number, y: number, properties: Record<string, unknown> = { code: id, name: `Koulu ${id}`, language: 'suomi', capacity: 100 }) => ({ type: 'Feature', id, geometry: { type: 'Point', coordinates: [x, y] }, properties });
const polygon = (id: string, ring: number[][]) => ({ type: 'Feature', id, geometry: { type: 'Polygon', coordinates: [ring] }, properties: { code: id, name: `Alue ${id}`, kind: 'small_area' } });
const AREA_MAPPING: FieldMapping = { name: 'areas', targetLayer: 'demand_units', fields: { code: { source: 'code' }, name: { source: 'name' }, unit_kind: { source: 'kind' } } };
/** Residential points: weight from the register's residents, source a constant. */
const POINTS_MAPPING: FieldMapping = { name: 'points', targetLayer: 'residential_points', fields: { weight: { source: 'asukkaat' }, source: { constant: 'RHR' } } };
const building = (id: string, x: number, y: number, asukkaat: unknown) => ({ type: 'Feature', id, geometry: { type: 'Point', coordinates: [x, y] }, properties: { asukkaat } });
const named = (name: string) => ({ type: 'name', properties: { name } });
/** A sparse file of `size` bytes: no disk used, every byte zero. */
const sparse = (dir: string, name: string, size: number): string => {
  const file = path.join(dir, name);
  const fd = openSync(file, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
  return file;
};
const GB = 1024 * 1024 * 1024;

/** A zip holding a .shp header and a .dbf that inflates to `size` bytes of zeros (deflate ≈ 1000:1). */
async function zipBomb(dir: string, size: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((error, data) => {
    if (error) throw error;
    chunks.push(data);
  });
  const shp = new ZipDeflate('bomb.shp', { level: 1 });
  zip.add(shp);
  shp.push(new Uint8Array(100), true);
  const dbf = new ZipDeflate('bomb.dbf', { level: 1 });
  zip.add(dbf);
  const block = new Uint8Array(8 * 1024 * 1024);
  for (let written = 0; written < size; written += block.length) dbf.push(block, written + block.length >= size);
  zip.end();
  return write(dir, 'bomb.zip', Buffer.concat(chunks));
}

export const BAD_INPUTS: BadInputCase[] = [
  { name: 'an empty file', code: 'importEmpty', open: (d) => openFileSource(write(d, 'empty.geojson', '')) },
  { name: 'truncated JSON', code: 'importUnreadable', open: (d) => openFileSource(write(d, 'cut.geojson', schoolsGeoJson().slice(0, 150))) },
  { name: 'JSON that is not GeoJSON', code: 'importUnreadable', open: (d) => openFileSource(write(d, 'other.json', '{"rows": [1, 2, 3]}')) },
  { name: 'a FeatureCollection without features', code: 'importEmpty', open: (d) => openFileSource(write(d, 'none.geojson', geojson([]))) },
  { name: 'a CRS Verkosto does not carry (KKJ, EPSG:2393)', code: 'importCrsUnsupported', open: (d) => openFileSource(write(d, 'kkj.geojson', geojson([point('A', 3385000, 6675000)], named('urn:ogc:def:crs:EPSG::2393')))) },
  { name: 'a crs member naming nothing', code: 'importCrsUnknown', open: (d) => openFileSource(write(d, 'crs.geojson', geojson([point('A', 25497000, 6673000)], named('local grid')))) },
  { name: 'CSV x/y without a CRS', code: 'importCrsUnknown', open: (d) => openFileSource(write(d, 'nocrs.csv', 'code,name,language,capacity,x,y\nA,Koulu,suomi,1,25497000,6673000\n')) },
  { name: 'swapped axes (lat/lon written as lon/lat)', code: 'importSwappedAxes', open: (d) => openFileSource(write(d, 'swapped.geojson', geojson([point('A', 60.21, 24.95), point('B', 60.18, 24.96)]))) },
  { name: 'swapped N/E columns in GK25', code: 'importSwappedAxes', config: { epsg: 3879 }, open: (d) => openFileSource(write(d, 'swapped.csv', 'code,name,language,capacity,x,y\nA,Koulu,suomi,1,6673000,25497000\n'), { epsg: 3879 }) },
  { name: 'the wrong CRS (TM35FIN metres labelled WGS 84)', code: 'importOutsideArea', open: (d) => openFileSource(write(d, 'wrongcrs.geojson', geojson([point('A', 386000, 6677000)]))) },
  { name: 'the wrong CRS (degrees labelled GK25)', code: 'importOutsideArea', open: (d) => openFileSource(write(d, 'deg.geojson', geojson([point('A', 24.95, 60.21)], named('EPSG:3879')))) },
  {
    name: 'a self-intersecting polygon (bow tie)',
    code: 'importInvalidGeometry',
    target: 'demand_units',
    mapping: AREA_MAPPING,
    open: (d) => openFileSource(write(d, 'bowtie.geojson', geojson([polygon('P', [[24.9, 60.2], [24.95, 60.25], [24.95, 60.2], [24.9, 60.25], [24.9, 60.2]])]))),
  },
  { name: 'a polygon ring of two points', code: 'importInvalidGeometry', target: 'demand_units', mapping: AREA_MAPPING, open: (d) => openFileSource(write(d, 'ring.geojson', geojson([polygon('P', [[24.9, 60.2], [24.95, 60.25]])]))) },
  { name: 'an unclosed polygon ring', code: 'importInvalidGeometry', target: 'demand_units', mapping: AREA_MAPPING, open: (d) => openFileSource(write(d, 'open.geojson', geojson([polygon('P', [[24.9, 60.2], [24.95, 60.25], [24.96, 60.2], [24.91, 60.19]])]))) },
  { name: 'a line where facilities need points', code: 'importWrongGeometry', open: (d) => openFileSource(write(d, 'line.geojson', geojson([{ type: 'Feature', id: 'L', geometry: { type: 'LineString', coordinates: [[24.9, 60.2], [24.95, 60.21]] }, properties: { code: 'L', name: 'Viiva', language: 'suomi', capacity: 1 } }]))) },
  { name: 'a point where demand units need polygons', code: 'importWrongGeometry', target: 'demand_units', mapping: AREA_MAPPING, open: (d) => openFileSource(write(d, 'pt.geojson', geojson([point('A', 24.95, 60.2, { code: 'A', name: 'A', kind: 'small_area' })]))) },
  { name: 'a feature without geometry', code: 'importNoGeometry', open: (d) => openFileSource(write(d, 'nogeom.geojson', geojson([{ type: 'Feature', id: 'X', geometry: null, properties: { code: 'X', name: 'X', language: 'suomi', capacity: 1 } }]))) },
  { name: 'a geometry that is not GeoJSON', code: 'importInvalidGeometry', open: (d) => openFileSource(write(d, 'badgeom.geojson', geojson([{ type: 'Feature', id: 'X', geometry: { type: 'Circle', radius: 3 }, properties: {} }]))) },
  { name: 'coordinates that are not numbers', code: 'importInvalidGeometry', open: (d) => openFileSource(write(d, 'nan.geojson', geojson([{ type: 'Feature', id: 'X', geometry: { type: 'Point', coordinates: ['a', 'b'] }, properties: { code: 'X', name: 'X', language: 'suomi', capacity: 1 } }]))) },
  { name: 'a value the column refuses (language "de")', code: 'importBadValue', open: (d) => openFileSource(write(d, 'lang.geojson', geojson([point('A', 24.95, 60.2, { code: 'A', name: 'A', language: 'de', capacity: 1 })]))) },
  { name: 'a capacity that is not a number', code: 'importBadValue', open: (d) => openFileSource(write(d, 'cap.geojson', geojson([point('A', 24.95, 60.2, { code: 'A', name: 'A', language: 'suomi', capacity: 'paljon' })]))) },
  { name: 'a negative capacity', code: 'importBadValue', open: (d) => openFileSource(write(d, 'neg.geojson', geojson([point('A', 24.95, 60.2, { code: 'A', name: 'A', language: 'suomi', capacity: -5 })]))) },
  { name: 'a required name left empty', code: 'importBadValue', open: (d) => openFileSource(write(d, 'noname.geojson', geojson([point('A', 24.95, 60.2, { code: 'A', name: '', language: 'suomi', capacity: 1 })]))) },
  { name: 'a mapping without the required name', code: 'importMissingField', mapping: { name: 'incomplete', targetLayer: 'facilities', fields: { code: { source: 'code' } } }, open: (d) => openFileSource(write(d, 'ok1.geojson', schoolsGeoJson())) },
  { name: 'a mapping naming a field the source lacks', code: 'importMissingField', mapping: { name: 'typo', targetLayer: 'facilities', fields: { name_fi: { source: 'nimi' } } }, open: (d) => openFileSource(write(d, 'ok2.geojson', schoolsGeoJson())) },
  { name: 'duplicate feature ids', code: 'importBadValue', open: (d) => openFileSource(write(d, 'dup.geojson', geojson([point('A', 24.95, 60.2), point('A', 24.96, 60.21)]))) },
  {
    name: 'ISO-8859-1 text with a bad value (message shows it decoded)',
    code: 'importBadValue',
    messageContains: 'Åbo',
    open: (d) => openFileSource(write(d, 'latin1.csv', Buffer.from('code;name;language;capacity;lat;lon\nA;Koulu;Åbo svenska;10;60,2;24,95\n', 'latin1'))),
  },
  { name: 'CSV with only a header', code: 'importEmpty', open: (d) => openFileSource(write(d, 'header.csv', 'code,name,language,capacity,lat,lon\n')) },
  { name: 'CSV without coordinate columns', code: 'importMissingField', open: (d) => openFileSource(write(d, 'nocoord.csv', 'code,name\nA,B\n')) },
  { name: 'CSV with an unclosed quote (cut short)', code: 'importUnreadable', open: (d) => openFileSource(write(d, 'quote.csv', 'code,name,lat,lon\nA,"Koulu,60.2,24.9\n')) },
  { name: 'CSV coordinates that are words', code: 'importInvalidGeometry', open: (d) => openFileSource(write(d, 'words.csv', 'code,name,language,capacity,lat,lon\nA,B,suomi,1,north,east\n')) },
  { name: 'a binary file named .csv', code: 'importUnreadable', open: (d) => openFileSource(write(d, 'binary.csv', Buffer.from([0x4b, 0x50, 0x0a, 0x00, 0x01, 0x02, 0x00, 0x00]))) },
  { name: 'a 1 GB file of zeros named .csv (sparse)', code: 'importUnreadable', open: (d) => openFileSource(sparse(d, 'huge.csv', GB)) },
  { name: 'a 1 GB file of zeros named .geojson (sparse)', code: 'importUnreadable', open: (d) => openFileSource(sparse(d, 'huge.geojson', GB)) },
  { name: 'a 1 GB KML (beyond the in-memory limit)', code: 'importTooLarge', open: (d) => { const file = sparse(d, 'huge.kml', GB); writeFileSync(file, '<kml>', { flag: 'r+' }); return openFileSource(file); } },
  { name: 'a zip bomb', code: 'importZipBomb', open: async (d) => openFileSource(await zipBomb(d, 160 * 1024 * 1024)) },
  { name: 'a zip without a .shp', code: 'importUnreadable', open: (d) => openFileSource(write(d, 'noshp.zip', zipSync({ 'readme.txt': new TextEncoder().encode('hello') }))) },
  { name: 'a .shp that is text', code: 'importUnreadable', open: (d) => openFileSource(write(d, 'text.shp', 'this is not a shapefile, just words long enough to pass a hundred bytes of header checking........................')) },
  { name: 'a GeoPackage that is not SQLite', code: 'importUnreadable', open: (d) => openFileSource(write(d, 'fake.gpkg', 'SQLite format 2\0 nothing here')) },
  { name: 'KML that is not XML', code: 'importUnreadable', open: (d) => openFileSource(write(d, 'bad.kml', '{"type": "FeatureCollection"}')) },
  { name: 'KML without placemarks', code: 'importEmpty', open: (d) => openFileSource(write(d, 'empty.kml', '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document></Document></kml>')) },
  { name: 'a FlatGeobuf without its magic bytes', code: 'importUnreadable', open: (d) => openFileSource(write(d, 'bad.fgb', 'fgb? no, plain text')) },
  { name: 'a truncated XLSX', code: 'importUnreadable', open: (d) => openFileSource(write(d, 'cut.xlsx', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64, 7)]))) },
  {
    name: 'an XLSX with an empty sheet',
    code: 'importEmpty',
    open: (d) => {
      const book = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['code', 'name', 'language', 'capacity', 'lat', 'lon']]), 'Tyhjä');
      return openFileSource(write(d, 'empty.xlsx', XLSX.write(book, { type: 'buffer', bookType: 'xlsx' })));
    },
  },
  { name: 'truncated GML', code: ['importUnreadable', 'gmlInvalid' as ErrorCode], open: (d) => openFileSource(write(d, 'cut.gml', '<?xml version="1.0"?><wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0"><wfs:member><a:koulu gml:id="k.1"><a:geom><gml:Point srsName="EPSG:3879"><gml:pos>25497000 66')) },
  { name: 'a format Verkosto does not read (.dwg)', code: 'importUnsupportedFormat', open: (d) => openFileSource(write(d, 'drawing.dwg', 'AC1032')) },
  { name: 'a file that does not exist', code: 'fileNotFound', open: (d) => openFileSource(path.join(d, 'missing.geojson')) },
  {
    name: 'an import cancelled by the user',
    code: 'importCancelled',
    signal: () => {
      const controller = new AbortController();
      controller.abort();
      return controller.signal;
    },
    open: (d) => {
      const file = path.join(d, 'fine.geojson');
      writeSchoolsGeoJson(file);
      return openFileSource(file);
    },
  },
  // Residential points (a building register): a weight must be a number ≥ 0, a point or an area (its
  // interior point), and a failed replacing import leaves the old points as they were.
  { name: 'residential points: a negative weight', code: 'importBadValue', target: 'residential_points', mapping: POINTS_MAPPING, messageContains: '-3', open: (d) => openFileSource(write(d, 'rp-neg.geojson', geojson([building('B1', 24.95, 60.2, 12), building('B2', 24.951, 60.2, -3)]))) },
  { name: 'residential points: a weight that is not a number', code: 'importBadValue', target: 'residential_points', mapping: POINTS_MAPPING, open: (d) => openFileSource(write(d, 'rp-nan.csv', 'id,asukkaat,lon,lat\nB1,12,24.95,60.2\nB2,paljon,24.951,60.2\n')) },
  { name: 'residential points: a line (a street) where points are needed', code: 'importWrongGeometry', target: 'residential_points', mapping: POINTS_MAPPING, open: (d) => openFileSource(write(d, 'rp-line.geojson', geojson([{ type: 'Feature', id: 'K', geometry: { type: 'LineString', coordinates: [[24.9, 60.2], [24.95, 60.21]] }, properties: { asukkaat: 4 } }]))) },
  {
    name: 'residential points: a self-intersecting building footprint (no interior point to take)',
    code: 'importInvalidGeometry',
    target: 'residential_points',
    mapping: POINTS_MAPPING,
    open: (d) => openFileSource(write(d, 'rp-bowtie.geojson', geojson([{ type: 'Feature', id: 'R', geometry: { type: 'Polygon', coordinates: [[[24.95, 60.2], [24.951, 60.201], [24.951, 60.2], [24.95, 60.201], [24.95, 60.2]]] }, properties: { asukkaat: 8 } }]))),
  },
  { name: 'residential points: a replacing import with a bad row keeps the old points', code: 'importBadValue', target: 'residential_points', mapping: POINTS_MAPPING, replaceExisting: true, open: (d) => openFileSource(write(d, 'rp-replace.geojson', geojson([building('N1', 24.95, 60.2, 30), building('N2', 24.96, 60.2, 'x')]))) },
  { name: 'replacing a layer that other rows refer to (facilities)', code: 'invalidArgument', replaceExisting: true, open: (d) => openFileSource(write(d, 'replace-facilities.geojson', schoolsGeoJson())) },
  // Part B: HTTP 500, a WFS ExceptionReport, a server that never answers, HTML, truncated JSON, wrong CRS, offline.
  ...NETWORK_BAD_INPUTS,
];

describe('bad-input corpus', () => {
  const temp = makeTempDir('verkosto-bad-');
  let project: ProjectFile;
  let projectPath: string;
  const translators: Record<string, (key: string, params?: Record<string, string | number>) => string> = {};

  beforeAll(async () => {
    projectPath = temp.file('project.gpkg');
    project = newProject(projectPath);
    // Something in the project already: a good import, whose rows must survive every bad one.
    const good = temp.file('good.geojson');
    writeSchoolsGeoJson(good);
    await importSource(project, openFileSource(good), { sourceLayer: 'default', targetLayer: 'facilities', mapping: SCHOOL_MAPPING, sourceConfig: sourceConfig('good', 'geojson', good) });
    // Residential points already there, which a failed replacing import must leave as they are.
    const points = temp.file('good-points.geojson');
    writeFileSync(points, geojson([building('G1', 24.95, 60.2, 20), building('G2', 24.952, 60.201, 7)]));
    await importSource(project, openFileSource(points), { sourceLayer: 'default', targetLayer: 'residential_points', mapping: POINTS_MAPPING, sourceConfig: sourceConfig('good-points', 'geojson', points, 'residential_points') });
    for (const language of ['fi', 'sv', 'en'] as const) translators[language] = await createTranslator(language);
  });
  afterAll(() => {
    project.close();
    temp.cleanup();
  });

  it('has at least 30 rows', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(BAD_INPUTS.map((row) => [row.name, row] as const))('%s: a clear message, the project byte-identical', async (_name, row) => {
    const before = projectBytesHash(projectPath);
    const directory = temp.file(`case-${BAD_INPUTS.indexOf(row)}`);
    mkdirSync(directory, { recursive: true });
    let caught: unknown = null;
    try {
      const source = await row.open(directory);
      const target = row.target ?? 'facilities';
      await importSource(project, source, {
        sourceLayer: row.layer ?? 'default',
        targetLayer: target,
        mapping: row.mapping ?? SCHOOL_MAPPING,
        sourceConfig: sourceConfig(`bad-${BAD_INPUTS.indexOf(row)}`, 'geojson', null, target, row.config ?? {}),
        signal: row.signal?.(),
        replaceExisting: row.replaceExisting,
      });
    } catch (error) {
      caught = error;
    }
    expect(caught, 'the import must fail').toBeInstanceOf(VerkostoError);
    const error = caught as VerkostoError;
    const codes = Array.isArray(row.code) ? row.code : [row.code];
    expect(codes, `${error.code}: ${error.message}`).toContain(error.code);
    for (const translate of Object.values(translators)) {
      const message = errorMessage(translate, error);
      expect(message).not.toMatch(/\{\{|errors\.|undefined/);
      expect(message.length).toBeGreaterThan(20);
      if (row.messageContains) expect(message).toContain(row.messageContains);
    }
    expect(projectBytesHash(projectPath)).toBe(before);
    expect(project.readFeatures('facilities').features).toHaveLength(3);
  });
});
