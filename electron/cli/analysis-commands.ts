/**
 * `verkosto kpi` and `verkosto forecast`: the same pure KPI engine the renderer's worker runs, and the
 * forecast service, from the command line.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { forecastYearsOf, KpiEngine, type KpiRow } from '../../shared/analysis/kpi';
import { allRows, KPI_COLUMNS, rowCells, toCsv, type TableOptions } from '../../shared/analysis/kpi-table';
import { DEMAND_SERVICES, isDemandService, type DemandService } from '../../shared/analysis/settings';
import { VerkostoError } from '../../shared/errors';
import { readAnalysisData } from '../services/analysis/analysis-data';
import { runForecast, type ForecastMethod } from '../services/analysis/forecast-service';
import { projectionSourceConfig } from '../services/analysis/forecast-from-projection';
import { createNetworkSource } from '../services/import/readers/network';
import type { FeatureSource } from '../../shared/import/feature-source';
import { ProjectFile } from '../store/project-file';
import type { Translate } from './messages';

export interface AnalysisCliIo {
  out: (line: string) => void;
  t: Translate;
  /** Throws the CLI's usage error (exit code 2) with a message key of the cli section. */
  usage: (key: string, params: Record<string, string | number>) => never;
}

const LEVELS = ['catchment', 'facility', 'service', 'area', 'all'] as const;
const FORMATS = ['table', 'csv', 'json', 'xlsx'] as const;

export interface KpiOptions {
  file: string;
  year?: string;
  service?: string;
  level?: string;
  format?: string;
  output?: string;
  suppress?: boolean;
}

/** The default year: the newest year that is not a forecast, else the first year. */
function defaultYear(engine: KpiEngine, forecastYears: Set<number>): number {
  const years = engine.years();
  const observed = years.filter((year) => !forecastYears.has(year));
  return observed.length ? observed[observed.length - 1]! : years[0]!;
}

export async function commandKpi(options: KpiOptions, io: AnalysisCliIo): Promise<void> {
  const format = (options.format ?? 'table') as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) io.usage('cli.kpi.badFormat', { format: options.format ?? '' });
  const level = (options.level ?? 'all') as (typeof LEVELS)[number];
  if (!LEVELS.includes(level)) io.usage('cli.kpi.badLevel', { level: options.level ?? '' });
  if (options.service !== undefined && !isDemandService(options.service)) io.usage('cli.kpi.badService', { service: options.service, services: DEMAND_SERVICES.join(', ') });
  if (format === 'xlsx' && !options.output) io.usage('cli.kpi.needsOutput', {});
  let year: number | undefined;
  if (options.year !== undefined) {
    year = Number(options.year);
    if (!/^\d{4}$/.test(options.year)) io.usage('cli.badNumber', { option: '--year', value: options.year, min: 1900, max: 2200 });
  }

  const project = ProjectFile.open(options.file);
  let data;
  try {
    data = readAnalysisData(project);
  } finally {
    project.close();
  }
  const engine = new KpiEngine(data);
  if (engine.years().length === 0) throw new VerkostoError('analysisNoPopulation');
  const forecastYears = new Set(forecastYearsOf(data.population));
  const chosenYear = year ?? defaultYear(engine, forecastYears);
  const services: DemandService[] = options.service ? [options.service as DemandService] : engine.servicesWithCatchments().length ? engine.servicesWithCatchments() : [...DEMAND_SERVICES];
  const rows: KpiRow[] = [];
  for (const service of services) {
    const result = engine.compute(chosenYear, service);
    rows.push(...allRows(result).filter((row) => level === 'all' || row.level === level));
  }
  const tableOptions: TableOptions = {
    suppressBelow: options.suppress ? engine.settings.privacyThreshold : 0,
    gapText: (code) => io.t(`analysis.gaps.${code}`),
  };
  if (format === 'json') {
    // Machine-readable: the rows as the engine gives them (nulls with their gap codes), or suppressed cells.
    const payload = options.suppress ? rows.map((row) => Object.fromEntries(KPI_COLUMNS.map((column, index) => [column, rowCells(row, tableOptions)[index]]))) : rows;
    emit(JSON.stringify({ year: chosenYear, services, rows: payload }, null, 2), options, io);
    return;
  }
  if (format === 'csv') {
    emit(toCsv(rows, tableOptions).trimEnd(), options, io);
    return;
  }
  if (format === 'xlsx') {
    const XLSX = (await import('xlsx')).default;
    const sheet = XLSX.utils.aoa_to_sheet([KPI_COLUMNS.map((column) => io.t(`analysis.columns.${column}`)), ...rows.map((row) => rowCells(row, tableOptions))]);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, `KPI ${chosenYear}`);
    writeFileSync(options.output!, XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    io.out(io.t('cli.kpi.written', { file: options.output!, rows: rows.length }));
    return;
  }
  // A readable table: the main columns, a dash for a missing value and the gaps spelled out.
  const shown = ['name', 'eligible', 'users', 'capacity', 'utilisation', 'surplus', 'travelMeanM', 'travelP90M', 'overLimitShare', 'gaps'] as const;
  const lines: string[] = [];
  for (const service of services) {
    lines.push(io.t('cli.kpi.header', { service: io.t(`values.service.${service}`), year: chosenYear, kind: engine.unitKindFor(chosenYear) ?? '–' }));
    const serviceRows = rows.filter((row) => row.service === service);
    const table = serviceRows.map((row) => {
      const cells = rowCells(row, tableOptions);
      return shown.map((column) => {
        if (column === 'name' && row.level === 'service') return io.t('analysis.network');
        const value = cells[KPI_COLUMNS.indexOf(column)];
        if (value === null || value === '') return column === 'gaps' ? '' : io.t('analysis.noValue');
        if (column === 'utilisation' && typeof value === 'number') return `${Math.round(value * 100)} %`;
        if (column === 'overLimitShare' && typeof value === 'number') return `${(value * 100).toFixed(1)} %`;
        return String(value);
      });
    });
    const header = shown.map((column) => io.t(`analysis.columns.${column}`));
    const widths = header.map((title, index) => Math.min(40, Math.max(title.length, ...table.map((cells) => cells[index]!.length))));
    const render = (cells: string[]) => cells.map((cell, index) => (index === 0 ? cell.slice(0, 40).padEnd(widths[index]!) : index === cells.length - 1 ? cell : cell.padStart(widths[index]!))).join('  ').trimEnd();
    lines.push(render(header), ...table.map(render), '');
  }
  for (const line of lines) io.out(line);
}

