/**
 * The editing commands (issue 3) on copies of the real Helsinki sample: each command applies, refuses bad
 * input with a reason and leaves the file unchanged, and undoes to the exact previous project (property:
 * apply + inverse = identity); topological vertex moves change every catchment sharing the vertex.
 */
import { describe, expect, test } from 'vitest';
import { ProjectFile } from '../../electron/store/project-file';
import type { Command } from '../../shared/domain/commands';
import type { Feature } from '../../shared/domain/project';
import type { MultiPolygonGeometry, Position } from '../../shared/geo/geometry';
import { envelopeOf } from '../../shared/geo/geometry';
import { hasVertex, intersectionArea, polygonArea } from '../../shared/geo/polygon-edit';
import { sampleCopies } from '../fixtures/sample-copies';
import { expectCode, snapshot } from '../fixtures/store-helpers';

const fresh = sampleCopies('verkosto-editing-');

/** Everything a command may change: every layer, settings, services and unit assignments. */
function fullSnapshot(project: ProjectFile): unknown {
  return {
    ...snapshot(project),
    services: project.db.prepare('SELECT * FROM facility_services ORDER BY fid').all(),
    units: project.db.prepare('SELECT * FROM catchment_units ORDER BY fid').all(),
  };
}

function catchments(project: ProjectFile, language: 'fi' | 'sv' = 'fi'): Feature<'catchments'>[] {
  return (project.readFeatures('catchments').features as Feature<'catchments'>[]).filter((c) => c.properties.service === 'grades_1_6' && c.properties.language === language);
}

function geometryOf(project: ProjectFile, fid: number): MultiPolygonGeometry {
  return project.readFeature('catchments', fid)!.geometry as MultiPolygonGeometry;
}

/** A vertex shared by exactly two catchments of the Finnish set, not on the set's outer edge. */
function sharedVertex(list: Feature<'catchments'>[]): { at: Position; fids: number[] } {
  const owners = new Map<string, Set<number>>();
  for (const c of list) for (const polygon of c.geometry!.coordinates) for (const ring of polygon) for (const p of ring) {
    const key = `${p[0]},${p[1]}`;
    if (!owners.has(key)) owners.set(key, new Set());
    owners.get(key)!.add(c.id);
  }
  for (const [key, set] of owners) if (set.size === 2) return { at: key.split(',').map(Number) as Position, fids: [...set] };
  throw new Error('no shared vertex');
}

function square(cx: number, cy: number, half: number): MultiPolygonGeometry {
  return { type: 'MultiPolygon', coordinates: [[[[cx - half, cy - half], [cx + half, cy - half], [cx + half, cy + half], [cx - half, cy + half], [cx - half, cy - half]]]] };
}

function centreOf(geometry: MultiPolygonGeometry): [number, number] {
  const e = envelopeOf(geometry)!;
  return [(e.minX + e.maxX) / 2, (e.minY + e.maxY) / 2];
}

/** Runs a command, checks undo gives back exactly the project before it and redo the one after it. */
function roundTrip(project: ProjectFile, command: Command): void {
  const before = fullSnapshot(project);
  project.runCommand(command);
  const after = fullSnapshot(project);
  expect(after).not.toEqual(before);
  project.undo();
  expect(fullSnapshot(project)).toEqual(before);
  project.redo();
  expect(fullSnapshot(project)).toEqual(after);
}

describe('catchment.reshape', () => {
  test('replaces the geometry, undoes exactly, and survives closing the file', () => {
    const project = fresh();
    const target = catchments(project)[0]!;
    const [cx, cy] = centreOf(target.geometry!);
    const geometry = square(cx, cy, 400);
    const result = project.runCommand({ type: 'catchment.reshape', fid: target.id, geometry });
    expect(result.touched).toEqual(['catchments']);
    expect(polygonArea(geometryOf(project, target.id))).toBeCloseTo(640_000, 3);
    const file = project.path;
    project.close();
    const reopened = ProjectFile.open(file);
    expect(polygonArea(geometryOf(reopened, target.id))).toBeCloseTo(640_000, 3);
    reopened.undo();
    expect(geometryOf(reopened, target.id)).toEqual(target.geometry);
    reopened.close();
  });

  test('refuses a self-crossing ring, a sliver and a locked catchment, leaving the file unchanged', () => {
    const project = fresh();
    const target = catchments(project)[0]!;
    const [cx, cy] = centreOf(target.geometry!);
    const before = fullSnapshot(project);
    const bowTie: MultiPolygonGeometry = { type: 'MultiPolygon', coordinates: [[[[cx, cy], [cx + 100, cy + 100], [cx + 100, cy], [cx, cy + 100], [cx, cy]]]] };
    expect(expectCode(() => project.runCommand({ type: 'catchment.reshape', fid: target.id, geometry: bowTie }), 'geometryRejected').params.problem).toBe('selfIntersection');
    const sliver: MultiPolygonGeometry = { type: 'MultiPolygon', coordinates: [[[[cx, cy], [cx + 500, cy], [cx + 500, cy + 0.2], [cx, cy + 0.2], [cx, cy]]]] };
    expect(expectCode(() => project.runCommand({ type: 'catchment.reshape', fid: target.id, geometry: sliver }), 'geometryRejected').params.problem).toBe('sliver');
    project.runCommand({ type: 'catchment.update', fid: target.id, changes: { locked: 1 } });
    expect(expectCode(() => project.runCommand({ type: 'catchment.reshape', fid: target.id, geometry: square(cx, cy, 300) }), 'geometryRejected').params.problem).toBe('locked');
    project.undo();
    expect(fullSnapshot(project)).toEqual(before);
    project.close();
  });
});

