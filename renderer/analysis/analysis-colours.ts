/**
 * Colours of the analysis map: the traffic light of utilisation (bands from the project settings), a
 * sequential ramp for demand and a diverging one for change. Pure, so the legend and tests use the same.
 */
import type { KpiResult, KpiRow } from '../../shared/analysis/kpi';
import type { AnalysisMapMode } from './analysis-store';

export const TRAFFIC_LIGHT = { green: '#2f9e55', yellow: '#f0b92b', red: '#d63a2f', none: '#8b96a3' } as const;
/** Light to dark blue: demand classes. */
export const DEMAND_RAMP = ['#deebf7', '#9ecae1', '#4292c6', '#2171b5', '#08306b'];
/** Decrease (blue) to increase (red); the middle class is "about the same" (±5 %). */
export const CHANGE_RAMP = ['#2166ac', '#67a9cf', '#f7f7f7', '#ef8a62', '#b2182b'];
export const CHANGE_BREAKS = [-0.15, -0.05, 0.05, 0.15];

/** Upper bounds of demand classes from the values (quintiles, rounded), ascending. */
export function demandBreaks(values: number[]): number[] {
  const sorted = values.filter((value) => value > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const breaks: number[] = [];
  for (let index = 1; index < DEMAND_RAMP.length; index += 1) {
    const value = sorted[Math.min(sorted.length - 1, Math.floor((index * sorted.length) / DEMAND_RAMP.length))]!;
    const rounded = value >= 100 ? Math.round(value / 10) * 10 : Math.round(value);
    if (breaks.length === 0 || rounded > breaks[breaks.length - 1]!) breaks.push(rounded);
  }
  return breaks;
}

function classOf(value: number, breaks: number[]): number {
  let index = 0;
  while (index < breaks.length && value > breaks[index]!) index += 1;
  return index;
}

/** A colour per catchment fid for the mode, or null where the map shows "no data". */
export function catchmentColours(result: KpiResult | null, baseline: KpiResult | null, mode: AnalysisMapMode): { colours: Map<number, string | null>; breaks: number[] } {
  const colours = new Map<number, string | null>();
  if (!result || mode === 'none') return { colours, breaks: [] };
  if (mode === 'utilisation') {
    for (const row of result.catchments) colours.set(row.fid!, row.band ? TRAFFIC_LIGHT[row.band] : null);
    return { colours, breaks: [] };
  }
  if (mode === 'demand') {
    const breaks = demandBreaks(result.catchments.map((row) => row.users ?? 0));
    for (const row of result.catchments) colours.set(row.fid!, row.users === null ? null : DEMAND_RAMP[Math.min(DEMAND_RAMP.length - 1, classOf(row.users, breaks))]!);
    return { colours, breaks };
  }
  const before = new Map<number, KpiRow>((baseline?.catchments ?? []).map((row) => [row.fid!, row]));
  for (const row of result.catchments) {
    const base = before.get(row.fid!);
    if (row.users === null || !base || base.users === null || base.users <= 0) colours.set(row.fid!, null);
    else colours.set(row.fid!, CHANGE_RAMP[classOf(row.users / base.users - 1, CHANGE_BREAKS)]!);
  }
  return { colours, breaks: CHANGE_BREAKS };
}
