/**
 * Modes that collect clicked points (with snapping): polygon drawing, split and reshape lines, measure.
 * Backspace removes the last point, Esc cancels, double-click or Enter finishes.
 */
import type { XY } from '../adapter';
import { useEditingStore } from '../editing-store';
import { EditMode, type PointerInfo } from './mode';

export abstract class SketchMode extends EditMode {
  protected points: XY[] = [];
  protected cursorAt: XY | null = null;
  /** Polygon (closed) or line (open). */
  protected abstract readonly closed: boolean;
  protected abstract readonly minimumPoints: number;
  protected abstract drawingHint(): string;
  protected abstract complete(points: XY[]): void | Promise<void>;

  protected override onCancel(): void {
    this.points = [];
    useEditingStore.getState().set({ sketchPoints: 0 });
  }

  override undoSketch(): boolean {
    if (this.points.length === 0) return false;
    this.points.pop();
    if (this.points.length === 0) this.state = 'started';
    this.redraw();
    return true;
  }

  override click(pointer: PointerInfo): void {
    const snapped = this.ctx.snap(pointer.coordinate);
    const at = snapped ? snapped.at : this.ctx.round(pointer.coordinate);
    // Clicking the first point again closes a polygon.
    if (this.closed && this.points.length >= this.minimumPoints) {
      const first = this.ctx.adapter.pixelOf(this.points[0]!);
      if (Math.hypot(first[0] - pointer.pixel[0], first[1] - pointer.pixel[1]) <= 8) return this.finish();
    }
    const last = this.points[this.points.length - 1];
    if (last && last[0] === at[0] && last[1] === at[1]) return;
    this.points.push(at);
    this.state = 'drawing';
    this.redraw();
  }

  /** A double-click adds its point (the two clicks of a double-click are not delivered as clicks) and finishes. */
  override dblclick(pointer: PointerInfo): boolean {
    if (this.state !== 'drawing') return false;
    const snapped = this.ctx.snap(pointer.coordinate);
    const at = snapped ? snapped.at : this.ctx.round(pointer.coordinate);
    const last = this.points[this.points.length - 1];
    if (!last || Math.hypot(last[0] - at[0], last[1] - at[1]) > this.ctx.tolerance() / 4) this.points.push(at);
    this.finish();
    return true;
  }

  override move(pointer: PointerInfo): void {
    const snapped = this.ctx.snap(pointer.coordinate);
    this.cursorAt = snapped ? snapped.at : pointer.coordinate;
    this.redraw(snapped);
  }

  override finish(): void {
    // A double-click also delivers two clicks: drop a repeated last point.
    const points = this.points.filter((p, i, all) => i === 0 || p[0] !== all[i - 1]![0] || p[1] !== all[i - 1]![1]);
    if (points.length < this.minimumPoints) return;
    this.points = [];
    this.state = 'started';
    useEditingStore.getState().set({ sketchPoints: 0 });
    this.ctx.adapter.clearSketch();
    this.ctx.hint(this.idleHint());
    void this.complete(points);
  }

  protected redraw(snap: { at: XY; kind: 'vertex' | 'edge' } | null = null): void {
    useEditingStore.getState().set({ sketchPoints: this.points.length });
    if (this.state === 'drawing') this.ctx.hint(this.drawingHint(), { count: this.points.length });
    const preview = this.state === 'drawing' && this.cursorAt ? [...this.points, this.cursorAt] : this.points;
    this.ctx.adapter.drawSketch({ ...(this.closed ? { polygon: preview } : { line: preview }), vertices: this.points, snap, ...this.extraSketch() });
    this.afterRedraw(preview);
  }

  protected extraSketch(): Record<string, unknown> {
    return {};
  }

  protected afterRedraw(_preview: XY[]): void {}
}
