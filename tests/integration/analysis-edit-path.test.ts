/**
 * The KPI edit path on the real Helsinki sample: after each command, undo, redo and scenario switch the
 * renderer's handler (renderer/analysis/kpi-handler.ts) is fed what the app feeds it — the delta read
 * through the contract (getAnalysisChanges, zod-validated) from the edit's touched keys, or the full data
 * after a scenario switch — and every KPI row of every service and year must equal a fresh engine built
 * from a full read of the file at that point.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchCall } from '../../electron/host/dispatch';
import { createHost, type Host } from '../../electron/services/host';
import { buildSampleProject } from '../../electron/services/sample/build-sample';
import { renderer } from './analysis-edit-path-support';
import { analysisChangesFor } from '../../shared/analysis/analysis-delta';
import { KpiEngine, type AnalysisData, type KpiResult, type KpiRow } from '../../shared/analysis/kpi';
import type { Command, EditResult } from '../../shared/domain/commands';
import type { ScenarioState } from '../../shared/contract/host-api';
import type { MultiPolygonGeometry, Position } from '../../shared/geo/geometry';
import { makeTempDirectory } from '../support/temp-directory';

const temp = makeTempDirectory();
const projects = path.join(temp.path, 'projects');
let host: Host;
/** Through the contract's one door (zod validation) and through JSON, as over the WebSocket. */
async function call<T>(method: string, args: unknown): Promise<T> {
  const envelope = JSON.parse(JSON.stringify(await dispatchCall(host, method, args))) as { ok: true; result: T } | { ok: false; error: { code: string; message: string; params: unknown } };
  if (!envelope.ok) throw new Error(`${method}: ${envelope.error.code} ${envelope.error.message} ${JSON.stringify(envelope.error.params)}`);
  return envelope.result;
}

beforeAll(async () => {
  mkdirSync(projects, { recursive: true });
  const sample = path.join(temp.path, 'sample.gpkg');
  await buildSampleProject(sample);
  copyFileSync(sample, path.join(projects, 'plan.gpkg'));
  host = createHost({ kind: 'browser', version: 'test', dataDirectory: temp.path, projectsDirectory: projects, allowedRoots: [projects], emit: () => {} });
  await call('openProject', { path: path.join(projects, 'plan.gpkg') });
}, 120_000);
afterAll(() => {
  host?.dispose();
  temp.remove();
});

/** Numbers to 9 significant digits (sums in another order differ in the last bits), rows by fid. */
function normalised(result: KpiResult): unknown {
  const row = (entry: KpiRow) => Object.fromEntries(Object.entries(entry).map(([key, value]) => [key, typeof value === 'number' ? Number(value.toPrecision(9)) : value]));
  const rows = (list: KpiRow[]) => [...list].sort((a, b) => (a.fid ?? 0) - (b.fid ?? 0)).map(row);
  return { ...result, catchments: rows(result.catchments), facilities: rows(result.facilities), areas: rows(result.areas), network: row(result.network) };
}

const view = renderer();

/** What the app does on projectChanged: the delta when the edit lists its rows, else the full read. */
async function follow(result: Pick<EditResult, 'touched' | 'touchedKeys'>): Promise<'delta' | 'reload' | 'none'> {
  const changes = analysisChangesFor(result.touched, result.touchedKeys);
  if (changes === null) return 'none';
  if (changes === 'reload') view.update(await call<AnalysisData>('getAnalysisData', {}));
  else view.delta(await call('getAnalysisChanges', changes));
  return changes === 'reload' ? 'reload' : 'delta';
}

async function expectSameAsFullReload(): Promise<KpiResult> {
  const reference = new KpiEngine(await call<AnalysisData>('getAnalysisData', {}));
  expect(view.services()).toEqual(reference.servicesWithCatchments());
  let first: KpiResult | null = null;
  for (const service of reference.servicesWithCatchments()) {
    for (const year of reference.years()) {
      const mine = view.compute(year, service);
      first ??= mine;
      expect(normalised(mine)).toEqual(normalised(reference.compute(year, service)));
    }
  }
  return first!;
}

async function command(command: Command): Promise<EditResult> {
  return call<EditResult>('runCommand', { command });
}

function sharedVertex(catchments: { fid: number; geometry: MultiPolygonGeometry | null; service: string; language: string }[]): { at: Position; fids: number[] } {
  const owners = new Map<string, Set<number>>();
  for (const c of catchments.filter((entry) => entry.service === 'grades_1_6' && entry.language === 'fi'))
    for (const polygon of c.geometry!.coordinates) for (const ring of polygon) for (const p of ring) {
      const key = `${p[0]},${p[1]}`;
      if (!owners.has(key)) owners.set(key, new Set());
      owners.get(key)!.add(c.fid);
    }
  for (const [key, set] of owners) if (set.size === 2) return { at: key.split(',').map(Number) as Position, fids: [...set] };
  throw new Error('no shared vertex');
}

