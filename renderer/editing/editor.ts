/**
 * The map editor: one OpenLayers pointer interaction that feeds the active mode, the keyboard shortcuts
 * (QGIS's where it has them: Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y, V vertex tool, Delete, Esc; ? for help), and
 * the context the modes use. Attached to the workspace map by map-view; the project changes only through
 * commands sent to the host.
 */
import type Feature from 'ol/Feature.js';
import { MultiPolygon, type Geometry } from 'ol/geom.js';
import { createEmpty, extend } from 'ol/extent.js';
import PointerInteraction from 'ol/interaction/Pointer.js';
import type MapBrowserEvent from 'ol/MapBrowserEvent.js';
import type OlMap from 'ol/Map.js';
import type { HostClient } from '../../shared/contract/host-api';
import type { Command, EditResult } from '../../shared/domain/commands';
import type { CatchmentSetKey } from '../../shared/domain/editing-commands';
import { REPAIRABLE_PROBLEMS, repairOffer, type RepairOffer } from '../../shared/editing/repair-offer';
import { VerkostoError } from '../../shared/errors';
import { precisionScale, roundPosition } from '../../shared/geo/polygon-edit';
import { catchmentSetKey, useLayerStore } from '../state/layer-store';
import { useProjectStore } from '../state/project-store';
import { pickedCatchments, useSelectionStore } from '../state/selection-store';
import { useUiStore } from '../state/ui-store';
import { OlAdapter, type XY } from './adapter';
import { TOOL_SHORTCUTS, useEditingStore, type ToolId } from './editing-store';
import { AddFacilityMode, DrawCatchmentMode, MeasureMode, ReshapeMode, SplitMode } from './modes/draw-modes';
import type { EditMode, ModeContext, PointerInfo } from './modes/mode';
import { PaintMode } from './modes/paint-mode';
import { SelectMode } from './modes/select-mode';
import { VertexMode } from './modes/vertex-mode';
import { snapPoint } from './snapping';

function pointerOf(event: MapBrowserEvent<PointerEvent | KeyboardEvent | WheelEvent>): PointerInfo {
  const original = event.originalEvent as unknown as MouseEvent;
  return {
    pixel: [event.pixel[0]!, event.pixel[1]!],
    coordinate: [event.coordinate[0]!, event.coordinate[1]!],
    shift: Boolean(original.shiftKey),
    ctrl: Boolean(original.ctrlKey || original.metaKey),
    alt: Boolean(original.altKey),
  };
}

const TEXT_INPUTS = new Set(['', 'text', 'search', 'number', 'email', 'password', 'url', 'tel']);

/** Keys typed into a text field or a list are the field's, not shortcuts (a checkbox or button is not typing). */
function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  if (!element) return false;
  if (element.tagName === 'INPUT') return TEXT_INPUTS.has((element as HTMLInputElement).type);
  return element.tagName === 'TEXTAREA' || element.tagName === 'SELECT' || element.isContentEditable;
}

export class MapEditor {
  readonly adapter: OlAdapter;
  readonly modes: Record<ToolId, EditMode>;
  private active: EditMode;
  private readonly interaction: PointerInteraction;
  private readonly cleanups: (() => void)[] = [];
  private readonly scale: number;
  /** Where the last press was, read at the press: a click is reported 250 ms later (OpenLayers waits for a
   * possible double-click), and the map may have moved meanwhile. */
  lastDown: PointerInfo | null = null;

