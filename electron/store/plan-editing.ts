/**
 * Planners of the editing commands (issue 3). Each reads the rows it changes, computes the new geometry with
 * shared/geo/polygon-edit (JSTS), refuses what would store an invalid shape, touch a locked catchment or make
 * a new overlap inside a catchment set, and returns ONE patch — a topological edit that changes three
 * catchments is one undo step.
 */
import type Database from 'better-sqlite3';
import type { Patch, RowChange } from '../../shared/domain/commands';
import type { CatchmentSetKey, EditingCommand, FacilityServiceValue } from '../../shared/domain/editing-commands';
import { VerkostoError } from '../../shared/errors';
import type { MultiPolygonGeometry, Position } from '../../shared/geo/geometry';
import { envelopeOf } from '../../shared/geo/geometry';
import { decodeGeoPackageGeometry } from '../../shared/geo/gpkg-geometry';
import {
  PolygonEditError,
  asMulti,
  differencePolygons,
  edgesNear,
  hasVertex,
  sweepConflicts,
  vertexNeighbours,
  fromJsts,
  insertVertex,
  intersectionArea,
  moveSharedVertex,
  overlay,
  polygonProblem,
  precisionScale,
  removeVertex,
  roundPosition,
  splitPolygon,
  toJsts,
  unionAll,
  unionPolygons,
  type JstsGeometry,
} from '../../shared/geo/polygon-edit';
import { applyPatch } from './apply-patch';
import { LAYER_COLUMNS } from './layer-tables';

type Row = Record<string, unknown>;

interface CatchmentRow {
  fid: number;
  name: string;
  service: string;
  language: string;
  facility_fid: number | null;
  origin: string;
  locked: number;
  geometry: MultiPolygonGeometry | null;
}

function projectScale(db: Database.Database): number {
  const row = db.prepare("SELECT value FROM verkosto_settings WHERE key = 'project.epsg'").get() as { value: string } | undefined;
  return precisionScale(row ? Number(JSON.parse(row.value)) : 3067);
}

function decodeMulti(blob: unknown): MultiPolygonGeometry | null {
  const geometry = decodeGeoPackageGeometry(blob as Uint8Array | null)?.geometry ?? null;
  if (!geometry) return null;
  if (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon') return asMulti(geometry);
  return null;
}

function toCatchment(row: Row): CatchmentRow {
  return {
    fid: row.fid as number,
    name: row.name as string,
    service: row.service as string,
    language: row.language as string,
    facility_fid: (row.facility_fid as number | null) ?? null,
    origin: row.origin as string,
    locked: (row.locked as number) ?? 0,
    geometry: decodeMulti(row.geom),
  };
}

function readCatchment(db: Database.Database, fid: number): CatchmentRow {
  const row = db.prepare('SELECT * FROM catchments WHERE fid = ?').get(fid) as Row | undefined;
  if (!row) throw new VerkostoError('unknownFeature', { layer: 'catchments', fid });
  return toCatchment(row);
}

/** Catchments of a set whose bounding box meets the box (via the GeoPackage R-tree). */
function setCatchmentsNear(db: Database.Database, set: CatchmentSetKey, box: { minX: number; minY: number; maxX: number; maxY: number }, pad = 0): CatchmentRow[] {
  const rows = db
    .prepare(
      `SELECT c.* FROM catchments c JOIN rtree_catchments_geom r ON r.id = c.fid
       WHERE c.service = ? AND c.language = ? AND r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ?`,
    )
    .all(set.service, set.language, box.minX - pad, box.maxX + pad, box.minY - pad, box.maxY + pad) as Row[];
  return rows.map(toCatchment);
}

function setOf(catchment: CatchmentRow): CatchmentSetKey {
  return { service: catchment.service, language: catchment.language } as CatchmentSetKey;
}

function reject(problem: string, params: Record<string, string | number> = {}): never {
  throw new VerkostoError('geometryRejected', { problem, ...params });
}

function rethrowGeometry<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof PolygonEditError) reject(error.problem);
    throw error;
  }
}

function checkStorable(geometry: MultiPolygonGeometry, scale: number, name: string): void {
  const problem = polygonProblem(geometry, { scale });
  if (problem) reject(problem, { name });
}

function checkUnlocked(catchment: CatchmentRow): void {
  if (catchment.locked) reject('locked', { name: catchment.name });
}

