/**
 * The few polygon operations the builders need, over JSTS (the JavaScript port of JTS): union with
 * repair, interior points and areas. JSTS ships loose typings (`any` everywhere), so this module gives the
 * methods it uses a narrow interface and keeps JSTS objects from leaking into the rest of the code.
 */
import 'jsts/org/locationtech/jts/monkey.js';
import GeometryFactory from 'jsts/org/locationtech/jts/geom/GeometryFactory.js';
import GeoJSONReader from 'jsts/org/locationtech/jts/io/GeoJSONReader.js';
import GeoJSONWriter from 'jsts/org/locationtech/jts/io/GeoJSONWriter.js';
import type { MultiPolygonGeometry, PolygonGeometry, Position } from '../../../shared/geo/geometry';
import { signedRingArea } from '../../../shared/geo/geometry';

/** The JSTS geometry methods used here (added to Geometry.prototype by jsts' monkey.js). */
export interface JstsGeometry {
  getGeometryType(): string;
  getArea(): number;
  isValid(): boolean;
  isEmpty(): boolean;
  union(other?: JstsGeometry): JstsGeometry;
  intersection(other: JstsGeometry): JstsGeometry;
  difference(other: JstsGeometry): JstsGeometry;
  intersects(other: JstsGeometry): boolean;
  buffer(distance: number): JstsGeometry;
  getInteriorPoint(): { getX(): number; getY(): number };
  getCentroid(): { getX(): number; getY(): number };
}

const factory = new GeometryFactory();
const reader = new GeoJSONReader(factory);
const writer = new GeoJSONWriter();

/** A Polygon or MultiPolygon as a JSTS geometry. */
export function toJsts(geometry: PolygonGeometry | MultiPolygonGeometry): JstsGeometry {
  return reader.read(geometry) as unknown as JstsGeometry;
}

/** Unary union of many polygons (cascaded by JSTS), repaired with a zero buffer if the result is invalid. */
export function unionAll(geometries: JstsGeometry[]): JstsGeometry {
  const collection = factory.createGeometryCollection(geometries) as unknown as JstsGeometry;
  const union = collection.union();
  return union.isValid() ? union : union.buffer(0);
}

/** A JSTS polygonal result as a GeoJSON MultiPolygon: outer rings counter-clockwise, holes clockwise (RFC 7946). */
export function toMultiPolygon(geometry: JstsGeometry, options: { dropHolesSmallerThan?: number } = {}): MultiPolygonGeometry {
  const json = writer.write(geometry as never) as { type: string; coordinates: unknown; geometries?: unknown[] };
  let polygons: Position[][][];
  if (json.type === 'Polygon') polygons = [json.coordinates as Position[][]];
  else if (json.type === 'MultiPolygon') polygons = json.coordinates as Position[][][];
  else if (json.type === 'GeometryCollection') {
    // A union can return a collection with stray lines or points next to the polygons: keep only areas.
    polygons = [];
    for (const part of (json.geometries ?? []) as { type: string; coordinates: unknown }[]) {
      if (part.type === 'Polygon') polygons.push(part.coordinates as Position[][]);
      if (part.type === 'MultiPolygon') polygons.push(...(part.coordinates as Position[][][]));
    }
  } else polygons = [];
  const minimumHole = options.dropHolesSmallerThan ?? 0;
  return {
    type: 'MultiPolygon',
    coordinates: polygons
      .filter((polygon) => polygon[0] && Math.abs(signedRingArea(polygon[0])) > 0)
      .map((polygon) =>
        polygon
          .filter((ring, index) => index === 0 || Math.abs(signedRingArea(ring)) >= minimumHole)
          .map((ring, index) => orientRing(ring, index === 0)),
      ),
  };
}

/** Returns the ring counter-clockwise when `outer`, clockwise otherwise (a copy only when it must turn). */
export function orientRing(ring: Position[], outer: boolean): Position[] {
  const counterClockwise = signedRingArea(ring) > 0;
  return counterClockwise === outer ? ring : [...ring].reverse();
}

/** A point guaranteed to lie inside the polygon (JTS InteriorPointArea), as [x, y]. */
export function interiorPoint(geometry: JstsGeometry): [number, number] {
  const point = geometry.getInteriorPoint();
  return [point.getX(), point.getY()];
}
