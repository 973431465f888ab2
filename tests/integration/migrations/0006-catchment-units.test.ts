import { afterAll, describe, expect, test } from 'vitest';
import { migrate } from '../../../electron/store/project-file';
import { columnNames, contentsRow, fileAtVersion, makeTempDir, schemaVersions, tableNames } from '../../fixtures/store-helpers';

const tmp = makeTempDir('verkosto-mig6-');
afterAll(() => tmp.cleanup());

describe('migration 0006 catchment-units', () => {
  test('adds the unit assignment table, registered as attributes; one assignment per unit and catchment set', async () => {
    const db = await fileAtVersion(tmp.file('v5.gpkg'), 5, 3067);
    const before = db.prepare('SELECT table_name FROM gpkg_contents ORDER BY table_name').all();
    expect(migrate(db, { epsg: 3067 }, 6)).toEqual([6]);
    expect(tableNames(db)).toContain('catchment_units');
    expect(columnNames(db, 'catchment_units')).toEqual(['fid', 'unit_fid', 'catchment_fid', 'service', 'language']);
    expect(contentsRow(db, 'catchment_units')).toMatchObject({ data_type: 'attributes', identifier: 'catchment_units' });
    expect(db.prepare("SELECT table_name FROM gpkg_contents WHERE table_name != 'catchment_units' ORDER BY table_name").all()).toEqual(before);
    expect(schemaVersions(db).slice(-1)).toEqual([6]);
    const insert = db.prepare('INSERT INTO catchment_units (unit_fid, catchment_fid, service, language) VALUES (?, ?, ?, ?)');
    insert.run(1, 10, 'grades_1_6', 'fi');
    insert.run(1, 20, 'grades_1_6', 'sv'); // another set: fine
    expect(() => insert.run(1, 30, 'grades_1_6', 'fi')).toThrow(/UNIQUE/);
    expect(() => insert.run(2, 30, 'grades_1_6', 'de')).toThrow(/CHECK/);
    db.close();
  });
});
