/**
 * The pure editing core on hand-made shapes: validity with a reason, split and reshape by a line, shared
 * vertex moves (with a T-junction), the local fold check, topological reshape, problems and their fixes,
 * paint deltas computed by hand, and the assignment CSV.
 */
import { describe, expect, it } from 'vitest';
import { formatAssignmentCsv, parseCsv } from '../../shared/editing/assignment-csv';
import { paintDelta, unitMembership, type PaintContext } from '../../shared/editing/paint';
import { detectProblems, fixAllCommand } from '../../shared/editing/problems';
import { reshapeInSet } from '../../shared/editing/reshape-in-set';
import type { MultiPolygonGeometry, Position } from '../../shared/geo/geometry';
import {
  hasVertex,
  intersectionArea,
  moveSharedVertex,
  polygonArea,
  polygonProblem,
  repairPolygon,
  reshapePolygon,
  splitPolygon,
  sweepConflicts,
  vertexNeighbours,
} from '../../shared/geo/polygon-edit';

function rect(x0: number, y0: number, x1: number, y1: number): MultiPolygonGeometry {
  return { type: 'MultiPolygon', coordinates: [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]] };
}

describe('validity', () => {
  it('names the problem: self-crossing, sliver, too few points; accepts a square', () => {
    expect(polygonProblem(rect(0, 0, 100, 100))).toBeNull();
    expect(polygonProblem({ type: 'MultiPolygon', coordinates: [[[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]]] })).toBe('selfIntersection');
    expect(polygonProblem(rect(0, 0, 500, 0.2))).toBe('sliver');
    expect(polygonProblem(rect(0, 0, 0.5, 0.5))).toBe('sliver');
    expect(polygonProblem({ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [0, 0]]]] })).toBe('tooFewPoints');
  });

  it('repairs a bow-tie into two valid triangles', () => {
    const repaired = repairPolygon({ type: 'MultiPolygon', coordinates: [[[[0, 0], [100, 100], [100, 0], [0, 100], [0, 0]]]] });
    expect(repaired).not.toBeNull();
    expect(polygonProblem(repaired!)).toBeNull();
    expect(polygonArea(repaired!)).toBeCloseTo(5000, 6);
  });
});

describe('split and reshape by a line', () => {
  it('splits a square in two along a line, area kept, largest first', () => {
    const pieces = splitPolygon(rect(0, 0, 100, 100), { type: 'LineString', coordinates: [[30, -10], [30, 110]] });
    expect(pieces.map((p) => Math.round(polygonArea(p)))).toEqual([7000, 3000]);
  });

  it('refuses a line that does not cut the polygon in two', () => {
    expect(() => splitPolygon(rect(0, 0, 100, 100), { type: 'LineString', coordinates: [[30, -10], [30, 50]] })).toThrow(/lineDoesNotSplit/);
  });

  it('reshape: a line outside adds the area between it and the boundary; a line inside cuts the smaller side', () => {
    const grown = reshapePolygon(rect(0, 0, 100, 100), { type: 'LineString', coordinates: [[20, 90], [20, 120], [60, 120], [60, 90]] });
    expect(polygonArea(grown)).toBeCloseTo(10_000 + 40 * 20, 6);
    const cut = reshapePolygon(rect(0, 0, 100, 100), { type: 'LineString', coordinates: [[-10, 80], [110, 80]] });
    expect(polygonArea(cut)).toBeCloseTo(8000, 6);
  });

  it('topological reshape takes the added area from the neighbour: the sum stays the same, no overlap', () => {
    const a = { fid: 1, geometry: rect(0, 0, 100, 100), locked: 0 };
    const b = { fid: 2, geometry: rect(100, 0, 200, 100), locked: 0 };
    const changes = reshapeInSet(a, { type: 'LineString', coordinates: [[90, 20], [130, 20], [130, 60], [90, 60]] }, [b]);
    const after = new Map(changes.map((c) => [c.fid, c.geometry]));
    expect(polygonArea(after.get(1)!)).toBeCloseTo(10_000 + 30 * 40, 6);
    expect(polygonArea(after.get(1)!) + polygonArea(after.get(2)!)).toBeCloseTo(20_000, 6);
    expect(intersectionArea(after.get(1)!, after.get(2)!)).toBeLessThan(1e-6);
  });
});

describe('shared vertices', () => {
  it('moves a vertex in a polygon that has it, and inserts it where an edge passes (T-junction)', () => {
    const left = rect(0, 0, 100, 100);
    // The right neighbour has no vertex at (100, 50): its edge passes through it.
    const right = rect(100, 0, 200, 100);
    const withVertex = { type: 'MultiPolygon', coordinates: [[[[0, 0], [100, 0], [100, 50], [100, 100], [0, 100], [0, 0]]]] } as MultiPolygonGeometry;
    const to: Position = [110, 50];
    const movedLeft = moveSharedVertex(withVertex, [100, 50], to)!;
    const movedRight = moveSharedVertex(right, [100, 50], to)!;
    expect(hasVertex(movedLeft, to)).toBe(true);
    expect(hasVertex(movedRight, to)).toBe(true);
    expect(polygonArea(movedLeft) + polygonArea(movedRight)).toBeCloseTo(20_000, 6);
    expect(intersectionArea(movedLeft, movedRight)).toBeLessThan(1e-6);
    expect(moveSharedVertex(left, [50, 50], to)).toBeNull();
  });

  it('finds a fold: moving a vertex across another edge conflicts, a small move does not', () => {
    const shape = { type: 'MultiPolygon', coordinates: [[[[0, 0], [100, 0], [100, 50], [100, 100], [0, 100], [0, 0]]]] } as MultiPolygonGeometry;
    const fans = vertexNeighbours(shape, [100, 50]);
    const edges: [Position, Position][] = [[[150, 0], [150, 100]], [[0, 0], [100, 0]]];
    expect(sweepConflicts(fans, [100, 50], [120, 50], edges)).toBe(false);
    expect(sweepConflicts(fans, [100, 50], [180, 50], edges)).toBe(true);
  });
});

