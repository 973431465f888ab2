// Scenarios on real project files: switching restores exactly, baseline edits made later are never lost,
// undo stays within a scenario, branching copies, locking refuses edits, promote writes into the baseline,
// and everything survives closing and reopening the file.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ProjectFile } from '../../electron/store/project-file';
import type { Command } from '../../shared/domain/commands';
import { buildProject, expectCode, makeTempDir, seededRandom, snapshot } from '../fixtures/store-helpers';

const tmp = makeTempDir('verkosto-scenarios-');
afterAll(() => tmp.cleanup());

let counter = 0;
let project: ProjectFile;
let file: string;
let fids: number[];

beforeEach((context) => {
  file = tmp.file(`s${++counter}.gpkg`);
  const built = buildProject(file, 3067, { facilities: 5 });
  project = built.project;
  fids = built.facilityFids;
  context.onTestFinished(() => {
    if (project.db.open) project.close();
  });
});

const nameOf = (fid: number) => project.readFeature('facilities', fid)!.properties.name_fi;
const rename = (fid: number, name: string): Command => ({ type: 'facility.update', fid, changes: { name_fi: name } });

describe('scenarios', () => {
  it('switching shows each scenario and gives the baseline back exactly', () => {
    const baseline = snapshot(project);
    const closeSchool = project.scenarios.create('Sulje koulu 2', 0);
    project.switchScenario(closeSchool);
    project.runCommand({ type: 'facility.update', fid: fids[1]!, changes: { status: 'closed', closes_year: 2027 } });
    project.runCommand({ type: 'facility.move', fid: fids[2]!, geometry: { type: 'Point', coordinates: [385_900, 6_672_900] } });
    const scenario = snapshot(project);
    expect(scenario).not.toEqual(baseline);

    expect(project.switchScenario(0).sort()).toEqual(['facilities']);
    expect(snapshot(project)).toEqual(baseline);
    project.switchScenario(closeSchool);
    expect(snapshot(project)).toEqual(scenario);
    expect(project.scenarios.list()).toMatchObject([{ fid: closeSchool, name: 'Sulje koulu 2', active: true, changedRows: 2 }]);
  });

  it('keeps a baseline edit made while a scenario changes the same facility', () => {
    const scenario = project.scenarios.create('Uusi nimi', 0);
    project.switchScenario(scenario);
    project.runCommand(rename(fids[0]!, 'Skenaarion nimi'));
    project.switchScenario(0);
    project.runCommand(rename(fids[0]!, 'Perustilan uusi nimi'));
    project.runCommand(rename(fids[3]!, 'Muu muutos'));
    project.switchScenario(scenario);
    expect(nameOf(fids[0]!)).toBe('Skenaarion nimi'); // the scenario's own row wins while it is shown
    expect(nameOf(fids[3]!)).toBe('Muu muutos'); // a row it does not change follows the baseline
    project.switchScenario(0);
    expect(nameOf(fids[0]!)).toBe('Perustilan uusi nimi'); // and the later baseline edit is not lost
  });

  it('undo and redo stay within the active scenario', () => {
    project.runCommand(rename(fids[0]!, 'Perustila 1'));
    const scenario = project.scenarios.create('A', 0);
    project.switchScenario(scenario);
    expect(project.historyState()).toEqual({ canUndo: false, canRedo: false });
    project.runCommand(rename(fids[1]!, 'A 1'));
    project.undo();
    expect(nameOf(fids[1]!)).not.toBe('A 1');
    expect(nameOf(fids[0]!)).toBe('Perustila 1');
    expectCode(() => project.undo(), 'nothingToUndo');
    project.redo();
    expect(nameOf(fids[1]!)).toBe('A 1');
    project.switchScenario(0);
    expect(project.historyState()).toEqual({ canUndo: true, canRedo: false });
    project.undo();
    expect(nameOf(fids[0]!)).not.toBe('Perustila 1');
  });

  it('an edit undone back to the baseline value is no longer a change of the scenario', () => {
    const scenario = project.scenarios.create('A', 0);
    project.switchScenario(scenario);
    project.runCommand(rename(fids[1]!, 'A 1'));
    expect(project.scenarios.changes(scenario)).toMatchObject([{ table: 'facilities', key: String(fids[1]), kind: 'changed', name: 'A 1', columns: ['name_fi'] }]);
    project.undo();
    expect(project.scenarios.changes(scenario)).toEqual([]);
    expect(project.scenarios.list()[0]!.changedRows).toBe(0);
  });

  it('a branch starts from its parent and lists only its own changes against it', () => {
    const parent = project.scenarios.create('A', 0);
    project.switchScenario(parent);
    project.runCommand(rename(fids[1]!, 'A 1'));
    const child = project.scenarios.create('A + B', parent);
    project.switchScenario(child);
    expect(nameOf(fids[1]!)).toBe('A 1');
    expect(project.scenarios.changes(child)).toEqual([]);
    project.runCommand({ type: 'facility.update', fid: fids[4]!, changes: { status: 'planned', opens_year: 2029 } });
    expect(project.scenarios.changes(child)).toMatchObject([{ key: String(fids[4]), kind: 'changed', columns: ['status', 'opens_year'] }]);
    const copy = project.scenarios.duplicate(child, 'A + B (kopio)');
    project.switchScenario(copy);
    expect(project.readFeature('facilities', fids[4]!)!.properties).toMatchObject({ status: 'planned', opens_year: 2029 });
    expect(nameOf(fids[1]!)).toBe('A 1');
  });

  it('a locked scenario refuses edits, undo and redo', () => {
    const scenario = project.scenarios.create('Lukittu', 0);
    project.switchScenario(scenario);
    project.runCommand(rename(fids[1]!, 'Ennen lukitusta'));
    project.scenarios.setLocked(scenario, true);
    expectCode(() => project.runCommand(rename(fids[1]!, 'Ei käy')), 'commandRejected');
    expectCode(() => project.undo(), 'commandRejected');
    expect(nameOf(fids[1]!)).toBe('Ennen lukitusta');
  });

  it('promoting writes a scenario into the baseline', () => {
    const scenario = project.scenarios.create('Hyväksytty', 0);
    project.switchScenario(scenario);
    project.runCommand(rename(fids[2]!, 'Hyväksytty nimi'));
    const promoted = project.transaction(() => project.scenarios.promote(scenario));
    expect(promoted).toEqual([]);
    expect(project.scenarios.activeFid()).toBe(0);
    expect(nameOf(fids[2]!)).toBe('Hyväksytty nimi');
    expect(project.scenarios.list()[0]!.changedRows).toBe(0);
    project.switchScenario(scenario);
    expect(nameOf(fids[2]!)).toBe('Hyväksytty nimi');
  });

  it('deleting the active scenario returns to the baseline', () => {
    const baseline = snapshot(project);
    const scenario = project.scenarios.create('Poistuva', 0);
    project.switchScenario(scenario);
    project.runCommand({ type: 'facility.move', fid: fids[0]!, geometry: { type: 'Point', coordinates: [390_000, 6_680_000] } });
    project.transaction(() => project.scenarios.delete(scenario));
    expect(project.scenarios.list()).toEqual([]);
    expect(snapshot(project)).toEqual(baseline);
  });

  it('the active scenario and its history survive closing and reopening the file', () => {
    const scenario = project.scenarios.create('Pysyvä', 0);
    project.switchScenario(scenario);
    project.runCommand(rename(fids[1]!, 'Tallessa'));
    project.close();
    project = ProjectFile.open(file);
    expect(project.scenarios.activeFid()).toBe(scenario);
    expect(nameOf(fids[1]!)).toBe('Tallessa');
    expect(project.historyState().canUndo).toBe(true);
    project.switchScenario(0);
    expect(nameOf(fids[1]!)).not.toBe('Tallessa');
  });

  it('200 random edits across random switches: the baseline comes back exactly, scenarios show baseline + their rows', () => {
    const random = seededRandom(42);
    const pick = <T,>(items: T[]) => items[Math.floor(random() * items.length)]!;
    const scenarios = [0, project.scenarios.create('S1', 0), project.scenarios.create('S2', 0)];
    let lastBaseline = snapshot(project);
    for (let step = 0; step < 200; step++) {
      const roll = random();
      if (roll < 0.25) {
        project.switchScenario(pick(scenarios));
      } else if (roll < 0.35 && project.historyState().canUndo) {
        project.undo();
      } else {
        const fid = pick(fids);
        project.runCommand(
          random() < 0.5
            ? rename(fid, `nimi ${step}`)
            : { type: 'facility.move', fid, geometry: { type: 'Point', coordinates: [380_000 + Math.round(random() * 9_000), 6_670_000 + Math.round(random() * 9_000)] } },
        );
      }
      if (project.scenarios.activeFid() === 0) lastBaseline = snapshot(project);
    }
    // The baseline changes only while it is shown, so it must come back exactly as last seen.
    project.switchScenario(0);
    expect(snapshot(project)).toEqual(lastBaseline);
    for (const fid of scenarios.slice(1)) {
      project.switchScenario(fid);
      const shown = snapshot(project);
      // Every row a scenario keeps is what the map shows; every other facility is the baseline's.
      const own = new Map(
        (project.db.prepare("SELECT row_key, row_json FROM scenario_rows WHERE scenario_fid = ? AND table_name = 'facilities'").all(fid) as { row_key: string; row_json: string }[]).map(
          (row) => [Number(row.row_key), JSON.parse(row.row_json) as { name_fi: string }],
        ),
      );
      for (const feature of shown.features.facilities) {
        const expected = own.get(feature.id)?.name_fi ?? lastBaseline.features.facilities.find((base) => base.id === feature.id)!.properties.name_fi;
        expect(feature.properties.name_fi, `scenario ${fid} facility ${feature.id}`).toBe(expected);
      }
      project.switchScenario(0);
      project.switchScenario(fid);
      expect(snapshot(project)).toEqual(shown);
    }
    expect(project.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('keeps the demand model settings per scenario and the display settings project-wide', () => {
    const transport = 'analysis.grades_1_6.freeTransportKm';
    const band = 'analysis.band.redFrom';
    project.runCommand({ type: 'setting.set', key: transport, value: 5 });
    const shorter = project.scenarios.create('Kuljetusraja 3 km', 0);
    project.switchScenario(shorter);
    project.runCommand({ type: 'setting.set', key: transport, value: 3 });
    project.runCommand({ type: 'setting.set', key: band, value: 1.2 });
    project.runCommand({ type: 'setting.set', key: 'analysis.daycare_1_2.participation', value: 0.4 });
    expect(project.settings()[transport]).toBe(3);

    project.switchScenario(0);
    expect(project.settings()[transport]).toBe(5);
    expect(project.settings()['analysis.daycare_1_2.participation']).toBeUndefined(); // the default again
    expect(project.settings()[band]).toBe(1.2); // how results are coloured is the project's, not the scenario's
    // The comparison reads a scenario's settings without switching to it.
    expect(project.peekScenario(shorter, () => project.settings()[transport])).toBe(3);
    expect(project.settings()[transport]).toBe(5);

    project.switchScenario(shorter);
    const settingChanges = project.scenarios.changes(shorter).filter((change) => change.table === 'verkosto_settings');
    expect(settingChanges).toEqual([
      { table: 'verkosto_settings', key: 'analysis.daycare_1_2.participation', kind: 'changed', name: 'analysis.daycare_1_2.participation', columns: [], setting: { before: null, after: 0.4 } },
      { table: 'verkosto_settings', key: transport, kind: 'changed', name: transport, columns: [], setting: { before: 5, after: 3 } },
    ]);

    // Undo within the scenario takes the participation change back out of it; the rest survives a reopen.
    project.undo();
    project.close();
    project = ProjectFile.open(file);
    expect(project.scenarios.activeFid()).toBe(shorter);
    expect(project.settings()[transport]).toBe(3);
    expect(project.settings()['analysis.daycare_1_2.participation']).toBeUndefined();
    project.switchScenario(0);
    expect(project.settings()[transport]).toBe(5);
    expect(project.scenarios.changes(shorter).map((change) => change.key)).toEqual([transport]);
  });

  it('a locked scenario refuses a setting change too', () => {
    const locked = project.scenarios.create('Lukittu', 0);
    project.switchScenario(locked);
    project.scenarios.setLocked(locked, true);
    expectCode(() => project.runCommand({ type: 'setting.set', key: 'analysis.grades_7_9.freeTransportKm', value: 4 }), 'commandRejected');
    expect(project.settings()['analysis.grades_7_9.freeTransportKm']).toBeUndefined();
  });
});
