// The worker's update path and residential points: points that arrive (an import) or go (its undo) after
// the first load must change how a straddling unit splits, as a fresh load would.
import { describe, expect, it } from 'vitest';
import type { AnalysisData } from '../../shared/analysis/kpi';
import type { MultiPolygonGeometry } from '../../shared/geo/geometry';
import { createKpiHandler } from './kpi-handler';
import type { WorkerResponse } from './worker-protocol';

const box = (x0: number, y0: number, x1: number, y1: number): MultiPolygonGeometry => ({ type: 'MultiPolygon', coordinates: [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]] });

/** One 100 m cell with 20 children aged 7, cut in half by the boundary of C1 (x 0–50) and C2 (x 50–100). */
function data(points?: AnalysisData['residentialPoints']): AnalysisData {
  return {
    settings: { 'analysis.swedishShare': 0 },
    units: [{ fid: 1, kind: 'grid_250m', code: 'U1', name: null, geometry: box(0, 0, 100, 100) }],
    catchments: [
      { fid: 11, name: 'C1', service: 'grades_1_6', language: 'fi', facilityFid: null, geometry: box(0, 0, 50, 100) },
      { fid: 12, name: 'C2', service: 'grades_1_6', language: 'fi', facilityFid: null, geometry: box(50, 0, 100, 100) },
    ],
    facilities: [],
    capacities: [],
    population: { unitFid: [1], year: [2020], source: ['observed'], ages: Array.from({ length: 16 }, (_, age) => (age === 7 ? 20 : 0)) },
    ...(points ? { residentialPoints: points } : {}),
  };
}

function c1Eligible(handle: ReturnType<typeof createKpiHandler>, responses: WorkerResponse[]): number | null {
  handle({ type: 'compute', id: responses.length + 1, year: 2020, service: 'grades_1_6', withSeries: false });
  const result = responses.at(-1)!;
  if (result.type !== 'result') throw new Error(JSON.stringify(result));
  return result.result.catchments.find((row) => row.name === 'C1')!.eligible;
}

describe('KPI worker updates with residential points', () => {
  it('an update that adds points re-splits the unit by their weights; one that removes them goes back to area', () => {
    const responses: WorkerResponse[] = [];
    const handle = createKpiHandler((message) => responses.push(message));
    handle({ type: 'load', data: data() });
    // By area: half of the cell's 20 children.
    expect(c1Eligible(handle, responses)).toBe(10);
    // Three buildings: weight 3 in C1, 1 in C2 → C1 gets 3/4 of 20.
    handle({ type: 'update', data: data({ x: [20, 30, 80], y: [50, 50, 50], weight: [2, 1, 1] }) });
    expect(c1Eligible(handle, responses)).toBe(15);
    handle({ type: 'update', data: data() });
    expect(c1Eligible(handle, responses)).toBe(10);
  });
});
