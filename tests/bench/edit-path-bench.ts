/**
 * Edit-path benchmark (part of `npm run bench`): the time from a catchment edit command on the host to the
 * worker's updated KPIs, in Node without a browser — the host service call (through the contract's one
 * door, zod validation, and JSON as over the WebSocket), the read of what the edit changed, the renderer's
 * KPI handler applying it, and the compute the app then asks for: the year shown (the panel's figures; the
 * measured end), then the series of every year for the charts, reported beside it. The delta path (getAnalysisChanges) and the old full-refetch path (getAnalysisData
 * and a diff of everything in the worker) run on the same file in the same process, one after the other.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Position } from '../../shared/geo/geometry';

interface StepResult {
  seconds: number;
  peakRssMb: number;
  detail?: Record<string, number>;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Child step `editpath-measure FILE`: edits a copy of FILE. */
export async function runEditPathChild(step: string, args: string[]): Promise<Record<string, number>> {
  if (step !== 'editpath-measure') throw new Error(`unknown edit-path step ${step}`);
  const { createHost } = await import('../../electron/services/host');
  const { dispatchCall } = await import('../../electron/host/dispatch');
  const { analysisChangesFor } = await import('../../shared/analysis/analysis-delta');
  const { createKpiHandler } = await import('../../renderer/analysis/kpi-handler');
  const folder = mkdtempSync(path.join(os.tmpdir(), 'verkosto-editpath-'));
  const file = path.join(folder, 'plan.gpkg');
  copyFileSync(args[0]!, file);
  const host = createHost({ kind: 'browser', version: 'bench', dataDirectory: folder, projectsDirectory: folder, allowedRoots: [folder], emit: () => {} });
  // As over the WebSocket: the envelope is JSON text on the wire, parsed on the other side.
  let bytes = 0;
  const call = async <T>(method: string, body: unknown): Promise<T> => {
    const text = JSON.stringify(await dispatchCall(host, method, body));
    bytes += text.length;
    const envelope = JSON.parse(text) as { ok: boolean; result: T; error?: { message: string } };
    if (!envelope.ok) throw new Error(`${method}: ${envelope.error?.message}`);
    return envelope.result;
  };
  type Message = Parameters<Parameters<typeof createKpiHandler>[0]>[0];
  let lastMessage: Message | null = null;
  let resultAt = 0;
  const handle = createKpiHandler((message) => {
    if (message.type === 'error') throw new Error(message.message);
    if (message.type === 'result') resultAt = performance.now();
    lastMessage = message;
  });
  try {
    await call('openProject', { path: file });
    const data = await call<import('../../shared/analysis/kpi').AnalysisData>('getAnalysisData', {});
    handle({ type: 'load', data });
    const loaded = lastMessage as unknown as Extract<Message, { type: 'loaded' }>;
    const service = loaded.services[0]!;
    const observed = loaded.years.filter((year) => !loaded.forecastYears.includes(year));
    const year = observed[observed.length - 1] ?? loaded.years[0]!;
    handle({ type: 'compute', id: 0, year, service, withSeries: true }); // the first pass (overlaps), not measured
    // A vertex two catchments of one set share, moved 4 m and back: a real topological edit of two catchments.
    const language = data.catchments.find((c) => c.service === service)!.language;
    const owners = new Map<string, number[]>();
    for (const c of data.catchments) {
      if (c.service !== service || c.language !== language || !c.geometry) continue;
      for (const polygon of c.geometry.coordinates) for (const ring of polygon) for (const p of ring.slice(1)) owners.set(`${p[0]},${p[1]}`, [...(owners.get(`${p[0]},${p[1]}`) ?? []), c.fid]);
    }
    const shared = [...owners].find(([, fids]) => new Set(fids).size === 2);
    if (!shared) throw new Error('no vertex shared by two catchments');
    const home = shared[0].split(',').map(Number) as Position;
    const away: Position = [home[0] + 4, home[1] + 3];
    let there = false;
    const set = { service, language };

    const measure = async (mode: 'delta' | 'full') => {
      bytes = 0;
      const t0 = performance.now();
      const command = { type: 'catchment.moveVertex', set, from: there ? away : home, to: there ? home : away };
      const edit = await call<import('../../shared/domain/commands').EditResult>('runCommand', { command });
      there = !there;
      const t1 = performance.now();
      const commandBytes = bytes;
      let t2: number;
      if (mode === 'delta') {
        const changes = analysisChangesFor(edit.touched, edit.touchedKeys);
        if (changes === null || changes === 'reload') throw new Error('expected a delta');
        const delta = await call<import('../../shared/analysis/analysis-delta').AnalysisDelta>('getAnalysisChanges', changes);
        t2 = performance.now();
        handle({ type: 'delta', delta });
      } else {
        const full = await call<import('../../shared/analysis/kpi').AnalysisData>('getAnalysisData', {});
        t2 = performance.now();
        handle({ type: 'update', data: full });
      }
      const t3 = performance.now();
      handle({ type: 'compute', id: 1, year, service, withSeries: true });
      const t4 = performance.now();
      // The panel's figures arrive with the result of the year shown; the charts' series of every year follows.
      return { total: resultAt - t0, command: t1 - t0, read: t2 - t1, apply: t3 - t2, compute: resultAt - t3, series: t4 - resultAt, withSeries: t4 - t0, kb: (bytes - commandBytes) / 1024 };
    };
    type Sample = Awaited<ReturnType<typeof measure>>;
    const summary = (samples: Sample[]) => {
      const pick = (key: keyof Sample) => median(samples.map((sample) => sample[key]));
      return { total: pick('total'), command: pick('command'), read: pick('read'), apply: pick('apply'), compute: pick('compute'), series: pick('series'), withSeries: pick('withSeries'), kb: pick('kb'), runs: samples.length };
    };
    // Interleaved, so warm-up and the machine's load fall on both paths alike; one unmeasured run of each first.
    await measure('delta');
    await measure('full');
    const deltas: Sample[] = [];
    const fulls: Sample[] = [];
    const fullRuns = data.population.unitFid.length > 200_000 ? 3 : 9;
    for (let run = 0; run < 9; run += 1) {
      deltas.push(await measure('delta'));
      if (run < fullRuns) fulls.push(await measure('full'));
    }
    const delta = summary(deltas);
    const full = summary(fulls);
    const detail: Record<string, number> = { catchments: data.catchments.length, units: data.units.length, populationRows: data.population.unitFid.length, years: loaded.years.length };
    for (const [prefix, values] of [['delta', delta], ['full', full]] as const) for (const [key, value] of Object.entries(values)) detail[`${prefix}_${key}`] = value;
    return detail;
  } finally {
    host.dispose();
    rmSync(folder, { recursive: true, force: true });
  }
}

