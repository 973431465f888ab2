/**
 * Modes that sketch: add a facility (click), draw a catchment (polygon, clipped by its neighbours when
 * avoid-overlap is on), split a catchment along a line, reshape one by a line (its neighbours give or take
 * the difference, so the set stays a tiling), and measure distance and area.
 */
import type Feature from 'ol/Feature.js';
import { MultiPolygon, Polygon, type Geometry } from 'ol/geom.js';
import { getI18n } from 'react-i18next';
import type { MultiPolygonGeometry, Position } from '../../../shared/geo/geometry';
import { PolygonEditError } from '../../../shared/geo/polygon-edit';
import { reshapeInSet } from '../../../shared/editing/reshape-in-set';
import { useUiStore } from '../../state/ui-store';
import { VerkostoError } from '../../../shared/errors';
import type { XY } from '../adapter';
import { useEditingStore } from '../editing-store';
import { EditMode, type PointerInfo } from './mode';
import { SketchMode } from './sketch-mode';

export function multiPolygonOf(feature: Feature<Geometry>): MultiPolygonGeometry | null {
  const geometry = feature.getGeometry();
  if (geometry instanceof MultiPolygon) return { type: 'MultiPolygon', coordinates: geometry.getCoordinates() as Position[][][] };
  if (geometry instanceof Polygon) return { type: 'MultiPolygon', coordinates: [geometry.getCoordinates() as Position[][]] };
  return null;
}

export class AddFacilityMode extends EditMode {
  readonly id = 'addFacility' as const;

  idleHint(): string {
    return 'editing.hint.addFacility';
  }

  override move(pointer: PointerInfo): void {
    this.ctx.adapter.drawSketch({ snap: this.ctx.snap(pointer.coordinate) });
  }

  override click(pointer: PointerInfo): void {
    const snapped = this.ctx.snap(pointer.coordinate);
    const at = snapped ? snapped.at : this.ctx.round(pointer.coordinate);
    this.ctx.adapter.drawSketch({ vertices: [at] });
    useEditingStore.getState().set({ facilityForm: { mode: 'add', position: at } });
  }
}

export class DrawCatchmentMode extends SketchMode {
  readonly id = 'drawCatchment' as const;
  protected readonly closed = true;
  protected readonly minimumPoints = 3;

  idleHint(): string {
    return this.ctx.shownSet() ? 'editing.hint.draw' : 'editing.hint.noSet';
  }

  protected drawingHint(): string {
    return 'editing.hint.drawing';
  }

  protected async complete(points: XY[]): Promise<void> {
    const set = this.ctx.shownSet();
    if (!set) return;
    const source = this.ctx.adapter.source('catchments');
    const count = (source?.getFeatures() ?? []).filter((f) => this.ctx.inShownSet(f as Feature<Geometry>)).length;
    const result = await this.ctx.run({
      type: 'catchment.create',
      geometry: { type: 'MultiPolygon', coordinates: [[[...points, points[0]!]]] },
      attributes: { name: getI18n().t('editing.newCatchmentName', { number: count + 1 }), service: set.service, language: set.language },
      avoidOverlap: useEditingStore.getState().avoidOverlap,
    });
    if (result) this.ctx.hint('editing.hint.drawDone');
  }
}

abstract class LineMode extends SketchMode {
  protected readonly closed = false;
  protected readonly minimumPoints = 2;

  protected drawingHint(): string {
    return 'editing.hint.lineDrawing';
  }

  protected target(points: XY[]): Feature<Geometry> | null {
    const source = this.ctx.adapter.source('catchments');
    if (!source) return null;
    const selected = this.ctx.selected();
    if (selected?.layer === 'catchments') {
      const feature = source.getFeatureById(selected.fid) as Feature<Geometry> | null;
      if (feature && this.ctx.inShownSet(feature)) return feature;
    }
    // The catchment holding the most sketch points' midpoints.
    const counts = new Map<Feature<Geometry>, number>();
    for (let i = 0; i + 1 < points.length; i++) {
      const mid: XY = [(points[i]![0] + points[i + 1]![0]) / 2, (points[i]![1] + points[i + 1]![1]) / 2];
      for (const feature of source.getFeaturesAtCoordinate(mid) as Feature<Geometry>[]) {
        if (this.ctx.inShownSet(feature)) counts.set(feature, (counts.get(feature) ?? 0) + 1);
      }
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  }
}

export class SplitMode extends LineMode {
  readonly id = 'split' as const;

