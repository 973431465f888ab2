// The KPI engine against an independent computation: per-catchment sums on the Helsinki sample computed
// with SpatiaLite SQL through GDAL (`ogrinfo -dialect SQLite`, ST_Intersection areas), compared with what
// `verkosto kpi` prints. Also the forecast service end to end: cohort run, undo, a bad table.
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSampleProject } from '../../electron/services/sample/build-sample';
import { runForecast } from '../../electron/services/analysis/forecast-service';
import { ProjectFile } from '../../electron/store/project-file';
import { VerkostoError } from '../../shared/errors';
import { assertCliBuilt, run, runCli } from './cli-helpers';
import { makeTempDirectory } from '../support/temp-directory';

let temp: ReturnType<typeof makeTempDirectory>;
let sample: string;

beforeAll(async () => {
  assertCliBuilt();
  temp = makeTempDirectory('verkosto-analysis-');
  sample = path.join(temp.path, 'sample.gpkg');
  await buildSampleProject(sample);
}, 120_000);

afterAll(() => temp?.remove());

const AGES_1_6 = 'p.age_7 + p.age_8 + p.age_9 + p.age_10 + p.age_11 + p.age_12';

/** Per-catchment sums of children aged 7–12 by SpatiaLite: each unit weighted by the share of its area inside. */
function spatialiteSums(file: string, year: number, unitKind: string): Map<number, { sum: number; language: string }> {
  const sql = `SELECT CAST(c.fid AS TEXT) AS catchment, c.language AS language,
      SUM((${AGES_1_6}) * ST_Area(ST_Intersection(c.geom, u.geom)) / ST_Area(u.geom)) AS children
    FROM catchments c
    JOIN demand_units u ON ST_Intersects(c.geom, u.geom) AND u.unit_kind = '${unitKind}'
    JOIN demand_population p ON p.unit_fid = u.fid AND p.year = ${year}
    WHERE c.service = 'grades_1_6' GROUP BY c.fid, c.language ORDER BY c.fid`;
  const result = run('ogr2ogr', ['-f', 'CSV', '/vsistdout/', file, '-dialect', 'SQLite', '-sql', sql]);
  expect(result.status, result.stderr).toBe(0);
  const [header, ...lines] = result.stdout.trim().split(/\r?\n/);
  expect(header).toBe('catchment,language,children');
  return new Map(
    lines.map((line) => {
      const [catchment, language, children] = line.split(',').map((cell) => cell.replace(/^"|"$/g, ''));
      return [Number(catchment), { sum: Number(children || 0), language: language! }];
    }),
  );
}

interface JsonRow {
  level: string;
  fid: number;
  eligible: number | null;
  travelMaxM: number | null;
  gaps: string[];
}

function kpiJson(file: string, year: number): JsonRow[] {
  const result = runCli(['kpi', file, '--year', String(year), '--service', 'grades_1_6', '--level', 'catchment', '--format', 'json'], { cwd: temp.path });
  expect(result.status, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { rows: JsonRow[] }).rows;
}

describe('KPI cross-check with SpatiaLite', () => {
  it.each([
    [2015, 'grid_250m'],
    [2019, 'small_area'],
  ])('per-catchment children in %i (%s) equal the SpatiaLite area-share sums', (year, unitKind) => {
    const expected = spatialiteSums(sample, year, unitKind);
    const rows = kpiJson(sample, year);
    expect(rows.length).toBe(92);
    let compared = 0;
    for (const row of rows) {
      const reference = expected.get(row.fid);
      // The sample's default Swedish share is 5.2 %: a Finnish catchment serves 94.8 % of the children.
      const share = reference?.language === 'sv' ? 0.052 : 0.948;
      const children = (reference?.sum ?? 0) * share;
      expect(row.eligible, `catchment ${row.fid}`).not.toBeNull();
      // To 0.01 children, or 1/10 000 where the small areas' shared boundaries leave floating-point slivers that
      // GEOS (SpatiaLite) and JSTS cut slightly differently (the largest seen: 0.012 of 428 children).
      expect(Math.abs(row.eligible! - children), `catchment ${row.fid}: ${row.eligible} vs ${children}`).toBeLessThan(Math.max(0.01, children * 1e-4));
      // Journeys stay inside Helsinki (about 30 km across): a sliver's centroid never strays.
      if (row.travelMaxM !== null) expect(row.travelMaxM, `catchment ${row.fid}`).toBeLessThan(35_000);
      compared += 1;
    }
    expect(compared).toBe(92);
    const total = [...expected.values()].reduce((sum, entry) => sum + entry.sum, 0);
    expect(total).toBeGreaterThan(30_000);
  }, 60_000);
});

