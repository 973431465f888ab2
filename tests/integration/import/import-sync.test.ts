/**
 * Re-sync against the last snapshot: the source file changes (one feature added, one modified, one
 * deleted) while the project has a local edit on another feature and on the modified one. The plan lists
 * exactly 3 changes and 1 conflict, nothing changes before applying, the applied sync is one undoable
 * command and keeps the local edits.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { applySync, importSource, previewSync } from '../../../electron/services/import/import-service';
import { openFileSource } from '../../../electron/services/import/readers/files/open-file-source';
import { syncChangeCount } from '../../../shared/import/types';
import { ProjectFile } from '../../../electron/store/project-file';
import { makeTempDir } from '../../fixtures/store-helpers';
import { newProject, projectBytesHash, SCHOOL_MAPPING, SCHOOLS, sourceConfig, writeSchoolsGeoJson } from './import-helpers';

const temp = makeTempDir('verkosto-sync-');
afterAll(() => temp.cleanup());

function fidOf(project: ReturnType<typeof newProject>, code: string): number {
  return (project.db.prepare('SELECT fid FROM facilities WHERE code = ?').get(code) as { fid: number }).fid;
}

describe('sync', () => {
  it('reports 3 changes and 1 conflict, keeps local edits, and applies as one undoable command', async () => {
    const file = temp.file('schools.geojson');
    const extra = { code: 'S4', name: 'Kallion ala-aste', language: 'suomi', capacity: 300, lon: 24.95, lat: 60.184 };
    writeSchoolsGeoJson(file, [...SCHOOLS, extra]);
    const projectFile = temp.file('sync.gpkg');
    const project = newProject(projectFile);
    const config = sourceConfig('schools', 'geojson', file);
    await importSource(project, openFileSource(file), { sourceLayer: 'default', targetLayer: 'facilities', mapping: SCHOOL_MAPPING, sourceConfig: config });

    // Local edits: S2 (which the source will also change) and S3 (which the source leaves alone).
    project.runCommand({ type: 'facility.update', fid: fidOf(project, 'S2'), changes: { name_fi: 'Åshöjden (paikallinen)' } });
    project.runCommand({ type: 'facility.update', fid: fidOf(project, 'S3'), changes: { floor_area_m2: 5000, name_fi: 'Töölön yhteiskoulu (muokattu)' } });

    // The source: S1 changed (capacity), S2 changed (name), S4 deleted, S5 added.
    writeSchoolsGeoJson(file, [
      { ...SCHOOLS[0]!, capacity: 450 },
      { ...SCHOOLS[1]!, name: 'Åshöjdens grundskola (ny)' },
      SCHOOLS[2]!,
      { code: 'S5', name: 'Uusi koulu', language: 'suomi', capacity: 200, lon: 24.97, lat: 60.2 },
    ]);
    const before = projectBytesHash(projectFile);
    const plan = await previewSync(project, openFileSource(file), { sourceId: 'schools' });
    expect(plan.added.map((e) => e.sourceFeatureId)).toEqual(['S5']);
    expect(plan.changed.map((e) => e.sourceFeatureId)).toEqual(['S1']);
    expect(plan.removed.map((e) => e.sourceFeatureId)).toEqual(['S4']);
    expect(plan.conflicts.map((e) => [e.sourceFeatureId, e.conflict])).toEqual([['S2', 'bothChanged']]);
    expect(plan.conflicts[0]!.differences).toContain('name_fi');
    expect(plan.localEdits).toBe(1);
    // The count: 3 source changes besides the conflict, 1 conflict.
    expect(plan.added.length + plan.changed.length + plan.removed.length).toBe(3);
    expect(syncChangeCount(plan)).toBe(4);
    expect(projectBytesHash(projectFile)).toBe(before);
    project.close();

    // Reopened (the snapshot and edit log live in the file), the sync goes on.
    const project2 = ProjectFile.open(projectFile);
    const plan2 = await previewSync(project2, openFileSource(file), { sourceId: 'schools' });
    const edit = applySync(project2, plan2, {});
    expect(edit.command).toMatchObject({ type: 'import.apply', operation: 'sync', added: 1, changed: 1, removed: 1 });
    const byCode = () => new Map(project2.readFeatures('facilities').features.map((f) => [f.properties.code, f.properties]));
    let rows = byCode();
    expect(rows.has('S4')).toBe(false);
    expect(rows.get('S5')?.name_fi).toBe('Uusi koulu');
    expect(rows.get('S2')?.name_fi).toBe('Åshöjden (paikallinen)');
    expect(rows.get('S3')).toMatchObject({ name_fi: 'Töölön yhteiskoulu (muokattu)', floor_area_m2: 5000 });
    expect(project2.db.prepare("SELECT capacity FROM facility_services WHERE facility_fid = ? AND service = 'grades_1_6'").get(fidOf(project2, 'S1'))).toEqual({ capacity: 450 });

    // A second sync right after finds nothing to do; the kept local edits stay local edits.
    const again = await previewSync(project2, openFileSource(file), { sourceId: 'schools' });
    expect(syncChangeCount(again)).toBe(0);
    expect(again.localEdits).toBe(2);

    // One undo takes the whole sync back.
    project2.undo();
    rows = byCode();
    expect(rows.has('S4')).toBe(true);
    expect(rows.has('S5')).toBe(false);
    expect(project2.db.prepare("SELECT capacity FROM facility_services WHERE facility_fid = ? AND service = 'grades_1_6'").get(fidOf(project2, 'S1'))).toEqual({ capacity: 420 });

    // Taking the source's version of the conflict.
    const plan3 = await previewSync(project2, openFileSource(file), { sourceId: 'schools' });
    applySync(project2, plan3, { S2: 'takeSource' });
    expect(byCode().get('S2')?.name_fi).toBe('Åshöjdens grundskola (ny)');
    // A plan made before a later edit is refused rather than overwriting it.
    project2.undo();
    const stale = await previewSync(project2, openFileSource(file), { sourceId: 'schools' });
    project2.runCommand({ type: 'facility.update', fid: fidOf(project2, 'S1'), changes: { name_fi: 'Muokattu välissä' } });
    expect(() => applySync(project2, stale, {})).toThrow(expect.objectContaining({ code: 'staleSyncPlan' }));
    project2.close();
  });
});
