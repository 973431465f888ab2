/**
 * The import pipeline: read a FeatureSource, map its fields, reproject into the project CRS, check, stage,
 * and write everything as ONE undoable command (`import.apply`) — or nothing at all. Re-sync compares a
 * source with the snapshot of the last import/sync and applies the reviewed plan as one undoable command.
 *
 * Public API (stable; part B's network tests call it):
 *
 *   importSource(project: ProjectFile, source: FeatureSource, options: ImportOptions): Promise<ImportResult>
 *     options = { sourceLayer: string; targetLayer: LayerId; mapping: FieldMapping; sourceConfig: StoredSourceConfig;
 *                 signal?: AbortSignal; onProgress?: (p: ImportProgress) => void;
 *                 skipInvalid?: boolean  // import the valid features and report the rest (default: refuse all)
 *                 swapAxes?: boolean     // the user confirmed the x/y columns are exchanged
 *                 saveMapping?: boolean  // store `mapping` under mapping.name (default true) }
 *     Throws VerkostoError (importEmpty, importCrsUnknown, importSwappedAxes, importBadValue, importCancelled, …);
 *     on any throw the project file is unchanged. sourceConfig.id must not exist yet (a second import of the
 *     same source is a sync).
 *
 *   previewSync(project: ProjectFile, source: FeatureSource, options: { sourceId: string; signal?; onProgress? }): Promise<SyncPlan>
 *     Reads the source again with the stored layer, mapping and CRS; lists added / changed / removed /
 *     conflicts (disjoint; syncChangeCount(plan) = their total) against import_snapshots. Writes nothing.
 *
 *   applySync(project: ProjectFile, plan: SyncPlan, resolutions: Record<sourceFeatureId, ConflictResolution>): EditResult
 *     One undoable `import.apply` command. Unresolved conflicts keep the local version. Local edits of
 *     features the source did not change are kept. Throws staleSyncPlan when the project changed since the plan.
 *
 *   openStoredSource(config: StoredSourceConfig): FeatureSource   (source-registry.ts: file kinds here,
 *     network kinds registered by part B with registerSourceKind(kind, factory))
 *   saveMapping(project, mapping): EditResult;  listSources(project); listMappings(project)  (import-store.ts)
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EditResult, Patch, RowChange } from '../../../shared/domain/commands';
import type { LayerId } from '../../../shared/domain/project';
import { VerkostoError } from '../../../shared/errors';
import { findCrs } from '../../../shared/geo/crs';
import type { Geometry, MultiPolygonGeometry, PointGeometry, Position } from '../../../shared/geo/geometry';
import { envelopeOf } from '../../../shared/geo/geometry';
import { decodeGeoPackageGeometry, encodeGeoPackageGeometry, geoPackageEnvelope } from '../../../shared/geo/gpkg-geometry';
import type { FeatureSource, SourceFeature, SourceLayerInfo } from '../../../shared/import/feature-source';
import type {
  ConflictResolution,
  FieldMapping,
  ImportIssue,
  ImportProgress,
  ImportResult,
  ScalarValue,
  StoredSourceConfig,
  SyncEntry,
  SyncPlan,
} from '../../../shared/import/types';
import { parseServiceTarget } from '../../../shared/import/types';
import type { ProjectFile } from '../../store/project-file';
import { LAYER_COLUMNS } from '../../store/layer-tables';
import { nextFid } from '../../store/plan-command';
import { contentHash } from './content-hash';
import { checkSourcePositions, coerceToLayer, createTransform, hasFiniteCoordinates, interiorPoint, polygonInvalidity, roundGeometry, transformGeometry, type Transform } from './geometry-checks';
import { readLocalRow, readMapping, readSnapshots, requireSourceRecord, type SourceConfigRecord } from './import-store';
import { applyMapping, checkMapping, effectiveTargets } from './mapping';

export { listMappings, listSources, readMapping } from './import-store';

/** Imports up to this many features are one undoable command; larger ones are written without an undo entry. */
export const IMPORT_UNDO_LIMIT = 50_000;

/** How many positions the axis-order / area check looks at before anything is transformed. */
const POSITION_SAMPLE = 500;

export interface ImportOptions {
  sourceLayer: string;
  targetLayer: LayerId;
  mapping: FieldMapping;
  sourceConfig: StoredSourceConfig;
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  skipInvalid?: boolean;
  swapAxes?: boolean;
  saveMapping?: boolean;
  /**
   * Update existing features whose value in this column (e.g. `code`) equals the mapped value, instead of
   * adding new ones; rows without a location are then allowed for matched features.
   */
  matchOn?: string | null;
  /**
   * Replace the target layer's features (and the sources they came from) with this import, in the same one
   * command: a building register is reloaded whole. Only for layers in REPLACEABLE_LAYERS.
   */
  replaceExisting?: boolean;
}

/** Layers whose whole content may be replaced by one import (nothing else in the project refers to their rows). */
export const REPLACEABLE_LAYERS: readonly LayerId[] = ['residential_points', 'feedback'];

/** Layers that take an area as its interior point (a building footprint or a grid cell as where people live). */
const POLYGON_AS_POINT_LAYERS: readonly LayerId[] = ['residential_points'];

export interface SyncOptions {
  sourceId: string;
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
}

/** A feature ready to write: geometry in the project CRS (rounded), mapped values, content hash. */
export interface StagedFeature {
  sourceId: string;
  geometry: Geometry | null;
  values: Record<string, ScalarValue>;
  hash: string;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new VerkostoError('importCancelled');
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');
}

/** A reader's plain error becomes a message naming the source; our own errors pass through. */
function wrapReadError(error: unknown, description: string, signal?: AbortSignal): never {
  if (error instanceof VerkostoError) throw error;
  if (signal?.aborted || isAbortError(error)) throw new VerkostoError('importCancelled');
  const detail = error instanceof Error ? error.message : String(error);
  throw new VerkostoError('importUnreadable', { source: description, detail: detail.split('\n')[0]!.slice(0, 300) });
}

function firstPosition(geometry: Geometry): Position | null {
  switch (geometry.type) {
    case 'Point':
      return geometry.coordinates;
    case 'MultiPoint':
    case 'LineString':
      return geometry.coordinates[0] ?? null;
    case 'MultiLineString':
    case 'Polygon':
      return geometry.coordinates[0]?.[0] ?? null;
    case 'MultiPolygon':
      return geometry.coordinates[0]?.[0]?.[0] ?? null;
  }
}

