import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FeatureDetails } from '../../shared/contract/host-api';
import { useProjectStore } from '../state/project-store';
import { useSelectionStore } from '../state/selection-store';
import { fakeHostClient, render, waitFor, type Rendered } from '../test/render';
import { SidePanel, bandTotal } from './side-panel';

const school: FeatureDetails = {
  feature: {
    type: 'Feature',
    id: 12,
    geometry: { type: 'Point', coordinates: [385000, 6672000] },
    properties: {
      code: '03114', name_fi: 'Naulakallion koulu', name_sv: null, facility_kind: 'school', language: 'fi', status: 'active',
      opens_year: null, closes_year: null, address: null, floor_area_m2: 900, year_built: null, condition: null,
      renovation_need_eur: null, operating_cost_eur: 1873000, investment_need_eur: null, illustrative: 1,
    },
  },
  related: [
    { facility_fid: 12, service: 'grades_1_6', capacity: 300, enrolment: 270 },
    { facility_fid: 12, service: 'special_needs', capacity: 20, enrolment: null },
  ],
};

const smallArea: FeatureDetails = {
  feature: {
    type: 'Feature',
    id: 95,
    geometry: null,
    properties: { code: '592', name: 'Puroniitty', unit_kind: 'small_area', population_total: 169, population_year: 2019 },
  },
  related: [{ unit_fid: 95, year: 2019, source: 'observed', total: 169, ages: [1, 0, 1, 1, 1, 1, 2, 3, 3, 3, 3, 2, 2, 4, 4, 3] }],
};

describe('SidePanel', () => {
  let rendered: Rendered | null = null;

  beforeEach(() => {
    useSelectionStore.setState({ selected: null });
    useProjectStore.setState({ summary: null });
  });

  afterEach(() => {
    rendered?.unmount();
    rendered = null;
  });

  it('asks the user to pick a feature when nothing is selected', async () => {
    rendered = await render(<SidePanel />);
    expect(rendered.container.querySelector('[data-testid="side-panel"]')!.textContent).toContain('Valitse kohde kartalta');
  });

  it('shows a facility with translated labels, the illustrative note and its services', async () => {
    const getFeature = vi.fn(async () => school);
    rendered = await render(<SidePanel />, fakeHostClient({ getFeature }));
    const { act } = await import('react');
    await act(async () => useSelectionStore.getState().select({ layer: 'facilities', fid: 12 }));
    await waitFor(() => rendered!.container.querySelector('[data-testid="feature-name"]') !== null);
    const panel = rendered.container;
    expect(getFeature).toHaveBeenCalledWith({ layer: 'facilities', fid: 12 });
    expect(panel.querySelector('[data-testid="feature-name"]')!.textContent).toBe('Naulakallion koulu');
    expect(panel.querySelector('[data-testid="illustrative-note"]')).not.toBeNull();
    expect(panel.textContent).toContain('Opetuskieli');
    expect(panel.textContent).toContain('suomi');
    const services = panel.querySelector('[data-testid="facility-services"]')!;
    expect(services.textContent).toContain('Vuosiluokat 1–6');
    expect(services.textContent).toContain('90');
  });

  it('shows a demand unit population by age band', async () => {
    rendered = await render(<SidePanel />, fakeHostClient({ getFeature: async () => smallArea }));
    const { act } = await import('react');
    await act(async () => useSelectionStore.getState().select({ layer: 'demand_units', fid: 95 }));
    await waitFor(() => rendered!.container.querySelector('[data-testid="population-table"]') !== null);
    const cells = [...rendered.container.querySelectorAll('[data-testid="population-table"] tbody td')].map((cell) => cell.textContent);
    expect(cells).toEqual(['2', '3', '2', '16', '11', '169']);
  });
});

describe('bandTotal', () => {
  it('is null when an age in the band is missing', () => {
    expect(bandTotal([1, null, 2], 0, 2)).toBeNull();
    expect(bandTotal([1, 2, 3], 0, 2)).toBe(6);
  });
});
