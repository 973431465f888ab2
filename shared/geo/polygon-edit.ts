/**
 * Polygon editing operations over JSTS (the JavaScript port of JTS, the ancestor of GEOS and so of QGIS's
 * geometry engine): validity with a reason, repair, split and reshape by a line, union, difference for
 * avoid-overlap, and shared-vertex (topological) moves. Pure: no DOM or Node, used by the host's command
 * planners and by the renderer's editing modes alike. Input vertices pass through unchanged, so a shared
 * boundary keeps bit-identical coordinates on both sides; coordinates the user clicks or types are rounded
 * to the project's precision grid (1 mm for metric CRSs).
 */
import 'jsts/org/locationtech/jts/monkey.js';
import GeometryFactory from 'jsts/org/locationtech/jts/geom/GeometryFactory.js';
import PrecisionModel from 'jsts/org/locationtech/jts/geom/PrecisionModel.js';
import GeoJSONReader from 'jsts/org/locationtech/jts/io/GeoJSONReader.js';
import GeoJSONWriter from 'jsts/org/locationtech/jts/io/GeoJSONWriter.js';
import IsValidOp from 'jsts/org/locationtech/jts/operation/valid/IsValidOp.js';
import Polygonizer from 'jsts/org/locationtech/jts/operation/polygonize/Polygonizer.js';
import GeometryPrecisionReducer from 'jsts/org/locationtech/jts/precision/GeometryPrecisionReducer.js';
import type { LineStringGeometry, MultiPolygonGeometry, PointGeometry, PolygonGeometry, Position } from './geometry';
import { signedRingArea } from './geometry';

/** The JSTS methods used here (added to Geometry.prototype by jsts' monkey.js). */
export interface JstsGeometry {
  getGeometryType(): string;
  getArea(): number;
  getLength(): number;
  isValid(): boolean;
  isEmpty(): boolean;
  getNumGeometries(): number;
  getGeometryN(index: number): JstsGeometry;
  getBoundary(): JstsGeometry;
  union(other?: JstsGeometry): JstsGeometry;
  intersection(other: JstsGeometry): JstsGeometry;
  difference(other: JstsGeometry): JstsGeometry;
  intersects(other: JstsGeometry): boolean;
  contains(other: JstsGeometry): boolean;
  covers(other: JstsGeometry): boolean;
  buffer(distance: number): JstsGeometry;
  getInteriorPoint(): JstsGeometry & { getX(): number; getY(): number };
  getEnvelopeInternal(): { getMinX(): number; getMaxX(): number; getMinY(): number; getMaxY(): number };
}

/** Why a polygon cannot be stored. The renderer and host turn the code into a translated message. */
export type PolygonProblem = 'empty' | 'selfIntersection' | 'sliver' | 'invalid' | 'notPolygon' | 'tooFewPoints';

export class PolygonEditError extends Error {
  constructor(
    readonly problem: PolygonProblem | 'lineDoesNotCross' | 'lineDoesNotSplit' | 'notAdjacent' | 'nothingLeft',
    readonly detail: string = '',
  ) {
    super(`${problem}${detail ? `: ${detail}` : ''}`);
    this.name = 'PolygonEditError';
  }
}

/** Precision grid per CRS: metric CRSs round to 1 mm, geographic (degrees) to about 1 mm too (1e-8°). */
export function precisionScale(epsg: number): number {
  return epsg === 4326 ? 1e8 : 1000;
}

interface Ops {
  factory: GeometryFactory;
  reader: GeoJSONReader;
  writer: GeoJSONWriter;
  scale: number;
}

const opsCache = new Map<number, Ops>();
function opsFor(scale: number): Ops {
  let ops = opsCache.get(scale);
  if (!ops) {
    // Floating precision inside JSTS: a fixed grid would round every new intersection vertex and shift long
    // edges by up to half a grid cell (metres² on a large catchment). New coordinates typed or clicked by the
    // user are rounded with roundPosition instead.
    const factory = new GeometryFactory(new PrecisionModel());
    ops = { factory, reader: new GeoJSONReader(factory), writer: new GeoJSONWriter(), scale };
    opsCache.set(scale, ops);
  }
  return ops;
}