describe('topological editing', () => {
  test('moving a shared vertex moves it in both neighbours, as one undo step', () => {
    const project = fresh();
    const { at, fids } = sharedVertex(catchments(project));
    const to: Position = [at[0] + 3, at[1] + 2];
    const before = fullSnapshot(project);
    const result = project.runCommand({ type: 'catchment.moveVertex', set: { service: 'grades_1_6', language: 'fi' }, from: at, to });
    for (const fid of fids) {
      expect(hasVertex(geometryOf(project, fid), to)).toBe(true);
      expect(hasVertex(geometryOf(project, fid), at)).toBe(false);
    }
    expect(intersectionArea(geometryOf(project, fids[0]!), geometryOf(project, fids[1]!))).toBeLessThan(0.01);
    expect(result.canUndo).toBe(true);
    project.undo();
    expect(fullSnapshot(project)).toEqual(before);
    project.close();
  });

  test('a move that would fold a boundary over a neighbour is refused', () => {
    const project = fresh();
    const list = catchments(project);
    const { at, fids } = sharedVertex(list);
    const other = list.find((c) => !fids.includes(c.id) && intersectionArea(c.geometry!, square(at[0], at[1], 3000)) > 0)!;
    const before = fullSnapshot(project);
    const error = expectCode(() => project.runCommand({ type: 'catchment.moveVertex', set: { service: 'grades_1_6', language: 'fi' }, from: at, to: centreOf(other.geometry!) }), 'geometryRejected');
    expect(['overlap', 'selfIntersection', 'invalid']).toContain(error.params.problem);
    expect(fullSnapshot(project)).toEqual(before);
    project.close();
  });

  test('add and remove a vertex on a shared edge', () => {
    const project = fresh();
    const list = catchments(project);
    const { at, fids } = sharedVertex(list);
    const ring = geometryOf(project, fids[0]!).coordinates.flat().find((r) => r.some((p) => p[0] === at[0] && p[1] === at[1]))!;
    const index = ring.findIndex((p) => p[0] === at[0] && p[1] === at[1]);
    const neighbour = ring[index + 1] ?? ring[1]!;
    const mid: Position = [Math.round(((at[0] + neighbour[0]) / 2) * 1000) / 1000, Math.round(((at[1] + neighbour[1]) / 2) * 1000) / 1000];
    const set = { service: 'grades_1_6', language: 'fi' } as const;
    const result = project.runCommand({ type: 'catchment.addVertex', set, at: mid });
    expect(result.touched).toEqual(['catchments']);
    const withVertex = fids.filter((fid) => hasVertex(geometryOf(project, fid), mid, 0.002));
    expect(withVertex.length).toBeGreaterThanOrEqual(1);
    roundTrip(project, { type: 'catchment.removeVertex', set, at });
    project.close();
  });
});

