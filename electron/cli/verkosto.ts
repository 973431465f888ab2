/**
 * The `verkosto` command line (bundled to dist/cli/verkosto.js, started by bin/verkosto.js):
 *
 *   verkosto new FILE [--crs EPSG:n] [--name NAME]
 *   verkosto sample FILE
 *   verkosto info FILE [--json]
 *   verkosto synth FILE --units N --facilities M --years Y --seed S
 *   verkosto serve [FILE] [--port N] [--host 127.0.0.1]
 *   verkosto kpi FILE [--year Y] [--service S] [--level L] [--format table|csv|json|xlsx] [--output FILE] [--suppress]
 *   verkosto forecast FILE --method cohort|hamilton-perry|import [--to Y] [--input FILE | --input preset:statfi-population-projection [--area KU049]]
 *   verkosto import FILE SOURCE --as LAYER [--mapping NAME] …, verkosto sync FILE [--source ID] [--yes], verkosto export FILE LAYER OUT (import-commands.ts)
 *   verkosto help | --help | --version
 *
 * Messages follow VERKOSTO_LANG, LC_ALL or LANG (fi, sv, en). A problem prints ONE line to stderr:
 * exit code 2 for wrong usage (with the command's usage line), 1 for an error (errors.<code> text).
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { VerkostoError } from '../../shared/errors';
import { crsLabel, DEFAULT_PROJECT_EPSG, parseEpsgCode } from '../../shared/geo/crs';
import { packageVersion } from '../services/package-root';
import { ProjectFile } from '../store/project-file';
import { cliLanguage, createTranslator, errorMessage, type Translate } from './messages';
import { readProjectInfo, type ProjectInfo } from './project-info';

const COMMANDS = ['new', 'sample', 'info', 'synth', 'serve', 'kpi', 'forecast', 'import', 'sync', 'export', 'report', 'help'] as const;
type CommandName = (typeof COMMANDS)[number];

/** Wrong usage: the message key and parameters of the problem, and the command whose usage line to show. */
class UsageError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, string | number>,
    readonly command: CommandName | 'general',
  ) {
    super(key);
  }
}

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  t: Translate;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with node's English errors turned into usage errors in the user's language. */
function parseCommand<O extends Options>(command: CommandName, args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    const option = /'(-[^' ]+)/.exec(message)?.[1] ?? message;
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError('cli.optionNeedsValue', { option }, command);
    throw new UsageError('cli.unknownOption', { option }, command);
  }
}

function singleFile(command: CommandName, positionals: string[], required: true): string;
function singleFile(command: CommandName, positionals: string[], required: false): string | undefined;
function singleFile(command: CommandName, positionals: string[], required: boolean): string | undefined {
  if (positionals.length > 1) throw new UsageError('cli.unexpectedArgument', { argument: positionals[1]! }, command);
  const file = positionals[0];
  if (required && !file) throw new UsageError('cli.missingFile', {}, command);
  return file;
}

function wholeNumber(command: CommandName, option: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min || number > max) {
    throw new UsageError('cli.badNumber', { option: `--${option}`, value, min, max }, command);
  }
  return number;
}

/** A new file's folder must exist: say so in the user's words rather than SQLite's "unable to open". */
function checkTargetFolder(file: string): void {
  const folder = path.dirname(path.resolve(file));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new VerkostoError('fileNotFound', { file: folder });
}

