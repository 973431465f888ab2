// A capacity change from a given year (an extension, a pavilion removed) and the network's cost figures.
import { describe, expect, it } from 'vitest';
import { KpiEngine, type AnalysisData, type AnalysisFacility } from '../../../shared/analysis/kpi';
import type { MultiPolygonGeometry } from '../../../shared/geo/geometry';

const box = (x0: number, x1: number): MultiPolygonGeometry => ({ type: 'MultiPolygon', coordinates: [[[[x0, 0], [x1, 0], [x1, 100], [x0, 100], [x0, 0]]]] });
const aged7 = (count: number) => Array.from({ length: 16 }, (_, age) => (age === 7 ? count : 0));
const school = (fid: number, x: number, cost: number | null): AnalysisFacility => ({
  fid, name: `F${fid}`, language: 'fi', status: 'active', opensYear: null, closesYear: null,
  geometry: { type: 'Point', coordinates: [x, 50] }, floorAreaM2: 1000, operatingCostEur: cost, investmentNeedEur: 50_000,
});

/** Two cells of 40 and 10 children aged 7 in 2020–2022; C1 → F1 (30 places, 60 from 2022), C2 → F2 (20 places). */
function fixture(): AnalysisData {
  const years = [2020, 2021, 2022];
  return {
    settings: { 'analysis.swedishShare': 0 },
    units: [1, 2].map((fid) => ({ fid, kind: 'grid_250m', code: `U${fid}`, name: null, geometry: box((fid - 1) * 100, fid * 100) })),
    catchments: [
      { fid: 11, name: 'C1', service: 'grades_1_6', language: 'fi', facilityFid: 21, geometry: box(0, 100) },
      { fid: 12, name: 'C2', service: 'grades_1_6', language: 'fi', facilityFid: 22, geometry: box(100, 200) },
    ],
    facilities: [school(21, 50, 400_000), school(22, 150, 100_000)],
    capacities: [
      { facilityFid: 21, service: 'grades_1_6', capacity: 30, changeYear: 2022, changedCapacity: 60 },
      { facilityFid: 22, service: 'grades_1_6', capacity: 20 },
    ],
    population: {
      unitFid: years.flatMap(() => [1, 2]),
      year: years.flatMap((year) => [year, year]),
      source: years.flatMap(() => ['observed', 'observed']),
      ages: years.flatMap(() => [...aged7(40), ...aged7(10)]),
    },
  };
}

describe('capacity changes from a given year', () => {
  it('uses the old capacity before the year and the new one from it, for the facility and the network', () => {
    const engine = new KpiEngine(fixture());
    const f1 = (year: number) => engine.compute(year, 'grades_1_6').facilities.find((row) => row.fid === 21)!;
    expect(f1(2020).capacity).toBe(30);
    expect(f1(2021).capacity).toBe(30);
    expect(f1(2022).capacity).toBe(60);
    expect(engine.compute(2021, 'grades_1_6').network.capacity).toBe(50);
    expect(engine.compute(2022, 'grades_1_6').network.capacity).toBe(80);
    expect(f1(2021).surplus).toBeCloseTo(-10, 6);
    expect(f1(2022).surplus).toBeCloseTo(20, 6);
  });

  it('follows an edit of the change and its removal', () => {
    const engine = new KpiEngine(fixture());
    engine.updateCapacity(21, 'grades_1_6', 30, 2021, 45);
    expect(engine.compute(2021, 'grades_1_6').network.capacity).toBe(65);
    engine.updateCapacity(21, 'grades_1_6', 30);
    expect(engine.compute(2022, 'grades_1_6').network.capacity).toBe(50);
  });
});

describe('network cost figures', () => {
  it('weights each facility’s cost per user by its users, sums investment needs, and names a missing cost', () => {
    const result = new KpiEngine(fixture()).compute(2020, 'grades_1_6');
    // F1: 400 000 € / 40 users = 10 000; F2: 100 000 € / 10 users = 10 000 → 10 000 either way; m²: 25 and 100.
    expect(result.network.costPerUser).toBeCloseTo((400_000 + 100_000) / 50, 2);
    expect(result.network.m2PerUser).toBeCloseTo((1000 + 1000) / 50, 3);
    expect(result.network.investmentNeedEur).toBe(100_000);
    expect(result.network.gaps).not.toContain('noCost');

    const data = fixture();
    data.facilities[1] = school(22, 150, null);
    const partial = new KpiEngine(data).compute(2020, 'grades_1_6');
    expect(partial.network.costPerUser).toBeCloseTo(400_000 / 40, 2);
    expect(partial.network.gaps).toContain('noCost');
  });
});