describe('every command round-trips (apply + inverse = identity)', () => {
  test('facility.add, setServices, delete', () => {
    const project = fresh();
    const facility = project.readFeatures('facilities').features[0]!;
    const at = (facility.geometry as { coordinates: Position }).coordinates;
    roundTrip(project, { type: 'facility.add', geometry: { type: 'Point', coordinates: [at[0] + 250, at[1] + 250] }, attributes: { name_fi: 'Uusi koulu', name_sv: 'Nya skolan', status: 'planned', opens_year: 2028 }, services: [{ service: 'grades_1_6', capacity: 300, enrolment: null }] });
    const added = project.readFeatures('facilities').features.find((f) => f.properties.name_fi === 'Uusi koulu')!;
    expect(project.relatedRows('facilities', added.id)).toHaveLength(1);
    roundTrip(project, { type: 'facility.setServices', fid: added.id, services: [{ service: 'grades_1_6', capacity: 350, enrolment: 120 }, { service: 'pre_primary', capacity: 40, enrolment: null }] });
    roundTrip(project, { type: 'facility.delete', fid: facility.id });
    expect(project.readFeature('facilities', facility.id)).toBeNull();
    expect(project.db.prepare('SELECT COUNT(*) AS n FROM catchments WHERE facility_fid = ?').get(facility.id)).toEqual({ n: 0 });
    project.close();
  });

  test('facility.edit: the form attributes and services are one log entry, one undo restores both', () => {
    const project = fresh();
    const facility = project.readFeatures('facilities').features.find((f) => project.relatedRows('facilities', f.id).length > 0)!;
    const servicesBefore = project.relatedRows('facilities', facility.id);
    const log = () => (project.db.prepare('SELECT COUNT(*) AS n FROM verkosto_edit_log').get() as { n: number }).n;
    const entries = log();
    const before = fullSnapshot(project);
    project.runCommand({ type: 'facility.edit', fid: facility.id, changes: { name_fi: 'Muutettu koulu', floor_area_m2: 4321, condition: 2 }, services: [{ service: 'grades_1_6', capacity: 999, enrolment: null }, { service: 'pre_primary', capacity: 25, enrolment: null }] });
    expect(log()).toBe(entries + 1);
    expect(project.readFeature('facilities', facility.id)!.properties).toMatchObject({ name_fi: 'Muutettu koulu', floor_area_m2: 4321, condition: 2 });
    expect(project.relatedRows('facilities', facility.id)).toEqual([
      { service: 'grades_1_6', capacity: 999, enrolment: null, changeYear: null, changedCapacity: null },
      { service: 'pre_primary', capacity: 25, enrolment: null, changeYear: null, changedCapacity: null },
    ]);
    project.undo();
    expect(fullSnapshot(project)).toEqual(before);
    expect(project.relatedRows('facilities', facility.id)).toEqual(servicesBefore);
    roundTrip(project, { type: 'facility.edit', fid: facility.id, changes: { status: 'closed', closes_year: 2027 } });
    roundTrip(project, { type: 'facility.edit', fid: facility.id, changes: {}, services: [] });
    expect(expectCode(() => project.runCommand({ type: 'facility.edit', fid: facility.id, changes: { name_fi: facility.properties.name_fi } }), 'commandRejected').params.reason).toBe('no changes');
    project.close();
  });

  test('facility.edit: a capacity change from a given year is stored, undone and redone; half a change is refused', () => {
    const project = fresh();
    const facility = project.readFeatures('facilities').features.find((f) => project.relatedRows('facilities', f.id).some((row) => row.service === 'grades_1_6'))!;
    const current = project.relatedRows('facilities', facility.id) as { service: 'grades_1_6'; capacity: number | null; enrolment: number | null }[];
    const expanded = current.map((row) => (row.service === 'grades_1_6' ? { ...row, changeYear: 2028, changedCapacity: (row.capacity ?? 0) + 120 } : row));
    roundTrip(project, { type: 'facility.edit', fid: facility.id, changes: {}, services: expanded }); // ends redone
    const stored = project.db.prepare("SELECT capacity, capacity_change_year, capacity_after_change FROM facility_services WHERE facility_fid = ? AND service = 'grades_1_6'").get(facility.id) as Record<string, number>;
    expect(stored.capacity_change_year).toBe(2028);
    expect(stored.capacity_after_change).toBe(stored.capacity! + 120);
    const half = current.map((row) => (row.service === 'grades_1_6' ? { ...row, changeYear: 2030, changedCapacity: null } : row));
    expectCode(() => project.runCommand({ type: 'facility.edit', fid: facility.id, changes: {}, services: half }), 'commandRejected');
    project.close();
  });

  test('demandUnit.update renames a unit; an unchanged name is refused', () => {
    const project = fresh();
    const unit = project.readFeatures('demand_units').features[0]!;
    roundTrip(project, { type: 'demandUnit.update', fid: unit.id, changes: { name: 'Uusi nimi' } });
    expect(project.readFeature('demand_units', unit.id)!.properties.name).toBe('Uusi nimi');
    expect(expectCode(() => project.runCommand({ type: 'demandUnit.update', fid: unit.id, changes: { name: 'Uusi nimi' } }), 'commandRejected').params.reason).toBe('no changes');
    expectCode(() => project.runCommand({ type: 'demandUnit.update', fid: 999_999, changes: { name: 'X' } }), 'unknownFeature');
    project.close();
  });

  test('catchment.create with avoid-overlap is clipped by its neighbours and shares their vertices', () => {
    const project = fresh();
    const list = catchments(project);
    const { at, fids } = sharedVertex(list);
    // A hole where one catchment was: the new polygon over it and its neighbours keeps only the hole's part.
    const removed = geometryOf(project, fids[0]!);
    project.runCommand({ type: 'catchment.delete', fid: fids[0]! });
    const drawn = square(at[0], at[1], 300);
    roundTrip(project, { type: 'catchment.create', geometry: drawn, attributes: { name: 'Uusi alue', service: 'grades_1_6', language: 'fi' }, avoidOverlap: true });
    const created = catchments(project).find((c) => c.properties.name === 'Uusi alue')!;
    expect(created.properties.origin).toBe('drawn');
    expect(polygonArea(created.geometry!)).toBeCloseTo(intersectionArea(drawn, removed), 0);
    // Every vertex of the new boundary that lies on a neighbour's edge is a vertex of that neighbour too.
    const neighbour = geometryOf(project, fids[1]!);
    const onNeighbour = created.geometry!.coordinates.flat(2).filter((p) => hasVertex(neighbour, p, 0.002));
    expect(onNeighbour.length).toBeGreaterThan(0);
    for (const other of catchments(project)) if (other.id !== created.id) expect(intersectionArea(created.geometry!, other.geometry!)).toBeLessThan(0.01);
    // Without avoid-overlap the square is stored as drawn.
    roundTrip(project, { type: 'catchment.create', geometry: drawn, attributes: { name: 'Päällekkäinen', service: 'grades_1_6', language: 'fi' }, avoidOverlap: false });
    const overlapping = catchments(project).find((c) => c.properties.name === 'Päällekkäinen')!;
    expect(polygonArea(overlapping.geometry!)).toBeCloseTo(360_000, 3);
    project.close();
  });

  test('catchment.split, merge, delete, update (facility, lock)', () => {
    const project = fresh();
    const target = catchments(project).sort((a, b) => polygonArea(b.geometry!) - polygonArea(a.geometry!))[0]!;
    const e = envelopeOf(target.geometry!)!;
    const [cx] = centreOf(target.geometry!);
    const area = polygonArea(target.geometry!);
    roundTrip(project, { type: 'catchment.split', fid: target.id, line: { type: 'LineString', coordinates: [[cx, e.minY - 10], [cx, e.maxY + 10]] } });
    const pieces = catchments(project).filter((c) => c.id === target.id || c.properties.name.startsWith(`${target.properties.name} `));
    expect(pieces.length).toBeGreaterThanOrEqual(2);
    expect(pieces.reduce((sum, c) => sum + polygonArea(c.geometry!), 0)).toBeCloseTo(area, 0);
    roundTrip(project, { type: 'catchment.merge', fids: pieces.map((c) => c.id) });
    expect(polygonArea(geometryOf(project, target.id))).toBeCloseTo(area, 0);
    const facility = project.readFeatures('facilities').features[3]!;
    roundTrip(project, { type: 'catchment.update', fid: target.id, changes: { facility_fid: facility.id, locked: 1, name: 'Uusi nimi' } });
    expect(expectCode(() => project.runCommand({ type: 'catchment.delete', fid: target.id }), 'geometryRejected').params.problem).toBe('locked');
    project.runCommand({ type: 'catchment.update', fid: target.id, changes: { locked: 0 } });
    roundTrip(project, { type: 'catchment.delete', fid: target.id });
    expect(project.readFeature('catchments', target.id)).toBeNull();
    project.close();
  });

  test('units.assign moves units between catchments of the set and records the assignment', () => {
    const project = fresh();
    const list = catchments(project);
    const { fids } = sharedVertex(list);
    const [receiving, donor] = fids as [number, number];
    const donorGeometry = geometryOf(project, donor);
    const units = project.readFeatures('demand_units').features.filter((u) => u.properties.unit_kind === 'small_area' && intersectionArea(u.geometry as MultiPolygonGeometry, donorGeometry) > polygonArea(u.geometry as MultiPolygonGeometry) * 0.99);
    expect(units.length).toBeGreaterThan(0);
    const unit = units[0]!;
    const sumBefore = polygonArea(geometryOf(project, receiving)) + polygonArea(donorGeometry);
    roundTrip(project, { type: 'units.assign', catchmentFid: receiving, unitFids: [unit.id] });
    expect(project.db.prepare('SELECT unit_fid, catchment_fid, service, language FROM catchment_units').all()).toEqual([{ unit_fid: unit.id, catchment_fid: receiving, service: 'grades_1_6', language: 'fi' }]);
    expect(polygonArea(geometryOf(project, receiving)) + polygonArea(geometryOf(project, donor))).toBeCloseTo(sumBefore, 0);
    expect(intersectionArea(geometryOf(project, receiving), geometryOf(project, donor))).toBeLessThan(0.01);
    // A locked donor keeps its units.
    project.undo();
    project.runCommand({ type: 'catchment.update', fid: donor, changes: { locked: 1 } });
    expect(expectCode(() => project.runCommand({ type: 'units.assign', catchmentFid: receiving, unitFids: [unit.id] }), 'geometryRejected').params.problem).toBe('locked');
    project.close();
  });
});
