/**
 * Writes a patch (a list of row changes) to the project file. Used for commands, undo (the inverse patch)
 * and redo alike, always inside the caller's transaction. Geometry travels as GeoJSON under `geom`.
 */
import type Database from 'better-sqlite3';
import type { Patch, RowChange } from '../../shared/domain/commands';
import type { Geometry } from '../../shared/geo/geometry';
import { encodeGeoPackageGeometry } from '../../shared/geo/gpkg-geometry';
import { PATCHABLE_TABLES } from './layer-tables';

function toSqlValue(table: string, column: string, value: unknown, srsId: number): unknown {
  if (column === 'geom') return value == null ? null : encodeGeoPackageGeometry(value as Geometry, srsId);
  if (table === 'verkosto_settings' && column === 'value') return JSON.stringify(value ?? null);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value ?? null;
}

function allowedColumns(change: RowChange, row: Record<string, unknown>): string[] {
  const spec = PATCHABLE_TABLES[change.table];
  if (!spec) throw new Error(`Table ${change.table} cannot be patched`);
  const columns = Object.keys(row);
  for (const column of columns) {
    if (column !== 'geom' && !spec.columns.includes(column)) throw new Error(`Column ${change.table}.${column} cannot be patched`);
    if (column === 'geom' && !spec.geometry) throw new Error(`${change.table} has no geometry`);
  }
  return columns;
}

/** Applies every change of a patch in order. Throws (and the caller's transaction rolls back) on a mismatch. */
export function applyPatch(db: Database.Database, patch: Patch, srsId: number): void {
  for (const change of patch) {
    const spec = PATCHABLE_TABLES[change.table];
    if (!spec) throw new Error(`Table ${change.table} cannot be patched`);
    const key = spec.keyColumn;
    if (change.after && !change.before) {
      const columns = allowedColumns(change, change.after);
      const values = columns.map((column) => toSqlValue(change.table, column, change.after![column], srsId));
      db.prepare(`INSERT INTO ${change.table} (${key}, ${columns.join(', ')}) VALUES (?, ${columns.map(() => '?').join(', ')})`).run(change.key, ...values);
    } else if (!change.after && change.before) {
      const result = db.prepare(`DELETE FROM ${change.table} WHERE ${key} = ?`).run(change.key);
      if (result.changes !== 1) throw new Error(`Row ${change.table}/${change.key} to delete is missing`);
    } else if (change.after) {
      const columns = allowedColumns(change, change.after);
      if (columns.length === 0) continue;
      const values = columns.map((column) => toSqlValue(change.table, column, change.after![column], srsId));
      const result = db.prepare(`UPDATE ${change.table} SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE ${key} = ?`).run(...values, change.key);
      if (result.changes !== 1) {
        // A setting that did not exist yet is an upsert; any other missing row is an error.
        if (change.table !== 'verkosto_settings') throw new Error(`Row ${change.table}/${change.key} to update is missing`);
        db.prepare('INSERT INTO verkosto_settings (key, value) VALUES (?, ?)').run(change.key, values[0]);
      }
    }
  }
}
