/**
 * Every change to a project is a command. The host turns a command into a patch (row changes with their
 * before and after values) and stores command, patch and inverse with the change in one transaction, so
 * undo and redo survive a restart. New commands: add the type here, its schema in contract/schemas.ts,
 * its planner in electron/store/commands.ts, a unit test, and a line in the i18n `commands` section.
 */
import type { PointGeometry } from '../geo/geometry';
import type { FacilityAttributes } from './project';
import type { EditingCommand } from './editing-commands';

export type SettingValue = string | number | boolean | null;

export type Command =
  | EditingCommand
  | { type: 'facility.update'; fid: number; changes: Partial<FacilityAttributes> }
  | { type: 'facility.move'; fid: number; geometry: PointGeometry }
  | { type: 'setting.set'; key: string; value: SettingValue }
  | { type: 'comment.add'; geometry: PointGeometry; text: string; author: string; scenario: string | null }
  | { type: 'comment.setHidden'; fid: number; hidden: boolean }
  /** An import, a sync, a saved mapping: the import service plans the patch (never sent by the renderer). */
  | { type: 'import.apply'; sourceId: string; operation: 'import' | 'sync' | 'saveMapping' | 'removeSource'; added: number; changed: number; removed: number }
  /** A population forecast stored in demand_population (source 'forecast'): the forecast service plans the patch. */
  | { type: 'forecast.apply'; method: 'cohort' | 'hamilton-perry' | 'import'; fromYear: number; toYear: number; rows: number };

export type CommandType = Command['type'];

/** One row's change. `before` null = the row was inserted; `after` null = the row was deleted. */
export interface RowChange {
  table: string;
  key: string | number;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export type Patch = RowChange[];

/** The inverse of a patch: each change reversed, in reverse order. */
export function invertPatch(patch: Patch): Patch {
  return patch.map((change) => ({ table: change.table, key: change.key, before: change.after, after: change.before })).reverse();
}

/** What the host tells the renderer after a command, undo or redo. */
export interface EditResult {
  seq: number;
  command: Command;
  /** Layers and tables whose contents changed, so views reload only those. */
  touched: string[];
  /** Per touched table, the keys of the rows that changed (absent where the producer did not list them). */
  touchedKeys?: Record<string, (string | number)[]>;
  canUndo: boolean;
  canRedo: boolean;
}
