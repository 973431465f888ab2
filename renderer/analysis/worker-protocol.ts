/** Messages between the renderer and the KPI worker (kpi.worker.ts). */
import type { AnalysisData, KpiResult } from '../../shared/analysis/kpi';
import type { DemandService } from '../../shared/analysis/settings';
import type { AnalysisDelta } from '../../shared/analysis/analysis-delta';

/** Per year: the network row and every facility's users and capacity, for the charts. */
export interface YearSeriesPoint {
  year: number;
  networkUsers: number | null;
  networkCapacity: number | null;
  /** facility fid → [users, capacity] (null where unknown). */
  facilities: Record<number, [number | null, number | null]>;
}

export type WorkerRequest =
  /** A fresh project, or data the worker cannot patch incrementally (population): rebuild. */
  | { type: 'load'; data: AnalysisData }
  /** New data after an edit: the worker diffs it and recomputes only what changed. */
  | { type: 'update'; data: AnalysisData }
  /** After a command, undo or redo: only the rows it touched (deleted ones named); no comparison of the rest. */
  | { type: 'delta'; delta: AnalysisDelta }
  | { type: 'compute'; id: number; year: number; service: DemandService; withSeries: boolean };

export type WorkerResponse =
  | { type: 'loaded'; years: number[]; services: DemandService[]; forecastYears: number[]; unitKinds: Record<number, string | null> }
  | { type: 'updated'; changedCatchments: number; changedFacilities: number; rebuilt: boolean; milliseconds: number }
  | { type: 'result'; id: number; result: KpiResult; series: YearSeriesPoint[] | null; milliseconds: number }
  /** The charts' series of every year, after the result of the same request (so the panel updates first). */
  | { type: 'series'; id: number; series: YearSeriesPoint[]; milliseconds: number }
  | { type: 'error'; id: number | null; message: string };
