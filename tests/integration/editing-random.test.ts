/**
 * 1,000 random editing commands on the Swedish grades 1–6 set of the real Helsinki sample, after its gaps and
 * overlaps are fixed with the problems panel's "fix all": shared-vertex moves, vertex adds and removes,
 * splits, merges, unit painting, undo and redo. Whatever the host accepts, the set still tiles the
 * municipality: no overlaps, no gaps, the catchments' area sum equals the municipality's within 1 m².
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildSampleProject } from '../../electron/services/sample/build-sample';
import { ProjectFile } from '../../electron/store/project-file';
import type { Command } from '../../shared/domain/commands';
import type { Feature } from '../../shared/domain/project';
import { detectProblems, fixAllCommand, type ProblemInput } from '../../shared/editing/problems';
import { VerkostoError } from '../../shared/errors';
import type { MultiPolygonGeometry, Position } from '../../shared/geo/geometry';
import { envelopeOf } from '../../shared/geo/geometry';
import { intersectionArea, polygonArea, toJsts, unionAll } from '../../shared/geo/polygon-edit';
import { makeTempDir, seededRandom } from '../fixtures/store-helpers';

const tmp = makeTempDir('verkosto-editing-random-');
const file = tmp.file('sample.gpkg');
const set = { service: 'grades_1_6', language: 'sv' } as const;
let project: ProjectFile;

beforeAll(async () => {
  await buildSampleProject(file);
  project = ProjectFile.open(file);
}, 120_000);
afterAll(() => {
  project?.close();
  tmp.cleanup();
});

function catchments(): Feature<'catchments'>[] {
  return (project.readFeatures('catchments').features as Feature<'catchments'>[]).filter((c) => c.properties.service === set.service && c.properties.language === set.language);
}

function municipality(): MultiPolygonGeometry {
  return project.readFeatures('municipality').features[0]!.geometry as MultiPolygonGeometry;
}

function problemInput(): ProblemInput {
  return {
    catchments: catchments().map((c) => ({ fid: c.id, name: c.properties.name, facility_fid: c.properties.facility_fid, locked: c.properties.locked, geometry: c.geometry as MultiPolygonGeometry })),
    municipality: municipality(),
    facilities: [],
    service: set.service,
    language: set.language,
    // Fix everything down to 10 cm² so the start is a tiling within far less than the 1 m² the test allows.
    minArea: 0.001,
  };
}

const key = (p: Position) => `${p[0]},${p[1]}`;

/** Interior vertices (every incident edge shared by two rings) and interior edges of the set. */
function topology(list: Feature<'catchments'>[]): { vertices: Position[]; edges: [Position, Position][] } {
  const edgeCount = new Map<string, number>();
  const edgeKey = (a: Position, b: Position) => [key(a), key(b)].sort().join('|');
  for (const c of list) for (const ring of c.geometry!.coordinates.flat()) for (let i = 0; i + 1 < ring.length; i++) edgeCount.set(edgeKey(ring[i]!, ring[i + 1]!), (edgeCount.get(edgeKey(ring[i]!, ring[i + 1]!)) ?? 0) + 1);
  const outer = new Set<string>();
  const edges: [Position, Position][] = [];
  for (const c of list) {
    for (const ring of c.geometry!.coordinates.flat()) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const shared = edgeCount.get(edgeKey(ring[i]!, ring[i + 1]!))! >= 2;
        if (!shared) {
          outer.add(key(ring[i]!));
          outer.add(key(ring[i + 1]!));
        } else edges.push([ring[i]!, ring[i + 1]!]);
      }
    }
  }
  const vertices = new Map<string, Position>();
  for (const [a, b] of edges) for (const p of [a, b]) if (!outer.has(key(p))) vertices.set(key(p), p);
  return { vertices: [...vertices.values()], edges };
}

function tilingMeasures(): { sum: number; union: number; overlap: number } {
  const list = catchments();
  const geometries = list.map((c) => c.geometry as MultiPolygonGeometry);
  let overlap = 0;
  for (let i = 0; i < geometries.length; i++) {
    for (let j = i + 1; j < geometries.length; j++) {
      const a = envelopeOf(geometries[i]!)!;
      const b = envelopeOf(geometries[j]!)!;
      if (a.maxX < b.minX || b.maxX < a.minX || a.maxY < b.minY || b.maxY < a.minY) continue;
      overlap += intersectionArea(geometries[i]!, geometries[j]!);
    }
  }
  const union = unionAll(geometries.map((g) => toJsts(g))).getArea();
  return { sum: geometries.reduce((s, g) => s + polygonArea(g), 0), union, overlap };
}

