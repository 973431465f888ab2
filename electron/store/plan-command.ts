/**
 * Turns a command into the patch that carries it out, reading the rows it changes first, so the inverse
 * (the undo) is known before anything is written.
 */
import type Database from 'better-sqlite3';
import type { Command, Patch } from '../../shared/domain/commands';
import { VerkostoError } from '../../shared/errors';
import { decodeGeoPackageGeometry } from '../../shared/geo/gpkg-geometry';
import { LAYER_COLUMNS } from './layer-tables';
import { isEditingCommand } from '../../shared/domain/editing-commands';
import { planEditingCommand } from './plan-editing';

/**
 * Settings that describe the file rather than the plan: `project.epsg` says which CRS every stored geometry
 * is in, so changing it by a command would make the next open read and write coordinates in the wrong CRS.
 */
const READ_ONLY_SETTINGS = new Set(['project.epsg']);

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function readFacility(db: Database.Database, fid: number): Record<string, unknown> {
  const row = db.prepare('SELECT * FROM facilities WHERE fid = ?').get(fid) as Record<string, unknown> | undefined;
  if (!row) throw new VerkostoError('unknownFeature', { layer: 'facilities', fid });
  return row;
}

/**
 * The fid the next insert into an AUTOINCREMENT table gets, so an insert's patch (and its inverse, the
 * delete) can name the row before it exists. Never reuses the fid of a deleted row, as SQLite would not.
 */
export function nextFid(db: Database.Database, table: string): number {
  const sequence = db.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').get(table) as { seq: number } | undefined;
  const highest = db.prepare(`SELECT MAX(fid) AS fid FROM ${table}`).get() as { fid: number | null };
  return Math.max(sequence?.seq ?? 0, highest.fid ?? 0) + 1;
}

/** The patch for a command against the file as it is now. Throws VerkostoError when the command cannot apply. */
export function planCommand(db: Database.Database, command: Command): Patch {
  if (isEditingCommand(command)) return planEditingCommand(db, command);
  switch (command.type) {
    case 'import.apply':
      // Imports and syncs are planned by electron/services/import (the patch comes from the source's features).
      throw new VerkostoError('commandRejected', { reason: 'import.apply is planned by the import service' });
    case 'forecast.apply':
      // Forecasts are planned by electron/services/analysis/forecast-service.ts (the rows come from the projection).
      throw new VerkostoError('commandRejected', { reason: 'forecast.apply is planned by the forecast service' });
    case 'facility.update': {
      const row = readFacility(db, command.fid);
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const [column, value] of Object.entries(command.changes)) {
        if (value === undefined) continue;
        // Only attribute columns: `fid` or `geom` here would write a key or a raw blob into the undo log.
        if (!LAYER_COLUMNS.facilities.includes(column)) throw new VerkostoError('commandRejected', { reason: `unknown column ${column}` });
        if (typeof value === 'number' && !Number.isFinite(value)) throw new VerkostoError('commandRejected', { reason: `${column} is not a finite number` });
        before[column] = row[column] ?? null;
        after[column] = value;
      }
      if (Object.keys(after).length === 0) throw new VerkostoError('commandRejected', { reason: 'no changes' });
      return [{ table: 'facilities', key: command.fid, before, after }];
    }
    case 'facility.move': {
      const { geometry } = command;
      if (geometry?.type !== 'Point' || !Array.isArray(geometry.coordinates) || geometry.coordinates.length < 2 || !geometry.coordinates.every(isFiniteNumber)) {
        throw new VerkostoError('commandRejected', { reason: 'a facility is a point with finite coordinates' });
      }
      const row = readFacility(db, command.fid);
      const previous = decodeGeoPackageGeometry(row.geom as Uint8Array | null)?.geometry ?? null;
      return [{ table: 'facilities', key: command.fid, before: { geom: previous }, after: { geom: command.geometry } }];
    }
    case 'setting.set': {
      if (READ_ONLY_SETTINGS.has(command.key)) throw new VerkostoError('commandRejected', { reason: `${command.key} cannot be changed` });
      if (typeof command.value === 'number' && !Number.isFinite(command.value)) throw new VerkostoError('commandRejected', { reason: 'not a finite number' });
      const row = db.prepare('SELECT value FROM verkosto_settings WHERE key = ?').get(command.key) as { value: string | null } | undefined;
      const before = row ? { value: row.value == null ? null : JSON.parse(row.value) } : null;
      return [{ table: 'verkosto_settings', key: command.key, before, after: { value: command.value } }];
    }
    case 'comment.add': {
      if (!command.geometry.coordinates.every(isFiniteNumber)) throw new VerkostoError('commandRejected', { reason: 'a comment is a point with finite coordinates' });
      const after = { geom: command.geometry, text: command.text, author: command.author, created_at: new Date().toISOString(), scenario: command.scenario, hidden: 0 };
      return [{ table: 'comments', key: nextFid(db, 'comments'), before: null, after }];
    }
    case 'comment.setHidden': {
      const row = db.prepare('SELECT hidden FROM comments WHERE fid = ?').get(command.fid) as { hidden: number } | undefined;
      if (!row) throw new VerkostoError('unknownFeature', { layer: 'comments', fid: command.fid });
      return [{ table: 'comments', key: command.fid, before: { hidden: row.hidden }, after: { hidden: command.hidden ? 1 : 0 } }];
    }
  }
}

/** Layer or table names a patch touches, for the projectChanged event. */
export function touchedTables(patch: Patch): string[] {
  return [...new Set(patch.map((change) => change.table))];
}

/** Above this many rows of one table an event does not list them (a forecast or a large import): readers reload. */
export const MAX_TOUCHED_KEYS = 20_000;

/** Per table, the keys of the rows a patch changes, so the renderer can read back only those (analysis delta). */
export function touchedKeys(patch: Patch): Record<string, (string | number)[]> {
  const keys: Record<string, Set<string | number>> = {};
  for (const change of patch) (keys[change.table] ??= new Set()).add(change.key);
  return Object.fromEntries(Object.entries(keys).flatMap(([table, set]) => (set.size > MAX_TOUCHED_KEYS ? [] : [[table, [...set]]])));
}
