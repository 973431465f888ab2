/**
 * Vertex tool (V, as in QGIS): drag a vertex of a catchment in the shown set — every catchment of the set
 * sharing it follows (topological editing) and it snaps to other vertices and edges; double-click an edge to
 * add a vertex there; click a vertex to select it, then Delete removes it and Enter types its coordinates.
 * The drag is drawn live and stored as ONE catchment.moveVertex command on release.
 */
import type Feature from 'ol/Feature.js';
import { MultiPolygon, Polygon, type Geometry } from 'ol/geom.js';
import type { Position } from '../../../shared/geo/geometry';
import { closestOnSegment } from '../../../shared/geo/polygon-edit';
import { ringsOf, type XY } from '../adapter';
import { useEditingStore } from '../editing-store';
import { EditMode, type PointerInfo } from './mode';

interface Target {
  feature: Feature<Geometry>;
  coordinates: Position[][][];
  original: Position[][][];
  /** [polygon, ring, index] of every occurrence of the vertex. */
  paths: [number, number, number][];
}

function polygonsOf(geometry: Geometry | undefined): Position[][][] {
  if (geometry instanceof MultiPolygon) return geometry.getCoordinates() as Position[][][];
  if (geometry instanceof Polygon) return [geometry.getCoordinates() as Position[][]];
  return [];
}

function setPolygons(feature: Feature<Geometry>, coordinates: Position[][][]): void {
  const geometry = feature.getGeometry();
  if (geometry instanceof MultiPolygon) geometry.setCoordinates(coordinates);
  else if (geometry instanceof Polygon) geometry.setCoordinates(coordinates[0]!);
}

export class VertexMode extends EditMode {
  readonly id = 'vertex' as const;
  private drag_: { from: XY; to: XY; targets: Target[] } | null = null;
  private selectedVertex: XY | null = null;

  idleHint(): string {
    return 'editing.hint.vertex';
  }

  override cursor(): string {
    return 'default';
  }

  private shownCatchmentsNear(at: XY, tolerance: number): Feature<Geometry>[] {
    const source = this.ctx.adapter.source('catchments');
    if (!source) return [];
    return (source.getFeaturesInExtent([at[0] - tolerance, at[1] - tolerance, at[0] + tolerance, at[1] + tolerance]) as Feature<Geometry>[]).filter((f) => this.ctx.inShownSet(f));
  }

  /** The nearest catchment vertex within the tolerance, and how many catchments share it. */
  private vertexAt(coordinate: XY): { at: XY; count: number } | null {
    const tolerance = this.ctx.tolerance();
    let best: { at: XY; distance: number } | null = null;
    const features = this.shownCatchmentsNear(coordinate, tolerance);
    for (const feature of features) {
      for (const ring of ringsOf(feature.getGeometry())) {
        for (const p of ring) {
          const distance = Math.hypot(p[0] - coordinate[0], p[1] - coordinate[1]);
          if (distance <= tolerance && (!best || distance < best.distance)) best = { at: [p[0], p[1]], distance };
        }
      }
    }
    if (!best) return null;
    const at = best.at;
    const count = features.filter((f) => ringsOf(f.getGeometry()).some((ring) => ring.some((p) => p[0] === at[0] && p[1] === at[1]))).length;
    return { at, count };
  }