export function measureEditPath(projects: { label: string; file: string }[], child: (step: string, args: string[]) => StepResult, log: (line: string) => void): void {
  const rows: string[] = [];
  const ms = (value: number) => value.toFixed(value < 10 ? 1 : 0);
  for (const project of projects) {
    log(`edit path: ${project.label} …`);
    const d = child('editpath-measure', [project.file]).detail!;
    const size = `${d.units!.toLocaleString('en')} units, ${d.catchments!.toLocaleString('en')} catchments, ${d.populationRows!.toLocaleString('en')} population rows`;
    for (const [label, prefix] of [['delta (getAnalysisChanges)', 'delta'], ['old: full refetch (getAnalysisData)', 'full']] as const) {
      rows.push(
        `| ${project.label} (${size}) | ${label} | **${ms(d[`${prefix}_total`]!)}** | ${ms(d[`${prefix}_command`]!)} | ${ms(d[`${prefix}_read`]!)} | ${ms(d[`${prefix}_apply`]!)} | ${ms(d[`${prefix}_compute`]!)} | ${ms(d[`${prefix}_series`]!)} (${ms(d[`${prefix}_withSeries`]!)}) | ${d[`${prefix}_kb`]!.toFixed(d[`${prefix}_kb`]! < 10 ? 1 : 0)} | ${d[`${prefix}_runs`]} |`,
      );
    }
  }
  const header = ['project', 'path', 'edit → updated KPIs (ms)', 'host command (ms)', 'read + JSON (ms)', 'worker applies (ms)', 'compute the year shown (ms)', 'then the series of every year for the charts (ms; edit → series)', 'sent (KB)', 'runs (median)'];
  process.stdout.write(`\n### Edit path (catchment vertex move → worker's updated KPIs, Node, no browser)\n\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n${rows.join('\n')}\n`);
}
