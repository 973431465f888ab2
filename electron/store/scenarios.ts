/**
 * Scenarios over the project file. Invariant: the feature tables hold the active scenario, i.e. the baseline
 * with the active scenario's rows written over it; `scenario_stash` holds the baseline value of every row the
 * active scenario overrides (null = the row does not exist in the baseline). Baseline edits happen only while
 * the baseline is active, so the stash is always the true baseline and switching back restores it exactly.
 * Each scenario keeps full rows (not diffs), so editing the baseline later never corrupts a scenario.
 */
import type Database from 'better-sqlite3';
import type { ScenarioChange, ScenarioInfo } from '../../shared/contract/host-api';
import type { Patch, RowChange, SettingValue } from '../../shared/domain/commands';
import { VerkostoError } from '../../shared/errors';
import { isScenarioSetting } from '../../shared/domain/scenario-settings';
import { decodeGeoPackageGeometry } from '../../shared/geo/gpkg-geometry';
import { applyPatch } from './apply-patch';
import { PATCHABLE_TABLES } from './layer-tables';

export const BASELINE = 0;

/** Tables whose rows belong to the plan and so differ between scenarios (population and sources do not). */
export const SCENARIO_TABLES = ['facilities', 'catchments', 'facility_services', 'catchment_units'].filter((table) => table in PATCHABLE_TABLES);

/** Whether a row belongs to the scenario: every row of the plan tables, and the demand model's settings. */
export function isScenarioRow(table: string, key: string | number): boolean {
  if (table === 'verkosto_settings') return isScenarioSetting(String(key));
  return SCENARIO_TABLES.includes(table);
}

type Row = Record<string, unknown>;

function keyText(key: string | number): string {
  return String(key);
}

function rowKey(table: string, text: string): string | number {
  return PATCHABLE_TABLES[table]!.keyColumn === 'fid' ? Number(text) : text;
}

export class ScenarioStore {
  constructor(
    private readonly db: Database.Database,
    private readonly srsId: number,
  ) {}

  // ---- rows ----

  /** The full row as a patch would write it (geometry as GeoJSON), or null when absent. */
  readRow(table: string, key: string | number): Row | null {
    const spec = PATCHABLE_TABLES[table]!;
    const columns = [...spec.columns, ...(spec.geometry ? ['geom'] : [])];
    const row = this.db.prepare(`SELECT ${columns.join(', ')} FROM ${table} WHERE ${spec.keyColumn} = ?`).get(key) as Row | undefined;
    if (!row) return null;
    if (spec.geometry) row.geom = decodeGeoPackageGeometry(row.geom as Uint8Array | null)?.geometry ?? null;
    // Settings are JSON text in the table but plain values in a patch (apply-patch.ts encodes them).
    if (table === 'verkosto_settings') row.value = row.value == null ? null : (JSON.parse(String(row.value)) as SettingValue);
    return row;
  }

  /** Makes a row equal `target` (null = absent) through the patch writer, returning the change made. */
  private writeRow(table: string, key: string | number, target: Row | null): RowChange | null {
    const current = this.readRow(table, key);
    if (JSON.stringify(current) === JSON.stringify(target)) return null;
    const change: RowChange = { table, key, before: current, after: target };
    applyPatch(this.db, [change], this.srsId);
    (this.lastTouchedKeys[table] ??= []).push(key);
    return change;
  }

  /** Per table, the keys of the rows the last switch (activate) rewrote: the KPI worker reads back only those. */
  lastTouchedKeys: Record<string, (string | number)[]> = {};

  // ---- the active scenario ----

  activeFid(): number {
    const row = this.db.prepare("SELECT value FROM verkosto_settings WHERE key = 'scenario.active'").get() as { value: string } | undefined;
    return row ? Number(JSON.parse(row.value)) || BASELINE : BASELINE;
  }