function nextFid(db: Database.Database, table: string): number {
  const max = db.prepare(`SELECT MAX(fid) AS max FROM ${table}`).get() as { max: number | null };
  const seq = db.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').get(table) as { seq: number } | undefined;
  return Math.max(max.max ?? 0, seq?.seq ?? 0) + 1;
}

/** A whole row as a patch value (all patchable columns plus the geometry as GeoJSON), for delete and its undo. */
function fullRow(table: 'facilities' | 'catchments', row: Row): Row {
  const values: Row = { geom: decodeGeoPackageGeometry(row.geom as Uint8Array | null)?.geometry ?? null };
  for (const column of LAYER_COLUMNS[table]) values[column] = row[column] ?? null;
  return values;
}

function geometryChange(catchment: CatchmentRow, geometry: MultiPolygonGeometry): RowChange {
  return { table: 'catchments', key: catchment.fid, before: { geom: catchment.geometry }, after: { geom: geometry } };
}

function safeOverlap(a: MultiPolygonGeometry | null, b: MultiPolygonGeometry | null, scale: number): number {
  if (!a || !b) return 0;
  try {
    return intersectionArea(a, b, scale);
  } catch {
    return 0; // a neighbour that is itself invalid: the problems panel reports it
  }
}

function boxOf(geometries: (MultiPolygonGeometry | null)[]): { minX: number; minY: number; maxX: number; maxY: number } | null {
  let box: { minX: number; minY: number; maxX: number; maxY: number } | null = null;
  for (const geometry of geometries) {
    const e = geometry ? envelopeOf(geometry) : null;
    if (!e) continue;
    box = box ? { minX: Math.min(box.minX, e.minX), minY: Math.min(box.minY, e.minY), maxX: Math.max(box.maxX, e.maxX), maxY: Math.max(box.maxY, e.maxY) } : { ...e };
  }
  return box;
}

/** Overlap tolerance: 1 m² in a metric CRS. */
function overlapTolerance(scale: number): number {
  return scale > 1e4 ? 1e-10 : 1;
}

/**
 * Adds to the neighbours the vertices of `geometry` that lie on their edges, so a new or reshaped boundary
 * and its neighbours share identical coordinates (no T-junctions).
 */
function shareVertices(geometry: MultiPolygonGeometry, neighbours: CatchmentRow[], scale: number): Map<number, MultiPolygonGeometry> {
  const updated = new Map<number, MultiPolygonGeometry>();
  const epsilon = 1.5 / scale;
  for (const neighbour of neighbours) {
    if (!neighbour.geometry) continue;
    const box = envelopeOf(neighbour.geometry)!;
    let current = neighbour.geometry;
    for (const polygon of geometry.coordinates) {
      for (const ring of polygon) {
        for (const p of ring) {
          if (p[0] < box.minX - epsilon || p[0] > box.maxX + epsilon || p[1] < box.minY - epsilon || p[1] > box.maxY + epsilon) continue;
          const next = insertVertex(current, p, epsilon);
          if (next) current = next;
        }
      }
    }
    if (current !== neighbour.geometry) updated.set(neighbour.fid, current);
  }
  return updated;
}

