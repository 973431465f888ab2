/**
 * The only place the editing modes touch OpenLayers (terra-draw's adapter idea): coordinates and pixels,
 * the features of a map layer, hit tests, the cursor, and a sketch layer on top for what is being drawn —
 * the sketch line or polygon, its vertices, the snap marker, the paint stroke and vertex handles.
 */
import Feature from 'ol/Feature.js';
import type { FeatureLike } from 'ol/Feature.js';
import { LineString, MultiPolygon, Point, Polygon, type Geometry } from 'ol/geom.js';
import VectorLayer from 'ol/layer/Vector.js';
import type OlMap from 'ol/Map.js';
import VectorSource from 'ol/source/Vector.js';
import { Circle as CircleStyle, Fill, RegularShape, Stroke, Style } from 'ol/style.js';
import type { Position } from '../../shared/geo/geometry';

export type XY = [number, number];

export interface SketchState {
  line?: XY[];
  polygon?: XY[];
  vertices?: XY[];
  snap?: { at: XY; kind: 'vertex' | 'edge' } | null;
  /** Vertex handles of the shape being edited. */
  handles?: XY[];
  activeHandle?: XY | null;
  /** Units in the current paint stroke, and the paint target. */
  stroke?: Geometry[];
  target?: Geometry | null;
  /** Catchments picked for merge. */
  picked?: Geometry[];
  /** The repaired shape offered in the repair dialog. */
  repaired?: Geometry[];
}

const ACCENT = '#d9480f';
const styles = {
  line: new Style({ stroke: new Stroke({ color: ACCENT, width: 2.5, lineDash: [8, 5] }) }),
  polygon: new Style({ stroke: new Stroke({ color: ACCENT, width: 2.5 }), fill: new Fill({ color: 'rgba(217, 72, 15, 0.18)' }) }),
  vertex: new Style({ image: new CircleStyle({ radius: 4.5, fill: new Fill({ color: '#fff' }), stroke: new Stroke({ color: ACCENT, width: 2 }) }) }),
  handle: new Style({ image: new RegularShape({ points: 4, radius: 5, angle: Math.PI / 4, fill: new Fill({ color: '#fff' }), stroke: new Stroke({ color: '#1c7ed6', width: 1.5 }) }) }),
  activeHandle: new Style({ image: new RegularShape({ points: 4, radius: 7, angle: Math.PI / 4, fill: new Fill({ color: '#1c7ed6' }), stroke: new Stroke({ color: '#fff', width: 2 }) }) }),
  snapVertex: new Style({ image: new CircleStyle({ radius: 8, stroke: new Stroke({ color: '#e03131', width: 2.5 }) }) }),
  snapEdge: new Style({ image: new RegularShape({ points: 4, radius: 8, stroke: new Stroke({ color: '#e03131', width: 2.5 }) }) }),
  stroke: new Style({ stroke: new Stroke({ color: '#2f9e44', width: 2 }), fill: new Fill({ color: 'rgba(47, 158, 68, 0.35)' }) }),
  target: new Style({ stroke: new Stroke({ color: '#1c7ed6', width: 3.5 }) }),
  repaired: new Style({ stroke: new Stroke({ color: '#2f9e44', width: 3 }), fill: new Fill({ color: 'rgba(47, 158, 68, 0.25)' }) }),
  picked: new Style({ stroke: new Stroke({ color: '#7048e8', width: 3.5 }), fill: new Fill({ color: 'rgba(112, 72, 232, 0.15)' }) }),
};

export class OlAdapter {
  readonly sketchSource = new VectorSource();
  private readonly sketchLayer: VectorLayer;

  constructor(readonly map: OlMap) {
    this.sketchLayer = new VectorLayer({ source: this.sketchSource, style: (feature) => styles[feature.get('role') as keyof typeof styles] ?? styles.line, properties: { key: 'editing-sketch' }, zIndex: 1000, updateWhileAnimating: true, updateWhileInteracting: true });
    map.addLayer(this.sketchLayer);
  }

