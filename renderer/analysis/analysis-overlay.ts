/**
 * The analysis colouring on the map: one vector layer over the catchments' own source, styled by the KPI
 * result (traffic light, demand or change). While it shows, the categorical catchment fill underneath is
 * hidden, so the colours read true; selection and hit detection stay with the catchments layer.
 */
import type OlMap from 'ol/Map.js';
import type { FeatureLike } from 'ol/Feature.js';
import VectorLayer from 'ol/layer/Vector.js';
import type VectorSource from 'ol/source/Vector.js';
import { Fill, Stroke, Style } from 'ol/style.js';
import { catchmentSetKey, useLayerStore } from '../state/layer-store';
import { catchmentColours } from './analysis-colours';
import { useAnalysisStore } from './analysis-store';

const styleCache = new Map<string, Style>();
function fillStyle(colour: string | null): Style {
  const key = colour ?? 'none';
  let style = styleCache.get(key);
  if (!style) {
    style = colour
      ? new Style({ fill: new Fill({ color: `${colour}b3` }), stroke: new Stroke({ color: 'rgba(30,38,48,0.75)', width: 1.4 }) })
      : // No data: no fill, a dashed outline, so "unknown" never looks like "fine".
        new Style({ fill: new Fill({ color: 'rgba(139,150,163,0.18)' }), stroke: new Stroke({ color: 'rgba(70,82,96,0.9)', width: 1.4, lineDash: [6, 4] }) });
    styleCache.set(key, style);
  }
  return style;
}

export function attachAnalysisOverlay(map: OlMap): () => void {
  const catchmentsLayer = map.getLayers().getArray().find((layer) => layer.get('key') === 'catchments') as VectorLayer<VectorSource> | undefined;
  if (!catchmentsLayer) return () => undefined;
  let colours = new Map<number, string | null>();
  const overlay = new VectorLayer({
    source: catchmentsLayer.getSource()!,
    properties: { key: 'analysis' },
    style: (feature: FeatureLike) => {
      const shown = useLayerStore.getState().shownCatchmentSet;
      if (shown !== null && catchmentSetKey(feature.get('service'), feature.get('language')) !== shown) return undefined;
      const fid = Number(feature.getId());
      if (!colours.has(fid)) return undefined;
      return fillStyle(colours.get(fid) ?? null);
    },
  });
  // Directly above the catchments layer in the layer list, below boundaries, facilities and the highlight.
  const layers = map.getLayers();
  layers.insertAt(layers.getArray().indexOf(catchmentsLayer) + 1, overlay);

  const refresh = () => {
    const analysis = useAnalysisStore.getState();
    const visible = useLayerStore.getState().visibility.catchments;
    colours = catchmentColours(analysis.result, analysis.baseline, analysis.mapMode).colours;
    const active = analysis.mapMode !== 'none' && colours.size > 0;
    overlay.setVisible(active && visible);
    // Opacity 0 keeps the catchments layer for clicks and highlight while its categorical fill is not drawn.
    catchmentsLayer.setOpacity(active ? 0 : 1);
    overlay.changed();
  };
  refresh();
  const offAnalysis = useAnalysisStore.subscribe((state, previous) => {
    if (state.result !== previous.result || state.mapMode !== previous.mapMode || state.baseline !== previous.baseline) refresh();
  });
  const offLayers = useLayerStore.subscribe((state, previous) => {
    if (state.shownCatchmentSet !== previous.shownCatchmentSet || state.visibility !== previous.visibility) refresh();
  });
  return () => {
    offAnalysis();
    offLayers();
    map.removeLayer(overlay);
    catchmentsLayer.setOpacity(1);
  };
}
