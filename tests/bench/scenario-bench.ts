/**
 * Scenario benchmark (part of `npm run bench`): on a copy of the sample and of the synthetic project, a
 * scenario that closes 20 schools and moves 20 others; the time to switch baseline → scenario → baseline,
 * and to read another scenario's facilities without switching (comparison maps) — beside the peer a
 * scenario-per-file design would need: opening a copy of the project and reading its facilities and catchments.
 */
import { copyFileSync } from 'node:fs';

type Child = (step: string, args: string[]) => { seconds: number; peakRssMb: number; detail?: Record<string, number> };

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Child step `scenario-switch FILE`: everything in one process, on a copy of FILE. */
export async function runScenarioChild(step: string, args: string[]): Promise<Record<string, number>> {
  if (step !== 'scenario-switch') throw new Error(`unknown scenario step ${step}`);
  const { ProjectFile } = await import('../../electron/store/project-file');
  const copy = `${args[0]!}.scenario-bench.gpkg`;
  copyFileSync(args[0]!, copy);
  const project = ProjectFile.open(copy);
  const fids = (project.db.prepare('SELECT fid FROM facilities ORDER BY fid LIMIT 40').all() as { fid: number }[]).map((row) => row.fid);
  const scenario = project.scenarios.create('bench', 0);
  project.switchScenario(scenario);
  fids.slice(0, 20).forEach((fid) => project.runCommand({ type: 'facility.update', fid, changes: { status: 'closed', closes_year: 2027 } }));
  fids.slice(20).forEach((fid, index) => project.runCommand({ type: 'facility.move', fid, geometry: { type: 'Point', coordinates: [385_000 + index * 10, 6_672_000] } }));
  const toBaseline: number[] = [];
  const toScenario: number[] = [];
  const peek: number[] = [];
  for (let run = 0; run < 10; run++) {
    let started = performance.now();
    project.switchScenario(0);
    toBaseline.push(performance.now() - started);
    started = performance.now();
    project.switchScenario(scenario);
    toScenario.push(performance.now() - started);
    started = performance.now();
    project.peekScenario(0, () => project.readFeatures('facilities'));
    peek.push(performance.now() - started);
  }
  project.close();
  // The peer: a scenario kept as its own file must be opened and its plan layers read to show it.
  const peer: number[] = [];
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    const other = ProjectFile.open(copy);
    other.readFeatures('facilities');
    other.readFeatures('catchments');
    other.close();
    peer.push(performance.now() - started);
  }
  return { toBaselineMs: median(toBaseline), toScenarioMs: median(toScenario), peekMs: median(peek), peerOpenMs: median(peer), changedRows: 40 };
}

export function measureScenarios(projects: { label: string; file: string }[], child: Child, log: (line: string) => void): void {
  log('scenarios: switching …');
  const results = projects.map((project) => ({ label: project.label, detail: child('scenario-switch', [project.file]).detail ?? {} }));
  const cell = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(value < 10 ? 2 : 0));
  const rows: [string, string][] = [
    ['switch baseline → scenario (40 changed facilities), ms', 'toScenarioMs'],
    ['switch scenario → baseline, ms', 'toBaselineMs'],
    ['read another scenario\u2019s facilities without switching, ms', 'peekMs'],
    ['peer: open a scenario kept as its own file + read its plan layers, ms', 'peerOpenMs'],
  ];
  console.log('\nScenarios — median of 10 switches (peer: median of 3 opens)\n');
  console.log(`| measurement | ${results.map((result) => result.label).join(' | ')} |`);
  console.log(`|---|${results.map(() => '---:').join('|')}|`);
  for (const [label, key] of rows) console.log(`| ${label} | ${results.map((result) => cell(result.detail[key])).join(' | ')} |`);
}