export function roundPosition(position: Position, scale: number): Position {
  return [Math.round(position[0] * scale) / scale, Math.round(position[1] * scale) / scale];
}

export function toJsts(geometry: PolygonGeometry | MultiPolygonGeometry | LineStringGeometry | PointGeometry, scale = 1000): JstsGeometry {
  return opsFor(scale).reader.read(geometry) as unknown as JstsGeometry;
}

function orientRing(ring: Position[], outer: boolean): Position[] {
  const counterClockwise = signedRingArea(ring) > 0;
  return counterClockwise === outer ? ring : [...ring].reverse();
}

/**
 * A JSTS polygonal result as a GeoJSON MultiPolygon, rings oriented as RFC 7946 says. Input vertices pass
 * through JSTS unchanged (so a neighbour's shared vertices stay bit-identical); new intersection vertices
 * are on the precision grid.
 */
export function fromJsts(geometry: JstsGeometry, scale = 1000): MultiPolygonGeometry {
  const json = opsFor(scale).writer.write(geometry as never) as { type: string; coordinates: unknown; geometries?: { type: string; coordinates: unknown }[] };
  const polygons: Position[][][] = [];
  const collect = (part: { type: string; coordinates: unknown; geometries?: { type: string; coordinates: unknown }[] }) => {
    if (part.type === 'Polygon') polygons.push(part.coordinates as Position[][]);
    else if (part.type === 'MultiPolygon') polygons.push(...(part.coordinates as Position[][][]));
    else if (part.type === 'GeometryCollection') for (const child of part.geometries ?? []) collect(child);
  };
  collect(json);
  return {
    type: 'MultiPolygon',
    coordinates: polygons
      .filter((polygon) => polygon[0] && polygon[0].length >= 4 && Math.abs(signedRingArea(polygon[0])) > 0)
      .map((polygon) => polygon.map((ring, index) => orientRing(ring, index === 0))),
  };
}

export function asMulti(geometry: PolygonGeometry | MultiPolygonGeometry): MultiPolygonGeometry {
  return geometry.type === 'MultiPolygon' ? geometry : { type: 'MultiPolygon', coordinates: [geometry.coordinates] };
}

/** Thin-part test: a part is a sliver when it is tiny or its mean width (2·area/perimeter) is under `minWidth`. */
function sliverPart(part: JstsGeometry, minArea: number, minWidth: number): boolean {
  const area = part.getArea();
  const perimeter = part.getLength();
  return area < minArea || (perimeter > 0 && (2 * area) / perimeter < minWidth);
}

export interface ValidityOptions {
  scale?: number;
  /** Parts smaller than this (CRS units²) are slivers. Default 1 m². */
  minArea?: number;
  /** Parts thinner than this on average (CRS units) are slivers. Default 0.5 m. */
  minWidth?: number;
}

function defaults(options: ValidityOptions): Required<ValidityOptions> {
  const scale = options.scale ?? 1000;
  const metric = scale <= 1e4;
  return { scale, minArea: options.minArea ?? (metric ? 1 : 1e-10), minWidth: options.minWidth ?? (metric ? 0.5 : 5e-6) };
}

/** The first reason a (multi)polygon cannot be stored, or null when it is fine. */
export function polygonProblem(geometry: PolygonGeometry | MultiPolygonGeometry, options: ValidityOptions = {}): PolygonProblem | null {
  const { scale, minArea, minWidth } = defaults(options);
  const multi = asMulti(geometry);
  if (multi.coordinates.length === 0) return 'empty';
  for (const polygon of multi.coordinates) {
    if (polygon.length === 0) return 'empty';
    for (const ring of polygon) {
      if (ring.length < 4) return 'tooFewPoints';
      if (!ring.every((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]))) return 'invalid';
    }
  }
  let jsts: JstsGeometry;
  try {
    jsts = toJsts(multi, scale);
  } catch {
    return 'invalid';
  }
  if (jsts.isEmpty()) return 'empty';
  const op = new IsValidOp(jsts as never);
  if (!op.isValid()) {
    const error = op.getValidationError() as unknown as { getErrorType(): number } | null;
    // TopologyValidationError: 3 self-intersection, 5 ring self-intersection, 4 nested shells... all named plainly.
    const type = error?.getErrorType();
    return type === 3 || type === 5 ? 'selfIntersection' : 'invalid';
  }
  if (jsts.getArea() === 0) return 'empty';
  for (let i = 0; i < jsts.getNumGeometries(); i++) if (sliverPart(jsts.getGeometryN(i), minArea, minWidth)) return 'sliver';
  return null;
}

