/**
 * Repair with the user's consent, on copies of the real Helsinki sample: an edit refused because its shape
 * is invalid (bow-tie, sliver part) gets a repaired command from repairOffer; that command is stored as one
 * edit-log entry (one undo step), the stored geometry is valid when the file is reopened, and the refused
 * edit left the file unchanged. Shapes a repair cannot save (a valid shape refused for another reason, an
 * all-sliver shape) get no offer.
 */
import { describe, expect, test } from 'vitest';
import { ProjectFile } from '../../electron/store/project-file';
import type { Command } from '../../shared/domain/commands';
import type { Feature } from '../../shared/domain/project';
import { repairOffer } from '../../shared/editing/repair-offer';
import type { MultiPolygonGeometry, Position } from '../../shared/geo/geometry';
import { polygonArea, polygonProblem, toJsts } from '../../shared/geo/polygon-edit';
import { sampleCopies } from '../fixtures/sample-copies';
import { expectCode, snapshot } from '../fixtures/store-helpers';

const fresh = sampleCopies('verkosto-repair-');

function fullSnapshot(project: ProjectFile): unknown {
  return { ...snapshot(project), log: project.db.prepare('SELECT COUNT(*) AS n FROM verkosto_edit_log').get() };
}

function logEntries(project: ProjectFile): number {
  return (project.db.prepare('SELECT COUNT(*) AS n FROM verkosto_edit_log').get() as { n: number }).n;
}

function catchments(project: ProjectFile): Feature<'catchments'>[] {
  return (project.readFeatures('catchments').features as Feature<'catchments'>[]).filter((c) => c.properties.service === 'grades_1_6' && c.properties.language === 'fi');
}

/** A bow-tie (the ring crosses itself in the middle) of `size` metres centred on a point. */
function bowTie([cx, cy]: Position, size: number): MultiPolygonGeometry {
  const h = size / 2;
  return { type: 'MultiPolygon', coordinates: [[[[cx - h, cy - h], [cx + h, cy + h], [cx + h, cy - h], [cx - h, cy + h], [cx - h, cy - h]]]] };
}

/** A point deep inside the catchment, so a 60 m shape around it stays inside. */
function deepInside(geometry: MultiPolygonGeometry): Position {
  const inner = toJsts(geometry).buffer(-60);
  const point = (inner.isEmpty() ? toJsts(geometry) : inner).getInteriorPoint();
  return [Math.round(point.getX()), Math.round(point.getY())];
}

