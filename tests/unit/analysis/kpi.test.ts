import { describe, expect, it } from 'vitest';
import { KpiEngine, type AnalysisData, type KpiRow } from '../../../shared/analysis/kpi';
import { suppressCount } from '../../../shared/analysis/privacy';
import { analysisSettingsFrom, utilisationBand } from '../../../shared/analysis/settings';
import type { MultiPolygonGeometry } from '../../../shared/geo/geometry';

const box = (x0: number, y0: number, x1: number, y1: number): MultiPolygonGeometry => ({
  type: 'MultiPolygon',
  coordinates: [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]],
});

function ages(age: number, count: number): (number | null)[] {
  return Array.from({ length: 16 }, (_, index) => (index === age ? count : 0));
}

/**
 * Four 100 m cells in a row (U1–U3 touching, U4 apart), 2020 population aged 7: 10, 20, 4, 6.
 * Catchment C1 = x 0–150 (U1 and half of U2) → facility F1 at (0, 50), capacity 25;
 * C2 = x 150–300 (other half of U2, U3) → F2 at (300, 50) without a capacity; C3 far away, no facility.
 */
function fixture(): AnalysisData {
  return {
    settings: { 'analysis.swedishShare': 0, 'analysis.freeTransportKm': 0.1 },
    units: [
      { fid: 1, kind: 'grid_250m', code: 'U1', name: null, geometry: box(0, 0, 100, 100) },
      { fid: 2, kind: 'grid_250m', code: 'U2', name: null, geometry: box(100, 0, 200, 100) },
      { fid: 3, kind: 'grid_250m', code: 'U3', name: null, geometry: box(200, 0, 300, 100) },
      { fid: 4, kind: 'grid_250m', code: 'U4', name: null, geometry: box(400, 0, 500, 100) },
    ],
    catchments: [
      { fid: 11, name: 'C1', service: 'grades_1_6', language: 'fi', facilityFid: 21, geometry: box(0, 0, 150, 100) },
      { fid: 12, name: 'C2', service: 'grades_1_6', language: 'fi', facilityFid: 22, geometry: box(150, 0, 300, 100) },
      { fid: 13, name: 'C3', service: 'grades_1_6', language: 'fi', facilityFid: null, geometry: box(600, 0, 700, 100) },
    ],
    facilities: [
      { fid: 21, name: 'F1', language: 'fi', status: 'active', opensYear: null, closesYear: null, geometry: { type: 'Point', coordinates: [0, 50] }, floorAreaM2: 200, operatingCostEur: 100_000, investmentNeedEur: null },
      { fid: 22, name: 'F2', language: 'fi', status: 'active', opensYear: null, closesYear: null, geometry: { type: 'Point', coordinates: [300, 50] }, floorAreaM2: null, operatingCostEur: null, investmentNeedEur: 5 },
    ],
    capacities: [{ facilityFid: 21, service: 'grades_1_6', capacity: 25 }],
    population: {
      unitFid: [1, 2, 3, 4],
      year: [2020, 2020, 2020, 2020],
      source: ['observed', 'observed', 'observed', 'observed'],
      ages: [...ages(7, 10), ...ages(7, 20), ...ages(7, 4), ...ages(7, 6)],
    },
  };
}

const byName = (rows: KpiRow[], name: string) => rows.find((row) => row.name === name)!;

function expectNoBadNumbers(rows: KpiRow[]): void {
  for (const row of rows) {
    for (const value of Object.values(row)) if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
  }
}

