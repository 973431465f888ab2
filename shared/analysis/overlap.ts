/**
 * Which demand units lie in which polygon (a catchment, a statistical area), and with what share.
 *
 * THE RULE (one, documented, deterministic): a unit belongs to a polygon with the share of its population
 * that lies inside the polygon. Where the unit has residential points (e.g. buildings from a register, each
 * with a weight such as residents or dwellings), that share is the weight of its points inside the polygon
 * over the weight of all its points, and the part's centre is the weighted mean of those points; otherwise
 * it is the share of the unit's AREA inside, with the part's area centroid as its centre. A unit inside
 * one catchment counts fully there either way; the part of a unit outside every catchment of a set is
 * reported as such. A point belongs to the first unit of each kind (lowest index) that contains it; a
 * point on a boundary counts on one side only (half-open ray casting), so nothing is counted twice.
 *
 * Speed: unit boxes go into one Flatbush index, each polygon's boundary segments into another. A unit whose
 * box touches no boundary segment lies wholly inside or wholly outside (its box is connected and never
 * meets the boundary), so one ray-casting test decides it; only units whose box meets the boundary are
 * intersected: the polygon is clipped to the unit's box, then to the unit — a convex unit (a grid cell)
 * as one window, any other unit as its earcut triangles (Sutherland–Hodgman against convex windows is
 * exact for areas). Tests compare the shares with JSTS and with SpatiaLite's ST_Intersection.
 */
import earcut from 'earcut';
import Flatbush from 'flatbush';
import type { MultiPolygonGeometry, Position } from '../geo/geometry';



/**
 * A ring (flat x y pairs, no closing point) clipped to a convex counter-clockwise window (Sutherland–Hodgman).
 * The result may have degenerate edges along the window; they add no area, so areas stay exact.
 */
function clipRing(ring: number[], window: number[]): number[] {
  let points = ring;
  const corners = window.length / 2;
  for (let edge = 0; edge < corners && points.length >= 6; edge += 1) {
    const ex = window[edge * 2]!;
    const ey = window[edge * 2 + 1]!;
    const fx = window[((edge + 1) % corners) * 2]!;
    const fy = window[((edge + 1) % corners) * 2 + 1]!;
    const output: number[] = [];
    const n = points.length / 2;
    for (let index = 0; index < n; index += 1) {
      const cx = points[index * 2]!;
      const cy = points[index * 2 + 1]!;
      const previous = (index + n - 1) % n;
      const px = points[previous * 2]!;
      const py = points[previous * 2 + 1]!;
      // side > 0: left of the edge, i.e. inside a counter-clockwise window.
      const sc = (fx - ex) * (cy - ey) - (fy - ey) * (cx - ex);
      const sp = (fx - ex) * (py - ey) - (fy - ey) * (px - ex);
      if (sc >= 0 !== sp >= 0) {
        const t = sp / (sp - sc);
        output.push(px + t * (cx - px), py + t * (cy - py));
      }
      if (sc >= 0) output.push(cx, cy);
    }
    points = output;
  }
  return points.length >= 6 ? points : [];
}

/** Shoelace area and centroid moments of a flat ring (signed by its winding). */
function ringMoments(points: number[]): { area: number; mx: number; my: number } {
  const n = points.length / 2;
  let area2 = 0;
  let rx = 0;
  let ry = 0;
  for (let index = 0; index < n; index += 1) {
    const ax = points[index * 2]!;
    const ay = points[index * 2 + 1]!;
    const bx = points[((index + 1) % n) * 2]!;
    const by = points[((index + 1) % n) * 2 + 1]!;
    const cross = ax * by - bx * ay;
    area2 += cross;
    rx += (ax + bx) * cross;
    ry += (ay + by) * cross;
  }
  return { area: area2 / 2, mx: rx / 6, my: ry / 6 };
}

