/**
 * The analysis delta (shared/analysis/analysis-delta.ts): reads only the rows an edit touched, so an edit
 * reaches the renderer's KPI worker as a few rows instead of every unit, catchment and population row.
 */
import type { AnalysisChangesRequest, AnalysisDelta } from '../../../shared/analysis/analysis-delta';
import type { ProjectFile } from '../../store/project-file';
import { CAPACITY_SELECT, capacityFromRow, CATCHMENT_SELECT, catchmentFromRow, FACILITY_SELECT, facilityFromRow } from './analysis-data';

/** Rows of a table by fid (one query through json_each, however many fids); the fids not found are "removed". */
function rowsByFid<T extends { fid: number }>(file: ProjectFile, select: string, fids: number[], map: (row: Record<string, unknown>) => T): { rows: T[]; removed: number[] } {
  if (fids.length === 0) return { rows: [], removed: [] };
  const rows = (file.db.prepare(`${select} WHERE fid IN (SELECT value FROM json_each(?)) ORDER BY fid`).all(JSON.stringify(fids)) as Record<string, unknown>[]).map(map);
  const found = new Set(rows.map((row) => row.fid));
  return { rows, removed: fids.filter((fid) => !found.has(fid)) };
}

export function readAnalysisChanges(file: ProjectFile, request: AnalysisChangesRequest): AnalysisDelta {
  const catchments = rowsByFid(file, CATCHMENT_SELECT, request.catchments, catchmentFromRow);
  const facilities = rowsByFid(file, FACILITY_SELECT, request.facilities, facilityFromRow);
  const capacities = rowsByFid(file, CAPACITY_SELECT, request.capacityRows, capacityFromRow);
  return {
    catchments: catchments.rows,
    removedCatchments: catchments.removed,
    facilities: facilities.rows,
    removedFacilities: facilities.removed,
    capacities: capacities.rows,
    removedCapacityRows: capacities.removed,
    settings: request.settings ? file.settings() : null,
  };
}