function planMoveVertex(db: Database.Database, set: CatchmentSetKey, from: Position, to: Position | null, scale: number, mode: 'move' | 'remove' | 'add'): Patch {
  const epsilon = 1.5 / scale;
  const target = to ? roundPosition(to, scale) : null;
  const near = setCatchmentsNear(db, set, { minX: from[0], maxX: from[0], minY: from[1], maxY: from[1] }, epsilon);
  if (mode === 'add') {
    const patch: Patch = [];
    for (const catchment of near) {
      const next = catchment.geometry ? insertVertex(catchment.geometry, roundPosition(from, scale), epsilon) : null;
      if (!next) continue;
      checkUnlocked(catchment);
      patch.push(geometryChange(catchment, next));
    }
    if (patch.length === 0) reject('noVertexHere');
    return patch;
  }
  // Where an edge passes through `from` without a vertex (a T-junction), the vertex is added first, so
  // that neighbour follows too; the exact stored coordinate of the vertex is then the one to move.
  const withVertex = near
    .map((catchment) => ({ catchment, geometry: catchment.geometry ? (insertVertex(catchment.geometry, from, epsilon) ?? catchment.geometry) : null }))
    .filter((entry): entry is { catchment: CatchmentRow; geometry: MultiPolygonGeometry } => entry.geometry !== null && hasVertex(entry.geometry, from, epsilon));
  if (withVertex.length === 0) reject('noVertexHere');
  const exact = exactVertex(withVertex[0]!.geometry, from, epsilon);
  const fans = withVertex.flatMap((entry) => vertexNeighbours(entry.geometry, exact, epsilon));
  const box = boxOfPositions([exact, ...(target ? [target] : []), ...fans.flat()]);
  // Every edge of the set near the change, with the T-junction vertices inserted, must stay uncrossed.
  const neighbours = setCatchmentsNear(db, set, box);
  const edges = neighbours.flatMap((catchment) => {
    const entry = withVertex.find((w) => w.catchment.fid === catchment.fid);
    const geometry = entry ? entry.geometry : catchment.geometry;
    return geometry ? edgesNear(geometry, box) : [];
  });
  if (mode === 'remove') {
    // A vertex where three or more boundaries meet cannot go: the catchments' new edges would leave a hole.
    const others = new Set(fans.flat().map((p) => `${p[0]},${p[1]}`));
    if (others.size > 2) reject('junctionVertex');
  }
  if (sweepConflicts(fans, exact, target, edges)) reject('overlap');
  const patch: Patch = [];
  for (const { catchment, geometry } of withVertex) {
    const next = rethrowGeometry(() => (mode === 'move' ? moveSharedVertex(geometry, exact, target!, epsilon) : removeVertex(geometry, exact, epsilon)));
    if (!next) continue;
    checkUnlocked(catchment);
    checkStorable(next, scale, catchment.name);
    patch.push(geometryChange(catchment, next));
  }
  return patch;
}

function exactVertex(geometry: MultiPolygonGeometry, at: Position, epsilon: number): Position {
  for (const p of geometry.coordinates.flat(2)) if (Math.abs(p[0] - at[0]) <= epsilon && Math.abs(p[1] - at[1]) <= epsilon) return p;
  return at;
}

function boxOfPositions(positions: Position[]): { minX: number; minY: number; maxX: number; maxY: number } {
  const xs = positions.map((p) => p[0]);
  const ys = positions.map((p) => p[1]);
  return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) };
}

function planServices(db: Database.Database, facilityFid: number, services: FacilityServiceValue[]): Patch {
  const seen = new Set<string>();
  for (const service of services) {
    if (seen.has(service.service)) throw new VerkostoError('commandRejected', { reason: `${service.service} twice` });
    seen.add(service.service);
  }
  const existing = db
    .prepare('SELECT fid, service, capacity, enrolment, capacity_change_year, capacity_after_change FROM facility_services WHERE facility_fid = ?')
    .all(facilityFid) as { fid: number; service: string; capacity: number | null; enrolment: number | null; capacity_change_year: number | null; capacity_after_change: number | null }[];
  const patch: Patch = [];
  let fid = nextFid(db, 'facility_services');
  for (const row of existing) {
    const wanted = services.find((s) => s.service === row.service);
    const { fid: key, ...values } = row;
    if (!wanted) patch.push({ table: 'facility_services', key, before: { facility_fid: facilityFid, ...values }, after: null });
    else {
      const next = serviceColumns(wanted);
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter((column) => next[column] !== row[column]);
      if (changed.length > 0) patch.push({ table: 'facility_services', key, before: Object.fromEntries(changed.map((column) => [column, row[column]])), after: Object.fromEntries(changed.map((column) => [column, next[column]])) });
    }
  }
  for (const service of services) {
    if (existing.some((row) => row.service === service.service)) continue;
    patch.push({ table: 'facility_services', key: fid++, before: null, after: { facility_fid: facilityFid, service: service.service, ...serviceColumns(service) } });
  }
  return patch;
}

/** The stored columns of a service value; a capacity change needs both its year and its capacity. */
function serviceColumns(value: FacilityServiceValue): { capacity: number | null; enrolment: number | null; capacity_change_year: number | null; capacity_after_change: number | null } {
  const changeYear = value.changeYear ?? null;
  const changedCapacity = value.changedCapacity ?? null;
  if ((changeYear === null) !== (changedCapacity === null)) throw new VerkostoError('commandRejected', { reason: `${value.service}: a capacity change needs both its year and its capacity` });
  return { capacity: value.capacity, enrolment: value.enrolment, capacity_change_year: changeYear, capacity_after_change: changedCapacity };
}