describe('forecast service', () => {
  it('runs the Helsinki cohort-component model into the project as one undoable step', async () => {
    const file = path.join(temp.path, 'forecast.gpkg');
    copyFileSync(sample, file);
    const project = ProjectFile.open(file);
    try {
      const outcome = await runForecast(project, 'cohort', { toYear: 2035 });
      expect(outcome).toMatchObject({ method: 'cohort', fromYear: 2020, toYear: 2035, rows: 147 * 16 });
      const years = project.db.prepare("SELECT year, SUM(total) AS total, SUM(age_7) AS age7 FROM demand_population WHERE source = 'forecast' GROUP BY year ORDER BY year").all() as { year: number; total: number; age7: number }[];
      expect(years.map((row) => row.year)).toEqual(Array.from({ length: 16 }, (_, index) => 2020 + index));
      // Helsinki's 147 mapped areas had 639 780 residents in 2019; the model grows it, within reason.
      expect(years[0]!.total).toBeGreaterThan(635_000);
      expect(years[15]!.total).toBeGreaterThan(years[0]!.total);
      expect(years[15]!.total).toBeLessThan(900_000);
      expect(JSON.parse(project.settings()['forecast.method'] as string)).toMatchObject({ method: 'cohort', fromYear: 2020, toYear: 2035 });
      project.undo();
      expect(project.db.prepare("SELECT COUNT(*) AS n FROM demand_population WHERE source = 'forecast'").get()).toEqual({ n: 0 });
      expect(project.settings()['forecast.method']).toBeUndefined();
      project.redo();
      expect(project.db.prepare("SELECT COUNT(*) AS n FROM demand_population WHERE source = 'forecast'").get()).toEqual({ n: 147 * 16 });
    } finally {
      project.close();
    }
    const kpi = runCli(['kpi', file, '--year', '2030', '--service', 'grades_1_6', '--level', 'service', '--format', 'csv'], { cwd: temp.path });
    expect(kpi.status, kpi.stderr).toBe(0);
    expect(kpi.stdout.split('\n')[0]).toMatch(/^level,fid,name,service/);
    expect(kpi.stdout).toContain('service,,grades_1_6,grades_1_6,,2030');
  }, 60_000);

  it('imports a city forecast table, and a bad table changes nothing', async () => {
    const file = path.join(temp.path, 'import.gpkg');
    copyFileSync(sample, file);
    const good = path.join(temp.path, 'forecast.csv');
    writeFileSync(good, 'area,year,age,count\n010,2025,7,40\n010,2025,8,38\n020,2025,7,3\n');
    const bad = path.join(temp.path, 'bad.csv');
    writeFileSync(bad, 'area,year,age,count\n010,2025,7,40\n999x,2025,7,5\n');
    const project = ProjectFile.open(file);
    try {
      const before = project.db.prepare('SELECT COUNT(*) AS n FROM verkosto_edit_log').get();
      await expect(runForecast(project, 'import', { input: bad })).rejects.toSatisfy((error: unknown) => error instanceof VerkostoError && error.code === 'forecastBadTable' && /999x/.test(JSON.stringify(error.params)));
      expect(project.db.prepare('SELECT COUNT(*) AS n FROM verkosto_edit_log').get()).toEqual(before);
      const outcome = await runForecast(project, 'import', { input: good });
      expect(outcome.rows).toBe(2);
      const row = project.db.prepare("SELECT p.age_7, p.age_8, p.source FROM demand_population p JOIN demand_units u ON u.fid = p.unit_fid WHERE u.code = '010' AND p.year = 2025").get();
      expect(row).toEqual({ age_7: 40, age_8: 38, source: 'forecast' });
    } finally {
      project.close();
    }
    const missing = runCli(['kpi', file, '--service', 'grades_9'], { cwd: temp.path });
    expect(missing.status).toBe(2);
    expect(missing.errorLines[0]).toMatch(/Unknown service "grades_9"/);
  }, 60_000);
});
