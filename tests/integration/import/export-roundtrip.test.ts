/**
 * Export round trip: the Helsinki sample's facilities (with capacities and imported provenance) and its
 * demand-unit polygons go out in every format, and GDAL reads each file back (ogrinfo for the count and
 * CRS, ogr2ogr to GeoJSON for the values) with the same features and attributes.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportColumns, exportRows } from '../../../electron/services/export/export-rows';
import { exportLayer } from '../../../electron/services/export/export-layer';
import { importSource } from '../../../electron/services/import/import-service';
import { openFileSource } from '../../../electron/services/import/readers/files/open-file-source';
import { buildSampleProject } from '../../../electron/services/sample/build-sample';
import { ProjectFile } from '../../../electron/store/project-file';
import type { LayerId } from '../../../shared/domain/project';
import type { ExportFormat } from '../../../shared/import/types';
import { makeTempDir } from '../../fixtures/store-helpers';
import { SCHOOL_MAPPING, sourceConfig, writeSchoolsGeoJson } from './import-helpers';

const temp = makeTempDir('verkosto-export-');
let project: ProjectFile;

beforeAll(async () => {
  const file = temp.file('sample.gpkg');
  await buildSampleProject(file);
  project = ProjectFile.open(file);
  const schools = temp.file('schools.geojson');
  writeSchoolsGeoJson(schools);
  await importSource(project, openFileSource(schools), { sourceLayer: 'default', targetLayer: 'facilities', mapping: SCHOOL_MAPPING, sourceConfig: sourceConfig('koulut', 'geojson', schools) });
}, 60_000);
afterAll(() => {
  project.close();
  temp.cleanup();
});

const OPEN_OPTIONS: Partial<Record<ExportFormat, string[]>> = { xlsx: ['-oo', 'HEADERS=FORCE'] };

function gdalFeatures(file: string, vsi: string, layer: string, format: ExportFormat): { properties: Record<string, unknown>; geometry: unknown }[] {
  const text = execFileSync('ogr2ogr', [...(OPEN_OPTIONS[format] ?? []), '-f', 'GeoJSON', '/vsistdout/', `${vsi}${file}`, layer], { maxBuffer: 512 * 1024 * 1024 }).toString();
  return (JSON.parse(text) as { features: { properties: Record<string, unknown>; geometry: unknown }[] }).features;
}

function ogrinfoSummary(file: string, vsi: string, layer: string, format: ExportFormat): { count: number; epsg: number | null } {
  const text = execFileSync('ogrinfo', [...(OPEN_OPTIONS[format] ?? []), '-ro', '-so', `${vsi}${file}`, layer]).toString();
  const count = Number(/Feature Count: (\d+)/.exec(text)?.[1]);
  const ids = [...text.matchAll(/ID\["EPSG",(\d+)\]/g)].map((m) => Number(m[1]));
  return { count, epsg: ids.at(-1) ?? null };
}

function same(actual: unknown, expected: unknown): boolean {
  if (expected == null) return actual == null || actual === '';
  if (typeof expected === 'number') return Math.abs(Number(actual) - expected) < 1e-6 * Math.max(1, Math.abs(expected));
  return String(actual) === String(expected);
}

const CASES: [ExportFormat, string, string][] = [
  ['gpkg', 'gpkg', ''],
  ['geojson', 'geojson', ''],
  ['shapefile', 'zip', '/vsizip/'],
  ['kml', 'kml', ''],
  ['csv', 'csv', ''],
  ['xlsx', 'xlsx', ''],
];

describe.each(['facilities', 'demand_units'] as LayerId[])('export of %s', (layer) => {
  it.each(CASES)('%s: GDAL reads back the same count, attributes and CRS', (format, extension, vsi) => {
    const file = temp.file(`${layer}.${extension}`);
    const result = exportLayer(project, layer, file, format);
    const columns = exportColumns(project, layer);
    const expected = [...exportRows(project, layer, columns)];
    expect(result.features).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(100);
    // The layer's name in each format: the GeoJSON/GeoPackage/KML/XLSX layer, the .shp or .csv file name.
    const gdalLayer = format === 'csv' ? layer : layer;
    const summary = ogrinfoSummary(file, vsi, gdalLayer, format);
    // GDAL 3.6 reads SheetJS's header row as a row (see below).
    expect(summary.count).toBe(format === 'xlsx' ? expected.length + 1 : expected.length);
    if (format === 'kml') expect(summary.epsg).toBe(4326);
    else if (format !== 'csv' && format !== 'xlsx') expect(summary.epsg).toBe(project.epsg);
    let features = gdalFeatures(file, vsi, gdalLayer, format);
    if (format === 'xlsx') {
      // GDAL 3.6 does not take SheetJS's first row as the header (it names the columns Field1…); map them by it.
      const header = features[0]!.properties;
      features = features.slice(1).map((feature) => ({ ...feature, properties: Object.fromEntries(Object.entries(feature.properties).map(([key, value]) => [String(header[key]), value])) }));
    }
    expect(features).toHaveLength(expected.length);
    const nameOf = (column: string) => (format === 'shapefile' ? (result.renamedColumns[column] ?? column) : format === 'kml' && column === 'name' ? 'Name' : column);
    // Every column of every feature, compared value by value.
    let compared = 0;
    features.forEach((feature, index) => {
      for (const column of columns) {
        const actual = feature.properties[nameOf(column.name)];
        const wanted = expected[index]!.values[column.name];
        if (!same(actual, wanted)) throw new Error(`${format} ${layer} row ${index} ${column.name}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(wanted)}`);
        compared++;
      }
      if (format !== 'xlsx') expect(feature.geometry).not.toBeNull();
    });
    expect(compared).toBe(expected.length * columns.length);
    if (layer === 'facilities') {
      const imported = expected.find((row) => row.values.code === 'S1')!;
      expect(imported.values).toMatchObject({ source: 'Test source koulut', licence: 'CC BY 4.0', capacity_grades_1_6: 420 });
    }
  });
});
