import 'jsts/org/locationtech/jts/monkey.js';
import GeometryFactory from 'jsts/org/locationtech/jts/geom/GeometryFactory.js';
import GeoJSONReader from 'jsts/org/locationtech/jts/io/GeoJSONReader.js';
import { describe, expect, it } from 'vitest';
import { convexWindow, indexUnits, membershipOf } from '../../../shared/analysis/overlap';
import type { MultiPolygonGeometry, Position } from '../../../shared/geo/geometry';

const reader = new GeoJSONReader(new GeometryFactory());
const jstsArea = (a: MultiPolygonGeometry, b: MultiPolygonGeometry) =>
  (reader.read(a) as unknown as { intersection(o: unknown): { getArea(): number } }).intersection(reader.read(b)).getArea();

/** A rotated square cell (like a grid cell reprojected from GK25 to TM35FIN). */
function cell(cx: number, cy: number, size: number, angle: number): MultiPolygonGeometry {
  const corners: Position[] = [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(([x, y]) => [
    cx + (size / 2) * (x! * Math.cos(angle) - y! * Math.sin(angle)),
    cy + (size / 2) * (x! * Math.sin(angle) + y! * Math.cos(angle)),
  ]);
  return { type: 'MultiPolygon', coordinates: [[[...corners, corners[0]!]]] };
}

describe('unit membership by area share', () => {
  // A concave polygon with a hole: an L shape minus a square.
  const polygon: MultiPolygonGeometry = {
    type: 'MultiPolygon',
    coordinates: [[
      [[0, 0], [1000, 0], [1000, 400], [400, 400], [400, 1000], [0, 1000], [0, 0]],
      [[100, 100], [100, 250], [250, 250], [250, 100], [100, 100]],
    ]],
  };

  it('gives every cell the share of its area inside the polygon, as JSTS computes it', () => {
    const cells: MultiPolygonGeometry[] = [];
    for (let x = -60; x < 1100; x += 83) for (let y = -60; y < 1100; y += 83) cells.push(cell(x, y, 90, 0.03));
    const units = indexUnits(cells);
    const membership = membershipOf(polygon, units);
    expect(membership.intersected).toBeGreaterThan(10);
    const shares = new Map([...membership.units].map((unit, index) => [unit, membership.shares[index]!]));
    cells.forEach((geometry, unit) => {
      const expected = jstsArea(polygon, geometry) / units.areas[unit]!;
      expect(shares.get(unit) ?? 0).toBeCloseTo(expected, 9);
    });
  });

  it('uses JSTS for non-convex units and gets the same share', () => {
    const concave: MultiPolygonGeometry = { type: 'MultiPolygon', coordinates: [[[[900, 300], [1100, 300], [1100, 500], [1000, 350], [900, 500], [900, 300]]]] };
    expect(convexWindow(concave)).toBeNull();
    const units = indexUnits([concave]);
    const membership = membershipOf(polygon, units);
    expect(membership.shares[0]).toBeCloseTo(jstsArea(polygon, concave) / units.areas[0]!, 9);
  });

  it('handles units whose boundaries run along the polygon: inside, outside, half in, with a hole', () => {
    const units: MultiPolygonGeometry[] = [
      // An L-shaped (non-convex) unit along the polygon's bottom edge, inside.
      { type: 'MultiPolygon', coordinates: [[[[400, 0], [700, 0], [700, 400], [600, 400], [600, 100], [400, 100], [400, 0]]]] },
      // The same shape just below the polygon: it shares the edge y = 0 and is outside.
      { type: 'MultiPolygon', coordinates: [[[[400, 0], [400, -100], [700, -100], [700, 0], [600, 0], [500, -50], [400, 0]]]] },
      // A non-convex unit astride the edge x = 1000 along y = 0.
      { type: 'MultiPolygon', coordinates: [[[[900, 0], [1100, 0], [1100, 300], [1000, 150], [900, 300], [900, 0]]]] },
      // A unit with a hole, around the polygon's own hole.
      { type: 'MultiPolygon', coordinates: [[[[50, 50], [300, 50], [300, 300], [50, 300], [50, 50]], [[120, 120], [120, 200], [200, 200], [200, 120], [120, 120]]]] },
    ];
    const index = indexUnits(units);
    const membership = membershipOf(polygon, index);
    const shares = new Map([...membership.units].map((unit, position) => [unit, membership.shares[position]!]));
    units.forEach((geometry, unit) => {
      expect(shares.get(unit) ?? 0, `unit ${unit}`).toBeCloseTo(jstsArea(polygon, geometry) / index.areas[unit]!, 9);
    });
    expect(shares.get(0)).toBe(1);
    expect(shares.has(1)).toBe(false);
  });

  it('counts a unit wholly inside once with share 1 and ignores one outside', () => {
    const units = indexUnits([cell(50, 600, 40, 0), cell(700, 700, 40, 0), null]);
    const membership = membershipOf(polygon, units);
    expect([...membership.units]).toEqual([0]);
    expect([...membership.shares]).toEqual([1]);
  });
});
