/** Whether the workspace is in presentation mode (full screen, large type, KPI cards, editing chrome hidden). */
import { create } from 'zustand';

export interface PresentState {
  active: boolean;
  setActive(active: boolean): void;
}

export const usePresentStore = create<PresentState>()((set) => ({
  active: false,
  setActive: (active) => set({ active }),
}));
