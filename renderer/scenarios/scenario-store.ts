/** The scenarios of the open project as the host last reported them. */
import { create } from 'zustand';
import type { ScenarioState } from '../../shared/contract/host-api';

export interface ScenarioStoreState {
  state: ScenarioState | null;
  setState(state: ScenarioState | null): void;
}

export const useScenarioStore = create<ScenarioStoreState>()((set) => ({
  state: null,
  setState: (state) => set({ state }),
}));
