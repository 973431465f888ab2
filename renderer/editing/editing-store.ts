/**
 * Editing state shared by the map editor and the editing panels: the active tool, what the status bar
 * says, the paint target and its live delta, the problems list.
 */
import { create } from 'zustand';
import type { PaintDelta } from '../../shared/editing/paint';
import type { Problem } from '../../shared/editing/problems';
import type { RepairOffer } from '../../shared/editing/repair-offer';

export const TOOL_IDS = ['select', 'vertex', 'addFacility', 'drawCatchment', 'reshape', 'split', 'paint', 'measure'] as const;
export type ToolId = (typeof TOOL_IDS)[number];

/** QGIS shortcuts where QGIS has one (S select is ours, V vertex tool, Ctrl+Shift+M measure in QGIS). */
export const TOOL_SHORTCUTS: Record<ToolId, string> = {
  select: 's',
  vertex: 'v',
  addFacility: 'f',
  drawCatchment: 'd',
  reshape: 'r',
  split: 'x',
  paint: 'b',
  measure: 'm',
};

export interface MeasureReadout {
  distance: number;
  area: number | null;
}

export interface EditingState {
  tool: ToolId;
  /** i18n key (editing.hint.*) of what a click does now, with parameters. */
  hint: { key: string; params?: Record<string, string | number> };
  /** Sketch vertices so far (drawing modes), for the status bar. */
  sketchPoints: number;
  avoidOverlap: boolean;
  snapping: boolean;
  /** Snap tolerance in screen pixels. */
  snapPixels: number;
  paintTarget: number | null;
  paintDelta: PaintDelta | null;
  paintUnitsInStroke: number;
  measure: MeasureReadout | null;
  problems: Problem[] | null;
  problemsBusy: boolean;
  panel: 'none' | 'paint' | 'problems';
  tableLayer: 'none' | 'facilities' | 'catchments' | 'demand_units';
  helpVisible: boolean;
  facilityForm: { mode: 'add'; position: [number, number] } | { mode: 'edit'; fid: number } | null;
  coordinateEntry: { from: [number, number] } | null;
  /** A refused edit whose geometry a repair makes valid, waiting for the user's consent. */
  repair: { offer: RepairOffer; decide(accept: boolean): void } | null;
  setTool(tool: ToolId): void;
  setHint(key: string, params?: Record<string, string | number>): void;
  set(partial: Partial<EditingState>): void;
}

export const useEditingStore = create<EditingState>()((set) => ({
  tool: 'select',
  hint: { key: 'editing.hint.select' },
  sketchPoints: 0,
  avoidOverlap: true,
  snapping: true,
  snapPixels: 10,
  paintTarget: null,
  paintDelta: null,
  paintUnitsInStroke: 0,
  measure: null,
  problems: null,
  problemsBusy: false,
  panel: 'none',
  tableLayer: 'none',
  helpVisible: false,
  facilityForm: null,
  coordinateEntry: null,
  repair: null,
  setTool: (tool) => set({ tool }),
  setHint: (key, params) => set({ hint: params ? { key, params } : { key } }),
  set: (partial) => set(partial),
}));