interface IssueCollector {
  add(code: string, params: Record<string, string | number>, sourceId: string): void;
  list(): ImportIssue[];
}

function issueCollector(): IssueCollector {
  const issues = new Map<string, ImportIssue>();
  return {
    add(code, params, sourceId) {
      const key = `${code}:${JSON.stringify(params)}`;
      let issue = issues.get(key);
      if (!issue) {
        issue = { code, params, sourceIds: [], count: 0 };
        issues.set(key, issue);
      }
      issue.count = (issue.count ?? 0) + 1;
      if (issue.sourceIds!.length < 5) issue.sourceIds!.push(sourceId);
    },
    list: () => [...issues.values()],
  };
}

async function describeLayer(source: FeatureSource, layer: string, signal?: AbortSignal): Promise<SourceLayerInfo> {
  let layers: SourceLayerInfo[];
  try {
    layers = await source.listLayers({ signal });
  } catch (error) {
    wrapReadError(error, source.description, signal);
  }
  const info = layers.find((candidate) => candidate.name === layer) ?? (layers.length === 1 && layer === 'default' ? layers[0] : undefined);
  if (!info) throw new VerkostoError('importUnreadable', { source: source.description, detail: `layer “${layer}” not found (${layers.map((l) => l.name).join(', ') || '—'})` });
  return info;
}

function resolveSourceEpsg(info: SourceLayerInfo, override: number | null, description: string): number {
  const epsg = override ?? info.epsg;
  if (epsg == null) throw new VerkostoError('importCrsUnknown', { source: description });
  if (!findCrs(epsg)) throw new VerkostoError('importCrsUnsupported', { source: description, crs: `EPSG:${epsg}` });
  return epsg;
}

/**
 * Reads every feature of a source layer, maps, reprojects and checks it, and stages the result in a temp
 * SQLite file (constant memory however big the source). Throws with a clear message on the first fatal
 * problem; collects the rest as issues.
 */
class Stager {
  readonly directory = mkdtempSync(path.join(os.tmpdir(), 'verkosto-import-'));
  readonly db = new Database(path.join(this.directory, 'staging.sqlite'));
  private insert: Database.Statement;
  count = 0;

  constructor() {
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec('CREATE TABLE staged (seq INTEGER PRIMARY KEY, source_id TEXT NOT NULL UNIQUE, geom BLOB, vals TEXT NOT NULL, hash TEXT NOT NULL)');
    this.insert = this.db.prepare('INSERT INTO staged (source_id, geom, vals, hash) VALUES (?, ?, ?, ?)');
    this.db.exec('BEGIN');
  }

  add(feature: StagedFeature, epsg: number): boolean {
    try {
      this.insert.run(feature.sourceId, feature.geometry ? encodeGeoPackageGeometry(feature.geometry, epsg) : null, JSON.stringify(feature.values), feature.hash);
      this.count++;
      return true;
    } catch (error) {
      if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
      throw error;
    }
  }

  finish(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
  }

  *features(): Generator<StagedFeature> {
    for (const row of this.db.prepare('SELECT source_id, geom, vals, hash FROM staged ORDER BY seq').iterate() as Iterable<{ source_id: string; geom: Uint8Array | null; vals: string; hash: string }>) {
      yield { sourceId: row.source_id, geometry: decodeGeoPackageGeometry(row.geom)?.geometry ?? null, values: JSON.parse(row.vals) as Record<string, ScalarValue>, hash: row.hash };
    }
  }

  dispose(): void {
    if (this.db.open) this.db.close();
    rmSync(this.directory, { recursive: true, force: true });
  }
}

interface ReadOutcome {
  featuresRead: number;
  sourceEpsg: number;
  issues: ImportIssue[];
  skipped: number;
}

