/**
 * The project file as other tools see it: a GeoPackage 1.3 that GDAL reads and its validator accepts,
 * one self-contained file when closed, in the CRS it was created in; saveAs and extents.
 */
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { GEOPACKAGE_APPLICATION_ID, GEOPACKAGE_USER_VERSION } from '../../electron/store/geopackage-ddl';
import { ProjectFile, FEATURE_TABLES } from '../../electron/store/project-file';
import { LAYER_IDS } from '../../shared/domain/project';
import { SUPPORTED_CRS } from '../../shared/geo/crs';
import { envelopeOf } from '../../shared/geo/geometry';
import { encodeGeoPackageGeometry } from '../../shared/geo/gpkg-geometry';
import { buildProject, expectCode, makeTempDir, origin, point, sha256, sidecars, square } from '../fixtures/store-helpers';

const run = promisify(execFile);
const OGRINFO = '/usr/bin/ogrinfo';
const VALIDATOR = ['/usr/bin/python3', '/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py', '--extra', '--warning-as-error'];

const tmp = makeTempDir('verkosto-format-');
afterAll(() => tmp.cleanup());


async function ogrinfo(file: string, layer: string): Promise<string> {
  const { stdout } = await run(OGRINFO, ['-so', file, layer]);
  return stdout;
}

