/**
 * Keeps a map in step with the live workshop. The facilitator's map publishes its view (position, zoom,
 * visible layers, the catchment set on show) while sharing; a participant's map follows every published
 * view. Comment pins are kept loaded for both.
 */
import type OlMap from 'ol/Map.js';
import type { HostClient, LiveView } from '../../shared/contract/host-api';
import { MAP_LAYER_KEYS, useLayerStore, type MapLayerKey } from '../state/layer-store';
import { useUiStore } from '../state/ui-store';
import { useAnalysisStore } from '../analysis/analysis-store';
import { CommentsLayer } from './comments-layer';
import { applyLiveAnalysis, liveAnalysisFromStore } from './live-analysis';
import { useLiveStore } from './live-store';

const PUBLISH_DELAY_MS = 120;

function currentView(map: OlMap): LiveView | null {
  const view = map.getView();
  const center = view.getCenter();
  const resolution = view.getResolution();
  if (!center || resolution === undefined) return null;
  const layers = useLayerStore.getState();
  return {
    center: [center[0]!, center[1]!],
    resolution,
    rotation: view.getRotation(),
    visibleLayers: { ...layers.visibility },
    catchmentSet: layers.shownCatchmentSet,
    year: useAnalysisStore.getState().year,
    analysis: liveAnalysisFromStore(),
  };
}

function followView(map: OlMap, live: LiveView): void {
  map.getView().animate({ center: live.center, resolution: live.resolution, rotation: live.rotation ?? 0, duration: 250 });
  const layers = useLayerStore.getState();
  for (const key of MAP_LAYER_KEYS) {
    const wanted = live.visibleLayers?.[key];
    if (typeof wanted === 'boolean' && layers.visibility[key] !== wanted) layers.setVisible(key as MapLayerKey, wanted);
  }
  if (live.catchmentSet && live.catchmentSet !== layers.shownCatchmentSet) layers.showCatchmentSet(live.catchmentSet);
  if (live.analysis) applyLiveAnalysis(live.analysis);
}

/** Attaches live behaviour to a map; returns the function that detaches it. */
export function attachLiveSync(map: OlMap, host: HostClient, role: 'facilitator' | 'participant'): () => void {
  const comments = new CommentsLayer(map);
  const cleanups: (() => void)[] = [() => comments.dispose()];
  let disposed = false;

  const loadComments = () => {
    host.listComments({ includeHidden: role === 'facilitator' }).then(
      (list) => {
        if (disposed) return;
        useLiveStore.getState().setComments(list);
        comments.show(list);
      },
      (error: unknown) => useUiStore.getState().reportError(error),
    );
  };
  loadComments();
  cleanups.push(host.on('commentsChanged', loadComments));
  cleanups.push(host.on('projectChanged', (result) => result.touched.includes('comments') && loadComments()));

  if (role === 'participant') {
    cleanups.push(host.on('liveViewChanged', (live) => followView(map, live)));
    host.getLiveView({}).then((live) => !disposed && live && followView(map, live), () => {});
    const onClick = (event: { coordinate: number[] }) => {
      if (!useLiveStore.getState().placingComment) return;
      useLiveStore.getState().setDraftPoint([event.coordinate[0]!, event.coordinate[1]!]);
    };
    map.on('singleclick', onClick);
    cleanups.push(() => map.un('singleclick', onClick));
  } else {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const publish = () => {
      if (!useLiveStore.getState().sharing?.active) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        const live = currentView(map);
        if (live && !disposed) host.publishView(live).catch((error: unknown) => useUiStore.getState().reportError(error));
      }, PUBLISH_DELAY_MS);
    };
    map.on('moveend', publish);
    cleanups.push(() => map.un('moveend', publish));
    cleanups.push(useLayerStore.subscribe((state, previous) => {
      if (state.visibility !== previous.visibility || state.shownCatchmentSet !== previous.shownCatchmentSet) publish();
    }));
    // The analysis follows too: a new year, service or edit recolours the participants' maps and cards.
    cleanups.push(useAnalysisStore.subscribe((state, previous) => {
      if (state.result !== previous.result || state.mapMode !== previous.mapMode) publish();
    }));
    // A newly started share gets the current view at once.
    cleanups.push(useLiveStore.subscribe((state, previous) => {
      if (state.sharing?.active && !previous.sharing?.active) publish();
    }));
    cleanups.push(() => timer && clearTimeout(timer));
  }

  return () => {
    disposed = true;
    for (const cleanup of cleanups) cleanup();
  };
}
