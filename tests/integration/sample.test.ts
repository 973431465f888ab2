/**
 * The Helsinki sample project, built by the real `verkosto sample` command and read back with GDAL and
 * SQLite: layers, counts and CRS as GDAL sees them, GeoPackage validity, the real population totals, the
 * generated catchments tiling the municipality, provenance, and a deterministic rebuild.
 * Needs dist/ (npm test builds first; or `node scripts/build.mjs`).
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSampleProject, defaultSampleDataDirectory, SAMPLE_FILES } from '../../electron/services/sample/build-sample';
import { toJsts, unionAll } from '../../electron/services/sample/polygon-ops';
import { languageFromSchoolName, servicesFromSchool } from '../../electron/services/sample/sample-rules';
import { VerkostoError } from '../../shared/errors';
import type { MultiPolygonGeometry } from '../../shared/geo/geometry';
import { decodeGeoPackageGeometry } from '../../shared/geo/gpkg-geometry';
import { assertCliBuilt, ogrSummary, run, runCli, temporaryDirectory, validateGeoPackage } from './cli-helpers';

const workspace = temporaryDirectory('verkosto-sample-');
const sampleFile = path.join(workspace.path, 's.gpkg');
let db: Database.Database;
let cliResult: ReturnType<typeof runCli>;

beforeAll(() => {
  assertCliBuilt();
  cliResult = runCli(['sample', 's.gpkg'], { cwd: workspace.path });
  if (cliResult.status !== 0) throw new Error(`verkosto sample failed: ${cliResult.stderr}`);
  db = new Database(sampleFile, { readonly: true, fileMustExist: true });
});

afterAll(() => {
  db?.close();
  workspace.remove();
});

const multiPolygon = (blob: Uint8Array) => decodeGeoPackageGeometry(blob)!.geometry as MultiPolygonGeometry;

describe('verkosto sample', () => {
  it('writes one file and reports it on one line', () => {
    expect(cliResult.stdout.trim().split('\n')).toHaveLength(1);
    expect(cliResult.stdout).toContain('s.gpkg');
    expect(existsSync(`${sampleFile}-wal`)).toBe(false);
  });

  it('GDAL lists the layers with their geometry types, counts and EPSG:3067', () => {
    const listing = run('ogrinfo', ['-so', sampleFile, 'facilities', 'catchments', 'demand_units']);
    expect(listing.status).toBe(0);
    expect(listing.stdout).toMatch(/Layer name: facilities\n[\s\S]*?Geometry: Point\nFeature Count: 129\n/);
    expect(listing.stdout).toMatch(/Layer name: catchments\n[\s\S]*?Geometry: Multi Polygon\nFeature Count: \d+\n/);
    expect(listing.stdout).toMatch(/Layer name: demand_units\n[\s\S]*?Geometry: Multi Polygon\nFeature Count: 2213\n/);

    const layers = new Map(ogrSummary(sampleFile).map((layer) => [layer.name, layer]));
    expect(layers.get('facilities')).toEqual({ name: 'facilities', geometry: 'Point', featureCount: 129, epsg: 3067 });
    expect(layers.get('demand_units')).toEqual({ name: 'demand_units', geometry: 'Multi Polygon', featureCount: 148 + 2065, epsg: 3067 });
    expect(layers.get('municipality')).toEqual({ name: 'municipality', geometry: 'Multi Polygon', featureCount: 1, epsg: 3067 });
    const catchments = layers.get('catchments')!;
    expect(catchments.geometry).toBe('Multi Polygon');
    expect(catchments.epsg).toBe(3067);
    expect(catchments.featureCount).toBeGreaterThan(0);
  });

  it('passes GDAL validate_gpkg.py --extra --warning-as-error', () => {
    const result = validateGeoPackage(sampleFile);
    expect(result.stderr + result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('info --json reports the sample', () => {
    const result = runCli(['info', 's.gpkg', '--json'], { cwd: workspace.path });
    expect(result.status).toBe(0);
    const info = JSON.parse(result.stdout) as {
      name: string;
      crs: { epsg: number };
      demandUnitKinds: Record<string, number>;
      populationYears: number[];
      layers: { name: string; featureCount: number; extent: number[] | null }[];
    };
    expect(info.name).toBe('Helsinki – esimerkkiprojekti');
    expect(info.crs.epsg).toBe(3067);
    expect(info.demandUnitKinds).toEqual({ grid_250m: 2065, small_area: 148 });
    expect(info.populationYears).toEqual([2015, 2019]);
    const facilities = info.layers.find((layer) => layer.name === 'facilities')!;
    expect(facilities.featureCount).toBe(129);
    // Helsinki in TM35FIN: x 370–410 km, y 6 640–6 690 km.
    const [minX, minY, maxX, maxY] = facilities.extent!;
    expect(minX).toBeGreaterThan(370_000);
    expect(maxX).toBeLessThan(410_000);
    expect(minY).toBeGreaterThan(6_640_000);
    expect(maxY).toBeLessThan(6_690_000);
  });
});

describe('sample content', () => {
  it('the osa-alue populations of 2019 sum to 639 780 (653 835 minus 14 055 with unknown area)', () => {
    const row = db
      .prepare(
        `SELECT SUM(p.total) AS total, COUNT(*) AS rows, SUM(p.source = 'observed') AS observed FROM demand_population p
           JOIN demand_units u ON u.fid = p.unit_fid WHERE u.unit_kind = 'small_area' AND p.year = 2019`,
      )
      .get() as { total: number; rows: number; observed: number };
    expect(row).toEqual({ total: 639_780, rows: 147, observed: 147 });
    // population_total on the unit equals the row; 533 Aluemeri has neither.
    const aluemeri = db.prepare("SELECT population_total, name FROM demand_units WHERE unit_kind = 'small_area' AND code = '533'").get();
    expect(aluemeri).toEqual({ population_total: null, name: 'Aluemeri' });
    const kruununhaka = db
      .prepare("SELECT u.population_total AS unitTotal, p.total, p.age_0, p.age_15 FROM demand_units u JOIN demand_population p ON p.unit_fid = u.fid WHERE u.code = '010' AND u.unit_kind = 'small_area'")
      .get() as { unitTotal: number; total: number; age_0: number; age_15: number };
    expect(kruununhaka.unitTotal).toBe(7473);
    expect(kruununhaka.total).toBe(7473);
    // Ages 0–15 are men + women from the source CSV.
    const csv = readFileSync(path.join(defaultSampleDataDirectory(), SAMPLE_FILES.population), 'utf8').split('\n');
    const header = csv[0]!.split(',');
    const cells = csv.find((line) => line.startsWith('010,'))!.split(',');
    const value = (column: string) => Number(cells[header.indexOf(column)]);
    expect(kruununhaka.age_0).toBe(value('m0') + value('n0'));
    expect(kruununhaka.age_15).toBe(value('m15') + value('n15'));
  });

  it('grid cells carry the 2015 totals and estimated ages that add up to the 0–9 band', () => {
    const totals = db
      .prepare("SELECT SUM(p.total) AS total, COUNT(*) AS rows, SUM(p.source = 'estimated') AS estimated FROM demand_population p JOIN demand_units u ON u.fid = p.unit_fid WHERE u.unit_kind = 'grid_250m' AND p.year = 2015")
      .get();
    expect(totals).toEqual({ total: 606_363, rows: 2065, estimated: 2065 });
    const grid = JSON.parse(readFileSync(path.join(defaultSampleDataDirectory(), SAMPLE_FILES.grid), 'utf8')) as { features: { properties: Record<string, number> }[] };
    const populated = grid.features.find((feature) => feature.properties.ASUKKAITA! > 1000)!.properties;
    const ages = db
      .prepare(`SELECT ${Array.from({ length: 16 }, (_, age) => `p.age_${age}`).join(', ')} FROM demand_population p JOIN demand_units u ON u.fid = p.unit_fid WHERE u.unit_kind = 'grid_250m' AND u.code = ?`)
      .raw()
      .get(String(populated.INDEX)) as number[];
    const zeroToNine = ages.slice(0, 10).reduce((a, b) => a + b, 0);
    expect(Math.abs(zeroToNine - populated.IKA0_9!)).toBeLessThan(0.1);
    expect(ages.slice(10).reduce((a, b) => a + b, 0)).toBeLessThan(populated.IKA10_19! + 0.1);
  });

  it('facilities: 129 illustrative schools, 15 Swedish-language, each with capacities', () => {
    const languages = db.prepare('SELECT language, COUNT(*) AS n FROM facilities GROUP BY language ORDER BY language').all();
    expect(languages).toEqual([{ language: 'fi', n: 114 }, { language: 'sv', n: 15 }]);
    expect(db.prepare("SELECT COUNT(*) AS n FROM facilities WHERE illustrative = 1 AND facility_kind = 'school' AND status = 'active'").get()).toEqual({ n: 129 });
    const withoutServices = db.prepare('SELECT COUNT(*) AS n FROM facilities f WHERE NOT EXISTS (SELECT 1 FROM facility_services s WHERE s.facility_fid = f.fid AND s.capacity > 0)').get();
    expect(withoutServices).toEqual({ n: 0 });
    const norsen = db.prepare("SELECT name_fi, name_sv, language FROM facilities WHERE code = '03105'").get();
    expect(norsen).toEqual({ name_fi: 'Grundskolan Norsen', name_sv: 'Grundskolan Norsen', language: 'sv' });
    // Cost per place stays near the €12,358 median for ordinary schools.
    const costs = db
      .prepare("SELECT f.operating_cost_eur / SUM(s.capacity) AS perPlace FROM facilities f JOIN facility_services s ON s.facility_fid = f.fid WHERE s.service != 'special_needs' GROUP BY f.fid")
      .all() as { perPlace: number }[];
    for (const { perPlace } of costs) {
      expect(perPlace).toBeGreaterThan(12_358 * 0.8);
      expect(perPlace).toBeLessThan(12_358 * 1.2);
    }
  });

  it('the language and grade heuristics read school names as documented', () => {
    expect(languageFromSchoolName('Brändö lågstadieskola')).toBe('sv');
    expect(languageFromSchoolName('Rudolf Steinerskolan i H:fors')).toBe('sv');
    expect(languageFromSchoolName('Östersundom skola')).toBe('sv');
    expect(languageFromSchoolName('Kallion ala-asteen koulu')).toBe('fi');
    expect(languageFromSchoolName('International School of H:ki')).toBe('fi');
    expect(servicesFromSchool('Kallion ala-asteen koulu', '11')).toEqual(['grades_1_6']);
    expect(servicesFromSchool('Kruununhaan yläasteen koulu', '11')).toEqual(['grades_7_9']);
    expect(servicesFromSchool('Maunulan yht.k.-Hgin mat.lukio', '19')).toEqual(['grades_7_9']);
    expect(servicesFromSchool('Brändö lågstadieskola', '11')).toEqual(['grades_1_6']);
    expect(servicesFromSchool('Arabian peruskoulu', '11')).toEqual(['grades_1_6', 'grades_7_9']);
    expect(servicesFromSchool('Toivolan koulu', '12')).toEqual(['special_needs']);
  });

  it('the generated catchments of each language tile the municipality: no gaps, no overlaps', () => {
    const municipality = multiPolygon((db.prepare('SELECT geom FROM municipality').get() as { geom: Uint8Array }).geom);
    const municipalityArea = toJsts(municipality).getArea();
    for (const language of ['fi', 'sv']) {
      const rows = db.prepare("SELECT geom FROM catchments WHERE language = ? AND service = 'grades_1_6'").all(language) as { geom: Uint8Array }[];
      expect(rows.length, language).toBeGreaterThan(language === 'fi' ? 40 : 5);
      const geometries = rows.map((row) => toJsts(multiPolygon(row.geom)));
      for (const geometry of geometries) expect(geometry.isValid()).toBe(true);
      const union = unionAll(geometries);
      const sumOfAreas = geometries.reduce((sum, geometry) => sum + geometry.getArea(), 0);
      // Gaps: the union covers the municipality to within 0.1 %.
      expect(Math.abs(union.getArea() - municipalityArea) / municipalityArea, language).toBeLessThan(0.001);
      expect(union.difference(toJsts(municipality)).getArea() / municipalityArea).toBeLessThan(0.001);
      // Overlaps: the areas add up to the union's (what overlapped would be counted twice).
      expect(Math.abs(sumOfAreas - union.getArea()) / union.getArea(), language).toBeLessThan(0.0001);
    }
  });

  it('catchments are labelled generated and belong to a grades 1–6 school of their language', () => {
    const rows = db
      .prepare('SELECT c.origin, c.service, c.language, c.name, f.name_fi AS facilityName, f.language AS facilityLanguage, c.locked FROM catchments c LEFT JOIN facilities f ON f.fid = c.facility_fid')
      .all() as Record<string, unknown>[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.origin).toBe('generated');
      expect(row.service).toBe('grades_1_6');
      expect(row.facilityName).toBe(row.name);
      expect(row.facilityLanguage).toBe(row.language);
      expect(row.locked).toBe(0);
    }
    const upperOnly = db
      .prepare("SELECT COUNT(*) AS n FROM catchments c WHERE NOT EXISTS (SELECT 1 FROM facility_services s WHERE s.facility_fid = c.facility_fid AND s.service = 'grades_1_6')")
      .get();
    expect(upperOnly).toEqual({ n: 0 });
  });

  it('settings and data sources say what is real and what is illustrative', () => {
    const settings = Object.fromEntries(
      (db.prepare('SELECT key, value FROM verkosto_settings').all() as { key: string; value: string }[]).map((row) => [row.key, JSON.parse(row.value) as unknown]),
    );
    expect(settings['project.name']).toBe('Helsinki – esimerkkiprojekti');
    expect(settings['project.epsg']).toBe(3067);
    expect(settings['sample.generatedCatchments']).toBe(true);
    expect(settings['sample.illustrativeValues']).toBe(true);
    expect(settings['basemap.url']).toBe('https://tile.openstreetmap.org/{z}/{x}/{y}.png');
    const sources = db.prepare('SELECT source_id, publisher, licence, note FROM verkosto_data_sources ORDER BY fid').all() as Record<string, string>[];
    expect(sources.map((source) => source.source_id)).toEqual([
      'helsinki-osa-alueet',
      'helsinki-population-2019',
      'hsy-grid-2015',
      'statfi-schools-2022',
      'nls-municipal-boundary',
      'illustrative-values',
    ]);
    for (const source of sources) expect(source.licence).toBe('CC BY 4.0');
    expect(sources.at(-1)!.note).toMatch(/INVENTED/);
    expect(sources.at(-1)!.note).toMatch(/GENERATED/);
  });
});

describe('buildSampleProject', () => {
  it('is deterministic: a second build has the same features and rows', async () => {
    const second = path.join(workspace.path, 'again.gpkg');
    const started = performance.now();
    await buildSampleProject(second);
    expect(performance.now() - started).toBeLessThan(10_000);
    const other = new Database(second, { readonly: true });
    try {
      for (const table of ['facilities', 'catchments', 'demand_units', 'municipality', 'facility_services', 'demand_population', 'verkosto_data_sources']) {
        const dump = (database: Database.Database) => database.prepare(`SELECT * FROM ${table} ORDER BY fid`).raw().all();
        expect(dump(other), table).toEqual(dump(db));
      }
    } finally {
      other.close();
    }
  });

  it('finds the shipped data and reports missing data as sampleDataMissing, leaving no file behind', async () => {
    expect(defaultSampleDataDirectory().split(path.sep).slice(-2)).toEqual(['resources', 'sample-data']);
    const empty = path.join(workspace.path, 'empty-data');
    mkdirSync(empty);
    const target = path.join(workspace.path, 'never.gpkg');
    const error = await buildSampleProject(target, { dataDirectory: empty }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VerkostoError);
    expect((error as VerkostoError).code).toBe('sampleDataMissing');
    expect(existsSync(target)).toBe(false);
  });

  it('reports progress from 0 to 1', async () => {
    const steps: [string, number][] = [];
    await buildSampleProject(path.join(workspace.path, 'progress.gpkg'), { onProgress: (step, fraction) => steps.push([step, fraction]) });
    expect(steps[0]![1]).toBe(0);
    expect(steps.at(-1)).toEqual(['done', 1]);
    const fractions = steps.map(([, fraction]) => fraction);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
  });
});