/** Reads, maps, reprojects, checks and stages every feature of a source layer. */
async function readAndStage(
  project: ProjectFile,
  source: FeatureSource,
  options: { layer: string; mapping: FieldMapping; epsgOverride: number | null; swapAxes: boolean; skipInvalid: boolean; matchOn?: string | null; signal?: AbortSignal; onProgress?: (p: ImportProgress) => void },
  stager: Stager,
): Promise<ReadOutcome> {
  const { mapping, signal } = options;
  const layer = mapping.targetLayer;
  const info = await describeLayer(source, options.layer, signal);
  // A table without coordinates is fine only when it updates existing features (matched on a key).
  const attributesOnly = Boolean(options.matchOn) && info.needsCoordinates === true;
  if (info.needsCoordinates && !attributesOnly) throw new VerkostoError('importMissingField', { source: source.description, field: 'x/y, lon/lat, WKT', target: 'geom' });
  const sourceEpsg = attributesOnly ? project.epsg : resolveSourceEpsg(info, options.epsgOverride, source.description);
  const mappingProblems = checkMapping(mapping, info.fields);
  // Updating matched features needs no required attributes (they have them); the fields named must exist.
  const required = mappingProblems.find((problem) => (problem.problem === 'requiredUnmapped' && !options.matchOn) || problem.problem === 'unknownSourceField');
  if (required) throw new VerkostoError('importMissingField', { source: source.description, field: required.source ?? required.target, target: required.target });

  const matchOn = options.matchOn ?? null;
  const targets = hashTargets(mapping, matchOn);
  if (matchOn && (!LAYER_COLUMNS[layer].includes(matchOn) || mapping.fields[matchOn]?.source === undefined)) {
    throw new VerkostoError('importMissingField', { source: source.description, field: matchOn, target: matchOn });
  }
  const issues = issueCollector();
  let transform: Transform | null = null;
  const pending: SourceFeature[] = [];
  const sample: Position[] = [];
  let featuresRead = 0;
  let skipped = 0;
  let lastProgress = 0;
  const fatal = new Map<string, VerkostoError>();

  const processFeature = (feature: SourceFeature): void => {
    const mapped = applyMapping(mapping, feature.properties);
    let problem = false;
    for (const error of mapped.errors) {
      issues.add(`value.${error.problem}`, { target: error.target, field: error.source ?? '', value: error.value }, feature.sourceId);
      if (!fatal.has('value')) {
        fatal.set('value', new VerkostoError('importBadValue', { source: source.description, feature: feature.sourceId, field: error.source ?? error.target, target: error.target, value: error.value, problem: error.problem }));
      }
      problem = true;
    }
    let geometry: Geometry | null = null;
    if (!feature.geometry && matchOn) {
      // Matching existing features: a row without a location updates attributes only.
    } else if (!feature.geometry) {
      issues.add('noGeometry', {}, feature.sourceId);
      if (!fatal.has('noGeometry')) fatal.set('noGeometry', new VerkostoError('importNoGeometry', { source: source.description, feature: feature.sourceId }));
      problem = true;
    } else if (!hasFiniteCoordinates(feature.geometry)) {
      issues.add('badCoordinates', {}, feature.sourceId);
      if (!fatal.has('geometry')) fatal.set('geometry', new VerkostoError('importInvalidGeometry', { source: source.description, feature: feature.sourceId, reason: 'not finite' }));
      problem = true;
    } else {
      const projected = roundGeometry(transformGeometry(feature.geometry, transform!), project.epsg);
      let shaped = coerceToLayer(layer, projected);
      let areaInvalid = false;
      if (!shaped && POLYGON_AS_POINT_LAYERS.includes(layer) && (projected.type === 'Polygon' || projected.type === 'MultiPolygon')) {
        const area = coerceToLayer('demand_units', projected) as MultiPolygonGeometry;
        const reason = polygonInvalidity(area);
        if (reason) {
          issues.add('invalidGeometry', { reason }, feature.sourceId);
          if (!fatal.has('geometry')) fatal.set('geometry', new VerkostoError('importInvalidGeometry', { source: source.description, feature: feature.sourceId, reason }));
          problem = true;
          areaInvalid = true;
        } else {
          shaped = roundGeometry(interiorPoint(area), project.epsg) as PointGeometry;
          issues.add('polygonsAsPoints', {}, feature.sourceId);
        }
      }
      if (areaInvalid) {
        // An invalid area given for a point: reported above.
      } else if (!shaped) {
        issues.add('wrongGeometry', { found: feature.geometry.type }, feature.sourceId);
        if (!fatal.has('shape')) fatal.set('shape', new VerkostoError('importWrongGeometry', { source: source.description, feature: feature.sourceId, found: feature.geometry.type, layer }));
        problem = true;
      } else if (shaped.type === 'MultiPolygon') {
        const reason = polygonInvalidity(shaped);
        if (reason) {
          issues.add('invalidGeometry', { reason }, feature.sourceId);
          if (!fatal.has('geometry')) fatal.set('geometry', new VerkostoError('importInvalidGeometry', { source: source.description, feature: feature.sourceId, reason }));
          problem = true;
        }
      }
      geometry = shaped;
    }
    if (problem) {
      skipped++;
      return;
    }
    const all: Record<string, ScalarValue> = { ...mapped.properties, ...mapped.services };
    // Matching existing features writes only what the mapping names (no fallbacks over their values).
    const values = matchOn ? Object.fromEntries(targets.map((target) => [target, all[target] ?? null])) : all;
    const staged: StagedFeature = { sourceId: feature.sourceId, geometry, values, hash: contentHash(matchOn ? null : geometry, values, targets) };
    if (!stager.add(staged, project.epsg)) {
      issues.add('duplicateId', {}, feature.sourceId);
      if (!fatal.has('duplicate')) fatal.set('duplicate', new VerkostoError('importBadValue', { source: source.description, feature: feature.sourceId, field: 'id', target: 'id', value: feature.sourceId, problem: 'duplicateId' }));
      skipped++;
    }
  };

  const startTransform = (): void => {
    const verdict = checkSourcePositions(sample, sourceEpsg);
    let latitudeFirst = info.latitudeFirst;
    if (verdict === 'swapped') {
      if (!options.swapAxes) throw new VerkostoError('importSwappedAxes', { source: source.description, crs: `EPSG:${sourceEpsg}` });
      latitudeFirst = !latitudeFirst;
    } else if (verdict === 'outside') {
      throw new VerkostoError('importOutsideArea', { source: source.description, crs: `EPSG:${sourceEpsg}` });
    }
    transform = createTransform(sourceEpsg, project.epsg, latitudeFirst);
    for (const feature of pending) processFeature(feature);
    pending.length = 0;
  };

  try {
    for await (const feature of source.readFeatures(options.layer, {
      signal,
      onProgress: (progress) => options.onProgress?.({ phase: 'reading', ...progress }),
    })) {
      throwIfAborted(signal);
      featuresRead++;
      if (!transform) {
        pending.push(feature);
        if (feature.geometry && hasFiniteCoordinates(feature.geometry)) {
          const position = firstPosition(feature.geometry);
          // Sample in x/y order as the source means it (a latitude-first source is swapped first).
          if (position) sample.push(info.latitudeFirst ? [position[1], position[0]] : position);
        }
        if (sample.length >= POSITION_SAMPLE) startTransform();
      } else processFeature(feature);
      if (featuresRead - lastProgress >= 1000) {
        lastProgress = featuresRead;
        options.onProgress?.({ phase: 'reading', featuresRead, featuresTotal: info.featureCount, bytesRead: null, bytesTotal: null });
      }
    }
  } catch (error) {
    wrapReadError(error, source.description, signal);
  }
  throwIfAborted(signal);
  if (!transform) startTransform();
  stager.finish();
  if (featuresRead === 0) throw new VerkostoError('importEmpty', { source: source.description });
  if (fatal.size > 0 && !options.skipInvalid) throw [...fatal.values()][0]!;
  if (stager.count === 0) throw [...fatal.values()][0] ?? new VerkostoError('importEmpty', { source: source.description });

  // Outside the municipality: a warning (a school just over the border is real), not a refusal.
  const municipality = project.layerSummaries().find((summary) => summary.id === 'municipality')?.extent;
  if (municipality) {
    let outside = 0;
    for (const row of stager.db.prepare('SELECT geom FROM staged').iterate() as Iterable<{ geom: Uint8Array | null }>) {
      const geometry = decodeGeoPackageGeometry(row.geom)?.geometry;
      const envelope = geometry ? envelopeOf(geometry) : null;
      if (envelope && (envelope.maxX < municipality[0] || envelope.minX > municipality[2] || envelope.maxY < municipality[1] || envelope.minY > municipality[3])) outside++;
    }
    if (outside > 0) issues.add('outsideMunicipality', { count: outside }, '');
  }
  return { featuresRead, sourceEpsg, issues: issues.list(), skipped };
}

