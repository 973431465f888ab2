/**
 * The attribute columns of each feature layer as the current schema has them (after all migrations).
 * Reads, bulk inserts and patches go through these lists, so a column name never comes from a caller.
 */
import type { LayerId } from '../../shared/domain/project';

export const LAYER_COLUMNS: Record<LayerId, readonly string[]> = {
  facilities: [
    'code', 'name_fi', 'name_sv', 'facility_kind', 'language', 'status', 'opens_year', 'closes_year', 'address',
    'floor_area_m2', 'year_built', 'condition', 'renovation_need_eur', 'operating_cost_eur', 'investment_need_eur', 'illustrative',
  ],
  catchments: ['name', 'service', 'language', 'facility_fid', 'origin', 'locked'],
  demand_units: ['code', 'name', 'unit_kind', 'population_total', 'population_year', 'swedish_share'],
  municipality: ['code', 'name_fi', 'name_sv'],
  feedback: ['request_id', 'service_name', 'description', 'status', 'requested_at', 'updated_at', 'address'],
  residential_points: ['weight', 'source'],
};

/** Tables a patch may change, with the column that keys a row and the columns it may write. */
export const PATCHABLE_TABLES: Record<string, { keyColumn: string; columns: readonly string[]; geometry: boolean }> = {
  facilities: { keyColumn: 'fid', columns: LAYER_COLUMNS.facilities, geometry: true },
  catchments: { keyColumn: 'fid', columns: LAYER_COLUMNS.catchments, geometry: true },
  demand_units: { keyColumn: 'fid', columns: LAYER_COLUMNS.demand_units, geometry: true },
  municipality: { keyColumn: 'fid', columns: LAYER_COLUMNS.municipality, geometry: true },
  feedback: { keyColumn: 'fid', columns: LAYER_COLUMNS.feedback, geometry: true },
  facility_services: { keyColumn: 'fid', columns: ['facility_fid', 'service', 'capacity', 'enrolment', 'capacity_change_year', 'capacity_after_change'], geometry: false },
  verkosto_settings: { keyColumn: 'key', columns: ['value'], geometry: false },
  catchment_units: { keyColumn: 'fid', columns: ['unit_fid', 'catchment_fid', 'service', 'language'], geometry: false },
  import_sources: {
    keyColumn: 'source_id',
    columns: ['kind', 'title', 'url', 'file', 'layer', 'target_layer', 'mapping_name', 'publisher', 'licence', 'attribution', 'config', 'created_at', 'last_sync_at'],
    geometry: false,
  },
  import_mappings: { keyColumn: 'name', columns: ['target_layer', 'fields'], geometry: false },
  import_snapshots: { keyColumn: 'fid', columns: ['source_id', 'source_feature_id', 'content_hash', 'retrieved_at', 'target_layer', 'local_fid'], geometry: false },
  comments: { keyColumn: 'fid', columns: ['text', 'author', 'created_at', 'scenario', 'hidden'], geometry: true },
  residential_points: { keyColumn: 'fid', columns: LAYER_COLUMNS.residential_points, geometry: true },
  // Forecasts (forecast.apply) write population rows; observed rows are never part of such a patch.
  demand_population: { keyColumn: 'fid', columns: ['unit_fid', 'year', 'source', 'total', ...Array.from({ length: 16 }, (_, age) => `age_${age}`)], geometry: false },
};

export const POPULATION_AGE_COLUMNS = Array.from({ length: 16 }, (_, age) => `age_${age}`);