  private setActive(fid: number): void {
    // The baseline is the absence of the setting, so a project without scenarios stays as it was.
    if (fid === BASELINE) {
      this.db.prepare("DELETE FROM verkosto_settings WHERE key = 'scenario.active'").run();
      return;
    }
    this.db.prepare("INSERT INTO verkosto_settings (key, value) VALUES ('scenario.active', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify(fid));
  }

  /** Called before a patch is written in a scenario: keeps the baseline value of every row it is about to touch. */
  beforePatch(patch: Patch): void {
    if (this.activeFid() === BASELINE) return;
    const stash = this.db.prepare('INSERT OR IGNORE INTO scenario_stash (table_name, row_key, row_json) VALUES (?, ?, ?)');
    for (const change of patch) {
      if (!isScenarioRow(change.table, change.key)) continue;
      const current = this.readRow(change.table, change.key);
      stash.run(change.table, keyText(change.key), current ? JSON.stringify(current) : null);
    }
  }

  /** Called after a patch is written in a scenario: the scenario's rows become what the tables now hold. */
  afterPatch(patch: Patch): void {
    const active = this.activeFid();
    if (active === BASELINE) return;
    const baseline = this.db.prepare('SELECT row_json FROM scenario_stash WHERE table_name = ? AND row_key = ?');
    const upsert = this.db.prepare(
      'INSERT INTO scenario_rows (scenario_fid, table_name, row_key, row_json) VALUES (?, ?, ?, ?) ON CONFLICT (scenario_fid, table_name, row_key) DO UPDATE SET row_json = excluded.row_json',
    );
    const removeRow = this.db.prepare('DELETE FROM scenario_rows WHERE scenario_fid = ? AND table_name = ? AND row_key = ?');
    const removeStash = this.db.prepare('DELETE FROM scenario_stash WHERE table_name = ? AND row_key = ?');
    for (const change of patch) {
      if (!isScenarioRow(change.table, change.key)) continue;
      const key = keyText(change.key);
      const current = this.readRow(change.table, change.key);
      const currentJson = current ? JSON.stringify(current) : null;
      const stashed = baseline.get(change.table, key) as { row_json: string | null } | undefined;
      if (stashed && stashed.row_json === currentJson) {
        // Back to the baseline value (an undo, or an edit reverted by hand): no longer part of the scenario.
        removeRow.run(active, change.table, key);
        removeStash.run(change.table, key);
      } else {
        upsert.run(active, change.table, key, currentJson);
      }
    }
  }

  /** Writes the baseline back over the active scenario's rows. Returns the tables touched. */
  private restoreBaseline(): Set<string> {
    const touched = new Set<string>();
    const stashed = this.db.prepare('SELECT table_name, row_key, row_json FROM scenario_stash ORDER BY fid DESC').all() as { table_name: string; row_key: string; row_json: string | null }[];
    // Inserted rows go first (reverse order) so that nothing refers to a row restored later.
    for (const entry of stashed) {
      if (this.writeRow(entry.table_name, rowKey(entry.table_name, entry.row_key), entry.row_json ? (JSON.parse(entry.row_json) as Row) : null)) touched.add(entry.table_name);
    }
    this.db.prepare('DELETE FROM scenario_stash').run();
    return touched;
  }

  /** Writes a scenario's rows over the baseline, keeping the baseline values aside. */
  private applyScenario(fid: number): Set<string> {
    const touched = new Set<string>();
    const rows = this.db.prepare('SELECT table_name, row_key, row_json FROM scenario_rows WHERE scenario_fid = ? ORDER BY fid').all(fid) as { table_name: string; row_key: string; row_json: string | null }[];
    const stash = this.db.prepare('INSERT OR IGNORE INTO scenario_stash (table_name, row_key, row_json) VALUES (?, ?, ?)');
    for (const entry of rows) {
      const key = rowKey(entry.table_name, entry.row_key);
      const current = this.readRow(entry.table_name, key);
      stash.run(entry.table_name, entry.row_key, current ? JSON.stringify(current) : null);
      if (this.writeRow(entry.table_name, key, entry.row_json ? (JSON.parse(entry.row_json) as Row) : null)) touched.add(entry.table_name);
    }
    return touched;
  }

  /** Makes another scenario (or the baseline, 0) the active one. Returns the tables whose contents changed. */
  activate(fid: number): string[] {
    if (fid !== BASELINE) this.requireScenario(fid);
    this.lastTouchedKeys = {};
    if (fid === this.activeFid()) return [];
    const touched = this.restoreBaseline();
    this.setActive(BASELINE);
    if (fid !== BASELINE) {
      for (const table of this.applyScenario(fid)) touched.add(table);
      this.setActive(fid);
    }
    return [...touched];
  }

  // ---- managing scenarios ----

  private requireScenario(fid: number): { fid: number; name: string; parent_fid: number; locked: number } {
    const row = this.db.prepare('SELECT fid, name, parent_fid, locked FROM scenarios WHERE fid = ?').get(fid) as { fid: number; name: string; parent_fid: number; locked: number } | undefined;
    if (!row) throw new VerkostoError('unknownFeature', { layer: 'scenarios', fid });
    return row;
  }

  isLocked(fid: number): boolean {
    return fid !== BASELINE && this.requireScenario(fid).locked === 1;
  }

  list(): ScenarioInfo[] {
    const active = this.activeFid();
    const rows = this.db
      .prepare(
        `SELECT s.fid, s.name, s.parent_fid, s.description, s.locked, s.created_at,
                (SELECT COUNT(*) FROM scenario_rows r WHERE r.scenario_fid = s.fid) AS row_count
           FROM scenarios s ORDER BY s.fid`,
      )
      .all() as { fid: number; name: string; parent_fid: number; description: string; locked: number; created_at: string; row_count: number }[];
    return rows.map((row) => ({
      fid: row.fid,
      name: row.name,
      parentFid: row.parent_fid,
      description: row.description,
      locked: row.locked === 1,
      createdAt: row.created_at,
      changedRows: row.row_count,
      active: row.fid === active,
    }));
  }

  activeName(): string | null {
    const active = this.activeFid();
    return active === BASELINE ? null : this.requireScenario(active).name;
  }

  /** A new scenario branched from the baseline (0) or from another scenario, whose rows it starts with. */
  create(name: string, parentFid: number): number {
    if (parentFid !== BASELINE) this.requireScenario(parentFid);
    const result = this.db.prepare('INSERT INTO scenarios (name, parent_fid, created_at) VALUES (?, ?, ?)').run(name, parentFid, new Date().toISOString());
    const fid = Number(result.lastInsertRowid);
    if (parentFid !== BASELINE) {
      this.db.prepare('INSERT INTO scenario_rows (scenario_fid, table_name, row_key, row_json) SELECT ?, table_name, row_key, row_json FROM scenario_rows WHERE scenario_fid = ?').run(fid, parentFid);
    }
    return fid;
  }

  duplicate(fid: number, name: string): number {
    const source = this.requireScenario(fid);
    const copy = this.create(name, source.parent_fid);
    this.db.prepare('DELETE FROM scenario_rows WHERE scenario_fid = ?').run(copy);
    this.db.prepare('INSERT INTO scenario_rows (scenario_fid, table_name, row_key, row_json) SELECT ?, table_name, row_key, row_json FROM scenario_rows WHERE scenario_fid = ?').run(copy, fid);
    return copy;
  }

  rename(fid: number, name: string): void {
    this.requireScenario(fid);
    this.db.prepare('UPDATE scenarios SET name = ? WHERE fid = ?').run(name, fid);
  }

  setLocked(fid: number, locked: boolean): void {
    this.requireScenario(fid);
    this.db.prepare('UPDATE scenarios SET locked = ? WHERE fid = ?').run(locked ? 1 : 0, fid);
  }

  /** Deletes a scenario (switching to the baseline first if it is active); its children now branch from its parent. */
  delete(fid: number): string[] {
    const scenario = this.requireScenario(fid);
    const touched = this.activeFid() === fid ? this.activate(BASELINE) : [];
    this.db.prepare('UPDATE scenarios SET parent_fid = ? WHERE parent_fid = ?').run(scenario.parent_fid, fid);
    this.db.prepare('DELETE FROM scenario_rows WHERE scenario_fid = ?').run(fid);
    this.db.prepare('DELETE FROM verkosto_edit_log WHERE scenario_fid = ?').run(fid);
    this.db.prepare('DELETE FROM scenarios WHERE fid = ?').run(fid);
    return touched;
  }

  /** The value a row has in a scenario (0 = baseline), whichever scenario is active now. */
  private rowIn(fid: number, table: string, key: string): Row | null {
    if (fid !== BASELINE) {
      const own = this.db.prepare('SELECT row_json FROM scenario_rows WHERE scenario_fid = ? AND table_name = ? AND row_key = ?').get(fid, table, key) as { row_json: string | null } | undefined;
      if (own) return own.row_json ? (JSON.parse(own.row_json) as Row) : null;
    }
    const stashed = this.db.prepare('SELECT row_json FROM scenario_stash WHERE table_name = ? AND row_key = ?').get(table, key) as { row_json: string | null } | undefined;
    if (stashed) return stashed.row_json ? (JSON.parse(stashed.row_json) as Row) : null;
    return this.readRow(table, rowKey(table, key));
  }

  /** What a scenario changes against its parent: rows added, changed or removed, with a name to show. */
  changes(fid: number): ScenarioChange[] {
    const scenario = this.requireScenario(fid);
    const keys = this.db
      .prepare('SELECT DISTINCT table_name, row_key FROM scenario_rows WHERE scenario_fid IN (?, ?) ORDER BY table_name, CAST(row_key AS INTEGER), row_key')
      .all(fid, scenario.parent_fid) as { table_name: string; row_key: string }[];
    const result: ScenarioChange[] = [];
    for (const { table_name: table, row_key: key } of keys) {
      const mine = this.rowIn(fid, table, key);
      const parent = this.rowIn(scenario.parent_fid, table, key);
      if (JSON.stringify(mine) === JSON.stringify(parent)) continue;
      const shown = mine ?? parent ?? {};
      // A setting is named by its key; the renderer and the report turn it into a label.
      const name = (table === 'verkosto_settings' ? key : (shown.name_fi ?? shown.name ?? shown.service ?? null)) as string | null;
      const kind = parent === null ? 'added' : mine === null ? 'removed' : 'changed';
      const columns = mine && parent ? Object.keys(mine).filter((column) => JSON.stringify(mine[column]) !== JSON.stringify(parent[column])) : [];
      if (table === 'verkosto_settings') {
        const valueOf = (row: Row | null) => (row?.value ?? null) as SettingValue | null;
        // A setting is "changed" from the default even when the parent never wrote it.
        result.push({ table, key, kind: 'changed', name, columns: [], setting: { before: valueOf(parent), after: valueOf(mine) } });
        continue;
      }
      result.push({ table, key, kind, name, columns });
    }
    return result;
  }

  /** Makes a scenario's rows the baseline (after the user confirmed it) and switches to the baseline. */
  promote(fid: number): string[] {
    this.requireScenario(fid);
    const touched = this.activate(fid);
    // The tables now hold the scenario; dropping the stash makes that the baseline.
    this.db.prepare('DELETE FROM scenario_stash').run();
    this.db.prepare('DELETE FROM scenario_rows WHERE scenario_fid = ?').run(fid);
    this.db.prepare('UPDATE verkosto_edit_log SET scenario_fid = ? WHERE scenario_fid = ?').run(BASELINE, fid);
    this.setActive(BASELINE);
    return touched;
  }
}
