/**
 * Population forecasts for a project, stored in demand_population with source 'forecast' as ONE undoable
 * command (`forecast.apply`) together with the method and its parameters (setting `forecast.method`):
 *
 * - `cohort`: the cohort-component projection (shared/analysis/forecast.ts) of Helsinki's small areas from
 *   the 2019 base population with the Helsinki pilot model's real inputs (resources/forecast-helsinki/,
 *   see its SOURCES.md): fertility by mother's age and mortality by sex and age (Statistics Finland's 2019
 *   projection for Helsinki), in- and out-migration totals per area with age profiles per migration type,
 *   and residents of new housing from the city's housing programme.
 * - `hamilton-perry`: cohort change ratios between the project's two latest observed years.
 * - `import`: a city's own forecast table (CSV or XLSX; long `area,year,age,count` or wide `area,year,age_0…age_15`).
 *
 * Observed rows are never overwritten; a new forecast replaces the previous one (the old rows are in the
 * undo step). A bad table changes nothing and names the problem.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { cohortComponentSteps, projectHamiltonPerry, type AreaFlows, type ProjectedArea, type YearRates } from '../../../shared/analysis/forecast';
import type { Patch, RowChange } from '../../../shared/domain/commands';
import type { EditResult } from '../../../shared/domain/commands';
import { VerkostoError } from '../../../shared/errors';
import { POPULATION_AGE_COLUMNS } from '../../store/layer-tables';
import { nextFid } from '../../store/plan-command';
import type { ProjectFile } from '../../store/project-file';
import { defaultSampleDataDirectory } from '../sample/build-sample';
import type { FeatureSource } from '../../../shared/import/feature-source';
import { distributeProjection, readProjection } from './forecast-from-projection';

export type ForecastMethod = 'cohort' | 'hamilton-perry' | 'import';

export interface ForecastRow {
  unitFid: number;
  year: number;
  /** Residents aged 0–15. */
  ages: number[];
  /** All ages, when the method knows them (the cohort model does; Hamilton–Perry on 0–15 does not). */
  total: number | null;
}

export interface ForecastOutcome {
  method: ForecastMethod;
  fromYear: number;
  toYear: number;
  rows: number;
  /** Unit-years left alone because an observed row exists there. */
  keptObserved: number;
  edit: EditResult;
}

export interface ForecastOptions {
  toYear?: number;
  /** Pause between the steps of the cohort model (the end-to-end test's window to press Cancel); default 0. */
  stepDelayMs?: number;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

// ---- reading the shipped model inputs ----

const FORECAST_DATA_RELATIVE = path.join('resources', 'forecast-helsinki');

export function forecastDataDirectory(): string {
  const candidates: string[] = [];
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    candidates.push(path.join(directory, FORECAST_DATA_RELATIVE));
    const parent = path.dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(path.join(resourcesPath, 'forecast-helsinki'));
  const found = candidates.find((candidate) => existsSync(path.join(candidate, 'fertility.csv')));
  if (!found) throw new VerkostoError('forecastNoBase', { detail: FORECAST_DATA_RELATIVE });
  return found;
}

/** A simple numeric CSV (the vendored files: no quotes, no commas in values). */
function readCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').split(/\r?\n/).filter((line) => line.trim() !== '');
  const names = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((name, index) => [name, cells[index] ?? '']));
  });
}

const num = (value: string | undefined) => {
  const number = Number(value);
  return Number.isFinite(number) ? number : 0;
};
const series = (row: Record<string, string>, prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => num(row[`${prefix}${from + index}`]));

interface HelsinkiModel {
  baseYear: number;
  base: Map<string, { male: number[]; female: number[] }>;
  rates: Map<number, YearRates>;
  flows: (area: string, year: number) => AreaFlows;
}

