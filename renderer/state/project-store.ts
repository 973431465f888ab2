/**
 * The renderer's mirror of the host's project state. The host is the source of truth: this store only
 * holds what the host last reported (call results and the projectOpened/Closed/Changed events).
 */
import { create } from 'zustand';
import type { HostInfo, ProjectSummary } from '../../shared/contract/host-api';
import type { EditResult } from '../../shared/domain/commands';
import { LAYER_IDS, type LayerId } from '../../shared/domain/project';

type LayerRevisions = Record<LayerId, number>;

const initialRevisions = (): LayerRevisions =>
  Object.fromEntries(LAYER_IDS.map((layer) => [layer, 0])) as LayerRevisions;

export interface ProjectState {
  hostInfo: HostInfo | null;
  summary: ProjectSummary | null;
  /** Bumped per layer when the host reports a change to it, so the map and side panel reload only that. */
  layerRevisions: LayerRevisions;
  /** Bumped on every edit result, for views that depend on tables other than the layers (services, population). */
  editRevision: number;
  setHostInfo(hostInfo: HostInfo): void;
  setSummary(summary: ProjectSummary | null): void;
  applyEditResult(result: EditResult): void;
  /** A change that is not one edit (a scenario switch): reload the tables it touched. */
  applyTableChanges(touched: string[], history: { canUndo: boolean; canRedo: boolean }): void;
}

export const useProjectStore = create<ProjectState>()((set) => ({
  hostInfo: null,
  summary: null,
  layerRevisions: initialRevisions(),
  editRevision: 0,
  setHostInfo: (hostInfo) => set({ hostInfo }),
  setSummary: (summary) =>
    set((state) => {
      const sameProject = state.summary !== null && summary !== null && state.summary.path === summary.path;
      return sameProject ? { summary } : { summary, layerRevisions: initialRevisions(), editRevision: 0 };
    }),
  applyEditResult: (result) =>
    set((state) => {
      const layerRevisions = { ...state.layerRevisions };
      for (const touched of result.touched) {
        if ((LAYER_IDS as readonly string[]).includes(touched)) layerRevisions[touched as LayerId] += 1;
      }
      const summary = state.summary ? { ...state.summary, canUndo: result.canUndo, canRedo: result.canRedo } : null;
      return { layerRevisions, editRevision: state.editRevision + 1, summary };
    }),
  applyTableChanges: (touched, history) =>
    set((state) => {
      const layerRevisions = { ...state.layerRevisions };
      for (const table of touched) {
        if ((LAYER_IDS as readonly string[]).includes(table)) layerRevisions[table as LayerId] += 1;
      }
      const summary = state.summary ? { ...state.summary, ...history } : null;
      return { layerRevisions, editRevision: state.editRevision + 1, summary };
    }),
}));
