import { afterAll, describe, expect, test } from 'vitest';
import { migrate } from '../../../electron/store/project-file';
import { columnNames, fileAtVersion, makeTempDir, schemaVersions } from '../../fixtures/store-helpers';

const tmp = makeTempDir('verkosto-mig10-');
afterAll(() => tmp.cleanup());

describe('migration 0010 capacity-changes', () => {
  test('adds a capacity change from a given year to facility services; existing capacities are untouched', async () => {
    const db = await fileAtVersion(tmp.file('v9.gpkg'), 9, 3067);
    db.prepare("INSERT INTO facility_services (facility_fid, service, capacity, enrolment) VALUES (1, 'grades_1_6', 300, 280)").run();
    expect(migrate(db, { epsg: 3067 }, 10)).toEqual([10]);
    expect(columnNames(db, 'facility_services').slice(-2)).toEqual(['capacity_change_year', 'capacity_after_change']);
    expect(db.prepare('SELECT capacity, enrolment, capacity_change_year, capacity_after_change FROM facility_services').get()).toEqual({ capacity: 300, enrolment: 280, capacity_change_year: null, capacity_after_change: null });
    db.prepare('UPDATE facility_services SET capacity_change_year = 2028, capacity_after_change = 450').run();
    expect(() => db.prepare('UPDATE facility_services SET capacity_after_change = -1').run()).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE facility_services SET capacity_change_year = 28').run()).toThrow(/CHECK/);
    expect(schemaVersions(db).slice(-1)).toEqual([10]);
    db.close();
  });
});