/** The Helsinki pilot model's inputs, keyed by the 3-digit osa-alue code demand units carry. */
export function loadHelsinkiModel(directory = forecastDataDirectory(), baseFile = path.join(defaultSampleDataDirectory(), 'helsinki_vaesto_2019_osaalue_ika_sukupuoli.csv')): HelsinkiModel {
  const base = new Map<string, { male: number[]; female: number[] }>();
  for (const row of readCsv(baseFile)) {
    base.set(row.osaalue_tunnus!, { male: series(row, 'm', 0, 99), female: series(row, 'n', 0, 99) });
  }
  const rates = new Map<number, YearRates>();
  const fertility = new Map(readCsv(path.join(directory, 'fertility.csv')).map((row) => [num(row.vuosi), row]));
  for (const row of readCsv(path.join(directory, 'mortality.csv'))) {
    const year = num(row.vuosi);
    const births = fertility.get(year);
    rates.set(year, {
      mortalityMale: series(row, 'mkv', 0, 99).map((rate) => rate / 1000),
      mortalityFemale: series(row, 'nkv', 0, 99).map((rate) => rate / 1000),
      // ‰ by mother's age 15–49 → births per woman at index = age.
      fertility: Array.from({ length: 100 }, (_, age) => (births && age >= 15 && age <= 49 ? num(births[`h${age}`]) / 1000 : 0)),
    });
  }
  const profiles = new Map(readCsv(path.join(directory, 'migration-profiles.csv')).map((row) => [row.muuttotyyp!, { in: series(row, 'tmos', 0, 99), out: series(row, 'lmos', 0, 99) }]));
  const areaParams = new Map(readCsv(path.join(directory, 'area-params.csv')).map((row) => [String(num(row.alue)).padStart(3, '0'), row]));
  const housingTypes = new Map(readCsv(path.join(directory, 'new-housing-types.csv')).map((row) => [row.Tyyppi!, row]));
  const residentAges = new Map(readCsv(path.join(directory, 'new-resident-ages.csv')).map((row) => [row.Tyyppi!, series(row, 'os', 0, 99)]));
  // New residents per area and year (index 0 = 2020): floor area × occupied share ÷ floor area per resident.
  const housing = new Map<string, { total: number[]; ages: number[][] }>();
  for (const row of readCsv(path.join(directory, 'housing-completions.csv'))) {
    const area = String(num(row.alue)).padStart(3, '0');
    const type = housingTypes.get(row.Tyyppi!);
    const ages = residentAges.get(row.Tyyppi!);
    if (!type || !ages) continue;
    const perResident = num(type.alkuvalj);
    const occupied = 1 - num(type.tyhos) / 100;
    const entry = housing.get(area) ?? { total: new Array(16).fill(0), ages: Array.from({ length: 16 }, () => new Array(100).fill(0)) };
    const ageTotal = ages.reduce((sum, value) => sum + value, 0) || 1;
    for (let index = 0; index < 16; index += 1) {
      const residents = perResident > 0 ? (num(row[`Vv${index + 1}`]) * occupied) / perResident : 0;
      entry.total[index] += residents;
      for (let age = 0; age < 100; age += 1) entry.ages[index]![age] += (residents * ages[age]!) / ageTotal;
    }
    housing.set(area, entry);
  }
  const none = new Array(100).fill(0);
  return {
    baseYear: 2019,
    base,
    rates,
    flows: (area, year) => {
      const params = areaParams.get(area);
      const profile = params ? profiles.get(String(num(params.muuttotyyp))) : undefined;
      const built = housing.get(area);
      const index = year - 2020;
      return {
        outTotal: params ? num(params.lmyht) : 0,
        outDistribution: profile?.out ?? none,
        inTotal: params ? num(params.tmyht) : 0,
        inDistribution: profile?.in ?? none,
        newResidents: built && index >= 0 && index < 16 ? built.total[index]! : 0,
        newDistribution: built && index >= 0 && index < 16 ? built.ages[index]! : none,
        fertilityFactor: params ? 1 + num(params.hedero) / 100 : 1,
        mortalityFactor: params ? 1 + num(params.kvero) / 100 : 1,
      };
    },
  };
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new VerkostoError('forecastCancelled');
}

/** Lets other work (a Cancel, a progress event) through between steps of a long computation. */
const yieldToEventLoop = (delayMs = 0) => new Promise<void>((resolve) => (delayMs > 0 ? setTimeout(resolve, delayMs) : setImmediate(resolve)));

