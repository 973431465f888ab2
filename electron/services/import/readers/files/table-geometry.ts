/** Geometry of a table row (CSV, XLSX): x/y or lon/lat columns, or one WKT column. */
import { VerkostoError } from '../../../../../shared/errors';
import type { Geometry } from '../../../../../shared/geo/geometry';
import type { CoordinateColumns } from '../../../../../shared/import/types';

const X_NAMES = /^(x|easting|itakoordinaatti|e|x_coord|xkoord|koord_x|x_etrs|easting_etrs_gk25|easting_etrs_tm35fin)$/i;
const Y_NAMES = /^(y|northing|pohjoiskoordinaatti|n|y_coord|ykoord|koord_y|y_etrs|northing_etrs_gk25|northing_etrs_tm35fin)$/i;
const LON_NAMES = /^(lon|lng|long|longitude|pituus|pituusaste)$/i;
const LAT_NAMES = /^(lat|latitude|leveys|leveysaste)$/i;
const WKT_NAMES = /^(wkt|geom|geometry|the_geom|geometria|sijainti_wkt)$/i;

/** Guesses the coordinate columns from a header; null when none are recognisable. */
export function guessCoordinateColumns(header: string[]): CoordinateColumns | null {
  const find = (pattern: RegExp) => header.find((name) => pattern.test(name.trim()));
  const lon = find(LON_NAMES);
  const lat = find(LAT_NAMES);
  if (lon && lat) return { kind: 'lonlat', x: lon, y: lat };
  const x = find(X_NAMES);
  const y = find(Y_NAMES);
  if (x && y) return { kind: 'xy', x, y };
  const wkt = find(WKT_NAMES);
  if (wkt) return { kind: 'wkt', wkt };
  return null;
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value == null) return NaN;
  const text = String(value).trim().replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  return text === '' ? NaN : Number(text);
}

export function rowGeometry(
  row: Record<string, unknown>,
  columns: CoordinateColumns,
  label: string,
  sourceId: string,
  parseWkt: (text: string) => Geometry | null,
): Geometry | null {
  if (columns.kind === 'wkt') {
    const text = row[columns.wkt ?? ''];
    if (text == null || String(text).trim() === '') return null;
    try {
      return parseWkt(String(text));
    } catch (error) {
      throw new VerkostoError('importInvalidGeometry', { source: label, feature: sourceId, reason: `WKT: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  const rawX = row[columns.x ?? ''];
  const rawY = row[columns.y ?? ''];
  if ((rawX == null || rawX === '') && (rawY == null || rawY === '')) return null;
  const x = toNumber(rawX);
  const y = toNumber(rawY);
  if (!Number.isFinite(x) || !Number.isFinite(y)) {
    throw new VerkostoError('importInvalidGeometry', { source: label, feature: sourceId, reason: `coordinates “${String(rawX)}”, “${String(rawY)}” are not numbers` });
  }
  return { type: 'Point', coordinates: [x, y] };
}
