/**
 * Coordinate reference systems a project may use. proj4 definitions and OGC WKT are shipped in the source
 * (crs-table.ts, generated from PROJ) so nothing is looked up at run time: planners work offline.
 */
import { CRS_TABLE } from './crs-table';

export interface CrsDefinition {
  /** EPSG code, e.g. 3067. */
  code: number;
  /** Name as EPSG gives it. */
  name: string;
  proj4: string;
  wkt: string;
  units: 'degree' | 'metre';
  /** Area of use in the CRS's own easting/northing (lon/lat for 4326): the map's outer extent. */
  extent: [number, number, number, number];
}

function extentFor(code: number, proj4: string): [number, number, number, number] {
  if (code === 4326) return [19.08, 59.45, 31.59, 70.09];
  if (code === 3067) return [43_547.79, 6_522_236.87, 764_796.72, 7_795_461.19];
  // ETRS-GKn zones: cities use them across the whole country, so give each zone the national span.
  const falseEasting = Number(/\+x_0=(\d+)/.exec(proj4)?.[1] ?? 500_000);
  return [falseEasting - 400_000, 6_600_000, falseEasting + 400_000, 7_800_000];
}

const definitions: CrsDefinition[] = CRS_TABLE.map((row) => ({
  ...row,
  units: row.code === 4326 ? 'degree' : 'metre',
  extent: extentFor(row.code, row.proj4),
}));

/** Every CRS a project may be created in, keyed by EPSG code: 3067, 3873–3885 and 4326. */
export const SUPPORTED_CRS: ReadonlyMap<number, CrsDefinition> = new Map(definitions.map((d) => [d.code, d]));

export const DEFAULT_PROJECT_EPSG = 3067;

/** Parses "EPSG:3879", "3879", "urn:ogc:def:crs:EPSG::3879" or ".../epsg.xml#3879" into an EPSG code, or null. */
export function parseEpsgCode(text: string): number | null {
  const match = /^(?:.*(?:EPSG|epsg)[^0-9]*)?(\d{4,5})\s*$/.exec(text.trim());
  if (!match?.[1]) return null;
  return Number(match[1]);
}

/** The definition for a supported code, or null for one Verkosto does not carry. */
export function findCrs(code: number): CrsDefinition | null {
  return SUPPORTED_CRS.get(code) ?? null;
}

/** A short label such as "EPSG:3067 — ETRS89 / TM35FIN(E,N)". */
export function crsLabel(code: number): string {
  const definition = SUPPORTED_CRS.get(code);
  return definition ? `EPSG:${code} — ${definition.name}` : `EPSG:${code}`;
}