  constructor(
    readonly map: OlMap,
    private readonly host: HostClient,
    epsg: number,
  ) {
    this.adapter = new OlAdapter(map);
    this.scale = precisionScale(epsg);
    const ctx = this.context();
    this.modes = {
      select: new SelectMode(ctx),
      vertex: new VertexMode(ctx),
      addFacility: new AddFacilityMode(ctx),
      drawCatchment: new DrawCatchmentMode(ctx),
      reshape: new ReshapeMode(ctx),
      split: new SplitMode(ctx),
      paint: new PaintMode(ctx),
      measure: new MeasureMode(ctx),
    };
    this.active = this.modes[useEditingStore.getState().tool];

    const editor = this;
    this.interaction = new PointerInteraction({
      handleDownEvent(event) {
        if ((event.originalEvent as unknown as MouseEvent).button !== 0) return false;
        if (useEditingStore.getState().repair) return false; // waiting for the repair answer
        editor.lastDown = pointerOf(event);
        return editor.active.down(pointerOf(event));
      },
      handleDragEvent(event) {
        editor.active.drag(pointerOf(event));
      },
      handleUpEvent(event) {
        editor.active.up(pointerOf(event));
        return false;
      },
      handleMoveEvent(event) {
        editor.active.move(pointerOf(event));
      },
      handleEvent(event) {
        if (useEditingStore.getState().repair && (event.type === 'singleclick' || event.type === 'dblclick')) return true;
        if (event.type === 'singleclick') {
          editor.active.click(editor.atDown(pointerOf(event)));
          return true;
        }
        if (event.type === 'dblclick') return !editor.active.dblclick(editor.atDown(pointerOf(event)));
        return PointerInteraction.prototype.handleEvent.call(this, event);
      },
    });
    map.addInteraction(this.interaction);
    this.active.start();

    // A click on the map takes the keyboard away from a field or list that had it, so shortcuts work at
    // once (OpenLayers prevents the default on pointerdown, which would otherwise keep the old focus).
    const viewport = map.getViewport() as HTMLElement;
    const onPointerDown = () => {
      const active = document.activeElement as HTMLElement | null;
      if (active && active !== document.body && !viewport.contains(active)) active.blur();
    };
    viewport.addEventListener('pointerdown', onPointerDown);
    this.cleanups.push(() => viewport.removeEventListener('pointerdown', onPointerDown));
    const onKey = (event: KeyboardEvent) => this.onKey(event);
    window.addEventListener('keydown', onKey);
    this.cleanups.push(() => window.removeEventListener('keydown', onKey));
    this.cleanups.push(
      useEditingStore.subscribe((state, previous) => {
        if (state.tool !== previous.tool) this.activate(state.tool);
        if (state.paintTarget !== previous.paintTarget && this.active instanceof PaintMode) this.active.targetChanged();
      }),
    );
    this.cleanups.push(
      useLayerStore.subscribe((state, previous) => {
        if (state.shownCatchmentSet !== previous.shownCatchmentSet) {
          // Editing applies to the shown set: a sketch or pick from another set is dropped.
          this.active.cancel();
          useEditingStore.getState().set({ paintTarget: null, paintDelta: null });
          if (useSelectionStore.getState().picked?.layer === 'catchments') useSelectionStore.getState().setPicked(null);
          if (this.active instanceof PaintMode) void this.active.model.refresh(true);
        }
      }),
    );
    this.cleanups.push(
      useProjectStore.subscribe((state, previous) => {
        if (state.editRevision !== previous.editRevision && this.active instanceof PaintMode) void this.active.model.refresh(true);
      }),
    );
  }

  private context(): ModeContext {
    return {
      adapter: this.adapter,
      host: this.host,
      run: (command) => this.run(command),
      shownSet: () => this.shownSet(),
      inShownSet: (feature) => this.inShownSet(feature),
      snap: (coordinate, exclude) => {
        const editing = useEditingStore.getState();
        if (!editing.snapping) return null;
        return snapPoint(this.adapter, coordinate, {
          pixels: editing.snapPixels,
          layers: ['catchments', 'demand_small_areas', 'demand_grid', 'municipality', 'facilities'],
          accept: (feature) => feature.get('service') === undefined || this.inShownSet(feature),
          exclude: exclude ?? null,
        });
      },
      tolerance: () => useEditingStore.getState().snapPixels * this.adapter.resolution(),
      selected: () => useSelectionStore.getState().selected,
      select: (reference) => useSelectionStore.getState().select(reference),
      hint: (key, params) => useEditingStore.getState().setHint(key, params),
      round: (coordinate) => roundPosition(coordinate, this.scale) as XY,
    };
  }

  /** A click at the pixel of the last press takes the press's coordinate. */
  atDown(pointer: PointerInfo): PointerInfo {
    const down = this.lastDown;
    if (down && down.pixel[0] === pointer.pixel[0] && down.pixel[1] === pointer.pixel[1]) return { ...pointer, coordinate: down.coordinate };
    return pointer;
  }

  shownSet(): CatchmentSetKey | null {
    const key = useLayerStore.getState().shownCatchmentSet;
    const set = useLayerStore.getState().catchmentSets.find((entry) => entry.key === key);
    return set ? ({ service: set.service, language: set.language } as CatchmentSetKey) : null;
  }

  inShownSet(feature: Feature<Geometry>): boolean {
    return catchmentSetKey(feature.get('service'), feature.get('language')) === useLayerStore.getState().shownCatchmentSet;
  }

  async run(command: Command): Promise<EditResult | undefined> {
    try {
      const result = await this.host.runCommand({ command });
      return result;
    } catch (error) {
      const offer = this.repairOfferFor(command, error);
      if (offer) return this.askToRepair(offer);
      useUiStore.getState().reportError(error);
      return undefined;
    }
  }

  /** A repair for an edit the host refused because its shape is invalid, when JSTS can make it valid. */
  private repairOfferFor(command: Command, error: unknown): RepairOffer | null {
    if (!(error instanceof VerkostoError) || error.code !== 'geometryRejected' || !REPAIRABLE_PROBLEMS.includes(String(error.params.problem))) return null;
    const names = new Map<number, string>();
    for (const feature of this.adapter.source('catchments')?.getFeatures() ?? []) names.set(Number(feature.getId()), String(feature.get('name') ?? ''));
    return repairOffer(command, { scale: this.scale, names });
  }

