/**
 * Host side of paint by units: the data the renderer needs for live deltas, and the CSV export/import of
 * unit → catchment assignments for one catchment set. An import is ONE command (units.assignMany), so it
 * undoes in one step; a bad file is refused with the line and the problem, and the project is unchanged.
 */
import type { EditResult } from '../../../shared/domain/commands';
import type { CatchmentSetKey } from '../../../shared/domain/editing-commands';
import type { Feature } from '../../../shared/domain/project';
import { formatAssignmentCsv, parseCsv, ASSIGNMENT_CSV_COLUMNS, type AssignmentCsvRow } from '../../../shared/editing/assignment-csv';
import { unitMembership, type PaintContext, type UnitAssignment } from '../../../shared/editing/paint';
import { VerkostoError } from '../../../shared/errors';
import type { MultiPolygonGeometry } from '../../../shared/geo/geometry';
import type { ProjectFile } from '../../store/project-file';
import { POPULATION_AGE_COLUMNS } from '../../store/layer-tables';

function assignments(project: ProjectFile): UnitAssignment[] {
  return project.db.prepare('SELECT unit_fid, catchment_fid, service, language FROM catchment_units ORDER BY fid').all() as UnitAssignment[];
}

/** Children per unit in the latest observed or estimated year, capacities, and the stored assignments. */
export function paintContext(project: ProjectFile): PaintContext {
  const yearRow = project.db.prepare("SELECT MAX(year) AS year FROM demand_population WHERE source IN ('observed', 'estimated')").get() as { year: number | null };
  const year = yearRow.year ?? ((project.db.prepare('SELECT MAX(year) AS year FROM demand_population').get() as { year: number | null }).year ?? null);
  const rows = year == null ? [] : (project.db.prepare(`SELECT unit_fid, ${POPULATION_AGE_COLUMNS.join(', ')} FROM demand_population WHERE year = ?`).all(year) as Record<string, number | null>[]);
  return {
    year,
    units: rows.map((row) => ({ fid: row.unit_fid as number, ages: POPULATION_AGE_COLUMNS.map((column) => row[column] ?? 0) })),
    services: project.db.prepare('SELECT facility_fid, service, capacity, enrolment FROM facility_services ORDER BY fid').all() as PaintContext['services'],
    assignments: assignments(project),
  };
}

function setCatchments(project: ProjectFile, set: CatchmentSetKey): Feature<'catchments'>[] {
  return (project.readFeatures('catchments').features as Feature<'catchments'>[]).filter((c) => c.properties.service === set.service && c.properties.language === set.language);
}

/** One row per demand unit that lies in a catchment of the set. */
export function exportAssignments(project: ProjectFile, set: CatchmentSetKey): { fileName: string; csv: string } {
  const catchments = setCatchments(project, set);
  const units = project.readFeatures('demand_units').features as Feature<'demand_units'>[];
  const stored = assignments(project).filter((a) => a.service === set.service && a.language === set.language);
  const explicit = new Set(stored.map((a) => a.unit_fid));
  const membership = unitMembership(
    units.map((u) => ({ fid: u.id, geometry: u.geometry as MultiPolygonGeometry | null })),
    catchments.map((c) => ({ fid: c.id, geometry: c.geometry as MultiPolygonGeometry | null })),
    stored,
    set,
  );
  const names = new Map(catchments.map((c) => [c.id, c.properties.name]));
  const rows: AssignmentCsvRow[] = [];
  for (const unit of units) {
    const catchment = membership.get(unit.id);
    if (catchment == null) continue;
    rows.push({ unit_code: unit.properties.code, unit_fid: unit.id, catchment_fid: catchment, catchment_name: names.get(catchment) ?? '', service: set.service, language: set.language, source: explicit.has(unit.id) ? 'assigned' : 'derived' });
  }
  return { fileName: `assignments-${set.service}-${set.language}.csv`, csv: formatAssignmentCsv(rows) };
}

/**
 * Reads a CSV (as exported; unit by unit_fid or unit_code, catchment by catchment_fid or catchment_name) and
 * assigns every listed unit whose catchment differs from the current one, as one command.
 */
export function importAssignments(project: ProjectFile, set: CatchmentSetKey, csv: string): EditResult {
  const table = parseCsv(csv);
  const header = (table[0] ?? []).map((h) => h.trim().toLowerCase());
  const column = (name: (typeof ASSIGNMENT_CSV_COLUMNS)[number]) => header.indexOf(name);
  const unitColumn = column('unit_fid') >= 0 ? column('unit_fid') : column('unit_code');
  const catchmentColumn = column('catchment_fid') >= 0 ? column('catchment_fid') : column('catchment_name');
  if (unitColumn < 0 || catchmentColumn < 0) throw new VerkostoError('assignmentCsvHeader', { columns: 'unit_fid|unit_code, catchment_fid|catchment_name' });
  const byUnitFid = column('unit_fid') >= 0;
  const byCatchmentFid = column('catchment_fid') >= 0;
  const units = project.readFeatures('demand_units').features as Feature<'demand_units'>[];
  const unitByKey = new Map(units.map((u) => [byUnitFid ? String(u.id) : u.properties.code, u.id]));
  const catchments = project.readFeatures('catchments').features as Feature<'catchments'>[];
  const catchmentByKey = new Map(catchments.map((c) => [byCatchmentFid ? String(c.id) : c.properties.name, c]));
  const stored = new Map(assignments(project).filter((a) => a.service === set.service && a.language === set.language).map((a) => [a.unit_fid, a.catchment_fid]));
  const groups = new Map<number, number[]>();
  table.slice(1).forEach((row, index) => {
    const line = index + 2;
    const unitKey = (row[unitColumn] ?? '').trim();
    const catchmentKey = (row[catchmentColumn] ?? '').trim();
    const unit = unitByKey.get(unitKey);
    if (unit == null) throw new VerkostoError('assignmentCsvUnknownUnit', { line, value: unitKey });
    const catchment = catchmentByKey.get(catchmentKey);
    if (!catchment) throw new VerkostoError('assignmentCsvUnknownCatchment', { line, value: catchmentKey });
    if (catchment.properties.service !== set.service || catchment.properties.language !== set.language) throw new VerkostoError('assignmentCsvOtherSet', { line, value: catchmentKey });
    if (stored.get(unit) === catchment.id) return;
    if (!groups.has(catchment.id)) groups.set(catchment.id, []);
    groups.get(catchment.id)!.push(unit);
  });
  if (groups.size === 0) throw new VerkostoError('commandRejected', { reason: 'no changes' });
  return project.runCommand({ type: 'units.assignMany', assignments: [...groups.entries()].map(([catchmentFid, unitFids]) => ({ catchmentFid, unitFids })) });
}
