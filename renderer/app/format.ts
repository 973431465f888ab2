/**
 * Number, date and coordinate formatting for the UI. Numbers follow the UI language (Finnish and Swedish
 * group thousands with a space and use a decimal comma); map coordinates use one fixed notation in every
 * language, as GIS tools do, so they can be copied into other software.
 */
import type { UiLanguage } from '../../shared/i18n';

const LOCALES: Record<UiLanguage, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

export function localeOf(language: UiLanguage): string {
  return LOCALES[language];
}

export function formatNumber(value: number, language: UiLanguage, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(localeOf(language), { maximumFractionDigits }).format(value);
}

export function formatEuros(value: number, language: UiLanguage): string {
  return new Intl.NumberFormat(localeOf(language), { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(value);
}

export function formatPercent(ratio: number, language: UiLanguage): string {
  return new Intl.NumberFormat(localeOf(language), { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}

export function formatDateTime(iso: string, language: UiLanguage): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(localeOf(language), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatBytes(bytes: number, language: UiLanguage): string {
  if (bytes < 1024) return `${formatNumber(bytes, language)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, language, 0)} kB`;
  return `${formatNumber(bytes / (1024 * 1024), language, 1)} MB`;
}

/** Groups the digits of a whole number in threes with spaces: 6672456 → "6 672 456". */
export function groupDigits(value: number): string {
  const rounded = Math.round(value);
  const sign = rounded < 0 ? '-' : '';
  return sign + String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/**
 * Cursor coordinates as planners read them: "E 385 123  N 6 672 456  (EPSG:3067)" for metric CRSs,
 * "E 24.93840°  N 60.16990°  (EPSG:4326)" for geographic coordinates.
 */
export function formatMapCoordinate(coordinate: readonly [number, number], epsg: number, labels = { east: 'E', north: 'N' }): string {
  const [x, y] = coordinate;
  if (epsg === 4326) return `${labels.east} ${x.toFixed(5)}°  ${labels.north} ${y.toFixed(5)}°  (EPSG:${epsg})`;
  return `${labels.east} ${groupDigits(x)}  ${labels.north} ${groupDigits(y)}  (EPSG:${epsg})`;
}