test('1,000 random valid edits keep the set a tiling of the municipality', () => {
  // Start from a tiling: the sample's generated set has small gaps and overlaps the problems panel fixes.
  const input = problemInput();
  const fix = fixAllCommand(input, detectProblems(input));
  expect(fix).not.toBeNull();
  project.runCommand(fix!);
  const municipalityArea = polygonArea(municipality());
  const start = tilingMeasures();
  expect(Math.abs(start.sum - municipalityArea)).toBeLessThan(1);
  expect(start.overlap).toBeLessThan(1);

  const random = seededRandom(20261125);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const units = (project.readFeatures('demand_units').features as Feature<'demand_units'>[]).filter((u) => u.properties.unit_kind === 'small_area');
  const counts: Record<string, { accepted: number; refused: number }> = {};
  let applied = 0;
  const times: Record<string, number> = {};
  for (let step = 0; step < 1000; step++) {
    const list = catchments();
    const roll = random();
    let command: Command | 'undo' | 'redo';
    if (roll < 0.45) {
      const { vertices } = topology(list);
      const from = pick(vertices);
      command = { type: 'catchment.moveVertex', set, from, to: [from[0] + (random() - 0.5) * 30, from[1] + (random() - 0.5) * 30] };
    } else if (roll < 0.56) {
      const [a, b] = pick(topology(list).edges);
      command = { type: 'catchment.addVertex', set, at: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] };
    } else if (roll < 0.64) {
      command = { type: 'catchment.removeVertex', set, at: pick(topology(list).vertices) };
    } else if (roll < 0.69 && list.length < 22) {
      const target = pick(list);
      const e = envelopeOf(target.geometry!)!;
      const x = e.minX + (0.3 + random() * 0.4) * (e.maxX - e.minX);
      command = { type: 'catchment.split', fid: target.id, line: { type: 'LineString', coordinates: [[x, e.minY - 1], [x + (random() - 0.5) * 200, e.maxY + 1]] } };
    } else if (roll < 0.74 && list.length > 10) {
      const a = pick(list);
      const ja = toJsts(a.geometry!);
      const ea = envelopeOf(a.geometry!)!;
      const neighbour = list.find((b) => {
        const eb = envelopeOf(b.geometry!)!;
        return b.id !== a.id && !(eb.maxX < ea.minX || ea.maxX < eb.minX || eb.maxY < ea.minY || ea.maxY < eb.minY) && ja.intersects(toJsts(b.geometry!));
      });
      if (!neighbour) continue;
      command = { type: 'catchment.merge', fids: [a.id, neighbour.id] };
    } else if (roll < 0.82) {
      const unit = pick(units);
      const ju = toJsts(unit.geometry as MultiPolygonGeometry);
      const box = envelopeOf(unit.geometry as MultiPolygonGeometry)!;
      const touching = list.filter((c) => {
        const e = envelopeOf(c.geometry!)!;
        return !(e.maxX < box.minX || box.maxX < e.minX || e.maxY < box.minY || box.maxY < e.minY) && ju.intersects(toJsts(c.geometry!));
      });
      if (touching.length === 0) continue;
      command = { type: 'units.assign', catchmentFid: pick(touching).id, unitFids: [unit.id] };
    } else command = random() < 0.7 ? 'undo' : 'redo';
    const name = typeof command === 'string' ? command : command.type;
    counts[name] ??= { accepted: 0, refused: 0 };
    const t0 = performance.now();
    try {
      if (command === 'undo') project.undo();
      else if (command === 'redo') project.redo();
      else project.runCommand(command);
      counts[name]!.accepted++;
      applied++;
    } catch (error) {
      if (!(error instanceof VerkostoError)) throw error;
      counts[name]!.refused++;
    } finally {
      times[name] = (times[name] ?? 0) + performance.now() - t0;
    }
  }
  console.log('ms per kind', JSON.stringify(Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(v)]))));
  const end = tilingMeasures();
  console.log('random edits', JSON.stringify(counts), 'applied', applied, 'start', start, 'end', end, 'municipality', municipalityArea);
  expect(applied).toBeGreaterThan(500);
  expect(counts['catchment.moveVertex']!.accepted).toBeGreaterThan(100);
  expect(counts['units.assign']!.accepted).toBeGreaterThan(20);
  expect(Math.abs(end.sum - municipalityArea)).toBeLessThan(1);
  expect(Math.abs(end.union - municipalityArea)).toBeLessThan(1);
  expect(end.overlap).toBeLessThan(1);
}, 180_000);
