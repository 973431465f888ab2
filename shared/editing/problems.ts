/**
 * The problems panel's checks, per catchment set (service × language — the sets overlap by design, so
 * each is checked on its own): gaps inside the municipality, overlaps, invalid geometry, catchments without
 * a facility, facilities outside their own catchment. Each problem has a location to zoom to and, where one
 * exists, a fix that is a catchment.reshapeMany / catchment.update command. Pure (JSTS).
 */
import type { Command } from '../domain/commands';
import type { MultiPolygonGeometry, PointGeometry, Position } from '../geo/geometry';
import { envelopeOf } from '../geo/geometry';
import { asMulti, fromJsts, overlay, polygonProblem, repairPolygon, toJsts, unionAll, type JstsGeometry, type PolygonProblem } from '../geo/polygon-edit';

export type ProblemKind = 'gap' | 'overlap' | 'outside' | 'invalid' | 'noFacility' | 'facilityOutside';

export interface ProblemFix {
  /** i18n key under editing.problems.fix */
  label: 'giveToNeighbour' | 'cutFromFirst' | 'cutFromSecond' | 'makeValid' | 'assignFacilityInside' | 'clipToMunicipality';
  /** Names shown in the label (the neighbour that gets the gap, the side that loses the overlap). */
  names: string[];
  command: Command;
}

export interface Problem {
  id: string;
  kind: ProblemKind;
  catchmentFids: number[];
  names: string[];
  /** Where to zoom: [minX, minY, maxX, maxY]. */
  extent: [number, number, number, number];
  area: number | null;
  detail: PolygonProblem | null;
  /** The gap or overlap itself, for highlighting on the map. */
  geometry: MultiPolygonGeometry | null;
  fixes: ProblemFix[];
}

export interface ProblemInput {
  catchments: { fid: number; name: string; facility_fid: number | null; locked: number; geometry: MultiPolygonGeometry | null }[];
  municipality: MultiPolygonGeometry | null;
  facilities: { fid: number; name: string; language: string; geometry: PointGeometry | null; services: string[] }[];
  service: string;
  language: string;
  /** Smallest gap or overlap reported, CRS units² (1 m² in a metric CRS). */
  minArea?: number;
  scale?: number;
}

function extentOf(geometry: MultiPolygonGeometry | PointGeometry, pad = 0): [number, number, number, number] {
  const e = envelopeOf(geometry)!;
  return [e.minX - pad, e.minY - pad, e.maxX + pad, e.maxY + pad];
}

function parts(geometry: JstsGeometry): JstsGeometry[] {
  const result: JstsGeometry[] = [];
  for (let i = 0; i < geometry.getNumGeometries(); i++) {
    const part = geometry.getGeometryN(i);
    if (part.getGeometryType() === 'Polygon' || part.getGeometryType() === 'MultiPolygon') result.push(part);
  }
  return result;
}

function boxesMeet(a: JstsGeometry, b: JstsGeometry): boolean {
  const x = a.getEnvelopeInternal();
  const y = b.getEnvelopeInternal();
  return !(x.getMaxX() < y.getMinX() || y.getMaxX() < x.getMinX() || x.getMaxY() < y.getMinY() || y.getMaxY() < x.getMinY());
}

/** Length of boundary two areas share (measured inside a thin buffer of the first's boundary). */
function sharedEdgeLength(a: JstsGeometry, b: JstsGeometry, tolerance: number): number {
  if (!boxesMeet(a.buffer(tolerance), b)) return 0;
  try {
    return overlay(b.getBoundary(), a.getBoundary().buffer(tolerance), 'intersection').getLength();
  } catch {
    return 0;
  }
}

/** How far a problems check has come: `done` of `total` steps (one step is one catchment in one check). */
export interface ProblemsProgress {
  done: number;
  total: number;
}

/** Thrown by detectProblemsStepwise when the check was cancelled; nothing it found is kept. */
export class ProblemsCheckCancelled extends Error {
  constructor() {
    super('problems check cancelled');
    this.name = 'ProblemsCheckCancelled';
  }
}