async function validate(file: string): Promise<void> {
  const result = await run(VALIDATOR[0]!, [...VALIDATOR.slice(1), file]).catch((error: { code?: number; stdout?: string; stderr?: string }) => error);
  expect({ code: (result as { code?: number }).code ?? 0, stdout: result.stdout, stderr: result.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
}

function header(file: string): { applicationId: number; userVersion: number; writeVersion: number; readVersion: number } {
  const bytes = readFileSync(file);
  return { applicationId: bytes.readUInt32BE(68), userVersion: bytes.readUInt32BE(60), writeVersion: bytes[18]!, readVersion: bytes[19]! };
}

describe('a new project file', () => {
  test('is a GeoPackage 1.3 in WAL mode while open and a single file after close', () => {
    const file = tmp.file('new.gpkg');
    const project = ProjectFile.create(file, { epsg: 3067 });
    expect(project.db.pragma('application_id', { simple: true })).toBe(GEOPACKAGE_APPLICATION_ID);
    expect(GEOPACKAGE_APPLICATION_ID).toBe(1196444487);
    expect(project.db.pragma('user_version', { simple: true })).toBe(10300);
    expect(project.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(project.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    project.insertFeatures('facilities', [{ geometry: point(3067, 0, 0), properties: { name_fi: 'Koulu' } }]);
    expect(existsSync(`${file}-wal`)).toBe(true);
    expect(project.settings()).toMatchObject({ 'project.name': 'new', 'project.epsg': 3067 });
    project.close();

    expect(sidecars(file)).toEqual([]);
    expect(header(file)).toEqual({ applicationId: GEOPACKAGE_APPLICATION_ID, userVersion: GEOPACKAGE_USER_VERSION, writeVersion: 1, readVersion: 1 });
    // Everything is in the one file: a reader that ignores sidecars sees the feature.
    const copy = tmp.file('new-copy.gpkg');
    writeFileSync(copy, readFileSync(file));
    const db = new Database(copy, { readonly: true });
    expect(db.prepare('SELECT name_fi FROM facilities').all()).toEqual([{ name_fi: 'Koulu' }]);
    db.close();

    // Opening again switches to WAL and closing folds it back.
    const reopened = ProjectFile.open(file);
    expect(reopened.db.pragma('journal_mode', { simple: true })).toBe('wal');
    reopened.runCommand({ type: 'setting.set', key: 'plan.year', value: 2030 });
    reopened.close();
    expect(sidecars(file)).toEqual([]);
    expect(header(file)).toMatchObject({ writeVersion: 1, readVersion: 1 });
  });

  test('an unsupported CRS → unsupportedCrs, and no file is created', () => {
    const file = tmp.file('kkj.gpkg');
    const error = expectCode(() => ProjectFile.create(file, { epsg: 2393 }), 'unsupportedCrs');
    expect(error.params).toEqual({ crs: 'EPSG:2393' });
    expect(existsSync(file)).toBe(false);
    expect(sidecars(file)).toEqual([]);
  });

  test('creating over an existing file → fileExists, and the file is untouched', () => {
    const file = tmp.file('existing.gpkg');
    const built = buildProject(file);
    built.project.close();
    const before = sha256(file);
    expectCode(() => ProjectFile.create(file, { epsg: 3067 }), 'fileExists');
    expect(sha256(file)).toBe(before);
    expect(sidecars(file)).toEqual([]);
    const text = tmp.file('existing.txt');
    writeFileSync(text, 'keep');
    expectCode(() => ProjectFile.create(text, { epsg: 3067 }), 'fileExists');
    expect(readFileSync(text, 'utf8')).toBe('keep');
  });
});

describe('every supported CRS', () => {
  const codes = [...SUPPORTED_CRS.keys()].sort((a, b) => a - b);

  test('covers 3067, 3873–3885 and 4326', () => {
    expect(codes).toEqual([3067, ...Array.from({ length: 13 }, (_, i) => 3873 + i), 4326]);
  });

  test.each(codes)('EPSG:%i is registered with PROJ\'s WKT and GDAL reports it', async (epsg) => {
    const file = tmp.file(`crs-${epsg}.gpkg`);
    const project = ProjectFile.create(file, { epsg });
    project.insertFeatures('facilities', [{ geometry: point(epsg, 0, 0), properties: { name_fi: 'Koulu' } }]);
    project.close();

    const { stdout: projWkt } = await run('projinfo', [`EPSG:${epsg}`, '-o', 'WKT1_GDAL', '--single-line', '-q']);
    const db = new Database(file, { readonly: true });
    const srs = db.prepare('SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?').get(epsg);
    const layerSrs = db.prepare("SELECT srs_id FROM gpkg_contents WHERE data_type = 'features'").all();
    const geometrySrs = db.prepare('SELECT DISTINCT srs_id FROM gpkg_geometry_columns').all();
    db.close();
    expect(srs).toEqual({ organization: 'EPSG', organization_coordsys_id: epsg, definition: projWkt.trim() });
    expect(layerSrs).toEqual(FEATURE_TABLES.map(() => ({ srs_id: epsg })));
    expect(geometrySrs).toEqual([{ srs_id: epsg }]);

    const info = await ogrinfo(file, 'facilities');
    expect(info).toContain('Feature Count: 1');
    const reported = /ID\["EPSG",(\d+)\]\]\s*\nData axis/.exec(info)?.[1];
    expect(Number(reported)).toBe(epsg);
    // GDAL takes the extent from gpkg_contents, which follows the R-tree's 32-bit floats (rounded outwards).
    const [x, y] = origin(epsg);
    const extent = /Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)/.exec(info)!.slice(1).map(Number);
    const near = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * 2 ** -21);
    near(extent[0]!, x);
    near(extent[1]!, y);
    near(extent[2]!, x);
    near(extent[3]!, y);
  });
});

describe('GDAL validation', () => {
  test('validate_gpkg.py --extra --warning-as-error passes on a project with every table filled and an edit history', async () => {
    const file = tmp.file('full.gpkg');
    const built = buildProject(file, 3879, { facilities: 12 });
    const { project, facilityFids } = built;
    project.runCommand({ type: 'facility.update', fid: facilityFids[0]!, changes: { name_fi: 'Muokattu', condition: 3 } });
    project.runCommand({ type: 'facility.move', fid: facilityFids[1]!, geometry: point(3879, -3000, 2000) });
    project.runCommand({ type: 'setting.set', key: 'plan.year', value: 2030 });
    project.undo();
    // Residents' feedback (imported in practice): one point, so GDAL validates that layer filled too.
    project.db.prepare('INSERT INTO feedback (geom, request_id, service_name, description, requested_at) VALUES (?, ?, ?, ?, ?)').run(encodeGeoPackageGeometry(point(3879, 500, 500), 3879), 'A1', 'Koulumatka', 'Turvaton risteys', '2026-01-05T08:00:00Z');
    project.refreshExtent('feedback');
    // A residential point (imported in practice), so GDAL validates that layer filled too.
    project.db.prepare('INSERT INTO residential_points (geom, weight, source) VALUES (?, ?, ?)').run(encodeGeoPackageGeometry(point(3879, 400, 400), 3879), 12, 'RHR');
    project.refreshExtent('residential_points');
    for (const layer of LAYER_IDS) expect(project.readFeatures(layer).features.length).toBeGreaterThan(0);
    for (const table of ['facility_services', 'demand_population', 'verkosto_data_sources', 'verkosto_edit_log']) {
      expect((project.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n).toBeGreaterThan(0);
    }
    project.close();

    await validate(file);
    for (const layer of LAYER_IDS) expect(await ogrinfo(file, layer)).toMatch(/Feature Count: [1-9]/);
  });

  test('the validator is not vacuous: it rejects a file with a broken gpkg_contents entry', async () => {
    const file = tmp.file('broken.gpkg');
    buildProject(file).project.close();
    const db = new Database(file);
    db.pragma('foreign_keys = OFF'); // better-sqlite3 enforces them by default
    db.prepare("UPDATE gpkg_contents SET srs_id = 99999 WHERE table_name = 'facilities'").run();
    db.close();
    const result = await run(VALIDATOR[0]!, [...VALIDATOR.slice(1), file]).then(() => null, (error: { code: number }) => error);
    expect(result?.code).not.toBe(0);
  });
});

describe('saveAs', () => {
  test('copies with the backup API, the copy opens in GDAL, and edits continue in the copy only', async () => {
    const original = tmp.file('orig.gpkg');
    const copy = tmp.file('copy.gpkg');
    const { project, facilityFids } = buildProject(original);
    const fid = facilityFids[0]!;
    project.runCommand({ type: 'facility.update', fid, changes: { name_fi: 'Ennen tallennusta' } });

    await project.saveAs(copy);
    expect(project.path).toBe(copy);
    expect(sidecars(original)).toEqual([]);
    const originalHash = sha256(original);

    // The copy is consistent on its own, with the edit that was still only in the WAL when it was made.
    const reader = new Database(copy, { readonly: true });
    expect(reader.prepare('SELECT name_fi FROM facilities WHERE fid = ?').get(fid)).toEqual({ name_fi: 'Ennen tallennusta' });
    expect(reader.pragma('integrity_check', { simple: true })).toBe('ok');
    reader.close();
    // GDAL reads the copy while the project holds it open.
    expect(await ogrinfo(copy, 'facilities')).toContain('Feature Count: 4');

    project.runCommand({ type: 'facility.update', fid, changes: { name_fi: 'Kopiossa' } });
    project.runCommand({ type: 'facility.move', fid, geometry: point(3067, 9000, 9000) });
    expect(project.readFeature('facilities', fid)?.properties.name_fi).toBe('Kopiossa');
    // The history came along: undo the two new edits and the one before saveAs.
    project.undo();
    project.undo();
    project.undo();
    expect(project.readFeature('facilities', fid)?.properties.name_fi).toBe('Koulu 1');
    project.redo();
    project.redo();
    project.close();

    expect(sha256(original)).toBe(originalHash);
    expect(sidecars(copy)).toEqual([]);
    const reopenedOriginal = ProjectFile.open(original);
    expect(reopenedOriginal.readFeature('facilities', fid)?.properties.name_fi).toBe('Ennen tallennusta');
    reopenedOriginal.close();
    const reopenedCopy = ProjectFile.open(copy);
    expect(reopenedCopy.readFeature('facilities', fid)?.properties.name_fi).toBe('Kopiossa');
    expect(reopenedCopy.historyState()).toEqual({ canUndo: true, canRedo: true });
    reopenedCopy.close();
    await validate(copy);
  });

  test('onto an existing file → fileExists, both files untouched and the project still open where it was', async () => {
    const original = tmp.file('orig2.gpkg');
    const other = tmp.file('other.gpkg');
    writeFileSync(other, 'someone else');
    const { project } = buildProject(original);
    await expect(project.saveAs(other)).rejects.toMatchObject({ code: 'fileExists' });
    expect(readFileSync(other, 'utf8')).toBe('someone else');
    expect(project.path).toBe(original);
    project.runCommand({ type: 'setting.set', key: 'plan.year', value: 2031 });
    project.close();
    expect(ProjectFile.open(original).settings()['plan.year']).toBe(2031);
  });

  test('into a folder that does not exist → an error, nothing left behind, the project still writable', async () => {
    const original = tmp.file('orig3.gpkg');
    const target = tmp.file('no-such-folder/copy.gpkg');
    const { project } = buildProject(original);
    await expect(project.saveAs(target)).rejects.toThrow();
    expect(existsSync(target)).toBe(false);
    expect(project.path).toBe(original);
    project.runCommand({ type: 'setting.set', key: 'plan.year', value: 2032 });
    project.close();
    const reopened = ProjectFile.open(original);
    expect(reopened.settings()['plan.year']).toBe(2032);
    reopened.close();
  });
});

describe('what builders write reads back', () => {
  test('services, population, data sources, unit kinds, years and layer summaries', () => {
    const { project, facilityFids, unitFids } = buildProject(tmp.file('read-back.gpkg'), 3067);
    expect(project.relatedRows('facilities', facilityFids[0]!)).toEqual([
      { service: 'grades_1_6', capacity: 400, enrolment: 380, changeYear: null, changedCapacity: null },
      { service: 'pre_primary', capacity: 40, enrolment: null, changeYear: null, changedCapacity: null },
    ]);
    expect(project.readPopulation(unitFids[1]!)).toEqual([
      { unit_fid: unitFids[1], year: 2023, source: 'observed', total: 101, ages: Array.from({ length: 16 }, (_, age) => age + 1) },
      { unit_fid: unitFids[1], year: 2024, source: 'estimated', total: 101, ages: Array.from({ length: 16 }, (_, age) => age + 2) },
    ]);
    expect(project.relatedRows('demand_units', unitFids[0]!)).toHaveLength(2);
    expect(project.relatedRows('municipality', 1)).toEqual([]);
    expect(project.dataSources()).toEqual([
      { id: 'statfi-paavo', title: 'Paavo', publisher: 'Tilastokeskus', licence: 'CC BY 4.0', url: 'https://stat.fi', retrieved: '2024-01-01', layers: 'demand_units', note: null },
    ]);
    expect(project.demandUnitKinds()).toEqual({ grid_250m: 1, small_area: 1 });
    expect(project.populationYears()).toEqual([2023, 2024]);
    const summaries = project.layerSummaries();
    expect(summaries.map((s) => [s.id, s.geometryType, s.featureCount])).toEqual([
      ['facilities', 'POINT', 4], ['catchments', 'MULTIPOLYGON', 2], ['demand_units', 'MULTIPOLYGON', 2], ['municipality', 'MULTIPOLYGON', 1], ['feedback', 'POINT', 0], ['residential_points', 'POINT', 0],
    ]);
    expect(summaries.find((s) => s.id === 'feedback')!.extent).toBeNull();
    for (const summary of summaries.filter((s) => s.featureCount > 0)) {
      const row = project.db.prepare('SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?').get(summary.id) as Record<string, number>;
      expect(summary.extent).toEqual([row.min_x, row.min_y, row.max_x, row.max_y]);
    }
    // Properties a builder leaves out take the column defaults; booleans become 0/1.
    const [fid] = project.insertFeatures('facilities', [{ geometry: null, properties: { name_fi: 'Oletukset', illustrative: true as unknown as number } }]);
    expect(project.readFeature('facilities', fid!)?.properties).toMatchObject({ facility_kind: 'school', language: 'fi', status: 'active', illustrative: 1, code: null });
    project.close();
  });
});

describe('gpkg_contents extents', () => {
  type Box = { min_x: number; max_x: number; min_y: number; max_y: number };
  const box = (project: ProjectFile, layer: string) =>
    project.db.prepare('SELECT min_x, max_x, min_y, max_y FROM gpkg_contents WHERE table_name = ?').get(layer) as Box;

  /**
   * refreshExtent takes the box from the R-tree, which stores 32-bit floats rounded outwards (SQLite moves a
   * bound by a relative 2^-23 and then rounds to float): the box must contain the data and be at most a few
   * float ulps larger (centimetres in TM35FIN, metres at GK false eastings of 2.5·10^7).
   */
  function expectBoxAround(actual: Box, features: { geometry: Parameters<typeof envelopeOf>[0] | null }[]): void {
    const envelopes = features.map((f) => envelopeOf(f.geometry!)!);
    const exact = {
      min_x: Math.min(...envelopes.map((e) => e.minX)), max_x: Math.max(...envelopes.map((e) => e.maxX)),
      min_y: Math.min(...envelopes.map((e) => e.minY)), max_y: Math.max(...envelopes.map((e) => e.maxY)),
    };
    const slack = (value: number) => Math.abs(value) * 2 ** -21;
    expect(actual.min_x).toBeLessThanOrEqual(exact.min_x);
    expect(actual.min_y).toBeLessThanOrEqual(exact.min_y);
    expect(actual.max_x).toBeGreaterThanOrEqual(exact.max_x);
    expect(actual.max_y).toBeGreaterThanOrEqual(exact.max_y);
    expect(exact.min_x - actual.min_x).toBeLessThanOrEqual(slack(exact.min_x));
    expect(exact.min_y - actual.min_y).toBeLessThanOrEqual(slack(exact.min_y));
    expect(actual.max_x - exact.max_x).toBeLessThanOrEqual(slack(exact.max_x));
    expect(actual.max_y - exact.max_y).toBeLessThanOrEqual(slack(exact.max_y));
  }

  test('follow inserts and moves (and their undo), in every layer and CRS kind', () => {
    for (const epsg of [3067, 3885, 4326]) {
      const file = tmp.file(`extent-${epsg}.gpkg`);
      const project = ProjectFile.create(file, { epsg });
      expect(box(project, 'facilities')).toEqual({ min_x: null, max_x: null, min_y: null, max_y: null });

      const fids = project.insertFeatures('facilities', [
        { geometry: point(epsg, 10.3, 20.7), properties: { name_fi: 'A' } },
        { geometry: point(epsg, 1234.56, -987.65), properties: { name_fi: 'B' } },
      ]);
      expectBoxAround(box(project, 'facilities'), project.readFeatures('facilities').features);
      project.insertFeatures('catchments', [{ geometry: square(epsg, -500.5, -400.25, 333.3), properties: { name: 'A', service: 'pre_primary' } }]);
      expectBoxAround(box(project, 'catchments'), project.readFeatures('catchments').features);
      const afterInsert = box(project, 'facilities');

      project.runCommand({ type: 'facility.move', fid: fids[1]!, geometry: point(epsg, 5000.5, 7000.25) });
      expectBoxAround(box(project, 'facilities'), project.readFeatures('facilities').features);
      expect(box(project, 'facilities').max_x).toBeGreaterThan(afterInsert.max_x);

      project.undo();
      expect(box(project, 'facilities')).toEqual(afterInsert);
      project.close();
    }
  });
});
