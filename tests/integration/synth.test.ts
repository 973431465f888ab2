/**
 * The synthetic project generator: deterministic by seed, a valid GeoPackage GDAL opens, catchments that
 * tile the region per service and language. Small sizes only (the 100k-unit project is for the bench).
 * The CLI case needs dist/ (npm test builds first; or `node scripts/build.mjs`).
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSyntheticProject, SYNTHETIC_CATCHMENT_SERVICES } from '../../electron/services/synth/build-synthetic';
import { hashString, mulberry32 } from '../../electron/services/synth/prng';
import { VerkostoError } from '../../shared/errors';
import { areaOf, type MultiPolygonGeometry } from '../../shared/geo/geometry';
import { decodeGeoPackageGeometry } from '../../shared/geo/gpkg-geometry';
import { assertCliBuilt, ogrSummary, run, runCli, temporaryDirectory, validateGeoPackage } from './cli-helpers';

const workspace = temporaryDirectory('verkosto-synth-');
const file = (name: string) => path.join(workspace.path, name);
const options = { units: 1500, facilities: 40, years: 4, seed: 11 };

beforeAll(async () => {
  await buildSyntheticProject(file('a.gpkg'), options);
  await buildSyntheticProject(file('b.gpkg'), options);
  await buildSyntheticProject(file('c.gpkg'), { ...options, seed: 12 });
});
afterAll(() => workspace.remove());

function withDatabase<T>(name: string, read: (db: Database.Database) => T): T {
  const db = new Database(file(name), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

function fingerprint(name: string) {
  return withDatabase(name, (db) => ({
    counts: Object.fromEntries(
      ['demand_units', 'demand_population', 'facilities', 'facility_services', 'catchments', 'municipality'].map((table) => [
        table,
        (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n,
      ]),
    ),
    firstUnits: db.prepare('SELECT fid, geom, code, name, unit_kind, population_total, population_year FROM demand_units ORDER BY fid LIMIT 5').raw().all(),
    firstPopulation: db.prepare('SELECT * FROM demand_population ORDER BY fid LIMIT 10').raw().all(),
    firstFacilities: db.prepare('SELECT * FROM facilities ORDER BY fid LIMIT 5').raw().all(),
    totals: db.prepare('SELECT year, SUM(total), SUM(age_0), SUM(age_15) FROM demand_population GROUP BY year ORDER BY year').raw().all(),
    catchments: db.prepare('SELECT geom, name, service, language, facility_fid FROM catchments ORDER BY fid').raw().all(),
  }));
}

describe('buildSyntheticProject', () => {
  it('makes the requested numbers of units, years and facilities', () => {
    const { counts } = fingerprint('a.gpkg');
    expect(counts.demand_units).toBe(1500);
    expect(counts.demand_population).toBe(1500 * 4);
    expect(counts.facilities).toBe(40);
    expect(counts.municipality).toBe(1);
    expect(counts.catchments).toBeGreaterThan(0);
    const years = withDatabase('a.gpkg', (db) => db.prepare('SELECT DISTINCT year FROM demand_population ORDER BY year').raw().all().flat());
    expect(years).toEqual([2025, 2026, 2027, 2028]);
  });

  it('is deterministic: the same seed gives the same counts, rows and geometries', () => {
    expect(fingerprint('b.gpkg')).toEqual(fingerprint('a.gpkg'));
  });

  it('a different seed gives a different project', () => {
    const a = fingerprint('a.gpkg');
    const c = fingerprint('c.gpkg');
    expect(c.counts.demand_units).toBe(a.counts.demand_units);
    expect(c.firstUnits).not.toEqual(a.firstUnits);
    expect(c.firstPopulation).not.toEqual(a.firstPopulation);
    expect(c.totals).not.toEqual(a.totals);
  });

  it('lays out 250 m squares in EPSG:3067 inside Finland, with plausible children per age', () => {
    withDatabase('a.gpkg', (db) => {
      const rows = db.prepare('SELECT geom FROM demand_units').all() as { geom: Uint8Array }[];
      for (const row of rows.slice(0, 200)) {
        const geometry = decodeGeoPackageGeometry(row.geom)!;
        expect(geometry.srsId).toBe(3067);
        expect(areaOf(geometry.geometry as MultiPolygonGeometry)).toBeCloseTo(62_500, 6);
      }
      const box = db.prepare('SELECT MIN(minx) AS minx, MAX(maxx) AS maxx, MIN(miny) AS miny, MAX(maxy) AS maxy FROM rtree_demand_units_geom').get() as Record<string, number>;
      expect(box.minx).toBeGreaterThan(43_000);
      expect(box.maxx).toBeLessThan(765_000);
      expect(box.miny).toBeGreaterThan(6_520_000);
      expect(box.maxy).toBeLessThan(7_800_000);
      const distinctCodes = db.prepare('SELECT COUNT(DISTINCT code) AS n FROM demand_units').get() as { n: number };
      expect(distinctCodes.n).toBe(1500);
      const year = db.prepare('SELECT SUM(total) AS total, SUM(age_7) AS age7 FROM demand_population WHERE year = 2025').get() as { total: number; age7: number };
      // One age cohort is roughly 1 % of residents.
      expect(year.age7 / year.total).toBeGreaterThan(0.004);
      expect(year.age7 / year.total).toBeLessThan(0.02);
    });
  });

  it('catchments are Voronoi cells that tile the region per service and language', () => {
    withDatabase('a.gpkg', (db) => {
      const region = decodeGeoPackageGeometry((db.prepare('SELECT geom FROM municipality').get() as { geom: Uint8Array }).geom)!.geometry as MultiPolygonGeometry;
      const regionArea = areaOf(region);
      let sets = 0;
      for (const language of ['fi', 'sv']) {
        for (const service of SYNTHETIC_CATCHMENT_SERVICES) {
          const offering = db
            .prepare('SELECT COUNT(*) AS n FROM facilities f JOIN facility_services s ON s.facility_fid = f.fid WHERE f.language = ? AND s.service = ?')
            .get(language, service) as { n: number };
          const rows = db.prepare("SELECT geom FROM catchments WHERE language = ? AND service = ? AND origin = 'generated'").all(language, service) as { geom: Uint8Array }[];
          expect(rows.length, `${language} ${service}`).toBe(offering.n);
          if (rows.length === 0) continue;
          sets += 1;
          const total = rows.reduce((sum, row) => sum + areaOf(decodeGeoPackageGeometry(row.geom)!.geometry as MultiPolygonGeometry), 0);
          expect(Math.abs(total - regionArea) / regionArea, `${language} ${service}`).toBeLessThan(1e-6);
        }
      }
      expect(sets).toBeGreaterThanOrEqual(3);
    });
  });

  it('refuses nonsense sizes with invalidArgument and leaves no file', async () => {
    const target = file('bad.gpkg');
    const error = await buildSyntheticProject(target, { ...options, units: 0 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VerkostoError);
    expect((error as VerkostoError).code).toBe('invalidArgument');
    expect(existsSync(target)).toBe(false);
  });

  it('mulberry32 and hashString are stable across runs and platforms', () => {
    const random = mulberry32(1);
    // The reference mulberry32 sequence for seed 1.
    expect([random(), random(), random()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    expect(hashString('03105')).toBe(hashString('03105'));
    expect(hashString('03105')).not.toBe(hashString('03106'));
  });
});

describe('verkosto synth', () => {
  it('builds a 2,000-unit project that GDAL opens and validates', () => {
    assertCliBuilt();
    const result = runCli(['synth', 'cli.gpkg', '--units', '2000', '--facilities', '60', '--years', '3', '--seed', '5'], { cwd: workspace.path });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('2000');
    const layers = new Map(ogrSummary(file('cli.gpkg')).map((layer) => [layer.name, layer]));
    expect(layers.get('demand_units')).toEqual({ name: 'demand_units', geometry: 'Multi Polygon', featureCount: 2000, epsg: 3067 });
    expect(layers.get('facilities')).toEqual({ name: 'facilities', geometry: 'Point', featureCount: 60, epsg: 3067 });
    expect(layers.get('catchments')?.geometry).toBe('Multi Polygon');
    expect(layers.get('demand_population')?.featureCount).toBe(6000);
    const validation = validateGeoPackage(file('cli.gpkg'));
    expect(validation.stderr + validation.stdout).toBe('');
    expect(validation.status).toBe(0);
    const geojson = run('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', file('cli.gpkg'), 'catchments']);
    expect(geojson.status).toBe(0);
    expect((JSON.parse(geojson.stdout) as { features: unknown[] }).features.length).toBe(layers.get('catchments')!.featureCount);
  });
});
