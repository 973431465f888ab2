// Which rows an edit sends to the KPI worker (shared/analysis/analysis-delta.ts) and which keys an edit lists.
import { describe, expect, it } from 'vitest';
import { analysisChangesFor } from '../../../shared/analysis/analysis-delta';
import { MAX_TOUCHED_KEYS, touchedKeys } from '../../../electron/store/plan-command';

describe('analysisChangesFor', () => {
  it('asks for exactly the touched rows of the tables the engine reads', () => {
    expect(analysisChangesFor(['catchments', 'facility_services', 'catchment_units'], { catchments: [4, '7', 4], facility_services: [12], catchment_units: [1] })).toEqual({
      catchments: [4, 7],
      facilities: [],
      capacityRows: [12],
      settings: false,
    });
    expect(analysisChangesFor(['verkosto_settings'], { verkosto_settings: ['analysis.swedishShare'] })).toEqual({ catchments: [], facilities: [], capacityRows: [], settings: true });
  });

  it('reloads on population or units, or when the rows are not listed; ignores tables no KPI reads', () => {
    expect(analysisChangesFor(['demand_population'], { demand_population: [1] })).toBe('reload');
    expect(analysisChangesFor(['demand_units', 'catchments'], { catchments: [1] })).toBe('reload');
    expect(analysisChangesFor(['catchments'], undefined)).toBe('reload');
    expect(analysisChangesFor(['catchments', 'facilities'], { catchments: [1] })).toBe('reload');
    expect(analysisChangesFor(['comments', 'catchment_units'], { comments: [3], catchment_units: [2] })).toBeNull();
  });
});

describe('touchedKeys', () => {
  it('lists each changed row once per table, and leaves out a table with more rows than an event should carry', () => {
    const big = Array.from({ length: MAX_TOUCHED_KEYS + 1 }, (_, index) => ({ table: 'demand_population', key: index + 1, before: null, after: { year: 2030 } }));
    const keys = touchedKeys([{ table: 'catchments', key: 5, before: {}, after: {} }, { table: 'catchments', key: 5, before: {}, after: {} }, { table: 'verkosto_settings', key: 'a', before: null, after: { value: 1 } }, ...big]);
    expect(keys).toEqual({ catchments: [5], verkosto_settings: ['a'] });
    expect(analysisChangesFor(['catchments', 'demand_population'], keys)).toBe('reload');
  });
});