describe('repair with consent', () => {
  test('a bow-tie drawn into a hole: refused, repaired into two valid lobes as one undoable command', () => {
    const project = fresh();
    const victim = catchments(project).sort((a, b) => polygonArea(b.geometry!) - polygonArea(a.geometry!))[3]!;
    project.runCommand({ type: 'catchment.delete', fid: victim.id });
    const centre = deepInside(victim.geometry!);
    const command = { type: 'catchment.create', geometry: bowTie(centre, 80), attributes: { name: 'Rusetti', service: 'grades_1_6', language: 'fi' }, avoidOverlap: true } as const;

    const before = fullSnapshot(project);
    const error = expectCode(() => project.runCommand(command), 'geometryRejected');
    expect(error.params.problem).toBe('selfIntersection');
    expect(fullSnapshot(project)).toEqual(before); // the refusal stored nothing, not even a log entry

    const offer = repairOffer(command)!;
    expect(offer).not.toBeNull();
    expect(offer.shapes).toHaveLength(1);
    expect(offer.shapes[0]!.problem).toBe('selfIntersection');
    expect(offer.shapes[0]!.name).toBe('Rusetti');
    expect(offer.repaired.type).toBe('catchment.create');
    const repaired = (offer.repaired as typeof command).geometry;
    expect(polygonProblem(repaired)).toBeNull();
    expect(repaired.coordinates).toHaveLength(2); // both lobes kept
    expect(polygonArea(repaired)).toBeCloseTo(2 * (80 * 40) / 2, 3); // two triangles of 80 × 40 m

    const entries = logEntries(project);
    const result = project.runCommand(offer.repaired);
    expect(logEntries(project)).toBe(entries + 1);
    expect(result.touched).toEqual(['catchments']);
    const file = project.path;
    project.close();

    // Reopened: the stored catchment is the valid, repaired shape.
    const reopened = ProjectFile.open(file);
    const stored = catchments(reopened).find((c) => c.properties.name === 'Rusetti')!;
    expect(stored).toBeDefined();
    expect(polygonProblem(stored.geometry!)).toBeNull();
    expect(polygonArea(stored.geometry!)).toBeCloseTo(3200, 3);
    // One undo removes it again: the project is as before the drawing.
    reopened.undo();
    expect(catchments(reopened).some((c) => c.properties.name === 'Rusetti')).toBe(false);
    expect(snapshot(reopened).features).toEqual((before as ReturnType<typeof snapshot>).features);
    reopened.close();
  });

  test('a reshape that leaves a sliver part: the repair drops the sliver and keeps the rest', () => {
    const project = fresh();
    const target = catchments(project)[5]!;
    const [cx, cy] = deepInside(target.geometry!);
    const square: Position[] = [[cx - 50, cy - 50], [cx + 50, cy - 50], [cx + 50, cy + 50], [cx - 50, cy + 50], [cx - 50, cy - 50]];
    const sliver: Position[] = [[cx + 60, cy], [cx + 260, cy], [cx + 260, cy + 0.2], [cx + 60, cy + 0.2], [cx + 60, cy]];
    const geometry: MultiPolygonGeometry = { type: 'MultiPolygon', coordinates: [[square], [sliver]] };
    const command = { type: 'catchment.reshape', fid: target.id, geometry } as const;
    const before = fullSnapshot(project);
    expect(expectCode(() => project.runCommand(command), 'geometryRejected').params.problem).toBe('sliver');
    expect(fullSnapshot(project)).toEqual(before);

    const offer = repairOffer(command, { names: new Map([[target.id, target.properties.name]]) })!;
    expect(offer.shapes[0]).toMatchObject({ name: target.properties.name, problem: 'sliver' });
    project.runCommand(offer.repaired);
    const stored = project.readFeature('catchments', target.id)!.geometry as MultiPolygonGeometry;
    expect(stored.coordinates).toHaveLength(1);
    expect(polygonArea(stored)).toBeCloseTo(10_000, 3);
    project.undo();
    expect(fullSnapshot(project)).toEqual({ ...(before as object), log: { n: 1 } });
    project.close();
  });

  test('reshapeMany: only the invalid shape is replaced; no offer for what a repair cannot save', () => {
    const project = fresh();
    const [a, b] = catchments(project) as [Feature<'catchments'>, Feature<'catchments'>];
    const many: Extract<Command, { type: 'catchment.reshapeMany' }> = { type: 'catchment.reshapeMany', changes: [{ fid: a.id, geometry: a.geometry! }, { fid: b.id, geometry: bowTie(deepInside(b.geometry!), 60) }] };
    const offer = repairOffer(many)!;
    expect(offer.shapes.map((s) => s.name)).toEqual([`#${b.id}`]);
    const changes = (offer.repaired as typeof many).changes;
    expect(changes[0]!.geometry).toBe(a.geometry); // untouched
    expect(polygonProblem(changes[1]!.geometry)).toBeNull();

    // A valid shape (refused for another reason, e.g. a lock) and a shape that is all sliver get no offer.
    expect(repairOffer({ type: 'catchment.reshape', fid: a.id, geometry: a.geometry! })).toBeNull();
    const thin: MultiPolygonGeometry = { type: 'MultiPolygon', coordinates: [[[[0, 0], [300, 0], [300, 0.1], [0, 0.1], [0, 0]]]] };
    expect(repairOffer({ type: 'catchment.reshape', fid: a.id, geometry: thin })).toBeNull();
    expect(repairOffer({ type: 'catchment.delete', fid: a.id })).toBeNull();
    project.close();
  });
});