/** Throws PolygonEditError when the geometry cannot be stored. */
export function assertStorable(geometry: PolygonGeometry | MultiPolygonGeometry, options: ValidityOptions = {}): void {
  const problem = polygonProblem(geometry, options);
  if (problem) throw new PolygonEditError(problem);
}

/**
 * Repairs an invalid polygon (zero buffer: a bow-tie keeps its larger lobe... JTS's standard "make valid" of
 * the time) and drops sliver parts. Returns null when nothing valid is left.
 */
export function repairPolygon(geometry: PolygonGeometry | MultiPolygonGeometry, options: ValidityOptions = {}): MultiPolygonGeometry | null {
  const { scale, minArea, minWidth } = defaults(options);
  const jsts = toJsts(asMulti(geometry), scale);
  // A self-crossing ring: buffer(0) keeps only the lobes wound one way, so the ring reversed gives the
  // others; their union keeps every lobe (the classic make-valid of JTS before GEOS's MakeValid).
  let repaired = jsts.isValid() ? jsts : bothWindings(asMulti(geometry), scale);
  const parts: JstsGeometry[] = [];
  for (let i = 0; i < repaired.getNumGeometries(); i++) {
    const part = repaired.getGeometryN(i);
    if (!sliverPart(part, minArea, minWidth)) parts.push(part);
  }
  if (parts.length === 0) return null;
  repaired = opsFor(scale).factory.createMultiPolygon(parts as never) as unknown as JstsGeometry;
  const result = fromJsts(repaired, scale);
  return polygonProblem(result, options) ? null : result;
}

function bothWindings(geometry: MultiPolygonGeometry, scale: number): JstsGeometry {
  const forward = toJsts(geometry, scale).buffer(0);
  const reversed: MultiPolygonGeometry = { type: 'MultiPolygon', coordinates: geometry.coordinates.map((polygon) => polygon.map((ring) => [...ring].reverse())) };
  try {
    return unionAll([forward, toJsts(reversed, scale).buffer(0)], scale);
  } catch {
    return forward;
  }
}

/**
 * An overlay that survives JTS's classic robustness failures (TopologyException "non-noded intersection" on
 * nearly coincident edges): retried with both inputs snapped to the precision grid, then with a zero buffer.
 */
export function overlay(a: JstsGeometry, b: JstsGeometry, op: 'intersection' | 'difference' | 'union', scale = 1000): JstsGeometry {
  try {
    return a[op](b);
  } catch {
    const model = new PrecisionModel(scale);
    const ra = GeometryPrecisionReducer.reduce(a as never, model) as unknown as JstsGeometry;
    const rb = GeometryPrecisionReducer.reduce(b as never, model) as unknown as JstsGeometry;
    try {
      return ra[op](rb);
    } catch {
      return ra.buffer(0)[op](rb.buffer(0));
    }
  }
}

export function unionAll(geometries: JstsGeometry[], scale = 1000): JstsGeometry {
  const collection = opsFor(scale).factory.createGeometryCollection(geometries as never) as unknown as JstsGeometry;
  let union: JstsGeometry;
  try {
    union = collection.union();
  } catch {
    union = geometries.reduce((acc, g) => overlay(acc, g, 'union', scale));
  }
  return union.isValid() ? union : union.buffer(0);
}

/** Union of polygons (merge). */
export function unionPolygons(geometries: (PolygonGeometry | MultiPolygonGeometry)[], scale = 1000): MultiPolygonGeometry {
  return fromJsts(unionAll(geometries.map((g) => toJsts(asMulti(g), scale)), scale), scale);
}