function mappingRowChange(project: ProjectFile, mapping: FieldMapping): RowChange | null {
  const existing = readMapping(project, mapping.name);
  const after = { target_layer: mapping.targetLayer, fields: JSON.stringify(mapping.fields) };
  if (!existing) return { table: 'import_mappings', key: mapping.name, before: null, after };
  const before = { target_layer: existing.targetLayer, fields: JSON.stringify(existing.fields) };
  if (before.fields === after.fields && before.target_layer === after.target_layer) return null;
  return { table: 'import_mappings', key: mapping.name, before, after };
}

/** Splits staged values into the layer row and its facility_services rows. */
function splitValues(values: Record<string, ScalarValue>): { columns: Record<string, ScalarValue>; services: Map<string, { capacity?: ScalarValue; enrolment?: ScalarValue }> } {
  const columns: Record<string, ScalarValue> = {};
  const services = new Map<string, { capacity?: ScalarValue; enrolment?: ScalarValue }>();
  for (const [target, value] of Object.entries(values)) {
    const service = parseServiceTarget(target);
    if (!service) {
      columns[target] = value;
      continue;
    }
    const entry = services.get(service.service) ?? {};
    entry[service.field] = value;
    services.set(service.service, entry);
  }
  return { columns, services };
}

/** Allocates fids for inserts into AUTOINCREMENT tables while a patch is planned. */
class FidAllocator {
  private next = new Map<string, number>();
  constructor(private readonly project: ProjectFile) {}
  take(table: string): number {
    const fid = this.next.get(table) ?? nextFid(this.project.db, table);
    this.next.set(table, fid + 1);
    return fid;
  }
}

function insertFeatureChanges(layer: LayerId, fid: number, feature: StagedFeature, fids: FidAllocator): RowChange[] {
  const { columns, services } = splitValues(feature.values);
  const changes: RowChange[] = [{ table: layer, key: fid, before: null, after: { geom: feature.geometry, ...columns } }];
  for (const [service, values] of services) {
    if (values.capacity == null && values.enrolment == null) continue;
    changes.push({ table: 'facility_services', key: fids.take('facility_services'), before: null, after: { facility_fid: fid, service, capacity: values.capacity ?? null, enrolment: values.enrolment ?? null } });
  }
  return changes;
}

/** The targets a content hash covers: all written ones, or only the mapped ones when matching existing features. */
export function hashTargets(mapping: FieldMapping, matchOn: string | null | undefined): string[] {
  const targets = effectiveTargets(mapping);
  return matchOn ? targets.filter((target) => mapping.fields[target] !== undefined) : targets;
}

/** Existing features by their value in `column` (the first feature where a value repeats). */
function existingKeys(project: ProjectFile, layer: LayerId, column: string): Map<string, number> {
  const keys = new Map<string, number>();
  for (const row of project.db.prepare(`SELECT fid, ${column} AS key FROM ${layer} WHERE ${column} IS NOT NULL ORDER BY fid`).iterate() as Iterable<{ fid: number; key: unknown }>) {
    if (!keys.has(String(row.key))) keys.set(String(row.key), row.fid);
  }
  return keys;
}

/** The row changes that give an existing feature the mapped values (and the geometry, when there is one). */
function updateFeatureChanges(project: ProjectFile, layer: LayerId, fid: number, geometry: Geometry | null, values: Record<string, ScalarValue>, targets: readonly string[], fids: FidAllocator): RowChange[] {
  const local = readLocalRow(project, layer, fid, targets)!;
  const { columns, services } = splitValues(values);
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(columns)) {
    before[column] = local.values[column] ?? null;
    after[column] = value;
  }
  if (geometry) {
    before.geom = local.geometry;
    after.geom = geometry;
  }
  const changes: RowChange[] = [{ table: layer, key: fid, before, after }];
  for (const [service, entry] of services) {
    const row = local.serviceRows.get(service);
    const next = { capacity: entry.capacity ?? row?.capacity ?? null, enrolment: entry.enrolment ?? row?.enrolment ?? null };
    if (row) changes.push({ table: 'facility_services', key: row.fid, before: { capacity: row.capacity, enrolment: row.enrolment }, after: next });
    else if (next.capacity != null || next.enrolment != null) changes.push({ table: 'facility_services', key: fids.take('facility_services'), before: null, after: { facility_fid: fid, service, ...next } });
  }
  return changes;
}

function sourceRow(config: StoredSourceConfig, record: SourceConfigRecord, createdAt: string, lastSyncAt: string): Record<string, unknown> {
  return {
    kind: config.kind,
    title: config.title,
    url: config.url,
    file: config.file,
    layer: config.layer,
    target_layer: config.targetLayer,
    mapping_name: config.mappingName,
    publisher: config.publisher,
    licence: config.licence,
    attribution: config.attribution,
    config: JSON.stringify(record),
    created_at: createdAt,
    last_sync_at: lastSyncAt,
  };
}

