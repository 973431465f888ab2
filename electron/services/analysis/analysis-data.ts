/**
 * Reads from a project file everything the KPI engine needs (shared/analysis/kpi.ts), in the engine's
 * flat shapes: the host sends this to the renderer's worker and the CLI feeds it to the same engine.
 */
import type Database from 'better-sqlite3';
import type { AnalysisCapacity, AnalysisCatchment, AnalysisData, AnalysisFacility } from '../../../shared/analysis/kpi';
import type { MultiPolygonGeometry, PointGeometry } from '../../../shared/geo/geometry';
import { decodeGeoPackageGeometry } from '../../../shared/geo/gpkg-geometry';
import { POPULATION_AGE_COLUMNS } from '../../store/layer-tables';
import type { ProjectFile } from '../../store/project-file';

function geometry<T>(blob: unknown): T | null {
  return (decodeGeoPackageGeometry(blob as Uint8Array | null)?.geometry ?? null) as T | null;
}

/** Population rows column-wise (16 ages per row) in typed arrays; a missing value is NaN. */
export function readPopulationColumns(db: Database.Database): AnalysisData['population'] {
  const count = (db.prepare('SELECT COUNT(*) AS n FROM demand_population').get() as { n: number }).n;
  const unitFid = new Int32Array(count);
  const year = new Int32Array(count);
  const source: string[] = new Array(count);
  const ages = new Float64Array(count * 16);
  let index = 0;
  const statement = db.prepare(`SELECT unit_fid, year, source, ${POPULATION_AGE_COLUMNS.join(', ')} FROM demand_population ORDER BY year, unit_fid`).raw(true);
  for (const row of statement.iterate() as Iterable<unknown[]>) {
    if (index >= count) break;
    unitFid[index] = row[0] as number;
    year[index] = row[1] as number;
    source[index] = row[2] as string;
    for (let age = 0; age < 16; age += 1) {
      const value = row[3 + age] as number | null;
      ages[index * 16 + age] = value === null ? NaN : value;
    }
    index += 1;
  }
  return { unitFid, year, source, ages };
}

/** Residential points with a positive weight, column-wise; undefined when the project has none. */
export function readResidentialPoints(db: Database.Database): AnalysisData['residentialPoints'] {
  const rows = db.prepare('SELECT geom, weight FROM residential_points WHERE weight > 0 ORDER BY fid').raw(true).all() as [unknown, number][];
  const x: number[] = [];
  const y: number[] = [];
  const weight: number[] = [];
  for (const [blob, value] of rows) {
    const point = geometry<PointGeometry>(blob);
    if (!point || point.type !== 'Point') continue;
    x.push(point.coordinates[0]);
    y.push(point.coordinates[1]);
    weight.push(value);
  }
  return x.length > 0 ? { x, y, weight } : undefined;
}

/** The same data with plain arrays, for the JSON of the host contract (typed arrays do not survive JSON). */
export function toTransportable(data: AnalysisData): AnalysisData {
  const { population } = data;
  return {
    ...data,
    population: {
      unitFid: Array.from(population.unitFid),
      year: Array.from(population.year),
      source: Array.from(population.source),
      ages: Array.from(population.ages, (value) => (value === null || Number.isNaN(value) ? null : value)),
    },
  };
}

export const CATCHMENT_SELECT = 'SELECT fid, geom, name, service, language, facility_fid FROM catchments';
export const FACILITY_SELECT = 'SELECT fid, geom, name_fi, language, status, opens_year, closes_year, floor_area_m2, operating_cost_eur, investment_need_eur FROM facilities';
export const CAPACITY_SELECT = 'SELECT fid, facility_fid, service, capacity, capacity_change_year, capacity_after_change FROM facility_services';

export function catchmentFromRow(row: Record<string, unknown>): AnalysisCatchment {
  return {
    fid: row.fid as number,
    name: row.name as string,
    service: row.service as string,
    language: row.language as string,
    facilityFid: (row.facility_fid as number | null) ?? null,
    geometry: geometry<MultiPolygonGeometry>(row.geom),
  };
}

export function facilityFromRow(row: Record<string, unknown>): AnalysisFacility {
  return {
    fid: row.fid as number,
    name: row.name_fi as string,
    language: row.language as string,
    status: row.status as string,
    opensYear: (row.opens_year as number | null) ?? null,
    closesYear: (row.closes_year as number | null) ?? null,
    geometry: geometry<PointGeometry>(row.geom),
    floorAreaM2: (row.floor_area_m2 as number | null) ?? null,
    operatingCostEur: (row.operating_cost_eur as number | null) ?? null,
    investmentNeedEur: (row.investment_need_eur as number | null) ?? null,
  };
}

/** A capacity with its facility_services fid, so a later delta can say which row changed or went. */
export function capacityFromRow(row: Record<string, unknown>): AnalysisCapacity & { fid: number } {
  return {
    fid: row.fid as number,
    facilityFid: row.facility_fid as number,
    service: row.service as string,
    capacity: (row.capacity as number | null) ?? null,
    changeYear: (row.capacity_change_year as number | null) ?? null,
    changedCapacity: (row.capacity_after_change as number | null) ?? null,
  };
}

/** Everything the KPIs depend on, read in a handful of queries. */
export function readAnalysisData(file: ProjectFile): AnalysisData {
  const db = file.db;
  const units = (db.prepare('SELECT fid, geom, code, name, unit_kind, swedish_share FROM demand_units ORDER BY fid').all() as Record<string, unknown>[]).map((row) => ({
    fid: row.fid as number,
    kind: row.unit_kind as string,
    code: row.code as string,
    name: (row.name as string | null) ?? null,
    geometry: geometry<MultiPolygonGeometry>(row.geom),
    swedishShare: (row.swedish_share as number | null) ?? null,
  }));
  const catchments = (db.prepare(`${CATCHMENT_SELECT} ORDER BY fid`).all() as Record<string, unknown>[]).map(catchmentFromRow);
  const facilities = (db.prepare(`${FACILITY_SELECT} ORDER BY fid`).all() as Record<string, unknown>[]).map(facilityFromRow);
  const capacities = (db.prepare(`${CAPACITY_SELECT} ORDER BY fid`).all() as Record<string, unknown>[]).map(capacityFromRow);
  const residentialPoints = readResidentialPoints(db);
  return { settings: file.settings(), units, catchments, facilities, capacities, population: readPopulationColumns(db), ...(residentialPoints ? { residentialPoints } : {}) };
}
