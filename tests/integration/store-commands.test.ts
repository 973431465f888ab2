/**
 * Commands, undo and redo on real project files: every command type round-trips exactly, the history
 * behaves like an editor's, survives closing the file, and a long random session undoes to the start.
 */
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import type { Command } from '../../shared/domain/commands';
import { FACILITY_KINDS, FACILITY_STATUSES, LANGUAGES } from '../../shared/domain/project';
import type { FacilityAttributes } from '../../shared/domain/project';
import { ProjectFile } from '../../electron/store/project-file';
import { buildProject, expectCode, makeTempDir, origin, seededRandom, snapshot } from '../fixtures/store-helpers';

const tmp = makeTempDir('verkosto-commands-');
afterAll(() => tmp.cleanup());

let counter = 0;
let project: ProjectFile;
let fids: number[];

beforeEach((context) => {
  const built = buildProject(tmp.file(`p${++counter}.gpkg`), 3067, { facilities: 6 });
  project = built.project;
  fids = built.facilityFids;
  context.onTestFinished(() => project.close());
});


function logCount(p: ProjectFile): { active: number; undone: number } {
  return p.db.prepare('SELECT COUNT(*) FILTER (WHERE undone = 0) AS active, COUNT(*) FILTER (WHERE undone = 1) AS undone FROM verkosto_edit_log').get() as { active: number; undone: number };
}

function extent(p: ProjectFile, table: string): unknown {
  return p.db.prepare('SELECT min_x, max_x, min_y, max_y FROM gpkg_contents WHERE table_name = ?').get(table);
}

describe('each command applies, undoes to the exact previous state and redoes', () => {
  test('facility.update', () => {
    const fid = fids[2]!;
    const before = project.readFeature('facilities', fid);
    const others = project.readFeatures('facilities').features.filter((f) => f.id !== fid);
    const changes: Partial<FacilityAttributes> = { name_fi: 'Uusi nimi', name_sv: null, condition: 2, floor_area_m2: 2500.25, status: 'closing', closes_year: 2027 };

    const result = project.runCommand({ type: 'facility.update', fid, changes });
    expect(result).toMatchObject({ touched: ['facilities'], canUndo: true, canRedo: false });
    const applied = project.readFeature('facilities', fid);
    expect(applied).toEqual({ ...before, properties: { ...before!.properties, ...changes } });

    const undone = project.undo();
    expect(undone).toMatchObject({ seq: result.seq, canUndo: false, canRedo: true });
    expect(project.readFeature('facilities', fid)).toEqual(before);
    expect(project.readFeatures('facilities').features.filter((f) => f.id !== fid)).toEqual(others);

    const redone = project.redo();
    expect(redone).toMatchObject({ seq: result.seq, canUndo: true, canRedo: false });
    expect(project.readFeature('facilities', fid)).toEqual(applied);
  });

  test('facility.move, with the layer extent in gpkg_contents following', () => {
    const fid = fids[0]!;
    const before = project.readFeature('facilities', fid);
    const extentBefore = extent(project, 'facilities');
    const [x, y] = origin(3067);
    const target = { type: 'Point' as const, coordinates: [x - 20_000, y + 15_000] as [number, number] };

    project.runCommand({ type: 'facility.move', fid, geometry: target });
    const applied = project.readFeature('facilities', fid);
    expect(applied).toEqual({ ...before, geometry: target });
    expect(extent(project, 'facilities')).toMatchObject({ min_x: x - 20_000, max_y: y + 15_000 });
    expect(project.db.prepare('SELECT minx, miny FROM rtree_facilities_geom WHERE id = ?').get(fid)).toEqual({ minx: x - 20_000, miny: y + 15_000 });

    project.undo();
    expect(project.readFeature('facilities', fid)).toEqual(before);
    expect(extent(project, 'facilities')).toEqual(extentBefore);

    project.redo();
    expect(project.readFeature('facilities', fid)).toEqual(applied);
  });

  test('facility.move of a facility that had no geometry, and its undo back to none', () => {
    const [fid] = project.insertFeatures('facilities', [{ geometry: null, properties: { name_fi: 'Paikaton' } }]);
    const before = project.readFeature('facilities', fid!);
    expect(before?.geometry).toBeNull();
    expect(before?.properties).toMatchObject({ facility_kind: 'school', status: 'active', language: 'fi', illustrative: 0 });
    project.runCommand({ type: 'facility.move', fid: fid!, geometry: { type: 'Point', coordinates: [390_000, 6_680_000] } });
    expect(project.readFeature('facilities', fid!)?.geometry).toEqual({ type: 'Point', coordinates: [390_000, 6_680_000] });
    project.undo();
    expect(project.readFeature('facilities', fid!)).toEqual(before);
    expect(project.db.prepare('SELECT COUNT(*) AS n FROM rtree_facilities_geom WHERE id = ?').get(fid)).toEqual({ n: 0 });
  });

  test('setting.set on an existing key and on a new key (undo removes it again)', () => {
    const before = project.settings();
    expect(before['project.name']).toBe('Testikaupunki');

    project.runCommand({ type: 'setting.set', key: 'project.name', value: 'Uusi nimi' });
    project.runCommand({ type: 'setting.set', key: 'map.basemap', value: 'taustakartta' });
    project.runCommand({ type: 'setting.set', key: 'plan.year', value: 2030 });
    project.runCommand({ type: 'setting.set', key: 'plan.draft', value: true });
    project.runCommand({ type: 'setting.set', key: 'plan.note', value: null });
    const applied = project.settings();
    expect(applied).toEqual({ ...before, 'project.name': 'Uusi nimi', 'map.basemap': 'taustakartta', 'plan.year': 2030, 'plan.draft': true, 'plan.note': null });

    project.undo(); // plan.note null → absent, not null
    expect('plan.note' in project.settings()).toBe(false);
    for (let i = 0; i < 4; i++) project.undo();
    expect(project.settings()).toEqual(before);
    for (let i = 0; i < 5; i++) project.redo();
    expect(project.settings()).toEqual(applied);
  });
});