/** The polygon's rings as flat arrays with their sign: +1 adds area (outer rings), −1 removes it (holes). */
function signedRings(polygon: MultiPolygonGeometry): { points: number[]; sign: number }[] {
  const rings: { points: number[]; sign: number }[] = [];
  for (const part of polygon.coordinates) {
    part.forEach((ring, ringIndex) => {
      const points: number[] = [];
      for (let index = 0; index < ring.length - 1; index += 1) points.push(ring[index]![0], ring[index]![1]);
      // The sign follows the ring's role (outer ring or hole) whatever its winding.
      rings.push({ points, sign: (ringIndex === 0 ? 1 : -1) * Math.sign(ringSignedArea(ring) || 1) });
    });
  }
  return rings;
}

/** Area and centroid moments of the polygon inside convex windows (the windows must not overlap). */
function momentsInWindows(rings: { points: number[]; sign: number }[], windows: number[][]): { area: number; mx: number; my: number } {
  let area = 0;
  let mx = 0;
  let my = 0;
  for (const window of windows) {
    for (const ring of rings) {
      const clipped = clipRing(ring.points, window);
      if (clipped.length === 0) continue;
      const moments = ringMoments(clipped);
      area += ring.sign * moments.area;
      mx += ring.sign * moments.mx;
      my += ring.sign * moments.my;
    }
  }
  return { area, mx, my };
}

/**
 * Area and centroid moments of the rings inside a set of triangles. Triangles whose box meets no ring
 * segment lie wholly inside or outside the rings: one point test each, no clipping.
 */
function momentsInTriangles(rings: { points: number[]; sign: number }[], triangleList: number[][]): { area: number; mx: number; my: number } {
  const segmentCount = rings.reduce((sum, ring) => sum + ring.points.length / 2, 0);
  if (segmentCount === 0) return { area: 0, mx: 0, my: 0 };
  const index = new Flatbush(segmentCount);
  const ends: number[] = [];
  for (const ring of rings) {
    const n = ring.points.length / 2;
    for (let corner = 0; corner < n; corner += 1) {
      const ax = ring.points[corner * 2]!;
      const ay = ring.points[corner * 2 + 1]!;
      const bx = ring.points[((corner + 1) % n) * 2]!;
      const by = ring.points[((corner + 1) % n) * 2 + 1]!;
      index.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
      ends.push(ax, ay, bx, by);
    }
  }
  index.finish();
  const insideRings = (px: number, py: number) => {
    let crossings = 0;
    for (const s of index.search(px, py, Infinity, py)) {
      const x0 = ends[s * 4]!;
      const y0 = ends[s * 4 + 1]!;
      const x1 = ends[s * 4 + 2]!;
      const y1 = ends[s * 4 + 3]!;
      if (y0 > py !== y1 > py && x0 + ((py - y0) * (x1 - x0)) / (y1 - y0) > px) crossings += 1;
    }
    return crossings % 2 === 1;
  };
  let area = 0;
  let mx = 0;
  let my = 0;
  const touching: number[][] = [];
  for (const triangle of triangleList) {
    const [ax, ay, bx, by, cx, cy] = triangle as [number, number, number, number, number, number];
    if (index.search(Math.min(ax, bx, cx), Math.min(ay, by, cy), Math.max(ax, bx, cx), Math.max(ay, by, cy)).length > 0) {
      touching.push(triangle);
      continue;
    }
    if (!insideRings((ax + bx + cx) / 3, (ay + by + cy) / 3)) continue;
    const moments = ringMoments(triangle);
    area += moments.area;
    mx += moments.mx;
    my += moments.my;
  }
  const clipped = momentsInWindows(rings, touching);
  return { area: area + clipped.area, mx: mx + clipped.mx, my: my + clipped.my };
}

/** A non-convex unit as counter-clockwise triangles (earcut handles holes and several parts). */
function triangles(geometry: MultiPolygonGeometry): number[][] {
  const result: number[][] = [];
  for (const part of geometry.coordinates) {
    const flat: number[] = [];
    const holes: number[] = [];
    part.forEach((ring, ringIndex) => {
      if (ringIndex > 0) holes.push(flat.length / 2);
      for (let index = 0; index < ring.length - 1; index += 1) flat.push(ring[index]![0], ring[index]![1]);
    });
    const indices = earcut(flat, holes, 2);
    for (let index = 0; index < indices.length; index += 3) {
      const corners = [indices[index]!, indices[index + 1]!, indices[index + 2]!].flatMap((corner) => [flat[corner * 2]!, flat[corner * 2 + 1]!]);
      const [ax, ay, bx, by, cx, cy] = corners as [number, number, number, number, number, number];
      if ((bx - ax) * (cy - ay) - (by - ay) * (cx - ax) < 0) result.push([ax, ay, cx, cy, bx, by]);
      else result.push(corners);
    }
  }
  return result;
}