/** a − b (avoid overlap: the new polygon clipped by its neighbours). */
export function differencePolygons(a: PolygonGeometry | MultiPolygonGeometry, others: (PolygonGeometry | MultiPolygonGeometry)[], scale = 1000): MultiPolygonGeometry {
  let result = toJsts(asMulti(a), scale);
  for (const other of others) {
    const b = toJsts(asMulti(other), scale);
    if (result.intersects(b)) result = overlay(result, b, 'difference', scale);
  }
  return fromJsts(result, scale);
}

export function intersectionArea(a: PolygonGeometry | MultiPolygonGeometry, b: PolygonGeometry | MultiPolygonGeometry, scale = 1000): number {
  const ja = toJsts(asMulti(a), scale);
  const jb = toJsts(asMulti(b), scale);
  if (!ja.intersects(jb)) return 0;
  return overlay(ja, jb, 'intersection', scale).getArea();
}

export function polygonArea(geometry: PolygonGeometry | MultiPolygonGeometry, scale = 1000): number {
  return toJsts(asMulti(geometry), scale).getArea();
}

/** The faces the polygon's boundary and the line cut the plane into, each with whether it lies inside the polygon. */
function faces(polygon: JstsGeometry, line: JstsGeometry): { face: JstsGeometry; inside: boolean; touchesLine: boolean }[] {
  const noded = polygon.getBoundary().union(line);
  const polygonizer = new Polygonizer();
  polygonizer.add(noded as never);
  const result = (polygonizer.getPolygons() as unknown as { toArray(): JstsGeometry[] }).toArray();
  return result.map((face) => {
    const point = face.getInteriorPoint();
    return { face, inside: polygon.contains(point), touchesLine: face.getBoundary().intersection(line).getLength() > 0 };
  });
}

/**
 * Split by a line (QGIS "Split features"): the polygon cut into pieces along the line, largest first.
 * Throws when the line does not cut it in two.
 */
export function splitPolygon(geometry: PolygonGeometry | MultiPolygonGeometry, line: LineStringGeometry, scale = 1000): MultiPolygonGeometry[] {
  const polygon = toJsts(asMulti(geometry), scale);
  const cutter = toJsts(roundLine(line, scale), scale);
  if (!polygon.intersects(cutter)) throw new PolygonEditError('lineDoesNotCross');
  const inside = faces(polygon, cutter).filter((f) => f.inside);
  const touching = inside.filter((f) => f.touchesLine);
  if (touching.length < 2) throw new PolygonEditError('lineDoesNotSplit');
  const rest = inside.filter((f) => !f.touchesLine).map((f) => f.face);
  const pieces = touching.map((f) => f.face).sort((a, b) => b.getArea() - a.getArea());
  // Parts of a multipolygon the line does not touch stay with the largest piece.
  const first = rest.length > 0 ? unionAll([pieces[0]!, ...rest], scale) : pieces[0]!;
  return [first, ...pieces.slice(1)].map((piece) => fromJsts(piece, scale));
}

/**
 * Reshape by a line (QGIS "Reshape features"): a line that leaves and re-enters the polygon adds the area
 * between it and the boundary; a line across the inside cuts away the smaller side.
 */
export function reshapePolygon(geometry: PolygonGeometry | MultiPolygonGeometry, line: LineStringGeometry, scale = 1000): MultiPolygonGeometry {
  const polygon = toJsts(asMulti(geometry), scale);
  const cutter = toJsts(roundLine(line, scale), scale);
  if (!polygon.intersects(cutter)) throw new PolygonEditError('lineDoesNotCross');
  const all = faces(polygon, cutter);
  const added = all.filter((f) => !f.inside && f.touchesLine).map((f) => f.face);
  const inside = all.filter((f) => f.inside);
  const cut = inside.filter((f) => f.touchesLine).sort((a, b) => b.face.getArea() - a.face.getArea());
  const kept = [...inside.filter((f) => !f.touchesLine).map((f) => f.face), ...(cut.length > 0 ? [cut[0]!.face] : [])];
  if (added.length === 0 && cut.length < 2) throw new PolygonEditError('lineDoesNotCross');
  const result = fromJsts(unionAll([...kept, ...added], scale), scale);
  if (result.coordinates.length === 0) throw new PolygonEditError('nothingLeft');
  return result;
}

