/**
 * Geometry work of the import pipeline: reprojection into the project CRS with proj4, the shape each
 * layer needs, validity (JSTS), and the plausibility checks (swapped axes, outside the municipality).
 */
import proj4 from 'proj4';
import 'jsts/org/locationtech/jts/monkey.js';
import GeometryFactory from 'jsts/org/locationtech/jts/geom/GeometryFactory.js';
import GeoJSONReader from 'jsts/org/locationtech/jts/io/GeoJSONReader.js';
import IsValidOp from 'jsts/org/locationtech/jts/operation/valid/IsValidOp.js';
import InteriorPointArea from 'jsts/org/locationtech/jts/algorithm/InteriorPointArea.js';
import type { LayerId } from '../../../shared/domain/project';
import { LAYER_GEOMETRY_TYPES } from '../../../shared/domain/project';
import { findCrs } from '../../../shared/geo/crs';
import type { Geometry, MultiPolygonGeometry, PointGeometry, Position } from '../../../shared/geo/geometry';

export type Transform = (position: Position) => Position;

/** A transform from `fromEpsg` (optionally latitude-first) to `toEpsg`; identity when they are the same. */
export function createTransform(fromEpsg: number, toEpsg: number, latitudeFirst = false): Transform {
  const swap = (position: Position): Position => (latitudeFirst ? [position[1], position[0]] : [position[0], position[1]]);
  if (fromEpsg === toEpsg) return swap;
  const from = findCrs(fromEpsg);
  const to = findCrs(toEpsg);
  if (!from || !to) throw new Error(`no transform EPSG:${fromEpsg} → EPSG:${toEpsg}`);
  const converter = proj4(from.proj4, to.proj4);
  return (position) => converter.forward(swap(position)) as Position;
}

function mapPositions(geometry: Geometry, transform: Transform): Geometry {
  const ring = (positions: Position[]) => positions.map(transform);
  switch (geometry.type) {
    case 'Point':
      return { type: 'Point', coordinates: transform(geometry.coordinates) };
    case 'MultiPoint':
      return { type: 'MultiPoint', coordinates: ring(geometry.coordinates) };
    case 'LineString':
      return { type: 'LineString', coordinates: ring(geometry.coordinates) };
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: geometry.coordinates.map(ring) };
    case 'Polygon':
      return { type: 'Polygon', coordinates: geometry.coordinates.map(ring) };
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((polygon) => polygon.map(ring)) };
  }
}

export function transformGeometry(geometry: Geometry, transform: Transform): Geometry {
  return mapPositions(geometry, transform);
}

/** Rounds coordinates (mm in metres, ~1 cm in degrees) so hashes are stable and files do not carry noise. */
export function roundGeometry(geometry: Geometry, epsg: number): Geometry {
  const factor = epsg === 4326 ? 1e7 : 1e3;
  return mapPositions(geometry, (p) => [Math.round(p[0] * factor) / factor, Math.round(p[1] * factor) / factor]);
}

/** True when every coordinate is a finite number. */
export function hasFiniteCoordinates(geometry: Geometry): boolean {
  let ok = true;
  mapPositions(geometry, (p) => {
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) ok = false;
    return p;
  });
  return ok;
}

/** The geometry in the shape the target layer stores, or null when it cannot be (a line for a point layer). */
export function coerceToLayer(layer: LayerId, geometry: Geometry): PointGeometry | MultiPolygonGeometry | null {
  const wanted = LAYER_GEOMETRY_TYPES[layer];
  if (wanted === 'POINT') {
    if (geometry.type === 'Point') return { type: 'Point', coordinates: [geometry.coordinates[0], geometry.coordinates[1]] };
    if (geometry.type === 'MultiPoint' && geometry.coordinates.length === 1) return { type: 'Point', coordinates: [geometry.coordinates[0]![0], geometry.coordinates[0]![1]] };
    return null;
  }
  const flat = (rings: Position[][]) => rings.map((r) => r.map((p) => [p[0], p[1]] as Position));
  if (geometry.type === 'Polygon') return { type: 'MultiPolygon', coordinates: [flat(geometry.coordinates)] };
  if (geometry.type === 'MultiPolygon') return { type: 'MultiPolygon', coordinates: geometry.coordinates.map(flat) };
  return null;
}

const factory = new GeometryFactory();
const reader = new GeoJSONReader(factory);

/** Null when valid, else JTS's reason (e.g. "Self-intersection", "Too few points"). */
export function polygonInvalidity(geometry: MultiPolygonGeometry): string | null {
  for (const polygon of geometry.coordinates) {
    for (const ring of polygon) {
      if (ring.length < 4) return 'Too few points';
      const first = ring[0]!;
      const last = ring[ring.length - 1]!;
      if (first[0] !== last[0] || first[1] !== last[1]) return 'Ring not closed';
    }
  }
  try {
    const jsts = reader.read(geometry);
    const error = new IsValidOp(jsts).getValidationError();
    return error ? String(error.getMessage()) : null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * A point inside a (valid) polygon: JTS's interior point, which lies inside even for an L-shaped or
 * concave building, unlike the centroid. Used where a point layer is given areas (residential points
 * from building footprints or grid cells).
 */
export function interiorPoint(geometry: MultiPolygonGeometry): PointGeometry {
  const point = InteriorPointArea.getInteriorPoint(reader.read(geometry)) as { x: number; y: number } | null;
  if (!point) throw new Error('no interior point of an empty polygon');
  return { type: 'Point', coordinates: [point.x, point.y] };
}

/** Envelope of many geometries' positions, [minX, minY, maxX, maxY]. */
export function envelopeOfAll(geometries: Iterable<Geometry>): [number, number, number, number] | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const geometry of geometries) {
    mapPositions(geometry, (p) => {
      if (p[0] < minX) minX = p[0];
      if (p[0] > maxX) maxX = p[0];
      if (p[1] < minY) minY = p[1];
      if (p[1] > maxY) maxY = p[1];
      return p;
    });
  }
  return Number.isFinite(minX) ? [minX, minY, maxX, maxY] : null;
}

/** Finland's extent in lon/lat, generously. */
const FINLAND_LONLAT: [number, number, number, number] = [19.0, 59.3, 31.7, 70.2];

function inside(box: [number, number, number, number], x: number, y: number): boolean {
  return x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3];
}

/**
 * Checks a sample of source positions (in the source CRS, already in x/y order) against the source CRS's
 * area of use: 'ok', 'swapped' (they fit only with x and y exchanged: lat/lon read as lon/lat, or N/E
 * columns exchanged) or 'outside' (they fit neither way: a wrong CRS).
 */
export function checkSourcePositions(positions: Position[], epsg: number): 'ok' | 'swapped' | 'outside' {
  if (positions.length === 0) return 'ok';
  const definition = findCrs(epsg);
  if (!definition) return 'ok';
  const box = epsg === 4326 ? FINLAND_LONLAT : definition.extent;
  let fits = 0;
  let fitsSwapped = 0;
  for (const [x, y] of positions) {
    if (inside(box, x, y)) fits++;
    else if (inside(box, y, x)) fitsSwapped++;
  }
  if (fits >= positions.length * 0.9) return 'ok';
  if (fitsSwapped >= positions.length * 0.9) return 'swapped';
  return fits > 0 ? 'ok' : 'outside';
}