/** A unit's outer ring as a counter-clockwise convex window, or null when the unit is not one convex polygon. */
export function convexWindow(geometry: MultiPolygonGeometry): number[] | null {
  if (geometry.coordinates.length !== 1 || geometry.coordinates[0]!.length !== 1) return null;
  const ring = geometry.coordinates[0]![0]!;
  const points: number[] = [];
  for (let index = 0; index < ring.length - 1; index += 1) points.push(ring[index]![0], ring[index]![1]);
  const n = points.length / 2;
  if (n < 3) return null;
  if (ringSignedArea(ring) < 0) {
    const reversed: number[] = [];
    for (let index = n - 1; index >= 0; index -= 1) reversed.push(points[index * 2]!, points[index * 2 + 1]!);
    points.splice(0, points.length, ...reversed);
  }
  for (let index = 0; index < n; index += 1) {
    const ax = points[index * 2]!;
    const ay = points[index * 2 + 1]!;
    const bx = points[((index + 1) % n) * 2]!;
    const by = points[((index + 1) % n) * 2 + 1]!;
    const cx = points[((index + 2) % n) * 2]!;
    const cy = points[((index + 2) % n) * 2 + 1]!;
    if ((bx - ax) * (cy - by) - (by - ay) * (cx - bx) < -1e-9) return null;
  }
  return points;
}


function ringSignedArea(ring: Position[]): number {
  let sum = 0;
  for (let index = 0; index < ring.length - 1; index += 1) sum += ring[index]![0] * ring[index + 1]![1] - ring[index + 1]![0] * ring[index]![1];
  return sum;
}


/** Area and centroid of a multipolygon by the shoelace formula (holes subtract). */
export function areaAndCentroid(geometry: MultiPolygonGeometry): { area: number; x: number; y: number } {
  let area = 0;
  let sx = 0;
  let sy = 0;
  for (const polygon of geometry.coordinates) {
    for (const ring of polygon) {
      // Outer rings and holes may come in either orientation: sign by role, not by winding.
      let ringArea = 0;
      let rx = 0;
      let ry = 0;
      for (let index = 0; index < ring.length - 1; index += 1) {
        const [x0, y0] = ring[index]!;
        const [x1, y1] = ring[index + 1]!;
        const cross = x0 * y1 - x1 * y0;
        ringArea += cross;
        rx += (x0 + x1) * cross;
        ry += (y0 + y1) * cross;
      }
      const sign = (ring === polygon[0] ? 1 : -1) * Math.sign(ringArea || 1);
      area += (sign * ringArea) / 2;
      sx += (sign * rx) / 6;
      sy += (sign * ry) / 6;
    }
  }
  if (area <= 0) {
    const first = geometry.coordinates[0]?.[0]?.[0];
    return { area: 0, x: first?.[0] ?? 0, y: first?.[1] ?? 0 };
  }
  return { area, x: sx / area, y: sy / area };
}

/** Residential points, column-wise: coordinates in the project CRS and a weight (residents, dwellings, …). */
export interface ResidentialPoints {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  weight: ArrayLike<number>;
}

/** Each unit's residential points (CSR: unit u's points are offsets[u]..offsets[u+1]) and their weighted centre. */
export interface UnitPoints {
  offsets: Int32Array;
  x: Float64Array;
  y: Float64Array;
  weight: Float64Array;
  /** Total weight per unit (0 = no points: the unit is split by area). */
  total: Float64Array;
  centreX: Float64Array;
  centreY: Float64Array;
}