function roundLine(line: LineStringGeometry, scale: number): LineStringGeometry {
  return { type: 'LineString', coordinates: line.coordinates.map((p) => roundPosition(p, scale)) };
}

// ---- shared-vertex (topological) editing ----

function samePosition(a: Position, b: Position, epsilon: number): boolean {
  return Math.abs(a[0] - b[0]) <= epsilon && Math.abs(a[1] - b[1]) <= epsilon;
}

/** Distance from p to segment ab, and the closest point. */
export function closestOnSegment(p: Position, a: Position, b: Position): { distance: number; point: Position; t: number } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const lengthSquared = dx * dx + dy * dy;
  let t = lengthSquared === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / lengthSquared;
  t = Math.max(0, Math.min(1, t));
  const point: Position = [a[0] + t * dx, a[1] + t * dy];
  return { distance: Math.hypot(p[0] - point[0], p[1] - point[1]), point, t };
}

/** True when the polygon has a vertex at `at` (within epsilon). */
export function hasVertex(geometry: MultiPolygonGeometry, at: Position, epsilon = 1e-6): boolean {
  return geometry.coordinates.some((polygon) => polygon.some((ring) => ring.some((p) => samePosition(p, at, epsilon))));
}

/**
 * Moves every vertex at `from` to `to`. Where an edge passes through `from` without a vertex there (a
 * T-junction with a neighbour), a vertex is inserted first, so the neighbour follows too. Returns null when
 * the polygon has neither.
 */
export function moveSharedVertex(geometry: MultiPolygonGeometry, from: Position, to: Position, epsilon = 1e-6): MultiPolygonGeometry | null {
  let changed = false;
  const coordinates = geometry.coordinates.map((polygon) =>
    polygon.map((ring) => {
      const out: Position[] = [];
      for (let i = 0; i < ring.length; i++) {
        const p = ring[i]!;
        if (samePosition(p, from, epsilon)) {
          out.push([to[0], to[1]]);
          changed = true;
        } else out.push(p);
        const next = ring[i + 1];
        if (next && !samePosition(p, from, epsilon) && !samePosition(next, from, epsilon) && closestOnSegment(from, p, next).distance <= epsilon) {
          out.push([to[0], to[1]]);
          changed = true;
        }
      }
      return out;
    }),
  );
  return changed ? { type: 'MultiPolygon', coordinates } : null;
}

/** Inserts a vertex at `at` into the edge it lies on (within epsilon); returns null when no edge passes there or it is already a vertex. */
export function insertVertex(geometry: MultiPolygonGeometry, at: Position, epsilon = 1e-6): MultiPolygonGeometry | null {
  if (hasVertex(geometry, at, epsilon)) return null;
  let changed = false;
  const coordinates = geometry.coordinates.map((polygon) =>
    polygon.map((ring) => {
      const out: Position[] = [];
      for (let i = 0; i < ring.length; i++) {
        out.push(ring[i]!);
        const next = ring[i + 1];
        if (next && closestOnSegment(at, ring[i]!, next).distance <= epsilon) {
          out.push([at[0], at[1]]);
          changed = true;
        }
      }
      return out;
    }),
  );
  return changed ? { type: 'MultiPolygon', coordinates } : null;
}

/** Removes the vertex at `at` from every ring that has it (rings keep at least 3 distinct points). */
export function removeVertex(geometry: MultiPolygonGeometry, at: Position, epsilon = 1e-6): MultiPolygonGeometry | null {
  let changed = false;
  const coordinates = geometry.coordinates.map((polygon) =>
    polygon.map((ring) => {
      if (!ring.some((p) => samePosition(p, at, epsilon))) return ring;
      const open = ring.slice(0, -1).filter((p) => !samePosition(p, at, epsilon));
      if (open.length < 3) throw new PolygonEditError('tooFewPoints');
      changed = true;
      return [...open, open[0]!];
    }),
  );
  return changed ? { type: 'MultiPolygon', coordinates } : null;
}

export function ringsOf(geometry: MultiPolygonGeometry): Position[][] {
  return geometry.coordinates.flat();
}

