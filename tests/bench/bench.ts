/**
 * Verkosto benchmark (`npm run bench` = build, then `node --expose-gc dist/bench/bench.js`).
 *
 * Builds, in a temporary folder, the Helsinki sample and a synthetic national-scale project (100,000 grid
 * cells × 16 years × 2,200 facilities by default), then measures for each: build time, file size, the time
 * to open it with ProjectFile.open and read every layer's features (what opening a project in the app
 * costs), peak resident memory of each step, and — as a peer in the same run, on the same file — GDAL
 * reading it (`ogrinfo -so -al`, and `ogr2ogr -f GeoJSON /vsistdout/ FILE demand_units` to /dev/null).
 * Every measured step runs in its own child process so its peak RSS is its own. Prints a markdown table.
 * Nothing here fails a test; it is a measurement.
 *
 *   node --expose-gc dist/bench/bench.js [--units N] [--facilities M] [--years Y] [--runs R] [--keep] [--import-points N (0 = skip)]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LAYER_IDS } from '../../shared/domain/project';

interface StepResult {
  seconds: number;
  peakRssMb: number;
  detail?: Record<string, number>;
}

const selfPath = fileURLToPath(import.meta.url);
const megabytes = (bytes: number) => bytes / 1_000_000;
const peakRssMb = () => process.resourceUsage().maxRSS / 1000; // maxRSS is in kilobytes

// ---- child: one measured step, result as JSON on stdout ----

async function runChild(step: string, args: string[]): Promise<void> {
  const started = performance.now();
  const detail: Record<string, number> = {};
  if (step === 'build-sample') {
    const { buildSampleProject } = await import('../../electron/services/sample/build-sample');
    await buildSampleProject(args[0]!);
  } else if (step === 'build-synth') {
    const { buildSyntheticProject } = await import('../../electron/services/synth/build-synthetic');
    const [file, units, facilities, years] = args;
    await buildSyntheticProject(file!, { units: Number(units), facilities: Number(facilities), years: Number(years), seed: 2025 });
  } else if (step === 'open') {
    const { ProjectFile } = await import('../../electron/store/project-file');
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const project = ProjectFile.open(args[0]!);
    detail.openSeconds = (performance.now() - started) / 1000;
    let features = 0;
    const held: unknown[] = [];
    for (const layer of LAYER_IDS) {
      const layerStarted = performance.now();
      const collection = project.readFeatures(layer);
      held.push(collection);
      features += collection.features.length;
      detail[`${layer}Seconds`] = (performance.now() - layerStarted) / 1000;
    }
    detail.features = features;
    // What the read features keep alive (needs --expose-gc; otherwise includes garbage).
    gc?.();
    detail.heldHeapMb = megabytes(process.memoryUsage().heapUsed - heapBefore);
    detail.heldCollections = held.length;
    detail.populationRows = (project.db.prepare('SELECT COUNT(*) AS n FROM demand_population').get() as { n: number }).n;
    project.close();
  } else if (step.startsWith('analysis-')) {
    const { runAnalysisChild } = await import('./analysis-bench');
    Object.assign(detail, await runAnalysisChild(step, args));
  } else if (step.startsWith('editpath-')) {
    const { runEditPathChild } = await import('./edit-path-bench');
    Object.assign(detail, await runEditPathChild(step, args));
  } else if (step.startsWith('scenario-')) {
    const { runScenarioChild } = await import('./scenario-bench');
    Object.assign(detail, await runScenarioChild(step, args));
  } else if (step.startsWith('import-')) {
    const { runImportChild } = await import('./import-bench');
    Object.assign(detail, await runImportChild(step, args));
  } else {
    throw new Error(`unknown bench step ${step}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const result: StepResult = { seconds, peakRssMb: peakRssMb(), detail };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function child(step: string, args: string[]): StepResult {
  const result = spawnSync(process.execPath, ['--expose-gc', selfPath, '--child', step, ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`bench step ${step} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as StepResult;
}

function timeCommand(command: string, args: string[]): number {
  const started = performance.now();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  return (performance.now() - started) / 1000;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

function repeat<T>(times: number, measure: (run: number) => T): T[] {
  return Array.from({ length: times }, (_, run) => measure(run));
}

// ---- parent: orchestrates, prints the table ----

interface Column {
  label: string;
  buildSeconds: number;
  buildRuns: number;
  buildPeakMb: number;
  sizeMb: number;
  features: number;
  populationRows: number;
  openSeconds: number;
  openOnlySeconds: number;
  demandUnitsSeconds: number;
  openPeakMb: number;
  heldHeapMb: number;
  ogrinfoSeconds: number;
  ogr2ogrSeconds: number;
}

function measureProject(label: string, files: string[], build: (file: string) => StepResult, runs: number): Column {
  const builds = files.map((file) => build(file));
  const file = files[0]!;
  const opens = repeat(runs, () => child('open', [file]));
  const ogrinfo = repeat(runs, () => timeCommand('ogrinfo', ['-so', '-al', file]));
  const ogr2ogr = repeat(runs, () => timeCommand('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', file, 'demand_units']));
  return {
    label,
    buildSeconds: median(builds.map((result) => result.seconds)),
    buildRuns: builds.length,
    buildPeakMb: Math.max(...builds.map((result) => result.peakRssMb)),
    sizeMb: megabytes(statSync(file).size),
    features: opens[0]!.detail!.features!,
    populationRows: opens[0]!.detail!.populationRows!,
    openSeconds: median(opens.map((result) => result.seconds)),
    openOnlySeconds: median(opens.map((result) => result.detail!.openSeconds!)),
    demandUnitsSeconds: median(opens.map((result) => result.detail!.demand_unitsSeconds!)),
    openPeakMb: Math.max(...opens.map((result) => result.peakRssMb)),
    heldHeapMb: median(opens.map((result) => result.detail!.heldHeapMb!)),
    ogrinfoSeconds: median(ogrinfo),
    ogr2ogrSeconds: median(ogr2ogr),
  };
}

async function runParent(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      units: { type: 'string', default: '100000' },
      facilities: { type: 'string', default: '2200' },
      years: { type: 'string', default: '16' },
      runs: { type: 'string', default: '3' },
      keep: { type: 'boolean', default: false },
      'import-points': { type: 'string', default: '1000000' },
    },
  });
  const units = Number(values.units);
  const facilities = Number(values.facilities);
  const years = Number(values.years);
  const runs = Math.max(1, Number(values.runs));
  const directory = mkdtempSync(path.join(os.tmpdir(), 'verkosto-bench-'));
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
  try {
    log(`working in ${directory}`);
    log('sample: building and reading …');
    const sample = measureProject(
      'Helsinki sample',
      repeat(runs, (run) => path.join(directory, `sample-${run}.gpkg`)),
      (file) => child('build-sample', [file]),
      runs,
    );
    log(`synthetic ${units} units × ${years} years × ${facilities} facilities: building (once) and reading …`);
    const synthetic = measureProject(
      `synthetic ${units.toLocaleString('en')} × ${years} y`,
      [path.join(directory, 'synthetic.gpkg')],
      (file) => child('build-synth', [file, String(units), String(facilities), String(years)]),
      runs,
    );
    printTable([sample, synthetic], runs);
    (await import('./analysis-bench')).measureAnalysis(
      [
        { label: 'Helsinki sample', file: path.join(directory, 'sample-0.gpkg') },
        { label: sample === synthetic ? 'synthetic' : synthetic.label, file: path.join(directory, 'synthetic.gpkg') },
      ],
      child,
      log,
    );
    (await import('./edit-path-bench')).measureEditPath(
      [
        { label: 'Helsinki sample', file: path.join(directory, 'sample-0.gpkg') },
        { label: synthetic.label, file: path.join(directory, 'synthetic.gpkg') },
      ],
      child,
      log,
    );
    (await import('./scenario-bench')).measureScenarios(
      [
        { label: 'Helsinki sample', file: path.join(directory, 'sample-0.gpkg') },
        { label: synthetic.label, file: path.join(directory, 'synthetic.gpkg') },
      ],
      child,
      log,
    );
    await (await import('./editing-bench')).measureEditing(path.join(directory, 'sample-0.gpkg'), log);
    const importPoints = Number(values['import-points']);
    if (importPoints > 0) (await import('./import-bench')).measureImports(directory, child, log, importPoints);
  } finally {
    if (values.keep) log(`kept ${directory}`);
    else rmSync(directory, { recursive: true, force: true });
  }
}

function printTable(columns: Column[], runs: number): void {
  const s = (value: number) => value.toFixed(value < 10 ? 2 : 1);
  const rows: [string, (column: Column) => string][] = [
    ['build (s)', (c) => `${s(c.buildSeconds)} (${c.buildRuns === 1 ? '1 run' : `median of ${c.buildRuns}`})`],
    ['build peak RSS (MB)', (c) => c.buildPeakMb.toFixed(0)],
    ['file size (MB)', (c) => c.sizeMb.toFixed(1)],
    ['features (all layers)', (c) => c.features.toLocaleString('en')],
    ['population rows', (c) => c.populationRows.toLocaleString('en')],
    ['ProjectFile.open (s)', (c) => s(c.openOnlySeconds)],
    ['open + read every layer (s)', (c) => s(c.openSeconds)],
    ['… of which demand_units (s)', (c) => s(c.demandUnitsSeconds)],
    ['open + read peak RSS (MB)', (c) => c.openPeakMb.toFixed(0)],
    ['JS heap held by the read features (MB)', (c) => c.heldHeapMb.toFixed(0)],
    ['peer: GDAL `ogrinfo -so -al` (s)', (c) => s(c.ogrinfoSeconds)],
    ['peer: GDAL `ogr2ogr` demand_units → GeoJSON (s)', (c) => s(c.ogr2ogrSeconds)],
  ];
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `Verkosto bench — node ${process.version}, ${os.cpus().length} × ${cpu}, ${new Date().toISOString().slice(0, 10)}; medians of ${runs} runs unless noted`,
    '',
    `| measurement | ${columns.map((column) => column.label).join(' | ')} |`,
    `|---|${columns.map(() => '---:').join('|')}|`,
    ...rows.map(([label, cell]) => `| ${label} | ${columns.map(cell).join(' | ')} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

const childIndex = process.argv.indexOf('--child');
if (childIndex >= 0) await runChild(process.argv[childIndex + 1]!, process.argv.slice(childIndex + 2));
else await runParent();