  dispose(): void {
    this.map.removeLayer(this.sketchLayer);
  }

  /** The vector source of a workspace map layer (by its `key`: facilities, catchments, demand_small_areas…). */
  source(key: string): VectorSource | null {
    for (const layer of this.map.getLayers().getArray()) {
      if (layer.get('key') === key && layer instanceof VectorLayer) return layer.getSource() as VectorSource;
    }
    return null;
  }

  layerVisible(key: string): boolean {
    return this.map.getLayers().getArray().some((layer) => layer.get('key') === key && layer.getVisible());
  }

  resolution(): number {
    return this.map.getView().getResolution() ?? 1;
  }

  coordinateOf(pixel: XY): XY {
    const c = this.map.getCoordinateFromPixel(pixel);
    return [c[0]!, c[1]!];
  }

  pixelOf(coordinate: XY): XY {
    const p = this.map.getPixelFromCoordinate(coordinate);
    return [p[0]!, p[1]!];
  }

  /** Features of the given map layers under a pixel, topmost first. */
  featuresAt(pixel: XY, keys: string[], tolerance = 3, filter: (feature: FeatureLike) => boolean = () => true): Feature<Geometry>[] {
    const result: Feature<Geometry>[] = [];
    this.map.forEachFeatureAtPixel(
      pixel,
      (feature) => {
        if (feature instanceof Feature && filter(feature)) result.push(feature as Feature<Geometry>);
      },
      { hitTolerance: tolerance, layerFilter: (layer) => keys.includes(layer.get('key') as string) },
    );
    return result;
  }

  setCursor(cursor: string): void {
    const viewport = this.map.getViewport();
    if (viewport) viewport.style.cursor = cursor;
  }

  drawSketch(state: SketchState): void {
    const features: Feature<Geometry>[] = [];
    const add = (geometry: Geometry, role: keyof typeof styles) => {
      const feature = new Feature({ geometry });
      feature.set('role', role);
      features.push(feature);
    };
    for (const geometry of state.picked ?? []) add(geometry, 'picked');
    for (const geometry of state.repaired ?? []) add(geometry, 'repaired');
    if (state.target) add(state.target, 'target');
    for (const geometry of state.stroke ?? []) add(geometry, 'stroke');
    if (state.polygon && state.polygon.length >= 3) add(new Polygon([[...state.polygon, state.polygon[0]!]]), 'polygon');
    else if (state.polygon && state.polygon.length === 2) add(new LineString(state.polygon), 'line');
    if (state.line && state.line.length >= 2) add(new LineString(state.line), 'line');
    for (const vertex of state.vertices ?? []) add(new Point(vertex), 'vertex');
    for (const handle of state.handles ?? []) add(new Point(handle), 'handle');
    if (state.activeHandle) add(new Point(state.activeHandle), 'activeHandle');
    if (state.snap) add(new Point(state.snap.at), state.snap.kind === 'vertex' ? 'snapVertex' : 'snapEdge');
    this.sketchSource.clear(true);
    this.sketchSource.addFeatures(features);
  }

  clearSketch(): void {
    this.sketchSource.clear();
  }

  fit(extent: [number, number, number, number]): void {
    const size = this.map.getSize();
    const grow = Math.max(extent[2] - extent[0], extent[3] - extent[1], 200) * 0.3;
    this.map.getView().fit([extent[0] - grow, extent[1] - grow, extent[2] + grow, extent[3] + grow], { size, duration: 250, maxZoom: 18 });
  }
}

/** The rings of a (multi)polygon OL geometry as coordinate arrays (live references, not copies). */
export function ringsOf(geometry: Geometry | undefined | null): Position[][] {
  if (!geometry) return [];
  if (geometry instanceof MultiPolygon) return (geometry.getCoordinates() as Position[][][]).flat();
  if (geometry instanceof Polygon) return geometry.getCoordinates() as Position[][];
  return [];
}
