/**
 * The rows an export writes: every attribute of a layer, facility capacities and enrolments per service
 * as columns, and each feature's import provenance (source, retrieval time, licence), so nothing a
 * planner sees in Verkosto is lost on the way to QGIS or a spreadsheet.
 */
import type { LayerId } from '../../../shared/domain/project';
import { SERVICE_TYPES } from '../../../shared/domain/project';
import type { Geometry } from '../../../shared/geo/geometry';
import { decodeGeoPackageGeometry } from '../../../shared/geo/gpkg-geometry';
import { LAYER_COLUMNS } from '../../store/layer-tables';
import type { ProjectFile } from '../../store/project-file';
import { COLUMN_SPECS } from '../import/mapping';

export interface ExportColumn {
  name: string;
  type: 'text' | 'integer' | 'real';
}

export interface ExportRow {
  fid: number;
  geometry: Geometry | null;
  values: Record<string, string | number | null>;
}

export const PROVENANCE_COLUMNS: ExportColumn[] = [
  { name: 'source', type: 'text' },
  { name: 'source_feature_id', type: 'text' },
  { name: 'retrieved_at', type: 'text' },
  { name: 'licence', type: 'text' },
];

/**
 * The provenance columns' names for a layer: `source`, … — or `import_source`, … where the layer has an
 * attribute of that name itself (residential points' `source`), so neither overwrites the other.
 */
export function provenanceNames(layer: LayerId): Record<'source' | 'source_feature_id' | 'retrieved_at' | 'licence', string> {
  const own = new Set(LAYER_COLUMNS[layer]);
  const name = (base: string) => (own.has(base) ? `import_${base}` : base);
  return { source: name('source'), source_feature_id: name('source_feature_id'), retrieved_at: name('retrieved_at'), licence: name('licence') };
}

/** The columns of a layer's export, in order. */
export function exportColumns(project: ProjectFile, layer: LayerId): ExportColumn[] {
  const columns: ExportColumn[] = LAYER_COLUMNS[layer].map((name) => {
    const spec = COLUMN_SPECS[layer][name];
    return { name, type: spec?.type === 'integer' ? 'integer' : spec?.type === 'real' ? 'real' : 'text' };
  });
  if (layer === 'facilities') {
    const services = (project.db.prepare('SELECT DISTINCT service FROM facility_services ORDER BY service').all() as { service: string }[]).map((row) => row.service);
    for (const service of SERVICE_TYPES.filter((s) => services.includes(s))) {
      columns.push({ name: `capacity_${service}`, type: 'integer' }, { name: `enrolment_${service}`, type: 'integer' });
    }
  }
  const names = provenanceNames(layer);
  return [...columns, ...PROVENANCE_COLUMNS.map((column) => ({ ...column, name: names[column.name as keyof typeof names] }))];
}

/** Streams a layer's rows (constant memory: a statement iterator). */
export function* exportRows(project: ProjectFile, layer: LayerId, columns: ExportColumn[]): Generator<ExportRow> {
  const services = project.db.prepare('SELECT service, capacity, enrolment FROM facility_services WHERE facility_fid = ?');
  const provenance = project.db.prepare(
    `SELECT src.title, s.source_feature_id, s.retrieved_at, src.licence FROM import_snapshots s JOIN import_sources src ON src.source_id = s.source_id
      WHERE s.target_layer = ? AND s.local_fid = ? LIMIT 1`,
  );
  const names = provenanceNames(layer);
  const wantsServices = columns.some((column) => column.name.startsWith('capacity_'));
  for (const row of project.db.prepare(`SELECT fid, geom, ${LAYER_COLUMNS[layer].join(', ')} FROM ${layer} ORDER BY fid`).iterate() as Iterable<Record<string, unknown>>) {
    const values: Record<string, string | number | null> = {};
    for (const column of LAYER_COLUMNS[layer]) values[column] = (row[column] as string | number | null) ?? null;
    if (wantsServices) {
      for (const column of columns) if (column.name.startsWith('capacity_') || column.name.startsWith('enrolment_')) values[column.name] = null;
      for (const service of services.all(row.fid) as { service: string; capacity: number | null; enrolment: number | null }[]) {
        values[`capacity_${service.service}`] = service.capacity;
        values[`enrolment_${service.service}`] = service.enrolment;
      }
    }
    const origin = provenance.get(layer, row.fid) as { title: string; source_feature_id: string; retrieved_at: string; licence: string | null } | undefined;
    values[names.source] = origin?.title ?? null;
    values[names.source_feature_id] = origin?.source_feature_id ?? null;
    values[names.retrieved_at] = origin?.retrieved_at ?? null;
    values[names.licence] = origin?.licence ?? null;
    yield { fid: row.fid as number, geometry: decodeGeoPackageGeometry(row.geom as Uint8Array | null)?.geometry ?? null, values };
  }
}
