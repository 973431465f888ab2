import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KpiEngine, type AnalysisData } from '../../shared/analysis/kpi';
import { fakeHostClient, render, waitFor, type Rendered } from '../test/render';
import { attachAnalysis } from './analysis-controller';
import { useAnalysisStore } from './analysis-store';
import { KpiTable } from './kpi-table';
import { SelectionKpis } from './selection-kpis';

const box = (x0: number, x1: number) => ({ type: 'MultiPolygon' as const, coordinates: [[[[x0, 0], [x1, 0], [x1, 100], [x0, 100], [x0, 0]]]] as [number, number][][][] });

/** Two catchments: A (3 pupils aged 7, facility 1 with capacity 20) and B (40 pupils, facility 2 without capacity). */
function data(): AnalysisData {
  return {
    settings: { 'analysis.swedishShare': 0 },
    units: [
      { fid: 1, kind: 'grid_250m', code: 'a', name: null, geometry: box(0, 100) },
      { fid: 2, kind: 'grid_250m', code: 'b', name: null, geometry: box(100, 200) },
    ],
    catchments: [
      { fid: 11, name: 'Alue A', service: 'grades_1_6', language: 'fi', facilityFid: 1, geometry: box(0, 100) },
      { fid: 12, name: 'Alue B', service: 'grades_1_6', language: 'fi', facilityFid: 2, geometry: box(100, 200) },
    ],
    facilities: [
      { fid: 1, name: 'Koulu A', language: 'fi', status: 'active', opensYear: null, closesYear: null, geometry: { type: 'Point', coordinates: [50, 50] }, floorAreaM2: null, operatingCostEur: null, investmentNeedEur: null },
      { fid: 2, name: 'Koulu B', language: 'fi', status: 'active', opensYear: null, closesYear: null, geometry: { type: 'Point', coordinates: [150, 50] }, floorAreaM2: null, operatingCostEur: null, investmentNeedEur: null },
    ],
    capacities: [{ facilityFid: 1, service: 'grades_1_6', capacity: 20 }],
    population: { unitFid: [1, 2], year: [2024, 2024], source: ['observed', 'observed'], ages: [...Array.from({ length: 16 }, (_, age) => (age === 7 ? 3 : 0)), ...Array.from({ length: 16 }, (_, age) => (age === 7 ? 40 : 0))] },
  };
}

describe('analysis panels', () => {
  let rendered: Rendered | null = null;

  beforeEach(() => {
    const result = new KpiEngine(data()).compute(2024, 'grades_1_6');
    useAnalysisStore.setState({ ...useAnalysisStore.getInitialState(), result, year: 2024, years: [2024], settings: data().settings, status: 'ready' });
  });

  afterEach(() => {
    rendered?.unmount();
    rendered = null;
  });

  it('shows a catchment without capacity as a dash with the reason, never as zero', async () => {
    rendered = await render(<SelectionKpis layer="catchments" fid={12} />);
    const text = (id: string) => rendered!.container.querySelector(`[data-testid="${id}"]`)?.textContent;
    expect(text('kpi-users')).toBe('40');
    expect(text('kpi-capacity')).toBe('–');
    expect(text('kpi-utilisation')).toBe('–');
    expect(text('kpi-gaps')).toContain('toimipisteellä ei ole kapasiteettia tälle palvelulle');
  });

  it('suppresses small counts as "<5" in presentation mode, and what would reveal them', async () => {
    rendered = await render(<SelectionKpis layer="catchments" fid={11} />);
    const text = (id: string) => rendered!.container.querySelector(`[data-testid="${id}"]`)?.textContent;
    expect(text('kpi-users')).toBe('3');
    await act(async () => useAnalysisStore.getState().setPresentation(true));
    expect(text('kpi-users')).toBe('<5');
    expect(text('kpi-utilisation')).toBe('<5');
    expect(text('kpi-surplus')).toBe('<5');
    expect(text('kpi-capacity')).toBe('20');
  });

  it('sorts the KPI table by a column, gaps last', async () => {
    rendered = await render(<KpiTable />);
    const names = () => [...rendered!.container.querySelectorAll('[data-testid="kpi-table"] tbody tr td:first-child')].map((cell) => cell.textContent);
    // Default: facilities by utilisation, highest first; Koulu B has no utilisation and sorts last.
    expect(names()).toEqual(['Koulu A', 'Koulu B']);
    const usersHeader = [...rendered.container.querySelectorAll('th button')].find((button) => button.textContent?.startsWith('Käyttäjiä'))!;
    await act(async () => (usersHeader as HTMLButtonElement).click());
    expect(names()).toEqual(['Koulu B', 'Koulu A']);
  });

  it('computes on the main thread where no Web Worker can start (jsdom has none), with the same numbers', async () => {
    useAnalysisStore.getState().reset();
    const detach = attachAnalysis(fakeHostClient({ getAnalysisData: async () => data() }));
    try {
      // The result of the year shown arrives first, the charts' series right after it.
      await waitFor(() => useAnalysisStore.getState().result !== null && useAnalysisStore.getState().series !== null, 5_000);
      const state = useAnalysisStore.getState();
      expect(state.year).toBe(2024);
      expect(state.result!.network).toMatchObject({ eligible: 43, users: 43, capacity: 20 });
      expect(state.series?.map((point) => point.year)).toEqual([2024]);
    } finally {
      detach();
    }
  });
});