describe('problems', () => {
  const municipality = rect(0, 0, 300, 100);
  const base = {
    municipality,
    facilities: [{ fid: 7, name: 'Koulu', language: 'fi', geometry: { type: 'Point', coordinates: [50, 50] } as never, services: ['grades_1_6'] }],
    service: 'grades_1_6',
    language: 'fi',
  };

  it('finds a gap, an overlap, a catchment without a facility; fix all leaves a tiling', () => {
    const input = {
      ...base,
      catchments: [
        { fid: 1, name: 'A', facility_fid: 7, locked: 0, geometry: rect(0, 0, 110, 100) },
        { fid: 2, name: 'B', facility_fid: null, locked: 0, geometry: rect(100, 0, 200, 100) },
        { fid: 3, name: 'C', facility_fid: 7, locked: 0, geometry: rect(220, 0, 300, 100) },
      ],
    };
    const problems = detectProblems(input);
    const kinds = problems.map((p) => p.kind).sort();
    expect(kinds).toEqual(['facilityOutside', 'gap', 'noFacility', 'overlap']);
    expect(problems.find((p) => p.kind === 'gap')!.area).toBeCloseTo(2000, 6);
    expect(problems.find((p) => p.kind === 'overlap')!.area).toBeCloseTo(1000, 6);
    const command = fixAllCommand(input, problems);
    expect(command?.type).toBe('catchment.reshapeMany');
    const fixed = new Map(input.catchments.map((c) => [c.fid, c.geometry]));
    if (command?.type === 'catchment.reshapeMany') for (const change of command.changes) fixed.set(change.fid, change.geometry);
    const again = detectProblems({ ...input, catchments: input.catchments.map((c) => ({ ...c, geometry: fixed.get(c.fid)! })) });
    expect(again.filter((p) => p.kind === 'gap' || p.kind === 'overlap')).toEqual([]);
    expect([...fixed.values()].reduce((sum, g) => sum + polygonArea(g), 0)).toBeCloseTo(30_000, 6);
  });
});

describe('paint deltas (by hand)', () => {
  const units = [
    { fid: 10, geometry: rect(0, 0, 50, 100) },
    { fid: 11, geometry: rect(50, 0, 100, 100) },
    { fid: 12, geometry: rect(100, 0, 150, 100) },
  ];
  const catchments = [
    { fid: 1, geometry: rect(0, 0, 100, 100) },
    { fid: 2, geometry: rect(100, 0, 150, 100) },
  ];
  const ages = (sevenToTwelve: number) => Array.from({ length: 16 }, (_, age) => (age >= 7 && age <= 12 ? sevenToTwelve / 6 : 1));
  const context: PaintContext = {
    year: 2019,
    units: [{ fid: 10, ages: ages(60) }, { fid: 11, ages: ages(120) }, { fid: 12, ages: ages(30) }],
    services: [
      { facility_fid: 100, service: 'grades_1_6', capacity: 200, enrolment: null },
      { facility_fid: 200, service: 'grades_1_6', capacity: 50, enrolment: null },
    ],
    assignments: [],
  };
  const set = { service: 'grades_1_6', language: 'fi' } as const;

  it('membership by interior point; moving unit 11 to catchment 2 moves 120 children', () => {
    const membership = unitMembership(units, catchments, [], set);
    expect([...membership.entries()].sort()).toEqual([[10, 1], [11, 1], [12, 2]]);
    const delta = paintDelta(context, membership, new Map([[1, { facility_fid: 100 }], [2, { facility_fid: 200 }]]), set, 2, [11]);
    expect(delta.byAgeGroup['7_12']).toBeCloseTo(120, 9);
    expect(delta.byAgeGroup['0_2']).toBe(3);
    expect(delta.receiving).toMatchObject({ childrenBefore: 30, childrenAfter: 150, capacity: 50 });
    expect(delta.receiving.utilisationAfter).toBeCloseTo(3, 9);
    expect(delta.donors).toHaveLength(1);
    expect(delta.donors[0]).toMatchObject({ catchmentFid: 1, childrenBefore: 180, childrenAfter: 60 });
    expect(delta.donors[0]!.utilisationAfter).toBeCloseTo(0.3, 9);
  });

  it('an explicit assignment wins over location', () => {
    const membership = unitMembership(units, catchments, [{ unit_fid: 10, catchment_fid: 2, service: 'grades_1_6', language: 'fi' }], set);
    expect(membership.get(10)).toBe(2);
  });
});

describe('assignment CSV', () => {
  it('round-trips, quotes, and defuses spreadsheet formulas', () => {
    const csv = formatAssignmentCsv([{ unit_code: '=HYPERLINK("x")', unit_fid: 3, catchment_fid: 9, catchment_name: 'Koulu, "iso"', service: 'grades_1_6', language: 'fi', source: 'assigned' }]);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(['unit_code', 'unit_fid', 'catchment_fid', 'catchment_name', 'service', 'language', 'source']);
    expect(rows[1]).toEqual(["'=HYPERLINK(\"x\")", '3', '9', 'Koulu, "iso"', 'grades_1_6', 'fi', 'assigned']);
    expect(parseCsv('a;b\r\n1;2\r\n')).toEqual([['a', 'b'], ['1', '2']]);
  });
});