describe('KPI engine', () => {
  it('splits a straddling cell by area share and computes catchment KPIs by hand', () => {
    const engine = new KpiEngine(fixture());
    const result = engine.compute(2020, 'grades_1_6');
    const c1 = byName(result.catchments, 'C1');
    // U1 whole (10) + half of U2 (10) = 20 pupils; capacity 25 → 80 %, 5 places spare.
    expect(c1).toMatchObject({ eligible: 20, users: 20, capacity: 25, utilisation: 0.8, surplus: 5, band: 'green' });
    // U1's centre (50, 50) is 50 m from F1, U2's left half (125, 50) 125 m: mean 87.5, P90 125, max 125;
    // half the pupils are over the 100 m limit set in this project.
    expect(c1).toMatchObject({ travelMeanM: 87.5, travelP90M: 125, travelMaxM: 125, overLimitShare: 0.5 });
    // F1's cost and floor area over its 20 users.
    expect(c1).toMatchObject({ costPerUser: 5000, m2PerUser: 10, investmentNeedEur: null });
    expect(c1.gaps).toEqual(['noInvestmentNeed']);
  });

  it('reports gaps as explicit states, never NaN, Infinity or a silent zero', () => {
    const engine = new KpiEngine(fixture());
    const result = engine.compute(2020, 'grades_1_6');
    const c2 = byName(result.catchments, 'C2');
    expect(c2).toMatchObject({ eligible: 14, users: 14, capacity: null, utilisation: null, surplus: null });
    expect(c2.gaps).toContain('noCapacity');
    expect(c2.gaps).toContain('noCost');
    const c3 = byName(result.catchments, 'C3');
    expect(c3.gaps).toContain('noFacility');
    expect(c3.capacity).toBeNull();
    // U4's 6 pupils live outside every catchment: the network row says so.
    expect(result.network).toMatchObject({ eligible: 40, users: 40, outsideUsers: 6, capacity: 25, utilisation: 1.6, band: 'red' });
    expect(result.network.gaps).toContain('outsideCatchments');
    const empty = engine.compute(2031, 'grades_1_6');
    expect(empty.network.eligible).toBeNull();
    expect(empty.network.gaps).toContain('noPopulation');
    expect(byName(empty.catchments, 'C1').gaps).toContain('noPopulation');
    expectNoBadNumbers([...result.catchments, ...result.facilities, result.network, ...empty.catchments, empty.network]);
  });

  it('a facility outside its opening years has no capacity that year', () => {
    const data = fixture();
    data.facilities[0]!.closesYear = 2020;
    const row = byName(new KpiEngine(data).compute(2020, 'grades_1_6').facilities, 'F1');
    expect(row.capacity).toBeNull();
    expect(row.gaps).toContain('facilityClosed');
  });

  it('closing a facility through an update drops its capacity at once, as a full recompute would', () => {
    const engine = new KpiEngine(fixture());
    engine.compute(2020, 'grades_1_6');
    const closed = { ...fixture().facilities[0]!, status: 'closed' };
    engine.updateFacility(closed, closed.fid);
    const incremental = engine.compute(2020, 'grades_1_6');
    expect(byName(incremental.facilities, 'F1').gaps).toContain('facilityClosed');
    const data = fixture();
    data.facilities[0] = closed;
    expect(incremental).toEqual(new KpiEngine(data).compute(2020, 'grades_1_6'));
  });

  it('recomputes only the edited catchment and gives the same result as a full recompute', () => {
    const engine = new KpiEngine(fixture());
    engine.compute(2020, 'grades_1_6');
    const reshaped = { ...fixture().catchments[0]!, geometry: box(0, 0, 100, 100) };
    const { invalidated } = engine.updateCatchment(11, reshaped);
    expect(invalidated).toBe(1);
    const incremental = engine.compute(2020, 'grades_1_6');
    expect(byName(incremental.catchments, 'C1')).toMatchObject({ eligible: 10, users: 10, utilisation: 0.4 });
    expect(incremental.network.outsideUsers).toBe(16);
    const data = fixture();
    data.catchments[0] = reshaped;
    expect(incremental).toEqual(new KpiEngine(data).compute(2020, 'grades_1_6'));
  });

  it('participation and language shares come from the settings', () => {
    const data = fixture();
    data.settings = { 'analysis.swedishShare': 0.25, 'analysis.grades_1_6.elsewhereShare': 0.1 };
    const c1 = byName(new KpiEngine(data).compute(2020, 'grades_1_6').catchments, 'C1');
    expect(c1.eligible).toBe(15); // 20 children × 75 % Finnish-speaking
    expect(c1.users).toBe(13.5); // × 90 % in the municipal school
  });
});

describe('analysis settings and privacy', () => {
  it('has the Finnish defaults and ignores invalid values', () => {
    const settings = analysisSettingsFrom({ 'analysis.daycare_0_2.participation': 7, 'analysis.grades_1_6.minAge': 'x' });
    const daycare = settings.services.find((service) => service.service === 'daycare_0_2')!;
    expect(daycare.participation.slice(0, 4)).toEqual([0, 0.35, 0.35, 0]);
    expect(settings.services.find((service) => service.service === 'daycare_3_5')!.participation[4]).toBe(0.87);
    expect(settings.services.find((service) => service.service === 'grades_1_6')).toMatchObject({ minAge: 7, maxAge: 12, freeTransportLimitM: 5000 });
    expect(utilisationBand(0.95, settings)).toBe('yellow');
    // A per-age rate overrides the service's rate at that age only.
    const perAge = analysisSettingsFrom({ 'analysis.daycare_0_2.participation.age2': 0.5 }).services.find((service) => service.service === 'daycare_0_2')!;
    expect(perAge.participation.slice(1, 3)).toEqual([0.35, 0.5]);
    expect(utilisationBand(1.0, settings)).toBe('red');
  });

  it('shows counts under the threshold as "<5"', () => {
    expect(suppressCount(3, 5)).toBe('<5');
    expect(suppressCount(4.6, 5)).toBe('<5');
    expect(suppressCount(0, 5)).toBe(0);
    expect(suppressCount(12.4, 5)).toBe(12);
  });
});