/** Units as flat arrays: boxes and area centres, indexed 0..n-1. */
export interface UnitGeometryIndex {
  count: number;
  /** Residential points per unit, or null when the project has none. */
  points: UnitPoints | null;
  geometries: (MultiPolygonGeometry | null)[];
  areas: Float64Array;
  centreX: Float64Array;
  centreY: Float64Array;
  boxes: Float64Array;
  index: Flatbush | null;
  /** Per unit, filled on first use: its convex window, or its triangles when it is not convex. */
  windows: (number[][] | undefined)[];
}

/** Even-odd point-in-polygon over every ring (half-open: a point on an edge is inside on one side only). */
function containsPoint(geometry: MultiPolygonGeometry, px: number, py: number): boolean {
  let crossings = 0;
  for (const polygon of geometry.coordinates) {
    for (const ring of polygon) {
      for (let index = 0; index < ring.length - 1; index += 1) {
        const [x0, y0] = ring[index]!;
        const [x1, y1] = ring[index + 1]!;
        if (y0 > py !== y1 > py && x0 + ((py - y0) * (x1 - x0)) / (y1 - y0) > px) crossings += 1;
      }
    }
  }
  return crossings % 2 === 1;
}

/** Assigns each point with a positive weight to the first containing unit of each kind. */
function assignPoints(points: ResidentialPoints, geometries: (MultiPolygonGeometry | null)[], boxes: Flatbush, kinds: readonly string[]): UnitPoints | null {
  const count = geometries.length;
  const owners: number[][] = [];
  const perUnit = new Int32Array(count);
  for (let point = 0; point < points.x.length; point += 1) {
    const px = points.x[point]!;
    const py = points.y[point]!;
    const weight = points.weight[point]!;
    const found: number[] = [];
    if (Number.isFinite(px) && Number.isFinite(py) && Number.isFinite(weight) && weight > 0) {
      const seen = new Set<string>();
      for (const unit of boxes.search(px, py, px, py).sort((a, b) => a - b)) {
        const kind = kinds[unit] ?? '';
        if (seen.has(kind) || !geometries[unit] || !containsPoint(geometries[unit]!, px, py)) continue;
        seen.add(kind);
        found.push(unit);
        perUnit[unit] = perUnit[unit]! + 1;
      }
    }
    owners.push(found);
  }
  const offsets = new Int32Array(count + 1);
  for (let unit = 0; unit < count; unit += 1) offsets[unit + 1] = offsets[unit]! + perUnit[unit]!;
  const total = offsets[count]!;
  if (total === 0) return null;
  const x = new Float64Array(total);
  const y = new Float64Array(total);
  const weight = new Float64Array(total);
  const totals = new Float64Array(count);
  const centreX = new Float64Array(count);
  const centreY = new Float64Array(count);
  const cursor = offsets.slice(0, count);
  owners.forEach((units, point) => {
    for (const unit of units) {
      const at = cursor[unit]!;
      cursor[unit] = at + 1;
      const w = points.weight[point]!;
      x[at] = points.x[point]!;
      y[at] = points.y[point]!;
      weight[at] = w;
      totals[unit] = totals[unit]! + w;
      centreX[unit] = centreX[unit]! + w * x[at]!;
      centreY[unit] = centreY[unit]! + w * y[at]!;
    }
  });
  for (let unit = 0; unit < count; unit += 1) {
    if (totals[unit]! > 0) {
      centreX[unit] = centreX[unit]! / totals[unit]!;
      centreY[unit] = centreY[unit]! / totals[unit]!;
    }
  }
  return { offsets, x, y, weight, total: totals, centreX, centreY };
}

/**
 * Indexes the units. With residential points (and the units' kinds, so a point counts once per kind),
 * units that contain points are split by them instead of by area.
 */