const SOURCE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Imports one layer of a source into a project layer. See the module comment. */
export async function importSource(project: ProjectFile, source: FeatureSource, options: ImportOptions): Promise<ImportResult> {
  const { sourceConfig: config, signal } = options;
  if (!SOURCE_ID_PATTERN.test(config.id)) throw new VerkostoError('invalidArgument', { detail: `source id “${config.id}”` });
  if (options.mapping.targetLayer !== options.targetLayer) throw new VerkostoError('invalidArgument', { detail: 'mapping.targetLayer differs from targetLayer' });
  const replace = options.replaceExisting === true;
  if (replace && (!REPLACEABLE_LAYERS.includes(options.targetLayer) || options.matchOn)) {
    throw new VerkostoError('invalidArgument', { detail: `replacing existing features is for ${REPLACEABLE_LAYERS.join(', ')} without matching` });
  }
  const existingSource = project.db.prepare('SELECT target_layer FROM import_sources WHERE source_id = ?').get(config.id) as { target_layer: string } | undefined;
  // Replacing a layer drops the sources that filled it, so the same source may come again.
  if (existingSource && !(replace && existingSource.target_layer === options.targetLayer)) {
    throw new VerkostoError('invalidArgument', { detail: `source “${config.id}” already exists in the project: sync it instead` });
  }
  throwIfAborted(signal);
  const retrievedAt = new Date().toISOString();
  const stager = new Stager();
  try {
    const outcome = await readAndStage(
      project,
      source,
      { layer: options.sourceLayer, mapping: options.mapping, epsgOverride: config.epsg, swapAxes: options.swapAxes ?? false, skipInvalid: options.skipInvalid ?? false, matchOn: options.matchOn ?? null, signal, onProgress: options.onProgress },
      stager,
    );
    throwIfAborted(signal);
    const matchOn = options.matchOn ?? null;
    if (matchOn && stager.count > IMPORT_UNDO_LIMIT) throw new VerkostoError('importTooLarge', { source: source.description, limit: `${IMPORT_UNDO_LIMIT} matched features` });
    options.onProgress?.({ phase: 'writing', featuresRead: outcome.featuresRead, featuresTotal: outcome.featuresRead, bytesRead: null, bytesTotal: null });
    const targets = hashTargets(options.mapping, matchOn);
    const fullConfig: StoredSourceConfig = {
      ...config,
      layer: options.sourceLayer,
      targetLayer: options.targetLayer,
      mappingName: options.mapping.name,
      epsg: config.epsg ?? outcome.sourceEpsg,
      options: { ...config.options, ...(matchOn ? { matchOn } : {}) },
    };
    const record: SourceConfigRecord = { config: fullConfig, mapping: options.mapping, targets, featureCount: stager.count, matchOn };
    const layer = options.targetLayer;
    let seq: number | null = null;

    const replacedCount = replace ? (project.db.prepare(`SELECT COUNT(*) AS n FROM ${layer}`).get() as { n: number }).n : 0;
    if (stager.count + replacedCount <= IMPORT_UNDO_LIMIT) {
      const edit = project.runCommand({ type: 'import.apply', sourceId: config.id, operation: 'import', added: stager.count, changed: 0, removed: replacedCount }, () => {
        const fids = new FidAllocator(project);
        const patch: Patch = replace ? replacementChanges(project, layer) : [];
        patch.push({ table: 'import_sources', key: config.id, before: null, after: sourceRow(fullConfig, record, retrievedAt, retrievedAt) });
        if (options.saveMapping !== false) {
          const change = mappingRowChange(project, options.mapping);
          if (change) patch.push(change);
        }
        const existing = matchOn ? existingKeys(project, layer, matchOn) : null;
        for (const feature of stager.features()) {
          const matched = existing?.get(String(feature.values[matchOn!] ?? '')) ?? null;
          if (matched != null) {
            patch.push(...updateFeatureChanges(project, layer, matched, feature.geometry, feature.values, targets, fids));
            patch.push({
              table: 'import_snapshots',
              key: fids.take('import_snapshots'),
              before: null,
              after: { source_id: config.id, source_feature_id: feature.sourceId, content_hash: feature.hash, retrieved_at: retrievedAt, target_layer: layer, local_fid: matched },
            });
            continue;
          }
          if (!feature.geometry) throw new VerkostoError('importNoGeometry', { source: source.description, feature: feature.sourceId });
          const fid = fids.take(layer);
          patch.push(...insertFeatureChanges(layer, fid, feature, fids));
          patch.push({
            table: 'import_snapshots',
            key: fids.take('import_snapshots'),
            before: null,
            after: { source_id: config.id, source_feature_id: feature.sourceId, content_hash: feature.hash, retrieved_at: retrievedAt, target_layer: layer, local_fid: fid },
          });
        }
        return patch;
      });
      seq = edit.seq;
    } else {
      bulkWrite(project, layer, config.id, stager, retrievedAt, () => {
        if (replace) bulkRemoveLayer(project, layer);
        const row = sourceRow(fullConfig, record, retrievedAt, retrievedAt);
        const columns = Object.keys(row);
        project.db.prepare(`INSERT INTO import_sources (source_id, ${columns.join(', ')}) VALUES (?, ${columns.map(() => '?').join(', ')})`).run(config.id, ...columns.map((c) => row[c]));
        const change = options.saveMapping !== false ? mappingRowChange(project, options.mapping) : null;
        if (change) {
          project.db
            .prepare('INSERT INTO import_mappings (name, target_layer, fields) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET target_layer = excluded.target_layer, fields = excluded.fields')
            .run(options.mapping.name, options.mapping.targetLayer, JSON.stringify(options.mapping.fields));
        }
      }, signal);
    }
    options.onProgress?.({ phase: 'done', featuresRead: outcome.featuresRead, featuresTotal: outcome.featuresRead, bytesRead: null, bytesTotal: null });
    return { sourceId: config.id, featuresRead: outcome.featuresRead, imported: stager.count, skipped: outcome.skipped, issues: outcome.issues, retrievedAt, sourceEpsg: outcome.sourceEpsg, seq, replaced: replacedCount };
  } finally {
    stager.dispose();
  }
}

/**
 * The row changes that empty a layer before a replacing import: its features, their snapshots and the
 * sources they came from (a later undo puts all of it back).
 */
function replacementChanges(project: ProjectFile, layer: LayerId): Patch {
  const patch: Patch = [];
  const rows = (sql: string, ...parameters: unknown[]) => project.db.prepare(sql).all(...parameters) as Record<string, unknown>[];
  const sources = rows('SELECT * FROM import_sources WHERE target_layer = ? ORDER BY source_id', layer);
  const sourceIds = new Set(sources.map((row) => String(row.source_id)));
  for (const row of rows('SELECT * FROM import_snapshots WHERE target_layer = ? ORDER BY fid', layer)) {
    const { fid, ...before } = row;
    patch.push({ table: 'import_snapshots', key: Number(fid), before, after: null });
  }
  for (const feature of project.readFeatures(layer).features) {
    patch.push({ table: layer, key: feature.id, before: { geom: feature.geometry, ...feature.properties }, after: null });
  }
  for (const row of sources) {
    const { fid: _fid, source_id: sourceId, ...before } = row;
    void _fid;
    // Snapshots of another layer that name this source (none in practice) keep it.
    if (sourceIds.has(String(sourceId))) patch.push({ table: 'import_sources', key: String(sourceId), before, after: null });
  }
  return patch;
}

/** The bulk (no undo) form of replacementChanges, inside bulkWrite's transaction. */
function bulkRemoveLayer(project: ProjectFile, layer: LayerId): void {
  project.db.prepare('DELETE FROM import_snapshots WHERE target_layer = ?').run(layer);
  project.db.prepare(`DELETE FROM ${layer}`).run();
  project.db.prepare('DELETE FROM import_sources WHERE target_layer = ?').run(layer);
}

