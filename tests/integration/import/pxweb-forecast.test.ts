/**
 * Statistics Finland's population projection (PxWeb, one municipality by year and age 0–15) imported as a
 * forecast, from a PxWeb server on 127.0.0.1 answering in the documented formats (table metadata, POSTed
 * json-stat2 query). Each projection year after the newest observed year is shared out to the demand units
 * by their share of each age in that year: the municipality's numbers are kept exactly. One undoable
 * command; a table with several municipalities is refused with the project unchanged. The CLI runs it too.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runForecast } from '../../../electron/services/analysis/forecast-service';
import { projectionSourceConfig } from '../../../electron/services/analysis/forecast-from-projection';
import { createNetworkSource } from '../../../electron/services/import/readers/network';
import { ProjectFile } from '../../../electron/store/project-file';
import { POPULATION_AGE_COLUMNS } from '../../../electron/store/layer-tables';
import { VerkostoError } from '../../../shared/errors';
import { assertCliBuilt, CLI_BIN } from '../cli-helpers';
import { makeTempDir, square } from '../../fixtures/store-helpers';
import { startLocalServer, type LocalServer } from '../ogc/local-http-server';
import { projectBytesHash } from './import-helpers';

const run = promisify(execFile);
const AGES = Array.from({ length: 16 }, (_, age) => String(age).padStart(3, '0'));
const YEARS = ['2023', '2025', '2030'];
// Helsinki's projected children: 6000 + 10·age in 2025, 6600 + 10·age in 2030 (2023 is before the base year: not used).
const projected = (year: string, age: number) => (year === '2023' ? 5000 : year === '2025' ? 6000 : 6600) + 10 * age;

function jsonStat(areas: string[]) {
  const values: number[] = [];
  for (const _area of areas) for (const year of YEARS) for (let age = 0; age < 16; age++) values.push(projected(year, age));
  return {
    version: '2.0', class: 'dataset', label: 'Väestöennuste',
    id: ['Alue', 'Vuosi', 'Sukupuoli', 'Ikä', 'Tiedot'], size: [areas.length, YEARS.length, 1, 16, 1],
    dimension: {
      Alue: { category: { index: Object.fromEntries(areas.map((area, index) => [area, index])) } },
      Vuosi: { category: { index: Object.fromEntries(YEARS.map((year, index) => [year, index])) } },
      Sukupuoli: { category: { index: { SSS: 0 } } },
      'Ikä': { category: { index: Object.fromEntries(AGES.map((age, index) => [age, index])) } },
      Tiedot: { category: { index: { vaesto: 0 } } },
    },
    value: values,
  };
}

describe('a PxWeb population projection as a forecast', () => {
  const temp = makeTempDir('verkosto-pxweb-forecast-');
  let server: LocalServer;
  let url: string;

  beforeAll(async () => {
    server = await startLocalServer({
      '/PxWeb/api/v1/fi/StatFin/vaenn/statfin_vaenn_pxt_139f.px': (request, response) => {
        if (request.method === 'GET') {
          response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({
            title: 'Väestöennuste',
            variables: [
              { code: 'Alue', text: 'Alue', values: ['KU091', 'KU049'], valueTexts: ['Helsinki', 'Espoo'] },
              { code: 'Vuosi', text: 'Vuosi', values: YEARS, valueTexts: YEARS, time: true },
              { code: 'Sukupuoli', text: 'Sukupuoli', values: ['SSS'], valueTexts: ['Yhteensä'] },
              { code: 'Ikä', text: 'Ikä', values: AGES, valueTexts: AGES.map(Number).map(String) },
              { code: 'Tiedot', text: 'Tiedot', values: ['vaesto'], valueTexts: ['Väestö'] },
            ],
          }));
          return;
        }
        const query = JSON.parse(request.body) as { query: { code: string; selection: { values: string[] } }[] };
        const areas = query.query.find((entry) => entry.code === 'Alue')!.selection.values;
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(jsonStat(areas)));
      },
    });
    url = `${server.base}/PxWeb/api/v1/fi/StatFin`;
  });
  afterAll(async () => {
    await server?.close();
    temp.cleanup();
  });

  /** Three small areas with observed children in 2024: shares 1/6, 2/6 and 3/6 at every age. */
  function project(name: string): ProjectFile {
    const created = ProjectFile.create(temp.file(name), { epsg: 3067 });
    const fids = created.insertFeatures('demand_units', [1, 2, 3].map((n) => ({ geometry: square(3067, n * 300, 0, 250), properties: { code: `A${n}`, name: null, unit_kind: 'small_area' as const, population_total: null, population_year: null } })));
    created.insertPopulation(fids.map((fid, index) => ({ unit_fid: fid, year: 2024, source: 'observed', total: null, ages: Array.from({ length: 16 }, () => 10 * (index + 1)) })));
    return created;
  }

  it('shares each year out by the base year, keeps the totals, and is one undoable command', async () => {
    const file = project('jako.gpkg');
    try {
      const config = projectionSourceConfig({ url });
      const outcome = await runForecast(file, 'import', { projection: { source: createNetworkSource(config), layer: config.layer } });
      expect(outcome).toMatchObject({ method: 'import', fromYear: 2025, toYear: 2030, rows: 6 });
      const rows = file.db.prepare(`SELECT unit_fid, year, source, ${POPULATION_AGE_COLUMNS.join(', ')} FROM demand_population WHERE source = 'forecast' ORDER BY year, unit_fid`).all() as Record<string, number>[];
      expect(rows.map((row) => row.year)).toEqual([2025, 2025, 2025, 2030, 2030, 2030]);
      for (const year of [2025, 2030]) {
        for (let age = 0; age < 16; age++) {
          const values = rows.filter((row) => row.year === year).map((row) => row[`age_${age}`]!);
          const total = projected(String(year), age);
          expect(values.reduce((sum, value) => sum + value, 0)).toBeCloseTo(total, 2);
          expect(values[0]).toBeCloseTo(total / 6, 2);
          expect(values[2]).toBeCloseTo(total / 2, 2);
        }
      }
      expect(JSON.parse(String(file.settings()['forecast.method']))).toMatchObject({ method: 'import', area: 'KU091', baseYear: 2024 });
      // Observed rows are untouched; undo removes the forecast.
      expect((file.db.prepare("SELECT COUNT(*) AS n FROM demand_population WHERE source = 'observed'").get() as { n: number }).n).toBe(3);
      file.undo();
      expect((file.db.prepare("SELECT COUNT(*) AS n FROM demand_population WHERE source = 'forecast'").get() as { n: number }).n).toBe(0);
    } finally {
      file.close();
    }
  });

  it('refuses a table with several municipalities and leaves the project as it was', async () => {
    const reopened = project('kaksi.gpkg');
    const path = temp.file('kaksi.gpkg');
    const before = projectBytesHash(path);
    try {
      const config = projectionSourceConfig({ url });
      (config.options.tables as Record<string, { selection: Record<string, string[]> }>).projection!.selection.Alue = ['KU091', 'KU049'];
      const error = await runForecast(reopened, 'import', { projection: { source: createNetworkSource(config), layer: config.layer } }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(VerkostoError);
      expect((error as VerkostoError).code).toBe('forecastBadTable');
      expect((error as VerkostoError).message).toContain('KU091, KU049');
      expect(projectBytesHash(path)).toBe(before);
    } finally {
      reopened.close();
    }
  });

  it('runs from the command line: verkosto forecast FILE --method import --input pxweb:URL --area KU049', async () => {
    assertCliBuilt();
    const file = project('cli.gpkg');
    file.close();
    const result = await run(process.execPath, [CLI_BIN, 'forecast', temp.file('cli.gpkg'), '--method', 'import', '--input', `pxweb:${url}`, '--area', 'KU049'], { env: { ...process.env, VERKOSTO_LANG: 'en' } });
    expect(result.stdout).toContain('2025');
    const post = server.requests.filter((request) => request.method === 'POST').at(-1)!;
    expect(JSON.parse(post.body).query.find((entry: { code: string }) => entry.code === 'Alue').selection.values).toEqual(['KU049']);
    const reopened = ProjectFile.open(temp.file('cli.gpkg'));
    try {
      expect((reopened.db.prepare("SELECT COUNT(*) AS n FROM demand_population WHERE source = 'forecast'").get() as { n: number }).n).toBe(6);
    } finally {
      reopened.close();
    }
  });
});