export function indexUnits(geometries: (MultiPolygonGeometry | null)[], residentialPoints?: ResidentialPoints, kinds?: readonly string[]): UnitGeometryIndex {
  const count = geometries.length;
  const areas = new Float64Array(count);
  const centreX = new Float64Array(count);
  const centreY = new Float64Array(count);
  const boxes = new Float64Array(count * 4);
  const index = count > 0 ? new Flatbush(count) : null;
  geometries.forEach((geometry, unit) => {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    if (geometry) {
      for (const polygon of geometry.coordinates) {
        for (const [x, y] of polygon[0] ?? []) {
          if (x < minX) minX = x;
          if (y < minY) minY = y;
          if (x > maxX) maxX = x;
          if (y > maxY) maxY = y;
        }
      }
      const measured = areaAndCentroid(geometry);
      areas[unit] = measured.area;
      centreX[unit] = measured.x;
      centreY[unit] = measured.y;
    }
    // A unit without geometry gets an empty box far away: it never meets a polygon (it is "outside").
    if (!Number.isFinite(minX)) minX = minY = maxX = maxY = -1e15;
    boxes.set([minX, minY, maxX, maxY], unit * 4);
    index!.add(minX, minY, maxX, maxY);
  });
  index?.finish();
  const points = index && residentialPoints && residentialPoints.x.length > 0 ? assignPoints(residentialPoints, geometries, index, kinds ?? geometries.map(() => '')) : null;
  return { count, points, geometries, areas, centreX, centreY, boxes, index, windows: new Array(count) };
}

/** The members of one polygon: unit indices, the share of each unit's area inside, and the part's centre. */
export interface Membership {
  units: Int32Array;
  shares: Float64Array;
  centreX: Float64Array;
  centreY: Float64Array;
  /** Units that needed a geometric intersection (their box met the boundary). */
  intersected: number;
}

export const EMPTY_MEMBERSHIP: Membership = {
  units: new Int32Array(0),
  shares: new Float64Array(0),
  centreX: new Float64Array(0),
  centreY: new Float64Array(0),
  intersected: 0,
};

/** Segment endpoints of every ring, flat: x0 y0 x1 y1 per segment. */
function segmentsOf(geometry: MultiPolygonGeometry): Float64Array {
  let count = 0;
  for (const polygon of geometry.coordinates) for (const ring of polygon) count += Math.max(0, ring.length - 1);
  const segments = new Float64Array(count * 4);
  let offset = 0;
  for (const polygon of geometry.coordinates) {
    for (const ring of polygon) {
      for (let index = 0; index < ring.length - 1; index += 1) {
        const a = ring[index] as Position;
        const b = ring[index + 1] as Position;
        segments[offset] = a[0];
        segments[offset + 1] = a[1];
        segments[offset + 2] = b[0];
        segments[offset + 3] = b[1];
        offset += 4;
      }
    }
  }
  return segments;
}