/** The cohort-component projection of the project's Helsinki small areas, a year per step (cancellable between years). */
export async function cohortForecastRows(db: Database.Database, options: ForecastOptions = {}): Promise<{ rows: ForecastRow[]; fromYear: number; toYear: number }> {
  const model = loadHelsinkiModel();
  const toYear = Math.min(options.toYear ?? 2035, 2040);
  const units = db.prepare("SELECT fid, code FROM demand_units WHERE unit_kind = 'small_area'").all() as { fid: number; code: string }[];
  const unitByCode = new Map(units.map((unit) => [unit.code, unit.fid]));
  const areas = [...model.base].filter(([code]) => unitByCode.has(code)).map(([code, population]) => ({ area: code, ...population }));
  if (areas.length === 0) throw new VerkostoError('forecastNoBase', { detail: 'no small areas with Helsinki osa-alue codes' });
  const steps = cohortComponentSteps({
    baseYear: model.baseYear,
    lastYear: toYear,
    areas,
    rates: (year) => model.rates.get(year) ?? model.rates.get(Math.max(...model.rates.keys()))!,
    flows: model.flows,
  });
  let projected: ProjectedArea[];
  for (;;) {
    checkCancelled(options.signal);
    const step = steps.next();
    if (step.done) {
      projected = step.value;
      break;
    }
    options.onProgress?.(step.value);
    await yieldToEventLoop(options.stepDelayMs);
  }
  const rows = projected.map((entry) => ({
    unitFid: unitByCode.get(entry.area)!,
    year: entry.year,
    ages: Array.from({ length: 16 }, (_, age) => entry.male[age]! + entry.female[age]!),
    total: entry.male.reduce((sum, value) => sum + value, 0) + entry.female.reduce((sum, value) => sum + value, 0),
  }));
  return { rows, fromYear: model.baseYear + 1, toYear };
}

/** Hamilton–Perry from the two latest observed (or estimated) years of one unit kind. */
export function hamiltonPerryRows(db: Database.Database, options: ForecastOptions = {}): { rows: ForecastRow[]; fromYear: number; toYear: number } {
  const candidates = db
    .prepare(
      `SELECT u.unit_kind AS kind, p.year AS year, COUNT(*) AS n FROM demand_population p JOIN demand_units u ON u.fid = p.unit_fid
       WHERE p.source IN ('observed', 'estimated') GROUP BY u.unit_kind, p.year ORDER BY u.unit_kind, p.year`,
    )
    .all() as { kind: string; year: number; n: number }[];
  const byKind = new Map<string, number[]>();
  for (const row of candidates) byKind.set(row.kind, [...(byKind.get(row.kind) ?? []), row.year]);
  const usable = [...byKind].filter(([, years]) => years.length >= 2);
  if (usable.length === 0) throw new VerkostoError('forecastNoBase', { detail: 'Hamilton–Perry needs two observed years of the same units' });
  const [kind, years] = usable[0]!;
  const firstYear = years[years.length - 2]!;
  const secondYear = years[years.length - 1]!;
  const toYear = options.toYear ?? secondYear + 16;
  const read = (year: number) =>
    new Map(
      (
        db
          .prepare(`SELECT p.unit_fid AS fid, ${POPULATION_AGE_COLUMNS.map((c) => `p.${c}`).join(', ')} FROM demand_population p JOIN demand_units u ON u.fid = p.unit_fid WHERE u.unit_kind = ? AND p.year = ?`)
          .all(kind, year) as Record<string, number | null>[]
      ).map((row) => [String(row.fid), POPULATION_AGE_COLUMNS.map((column) => row[column] ?? 0)]),
    );
  checkCancelled(options.signal);
  options.onProgress?.(0.5);
  const projected = projectHamiltonPerry({ firstYear, secondYear, first: read(firstYear), second: read(secondYear), lastYear: toYear });
  options.onProgress?.(1);
  return { rows: projected.map((entry) => ({ unitFid: Number(entry.area), year: entry.year, ages: entry.ages, total: null })), fromYear: secondYear + 1, toYear };
}

// ---- importing a city's forecast table ----

function normaliseHeader(name: unknown): string {
  return String(name ?? '').trim().toLowerCase();
}

