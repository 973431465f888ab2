/** Colours shared by the map styles and the legends, so a legend swatch is always the colour on the map. */
import type { TeachingLanguage } from '../../shared/domain/project';

export const LANGUAGE_COLOURS: Record<TeachingLanguage, string> = {
  fi: '#1f4fd1',
  sv: '#e09b00',
};

export const CLOSED_FACILITY_COLOUR = '#8a94a3';

/** Qualitative colours for catchments; neighbouring catchments get different ones (see assignCatchmentColours). */
export const CATCHMENT_PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#86bcb6'] as const;
export const CATCHMENT_FILL_OPACITY = 0.16;

/** Sequential ramp for population (light = few residents). */
export const POPULATION_RAMP = ['#f1f4e6', '#cfe3b9', '#95c79a', '#4e9a86', '#23606e'] as const;
export const POPULATION_FILL_OPACITY = 0.82;

export const MUNICIPALITY_OUTLINE = '#263246';
export const LAND_COLOUR = '#f5f3ed';
export const SEA_COLOUR = '#c8dbe9';
export const HIGHLIGHT_COLOUR = '#00a3c4';

/** "#rrggbb" + opacity → "rgba(r,g,b,a)". */
export function withOpacity(hex: string, opacity: number): string {
  const value = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(value >> 16) & 255},${(value >> 8) & 255},${value & 255},${opacity})`;
}

/** A darker shade of a colour for outlines (factor 0–1 of the original brightness). */
export function darker(hex: string, factor = 0.7): string {
  const value = Number.parseInt(hex.slice(1), 16);
  const channel = (shift: number) => Math.round(((value >> shift) & 255) * factor);
  return `rgb(${channel(16)},${channel(8)},${channel(0)})`;
}
