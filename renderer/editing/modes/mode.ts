/**
 * Editing modes are explicit state machines (terra-draw's lifecycle): registered → started → drawing →
 * stopped. A mode gets pointer and key events from the editor, draws only through the adapter, and
 * changes the project only by sending commands. Each says which cursor it shows and what a click does.
 */
import type Feature from 'ol/Feature.js';
import type { Geometry } from 'ol/geom.js';
import type { HostClient } from '../../../shared/contract/host-api';
import type { Command, EditResult } from '../../../shared/domain/commands';
import type { CatchmentSetKey } from '../../../shared/domain/editing-commands';
import type { FeatureReference } from '../../state/selection-store';
import type { OlAdapter, XY } from '../adapter';
import type { ToolId } from '../editing-store';
import type { SnapResult } from '../snapping';

export type ModeState = 'registered' | 'started' | 'drawing' | 'stopped';

export interface PointerInfo {
  pixel: XY;
  coordinate: XY;
  shift: boolean;
  ctrl: boolean;
  alt: boolean;
}

export interface ModeContext {
  adapter: OlAdapter;
  host: HostClient;
  /** Sends a command; resolves undefined when the host refused it (the message is shown). */
  run(command: Command): Promise<EditResult | undefined>;
  shownSet(): CatchmentSetKey | null;
  inShownSet(feature: Feature<Geometry>): boolean;
  /** Snaps a coordinate when snapping is on; `exclude` is a vertex being dragged. */
  snap(coordinate: XY, exclude?: XY | null): SnapResult | null;
  /** Snap tolerance in map units. */
  tolerance(): number;
  selected(): FeatureReference | null;
  select(reference: FeatureReference | null): void;
  hint(key: string, params?: Record<string, string | number>): void;
  /** Rounds a coordinate to the project's precision grid. */
  round(coordinate: XY): XY;
}

export abstract class EditMode {
  abstract readonly id: ToolId;
  state: ModeState = 'registered';

  constructor(protected readonly ctx: ModeContext) {}

  start(): void {
    this.state = 'started';
    this.ctx.adapter.setCursor(this.cursor());
    this.ctx.hint(this.idleHint());
    this.onStart();
  }

  stop(): void {
    this.cancel();
    this.state = 'stopped';
    this.ctx.adapter.clearSketch();
    this.ctx.adapter.setCursor('');
    this.onStop();
  }

  /** Drops the sketch in progress (Esc). Returns true when there was one. */
  cancel(): boolean {
    const had = this.state === 'drawing';
    if (this.state === 'drawing') this.state = 'started';
    this.onCancel();
    this.ctx.adapter.clearSketch();
    this.ctx.hint(this.idleHint());
    return had;
  }

  /** In-sketch undo (Backspace, Ctrl+Z while drawing). Returns true when it removed something. */
  undoSketch(): boolean {
    return false;
  }

  /** Finishes the sketch (Enter). */
  finish(): void {}

  cursor(): string {
    return 'crosshair';
  }

  abstract idleHint(): string;

  protected onStart(): void {}
  protected onStop(): void {}
  protected onCancel(): void {}

  /** Return true to take the pointer (no map panning while dragging). */
  down(_pointer: PointerInfo): boolean {
    return false;
  }
  drag(_pointer: PointerInfo): void {}
  up(_pointer: PointerInfo): void {}
  move(_pointer: PointerInfo): void {}
  click(_pointer: PointerInfo): void {}
  /** Return true when handled (the map then does not zoom). */
  dblclick(_pointer: PointerInfo): boolean {
    return false;
  }
}