  idleHint(): string {
    return 'editing.hint.split';
  }

  protected async complete(points: XY[]): Promise<void> {
    const target = this.target(points);
    if (!target) return this.ctx.hint('editing.hint.noTarget');
    await this.ctx.run({ type: 'catchment.split', fid: Number(target.getId()), line: { type: 'LineString', coordinates: points } });
  }
}

export class ReshapeMode extends LineMode {
  readonly id = 'reshape' as const;

  idleHint(): string {
    return 'editing.hint.reshape';
  }

  protected async complete(points: XY[]): Promise<void> {
    const target = this.target(points);
    const geometry = target ? multiPolygonOf(target) : null;
    if (!target || !geometry) return this.ctx.hint('editing.hint.noTarget');
    const source = this.ctx.adapter.source('catchments')!;
    const others = (source.getFeatures() as Feature<Geometry>[])
      .filter((f) => f !== target && this.ctx.inShownSet(f))
      .flatMap((f) => {
        const g = multiPolygonOf(f);
        return g ? [{ fid: Number(f.getId()), geometry: g, locked: Number(f.get('locked') ?? 0) }] : [];
      });
    let changes;
    try {
      changes = reshapeInSet({ fid: Number(target.getId()), geometry, locked: Number(target.get('locked') ?? 0) }, { type: 'LineString', coordinates: points }, others);
    } catch (error) {
      const problem = error instanceof PolygonEditError ? (error.detail === 'locked' ? 'locked' : error.problem) : 'invalid';
      useUiStore.getState().reportError(new VerkostoError('geometryRejected', { problem, name: String(target.get('name') ?? '') }));
      return;
    }
    await this.ctx.run(changes.length === 1 ? { type: 'catchment.reshape', fid: changes[0]!.fid, geometry: changes[0]!.geometry } : { type: 'catchment.reshapeMany', changes });
  }
}

export class MeasureMode extends SketchMode {
  readonly id = 'measure' as const;
  protected readonly closed = false;
  protected readonly minimumPoints = 2;
  private finished = false;

  idleHint(): string {
    return 'editing.hint.measure';
  }

  protected drawingHint(): string {
    return 'editing.hint.measuring';
  }

  override click(pointer: PointerInfo): void {
    if (this.finished) {
      this.finished = false;
      this.points = [];
    }
    super.click(pointer);
  }

  protected override afterRedraw(preview: XY[]): void {
    if (this.finished) return;
    useEditingStore.getState().set({ measure: measureOf(preview) });
  }

  protected complete(points: XY[]): void {
    this.finished = true;
    useEditingStore.getState().set({ measure: measureOf(points) });
    this.ctx.adapter.drawSketch({ line: points, polygon: points.length >= 3 ? points : [], vertices: points });
    this.points = points;
  }

  protected override onCancel(): void {
    super.onCancel();
    this.finished = false;
    useEditingStore.getState().set({ measure: null });
  }
}

/** Length of the line and, from three points, the area of the closed polygon (planar, CRS units). */
export function measureOf(points: XY[]): { distance: number; area: number | null } {
  let distance = 0;
  for (let i = 0; i + 1 < points.length; i++) distance += Math.hypot(points[i + 1]![0] - points[i]![0], points[i + 1]![1] - points[i]![1]);
  let area: number | null = null;
  if (points.length >= 3) {
    let sum = 0;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) sum += points[j]![0] * points[i]![1] - points[i]![0] * points[j]![1];
    area = Math.abs(sum) / 2;
  }
  return { distance, area };
}
