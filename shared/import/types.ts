/**
 * The import pipeline's data shapes, shared by the host (electron/services/import/), the contract and the
 * renderer's import and sync dialogs. Pure types and small pure helpers: no Node, DOM or SQLite here.
 */
import type { Geometry } from '../geo/geometry';
import type { LayerId } from '../domain/project';

/** Kinds of source. Files are read by part A's readers, the rest by the network readers. */
export const FILE_SOURCE_KINDS = ['geojson', 'gpkg', 'shapefile', 'csv', 'xlsx', 'kml', 'flatgeobuf', 'gml'] as const;
export const NETWORK_SOURCE_KINDS = ['wfs', 'ogcapi', 'tpr', 'servicemap', 'statfi-wfs', 'pxweb', 'open311'] as const;
export type FileSourceKind = (typeof FILE_SOURCE_KINDS)[number];
export type NetworkSourceKind = (typeof NETWORK_SOURCE_KINDS)[number];
export type SourceKind = FileSourceKind | NetworkSourceKind;

export type ScalarValue = string | number | boolean | null;

/**
 * How one target attribute is filled: from a source field (optionally through a value map, e.g.
 * "suomi" → "fi"), or a constant. A target is a column of the target layer (`name_fi`, `code`, …) or, for
 * facilities, a service capacity/enrolment written as `service:<service>:capacity` / `service:<service>:enrolment`.
 */
export interface FieldRule {
  source?: string;
  constant?: ScalarValue;
  /** Source value (as text) → stored value. Values not in the map pass through unchanged. */
  valueMap?: Record<string, ScalarValue>;
}

/** Source fields → Verkosto attributes for one target layer, saved in the project under a name. */
export interface FieldMapping {
  name: string;
  targetLayer: LayerId;
  fields: Record<string, FieldRule>;
}

/** Where the coordinates of a table source (CSV, XLSX) are. */
export interface CoordinateColumns {
  /** x/y in the given EPSG, lon/lat (EPSG:4326), or one WKT column. */
  kind: 'xy' | 'lonlat' | 'wkt';
  x?: string;
  y?: string;
  wkt?: string;
}

/** A source as stored in the project (table import_sources): everything needed to read it again. */
export interface StoredSourceConfig {
  /** Stable id, unique in the project (letters, digits, '-', '_', '.'). */
  id: string;
  kind: SourceKind;
  title: string;
  /** Endpoint of a network source. */
  url: string | null;
  /** Path of a file source at the time of import. */
  file: string | null;
  /** Layer within the source (WFS typeName, collection id, GeoPackage table, "default"). */
  layer: string;
  targetLayer: LayerId;
  mappingName: string | null;
  publisher: string | null;
  licence: string | null;
  attribution: string | null;
  /** EPSG of the source's coordinates when the user (or a preset) overrides what the source says. */
  epsg: number | null;
  /** Reader options: CSV delimiter/encoding/coordinate columns, WFS version/output format, preset id, … */
  options: Record<string, unknown>;
}

/** A stored source with its provenance. */
export interface StoredSource extends StoredSourceConfig {
  createdAt: string;
  lastSyncAt: string | null;
  featureCount: number;
}

/** A problem or warning found while reading, mapping or checking; `code` selects the i18n text `import.issues.<code>`. */
export interface ImportIssue {
  code: string;
  params: Record<string, string | number>;
  /** Source feature ids concerned (the first few). */
  sourceIds?: string[];
  /** Number of features concerned. */
  count?: number;
}

/** Progress of an import or sync job. */
export interface ImportProgress {
  phase: 'reading' | 'checking' | 'writing' | 'done';
  featuresRead: number;
  featuresTotal: number | null;
  bytesRead: number | null;
  bytesTotal: number | null;
}

export interface ImportResult {
  sourceId: string;
  featuresRead: number;
  imported: number;
  /** Features not imported (no geometry where the layer needs one, a value the layer refuses, …). */
  skipped: number;
  issues: ImportIssue[];
  retrievedAt: string;
  /** EPSG the source's coordinates were read in. */
  sourceEpsg: number;
  /** The undoable edit, or null for an import too large for the undo log (see IMPORT_UNDO_LIMIT). */
  seq: number | null;
  /** Features the import replaced (removed from the target layer first; `replaceExisting`), 0 otherwise. */
  replaced?: number;
}

/** One entry of a sync plan. `local` is the project's current row, `incoming` the source's mapped feature. */
export interface SyncEntry {
  sourceFeatureId: string;
  /** The feature in the project (null for an added one). */
  fid: number | null;
  local: { geometry: Geometry | null; properties: Record<string, ScalarValue> } | null;
  incoming: { geometry: Geometry | null; properties: Record<string, ScalarValue> } | null;
  /** Targets whose values differ between local and incoming. */
  differences: string[];
  /** Content hash at the last sync (null for an added feature) and of the incoming feature (null for a removed one). */
  snapshotHash: string | null;
  incomingHash: string | null;
  /** Hash of the project's row when the plan was made (to refuse a plan gone stale by later edits). */
  localHash: string | null;
  /** Conflicts only: why, `bothChanged` or `removedButEditedLocally`. */
  conflict?: 'bothChanged' | 'removedButEditedLocally';
}

/**
 * What a re-sync would do. The four lists are disjoint: a feature changed at the source AND edited locally
 * is only in `conflicts`. Total changes reported to the user = added + changed + removed + conflicts.
 */
export interface SyncPlan {
  planId: string;
  sourceId: string;
  retrievedAt: string;
  added: SyncEntry[];
  changed: SyncEntry[];
  removed: SyncEntry[];
  conflicts: SyncEntry[];
  unchanged: number;
  /** Features edited locally whose source did not change: they are kept as they are. */
  localEdits: number;
  issues: ImportIssue[];
}

/** How to resolve a conflict: keep the project's version or take the source's. Unresolved = keepLocal. */
export type ConflictResolution = 'keepLocal' | 'takeSource';

export function syncChangeCount(plan: Pick<SyncPlan, 'added' | 'changed' | 'removed' | 'conflicts'>): number {
  return plan.added.length + plan.changed.length + plan.removed.length + plan.conflicts.length;
}

/** Targets a mapping may write for facilities besides the layer columns. */
export function serviceTarget(service: string, field: 'capacity' | 'enrolment'): string {
  return `service:${service}:${field}`;
}

export function parseServiceTarget(target: string): { service: string; field: 'capacity' | 'enrolment' } | null {
  const match = /^service:([a-z0-9_]+):(capacity|enrolment)$/.exec(target);
  return match ? { service: match[1]!, field: match[2] as 'capacity' | 'enrolment' } : null;
}

/** Export formats. */
export const EXPORT_FORMATS = ['gpkg', 'geojson', 'shapefile', 'kml', 'csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