/** Reads a forecast table (CSV or XLSX) into rows keyed by unit code. */
export async function readForecastTable(file: string): Promise<{ code: string; year: number; ages: number[] }[]> {
  if (!existsSync(file)) throw new VerkostoError('fileNotFound', { file });
  const XLSX = (await import('xlsx')).default;
  let records: unknown[][];
  try {
    // CSV as text with raw cells, so an area code such as "010" stays a string; XLSX cells keep their types.
    const book = /\.(csv|txt)$/i.test(file) ? XLSX.read(readFileSync(file, 'utf8'), { type: 'string', raw: true }) : XLSX.read(readFileSync(file), { type: 'buffer' });
    records = XLSX.utils.sheet_to_json(book.Sheets[book.SheetNames[0]!]!, { header: 1, defval: null, raw: true }) as unknown[][];
  } catch (error) {
    throw new VerkostoError('forecastBadTable', { detail: error instanceof Error ? error.message : String(error) });
  }
  const header = (records[0] ?? []).map(normaliseHeader);
  const column = (...names: string[]) => header.findIndex((name) => names.includes(name));
  const areaColumn = column('area', 'alue', 'code', 'koodi', 'osaalue', 'osaalue_tunnus');
  const yearColumn = column('year', 'vuosi');
  const ageColumn = column('age', 'ika', 'ikä');
  const countColumn = column('count', 'lkm', 'value', 'arvo', 'vaesto', 'väestö');
  const wideColumns = Array.from({ length: 16 }, (_, age) => column(`age_${age}`, `ika_${age}`, `ikä_${age}`));
  const wide = wideColumns.every((index) => index >= 0);
  if (areaColumn < 0 || yearColumn < 0 || (!wide && (ageColumn < 0 || countColumn < 0))) {
    throw new VerkostoError('forecastBadTable', { detail: 'the header needs area, year and either age + count or age_0 … age_15' });
  }
  const rows = new Map<string, { code: string; year: number; ages: number[] }>();
  records.slice(1).forEach((record, index) => {
    if (record.every((cell) => cell === null || cell === '')) return;
    const line = index + 2;
    const code = String(record[areaColumn] ?? '').trim().replace(/^"|"$/g, '');
    const year = Number(record[yearColumn]);
    if (!code || !Number.isInteger(year) || year < 1900 || year > 2200) throw new VerkostoError('forecastBadTable', { detail: `row ${line}: area or year missing` });
    const key = `${code}:${year}`;
    const entry = rows.get(key) ?? { code, year, ages: new Array(16).fill(0) };
    const readCount = (value: unknown) => {
      const count = typeof value === 'number' ? value : Number(String(value ?? '').replace(',', '.'));
      if (!Number.isFinite(count) || count < 0) throw new VerkostoError('forecastBadTable', { detail: `row ${line}: "${String(value)}" is not a count` });
      return count;
    };
    if (wide) wideColumns.forEach((columnIndex, age) => (entry.ages[age] = readCount(record[columnIndex])));
    else {
      const age = Number(record[ageColumn]);
      if (!Number.isInteger(age) || age < 0) throw new VerkostoError('forecastBadTable', { detail: `row ${line}: age "${String(record[ageColumn])}"` });
      if (age <= 15) entry.ages[age] += readCount(record[countColumn]);
    }
    rows.set(key, entry);
  });
  if (rows.size === 0) throw new VerkostoError('forecastBadTable', { detail: 'no rows' });
  return [...rows.values()];
}

export function importedForecastRows(db: Database.Database, table: { code: string; year: number; ages: number[] }[]): { rows: ForecastRow[]; fromYear: number; toYear: number } {
  const units = db.prepare('SELECT fid, code, unit_kind FROM demand_units ORDER BY unit_kind = \'small_area\' DESC, fid').all() as { fid: number; code: string }[];
  const byCode = new Map<string, number>();
  for (const unit of units) if (!byCode.has(unit.code)) byCode.set(unit.code, unit.fid);
  const unknown = [...new Set(table.filter((row) => !byCode.has(row.code)).map((row) => row.code))];
  if (unknown.length) throw new VerkostoError('forecastBadTable', { detail: `unknown area codes ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ' …' : ''}` });
  const years = table.map((row) => row.year);
  return { rows: table.map((row) => ({ unitFid: byCode.get(row.code)!, year: row.year, ages: row.ages, total: null })), fromYear: Math.min(...years), toYear: Math.max(...years) };
}

// ---- storing ----

