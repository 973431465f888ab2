/** GeoJSON geometry types as Verkosto stores them (coordinates in the project CRS, x/y order). */
export type Position = [number, number] | [number, number, number];

export interface PointGeometry { type: 'Point'; coordinates: Position }
export interface MultiPointGeometry { type: 'MultiPoint'; coordinates: Position[] }
export interface LineStringGeometry { type: 'LineString'; coordinates: Position[] }
export interface MultiLineStringGeometry { type: 'MultiLineString'; coordinates: Position[][] }
export interface PolygonGeometry { type: 'Polygon'; coordinates: Position[][] }
export interface MultiPolygonGeometry { type: 'MultiPolygon'; coordinates: Position[][][] }

export type Geometry =
  | PointGeometry
  | MultiPointGeometry
  | LineStringGeometry
  | MultiLineStringGeometry
  | PolygonGeometry
  | MultiPolygonGeometry;

export type Envelope = { minX: number; maxX: number; minY: number; maxY: number };

function extend(envelope: Envelope, position: Position): void {
  const [x, y] = position;
  if (x < envelope.minX) envelope.minX = x;
  if (x > envelope.maxX) envelope.maxX = x;
  if (y < envelope.minY) envelope.minY = y;
  if (y > envelope.maxY) envelope.maxY = y;
}

/** Every position of a geometry, in order. */
export function* positionsOf(geometry: Geometry): Generator<Position> {
  switch (geometry.type) {
    case 'Point':
      yield geometry.coordinates;
      return;
    case 'MultiPoint':
    case 'LineString':
      yield* geometry.coordinates;
      return;
    case 'MultiLineString':
    case 'Polygon':
      for (const part of geometry.coordinates) yield* part;
      return;
    case 'MultiPolygon':
      for (const polygon of geometry.coordinates) for (const ring of polygon) yield* ring;
      return;
  }
}

/** The bounding box of a geometry, or null when it has no positions (an empty geometry). */
export function envelopeOf(geometry: Geometry): Envelope | null {
  const envelope: Envelope = { minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity };
  for (const position of positionsOf(geometry)) extend(envelope, position);
  return Number.isFinite(envelope.minX) ? envelope : null;
}

/** Wraps a Polygon as a one-part MultiPolygon; a MultiPolygon passes through. */
export function toMultiPolygon(geometry: PolygonGeometry | MultiPolygonGeometry): MultiPolygonGeometry {
  return geometry.type === 'MultiPolygon' ? geometry : { type: 'MultiPolygon', coordinates: [geometry.coordinates] };
}

/** Planar area of a ring by the shoelace formula (positive when counter-clockwise). */
export function signedRingArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    sum += (a[0] * b[1]) - (b[0] * a[1]);
  }
  return sum / 2;
}

/** Planar area of a Polygon or MultiPolygon in square CRS units (holes subtracted). */
export function areaOf(geometry: PolygonGeometry | MultiPolygonGeometry): number {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let area = 0;
  for (const polygon of polygons) {
    polygon.forEach((ring, index) => {
      const ringArea = Math.abs(signedRingArea(ring));
      area += index === 0 ? ringArea : -ringArea;
    });
  }
  return area;
}
