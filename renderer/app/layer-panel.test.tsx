import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_VISIBILITY, useLayerStore } from '../state/layer-store';
import { useUiStore } from '../state/ui-store';
import { click, render, type Rendered } from '../test/render';
import { LayerPanel } from './layer-panel';

describe('LayerPanel', () => {
  let rendered: Rendered | null = null;

  beforeEach(() => {
    useLayerStore.getState().reset();
    useUiStore.getState().setBasemapStatus('probing');
  });

  afterEach(() => {
    rendered?.unmount();
    rendered = null;
  });

  it('shows a checkbox per map layer, checked as the defaults say', async () => {
    rendered = await render(<LayerPanel />);
    for (const [key, visible] of Object.entries(DEFAULT_VISIBILITY)) {
      const checkbox = rendered.container.querySelector<HTMLInputElement>(`[data-testid="layer-toggle-${key}"]`);
      expect(checkbox, key).not.toBeNull();
      expect(checkbox!.checked, key).toBe(visible);
    }
  });

  it('toggles visibility in the layer store', async () => {
    rendered = await render(<LayerPanel />);
    const grid = rendered.container.querySelector<HTMLInputElement>('[data-testid="layer-toggle-demand_grid"]');
    await click(grid);
    expect(useLayerStore.getState().visibility.demand_grid).toBe(true);
    expect(grid!.checked).toBe(true);

    const catchments = rendered.container.querySelector<HTMLInputElement>('[data-testid="layer-toggle-catchments"]');
    await click(catchments);
    expect(useLayerStore.getState().visibility.catchments).toBe(false);
    expect(catchments!.checked).toBe(false);
  });

  it('disables the basemap toggle when offline and says why', async () => {
    useUiStore.getState().setBasemapStatus('offline');
    rendered = await render(<LayerPanel />);
    const basemap = rendered.container.querySelector<HTMLInputElement>('[data-testid="layer-toggle-basemap"]');
    expect(basemap!.disabled).toBe(true);
    expect(rendered.container.textContent).toContain('vektorikartta');
  });

  it('shows choropleth classes and the generated-catchments note from the store', async () => {
    useLayerStore.getState().setBreaks({ densityBreaks: [1000, 2500, 5000, 9000] });
    useLayerStore.getState().setCatchmentOrigins(['generated']);
    rendered = await render(<LayerPanel />);
    const text = rendered.container.textContent ?? '';
    expect(text).toContain('enintään 1');
    expect(text).toContain('yli 9');
    expect(text).toContain('lähimmän koulun');
  });
});
