/**
 * Importing a table that updates EXISTING features matched on their code (a city's capacity spreadsheet
 * has codes and numbers, no coordinates): values change in place as one undoable command, fallbacks never
 * overwrite what the features had, and a re-sync updates them again and detaches — never deletes — a
 * feature that leaves the table.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { applySync, importSource, previewSync } from '../../../electron/services/import/import-service';
import { openFileSource } from '../../../electron/services/import/readers/files/open-file-source';
import type { FieldMapping } from '../../../shared/import/types';
import { makeTempDir } from '../../fixtures/store-helpers';
import { newProject, SCHOOL_MAPPING, sourceConfig, writeSchoolsGeoJson } from './import-helpers';

const temp = makeTempDir('verkosto-match-');
afterAll(() => temp.cleanup());

const CAPACITY_MAPPING: FieldMapping = { name: 'kapasiteetit', targetLayer: 'facilities', fields: { code: { source: 'koodi' }, 'service:grades_1_6:capacity': { source: 'paikat' }, floor_area_m2: { source: 'ala' } } };

describe('matching existing features', () => {
  it('updates capacities of existing schools by code, undoably, and syncs without deleting', async () => {
    const project = newProject(temp.file('match.gpkg'));
    const schools = temp.file('schools.geojson');
    writeSchoolsGeoJson(schools);
    await importSource(project, openFileSource(schools), { sourceLayer: 'default', targetLayer: 'facilities', mapping: SCHOOL_MAPPING, sourceConfig: sourceConfig('koulut', 'geojson', schools) });
    const fidOf = (code: string) => (project.db.prepare('SELECT fid FROM facilities WHERE code = ?').get(code) as { fid: number }).fid;
    // A school edited in the project to be a daycare: the capacity import must not reset it to the default.
    project.runCommand({ type: 'facility.update', fid: fidOf('S2'), changes: { facility_kind: 'daycare' } });
    const before = project.readFeatures('facilities').features.map((f) => [f.properties.code, f.geometry]);
    const capacity = (code: string) => (project.db.prepare("SELECT capacity FROM facility_services WHERE facility_fid = ? AND service = 'grades_1_6'").get(fidOf(code)) as { capacity: number }).capacity;

    const table = temp.file('kapasiteetit.csv');
    writeFileSync(table, 'koodi;paikat;ala\nS1;500;4200,5\nS2;390;\nS3;515;3000\n');
    const result = await importSource(project, openFileSource(table), { sourceLayer: 'default', targetLayer: 'facilities', mapping: CAPACITY_MAPPING, matchOn: 'code', sourceConfig: sourceConfig('kapasiteetit', 'csv', table) });
    expect(result.imported).toBe(3);
    expect(project.readFeatures('facilities').features).toHaveLength(3);
    expect([capacity('S1'), capacity('S2'), capacity('S3')]).toEqual([500, 390, 515]);
    expect(project.db.prepare("SELECT floor_area_m2, facility_kind FROM facilities WHERE code = 'S1'").get()).toEqual({ floor_area_m2: 4200.5, facility_kind: 'school' });
    expect(project.db.prepare("SELECT facility_kind FROM facilities WHERE code = 'S2'").get()).toEqual({ facility_kind: 'daycare' });
    expect(project.readFeatures('facilities').features.map((f) => [f.properties.code, f.geometry])).toEqual(before);

    project.undo();
    expect([capacity('S1'), capacity('S2'), capacity('S3')]).toEqual([420, 380, 510]);
    project.redo();
    expect(capacity('S1')).toBe(500);

    // Nothing changed: a sync finds nothing (the hash of a matched feature leaves its location out).
    expect((await previewSync(project, openFileSource(table), { sourceId: 'kapasiteetit' })).changed).toEqual([]);

    writeFileSync(table, 'koodi;paikat;ala\nS1;550;4200,5\nS2;390;\n');
    const plan = await previewSync(project, openFileSource(table), { sourceId: 'kapasiteetit' });
    expect([plan.added.length, plan.changed.length, plan.removed.length, plan.conflicts.length]).toEqual([0, 1, 1, 0]);
    applySync(project, plan, {});
    expect(capacity('S1')).toBe(550);
    expect(project.readFeatures('facilities').features).toHaveLength(3);
    expect(project.db.prepare("SELECT COUNT(*) AS n FROM import_snapshots WHERE source_id = 'kapasiteetit'").get()).toEqual({ n: 2 });

    // A code the project does not have, without coordinates, cannot be placed: a clear refusal.
    writeFileSync(temp.file('uusi.csv'), 'koodi;paikat;ala\nS9;100;\n');
    await expect(importSource(project, openFileSource(temp.file('uusi.csv')), { sourceLayer: 'default', targetLayer: 'facilities', mapping: CAPACITY_MAPPING, matchOn: 'code', sourceConfig: sourceConfig('uusi', 'csv', temp.file('uusi.csv')) })).rejects.toMatchObject({ code: 'importNoGeometry' });
    project.close();
  });
});