describe('the KPI edit path (delta) equals a full reload', () => {
  it('after moving a vertex, merging, deleting, closing a facility, changing capacity and a setting, undo, redo and a scenario switch', async () => {
    const initial = await call<AnalysisData>('getAnalysisData', {});
    view.load(initial);
    const before = await expectSameAsFullReload();
    const set = { service: 'grades_1_6' as const, language: 'fi' as const };

    // Move a vertex two catchments share: both reshape in one command; the delta carries exactly those two.
    const vertex = sharedVertex(initial.catchments);
    const moved = await command({ type: 'catchment.moveVertex', set, from: vertex.at, to: [vertex.at[0] + 40, vertex.at[1] + 25] });
    expect(moved.touchedKeys?.catchments?.map(Number).sort()).toEqual([...vertex.fids].sort());
    expect(await follow(moved)).toBe('delta');
    expect(view.lastUpdate()).toMatchObject({ changedCatchments: 2, rebuilt: false });
    await expectSameAsFullReload();

    // Merge two neighbours: one catchment goes (a removed row in the delta), the other grows.
    const current = await call<AnalysisData>('getAnalysisData', {});
    const pair = sharedVertex(current.catchments.filter((c) => !vertex.fids.includes(c.fid)));
    const merged = await command({ type: 'catchment.merge', fids: pair.fids });
    expect(await follow(merged)).toBe('delta');
    await expectSameAsFullReload();

    // Delete a catchment (the sample's catchments are all grades 1–6, Finnish and Swedish).
    const other = current.catchments.find((c) => !pair.fids.includes(c.fid) && !vertex.fids.includes(c.fid) && c.language === 'sv')!;
    expect(await follow(await command({ type: 'catchment.delete', fid: other.fid }))).toBe('delta');
    const afterDelete = await expectSameAsFullReload();
    expect(normalised(afterDelete)).not.toEqual(normalised(before));

    // Close a facility that serves a catchment; change another's capacities (its service rows are replaced).
    const served = current.catchments.filter((c) => c.facilityFid !== null && c.service === 'grades_1_6' && !pair.fids.includes(c.fid) && c.fid !== other.fid);
    expect(await follow(await command({ type: 'facility.update', fid: served[0]!.facilityFid!, changes: { status: 'closed' } }))).toBe('delta');
    await expectSameAsFullReload();
    const capacity = await command({ type: 'facility.setServices', fid: served[1]!.facilityFid!, services: [{ service: 'grades_1_6', capacity: 37, enrolment: null }] });
    expect(capacity.touched).toContain('facility_services');
    expect(await follow(capacity)).toBe('delta');
    await expectSameAsFullReload();
    const facilityRow = view.compute(current.population.year[0]!, 'grades_1_6').facilities.find((row) => row.fid === served[1]!.facilityFid);
    expect(facilityRow?.capacity).toBe(37);

    // A setting: the delta carries every setting, the engine recomputes every sum.
    expect(await follow(await command({ type: 'setting.set', key: 'analysis.grades_1_6.elsewhereShare', value: 0.2 }))).toBe('delta');
    await expectSameAsFullReload();

    // Undo the setting and the capacity change, redo the capacity change: the replayed patch lists its rows.
    for (const step of ['undo', 'undo', 'redo'] as const) {
      const result = await call<EditResult>(step, {});
      expect(result.touchedKeys).toBeDefined();
      expect(await follow(result)).toBe('delta');
      await expectSameAsFullReload();
    }

    // A scenario: edit in it, switch to the baseline and back. The switch lists the rows it rewrote, so it
    // takes the delta path too; then the full data (what an import sends) diffed in the worker.
    const created = await call<{ scenarios: { fid: number; name: string }[] }>('createScenario', { name: 'Kokeilu', parentFid: 0 });
    const scenario = created.scenarios.find((entry) => entry.name === 'Kokeilu')!.fid;
    await call('switchScenario', { fid: scenario });
    const survivor = (await call<AnalysisData>('getAnalysisData', {})).catchments.find((c) => c.service === 'grades_1_6')!;
    expect(await follow(await command({ type: 'catchment.delete', fid: survivor.fid }))).toBe('delta');
    await expectSameAsFullReload();
    // The demand model's settings belong to the scenario: a switch must carry them in the delta too.
    expect(await follow(await command({ type: 'setting.set', key: 'analysis.grades_1_6.freeTransportKm', value: 1 }))).toBe('delta');
    await expectSameAsFullReload();
    const toBaseline = await call<ScenarioState>('switchScenario', { fid: 0 });
    expect(toBaseline.touchedKeys?.catchments?.map(Number)).toContain(survivor.fid);
    expect(toBaseline.touchedKeys?.verkosto_settings).toContain('analysis.grades_1_6.freeTransportKm');
    expect(await follow(toBaseline)).toBe('delta');
    await expectSameAsFullReload();
    expect(await follow(await call<ScenarioState>('switchScenario', { fid: scenario }))).toBe('delta');
    await expectSameAsFullReload();
    await call('switchScenario', { fid: 0 });
    view.update(await call<AnalysisData>('getAnalysisData', {}));
    expect(view.lastUpdate()).toMatchObject({ rebuilt: false });
    await expectSameAsFullReload();
  }, 240_000);

  it('refuses a malformed request with a message naming the field, and reads removed rows as removed', async () => {
    const refused = await dispatchCall(host, 'getAnalysisChanges', { catchments: [-1], facilities: [], capacityRows: [], settings: false });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.code).toBe('invalidArgument');
    expect(!refused.ok && JSON.stringify(refused.error.params)).toMatch(/getAnalysisChanges: catchments\.0/);
    const delta = await call<{ catchments: unknown[]; removedCatchments: number[]; settings: unknown }>('getAnalysisChanges', { catchments: [999_999], facilities: [], capacityRows: [], settings: false });
    expect(delta).toMatchObject({ catchments: [], removedCatchments: [999_999], settings: null });
  });
});