describe('errors and history rules', () => {
  test('an unknown fid → unknownFeature, and nothing is logged', () => {
    const error = expectCode(() => project.runCommand({ type: 'facility.update', fid: 9999, changes: { name_fi: 'X' } }), 'unknownFeature');
    expect(error.params).toMatchObject({ layer: 'facilities', fid: 9999 });
    expectCode(() => project.runCommand({ type: 'facility.move', fid: 9999, geometry: { type: 'Point', coordinates: [1, 2] } }), 'unknownFeature');
    expect(logCount(project)).toEqual({ active: 0, undone: 0 });
  });

  test('undo with nothing to undo → nothingToUndo; redo with nothing to redo → nothingToRedo', () => {
    expect(project.historyState()).toEqual({ canUndo: false, canRedo: false });
    expectCode(() => project.undo(), 'nothingToUndo');
    expectCode(() => project.redo(), 'nothingToRedo');
    project.runCommand({ type: 'setting.set', key: 'a.b', value: 1 });
    expectCode(() => project.redo(), 'nothingToRedo');
    project.undo();
    expectCode(() => project.undo(), 'nothingToUndo');
  });

  test('a command with no changes → commandRejected', () => {
    expectCode(() => project.runCommand({ type: 'facility.update', fid: fids[0]!, changes: {} }), 'commandRejected');
    expectCode(() => project.runCommand({ type: 'facility.update', fid: fids[0]!, changes: { name_fi: undefined } }), 'commandRejected');
  });

  test('values the schema refuses → commandRejected, the row and the log unchanged', () => {
    const fid = fids[1]!;
    const before = project.readFeature('facilities', fid);
    const bad: Command[] = [
      { type: 'facility.update', fid, changes: { condition: 7 } },
      { type: 'facility.update', fid, changes: { facility_kind: 'museum' as FacilityAttributes['facility_kind'] } },
      { type: 'facility.update', fid, changes: { name_fi: null as unknown as string } },
      { type: 'facility.update', fid, changes: { floor_area_m2: Number.NaN } },
      // Not attribute columns: writing these would corrupt the key or put a raw blob in the undo log.
      { type: 'facility.update', fid, changes: { geom: { type: 'Point', coordinates: [0, 0] } } as unknown as Partial<FacilityAttributes> },
      { type: 'facility.update', fid, changes: { fid: 1234 } as unknown as Partial<FacilityAttributes> },
      { type: 'facility.move', fid, geometry: { type: 'Point', coordinates: [Number.POSITIVE_INFINITY, 1] } },
      { type: 'facility.move', fid, geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } as unknown as Extract<Command, { type: 'facility.move' }>['geometry'] },
      // The CRS of the stored coordinates is not a preference.
      { type: 'setting.set', key: 'project.epsg', value: 4326 },
    ];
    for (const command of bad) expectCode(() => project.runCommand(command), 'commandRejected');
    expect(project.readFeature('facilities', fid)).toEqual(before);
    expect(project.settings()['project.epsg']).toBe(3067);
    expect(logCount(project)).toEqual({ active: 0, undone: 0 });
  });

  test('a new command after undo discards the redo branch', () => {
    const fid = fids[0]!;
    project.runCommand({ type: 'facility.update', fid, changes: { name_fi: 'A' } });
    project.runCommand({ type: 'facility.update', fid, changes: { name_fi: 'B' } });
    project.runCommand({ type: 'facility.update', fid, changes: { name_fi: 'C' } });
    project.undo();
    project.undo();
    expect(project.readFeature('facilities', fid)?.properties.name_fi).toBe('A');
    expect(logCount(project)).toEqual({ active: 1, undone: 2 });

    const result = project.runCommand({ type: 'facility.update', fid, changes: { name_fi: 'D' } });
    expect(result).toMatchObject({ canUndo: true, canRedo: false });
    expect(logCount(project)).toEqual({ active: 2, undone: 0 });
    expectCode(() => project.redo(), 'nothingToRedo');
    project.undo();
    expect(project.readFeature('facilities', fid)?.properties.name_fi).toBe('A');
    project.undo();
    expect(project.readFeature('facilities', fid)?.properties.name_fi).toBe('Koulu 1');
  });

  test('undo and redo survive closing and reopening the file', () => {
    const file = project.path;
    const fid = fids[3]!;
    const initial = snapshot(project);
    project.runCommand({ type: 'facility.update', fid, changes: { name_fi: 'Ennen sulkemista', condition: 5 } });
    project.runCommand({ type: 'facility.move', fid, geometry: { type: 'Point', coordinates: [386_000, 6_673_000] } });
    project.runCommand({ type: 'setting.set', key: 'plan.year', value: 2029 });
    const applied = snapshot(project);
    project.undo(); // one undone entry is carried over as well
    const partly = snapshot(project);
    project.close();

    project = ProjectFile.open(file);
    expect(snapshot(project)).toEqual(partly);
    expect(project.historyState()).toEqual({ canUndo: true, canRedo: true });
    project.redo();
    expect(snapshot(project)).toEqual(applied);
    project.close();

    project = ProjectFile.open(file);
    project.undo();
    project.undo();
    project.undo();
    expect(snapshot(project)).toEqual(initial);
    expectCode(() => project.undo(), 'nothingToUndo');
    project.close();

    project = ProjectFile.open(file);
    expect(project.historyState()).toEqual({ canUndo: false, canRedo: true });
    project.redo();
    project.redo();
    project.redo();
    expect(snapshot(project)).toEqual(applied);
  });
});

