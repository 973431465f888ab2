/**
 * A Verkosto project: one GeoPackage 1.3 file opened with better-sqlite3. Every write is a transaction in
 * WAL mode with synchronous=FULL, so a change is durable once a call returns; commands are logged with
 * their inverse for undo/redo across restarts.
 */
import Database from 'better-sqlite3';
import { existsSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Command, EditResult, Patch } from '../../shared/domain/commands';
import { invertPatch } from '../../shared/domain/commands';
import type { DataSource, Feature, FeatureCollection, LayerId, PopulationRow } from '../../shared/domain/project';
import { LAYER_GEOMETRY_TYPES, LAYER_IDS } from '../../shared/domain/project';
import { VerkostoError } from '../../shared/errors';
import { findCrs } from '../../shared/geo/crs';
import type { Geometry } from '../../shared/geo/geometry';
import { decodeGeoPackageGeometry, encodeGeoPackageGeometry } from '../../shared/geo/gpkg-geometry';
import type { LayerSummary, WorkshopComment } from '../../shared/contract/host-api';
import { applyPatch } from './apply-patch';
import { GEOPACKAGE_APPLICATION_ID, GEOPACKAGE_USER_VERSION } from './geopackage-ddl';
import { inspectProjectFile } from './inspect-file';
import { LAYER_COLUMNS, POPULATION_AGE_COLUMNS } from './layer-tables';
import { CURRENT_SCHEMA_VERSION, MIGRATIONS } from './migrations';
import type { MigrationContext } from './migrations/migration';
import { planCommand, touchedKeys, touchedTables } from './plan-command';
import { ScenarioStore } from './scenarios';
import { registerGeoPackageFunctions } from './sqlite-functions';

/** Every table with a geometry column and an R-tree: the map layers plus the workshop comments. */
export const FEATURE_TABLES = [...LAYER_IDS, 'comments'] as const;
export type FeatureTable = (typeof FEATURE_TABLES)[number];

export type SettingValue = string | number | boolean | null;

export interface NewFeature<L extends LayerId = LayerId> {
  geometry: Geometry | null;
  properties: Partial<Feature<L>['properties']>;
}

/** Functions, durability and lock waiting; leaves the journal mode (a byte in the file's header) alone. */
function prepareConnection(db: Database.Database): void {
  registerGeoPackageFunctions(db);
  // FULL syncs the journal or WAL on every commit: an acknowledged change survives a crash and a power cut.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
}

/** Deletes a project file and its WAL/SHM sidecars, e.g. after a failed build or creation. */
export function deleteProjectFile(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) if (existsSync(file + suffix)) unlinkSync(file + suffix);
}

function configureConnection(db: Database.Database): void {
  prepareConnection(db);
  db.pragma('journal_mode = WAL');
}

/** A SQLite constraint (CHECK, NOT NULL, UNIQUE, FOREIGN KEY) the command's values broke. */
function constraintViolation(error: unknown): string | null {
  if (error instanceof Database.SqliteError && error.code.startsWith('SQLITE_CONSTRAINT')) return error.message;
  return null;
}

function readSchemaVersion(db: Database.Database): number {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'verkosto_schema'").get();
  if (!hasTable) return 0;
  return (db.prepare('SELECT MAX(version) AS version FROM verkosto_schema').get() as { version: number | null }).version ?? 0;
}