/** Every check, as a list of problems. Runs to the end at once (see detectProblemsStepwise for progress and cancel). */
export function detectProblems(input: ProblemInput): Problem[] {
  const steps = problemSteps(input);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

export interface StepwiseOptions {
  /** Read between steps: once true, the check stops and rejects with ProblemsCheckCancelled. */
  signal?: { readonly aborted: boolean };
  /** Called with the share done (0–1) each time the check gives way. */
  onProgress?(progress: ProblemsProgress): void;
  /** Lets the host paint and handle clicks (the renderer passes a zero timeout); called every `sliceMs`. */
  yieldToHost(): Promise<void>;
  /** Longest stretch of work between two yields, ms. Default 40. */
  sliceMs?: number;
  now?(): number;
}

/**
 * The same checks as detectProblems in slices of about `sliceMs`, giving way between them, reporting how far
 * they have come and stopping when the signal is aborted — so a long check keeps the window responsive, shows
 * progress and can be cancelled. The checks only read, so a cancelled check leaves everything as it was.
 */
export async function detectProblemsStepwise(input: ProblemInput, options: StepwiseOptions): Promise<Problem[]> {
  const now = options.now ?? (() => Date.now());
  const sliceMs = options.sliceMs ?? 40;
  const steps = problemSteps(input);
  let sliceStart = now();
  for (;;) {
    if (options.signal?.aborted) throw new ProblemsCheckCancelled();
    const next = steps.next();
    if (next.done) {
      options.onProgress?.({ done: 1, total: 1 });
      return next.value;
    }
    if (now() - sliceStart >= sliceMs) {
      options.onProgress?.(next.value);
      await options.yieldToHost();
      sliceStart = now();
    }
  }
}

/** The checks one step at a time: yields progress after each catchment of each check, returns the problems. */
function* problemSteps(input: ProblemInput): Generator<ProblemsProgress, Problem[]> {
  const scale = input.scale ?? 1000;
  const minArea = input.minArea ?? (scale > 1e4 ? 1e-10 : 1);
  const tolerance = 2 / scale;
  const problems: Problem[] = [];
  const valid: { fid: number; name: string; locked: number; geometry: MultiPolygonGeometry; jsts: JstsGeometry }[] = [];
  // validity, overlaps, outside and facilities per catchment; the union and the gaps once each.
  const total = 4 * input.catchments.length + 2;
  let done = 0;
  const step = (count = 1): ProblemsProgress => {
    done = Math.min(total, done + count);
    return { done, total };
  };
  for (const c of input.catchments) {
    yield step();
    if (!c.geometry) continue;
    const problem = polygonProblem(c.geometry, { scale });
    if (problem) {
      const repaired = repairPolygon(c.geometry, { scale });
      problems.push({
        id: `invalid:${c.fid}`,
        kind: 'invalid',
        catchmentFids: [c.fid],
        names: [c.name],
        extent: extentOf(c.geometry),
        area: null,
        detail: problem,
        geometry: null,
        fixes: repaired ? [{ label: 'makeValid', names: [c.name], command: { type: 'catchment.reshape', fid: c.fid, geometry: repaired } }] : [],
      });
      continue;
    }
    valid.push({ fid: c.fid, name: c.name, locked: c.locked, geometry: c.geometry, jsts: toJsts(c.geometry, scale) });
  }
  // Overlaps: every pair whose boxes meet.
  yield step(input.catchments.length - valid.length); // the invalid ones are not compared
  for (let i = 0; i < valid.length; i++) {
    yield step();
    for (let j = i + 1; j < valid.length; j++) {
      const a = valid[i]!;
      const b = valid[j]!;
      if (!boxesMeet(a.jsts, b.jsts) || !a.jsts.intersects(b.jsts)) continue;
      let overlap: JstsGeometry;
      try {
        overlap = overlay(a.jsts, b.jsts, 'intersection', scale);
      } catch {
        continue;
      }
      for (const [index, part] of parts(overlap).entries()) {
        if (part.getArea() < minArea) continue;
        const geometry = fromJsts(part, scale);
        const cut = (from: typeof a) => fromJsts(overlay(from.jsts, part, 'difference', scale), scale);
        const fixes: ProblemFix[] = [];
        if (!a.locked) fixes.push({ label: 'cutFromFirst', names: [a.name], command: { type: 'catchment.reshape', fid: a.fid, geometry: cut(a) } });
        if (!b.locked) fixes.push({ label: 'cutFromSecond', names: [b.name], command: { type: 'catchment.reshape', fid: b.fid, geometry: cut(b) } });
        problems.push({ id: `overlap:${a.fid}:${b.fid}:${index}`, kind: 'overlap', catchmentFids: [a.fid, b.fid], names: [a.name, b.name], extent: extentOf(geometry), area: part.getArea(), detail: null, geometry, fixes });
      }
    }
  }
  // Gaps: the municipality minus the set's union.
  yield step(0);
  if (input.municipality && valid.length > 0) {
    const municipality = toJsts(asMulti(input.municipality), scale);
    const covered = unionAll(valid.map((v) => v.jsts), scale);
    yield step();
    let gaps: JstsGeometry | null = null;
    try {
      gaps = overlay(municipality, covered, 'difference', scale);
    } catch {
      gaps = null;
    }
    // Parts of a catchment outside the municipality (the set should tile the municipality, not more).
    for (const v of valid) {
      yield step();
      let outside: JstsGeometry;
      try {
        outside = overlay(v.jsts, municipality, 'difference', scale);
      } catch {
        continue;
      }
      const area = outside.getArea();
      if (area < minArea) continue;
      const clipped = fromJsts(overlay(v.jsts, municipality, 'intersection', scale), scale);
      const fixes: ProblemFix[] = !v.locked && clipped.coordinates.length > 0 && !polygonProblem(clipped, { scale }) ? [{ label: 'clipToMunicipality', names: [v.name], command: { type: 'catchment.reshape', fid: v.fid, geometry: clipped } }] : [];
      const geometry = fromJsts(outside, scale);
      problems.push({ id: `outside:${v.fid}`, kind: 'outside', catchmentFids: [v.fid], names: [v.name], extent: extentOf(geometry), area, detail: null, geometry, fixes });
    }
    yield step(input.catchments.length - valid.length);
    for (const [index, gap] of (gaps ? parts(gaps) : []).entries()) {
      yield step(0); // a checkpoint: a coast can leave many gap parts
      if (gap.getArea() < minArea) continue;
      const geometry = fromJsts(gap, scale);
      const neighbours = valid
        .filter((v) => !v.locked)
        .map((v) => ({ v, length: sharedEdgeLength(gap, v.jsts, tolerance) }))
        .filter((n) => n.length > 0)
        .sort((x, y) => y.length - x.length);
      const best = neighbours[0]?.v;
      const fixes: ProblemFix[] = best
        ? [{ label: 'giveToNeighbour', names: [best.name], command: { type: 'catchment.reshape', fid: best.fid, geometry: absorb(best.jsts, gap, valid.filter((v) => v.fid !== best.fid).map((v) => v.jsts), municipality, scale) } }]
        : [];
      problems.push({ id: `gap:${index}:${Math.round(gap.getArea())}`, kind: 'gap', catchmentFids: best ? [best.fid] : [], names: best ? [best.name] : [], extent: extentOf(geometry), area: gap.getArea(), detail: null, geometry, fixes });
    }
  }
  // Facilities.
  yield { done: 3 * input.catchments.length + 2, total }; // where the facility checks start, gaps checked or not
  done = 3 * input.catchments.length + 2;
  const facilities = new Map(input.facilities.map((f) => [f.fid, f]));
  for (const c of input.catchments) {
    yield step();
    if (!c.geometry) continue;
    const facility = c.facility_fid == null ? undefined : facilities.get(c.facility_fid);
    if (!facility) {
      const jsts = valid.find((v) => v.fid === c.fid)?.jsts;
      const inside = jsts
        ? input.facilities.filter((f) => f.geometry && f.language === input.language && f.services.includes(input.service) && jsts.intersects(toJsts(f.geometry, scale)))
        : [];
      problems.push({
        id: `noFacility:${c.fid}`,
        kind: 'noFacility',
        catchmentFids: [c.fid],
        names: [c.name],
        extent: extentOf(c.geometry),
        area: null,
        detail: null,
        geometry: null,
        fixes: inside.length === 1 ? [{ label: 'assignFacilityInside', names: [inside[0]!.name], command: { type: 'catchment.update', fid: c.fid, changes: { facility_fid: inside[0]!.fid } } }] : [],
      });
      continue;
    }
    const entry = valid.find((v) => v.fid === c.fid);
    if (!entry || !facility.geometry) continue;
    const point = toJsts(facility.geometry, scale);
    if (!entry.jsts.intersects(point)) {
      problems.push({ id: `facilityOutside:${c.fid}`, kind: 'facilityOutside', catchmentFids: [c.fid], names: [c.name, facility.name], extent: extentOf(facility.geometry, 500), area: null, detail: null, geometry: null, fixes: [] });
    }
  }
  return problems;
}

export function problemLocation(problem: Problem): Position {
  return [(problem.extent[0] + problem.extent[2]) / 2, (problem.extent[1] + problem.extent[3]) / 2];
}

/**
 * One command that fixes every gap (to the neighbour with the longest shared edge), every overlap (cut
 * from the second catchment, or the first when the second is locked) and every part outside the
 * municipality (clipped) found in one detection, or null.
 */
export function fixAllCommand(input: ProblemInput, problems: Problem[]): Command | null {
  const scale = input.scale ?? 1000;
  const add = new Map<number, JstsGeometry[]>();
  const cut = new Map<number, JstsGeometry[]>();
  const push = (map: Map<number, JstsGeometry[]>, fid: number, geometry: MultiPolygonGeometry) => {
    if (!map.has(fid)) map.set(fid, []);
    map.get(fid)!.push(toJsts(geometry, scale));
  };
  for (const problem of problems) {
    const fix = problem.fixes[problem.kind === 'overlap' ? problem.fixes.length - 1 : 0];
    if (!fix || fix.command.type !== 'catchment.reshape') continue;
    if (!problem.geometry) continue;
    if (problem.kind === 'outside') push(cut, fix.command.fid, problem.geometry);
    if (problem.kind === 'gap') push(add, fix.command.fid, problem.geometry);
    if (problem.kind === 'overlap') push(cut, fix.command.fid, problem.geometry);
  }
  const fids = new Set([...add.keys(), ...cut.keys()]);
  const changes: { fid: number; geometry: MultiPolygonGeometry }[] = [];
  for (const fid of fids) {
    const catchment = input.catchments.find((c) => c.fid === fid);
    if (!catchment?.geometry) continue;
    let geometry = toJsts(catchment.geometry, scale);
    const added = add.get(fid);
    for (const piece of cut.get(fid) ?? []) geometry = overlay(geometry, piece, 'difference', scale);
    const others = input.catchments.flatMap((c) => (c.fid !== fid && c.geometry ? [toJsts(c.geometry, scale)] : []));
    const result = added && input.municipality ? absorb(geometry, unionAll(added, scale), others, toJsts(asMulti(input.municipality), scale), scale) : fromJsts(geometry, scale);
    changes.push({ fid, geometry: result });
  }
  return changes.length > 0 ? { type: 'catchment.reshapeMany', changes } : null;
}

/**
 * target ∪ piece. A thin gap along a boundary often meets its neighbour only within floating-point noise and
 * would stay a separate sliver part; then the piece is grown by a few millimetres, merged, and trimmed back
 * to the municipality and off the other catchments, so the result is one clean part and overlaps nothing.
 */
function absorb(target: JstsGeometry, piece: JstsGeometry, others: JstsGeometry[], municipality: JstsGeometry, scale: number): MultiPolygonGeometry {
  const plain = fromJsts(unionAll([target, piece], scale), scale);
  if (!polygonProblem(plain, { scale })) return plain;
  let grown = overlay(unionAll([target, piece.buffer(5 / scale)], scale), municipality, 'intersection', scale);
  for (const other of others) if (boxesMeet(grown, other) && grown.intersects(other)) grown = overlay(grown, other, 'difference', scale);
  const result = fromJsts(grown, scale);
  return polygonProblem(result, { scale }) ? (repairPolygon(result, { scale }) ?? plain) : result;
}