/** A large import: one transaction of plain inserts, outside the undo log (the redo branch is dropped). */
function bulkWrite(project: ProjectFile, layer: LayerId, sourceId: string, stager: Stager, retrievedAt: string, writeSource: () => void, signal?: AbortSignal): void {
  // A bigger page cache while a million rows and their indexes go in (restored afterwards).
  const cacheSize = project.db.pragma('cache_size', { simple: true }) as number;
  project.db.pragma('cache_size = -65536');
  try {
    bulkInsert(project, layer, sourceId, stager, retrievedAt, writeSource, signal);
  } finally {
    project.db.pragma(`cache_size = ${cacheSize}`);
  }
}

function bulkInsert(project: ProjectFile, layer: LayerId, sourceId: string, stager: Stager, retrievedAt: string, writeSource: () => void, signal?: AbortSignal): void {
  const db = project.db;
  project.transaction(() => {
    writeSource();
    // The GeoPackage R-tree insert trigger calls five geometry functions per row; for a bulk import the
    // index rows are written directly from each blob's envelope instead, and the trigger is put back in the
    // same transaction (a failure rolls both back).
    const triggerName = `rtree_${layer}_geom_insert`;
    const trigger = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?").get(triggerName) as { sql: string } | undefined;
    if (trigger) db.exec(`DROP TRIGGER ${triggerName}`);
    const rtree = db.prepare(`INSERT OR REPLACE INTO rtree_${layer}_geom (id, minx, maxx, miny, maxy) VALUES (?, ?, ?, ?, ?)`);
    const statements = new Map<string, Database.Statement>();
    const service = db.prepare('INSERT INTO facility_services (facility_fid, service, capacity, enrolment) VALUES (?, ?, ?, ?)');
    const snapshot = db.prepare('INSERT INTO import_snapshots (source_id, source_feature_id, content_hash, retrieved_at, target_layer, local_fid) VALUES (?, ?, ?, ?, ?, ?)');
    let written = 0;
    // Staged blobs are already GeoPackage geometry in the project CRS: written as they are.
    for (const row of stager.db.prepare('SELECT source_id, geom, vals, hash FROM staged ORDER BY seq').iterate() as Iterable<{ source_id: string; geom: Uint8Array | null; vals: string; hash: string }>) {
      if (++written % 10_000 === 0) throwIfAborted(signal);
      const { columns, services } = splitValues(JSON.parse(row.vals) as Record<string, ScalarValue>);
      const names = Object.keys(columns);
      const signature = names.join(',');
      let insert = statements.get(signature);
      if (!insert) {
        insert = db.prepare(`INSERT INTO ${layer} (geom${names.map((n) => `, ${n}`).join('')}) VALUES (?${names.map(() => ', ?').join('')})`);
        statements.set(signature, insert);
      }
      const fid = Number(insert.run(row.geom, ...names.map((n) => columns[n])).lastInsertRowid);
      const envelope = trigger ? geoPackageEnvelope(row.geom) : null;
      if (envelope) rtree.run(fid, ...envelope);
      for (const [name, values] of services) if (values.capacity != null || values.enrolment != null) service.run(fid, name, values.capacity ?? null, values.enrolment ?? null);
      snapshot.run(sourceId, row.source_id, row.hash, retrievedAt, layer, fid);
    }
    if (trigger) db.exec(trigger.sql);
    db.prepare('DELETE FROM verkosto_edit_log WHERE undone = 1').run();
    project.refreshExtent(layer);
  });
}

// ---------------------------------------------------------------- sync

/** Reads a stored source again and compares it with the last snapshot. Writes nothing. */
export async function previewSync(project: ProjectFile, source: FeatureSource, options: SyncOptions): Promise<SyncPlan> {
  const record = requireSourceRecord(project, options.sourceId);
  const { config, mapping, targets } = record;
  const layer = config.targetLayer;
  const retrievedAt = new Date().toISOString();
  const stager = new Stager();
  try {
    const outcome = await readAndStage(
      project,
      source,
      { layer: config.layer, mapping, epsgOverride: config.epsg, swapAxes: Boolean(config.options.swapAxes), skipInvalid: Boolean(config.options.skipInvalid), matchOn: record.matchOn ?? null, signal: options.signal, onProgress: options.onProgress },
      stager,
    );
    options.onProgress?.({ phase: 'checking', featuresRead: outcome.featuresRead, featuresTotal: outcome.featuresRead, bytesRead: null, bytesTotal: null });
    const snapshots = readSnapshots(project, config.id);
    const plan: SyncPlan = { planId: `${config.id}:${retrievedAt}`, sourceId: config.id, retrievedAt, added: [], changed: [], removed: [], conflicts: [], unchanged: 0, localEdits: 0, issues: outcome.issues };
    const seen = new Set<string>();
    const localOf = (fid: number | null) => (fid == null ? null : readLocalRow(project, layer, fid, targets));
    const view = (geometry: Geometry | null, values: Record<string, ScalarValue>) => ({ geometry, properties: values });
    const differences = (a: Record<string, ScalarValue> | null, b: Record<string, ScalarValue> | null, ga: Geometry | null, gb: Geometry | null): string[] => {
      const list = targets.filter((target) => (a?.[target] ?? null) !== (b?.[target] ?? null));
      if (JSON.stringify(ga) !== JSON.stringify(gb)) list.unshift('geom');
      return list;
    };
    for (const incoming of stager.features()) {
      throwIfAborted(options.signal);
      seen.add(incoming.sourceId);
      const snapshot = snapshots.get(incoming.sourceId);
      if (!snapshot) {
        plan.added.push({ sourceFeatureId: incoming.sourceId, fid: null, local: null, incoming: view(incoming.geometry, incoming.values), differences: [], snapshotHash: null, incomingHash: incoming.hash, localHash: null });
        continue;
      }
      const local = localOf(snapshot.localFid);
      // A feature the user deleted in the project stays deleted; an unchanged source needs nothing.
      if (!local) {
        plan.unchanged++;
        continue;
      }
      const localHash = contentHash(record.matchOn ? null : local.geometry, local.values, targets);
      const editedLocally = localHash !== snapshot.contentHash;
      if (incoming.hash === snapshot.contentHash) {
        plan.unchanged++;
        if (editedLocally) plan.localEdits++;
        continue;
      }
      const entry: SyncEntry = {
        sourceFeatureId: incoming.sourceId,
        fid: snapshot.localFid,
        local: view(local.geometry, local.values),
        incoming: view(incoming.geometry, incoming.values),
        differences: differences(local.values, incoming.values, local.geometry, incoming.geometry),
        snapshotHash: snapshot.contentHash,
        incomingHash: incoming.hash,
        localHash,
      };
      if (editedLocally) plan.conflicts.push({ ...entry, conflict: 'bothChanged' });
      else plan.changed.push(entry);
    }
    for (const snapshot of snapshots.values()) {
      if (seen.has(snapshot.sourceFeatureId)) continue;
      const local = localOf(snapshot.localFid);
      if (!local) continue;
      const localHash = contentHash(record.matchOn ? null : local.geometry, local.values, targets);
      const entry: SyncEntry = {
        sourceFeatureId: snapshot.sourceFeatureId,
        fid: snapshot.localFid,
        local: view(local.geometry, local.values),
        incoming: null,
        differences: [],
        snapshotHash: snapshot.contentHash,
        incomingHash: null,
        localHash,
      };
      if (localHash !== snapshot.contentHash) plan.conflicts.push({ ...entry, conflict: 'removedButEditedLocally' });
      else plan.removed.push(entry);
    }
    return plan;
  } finally {
    stager.dispose();
  }
}

