// Children without a place: over capacity, or in a catchment whose school is closed, lacks capacity or is missing.
import { describe, expect, it } from 'vitest';
import { KpiEngine, type AnalysisData, type AnalysisFacility } from '../../../shared/analysis/kpi';
import { childrenWithoutPlace } from '../../../shared/analysis/shortfall';
import type { MultiPolygonGeometry } from '../../../shared/geo/geometry';

const box = (x0: number, x1: number): MultiPolygonGeometry => ({ type: 'MultiPolygon', coordinates: [[[[x0, 0], [x1, 0], [x1, 100], [x0, 100], [x0, 0]]]] });
const aged7 = (count: number) => Array.from({ length: 16 }, (_, age) => (age === 7 ? count : 0));
const school = (fid: number, x: number): AnalysisFacility => ({
  fid, name: `F${fid}`, language: 'fi', status: 'active', opensYear: null, closesYear: null,
  geometry: { type: 'Point', coordinates: [x, 50] }, floorAreaM2: null, operatingCostEur: null, investmentNeedEur: null,
});

/** Three cells of 30, 12 and 8 children aged 7; C1 → F1 (capacity 20), C2 → F2 (capacity 50), C3 → no school. */
function fixture(): AnalysisData {
  return {
    settings: { 'analysis.swedishShare': 0 },
    units: [1, 2, 3].map((fid) => ({ fid, kind: 'grid_250m', code: `U${fid}`, name: null, geometry: box((fid - 1) * 100, fid * 100) })),
    catchments: [
      { fid: 11, name: 'C1', service: 'grades_1_6', language: 'fi', facilityFid: 21, geometry: box(0, 100) },
      { fid: 12, name: 'C2', service: 'grades_1_6', language: 'fi', facilityFid: 22, geometry: box(100, 200) },
      { fid: 13, name: 'C3', service: 'grades_1_6', language: 'fi', facilityFid: null, geometry: box(200, 300) },
    ],
    facilities: [school(21, 50), school(22, 150)],
    capacities: [
      { facilityFid: 21, service: 'grades_1_6', capacity: 20 },
      { facilityFid: 22, service: 'grades_1_6', capacity: 50 },
    ],
    population: { unitFid: [1, 2, 3], year: [2020, 2020, 2020], source: ['observed', 'observed', 'observed'], ages: [...aged7(30), ...aged7(12), ...aged7(8)] },
  };
}

describe('children without a place', () => {
  it('counts those over capacity and those in a catchment without a school', () => {
    const engine = new KpiEngine(fixture());
    const result = engine.compute(2020, 'grades_1_6');
    const users = (name: string) => result.catchments.find((row) => row.name === name)!.users!;
    expect(users('C1')).toBeGreaterThan(20);
    expect(childrenWithoutPlace(result)).toBeCloseTo(users('C1') - 20 + users('C3'), 6);
  });

  it('grows by every child of a school that is closed', () => {
    const engine = new KpiEngine(fixture());
    const before = childrenWithoutPlace(engine.compute(2020, 'grades_1_6'));
    engine.updateFacility({ ...school(22, 150), status: 'closed' }, 22);
    const result = engine.compute(2020, 'grades_1_6');
    const c2 = result.catchments.find((row) => row.name === 'C2')!.users!;
    expect(c2).toBeGreaterThan(0);
    expect(childrenWithoutPlace(result)).toBeCloseTo(before + c2, 6);
  });
});
