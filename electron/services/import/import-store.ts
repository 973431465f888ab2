/**
 * Reading the import tables (import_sources, import_mappings, import_snapshots) and the project rows an
 * import or sync compares against. Writes go through patches (the import.apply command), not through here.
 */
import type { LayerId } from '../../../shared/domain/project';
import { VerkostoError } from '../../../shared/errors';
import type { Geometry } from '../../../shared/geo/geometry';
import { decodeGeoPackageGeometry } from '../../../shared/geo/gpkg-geometry';
import type { FieldMapping, ScalarValue, StoredSource, StoredSourceConfig } from '../../../shared/import/types';
import { parseServiceTarget } from '../../../shared/import/types';
import type { ProjectFile } from '../../store/project-file';

/** What import_sources.config holds: the whole configuration plus the mapping used (so a sync maps alike). */
export interface SourceConfigRecord {
  config: StoredSourceConfig;
  mapping: FieldMapping;
  /** Sorted targets the content hash covers. */
  targets: string[];
  featureCount: number;
  /**
   * Set when the import updated existing features matched on this column (e.g. `code`) instead of adding
   * new ones: the content hash then leaves geometry out (a capacity table has none), and a feature that
   * leaves the source is detached, never deleted.
   */
  matchOn?: string | null;
}

export function readSourceRecord(project: ProjectFile, sourceId: string): (SourceConfigRecord & { createdAt: string; lastSyncAt: string | null }) | null {
  const row = project.db.prepare('SELECT config, created_at, last_sync_at FROM import_sources WHERE source_id = ?').get(sourceId) as
    | { config: string; created_at: string; last_sync_at: string | null }
    | undefined;
  if (!row) return null;
  return { ...(JSON.parse(row.config) as SourceConfigRecord), createdAt: row.created_at, lastSyncAt: row.last_sync_at };
}

export function requireSourceRecord(project: ProjectFile, sourceId: string): SourceConfigRecord & { createdAt: string; lastSyncAt: string | null } {
  const record = readSourceRecord(project, sourceId);
  if (!record) throw new VerkostoError('unknownImportSource', { source: sourceId });
  return record;
}

export function listSources(project: ProjectFile): StoredSource[] {
  const rows = project.db.prepare('SELECT source_id, config, created_at, last_sync_at FROM import_sources ORDER BY fid').all() as {
    source_id: string;
    config: string;
    created_at: string;
    last_sync_at: string | null;
  }[];
  const count = project.db.prepare('SELECT COUNT(*) AS n FROM import_snapshots WHERE source_id = ? AND local_fid IS NOT NULL');
  return rows.map((row) => {
    const record = JSON.parse(row.config) as SourceConfigRecord;
    return { ...record.config, createdAt: row.created_at, lastSyncAt: row.last_sync_at, featureCount: (count.get(row.source_id) as { n: number }).n };
  });
}

export function listMappings(project: ProjectFile): FieldMapping[] {
  const rows = project.db.prepare('SELECT name, target_layer, fields FROM import_mappings ORDER BY name').all() as { name: string; target_layer: string; fields: string }[];
  return rows.map((row) => ({ name: row.name, targetLayer: row.target_layer as LayerId, fields: JSON.parse(row.fields) as FieldMapping['fields'] }));
}

export function readMapping(project: ProjectFile, name: string): FieldMapping | null {
  return listMappings(project).find((mapping) => mapping.name === name) ?? null;
}

export interface SnapshotRow {
  fid: number;
  sourceFeatureId: string;
  contentHash: string;
  retrievedAt: string;
  localFid: number | null;
}

export function readSnapshots(project: ProjectFile, sourceId: string): Map<string, SnapshotRow> {
  const rows = project.db
    .prepare('SELECT fid, source_feature_id, content_hash, retrieved_at, local_fid FROM import_snapshots WHERE source_id = ?')
    .all(sourceId) as { fid: number; source_feature_id: string; content_hash: string; retrieved_at: string; local_fid: number | null }[];
  return new Map(rows.map((row) => [row.source_feature_id, { fid: row.fid, sourceFeatureId: row.source_feature_id, contentHash: row.content_hash, retrievedAt: row.retrieved_at, localFid: row.local_fid }]));
}

export interface LocalRow {
  geometry: Geometry | null;
  values: Record<string, ScalarValue>;
  /** facility_services fids by service, for patches. */
  serviceRows: Map<string, { fid: number; capacity: number | null; enrolment: number | null }>;
}

/** A project row's values for the given targets (layer columns and facility service values). */
export function readLocalRow(project: ProjectFile, layer: LayerId, fid: number, targets: readonly string[]): LocalRow | null {
  const row = project.db.prepare(`SELECT * FROM ${layer} WHERE fid = ?`).get(fid) as Record<string, unknown> | undefined;
  if (!row) return null;
  const serviceRows = new Map<string, { fid: number; capacity: number | null; enrolment: number | null }>();
  if (layer === 'facilities') {
    const services = project.db.prepare('SELECT fid, service, capacity, enrolment FROM facility_services WHERE facility_fid = ?').all(fid) as {
      fid: number;
      service: string;
      capacity: number | null;
      enrolment: number | null;
    }[];
    for (const service of services) serviceRows.set(service.service, { fid: service.fid, capacity: service.capacity, enrolment: service.enrolment });
  }
  const values: Record<string, ScalarValue> = {};
  for (const target of targets) {
    const service = parseServiceTarget(target);
    if (service) values[target] = serviceRows.get(service.service)?.[service.field] ?? null;
    else values[target] = (row[target] as ScalarValue | undefined) ?? null;
  }
  const geometry = decodeGeoPackageGeometry(row.geom as Uint8Array | null)?.geometry ?? null;
  return { geometry, values, serviceRows };
}

/** The import provenance of one feature, for the side panel. */
export function provenanceOf(project: ProjectFile, layer: string, fid: number): { sourceId: string; sourceFeatureId: string; retrievedAt: string; title: string; licence: string | null; attribution: string | null } | null {
  const row = project.db
    .prepare(
      `SELECT s.source_id, s.source_feature_id, s.retrieved_at, src.title, src.licence, src.attribution
         FROM import_snapshots s JOIN import_sources src ON src.source_id = s.source_id
        WHERE s.target_layer = ? AND s.local_fid = ? LIMIT 1`,
    )
    .get(layer, fid) as { source_id: string; source_feature_id: string; retrieved_at: string; title: string; licence: string | null; attribution: string | null } | undefined;
  return row ? { sourceId: row.source_id, sourceFeatureId: row.source_feature_id, retrievedAt: row.retrieved_at, title: row.title, licence: row.licence, attribution: row.attribution } : null;
}
