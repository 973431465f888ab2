/**
 * What is selected, shared by the map, the side panel and the attribute table: `selected` is the feature
 * the user clicked (its details are in the side panel); `picked` is the multi-selection made with
 * Ctrl/Shift+click on the map or in the table — features of one layer at a time (catchments picked there
 * can be merged).
 */
import { create } from 'zustand';
import type { LayerId } from '../../shared/domain/project';

export interface FeatureReference {
  layer: LayerId;
  fid: number;
}

export interface Picked {
  layer: LayerId;
  fids: number[];
}

export interface SelectionState {
  selected: FeatureReference | null;
  picked: Picked | null;
  select(reference: FeatureReference | null): void;
  /** Replaces the multi-selection (null or no fids clears it). */
  setPicked(picked: Picked | null): void;
  /** Adds the feature to the multi-selection, or takes it out; a feature of another layer starts a new one. */
  togglePicked(reference: FeatureReference): void;
}

export const useSelectionStore = create<SelectionState>()((set, get) => ({
  selected: null,
  picked: null,
  select: (selected) => set({ selected }),
  setPicked: (picked) => set({ picked: picked && picked.fids.length > 0 ? picked : null }),
  togglePicked: ({ layer, fid }) => {
    const current = get().picked;
    const fids = current?.layer === layer ? current.fids : [];
    const next = fids.includes(fid) ? fids.filter((f) => f !== fid) : [...fids, fid];
    set({ picked: next.length > 0 ? { layer, fids: next } : null });
  },
}));

/** The catchments in the multi-selection (for merge). */
export function pickedCatchments(picked: Picked | null): number[] {
  return picked?.layer === 'catchments' ? picked.fids : [];
}