describe('a random session', () => {
  const STRINGS = ['Aurinkolahti', 'Åshöjden', 'Kallio', 'Östersundom', '', 'Kumpula "B"', "O'Neill", 'Ääkköset 🙂'];

  function randomCommand(random: () => number, fidList: number[], settingKeys: string[]): Command {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const fid = pick(fidList);
    const kind = random();
    if (kind < 0.5) {
      const changes: Partial<FacilityAttributes> = {};
      const generators: Record<string, () => unknown> = {
        code: () => (random() < 0.2 ? null : `K-${Math.floor(random() * 1000)}`),
        name_fi: () => pick(STRINGS.filter(Boolean)),
        name_sv: () => (random() < 0.3 ? null : pick(STRINGS)),
        facility_kind: () => pick(FACILITY_KINDS),
        language: () => pick(LANGUAGES),
        status: () => pick(FACILITY_STATUSES),
        opens_year: () => (random() < 0.5 ? null : 2000 + Math.floor(random() * 40)),
        address: () => (random() < 0.2 ? null : pick(STRINGS)),
        floor_area_m2: () => (random() < 0.2 ? null : Math.round(random() * 1e6) / 100),
        year_built: () => 1900 + Math.floor(random() * 125),
        condition: () => (random() < 0.2 ? null : 1 + Math.floor(random() * 5)),
        operating_cost_eur: () => Math.round(random() * 1e8) / 100,
        illustrative: () => (random() < 0.5 ? 0 : 1),
      };
      const columns = Object.keys(generators);
      const howMany = 1 + Math.floor(random() * 4);
      for (let i = 0; i < howMany; i++) {
        const column = pick(columns);
        (changes as Record<string, unknown>)[column] = generators[column]!();
      }
      return { type: 'facility.update', fid, changes };
    }
    if (kind < 0.8) {
      const [x, y] = origin(3067);
      return { type: 'facility.move', fid, geometry: { type: 'Point', coordinates: [x + (random() - 0.5) * 50_000, y + (random() - 0.5) * 50_000] } };
    }
    const key = random() < 0.3 ? `plan.k${Math.floor(random() * 1000)}` : pick(settingKeys);
    settingKeys.push(key);
    const valueKind = random();
    const value = valueKind < 0.3 ? pick(STRINGS) : valueKind < 0.6 ? Math.round(random() * 1e4) / 10 : valueKind < 0.8 ? random() < 0.5 : null;
    return { type: 'setting.set', key, value };
  }

  test('200 seeded random commands: undo all → initial snapshot, redo all → final snapshot', () => {
    const random = seededRandom(20_240_917);
    const settingKeys = ['project.name', 'plan.year'];
    const contents = () => project.db.prepare("SELECT table_name, min_x, max_x, min_y, max_y FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name").all();
    const rtree = () => project.db.prepare('SELECT * FROM rtree_facilities_geom ORDER BY id').all();
    const initial = { ...snapshot(project), contents: contents(), rtree: rtree() };

    let applied = 0;
    for (let i = 0; i < 200; i++) {
      // Now and then undo a few first: the command that follows throws the redo branch away.
      if (random() < 0.1) {
        const back = 1 + Math.floor(random() * 3);
        for (let j = 0; j < back && applied > 0; j++, applied--) project.undo();
      }
      project.runCommand(randomCommand(random, fids, settingKeys));
      applied++;
    }
    const final = { ...snapshot(project), contents: contents(), rtree: rtree() };
    expect(final).not.toEqual(initial);
    expect(logCount(project)).toEqual({ active: applied, undone: 0 });

    for (let i = 0; i < applied; i++) project.undo();
    expectCode(() => project.undo(), 'nothingToUndo');
    expect({ ...snapshot(project), contents: contents(), rtree: rtree() }).toEqual(initial);

    for (let i = 0; i < applied; i++) project.redo();
    expectCode(() => project.redo(), 'nothingToRedo');
    expect({ ...snapshot(project), contents: contents(), rtree: rtree() }).toEqual(final);
  });
});
