// Hand-computed cases for two inputs of the demand model: per-unit Swedish-speaking shares and residential
// points that split a unit on a catchment boundary (the rule in shared/analysis/overlap.ts).
import { describe, expect, it } from 'vitest';
import { KpiEngine, type AnalysisData, type KpiRow } from '../../../shared/analysis/kpi';
import type { MultiPolygonGeometry } from '../../../shared/geo/geometry';

const box = (x0: number, y0: number, x1: number, y1: number): MultiPolygonGeometry => ({
  type: 'MultiPolygon',
  coordinates: [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]],
});

const aged7 = (count: number) => Array.from({ length: 16 }, (_, age) => (age === 7 ? count : 0));

/**
 * Three 100 m cells in a row with 10, 20 and 4 children aged 7. C1 (Finnish) = x 0–150 with F1 at (0, 50),
 * C2 (Finnish) = x 150–300 with F2 at (300, 50); S1 (Swedish) = x 0–300 without a facility.
 */
function fixture(): AnalysisData {
  return {
    settings: { 'analysis.swedishShare': 0.1 },
    units: [
      { fid: 1, kind: 'grid_250m', code: 'U1', name: null, geometry: box(0, 0, 100, 100), swedishShare: 0.5 },
      { fid: 2, kind: 'grid_250m', code: 'U2', name: null, geometry: box(100, 0, 200, 100) },
      { fid: 3, kind: 'grid_250m', code: 'U3', name: null, geometry: box(200, 0, 300, 100), swedishShare: null },
    ],
    catchments: [
      { fid: 11, name: 'C1', service: 'grades_1_6', language: 'fi', facilityFid: 21, geometry: box(0, 0, 150, 100) },
      { fid: 12, name: 'C2', service: 'grades_1_6', language: 'fi', facilityFid: 22, geometry: box(150, 0, 300, 100) },
      { fid: 13, name: 'S1', service: 'grades_1_6', language: 'sv', facilityFid: null, geometry: box(0, 0, 300, 100) },
    ],
    facilities: [
      { fid: 21, name: 'F1', language: 'fi', status: 'active', opensYear: null, closesYear: null, geometry: { type: 'Point', coordinates: [0, 50] }, floorAreaM2: null, operatingCostEur: null, investmentNeedEur: null },
      { fid: 22, name: 'F2', language: 'fi', status: 'active', opensYear: null, closesYear: null, geometry: { type: 'Point', coordinates: [300, 50] }, floorAreaM2: null, operatingCostEur: null, investmentNeedEur: null },
    ],
    capacities: [],
    population: { unitFid: [1, 2, 3], year: [2020, 2020, 2020], source: ['observed', 'observed', 'observed'], ages: [...aged7(10), ...aged7(20), ...aged7(4)] },
  };
}

const row = (rows: KpiRow[], name: string) => rows.find((entry) => entry.name === name)!;

describe('language shares per demand unit', () => {
  it("uses a unit's own Swedish-speaking share, and the city-wide setting where the unit has none", () => {
    const result = new KpiEngine(fixture()).compute(2020, 'grades_1_6');
    // C1 (Finnish): U1 whole × (1 − 0.5) = 5, plus half of U2 × (1 − 0.1) = 10 × 0.9 = 9 → 14.
    expect(row(result.catchments, 'C1').eligible).toBe(14);
    // C2 (Finnish): half of U2 × 0.9 = 9, plus U3 × 0.9 = 3.6 → 12.6.
    expect(row(result.catchments, 'C2').eligible).toBe(12.6);
    // S1 (Swedish) counts the Swedish speakers only: U1 10 × 0.5 + U2 20 × 0.1 + U3 4 × 0.1 = 7.4.
    expect(row(result.catchments, 'S1').eligible).toBe(7.4);
    // Every child is counted once across the two languages: 14 + 12.6 + 7.4 = 34 = 10 + 20 + 4.
    expect(result.network.eligible).toBe(34);
  });

  it('a change of the city-wide share moves only the units without their own', () => {
    const engine = new KpiEngine(fixture());
    engine.compute(2020, 'grades_1_6');
    engine.updateSettings({ 'analysis.swedishShare': 0.25 });
    const result = engine.compute(2020, 'grades_1_6');
    // S1: U1 keeps its 0.5 → 5; U2 20 × 0.25 = 5; U3 4 × 0.25 = 1 → 11.
    expect(row(result.catchments, 'S1').eligible).toBe(11);
    const fresh = fixture();
    fresh.settings = { 'analysis.swedishShare': 0.25 };
    expect(result).toEqual(new KpiEngine(fresh).compute(2020, 'grades_1_6'));
  });
});

describe('units that straddle a boundary: residential points, else area', () => {
  it('splits a unit with residential points by their weight on each side (a point on the boundary counts on one side)', () => {
    const data = fixture();
    data.settings = { 'analysis.swedishShare': 0 };
    data.units.forEach((unit) => delete unit.swedishShare);
    data.catchments = data.catchments.slice(0, 2);
    // U2 (x 100–200) has three buildings: weight 3 at x 110 (in C1), 1 at x 180 and 4 ON the boundary x 150
    // (in C2: edges are half-open, the point belongs to the catchment on its right). One point lies outside
    // every unit and is ignored.
    data.residentialPoints = { x: [110, 180, 150, 5000], y: [50, 50, 50, 50], weight: [3, 1, 4, 9] };
    const result = new KpiEngine(data).compute(2020, 'grades_1_6');
    const c1 = row(result.catchments, 'C1');
    const c2 = row(result.catchments, 'C2');
    // C1: U1 10 + U2 20 × 3/8 = 7.5 → 17.5 (by area it would be 20). C2: 20 × 5/8 = 12.5 + U3 4 → 16.5.
    expect(c1.eligible).toBe(17.5);
    expect(c2.eligible).toBe(16.5);
    // Travel from the weighted centre of U2's points in C1 (110, 50): 110 m; U1 (no points) from its centre, 50 m.
    // Mean = (10 × 50 + 7.5 × 110) / 17.5 = 75.714… → 75.7; maximum 110.
    expect(c1).toMatchObject({ travelMeanM: 75.7, travelMaxM: 110 });
    // U2's part in C2 is centred on its points there: (1 × 180 + 4 × 150) / 5 = 156 → 144 m from F2 at x 300.
    // U3 (no points) from its centre (250, 50): 50 m. Mean = (12.5 × 144 + 4 × 50) / 16.5 = 121.21… → 121.2.
    expect(c2).toMatchObject({ travelMeanM: 121.2, travelMaxM: 144 });
  });

  it('units without points keep the area rule', () => {
    const data = fixture();
    data.settings = { 'analysis.swedishShare': 0 };
    data.units.forEach((unit) => delete unit.swedishShare);
    data.residentialPoints = { x: [250], y: [50], weight: [2] }; // only U3 has a point
    const c1 = row(new KpiEngine(data).compute(2020, 'grades_1_6').catchments, 'C1');
    expect(c1.eligible).toBe(20); // U1 10 + half of U2's area 10
  });
});