function progressReporter(io: Io): ((step: string, fraction: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = '';
  return (step, fraction) => {
    const line = io.t('cli.progress', { step: io.t(`cli.steps.${step}`), percent: Math.round(fraction * 100) });
    if (line !== last) process.stderr.write(`\r\x1b[K${line}`);
    last = line;
    if (fraction >= 1) process.stderr.write('\r\x1b[K');
  };
}

const seconds = (started: number) => ((performance.now() - started) / 1000).toFixed(1);

// ---- commands ----

async function commandNew(args: string[], io: Io): Promise<void> {
  const { values, positionals } = parseCommand('new', args, { crs: { type: 'string' }, name: { type: 'string' } });
  const file = singleFile('new', positionals, true);
  const crsText = values.crs ?? `EPSG:${DEFAULT_PROJECT_EPSG}`;
  const epsg = parseEpsgCode(crsText);
  if (epsg === null) throw new VerkostoError('unsupportedCrs', { crs: crsText });
  checkTargetFolder(file);
  const project = ProjectFile.create(file, { epsg, ...(values.name ? { name: values.name } : {}) });
  project.close();
  io.out(io.t('cli.created', { file, crs: crsLabel(epsg) }));
}

async function commandSample(args: string[], io: Io): Promise<void> {
  const { positionals } = parseCommand('sample', args, {});
  const file = singleFile('sample', positionals, true);
  checkTargetFolder(file);
  const started = performance.now();
  // Loaded on use: the sample pulls in JSTS and proj4, which the other commands do not need.
  const { buildSampleProject } = await import('../services/sample/build-sample');
  const onProgress = progressReporter(io);
  await buildSampleProject(file, onProgress ? { onProgress } : {});
  io.out(io.t('cli.sampleBuilt', { file, seconds: seconds(started) }));
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function formatInfo(info: ProjectInfo, t: Translate): string[] {
  const sizeMb = (info.sizeBytes / 1_000_000).toFixed(1);
  const lines = [
    `${t('cli.info.project')}: ${info.name ?? '–'}`,
    `${t('cli.info.file')}: ${info.file} (${sizeMb} MB)`,
    `${t('cli.info.crs')}: ${info.crs.epsg == null ? '–' : `EPSG:${info.crs.epsg}${info.crs.name ? ` — ${info.crs.name}` : ''}`}`,
    `${t('cli.info.schema')}: ${info.schemaVersion}`,
    `${t('cli.info.layers')}:`,
  ];
  const nameWidth = Math.max(...info.layers.map((layer) => layer.name.length), 4);
  for (const layer of info.layers) {
    const extent = layer.extent ? `[${layer.extent.map(formatNumber).join(', ')}]` : t('cli.info.noExtent');
    lines.push(`  ${layer.name.padEnd(nameWidth)}  ${layer.geometryType.padEnd(12)}  ${t('cli.info.features', { count: layer.featureCount }).padEnd(16)}  ${extent}`);
  }
  const kinds = Object.entries(info.demandUnitKinds).map(([kind, count]) => `${kind} ${count}`);
  lines.push(`${t('cli.info.unitKinds')}: ${kinds.length ? kinds.join(', ') : t('cli.info.none')}`);
  lines.push(`${t('cli.info.populationYears')}: ${info.populationYears.length ? info.populationYears.join(', ') : t('cli.info.none')}`);
  return lines;
}

async function commandInfo(args: string[], io: Io): Promise<void> {
  const { values, positionals } = parseCommand('info', args, { json: { type: 'boolean' } });
  const file = singleFile('info', positionals, true);
  const info = readProjectInfo(file);
  if (values.json) io.out(JSON.stringify(info, null, 2));
  else for (const line of formatInfo(info, io.t)) io.out(line);
}

async function commandSynth(args: string[], io: Io): Promise<void> {
  const { values, positionals } = parseCommand('synth', args, {
    units: { type: 'string' },
    facilities: { type: 'string' },
    years: { type: 'string' },
    seed: { type: 'string' },
  });
  const file = singleFile('synth', positionals, true);
  const units = wholeNumber('synth', 'units', values.units, 10_000, 1, 2_000_000);
  const facilities = wholeNumber('synth', 'facilities', values.facilities, Math.max(1, Math.round(units / 45)), 0, 100_000);
  const years = wholeNumber('synth', 'years', values.years, 16, 1, 50);
  const seed = wholeNumber('synth', 'seed', values.seed, 1, 0, 4_294_967_295);
  checkTargetFolder(file);
  const started = performance.now();
  const { buildSyntheticProject } = await import('../services/synth/build-synthetic');
  const onProgress = progressReporter(io);
  await buildSyntheticProject(file, { units, facilities, years, seed, ...(onProgress ? { onProgress } : {}) });
  io.out(io.t('cli.synthBuilt', { file, units, facilities, years, seconds: seconds(started) }));
}

async function commandServe(args: string[], io: Io): Promise<void> {
  const { values, positionals } = parseCommand('serve', args, { port: { type: 'string' }, host: { type: 'string' } });
  const file = singleFile('serve', positionals, false);
  const port = wholeNumber('serve', 'port', values.port, 0, 0, 65_535);
  // The Node host binds 127.0.0.1 only (the token and Origin checks assume a local browser).
  const host = values.host ?? '127.0.0.1';
  if (host !== '127.0.0.1' && host !== 'localhost') throw new UsageError('cli.loopbackOnly', { host }, 'serve');
  if (file) readProjectInfo(file); // a missing or foreign file fails here, with a clear message, before the server starts
  const { startNodeHost } = await import('../host/node-host');
  const running = await startNodeHost({
    ...(file ? { projectFile: path.resolve(file) } : {}),
    port,
    log: (line) => io.err(`verkosto: ${line}`),
  });
  io.out(io.t('cli.serving', { url: running.url }));
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) process.exit(130); // a second Ctrl+C does not wait
      stopping = true;
      io.err(io.t('cli.stopping'));
      running.close().then(resolve, (error: unknown) => {
        io.err(`verkosto: ${errorMessage(io.t, error)}`);
        process.exitCode = 1;
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function commandKpiCli(args: string[], io: Io): Promise<void> {
  const { values, positionals } = parseCommand('kpi', args, {
    year: { type: 'string' },
    service: { type: 'string' },
    level: { type: 'string' },
    format: { type: 'string' },
    output: { type: 'string' },
    suppress: { type: 'boolean' },
  });
  const file = singleFile('kpi', positionals, true);
  const { commandKpi } = await import('./analysis-commands');
  const usage = (key: string, params: Record<string, string | number>): never => {
    throw new UsageError(key, params, 'kpi');
  };
  await commandKpi({ file, ...values }, { out: io.out, t: io.t, usage });
}

async function commandForecastCli(args: string[], io: Io): Promise<void> {
  const { values, positionals } = parseCommand('forecast', args, { method: { type: 'string' }, to: { type: 'string' }, input: { type: 'string' }, area: { type: 'string' } });
  const file = singleFile('forecast', positionals, true);
  const { commandForecast } = await import('./analysis-commands');
  const usage = (key: string, params: Record<string, string | number>): never => {
    throw new UsageError(key, params, 'forecast');
  };
  await commandForecast({ file, ...values }, { out: io.out, t: io.t, usage });
}

async function commandImportCli(args: string[], io: Io): Promise<void> {
  const { values, positionals } = parseCommand('import', args, {
    as: { type: 'string' },
    mapping: { type: 'string' },
    id: { type: 'string' },
    crs: { type: 'string' },
    layer: { type: 'string' },
    'swap-axes': { type: 'boolean' },
    'skip-invalid': { type: 'boolean' },
    replace: { type: 'boolean' },
    match: { type: 'string' },
    licence: { type: 'string' },
    title: { type: 'string' },
  });
  if (positionals.length < 2) throw new UsageError(positionals.length ? 'cli.import.missingSource' : 'cli.missingFile', {}, 'import');
  if (positionals.length > 2) throw new UsageError('cli.unexpectedArgument', { argument: positionals[2]! }, 'import');
  const { commandImport } = await import('./import-commands');
  const usage = (key: string, params: Record<string, string | number>): never => {
    throw new UsageError(key, params, 'import');
  };
  const { 'swap-axes': swapAxes, 'skip-invalid': skipInvalid, ...rest } = values;
  await commandImport({ file: positionals[0]!, source: positionals[1]!, ...rest, swapAxes, skipInvalid }, { out: io.out, t: io.t, usage });
}

async function commandSyncCli(args: string[], io: Io): Promise<void> {
  const { values, positionals } = parseCommand('sync', args, { source: { type: 'string' }, yes: { type: 'boolean' }, 'take-source': { type: 'boolean' } });
  const file = singleFile('sync', positionals, true);
  const { commandSync } = await import('./import-commands');
  const usage = (key: string, params: Record<string, string | number>): never => {
    throw new UsageError(key, params, 'sync');
  };
  await commandSync({ file, source: values.source, yes: values.yes, takeSource: values['take-source'] }, { out: io.out, t: io.t, usage });
}

async function commandExportCli(args: string[], io: Io): Promise<void> {
  const { values, positionals } = parseCommand('export', args, { format: { type: 'string' }, overwrite: { type: 'boolean' } });
  if (positionals.length === 0) throw new UsageError('cli.missingFile', {}, 'export');
  if (positionals.length > 3) throw new UsageError('cli.unexpectedArgument', { argument: positionals[3]! }, 'export');
  const { commandExport } = await import('./import-commands');
  const usage = (key: string, params: Record<string, string | number>): never => {
    throw new UsageError(key, params, 'export');
  };
  await commandExport({ file: positionals[0]!, layer: positionals[1], out: positionals[2], ...values }, { out: io.out, t: io.t, usage });
}

async function commandReportCli(args: string[], io: Io): Promise<void> {
  const { values, positionals } = parseCommand('report', args, { scenario: { type: 'string' }, service: { type: 'string' }, years: { type: 'string' }, format: { type: 'string' } });
  if (positionals.length === 0) throw new UsageError('cli.missingFile', {}, 'report');
  if (positionals.length === 1) throw new UsageError('cli.report.missingOut', {}, 'report');
  if (positionals.length > 2) throw new UsageError('cli.unexpectedArgument', { argument: positionals[2]! }, 'report');
  checkTargetFolder(positionals[1]!);
  const { commandReport } = await import('./report-command');
  const usage = (key: string, params: Record<string, string | number>): never => {
    throw new UsageError(key, params, 'report');
  };
  await commandReport({ file: positionals[0]!, out: positionals[1]!, ...values, language: cliLanguage() }, { out: io.out, t: io.t, usage });
}

const HANDLERS: Record<Exclude<CommandName, 'help'>, (args: string[], io: Io) => Promise<void>> = {
  report: commandReportCli,
  import: commandImportCli,
  sync: commandSyncCli,
  export: commandExportCli,
  new: commandNew,
  sample: commandSample,
  info: commandInfo,
  synth: commandSynth,
  serve: commandServe,
  kpi: commandKpiCli,
  forecast: commandForecastCli,
};

/** Runs the CLI with the arguments after `verkosto`; returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'help' || command === '--help' || command === '-h') {
      io.out(io.t('cli.help', { version: packageVersion() }));
      return 0;
    }
    if (command === '--version' || command === '-v') {
      io.out(packageVersion());
      return 0;
    }
    if (command === undefined) throw new UsageError('cli.noCommand', {}, 'general');
    if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError('cli.unknownCommand', { command }, 'general');
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(io.t(`cli.usage.${command}`));
      return 0;
    }
    await HANDLERS[command as Exclude<CommandName, 'help'>](rest, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`verkosto: ${io.t('cli.badUsage', { problem: io.t(error.key, error.params), usage: io.t(`cli.usage.${error.command}`) })}`);
      return 2;
    }
    io.err(`verkosto: ${errorMessage(io.t, error)}`);
    return 1;
  }
}

const translate = await createTranslator(cliLanguage());
process.exitCode = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  t: translate,
});