/** Applies a reviewed sync plan as one undoable command. See the module comment. */
export function applySync(project: ProjectFile, plan: SyncPlan, resolutions: Record<string, ConflictResolution> = {}): EditResult {
  const record = requireSourceRecord(project, plan.sourceId);
  const { config, targets } = record;
  const layer = config.targetLayer;
  const take = (entry: SyncEntry) => (resolutions[entry.sourceFeatureId] ?? 'keepLocal') === 'takeSource';
  const counts = {
    added: plan.added.length,
    changed: plan.changed.length + plan.conflicts.filter((entry) => entry.conflict === 'bothChanged' && take(entry)).length,
    removed: plan.removed.length + plan.conflicts.filter((entry) => entry.conflict === 'removedButEditedLocally' && take(entry)).length,
  };
  return project.runCommand({ type: 'import.apply', sourceId: plan.sourceId, operation: 'sync', ...counts }, () => {
    const fids = new FidAllocator(project);
    const snapshots = readSnapshots(project, plan.sourceId);
    const patch: Patch = [];
    let featureCount = record.featureCount;

    const checkFresh = (entry: SyncEntry): NonNullable<ReturnType<typeof readLocalRow>> => {
      const snapshot = snapshots.get(entry.sourceFeatureId);
      const local = entry.fid == null ? null : readLocalRow(project, layer, entry.fid, targets);
      if (!snapshot || snapshot.contentHash !== entry.snapshotHash || !local || contentHash(record.matchOn ? null : local.geometry, local.values, targets) !== entry.localHash) {
        throw new VerkostoError('staleSyncPlan', { source: plan.sourceId });
      }
      return local;
    };

    const update = (entry: SyncEntry, local: NonNullable<ReturnType<typeof readLocalRow>>) => {
      const incoming = entry.incoming!;
      const { columns, services } = splitValues(incoming.properties);
      const { columns: beforeColumns } = splitValues(local.values);
      // A source without locations (matched on a key) leaves the feature where it is.
      const geometryChange = incoming.geometry ? { before: { geom: local.geometry }, after: { geom: incoming.geometry } } : { before: {}, after: {} };
      patch.push({ table: layer, key: entry.fid!, before: { ...geometryChange.before, ...beforeColumns }, after: { ...geometryChange.after, ...columns } });
      for (const [service, values] of services) {
        const existing = local.serviceRows.get(service);
        const after = { capacity: values.capacity ?? null, enrolment: values.enrolment ?? null };
        if (existing) patch.push({ table: 'facility_services', key: existing.fid, before: { capacity: existing.capacity, enrolment: existing.enrolment }, after });
        else if (after.capacity != null || after.enrolment != null) {
          patch.push({ table: 'facility_services', key: fids.take('facility_services'), before: null, after: { facility_fid: entry.fid, service, ...after } });
        }
      }
    };

    const setSnapshotHash = (entry: SyncEntry, hash: string) => {
      const snapshot = snapshots.get(entry.sourceFeatureId)!;
      patch.push({ table: 'import_snapshots', key: snapshot.fid, before: { content_hash: snapshot.contentHash, retrieved_at: snapshot.retrievedAt }, after: { content_hash: hash, retrieved_at: plan.retrievedAt } });
    };

    const remove = (entry: SyncEntry, local: NonNullable<ReturnType<typeof readLocalRow>>) => {
      for (const [service, row] of local.serviceRows) {
        patch.push({ table: 'facility_services', key: row.fid, before: { facility_fid: entry.fid, service, capacity: row.capacity, enrolment: row.enrolment }, after: null });
      }
      const full = project.readFeature(layer, entry.fid!)!;
      patch.push({ table: layer, key: entry.fid!, before: { geom: full.geometry, ...full.properties }, after: null });
      featureCount--;
    };

    const dropSnapshot = (entry: SyncEntry) => {
      const snapshot = snapshots.get(entry.sourceFeatureId)!;
      const row = project.db.prepare('SELECT * FROM import_snapshots WHERE fid = ?').get(snapshot.fid) as Record<string, unknown>;
      const { fid: _fid, ...before } = row;
      void _fid;
      patch.push({ table: 'import_snapshots', key: snapshot.fid, before, after: null });
    };

    const existing = record.matchOn ? existingKeys(project, layer, record.matchOn) : null;
    for (const entry of plan.added) {
      if (snapshots.has(entry.sourceFeatureId)) throw new VerkostoError('staleSyncPlan', { source: plan.sourceId });
      const matched = existing?.get(String(entry.incoming!.properties[record.matchOn!] ?? '')) ?? null;
      if (matched != null) {
        patch.push(...updateFeatureChanges(project, layer, matched, entry.incoming!.geometry, entry.incoming!.properties, targets, fids));
        patch.push({
          table: 'import_snapshots',
          key: fids.take('import_snapshots'),
          before: null,
          after: { source_id: plan.sourceId, source_feature_id: entry.sourceFeatureId, content_hash: entry.incomingHash, retrieved_at: plan.retrievedAt, target_layer: layer, local_fid: matched },
        });
        featureCount++;
        continue;
      }
      // A new row without a location cannot be placed on the map: it waits until the source gives one.
      if (!entry.incoming!.geometry) continue;
      const fid = fids.take(layer);
      const staged: StagedFeature = { sourceId: entry.sourceFeatureId, geometry: entry.incoming!.geometry, values: entry.incoming!.properties, hash: entry.incomingHash! };
      patch.push(...insertFeatureChanges(layer, fid, staged, fids));
      patch.push({
        table: 'import_snapshots',
        key: fids.take('import_snapshots'),
        before: null,
        after: { source_id: plan.sourceId, source_feature_id: entry.sourceFeatureId, content_hash: entry.incomingHash, retrieved_at: plan.retrievedAt, target_layer: layer, local_fid: fid },
      });
      featureCount++;
    }
    for (const entry of plan.changed) {
      const local = checkFresh(entry);
      update(entry, local);
      setSnapshotHash(entry, entry.incomingHash!);
    }
    for (const entry of plan.removed) {
      const local = checkFresh(entry);
      // Features matched on a key existed before the import: leaving the source detaches them, never deletes.
      if (record.matchOn) featureCount--;
      else remove(entry, local);
      dropSnapshot(entry);
    }
    for (const entry of plan.conflicts) {
      const local = checkFresh(entry);
      const resolution = resolutions[entry.sourceFeatureId] ?? 'keepLocal';
      if (entry.conflict === 'removedButEditedLocally') {
        // Keep: the feature stays as the user edited it, no longer tied to the source. Take: removed.
        if (resolution === 'takeSource' && !record.matchOn) remove(entry, local);
        dropSnapshot(entry);
      } else if (resolution === 'takeSource') {
        update(entry, local);
        setSnapshotHash(entry, entry.incomingHash!);
      } else {
        // Keep the local version; the snapshot moves to the source's new state, so the next sync sees the
        // local edit as a local edit again, not as a new conflict.
        setSnapshotHash(entry, entry.incomingHash!);
      }
    }
    const current = project.db.prepare('SELECT * FROM import_sources WHERE source_id = ?').get(plan.sourceId) as Record<string, unknown>;
    const nextRecord: SourceConfigRecord = { ...record, featureCount };
    patch.push({
      table: 'import_sources',
      key: plan.sourceId,
      before: { last_sync_at: current.last_sync_at, config: current.config },
      after: { last_sync_at: plan.retrievedAt, config: JSON.stringify({ config: nextRecord.config, mapping: nextRecord.mapping, targets: nextRecord.targets, featureCount, matchOn: nextRecord.matchOn ?? null }) },
    });
    return patch;
  });
}