/** The patch that replaces the project's forecast rows with `rows` (observed rows stay) and records the method. */
export function planForecastPatch(db: Database.Database, rows: ForecastRow[], method: Record<string, unknown>): { patch: Patch; keptObserved: number } {
  const existing = db.prepare(`SELECT fid, unit_fid, year, source, total, ${POPULATION_AGE_COLUMNS.join(', ')} FROM demand_population`).all() as Record<string, unknown>[];
  const byKey = new Map(existing.map((row) => [`${row.unit_fid}:${row.year}`, row]));
  const patch: Patch = [];
  const written = new Set<string>();
  let fid = nextFid(db, 'demand_population');
  let keptObserved = 0;
  const values = (row: ForecastRow) => ({
    unit_fid: row.unitFid,
    year: row.year,
    source: 'forecast',
    total: row.total === null ? null : Math.round(row.total * 1000) / 1000,
    ...Object.fromEntries(POPULATION_AGE_COLUMNS.map((column, age) => [column, Math.round((row.ages[age] ?? 0) * 1000) / 1000])),
  });
  const pick = (row: Record<string, unknown>) => Object.fromEntries(['unit_fid', 'year', 'source', 'total', ...POPULATION_AGE_COLUMNS].map((column) => [column, row[column] ?? null]));
  for (const row of rows) {
    const key = `${row.unitFid}:${row.year}`;
    if (written.has(key)) continue;
    written.add(key);
    const old = byKey.get(key);
    if (old && old.source !== 'forecast') {
      keptObserved += 1;
      continue;
    }
    const change: RowChange = old ? { table: 'demand_population', key: old.fid as number, before: pick(old), after: values(row) } : { table: 'demand_population', key: fid++, before: null, after: values(row) };
    patch.push(change);
  }
  for (const old of existing) {
    if (old.source === 'forecast' && !written.has(`${old.unit_fid}:${old.year}`)) patch.push({ table: 'demand_population', key: old.fid as number, before: pick(old), after: null });
  }
  const previous = db.prepare("SELECT value FROM verkosto_settings WHERE key = 'forecast.method'").get() as { value: string | null } | undefined;
  patch.push({
    table: 'verkosto_settings',
    key: 'forecast.method',
    before: previous ? { value: previous.value == null ? null : JSON.parse(previous.value) } : null,
    after: { value: JSON.stringify(method) },
  });
  return { patch, keptObserved };
}

/** Runs a forecast method and stores its rows as one undoable command. */
export async function runForecast(
  project: ProjectFile,
  method: ForecastMethod,
  options: ForecastOptions & { input?: string; inputName?: string; projection?: { source: FeatureSource; layer: string } } = {},
): Promise<ForecastOutcome> {
  let result: { rows: ForecastRow[]; fromYear: number; toYear: number };
  let parameters: Record<string, unknown>;
  if (method === 'cohort') {
    result = await cohortForecastRows(project.db, options);
    parameters = { inputs: 'resources/forecast-helsinki (Helsinki small-area forecast pilot, base year 2019)', boysShare: 0.512 };
  } else if (method === 'hamilton-perry') {
    result = hamiltonPerryRows(project.db, options);
    parameters = {};
  } else if (options.projection) {
    // A municipal projection (Statistics Finland PxWeb) shared out to the demand units.
    const distributed = distributeProjection(project.db, await readProjection(options.projection.source, options.projection.layer, options.signal));
    result = distributed;
    parameters = { source: options.projection.source.description, area: distributed.area, baseYear: distributed.baseYear, distribution: 'by each unit’s share of each age in the base year' };
  } else {
    if (!options.input) throw new VerkostoError('forecastBadTable', { detail: 'no file' });
    const table = await readForecastTable(options.input);
    checkCancelled(options.signal);
    options.onProgress?.(0.5);
    result = importedForecastRows(project.db, table);
    parameters = { file: options.inputName ?? path.basename(options.input) };
  }
  checkCancelled(options.signal);
  let keptObserved = 0;
  const edit = project.runCommand({ type: 'forecast.apply', method, fromYear: result.fromYear, toYear: result.toYear, rows: result.rows.length }, (db) => {
    const planned = planForecastPatch(db, result.rows, { method, fromYear: result.fromYear, toYear: result.toYear, ...parameters, computedAt: new Date().toISOString() });
    keptObserved = planned.keptObserved;
    return planned.patch;
  });
  return { method, fromYear: result.fromYear, toYear: result.toYear, rows: result.rows.length, keptObserved, edit };
}