/** Runs every migration newer than the file's schema, all in one transaction: a failure leaves the file as it was. */
export function migrate(db: Database.Database, context: MigrationContext, target = CURRENT_SCHEMA_VERSION): number[] {
  const applied: number[] = [];
  db.transaction(() => {
    const current = readSchemaVersion(db);
    for (const migration of MIGRATIONS) {
      if (migration.version <= current || migration.version > target) continue;
      migration.up(db, context);
      db.prepare('INSERT INTO verkosto_schema (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, new Date().toISOString());
      applied.push(migration.version);
    }
  })();
  return applied;
}

export class ProjectFile {
  private scenarioStore: ScenarioStore | null = null;

  private constructor(
    readonly db: Database.Database,
    private filePath: string,
    readonly epsg: number,
  ) {}

  get path(): string {
    return this.filePath;
  }

  /** Creates a new, empty project file. Refuses to overwrite an existing file. */
  static create(file: string, options: { epsg: number; name?: string }): ProjectFile {
    if (!findCrs(options.epsg)) throw new VerkostoError('unsupportedCrs', { crs: `EPSG:${options.epsg}` });
    if (existsSync(file)) throw new VerkostoError('fileExists', { file: path.basename(file) });
    const db = new Database(file);
    try {
      db.pragma(`application_id = ${GEOPACKAGE_APPLICATION_ID}`);
      db.pragma(`user_version = ${GEOPACKAGE_USER_VERSION}`);
      configureConnection(db);
      migrate(db, { epsg: options.epsg });
      const project = new ProjectFile(db, file, options.epsg);
      project.writeSettings({ 'project.name': options.name ?? path.basename(file, path.extname(file)), 'project.created': new Date().toISOString() });
      return project;
    } catch (error) {
      db.close();
      deleteProjectFile(file);
      throw error;
    }
  }

  /** Opens an existing project after checking it read-only; migrates an older schema in one transaction. */
  static open(file: string): ProjectFile {
    const inspection = inspectProjectFile(file);
    if (!inspection.writable) throw new VerkostoError('fileReadOnly', { file: path.basename(file) });
    const db = new Database(file, { fileMustExist: true });
    try {
      // Migrate before switching to WAL: a migration that fails then rolls back and leaves the file byte for
      // byte as it was (switching the journal mode rewrites the header); a crash mid-migration leaves a hot
      // rollback journal, which the next inspection rolls back.
      prepareConnection(db);
      const epsgRow = db.prepare("SELECT value FROM verkosto_settings WHERE key = 'project.epsg'").get() as { value: string } | undefined;
      const epsg = epsgRow ? Number(JSON.parse(epsgRow.value)) : 3067;
      migrate(db, { epsg });
      db.pragma('journal_mode = WAL');
      return new ProjectFile(db, file, epsg);
    } catch (error) {
      db.close();
      if (error instanceof VerkostoError) throw error;
      throw new VerkostoError('corruptFile', { file: path.basename(file), detail: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Scenarios of the plan; the feature tables hold the active one (see scenarios.ts). */
  get scenarios(): ScenarioStore {
    this.scenarioStore ??= new ScenarioStore(this.db, this.epsg);
    return this.scenarioStore;
  }

  /** Switches the active scenario (0 = baseline) in one transaction; returns the tables whose contents changed. */
  switchScenario(fid: number): string[] {
    return this.transaction(() => {
      const touched = this.scenarios.activate(fid);
      this.refreshTouchedExtents(touched);
      return touched;
    });
  }

  /**
   * Runs fn while the tables hold another scenario, then puts everything back: the switch happens inside a
   * savepoint that is always rolled back, so nothing is written (for comparing and reporting scenarios).
   */
  peekScenario<T>(fid: number, fn: () => T): T {
    if (fid === this.scenarios.activeFid()) return fn();
    this.db.exec('SAVEPOINT verkosto_peek');
    try {
      this.scenarios.activate(fid);
      return fn();
    } finally {
      this.db.exec('ROLLBACK TO verkosto_peek');
      this.db.exec('RELEASE verkosto_peek');
    }
  }

  get schemaVersion(): number {
    return readSchemaVersion(this.db);
  }

  /** Runs fn in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // ---- settings and provenance ----

  settings(): Record<string, SettingValue> {
    const rows = this.db.prepare('SELECT key, value FROM verkosto_settings ORDER BY key').all() as { key: string; value: string | null }[];
    return Object.fromEntries(rows.map((row) => [row.key, row.value == null ? null : (JSON.parse(row.value) as SettingValue)]));
  }

  /** Writes settings directly, outside the edit log: for builders and the creation of a project. */
  writeSettings(values: Record<string, SettingValue>): void {
    const upsert = this.db.prepare('INSERT INTO verkosto_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.transaction(() => {
      for (const [key, value] of Object.entries(values)) upsert.run(key, JSON.stringify(value));
    });
  }

  /** Workshop comment pins, oldest first; hidden ones only when asked for (the facilitator's list). */
  readComments(includeHidden: boolean): WorkshopComment[] {
    const rows = this.db
      .prepare(`SELECT fid, geom, text, author, created_at, scenario, hidden FROM comments ${includeHidden ? '' : 'WHERE hidden = 0'} ORDER BY fid`)
      .all() as { fid: number; geom: Uint8Array | null; text: string; author: string; created_at: string; scenario: string | null; hidden: number }[];
    return rows.map((row) => {
      const point = decodeGeoPackageGeometry(row.geom)?.geometry;
      const [x, y] = point?.type === 'Point' ? point.coordinates : [Number.NaN, Number.NaN];
      return { fid: row.fid, x, y, text: row.text, author: row.author, createdAt: row.created_at, scenario: row.scenario, hidden: row.hidden === 1 };
    });
  }

  dataSources(): DataSource[] {
    return this.db
      .prepare('SELECT source_id AS id, title, publisher, licence, url, retrieved, layers, note FROM verkosto_data_sources ORDER BY fid')
      .all() as DataSource[];
  }

  insertDataSources(sources: DataSource[]): void {
    const insert = this.db.prepare(
      'INSERT INTO verkosto_data_sources (source_id, title, publisher, licence, url, retrieved, layers, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.transaction(() => {
      for (const s of sources) insert.run(s.id, s.title, s.publisher, s.licence, s.url, s.retrieved, s.layers, s.note);
    });
  }

  // ---- features ----

  private rowToFeature(layer: LayerId, row: Record<string, unknown>): Feature {
    const properties: Record<string, unknown> = {};
    for (const column of LAYER_COLUMNS[layer]) properties[column] = row[column] ?? null;
    const decoded = decodeGeoPackageGeometry(row.geom as Uint8Array | null);
    return { type: 'Feature', id: row.fid as number, geometry: (decoded?.geometry ?? null) as Feature['geometry'], properties: properties as Feature['properties'] };
  }

  readFeatures<L extends LayerId>(layer: L): FeatureCollection<L> {
    const rows = this.db.prepare(`SELECT fid, geom, ${LAYER_COLUMNS[layer].join(', ')} FROM ${layer} ORDER BY fid`).all() as Record<string, unknown>[];
    return { type: 'FeatureCollection', layer, crs: this.epsg, features: rows.map((row) => this.rowToFeature(layer, row)) as Feature<L>[] };
  }

  readFeature(layer: LayerId, fid: number): Feature | null {
    const row = this.db.prepare(`SELECT fid, geom, ${LAYER_COLUMNS[layer].join(', ')} FROM ${layer} WHERE fid = ?`).get(fid) as Record<string, unknown> | undefined;
    return row ? this.rowToFeature(layer, row) : null;
  }

  /** Rows that belong to a feature: a facility's services, a demand unit's population by year. */
  relatedRows(layer: LayerId, fid: number): Record<string, unknown>[] {
    if (layer === 'facilities') {
      return this.db
        .prepare('SELECT service, capacity, enrolment, capacity_change_year AS changeYear, capacity_after_change AS changedCapacity FROM facility_services WHERE facility_fid = ? ORDER BY service')
        .all(fid) as Record<string, unknown>[];
    }
    if (layer === 'demand_units') return this.readPopulation(fid) as unknown as Record<string, unknown>[];
    return [];
  }

  /** Bulk insert for builders and imports (not an edit: no log entry). Returns the new fids in order. */
  insertFeatures<L extends LayerId>(layer: L, features: NewFeature<L>[]): number[] {
    // Only the properties a feature gives are written, so a column's DEFAULT (facility_kind 'school',
    // status 'active', ...) fills the rest; one prepared statement per set of given columns.
    const statements = new Map<string, Database.Statement>();
    const fids: number[] = [];
    this.transaction(() => {
      for (const feature of features) {
        const properties = feature.properties as Record<string, unknown>;
        const columns = LAYER_COLUMNS[layer].filter((column) => properties[column] !== undefined);
        const signature = columns.join(',');
        let insert = statements.get(signature);
        if (!insert) {
          insert = this.db.prepare(`INSERT INTO ${layer} (${['geom', ...columns].join(', ')}) VALUES (${['?', ...columns.map(() => '?')].join(', ')})`);
          statements.set(signature, insert);
        }
        const blob = feature.geometry ? encodeGeoPackageGeometry(feature.geometry, this.epsg) : null;
        const result = insert.run(blob, ...columns.map((column) => {
          const value = properties[column];
          return typeof value === 'boolean' ? (value ? 1 : 0) : value;
        }));
        fids.push(Number(result.lastInsertRowid));
      }
      this.refreshExtent(layer);
    });
    return fids;
  }

  insertFacilityServices(rows: { facility_fid: number; service: string; capacity: number | null; enrolment: number | null }[]): void {
    const insert = this.db.prepare('INSERT INTO facility_services (facility_fid, service, capacity, enrolment) VALUES (?, ?, ?, ?)');
    this.transaction(() => {
      for (const row of rows) insert.run(row.facility_fid, row.service, row.capacity, row.enrolment);
    });
  }

  insertPopulation(rows: PopulationRow[]): void {
    const insert = this.db.prepare(
      `INSERT INTO demand_population (unit_fid, year, source, total, ${POPULATION_AGE_COLUMNS.join(', ')}) VALUES (?, ?, ?, ?, ${POPULATION_AGE_COLUMNS.map(() => '?').join(', ')})`,
    );
    this.transaction(() => {
      for (const row of rows) insert.run(row.unit_fid, row.year, row.source, row.total, ...POPULATION_AGE_COLUMNS.map((_, age) => row.ages[age] ?? null));
    });
  }

  readPopulation(unitFid: number): PopulationRow[] {
    const rows = this.db.prepare('SELECT * FROM demand_population WHERE unit_fid = ? ORDER BY year').all(unitFid) as Record<string, unknown>[];
    return rows.map((row) => ({
      unit_fid: row.unit_fid as number,
      year: row.year as number,
      source: row.source as PopulationRow['source'],
      total: (row.total as number | null) ?? null,
      ages: POPULATION_AGE_COLUMNS.map((column) => (row[column] as number | null) ?? 0),
    }));
  }

  /** Keeps gpkg_contents' bounding box equal to the layer's R-tree extent, as GIS tools read it from there. */
  refreshExtent(layer: FeatureTable): void {
    this.db
      .prepare(
        `UPDATE gpkg_contents SET (min_x, max_x, min_y, max_y, last_change) =
           (SELECT MIN(minx), MAX(maxx), MIN(miny), MAX(maxy), strftime('%Y-%m-%dT%H:%M:%fZ','now') FROM rtree_${layer}_geom)
         WHERE table_name = ?`,
      )
      .run(layer);
  }

  layerSummaries(): LayerSummary[] {
    return LAYER_IDS.map((layer) => {
      const count = (this.db.prepare(`SELECT COUNT(*) AS n FROM ${layer}`).get() as { n: number }).n;
      const box = this.db.prepare(`SELECT MIN(minx) AS minx, MIN(miny) AS miny, MAX(maxx) AS maxx, MAX(maxy) AS maxy FROM rtree_${layer}_geom`).get() as Record<string, number | null>;
      const extent = box.minx == null ? null : ([box.minx, box.miny!, box.maxx!, box.maxy!] as [number, number, number, number]);
      return { id: layer, geometryType: LAYER_GEOMETRY_TYPES[layer], featureCount: count, extent };
    });
  }

  demandUnitKinds(): Record<string, number> {
    const rows = this.db.prepare('SELECT unit_kind, COUNT(*) AS n FROM demand_units GROUP BY unit_kind ORDER BY unit_kind').all() as { unit_kind: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.unit_kind, row.n]));
  }

  populationYears(): number[] {
    return (this.db.prepare('SELECT DISTINCT year FROM demand_population ORDER BY year').all() as { year: number }[]).map((row) => row.year);
  }

  // ---- commands, undo, redo ----

  historyState(): { canUndo: boolean; canRedo: boolean } {
    const row = this.db
      .prepare('SELECT SUM(undone = 0) AS active, SUM(undone = 1) AS undone FROM verkosto_edit_log WHERE scenario_fid = ?')
      .get(this.scenarios.activeFid()) as { active: number | null; undone: number | null };
    return { canUndo: (row.active ?? 0) > 0, canRedo: (row.undone ?? 0) > 0 };
  }

  private refreshTouchedExtents(touched: string[]): void {
    for (const table of touched) if ((FEATURE_TABLES as readonly string[]).includes(table)) this.refreshExtent(table as FeatureTable);
  }

  /** Plans, applies and logs a command in one transaction; the redo branch is discarded as in every editor. */
  runCommand(command: Command, plan: (db: Database.Database) => Patch = (db) => planCommand(db, command)): EditResult {
    const { seq, touched, keys } = this.transaction(() => {
      const scenario = this.scenarios.activeFid();
      if (this.scenarios.isLocked(scenario)) throw new VerkostoError('commandRejected', { reason: 'the scenario is locked' });
      const patch = plan(this.db);
      this.scenarios.beforePatch(patch);
      try {
        applyPatch(this.db, patch, this.epsg);
      } catch (error) {
        // A value the schema refuses (a condition of 7, an empty name): the user's command, not the file, is wrong.
        const violation = constraintViolation(error);
        if (violation) throw new VerkostoError('commandRejected', { reason: violation });
        throw error;
      }
      this.scenarios.afterPatch(patch);
      const touched = touchedTables(patch);
      this.refreshTouchedExtents(touched);
      this.db.prepare('DELETE FROM verkosto_edit_log WHERE undone = 1 AND scenario_fid = ?').run(scenario);
      const result = this.db
        .prepare('INSERT INTO verkosto_edit_log (command, patch, inverse, touched, created_at, scenario_fid) VALUES (?, ?, ?, ?, ?, ?)')
        .run(JSON.stringify(command), JSON.stringify(patch), JSON.stringify(invertPatch(patch)), JSON.stringify(touched), new Date().toISOString(), scenario);
      return { seq: Number(result.lastInsertRowid), touched, keys: touchedKeys(patch) };
    });
    return { seq, command, touched, touchedKeys: keys, ...this.historyState() };
  }

  private replay(direction: 'undo' | 'redo'): EditResult {
    const entry = this.transaction(() => {
      const scenario = this.scenarios.activeFid();
      if (this.scenarios.isLocked(scenario)) throw new VerkostoError('commandRejected', { reason: 'the scenario is locked' });
      const row = this.db
        .prepare(
          direction === 'undo'
            ? 'SELECT fid, command, inverse AS patch, touched FROM verkosto_edit_log WHERE undone = 0 AND scenario_fid = ? ORDER BY fid DESC LIMIT 1'
            : 'SELECT fid, command, patch, touched FROM verkosto_edit_log WHERE undone = 1 AND scenario_fid = ? ORDER BY fid ASC LIMIT 1',
        )
        .get(scenario) as { fid: number; command: string; patch: string; touched: string } | undefined;
      if (!row) throw new VerkostoError(direction === 'undo' ? 'nothingToUndo' : 'nothingToRedo');
      const touched = JSON.parse(row.touched) as string[];
      const patch = JSON.parse(row.patch) as Patch;
      this.scenarios.beforePatch(patch);
      applyPatch(this.db, patch, this.epsg);
      this.scenarios.afterPatch(patch);
      this.refreshTouchedExtents(touched);
      this.db.prepare('UPDATE verkosto_edit_log SET undone = ? WHERE fid = ?').run(direction === 'undo' ? 1 : 0, row.fid);
      return { seq: row.fid, command: JSON.parse(row.command) as Command, touched, touchedKeys: touchedKeys(patch) };
    });
    return { ...entry, ...this.historyState() };
  }

  undo(): EditResult {
    return this.replay('undo');
  }

  redo(): EditResult {
    return this.replay('redo');
  }

  // ---- file ----

  /** Copies the project with SQLite's online backup API, then continues in the copy. */
  async saveAs(target: string): Promise<void> {
    if (path.resolve(target) === path.resolve(this.filePath)) return;
    if (existsSync(target)) throw new VerkostoError('fileExists', { file: path.basename(target) });
    let copy: Database.Database | undefined;
    try {
      await this.db.backup(target);
      copy = new Database(target, { fileMustExist: true });
      configureConnection(copy);
    } catch (error) {
      // No half-written copy is left behind; the project stays open where it was.
      if (copy?.open) copy.close();
      for (const suffix of ['', '-wal', '-shm', '-journal']) if (existsSync(target + suffix)) unlinkSync(target + suffix);
      throw error;
    }
    this.closeConnection();
    (this as { db: Database.Database }).db = copy;
    this.scenarioStore = null; // it holds the old connection
    this.filePath = target;
  }

  private closeConnection(): void {
    if (!this.db.open) return;
    // Fold the WAL back into the file and leave one self-contained .gpkg for QGIS, GDAL or e-mail.
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.pragma('journal_mode = DELETE');
    } catch {
      // Another reader holds the file; SQLite keeps the WAL and recovers it on the next open.
    }
    this.db.close();
  }

  close(): void {
    this.closeConnection();
  }
}
