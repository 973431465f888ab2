import { afterAll, describe, expect, test } from 'vitest';
import { migrate, ProjectFile } from '../../../electron/store/project-file';
import { columnNames, contentsRow, fileAtVersion, makeTempDir, schemaVersions, sha256, tableNames } from '../../fixtures/store-helpers';

const tmp = makeTempDir('verkosto-mig7-');
afterAll(() => tmp.cleanup());

describe('migration 0007 scenarios', () => {
  test('adds the scenario tables and tags the existing edit log as baseline history', async () => {
    const db = await fileAtVersion(tmp.file('v6.gpkg'), 6);
    db.prepare('INSERT INTO verkosto_edit_log (command, patch, inverse, touched, created_at) VALUES (?, ?, ?, ?, ?)').run('{"type":"setting.set"}', '[]', '[]', '[]', '2026-01-01');
    expect(migrate(db, { epsg: 3067 }, 7)).toEqual([7]);
    expect(tableNames(db)).toEqual(expect.arrayContaining(['scenarios', 'scenario_rows', 'scenario_stash']));
    expect(columnNames(db, 'scenario_rows')).toEqual(['fid', 'scenario_fid', 'table_name', 'row_key', 'row_json']);
    expect(columnNames(db, 'verkosto_edit_log')).toContain('scenario_fid');
    expect(db.prepare('SELECT scenario_fid, command FROM verkosto_edit_log').all()).toEqual([{ scenario_fid: 0, command: '{"type":"setting.set"}' }]);
    for (const table of ['scenarios', 'scenario_rows', 'scenario_stash']) expect(contentsRow(db, table)).toMatchObject({ data_type: 'attributes' });
    expect(schemaVersions(db)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    db.close();
  });

  test('a failing upgrade leaves a version-6 file byte-identical', async () => {
    const file = tmp.file('conflict.gpkg');
    const db = await fileAtVersion(file, 6);
    db.exec('CREATE TABLE scenarios (x INTEGER)');
    db.close();
    const before = sha256(file);
    expect(() => ProjectFile.open(file)).toThrow();
    expect(sha256(file)).toBe(before);
  });
});
