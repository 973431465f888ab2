/**
 * The edit path of the KPIs: after a command, undo or redo the renderer asks the host for only the rows the
 * edit touched (a delta) instead of everything the KPIs depend on, and the worker hands exactly those rows to
 * the engine. Pure: the host reads the rows, the worker applies them (renderer/analysis/kpi-handler.ts).
 */
import type { AnalysisCapacity, AnalysisCatchment, AnalysisFacility } from './kpi';
import type { SettingsRecord } from './settings';

/** What to read after an edit: row keys of the tables the KPIs read (capacityRows are facility_services fids). */
export interface AnalysisChangesRequest {
  catchments: number[];
  facilities: number[];
  capacityRows: number[];
  settings: boolean;
}

/** The rows asked for as they are now; a key asked for whose row no longer exists is listed as removed. */
export interface AnalysisDelta {
  catchments: AnalysisCatchment[];
  removedCatchments: number[];
  facilities: AnalysisFacility[];
  removedFacilities: number[];
  /** Capacity rows with their facility_services fid. */
  capacities: (AnalysisCapacity & { fid: number })[];
  removedCapacityRows: number[];
  /** Every setting, when a setting changed; null otherwise. */
  settings: SettingsRecord | null;
}

/** Tables whose change forces a full read: the engine's unit index and population are built once. */
const RELOAD_TABLES = new Set(['demand_units', 'demand_population', 'residential_points']);
/** Tables a delta carries. catchment_units (paint by units) is not read by the engine: its edits also reshape catchments. */
const DELTA_TABLES = ['catchments', 'facilities', 'facility_services', 'verkosto_settings'] as const;

/**
 * From an edit's touched tables and row keys: the delta to ask for, 'reload' when only a full read will do
 * (population or units changed, or the edit did not say which rows), or null when no KPI depends on it.
 */
export function analysisChangesFor(touched: readonly string[], touchedKeys: Readonly<Record<string, readonly (string | number)[]>> | undefined): AnalysisChangesRequest | 'reload' | null {
  if (touched.some((table) => RELOAD_TABLES.has(table))) return 'reload';
  const relevant = DELTA_TABLES.filter((table) => touched.includes(table));
  if (relevant.length === 0) return null;
  if (!touchedKeys || relevant.some((table) => !touchedKeys[table])) return 'reload';
  const numbers = (table: string) => [...new Set((touchedKeys[table] ?? []).map(Number).filter(Number.isInteger))];
  return {
    catchments: numbers('catchments'),
    facilities: numbers('facilities'),
    capacityRows: numbers('facility_services'),
    settings: relevant.includes('verkosto_settings'),
  };
}