function checkFacility(db: Database.Database, fid: number | null | undefined): void {
  if (fid == null) return;
  if (!db.prepare('SELECT 1 FROM facilities WHERE fid = ?').get(fid)) throw new VerkostoError('unknownFeature', { layer: 'facilities', fid });
}

function planUnitsAssign(db: Database.Database, catchmentFid: number, unitFids: number[], scale: number, allowNoop = false): Patch {
  const receiving = readCatchment(db, catchmentFid);
  checkUnlocked(receiving);
  const set = setOf(receiving);
  const units: { fid: number; geometry: MultiPolygonGeometry }[] = [];
  for (const fid of [...new Set(unitFids)]) {
    const row = db.prepare('SELECT fid, geom FROM demand_units WHERE fid = ?').get(fid) as Row | undefined;
    if (!row) throw new VerkostoError('unknownFeature', { layer: 'demand_units', fid });
    const geometry = decodeMulti(row.geom);
    if (geometry) units.push({ fid, geometry });
  }
  const assignments = new Map<number, { fid: number; catchment_fid: number }>();
  for (const unit of units) {
    const row = db.prepare('SELECT fid, catchment_fid FROM catchment_units WHERE unit_fid = ? AND service = ? AND language = ?').get(unit.fid, set.service, set.language) as { fid: number; catchment_fid: number } | undefined;
    if (row) assignments.set(unit.fid, row);
  }
  let unitsGeometry = unionAll(units.map((u) => toJsts(u.geometry, scale)), scale);
  // Catchments tile the municipality: the part of a unit outside it (sea, a neighbour town) is not painted.
  const municipality = municipalityJsts(db, scale);
  if (municipality && !municipality.covers(unitsGeometry)) unitsGeometry = overlay(unitsGeometry, municipality, 'intersection', scale);
  const painted = fromJsts(unitsGeometry, scale);
  const box = boxOf([painted]);
  const patch: Patch = [];
  const newGeometries = new Map<number, { before: MultiPolygonGeometry | null; after: MultiPolygonGeometry }>();
  const slivers: JstsGeometry[] = [];
  if (box) {
    for (const donor of setCatchmentsNear(db, set, box)) {
      if (donor.fid === receiving.fid || !donor.geometry) continue;
      if (safeOverlap(donor.geometry, painted, scale) <= overlapTolerance(scale)) continue;
      checkUnlocked(donor);
      const rest = overlay(toJsts(donor.geometry, scale), unitsGeometry, 'difference', scale);
      const parts: JstsGeometry[] = [];
      for (let i = 0; i < rest.getNumGeometries(); i++) {
        const part = rest.getGeometryN(i);
        if (part.getArea() <= 0) continue;
        const candidate = fromJsts(part, scale);
        if (polygonProblem(candidate, { scale }) === 'sliver') slivers.push(part);
        else parts.push(part);
      }
      if (parts.length === 0) reject('donorEmpty', { name: donor.name });
      const after = fromJsts(unionAll(parts, scale), scale);
      checkStorable(after, scale, donor.name);
      newGeometries.set(donor.fid, { before: donor.geometry, after });
    }
  }
  const receivingParts = [unitsGeometry, ...slivers];
  if (receiving.geometry) receivingParts.unshift(toJsts(receiving.geometry, scale));
  const receivingAfter = fromJsts(unionAll(receivingParts, scale), scale);
  checkStorable(receivingAfter, scale, receiving.name);
  newGeometries.set(receiving.fid, { before: receiving.geometry, after: receivingAfter });
  for (const [fid, change] of newGeometries) patch.push({ table: 'catchments', key: fid, before: { geom: change.before }, after: { geom: change.after } });

  let nextAssignment = nextFid(db, 'catchment_units');
  let assignedAny = false;
  for (const unit of units) {
    const existing = assignments.get(unit.fid);
    if (existing?.catchment_fid === receiving.fid) continue;
    assignedAny = true;
    if (existing) patch.push({ table: 'catchment_units', key: existing.fid, before: { catchment_fid: existing.catchment_fid }, after: { catchment_fid: receiving.fid } });
    else patch.push({ table: 'catchment_units', key: nextAssignment++, before: null, after: { unit_fid: unit.fid, catchment_fid: receiving.fid, service: set.service, language: set.language } });
  }
  if (!assignedAny && newGeometries.size <= 1 && receiving.geometry && Math.abs(polygonArea(receiving.geometry, scale) - polygonArea(receivingAfter, scale)) < overlapTolerance(scale)) {
    if (allowNoop) return [];
    throw new VerkostoError('commandRejected', { reason: 'already assigned' });
  }
  return patch;
}

