/**
 * Coordinate helpers for network sources: GeoJSON geometries as servers send them, Finnish plausibility
 * checks that catch swapped axes and a server answering in another CRS than asked, and extents.
 */
import proj4 from 'proj4';
import { VerkostoError } from '../../../../../shared/errors';
import { findCrs } from '../../../../../shared/geo/crs';
import { positionsOf, type Geometry, type Position } from '../../../../../shared/geo/geometry';
import type { SourceFeature } from '../../../../../shared/import/feature-source';

const WGS84 = '+proj=longlat +datum=WGS84 +no_defs';
const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']);

function isPosition(value: unknown): value is Position {
  return Array.isArray(value) && value.length >= 2 && typeof value[0] === 'number' && typeof value[1] === 'number' && Number.isFinite(value[0]) && Number.isFinite(value[1]);
}

function depthOk(value: unknown, depth: number): boolean {
  if (depth === 0) return isPosition(value);
  return Array.isArray(value) && value.every((item) => depthOk(item, depth - 1));
}

const DEPTH: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

/** A GeoJSON geometry object from a server, checked; null for a missing geometry; throws for a malformed one. */
export function geometryFromGeoJson(value: unknown, context: { server: string; feature: string }): Geometry | null {
  if (value === null || value === undefined) return null;
  const object = value as { type?: unknown; coordinates?: unknown; geometries?: unknown };
  if (object.type === 'GeometryCollection') {
    const parts = Array.isArray(object.geometries) ? object.geometries : [];
    const first = parts.find((part) => part && typeof part === 'object');
    return first ? geometryFromGeoJson(first, context) : null;
  }
  if (typeof object.type !== 'string' || !GEOMETRY_TYPES.has(object.type) || !depthOk(object.coordinates, DEPTH[object.type]!)) {
    throw new VerkostoError('sourceBadResponse', { server: context.server, detail: `feature ${context.feature}: geometry ${String(object.type)} is malformed` });
  }
  return { type: object.type, coordinates: object.coordinates } as Geometry;
}

/** Swaps the two axes of every position of a geometry (in place) and returns it. */
export function swapAxes(geometry: Geometry): Geometry {
  for (const position of positionsOf(geometry)) {
    const x = position[0];
    position[0] = position[1];
    position[1] = x;
  }
  return geometry;
}

/** Whether (x, y) lies where a Finnish dataset in `epsg` would put it (x/y = easting/northing, lon/lat). */
export function plausibleInFinland(epsg: number, x: number, y: number): boolean {
  if (epsg === 4326 || epsg === 4258 || epsg === 4123) return x >= 18 && x <= 33 && y >= 58.5 && y <= 71;
  if (epsg === 3067) return x >= 0 && x <= 900_000 && y >= 6_400_000 && y <= 7_900_000;
  if (epsg >= 3873 && epsg <= 3885) {
    const falseEasting = (epsg - 3873 + 19) * 1_000_000 + 500_000;
    return Math.abs(x - falseEasting) <= 1_000_000 && y >= 6_400_000 && y <= 7_900_000;
  }
  if (epsg === 3857) return x >= 2_000_000 && x <= 3_700_000 && y >= 8_000_000 && y <= 11_500_000;
  return true;
}

/** The Finnish CRS whose range the point fits, or null (for a "received EPSG:…" in messages). */
export function guessFinnishEpsg(x: number, y: number): number | null {
  if (plausibleInFinland(4326, x, y)) return 4326;
  if (plausibleInFinland(3067, x, y)) return 3067;
  if (y >= 6_400_000 && y <= 7_900_000 && x >= 18_500_000 && x <= 32_500_000) return 3873 + Math.round((x - 500_000) / 1_000_000) - 19;
  return null;
}

/**
 * Decides from a sample of features whether their axes must be swapped to fit `epsg`. Finnish coordinates
 * tell their axis order by magnitude, so a sample that fits only when swapped is swapped (servers disagree
 * on lat/lon order, e.g. GeoServer's GeoJSON with urn:ogc:def:crs:EPSG::4326); a sample that fits another
 * Finnish CRS and not the declared one is refused (sourceCrsMismatch). Data outside Finland is left alone.
 */
export function decideAxes(features: readonly SourceFeature[], epsg: number | null, server: string): { swap: boolean } {
  if (epsg === null) return { swap: false };
  const sample: Position[] = [];
  for (const feature of features) {
    if (!feature.geometry) continue;
    for (const position of positionsOf(feature.geometry)) {
      sample.push(position);
      break;
    }
    if (sample.length >= AXIS_SAMPLE) break;
  }
  if (sample.length === 0) return { swap: false };
  const fits = sample.filter(([x, y]) => plausibleInFinland(epsg, x, y)).length;
  if (fits * 2 >= sample.length) return { swap: false };
  const fitsSwapped = sample.filter(([x, y]) => plausibleInFinland(epsg, y, x)).length;
  if (fitsSwapped * 2 > sample.length) return { swap: true };
  const [x, y] = sample[0]!;
  const guess = guessFinnishEpsg(x, y);
  if (guess !== null && guess !== epsg) {
    throw new VerkostoError('sourceCrsMismatch', { server, requested: `EPSG:${epsg}`, received: `EPSG:${guess}` });
  }
  return { swap: false };
}

/** Features with a geometry that decideAxes looks at. */
export const AXIS_SAMPLE = 20;

/** decideAxes on a whole page, swapping its features in place when needed. */
export function checkAxesAndCrs(features: SourceFeature[], epsg: number | null, server: string): { swapped: boolean } {
  const { swap } = decideAxes(features, epsg, server);
  if (swap) for (const feature of features) if (feature.geometry) swapAxes(feature.geometry);
  return { swapped: swap };
}

/** A WGS84 bbox [minLon, minLat, maxLon, maxLat] in another supported CRS, or null. */
export function extentFromWgs84(bbox: [number, number, number, number], epsg: number | null): [number, number, number, number] | null {
  if (epsg === null) return null;
  if (epsg === 4326) return bbox;
  const target = findCrs(epsg);
  if (!target) return null;
  const [minLon, minLat, maxLon, maxLat] = bbox;
  const corners = [[minLon, minLat], [minLon, maxLat], [maxLon, minLat], [maxLon, maxLat]].map((corner) => proj4(WGS84, target.proj4, corner));
  const xs = corners.map((corner) => corner[0]!);
  const ys = corners.map((corner) => corner[1]!);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** A CRS84 bbox for a bbox given in `epsg` (OGC API bbox without bbox-crs is CRS84). */
export function extentToWgs84(bbox: [number, number, number, number], epsg: number): [number, number, number, number] {
  if (epsg === 4326) return bbox;
  const source = findCrs(epsg);
  if (!source) return bbox;
  const [minX, minY, maxX, maxY] = bbox;
  const corners = [[minX, minY], [minX, maxY], [maxX, minY], [maxX, maxY]].map((corner) => proj4(source.proj4, WGS84, corner));
  const xs = corners.map((corner) => corner[0]!);
  const ys = corners.map((corner) => corner[1]!);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
