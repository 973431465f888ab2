/**
 * Snapping: the nearest vertex within the pixel tolerance, else the nearest point on an edge, of the layers
 * the user snaps to (catchments of the shown set, demand units, the municipal boundary, facilities). The
 * tolerance is in screen pixels and converted to map units at the current resolution.
 */
import type Feature from 'ol/Feature.js';
import type { Geometry } from 'ol/geom.js';
import { Point } from 'ol/geom.js';
import type { Position } from '../../shared/geo/geometry';
import { closestOnSegment } from '../../shared/geo/polygon-edit';
import { ringsOf, type OlAdapter, type XY } from './adapter';

export interface SnapResult {
  at: XY;
  kind: 'vertex' | 'edge';
}

export interface SnapOptions {
  pixels: number;
  /** Map layer keys to snap to. */
  layers: string[];
  /** Only features this accepts (e.g. the shown catchment set). */
  accept?: (feature: Feature<Geometry>) => boolean;
  /** A vertex never to snap to (the one being dragged). */
  exclude?: XY | null;
}

export function snapPoint(adapter: OlAdapter, coordinate: XY, options: SnapOptions): SnapResult | null {
  const tolerance = options.pixels * adapter.resolution();
  const extent = [coordinate[0] - tolerance, coordinate[1] - tolerance, coordinate[0] + tolerance, coordinate[1] + tolerance];
  let bestVertex: { at: XY; distance: number } | null = null;
  let bestEdge: { at: XY; distance: number } | null = null;
  const excluded = (p: Position) => options.exclude != null && p[0] === options.exclude[0] && p[1] === options.exclude[1];
  for (const key of options.layers) {
    const source = adapter.source(key);
    if (!source || !adapter.layerVisible(key)) continue;
    source.forEachFeatureIntersectingExtent(extent, (feature) => {
      if (options.accept && !options.accept(feature as Feature<Geometry>)) return;
      const geometry = feature.getGeometry();
      if (geometry instanceof Point) {
        const p = geometry.getCoordinates() as XY;
        const distance = Math.hypot(p[0] - coordinate[0], p[1] - coordinate[1]);
        if (distance <= tolerance && (!bestVertex || distance < bestVertex.distance)) bestVertex = { at: [p[0], p[1]], distance };
        return;
      }
      for (const ring of ringsOf(geometry)) {
        for (let i = 0; i < ring.length; i++) {
          const p = ring[i]!;
          if (Math.abs(p[0] - coordinate[0]) <= tolerance && Math.abs(p[1] - coordinate[1]) <= tolerance && !excluded(p)) {
            const distance = Math.hypot(p[0] - coordinate[0], p[1] - coordinate[1]);
            if (distance <= tolerance && (!bestVertex || distance < bestVertex.distance)) bestVertex = { at: [p[0], p[1]], distance };
          }
          const next = ring[i + 1];
          if (!next || excluded(p) || excluded(next)) continue;
          if (Math.max(p[0], next[0]) < extent[0]! || Math.min(p[0], next[0]) > extent[2]! || Math.max(p[1], next[1]) < extent[1]! || Math.min(p[1], next[1]) > extent[3]!) continue;
          const closest = closestOnSegment(coordinate, p, next);
          if (closest.distance <= tolerance && (!bestEdge || closest.distance < bestEdge.distance)) bestEdge = { at: [closest.point[0], closest.point[1]], distance: closest.distance };
        }
      }
    });
  }
  const vertex = bestVertex as { at: XY; distance: number } | null;
  const edge = bestEdge as { at: XY; distance: number } | null;
  if (vertex) return { at: vertex.at, kind: 'vertex' };
  if (edge) return { at: edge.at, kind: 'edge' };
  return null;
}