// ---- local checks for topological vertex edits (cheap: segment tests near the vertex only) ----

function orient(a: Position, b: Position, c: Position): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

function sameXY(a: Position, b: Position): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** True when segments ab and cd cross at a point interior to both (touching at a shared endpoint is fine). */
export function segmentsCross(a: Position, b: Position, c: Position, d: Position): boolean {
  if (sameXY(a, c) || sameXY(a, d) || sameXY(b, c) || sameXY(b, d)) return false;
  const d1 = orient(c, d, a);
  const d2 = orient(c, d, b);
  const d3 = orient(a, b, c);
  const d4 = orient(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  // A vertex of one lying exactly on the other (a T-touch) also makes the result non-simple.
  const onSegment = (p: Position, q: Position, r: Position) => Math.min(p[0], q[0]) <= r[0] && r[0] <= Math.max(p[0], q[0]) && Math.min(p[1], q[1]) <= r[1] && r[1] <= Math.max(p[1], q[1]);
  if (d1 === 0 && onSegment(c, d, a)) return true;
  if (d2 === 0 && onSegment(c, d, b)) return true;
  if (d3 === 0 && onSegment(a, b, c)) return true;
  if (d4 === 0 && onSegment(a, b, d)) return true;
  return false;
}

function strictlyInsideTriangle(p: Position, a: Position, b: Position, c: Position): boolean {
  const o1 = orient(a, b, p);
  const o2 = orient(b, c, p);
  const o3 = orient(c, a, p);
  return (o1 > 0 && o2 > 0 && o3 > 0) || (o1 < 0 && o2 < 0 && o3 < 0);
}

/** The edges around each occurrence of `at`: [previous, next] neighbours in every ring that has it. */
export function vertexNeighbours(geometry: MultiPolygonGeometry, at: Position, epsilon = 0): [Position, Position][] {
  const result: [Position, Position][] = [];
  for (const polygon of geometry.coordinates) {
    for (const ring of polygon) {
      const n = ring.length - 1; // closed ring
      for (let i = 0; i < n; i++) {
        if (!samePosition(ring[i]!, at, epsilon)) continue;
        result.push([ring[(i - 1 + n) % n]!, ring[(i + 1) % n]!]);
      }
    }
  }
  return result;
}

/**
 * Whether replacing the edges (p, from, n) by (p, to, n) — for every fan — would cross or sweep over any other
 * edge in `edges` (each [a, b]; edges touching `from` are the moving ones and are skipped). `to` null means
 * the vertex is removed: the new edge is (p, n).
 */
export function sweepConflicts(fans: [Position, Position][], from: Position, to: Position | null, edges: [Position, Position][]): boolean {
  const fixed = edges.filter(([a, b]) => !sameXY(a, from) && !sameXY(b, from));
  const newEdges: [Position, Position][] = [];
  const triangles: [Position, Position, Position][] = [];
  for (const [p, n] of fans) {
    if (to) {
      newEdges.push([p, to], [to, n]);
      triangles.push([p, from, to], [n, from, to]);
    } else {
      newEdges.push([p, n]);
      triangles.push([p, from, n]);
    }
  }
  for (const [a, b] of newEdges) for (const [c, d] of fixed) if (segmentsCross(a, b, c, d)) return true;
  for (const [a, b, c] of triangles) for (const [e0, e1] of fixed) if (strictlyInsideTriangle(e0, a, b, c) || strictlyInsideTriangle(e1, a, b, c)) return true;
  return false;
}

/** Every edge of a geometry whose bounding box meets the box. */
export function edgesNear(geometry: MultiPolygonGeometry, box: { minX: number; minY: number; maxX: number; maxY: number }): [Position, Position][] {
  const result: [Position, Position][] = [];
  for (const polygon of geometry.coordinates) {
    for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i]!;
        const b = ring[i + 1]!;
        if (Math.max(a[0], b[0]) < box.minX || Math.min(a[0], b[0]) > box.maxX || Math.max(a[1], b[1]) < box.minY || Math.min(a[1], b[1]) > box.maxY) continue;
        result.push([a, b]);
      }
    }
  }
  return result;
}