  /** Shows the repair dialog with the repaired shape on the map; resolves once the user has chosen. */
  private askToRepair(offer: RepairOffer): Promise<EditResult | undefined> {
    const shapes = offer.shapes.map((shape) => new MultiPolygon(shape.after.coordinates));
    this.adapter.drawSketch({ repaired: shapes });
    // Keep the repaired shape in view left of the dialog docked at the map's right (pan or zoom out only).
    const view = this.map.getView();
    const extent = shapes.reduce((box, shape) => extend(box, shape.getExtent()), createEmpty());
    view.fit(extent, { size: this.map.getSize(), padding: [80, 400, 200, 120], maxZoom: view.getZoom() });
    return new Promise((resolve) => {
      let answered = false;
      const decide = async (accept: boolean) => {
        if (answered) return; // a double click on a button
        answered = true;
        useEditingStore.getState().set({ repair: null });
        this.adapter.clearSketch();
        if (!accept) return resolve(undefined);
        try {
          resolve(await this.host.runCommand({ command: offer.repaired }));
        } catch (error) {
          useUiStore.getState().reportError(error);
          resolve(undefined);
        }
      };
      useEditingStore.getState().set({ repair: { offer, decide: (accept) => void decide(accept) } });
    });
  }

  activate(tool: ToolId): void {
    const next = this.modes[tool];
    if (next === this.active) return;
    this.active.stop();
    this.active = next;
    next.start();
  }

  activeMode(): EditMode {
    return this.active;
  }

  async undo(): Promise<void> {
    if (this.active.state === 'drawing' && this.active.undoSketch()) return;
    try {
      await this.host.undo({});
    } catch (error) {
      useUiStore.getState().reportError(error);
    }
  }

  async redo(): Promise<void> {
    try {
      await this.host.redo({});
    } catch (error) {
      useUiStore.getState().reportError(error);
    }
  }

  async deleteSelection(): Promise<void> {
    const selected = useSelectionStore.getState().selected;
    if (!selected) return;
    if (selected.layer === 'facilities') {
      if (await this.run({ type: 'facility.delete', fid: selected.fid })) useSelectionStore.getState().select(null);
    } else if (selected.layer === 'catchments') {
      if (await this.run({ type: 'catchment.delete', fid: selected.fid })) useSelectionStore.getState().select(null);
    }
  }

  async merge(): Promise<void> {
    const fids = pickedCatchments(useSelectionStore.getState().picked);
    if (fids.length < 2) return;
    if (await this.run({ type: 'catchment.merge', fids })) {
      useSelectionStore.getState().setPicked(null);
      useSelectionStore.getState().select({ layer: 'catchments', fid: fids[0]! });
    }
  }

  private onKey(event: KeyboardEvent): void {
    const editing = useEditingStore.getState();
    if (isTyping(event.target) || editing.facilityForm || editing.coordinateEntry || editing.repair) return;
    const ctrl = event.ctrlKey || event.metaKey;
    const key = event.key;
    if (ctrl && (key === 'z' || key === 'Z') && !event.shiftKey) {
      event.preventDefault();
      void this.undo();
      return;
    }
    if (ctrl && ((key === 'z' || key === 'Z') && event.shiftKey || key === 'y' || key === 'Y')) {
      event.preventDefault();
      void this.redo();
      return;
    }
    if (ctrl || event.altKey) return;
    if (key === 'Escape') {
      if (useEditingStore.getState().helpVisible) return useEditingStore.getState().set({ helpVisible: false });
      if (!this.active.cancel()) useSelectionStore.getState().setPicked(null);
      return;
    }
    if (key === 'Backspace' || key === 'Delete') {
      if (this.active.state === 'drawing' && key === 'Backspace') {
        event.preventDefault();
        this.active.undoSketch();
        return;
      }
      if (this.active instanceof VertexMode && this.active.removeSelected()) return event.preventDefault();
      if (key === 'Delete' && this.active instanceof SelectMode) void this.deleteSelection();
      return;
    }
    if (key === 'Enter') {
      if (this.active instanceof VertexMode && this.active.enterCoordinates()) return;
      this.active.finish();
      return;
    }
    if (key === '?') {
      useEditingStore.getState().set({ helpVisible: !useEditingStore.getState().helpVisible });
      return;
    }
    const tool = (Object.entries(TOOL_SHORTCUTS) as [ToolId, string][]).find(([, shortcut]) => shortcut === key.toLowerCase())?.[0];
    if (tool && this.active.state !== 'drawing') useEditingStore.getState().setTool(tool);
  }

  dispose(): void {
    this.active.stop();
    for (const cleanup of this.cleanups) cleanup();
    this.map.removeInteraction(this.interaction);
    this.adapter.dispose();
  }
}

let current: MapEditor | null = null;

/** The editor of the open map (for the toolbar's buttons and the bench). */
export function currentEditor(): MapEditor | null {
  return current;
}

declare global {
  interface Window {
    /** The map editor, for the benchmark's frame-time measurement (`npm run bench`). */
    __verkostoEditor?: MapEditor;
  }
}

export function attachEditor(map: OlMap, host: HostClient, epsg: number): () => void {
  const editor = new MapEditor(map, host, epsg);
  current = editor;
  window.__verkostoEditor = editor;
  return () => {
    editor.dispose();
    if (current === editor) current = null;
    if (window.__verkostoEditor === editor) delete window.__verkostoEditor;
  };
}
