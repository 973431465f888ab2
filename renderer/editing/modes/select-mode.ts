/**
 * Select (S): a click selects the feature under the pointer (shared with the attribute table and side
 * panel); Shift or Ctrl+click adds features to the multi-selection (catchments picked so can be merged); dragging a facility moves it (snapped).
 */
import type Feature from 'ol/Feature.js';
import { Point, type Geometry } from 'ol/geom.js';
import type { LayerId } from '../../../shared/domain/project';
import type { XY } from '../adapter';
import { useSelectionStore, type FeatureReference } from '../../state/selection-store';
import { EditMode, type PointerInfo } from './mode';

export class SelectMode extends EditMode {
  readonly id = 'select' as const;
  private dragging: { feature: Feature<Geometry>; from: XY; to: XY } | null = null;

  override cursor(): string {
    return 'default';
  }

  idleHint(): string {
    return 'editing.hint.select';
  }

  override click(pointer: PointerInfo): void {
    const hit = this.hit(pointer);
    if (pointer.shift || pointer.ctrl) {
      // Shift or Ctrl+click adds to the multi-selection (shared with the attribute table), one layer at a time.
      if (hit) useSelectionStore.getState().togglePicked(hit);
      return;
    }
    useSelectionStore.getState().setPicked(null);
    this.ctx.select(hit);
  }

  /** The topmost selectable feature under the pointer: facility, catchment of the shown set, demand unit, municipality. */
  private hit(pointer: PointerInfo): FeatureReference | null {
    const { adapter } = this.ctx;
    const order: [string, LayerId][] = [
      ['feedback', 'feedback'],
      ['facilities', 'facilities'],
      ['residential_points', 'residential_points'],
      ['catchments', 'catchments'],
      ['demand_small_areas', 'demand_units'],
      ['demand_grid', 'demand_units'],
      ['municipality', 'municipality'],
    ];
    for (const [key, layer] of order) {
      if (!adapter.layerVisible(key)) continue;
      const hit = adapter.featuresAt(pointer.pixel, [key], key === 'facilities' || key === 'feedback' ? 6 : key === 'residential_points' ? 4 : 0, (f) => key !== 'catchments' || this.ctx.inShownSet(f as Feature<Geometry>))[0];
      if (hit) return { layer, fid: Number(hit.getId()) };
    }
    return null;
  }

  override move(pointer: PointerInfo): void {
    if (this.dragging) return;
    const facility = this.ctx.adapter.featuresAt(pointer.pixel, ['facilities'], 6)[0];
    this.ctx.adapter.setCursor(facility ? 'grab' : 'default');
    this.ctx.hint(facility ? 'editing.hint.facilityDrag' : 'editing.hint.select');
  }

  override down(pointer: PointerInfo): boolean {
    const facility = this.ctx.adapter.featuresAt(pointer.pixel, ['facilities'], 6)[0];
    const geometry = facility?.getGeometry();
    if (!facility || !(geometry instanceof Point)) return false;
    const at = geometry.getCoordinates() as XY;
    this.dragging = { feature: facility, from: [at[0], at[1]], to: [at[0], at[1]] };
    this.state = 'drawing';
    this.ctx.adapter.setCursor('grabbing');
    return true;
  }

  override drag(pointer: PointerInfo): void {
    if (!this.dragging) return;
    const snapped = this.ctx.snap(pointer.coordinate, this.dragging.from);
    this.dragging.to = snapped ? snapped.at : pointer.coordinate;
    (this.dragging.feature.getGeometry() as Point).setCoordinates(this.dragging.to);
    this.ctx.adapter.drawSketch({ snap: snapped });
  }

  override up(): void {
    const dragging = this.dragging;
    this.dragging = null;
    this.state = 'started';
    this.ctx.adapter.clearSketch();
    this.ctx.adapter.setCursor('grab');
    if (!dragging) return;
    const moved = Math.hypot(dragging.to[0] - dragging.from[0], dragging.to[1] - dragging.from[1]) > 0;
    if (!moved) return;
    const fid = Number(dragging.feature.getId());
    void this.ctx.run({ type: 'facility.move', fid, geometry: { type: 'Point', coordinates: this.ctx.round(dragging.to) } }).then((result) => {
      if (!result) (dragging.feature.getGeometry() as Point).setCoordinates(dragging.from);
      else this.ctx.select({ layer: 'facilities', fid });
    });
  }

  protected override onCancel(): void {
    if (this.dragging) (this.dragging.feature.getGeometry() as Point).setCoordinates(this.dragging.from);
    this.dragging = null;
  }
}
