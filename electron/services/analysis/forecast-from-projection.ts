/**
 * A municipal population projection (Statistics Finland's PxWeb table, one municipality by year and
 * single-year age) as a forecast of the project's demand units: each year's children of each age are
 * shared out to the units in proportion to that age's children in the newest observed year (top-down
 * "constant share" distribution). The municipality's totals are kept exactly; where a unit's children sit
 * in the base year, they stay in the forecast — new housing areas are not foreseen, which the city's own
 * small-area forecast would do better (import that with `--input FILE`).
 */
import type Database from 'better-sqlite3';
import { VerkostoError } from '../../../shared/errors';
import type { FeatureSource, SourceFeature } from '../../../shared/import/feature-source';
import type { StoredSourceConfig } from '../../../shared/import/types';
import { POPULATION_AGE_COLUMNS } from '../../store/layer-tables';
import { findPreset } from '../import/presets/presets';
import type { PxWebTable } from '../import/readers/network/pxweb-source';
import type { ForecastRow } from './forecast-service';

export interface ProjectionRow {
  area: string;
  year: number;
  /** Residents aged 0–15. */
  ages: number[];
}

const UNIT_KIND_ORDER = ['grid_250m', 'grid_1km', 'small_area'];

export const PROJECTION_PRESET_ID = 'statfi-population-projection';

/**
 * The PxWeb source configuration of the population projection preset, for another municipality
 * (`area`, e.g. KU049 for Espoo) or another database URL when given.
 */
export function projectionSourceConfig(options: { url?: string | null; area?: string | null } = {}): StoredSourceConfig {
  const preset = findPreset(PROJECTION_PRESET_ID)!;
  const config: StoredSourceConfig = {
    id: PROJECTION_PRESET_ID, kind: 'pxweb', title: preset.id, url: options.url ?? preset.url, file: null, layer: preset.layer, targetLayer: 'demand_units',
    mappingName: null, publisher: preset.publisher, licence: preset.licence, attribution: preset.attribution, epsg: null,
    options: { tables: structuredClone(preset.options.tables), presetId: preset.id },
  };
  return options.area ? withProjectionArea(config, preset.layer, options.area) : config;
}

/** The configuration with the table's `Alue` (municipality, e.g. KU049) replaced; other settings kept. */
export function withProjectionArea(config: StoredSourceConfig, layer: string, area: string): StoredSourceConfig {
  const tables = structuredClone(config.options.tables ?? {}) as Record<string, PxWebTable>;
  const table = tables[layer];
  if (table && 'Alue' in table.selection) table.selection.Alue = [area];
  return { ...config, options: { ...config.options, tables } };
}

/** Statistics Finland's code of the project's municipality (KU + the three-digit code), when the project has one. */
export function projectMunicipalityArea(db: Database.Database): string | null {
  const codes = db.prepare('SELECT DISTINCT code FROM municipality').all() as { code: string | null }[];
  const code = codes.length === 1 ? String(codes[0]!.code ?? '').trim() : '';
  return /^\d{3}$/.test(code) ? `KU${code}` : null;
}

/** The rows of a projection table read from its source: area, year and the age_0 … age_15 columns. */
export async function readProjection(source: FeatureSource, layer: string, signal?: AbortSignal): Promise<ProjectionRow[]> {
  const rows: ProjectionRow[] = [];
  for await (const feature of source.readFeatures(layer, { signal })) rows.push(projectionRow(feature));
  if (rows.length === 0) throw new VerkostoError('forecastBadTable', { detail: `${source.description}: no rows` });
  return rows;
}

function projectionRow(feature: SourceFeature): ProjectionRow {
  const properties = feature.properties;
  const year = Number(properties.Vuosi ?? properties.year);
  const area = String(properties.Alue ?? properties.area ?? '');
  if (!area || !Number.isInteger(year)) throw new VerkostoError('forecastBadTable', { detail: `row ${feature.sourceId}: area or year missing` });
  const ages = POPULATION_AGE_COLUMNS.map((column, age) => {
    const value = properties[column];
    const count = typeof value === 'number' ? value : Number(value);
    if (value === null || value === undefined || !Number.isFinite(count) || count < 0) throw new VerkostoError('forecastBadTable', { detail: `row ${feature.sourceId}: age ${age} is “${String(value)}”` });
    return count;
  });
  return { area, year, ages };
}

/**
 * Forecast rows for the demand units: each projection year after the newest observed year, shared out by
 * the units' observed children of each age (a unit with none of an age gets none; an age no unit has is
 * shared by the units' children of all ages).
 */
export function distributeProjection(db: Database.Database, table: ProjectionRow[]): { rows: ForecastRow[]; fromYear: number; toYear: number; baseYear: number; area: string } {
  const areas = [...new Set(table.map((row) => row.area))];
  if (areas.length !== 1) throw new VerkostoError('forecastBadTable', { detail: `the projection has ${areas.length} areas (${areas.slice(0, 5).join(', ')}); choose one municipality` });
  const base = db.prepare("SELECT MAX(year) AS year FROM demand_population WHERE source <> 'forecast'").get() as { year: number | null };
  if (base.year == null) throw new VerkostoError('forecastNoBase', { detail: 'no observed population to share the projection out by' });
  const observed = db
    .prepare(`SELECT p.unit_fid, u.unit_kind, ${POPULATION_AGE_COLUMNS.map((column) => `p.${column}`).join(', ')} FROM demand_population p JOIN demand_units u ON u.fid = p.unit_fid WHERE p.year = ? AND p.source <> 'forecast' ORDER BY p.unit_fid`)
    .all(base.year) as Record<string, number | string | null>[];
  // One kind of unit, so nobody is counted twice: the finest with population that year, as the analysis does.
  const kind = UNIT_KIND_ORDER.find((candidate) => observed.some((row) => row.unit_kind === candidate)) ?? observed[0]?.unit_kind;
  const units = observed.filter((row) => row.unit_kind === kind).map((row) => ({ fid: row.unit_fid as number, ages: POPULATION_AGE_COLUMNS.map((column) => Number(row[column] ?? 0)) }));
  const ageTotals = POPULATION_AGE_COLUMNS.map((_, age) => units.reduce((sum, unit) => sum + unit.ages[age]!, 0));
  const allTotal = ageTotals.reduce((sum, value) => sum + value, 0);
  if (allTotal <= 0) throw new VerkostoError('forecastNoBase', { detail: `no children aged 0–15 in ${base.year}` });
  const future = table.filter((row) => row.year > base.year!).sort((a, b) => a.year - b.year);
  if (future.length === 0) throw new VerkostoError('forecastBadTable', { detail: `no projection years after the observed year ${base.year}` });
  const rows: ForecastRow[] = [];
  for (const projected of future) {
    for (const unit of units) {
      const unitAll = unit.ages.reduce((sum, value) => sum + value, 0);
      const ages = projected.ages.map((count, age) => count * (ageTotals[age]! > 0 ? unit.ages[age]! / ageTotals[age]! : unitAll / allTotal));
      rows.push({ unitFid: unit.fid, year: projected.year, ages, total: null });
    }
  }
  return { rows, fromYear: future[0]!.year, toYear: future[future.length - 1]!.year, baseYear: base.year, area: areas[0]! };
}
