/** The feature the user clicked on the map, shown in the side panel. */
import { create } from 'zustand';
import type { LayerId } from '../../shared/domain/project';

export interface FeatureReference {
  layer: LayerId;
  fid: number;
}

export interface SelectionState {
  selected: FeatureReference | null;
  select(reference: FeatureReference | null): void;
}

export const useSelectionStore = create<SelectionState>()((set) => ({
  selected: null,
  select: (selected) => set({ selected }),
}));