  private edgeAt(coordinate: XY): XY | null {
    const tolerance = this.ctx.tolerance();
    let best: { at: XY; distance: number } | null = null;
    for (const feature of this.shownCatchmentsNear(coordinate, tolerance)) {
      for (const ring of ringsOf(feature.getGeometry())) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const c = closestOnSegment(coordinate, ring[i]!, ring[i + 1]!);
          if (c.distance <= tolerance && (!best || c.distance < best.distance)) best = { at: [c.point[0], c.point[1]], distance: c.distance };
        }
      }
    }
    return best?.at ?? null;
  }

  override move(pointer: PointerInfo): void {
    if (this.drag_) return;
    const vertex = this.vertexAt(pointer.coordinate);
    if (vertex) {
      this.ctx.adapter.setCursor('move');
      this.ctx.hint('editing.hint.vertexDrag', { count: vertex.count });
      this.ctx.adapter.drawSketch({ activeHandle: vertex.at, handles: this.selectedVertex ? [this.selectedVertex] : [] });
      return;
    }
    const edge = this.edgeAt(pointer.coordinate);
    this.ctx.adapter.setCursor(edge ? 'copy' : 'default');
    this.ctx.hint(edge ? 'editing.hint.vertexAdd' : this.selectedVertex ? 'editing.hint.vertexSelected' : 'editing.hint.vertex');
    this.ctx.adapter.drawSketch({ snap: edge ? { at: edge, kind: 'edge' } : null, handles: this.selectedVertex ? [this.selectedVertex] : [] });
  }

  override down(pointer: PointerInfo): boolean {
    const vertex = this.vertexAt(pointer.coordinate);
    if (!vertex) return false;
    const targets: Target[] = [];
    for (const feature of this.shownCatchmentsNear(vertex.at, this.ctx.tolerance())) {
      const coordinates = polygonsOf(feature.getGeometry());
      const paths: [number, number, number][] = [];
      coordinates.forEach((polygon, p) => polygon.forEach((ring, r) => ring.forEach((q, i) => {
        if (q[0] === vertex.at[0] && q[1] === vertex.at[1]) paths.push([p, r, i]);
      })));
      if (paths.length > 0) targets.push({ feature, coordinates, original: polygonsOf(feature.getGeometry()), paths });
    }
    this.drag_ = { from: vertex.at, to: vertex.at, targets };
    this.state = 'drawing';
    return true;
  }

  /** Moves the dragged vertex in every catchment sharing it (the work of one drag frame). */
  moveDraggedTo(to: XY): void {
    if (!this.drag_) return;
    this.drag_.to = to;
    for (const target of this.drag_.targets) {
      for (const [p, r, i] of target.paths) target.coordinates[p]![r]![i] = [to[0], to[1]];
      setPolygons(target.feature, target.coordinates);
    }
  }

  override drag(pointer: PointerInfo): void {
    if (!this.drag_) return;
    const snapped = this.ctx.snap(pointer.coordinate, this.drag_.from);
    this.moveDraggedTo(snapped ? snapped.at : pointer.coordinate);
    this.ctx.adapter.drawSketch({ activeHandle: this.drag_.to, snap: snapped });
    this.ctx.hint('editing.hint.vertexDragging', { count: this.drag_.targets.length });
  }

  override up(): void {
    const drag = this.drag_;
    this.drag_ = null;
    this.state = 'started';
    if (!drag) return;
    const set = this.ctx.shownSet();
    const moved = drag.to[0] !== drag.from[0] || drag.to[1] !== drag.from[1];
    if (!moved || !set) {
      this.selectedVertex = drag.from;
      this.ctx.adapter.drawSketch({ handles: [drag.from] });
      this.ctx.hint('editing.hint.vertexSelected');
      return;
    }
    this.selectedVertex = null;
    this.ctx.adapter.clearSketch();
    void this.ctx.run({ type: 'catchment.moveVertex', set, from: drag.from, to: this.ctx.round(drag.to) }).then((result) => {
      if (!result) for (const target of drag.targets) setPolygons(target.feature, target.original);
    });
  }

  override dblclick(pointer: PointerInfo): boolean {
    const set = this.ctx.shownSet();
    if (!set || this.vertexAt(pointer.coordinate)) return false;
    const edge = this.edgeAt(pointer.coordinate);
    if (!edge) return false;
    void this.ctx.run({ type: 'catchment.addVertex', set, at: edge });
    return true;
  }

  /** Delete or Backspace: remove the selected vertex from every catchment sharing it. */
  removeSelected(): boolean {
    const set = this.ctx.shownSet();
    if (!this.selectedVertex || !set) return false;
    const at = this.selectedVertex;
    this.selectedVertex = null;
    this.ctx.adapter.clearSketch();
    void this.ctx.run({ type: 'catchment.removeVertex', set, at });
    return true;
  }

  /** Enter: type exact coordinates for the selected vertex. */
  enterCoordinates(): boolean {
    if (!this.selectedVertex) return false;
    useEditingStore.getState().set({ coordinateEntry: { from: this.selectedVertex } });
    return true;
  }

  protected override onCancel(): void {
    if (this.drag_) for (const target of this.drag_.targets) setPolygons(target.feature, target.original);
    this.drag_ = null;
    this.selectedVertex = null;
  }
}