/** Saves (or replaces) a named mapping as an undoable command. */
export function saveMapping(project: ProjectFile, mapping: FieldMapping): EditResult | null {
  const change = mappingRowChange(project, mapping);
  if (!change) return null;
  return project.runCommand({ type: 'import.apply', sourceId: '', operation: 'saveMapping', added: 0, changed: 1, removed: 0 }, () => [change]);
}

/** The stored mapping named `name`, or an error naming it. */
export function requireMapping(project: ProjectFile, name: string): FieldMapping {
  const mapping = readMapping(project, name);
  if (!mapping) throw new VerkostoError('unknownMapping', { name });
  return mapping;
}

export type { SourceConfigRecord };

// ---------------------------------------------------------------- preview

export interface ImportPreviewResult {
  featuresRead: number;
  features: StagedFeature[];
  fieldChecks: Record<string, { ok: number; bad: number; example: string | null }>;
  issues: ImportIssue[];
  error: VerkostoError | null;
  sourceEpsg: number | null;
}

/** A source cut to its first `limit` features (for previews). */
export function limitSource(source: FeatureSource, limit: number): FeatureSource {
  return {
    description: source.description,
    listLayers: (options) => source.listLayers(options),
    async *readFeatures(layer, options) {
      let count = 0;
      for await (const feature of source.readFeatures(layer, options)) {
        if (count++ >= limit) return;
        yield feature;
      }
    },
  };
}

/**
 * Runs the pipeline over the first `limit` features without writing: mapped features in the project CRS
 * for the map preview, per-target conversion counts for the mapping dialog, and the error the import
 * would stop with.
 */
export async function previewImport(
  project: ProjectFile,
  source: FeatureSource,
  options: { layer: string; mapping: FieldMapping; epsgOverride?: number | null; swapAxes?: boolean; limit?: number; matchOn?: string | null; signal?: AbortSignal },
): Promise<ImportPreviewResult> {
  const limited = limitSource(source, options.limit ?? 2000);
  const fieldChecks: ImportPreviewResult['fieldChecks'] = {};
  for (const target of effectiveTargets(options.mapping)) fieldChecks[target] = { ok: 0, bad: 0, example: null };
  let read = 0;
  try {
    for await (const feature of limited.readFeatures(options.layer, { signal: options.signal })) {
      read++;
      const mapped = applyMapping(options.mapping, feature.properties);
      const bad = new Set(mapped.errors.map((error) => error.target));
      for (const error of mapped.errors) {
        const check = fieldChecks[error.target]!;
        check.bad++;
        check.example ??= error.value;
      }
      for (const target of Object.keys(fieldChecks)) if (!bad.has(target)) fieldChecks[target]!.ok++;
    }
  } catch {
    // The staging pass below reports the reader's error.
  }
  const stager = new Stager();
  try {
    let error: VerkostoError | null = null;
    let outcome: ReadOutcome | null = null;
    try {
      outcome = await readAndStage(
        project,
        limited,
        { layer: options.layer, mapping: options.mapping, epsgOverride: options.epsgOverride ?? null, swapAxes: options.swapAxes ?? false, skipInvalid: false, matchOn: options.matchOn ?? null, signal: options.signal },
        stager,
      );
    } catch (caught) {
      error = caught instanceof VerkostoError ? caught : new VerkostoError('internal', { detail: caught instanceof Error ? caught.message : String(caught) });
    }
    const features: StagedFeature[] = [];
    for (const feature of stager.features()) {
      features.push(feature);
      if (features.length >= 2000) break;
    }
    return { featuresRead: outcome?.featuresRead ?? read, features, fieldChecks, issues: outcome?.issues ?? [], error, sourceEpsg: outcome?.sourceEpsg ?? null };
  } finally {
    stager.dispose();
  }
}