const municipalityCache = new WeakMap<Database.Database, { key: string; jsts: JstsGeometry | null }>();

/** The municipality as one JSTS geometry, cached per connection until the layer changes. */
function municipalityJsts(db: Database.Database, scale: number): JstsGeometry | null {
  const stamp = db.prepare("SELECT last_change FROM gpkg_contents WHERE table_name = 'municipality'").get() as { last_change: string } | undefined;
  const count = db.prepare('SELECT COUNT(*) AS n, MAX(fid) AS m FROM municipality').get() as { n: number; m: number | null };
  const key = `${stamp?.last_change}:${count.n}:${count.m}`;
  const cached = municipalityCache.get(db);
  if (cached && cached.key === key) return cached.jsts;
  const parts = (db.prepare('SELECT geom FROM municipality').all() as Row[]).flatMap((row) => {
    const geometry = decodeMulti(row.geom);
    return geometry ? [toJsts(geometry, scale)] : [];
  });
  const jsts = parts.length === 0 ? null : unionAll(parts, scale);
  municipalityCache.set(db, { key, jsts });
  return jsts;
}

function polygonArea(geometry: MultiPolygonGeometry, scale: number): number {
  return toJsts(geometry, scale).getArea();
}

/** The patch for an editing command. Throws VerkostoError (geometryRejected with a `problem`) when it cannot apply. */
export function planEditingCommand(db: Database.Database, command: EditingCommand): Patch {
  const scale = projectScale(db);
  switch (command.type) {
    case 'facility.add': {
      const fid = nextFid(db, 'facilities');
      const attributes: Row = { facility_kind: 'school', language: 'fi', status: 'active', illustrative: 0, ...command.attributes };
      for (const column of Object.keys(attributes)) if (!LAYER_COLUMNS.facilities.includes(column)) throw new VerkostoError('commandRejected', { reason: `unknown column ${column}` });
      const patch: Patch = [{ table: 'facilities', key: fid, before: null, after: { geom: { type: 'Point', coordinates: roundPosition(command.geometry.coordinates, scale) }, ...attributes } }];
      return [...patch, ...planServicesForNew(db, fid, command.services ?? [])];
    }
    case 'facility.delete': {
      const row = db.prepare('SELECT * FROM facilities WHERE fid = ?').get(command.fid) as Row | undefined;
      if (!row) throw new VerkostoError('unknownFeature', { layer: 'facilities', fid: command.fid });
      const patch: Patch = [];
      for (const c of db.prepare('SELECT fid FROM catchments WHERE facility_fid = ?').all(command.fid) as { fid: number }[]) {
        patch.push({ table: 'catchments', key: c.fid, before: { facility_fid: command.fid }, after: { facility_fid: null } });
      }
      patch.push(...planServices(db, command.fid, []));
      patch.push({ table: 'facilities', key: command.fid, before: fullRow('facilities', row), after: null });
      return patch;
    }
    case 'facility.edit': {
      const row = db.prepare('SELECT * FROM facilities WHERE fid = ?').get(command.fid) as Row | undefined;
      if (!row) throw new VerkostoError('unknownFeature', { layer: 'facilities', fid: command.fid });
      const patch: Patch = [];
      const before: Row = {};
      const after: Row = {};
      for (const [column, value] of Object.entries(command.changes)) {
        if (value === undefined) continue;
        // Only attribute columns: `fid` or `geom` here would write a key or a raw blob into the undo log.
        if (!LAYER_COLUMNS.facilities.includes(column)) throw new VerkostoError('commandRejected', { reason: `unknown column ${column}` });
        if (typeof value === 'number' && !Number.isFinite(value)) throw new VerkostoError('commandRejected', { reason: `${column} is not a finite number` });
        if ((row[column] ?? null) === value) continue;
        before[column] = row[column] ?? null;
        after[column] = value;
      }
      if (Object.keys(after).length > 0) patch.push({ table: 'facilities', key: command.fid, before, after });
      if (command.services) patch.push(...planServices(db, command.fid, command.services));
      if (patch.length === 0) throw new VerkostoError('commandRejected', { reason: 'no changes' });
      return patch;
    }
    case 'facility.setServices': {
      checkFacility(db, command.fid);
      const patch = planServices(db, command.fid, command.services);
      if (patch.length === 0) throw new VerkostoError('commandRejected', { reason: 'no changes' });
      return patch;
    }
    case 'catchment.reshape':
    case 'catchment.reshapeMany': {
      const changes = command.type === 'catchment.reshape' ? [{ fid: command.fid, geometry: command.geometry }] : command.changes;
      if (new Set(changes.map((c) => c.fid)).size !== changes.length) throw new VerkostoError('commandRejected', { reason: 'a catchment twice' });
      const patch: Patch = [];
      for (const change of changes) {
        const catchment = readCatchment(db, change.fid);
        checkUnlocked(catchment);
        const geometry = change.geometry;
        checkStorable(geometry, scale, catchment.name);
        patch.push(geometryChange(catchment, geometry));
      }
      return patch;
    }
    case 'catchment.moveVertex':
      return planMoveVertex(db, command.set, command.from, command.to, scale, 'move');
    case 'catchment.addVertex':
      return planMoveVertex(db, command.set, command.at, null, scale, 'add');
    case 'catchment.removeVertex':
      return planMoveVertex(db, command.set, command.at, null, scale, 'remove');
    case 'catchment.create': {
      const { attributes } = command;
      checkFacility(db, attributes.facility_fid);
      const set = { service: attributes.service, language: attributes.language };
      let geometry = command.geometry;
      checkStorable(geometry, scale, attributes.name);
      const box = boxOf([geometry])!;
      const neighbours = setCatchmentsNear(db, set, box);
      const patch: Patch = [];
      if (command.avoidOverlap) {
        geometry = rethrowGeometry(() => differencePolygons(geometry, neighbours.flatMap((n) => (n.geometry ? [n.geometry] : [])), scale));
        if (geometry.coordinates.length === 0) reject('nothingLeft');
        // Sliver pieces left between neighbours are dropped rather than stored.
        geometry = { type: 'MultiPolygon', coordinates: geometry.coordinates.filter((polygon) => polygonProblem({ type: 'MultiPolygon', coordinates: [polygon] }, { scale }) !== 'sliver') };
        if (geometry.coordinates.length === 0) reject('nothingLeft');
        checkStorable(geometry, scale, attributes.name);
        for (const [fid, shared] of shareVertices(geometry, neighbours, scale)) {
          const neighbour = neighbours.find((n) => n.fid === fid)!;
          if (polygonProblem(shared, { scale })) continue;
          patch.push(geometryChange(neighbour, shared));
        }
      }
      const fid = nextFid(db, 'catchments');
      patch.unshift({
        table: 'catchments',
        key: fid,
        before: null,
        after: { geom: geometry, name: attributes.name, service: attributes.service, language: attributes.language, facility_fid: attributes.facility_fid ?? null, origin: 'drawn', locked: 0 },
      });
      return patch;
    }
    case 'catchment.split': {
      const catchment = readCatchment(db, command.fid);
      checkUnlocked(catchment);
      if (!catchment.geometry) reject('empty', { name: catchment.name });
      const pieces = rethrowGeometry(() => splitPolygon(catchment.geometry!, command.line, scale));
      pieces.forEach((piece) => checkStorable(piece, scale, catchment.name));
      const patch: Patch = [geometryChange(catchment, pieces[0]!)];
      let fid = nextFid(db, 'catchments');
      pieces.slice(1).forEach((piece, index) => {
        patch.push({
          table: 'catchments',
          key: fid++,
          before: null,
          after: { geom: piece, name: `${catchment.name} ${index + 2}`, service: catchment.service, language: catchment.language, facility_fid: catchment.facility_fid, origin: 'drawn', locked: 0 },
        });
      });
      return patch;
    }
    case 'catchment.merge': {
      const rows = [...new Set(command.fids)].map((fid) => readCatchment(db, fid));
      if (rows.length < 2) throw new VerkostoError('commandRejected', { reason: 'merge needs two catchments' });
      const first = rows[0]!;
      for (const row of rows) {
        checkUnlocked(row);
        if (row.service !== first.service || row.language !== first.language) reject('differentSets', { name: row.name });
      }
      const merged = rethrowGeometry(() => unionPolygons(rows.flatMap((r) => (r.geometry ? [r.geometry] : [])), scale));
      checkStorable(merged, scale, first.name);
      const patch: Patch = [geometryChange(first, merged)];
      for (const row of rows.slice(1)) {
        patch.push(...planDeleteCatchment(db, row.fid, first.fid));
      }
      return patch;
    }
    case 'catchment.delete': {
      const catchment = readCatchment(db, command.fid);
      checkUnlocked(catchment);
      return planDeleteCatchment(db, command.fid, null);
    }
    case 'catchment.update': {
      const row = db.prepare('SELECT * FROM catchments WHERE fid = ?').get(command.fid) as Row | undefined;
      if (!row) throw new VerkostoError('unknownFeature', { layer: 'catchments', fid: command.fid });
      checkFacility(db, command.changes.facility_fid);
      const before: Row = {};
      const after: Row = {};
      for (const [column, value] of Object.entries(command.changes)) {
        if (value === undefined) continue;
        if (!['name', 'facility_fid', 'locked'].includes(column)) throw new VerkostoError('commandRejected', { reason: `unknown column ${column}` });
        before[column] = row[column] ?? null;
        after[column] = value;
      }
      if (Object.keys(after).length === 0) throw new VerkostoError('commandRejected', { reason: 'no changes' });
      return [{ table: 'catchments', key: command.fid, before, after }];
    }
    case 'demandUnit.update': {
      const row = db.prepare('SELECT name FROM demand_units WHERE fid = ?').get(command.fid) as { name: string | null } | undefined;
      if (!row) throw new VerkostoError('unknownFeature', { layer: 'demand_units', fid: command.fid });
      if (command.changes.name === undefined || command.changes.name === row.name) throw new VerkostoError('commandRejected', { reason: 'no changes' });
      return [{ table: 'demand_units', key: command.fid, before: { name: row.name }, after: { name: command.changes.name } }];
    }
    case 'units.assign':
      return planUnitsAssign(db, command.catchmentFid, command.unitFids, scale);
    case 'units.assignMany': {
      // Each catchment's step is planned against the state the previous steps leave, inside a savepoint that
      // is rolled back: the caller then applies the whole patch once, in its own transaction.
      const srs = db.prepare("SELECT value FROM verkosto_settings WHERE key = 'project.epsg'").get() as { value: string };
      const patch: Patch = [];
      db.exec('SAVEPOINT plan_units');
      try {
        for (const step of command.assignments) {
          const part = planUnitsAssign(db, step.catchmentFid, step.unitFids, scale, true);
          applyPatch(db, part, Number(JSON.parse(srs.value)));
          patch.push(...part);
        }
      } finally {
        db.exec('ROLLBACK TO plan_units');
        db.exec('RELEASE plan_units');
      }
      if (patch.length === 0) throw new VerkostoError('commandRejected', { reason: 'no changes' });
      return patch;
    }
  }
}

