/**
 * What the analysis shows: the year and service, the map colouring, presentation mode (privacy
 * suppression), and the worker's latest result. The worker is the source of the numbers; this store only
 * holds what it last reported.
 */
import { create } from 'zustand';
import type { KpiResult } from '../../shared/analysis/kpi';
import type { DemandService, SettingsRecord } from '../../shared/analysis/settings';
import type { YearSeriesPoint } from './worker-protocol';

export type AnalysisMapMode = 'utilisation' | 'demand' | 'change' | 'none';
export type AnalysisStatus = 'idle' | 'loading' | 'computing' | 'ready' | 'error';

export interface AnalysisState {
  status: AnalysisStatus;
  error: string | null;
  years: number[];
  forecastYears: number[];
  services: DemandService[];
  unitKinds: Record<number, string | null>;
  /** The project's settings as the worker last got them (the analysis settings are among them). */
  settings: SettingsRecord;
  year: number | null;
  service: DemandService;
  mapMode: AnalysisMapMode;
  presentation: boolean;
  tableOpen: boolean;
  result: KpiResult | null;
  /** The result of the first year, for the "change since" choropleth. */
  baseline: KpiResult | null;
  series: YearSeriesPoint[] | null;
  /** Milliseconds the worker needed for the last computation and the last incremental update. */
  lastComputeMs: number | null;
  lastUpdateMs: number | null;
  /** Counts of computations, so tests and views can wait for the next one. */
  revision: number;
  setYear(year: number): void;
  setService(service: DemandService): void;
  setMapMode(mode: AnalysisMapMode): void;
  setPresentation(on: boolean): void;
  setTableOpen(open: boolean): void;
  reset(): void;
}

const initial = {
  status: 'idle' as AnalysisStatus,
  error: null,
  years: [],
  forecastYears: [],
  services: [],
  unitKinds: {},
  settings: {},
  year: null,
  service: 'grades_1_6' as DemandService,
  mapMode: 'utilisation' as AnalysisMapMode,
  presentation: false,
  tableOpen: false,
  result: null,
  baseline: null,
  series: null,
  lastComputeMs: null,
  lastUpdateMs: null,
  revision: 0,
};

export const useAnalysisStore = create<AnalysisState>()((set) => ({
  ...initial,
  setYear: (year) => set({ year }),
  setService: (service) => set({ service }),
  setMapMode: (mapMode) => set({ mapMode }),
  setPresentation: (presentation) => set({ presentation }),
  setTableOpen: (tableOpen) => set({ tableOpen }),
  reset: () => set({ ...initial }),
}));