/** Computes which units lie in a polygon and with what share of their area (the rule above). */
export function membershipOf(polygon: MultiPolygonGeometry | null, units: UnitGeometryIndex, include?: (unit: number) => boolean): Membership {
  if (!polygon || !units.index || polygon.coordinates.length === 0) return EMPTY_MEMBERSHIP;
  const segments = segmentsOf(polygon);
  const segmentCount = segments.length / 4;
  if (segmentCount === 0) return EMPTY_MEMBERSHIP;
  const segmentIndex = new Flatbush(segmentCount);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let s = 0; s < segmentCount; s += 1) {
    const x0 = segments[s * 4]!;
    const y0 = segments[s * 4 + 1]!;
    const x1 = segments[s * 4 + 2]!;
    const y1 = segments[s * 4 + 3]!;
    segmentIndex.add(Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1));
    minX = Math.min(minX, x0, x1);
    minY = Math.min(minY, y0, y1);
    maxX = Math.max(maxX, x0, x1);
    maxY = Math.max(maxY, y0, y1);
  }
  segmentIndex.finish();

  // Even-odd ray casting to +x, over the segments whose box meets the ray.
  const inside = (px: number, py: number): boolean => {
    let crossings = 0;
    for (const s of segmentIndex.search(px, py, Infinity, py)) {
      const x0 = segments[s * 4]!;
      const y0 = segments[s * 4 + 1]!;
      const x1 = segments[s * 4 + 2]!;
      const y1 = segments[s * 4 + 3]!;
      if (y0 > py !== y1 > py) {
        const xCross = x0 + ((py - y0) * (x1 - x0)) / (y1 - y0);
        if (xCross > px) crossings += 1;
      }
    }
    return crossings % 2 === 1;
  };

  let rings: { points: number[]; sign: number }[] | null = null;
  const points = units.points;
  const members: number[] = [];
  const shares: number[] = [];
  const centresX: number[] = [];
  const centresY: number[] = [];
  let intersected = 0;
  for (const unit of units.index.search(minX, minY, maxX, maxY).sort((a, b) => a - b)) {
    if (include && !include(unit)) continue;
    const geometry = units.geometries[unit];
    if (!geometry || units.areas[unit]! <= 0) continue;
    const bx0 = units.boxes[unit * 4]!;
    const by0 = units.boxes[unit * 4 + 1]!;
    const bx1 = units.boxes[unit * 4 + 2]!;
    const by1 = units.boxes[unit * 4 + 3]!;
    const touches = segmentIndex.search(bx0, by0, bx1, by1);
    const pointWeight = points ? points.total[unit]! : 0;
    if (touches.length === 0) {
      // The box never meets the boundary: wholly inside or wholly outside. Test a point of the box.
      if (inside((bx0 + bx1) / 2, (by0 + by1) / 2)) {
        members.push(unit);
        shares.push(1);
        centresX.push(pointWeight > 0 ? points!.centreX[unit]! : units.centreX[unit]!);
        centresY.push(pointWeight > 0 ? points!.centreY[unit]! : units.centreY[unit]!);
      }
      continue;
    }
    intersected += 1;
    if (pointWeight > 0) {
      // Split by the unit's residential points: the weight inside over the unit's weight.
      let weightInside = 0;
      let sumX = 0;
      let sumY = 0;
      for (let at = points!.offsets[unit]!; at < points!.offsets[unit + 1]!; at += 1) {
        if (!inside(points!.x[at]!, points!.y[at]!)) continue;
        const w = points!.weight[at]!;
        weightInside += w;
        sumX += w * points!.x[at]!;
        sumY += w * points!.y[at]!;
      }
      if (weightInside <= 0) continue;
      const share = weightInside / pointWeight;
      members.push(unit);
      shares.push(share > 1 - 1e-12 ? 1 : share);
      centresX.push(sumX / weightInside);
      centresY.push(sumY / weightInside);
      continue;
    }
    // Clip the polygon to the unit's box first (cheap, keeps only the nearby boundary), then to the unit
    // itself: a convex unit (a grid cell) is one window, any other unit its triangles.
    const box = [bx0, by0, bx1, by0, bx1, by1, bx0, by1];
    rings ??= signedRings(polygon);
    const nearby = rings.map((ring) => ({ points: clipRing(ring.points, box), sign: ring.sign })).filter((ring) => ring.points.length > 0);
    let windows = units.windows[unit];
    if (!windows) {
      const window = convexWindow(geometry);
      windows = window ? [window] : triangles(geometry);
      units.windows[unit] = windows;
    }
    const moments = windows.length === 1 ? momentsInWindows(nearby, windows) : momentsInTriangles(nearby, windows);
    const area = moments.area;
    const share = Math.min(1, area / units.areas[unit]!);
    // Slivers from boundaries drawn along each other (a millionth of the unit, about 1 m² of a km² area) are
    // floating-point noise, not membership; their centroids would be noise too.
    if (share < 1e-6) continue;
    let partX = moments.mx / area;
    let partY = moments.my / area;
    // A part's centre lies within the unit's box; anything else is rounding in a thin part: use the unit's.
    if (!(partX >= bx0 && partX <= bx1 && partY >= by0 && partY <= by1)) {
      partX = units.centreX[unit]!;
      partY = units.centreY[unit]!;
    }
    members.push(unit);
    shares.push(share > 1 - 1e-6 ? 1 : share);
    centresX.push(partX);
    centresY.push(partY);
  }
  return {
    units: Int32Array.from(members),
    shares: Float64Array.from(shares),
    centreX: Float64Array.from(centresX),
    centreY: Float64Array.from(centresY),
    intersected,
  };
}