function planServicesForNew(db: Database.Database, facilityFid: number, services: FacilityServiceValue[]): Patch {
  const seen = new Set<string>();
  let fid = nextFid(db, 'facility_services');
  return services.map((service) => {
    if (seen.has(service.service)) throw new VerkostoError('commandRejected', { reason: `${service.service} twice` });
    seen.add(service.service);
    return { table: 'facility_services', key: fid++, before: null, after: { facility_fid: facilityFid, service: service.service, ...serviceColumns(service) } };
  });
}

/** Deletes a catchment with its unit assignments (moved to `heir` when merging). */
function planDeleteCatchment(db: Database.Database, fid: number, heir: number | null): Patch {
  const row = db.prepare('SELECT * FROM catchments WHERE fid = ?').get(fid) as Row;
  const patch: Patch = [];
  for (const unit of db.prepare('SELECT fid, unit_fid, catchment_fid, service, language FROM catchment_units WHERE catchment_fid = ?').all(fid) as Row[]) {
    const { fid: key, ...values } = unit;
    patch.push(heir == null ? { table: 'catchment_units', key: key as number, before: values, after: null } : { table: 'catchment_units', key: key as number, before: { catchment_fid: fid }, after: { catchment_fid: heir } });
  }
  patch.push({ table: 'catchments', key: fid, before: fullRow('catchments', row), after: null });
  return patch;
}