function emit(text: string, options: KpiOptions, io: AnalysisCliIo): void {
  if (options.output) {
    writeFileSync(options.output, `${text}\n`);
    io.out(io.t('cli.kpi.written', { file: path.basename(options.output), rows: text.split('\n').length - 1 }));
  } else io.out(text);
}

/** `--input preset:statfi-population-projection` or `--input pxweb:URL`: Statistics Finland's projection, not a file. */
function projectionInput(input: string | undefined, area: string | undefined): { source: FeatureSource; layer: string } | null {
  const spec = input ? /^(?:preset:(statfi-population-projection)|pxweb:(https?:\/\/.+))$/.exec(input.trim()) : null;
  if (!spec) return null;
  const config = projectionSourceConfig({ url: spec[2] ?? null, area: area ?? null });
  return { source: createNetworkSource(config), layer: config.layer };
}

export async function commandForecast(options: { file: string; method?: string; to?: string; input?: string; area?: string }, io: AnalysisCliIo): Promise<void> {
  const methods: ForecastMethod[] = ['cohort', 'hamilton-perry', 'import'];
  if (!options.method || !methods.includes(options.method as ForecastMethod)) io.usage('cli.forecast.badMethod', { method: options.method ?? '' });
  if (options.method === 'import' && !options.input) io.usage('cli.forecast.needsInput', {});
  let toYear: number | undefined;
  if (options.to !== undefined) {
    toYear = Number(options.to);
    if (!/^\d{4}$/.test(options.to) || toYear < 1900 || toYear > 2200) io.usage('cli.badNumber', { option: '--to', value: options.to, min: 1900, max: 2200 });
  }
  const project = ProjectFile.open(options.file);
  try {
    const projection = options.method === 'import' ? projectionInput(options.input, options.area) : null;
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once('SIGINT', stop);
    let outcome;
    try {
      outcome = await runForecast(project, options.method as ForecastMethod, {
        ...(toYear ? { toYear } : {}),
        ...(projection ? { projection, signal: controller.signal } : options.input ? { input: path.resolve(options.input) } : {}),
      });
    } finally {
      process.off('SIGINT', stop);
    }
    io.out(io.t('cli.forecast.done', { method: outcome.method, from: outcome.fromYear, to: outcome.toYear, rows: outcome.rows }));
  } finally {
    project.close();
  }
}
