/**
 * React wrapper of the WorkspaceMap: creates it per open project, keeps it in step with the stores
 * (layer visibility, catchment set, selection, edits reported by the host) and shows the map's notes.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProjectSummary } from '../../shared/contract/host-api';
import { LAYER_IDS } from '../../shared/domain/project';
import { useHost } from '../app/host-context';
import { Spinner } from '../app/icons';
import { useLayerStore } from '../state/layer-store';
import { useProjectStore } from '../state/project-store';
import { useSelectionStore } from '../state/selection-store';
import { useUiStore } from '../state/ui-store';
import { attachLiveSync } from '../live/live-sync';
import { attachAnalysis } from '../analysis/analysis-controller';
import { attachAnalysisOverlay } from '../analysis/analysis-overlay';
import { AnalysisBar } from '../analysis/analysis-bar';
import { KpiTable } from '../analysis/kpi-table';
import { useAnalysisStore } from '../analysis/analysis-store';
import './test-api';
import { WorkspaceMap } from './workspace-map';
import { attachEditor } from '../editing/editor';
import { EditingOverlay } from '../editing/editing-overlay';

export interface MapViewProps {
  summary: ProjectSummary;
  /** Where the scale line goes (the status bar); read when the map is created. */
  scaleTargetRef: RefObject<HTMLElement | null>;
}

export function MapView({ summary, scaleTargetRef }: MapViewProps) {
  const { t } = useTranslation();
  const host = useHost();
  const targetRef = useRef<HTMLDivElement>(null);
  const summaryRef = useRef(summary);
  summaryRef.current = summary;
  const [workspaceMap, setWorkspaceMap] = useState<WorkspaceMap | null>(null);
  const [ready, setReady] = useState(false);
  const basemapStatus = useUiStore((state) => state.basemapStatus);
  const hostKind = useProjectStore((state) => state.hostInfo?.kind);
  const analysisEnabled = useProjectStore((state) => state.hostInfo?.kind !== 'participant');
  const kpiTableOpen = useAnalysisStore((state) => state.tableOpen);

  useEffect(() => {
    const target = targetRef.current;
    if (!target) return;
    const layerStore = useLayerStore.getState();
    const ui = useUiStore.getState();
    layerStore.reset();
    ui.setBasemapStatus('probing');
    setReady(false);
    const instance = new WorkspaceMap({
      target,
      scaleTarget: scaleTargetRef.current,
      summary: summaryRef.current,
      client: host,
      visibility: useLayerStore.getState().visibility,
      shownCatchmentSet: null,
      listener: {
        onSelect: (reference) => useSelectionStore.getState().select(reference),
        onCursor: (coordinate) => useUiStore.getState().setCursor(coordinate),
        onLayerLoaded: (key, count) => useLayerStore.getState().setFeatureCount(key, count),
        onBreaks: (breaks) => useLayerStore.getState().setBreaks(breaks),
        onCatchments: ({ origins, sets }) => {
          useLayerStore.getState().setCatchmentOrigins(origins);
          useLayerStore.getState().setCatchmentSets(sets);
        },
        onBasemapStatus: (status) => useUiStore.getState().setBasemapStatus(status),
        onReady: () => setReady(true),
        onError: (error) => useUiStore.getState().reportError(error),
      },
    });
    instance.setSelected(useSelectionStore.getState().selected);
    instance.setLabelLanguage(useUiStore.getState().language);
    setWorkspaceMap(instance);
    // The view's extent for "only the area on the map" in the import dialog.
    const publishExtent = () => {
      const size = instance.map.getSize();
      const extent = size ? instance.map.getView().calculateExtent(size) : null;
      useUiStore.getState().setViewExtent(extent && extent.every(Number.isFinite) ? [extent[0]!, extent[1]!, extent[2]!, extent[3]!] : null);
    };
    instance.map.on('moveend', publishExtent);
    window.__verkosto = { map: instance.map, pixelOf: (layer, fid) => instance.pixelOf(layer, fid), isReady: () => instance.isReady() };
    void instance.loadAll();
    const detachLive = attachLiveSync(instance.map, host, useProjectStore.getState().hostInfo?.kind === 'participant' ? 'participant' : 'facilitator');
    // The editing workspace (issue 3): modes, snapping, topology. Not for workshop participants.
    const editingEnabled = useProjectStore.getState().hostInfo?.kind !== 'participant';
    if (editingEnabled) instance.setClickSelect(false);
    const detachEditor = editingEnabled ? attachEditor(instance.map, host, summaryRef.current.epsg) : () => undefined;
    // Analysis (KPIs in a worker, traffic-light colouring): for the planner, not for workshop participants.
    const analysisEnabled = useProjectStore.getState().hostInfo?.kind !== 'participant';
    const detachAnalysis = analysisEnabled ? attachAnalysis(host) : () => undefined;
    // Participants get no analysis data, only the facilitator's catchment bands (live-analysis.ts): the
    // colouring layer serves both.
    const detachAnalysisOverlay = attachAnalysisOverlay(instance.map);

    const unsubscribeLayers = useLayerStore.subscribe((state, previous) => {
      if (state.visibility !== previous.visibility) instance.setVisibility(state.visibility);
      if (state.shownCatchmentSet !== previous.shownCatchmentSet) instance.setShownCatchmentSet(state.shownCatchmentSet);
    });
    const unsubscribeLanguage = useUiStore.subscribe((state, previous) => {
      if (state.language !== previous.language) instance.setLabelLanguage(state.language);
    });
    const unsubscribeSelection = useSelectionStore.subscribe((state, previous) => {
      if (state.selected !== previous.selected) instance.setSelected(state.selected);
      if (state.picked !== previous.picked) instance.setPicked(state.picked);
    });
    const unsubscribeProject = useProjectStore.subscribe((state, previous) => {
      for (const layer of LAYER_IDS) {
        if (state.layerRevisions[layer] > previous.layerRevisions[layer]) void instance.reloadLayer(layer);
      }
      if (state.summary && state.summary !== previous.summary) instance.setBasemapUrl(WorkspaceMap.basemapUrlOf(state.summary));
    });

    return () => {
      detachAnalysisOverlay();
      detachAnalysis();
      detachLive();
      detachEditor();
      unsubscribeLayers();
      unsubscribeSelection();
      unsubscribeLanguage();
      unsubscribeProject();
      if (window.__verkosto?.map === instance.map) delete window.__verkosto;
      instance.dispose();
      setWorkspaceMap(null);
    };
  }, [host, summary.path, summary.epsg, scaleTargetRef]);

  return (
    <div className="map-area">
      <div ref={targetRef} className="map map--vector-only" data-testid="map" aria-label={t('map.label')} role="region" />
      {workspaceMap && !ready && (
        <div className="map-loading" role="status">
          <Spinner />
          {t('map.loading')}
        </div>
      )}
      {workspaceMap && hostKind !== 'participant' && <EditingOverlay />}
      {analysisEnabled && <AnalysisBar />}
      {analysisEnabled && kpiTableOpen && <KpiTable />}
      {basemapStatus === 'offline' && (
        <div className="map-note" data-testid="offline-note" role="status">
          {t('map.offlineNote')}
        </div>
      )}
    </div>
  );
}
