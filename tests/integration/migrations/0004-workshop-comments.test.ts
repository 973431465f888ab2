import { afterAll, describe, expect, test } from 'vitest';
import { migrate, ProjectFile } from '../../../electron/store/project-file';
import { encodeGeoPackageGeometry } from '../../../shared/geo/gpkg-geometry';
import { columnNames, contentsRow, fileAtVersion, makeTempDir, schemaVersions, sha256, tableNames } from '../../fixtures/store-helpers';

const tmp = makeTempDir('verkosto-mig4-');
afterAll(() => tmp.cleanup());

describe('migration 0004 workshop-comments', () => {
  test('adds the comments point layer with its R-tree, registered as features; old rows are intact', async () => {
    const db = await fileAtVersion(tmp.file('v3.gpkg'), 3, 3879);
    db.prepare('INSERT INTO facilities (geom, name_fi) VALUES (?, ?)').run(encodeGeoPackageGeometry({ type: 'Point', coordinates: [25_496_000, 6_672_000] }, 3879), 'Koulu');
    db.prepare('INSERT INTO verkosto_edit_log (command, patch, inverse, touched, created_at) VALUES (?, ?, ?, ?, ?)').run('{}', '[]', '[]', '[]', '2026-01-01');
    const facilities = db.prepare('SELECT * FROM facilities').all();
    const log = db.prepare('SELECT * FROM verkosto_edit_log').all();

    expect(migrate(db, { epsg: 3879 }, 4)).toEqual([4]);

    expect(tableNames(db)).toEqual(expect.arrayContaining(['comments', 'rtree_comments_geom']));
    expect(columnNames(db, 'comments')).toEqual(['fid', 'geom', 'text', 'author', 'created_at', 'scenario', 'hidden']);
    expect(contentsRow(db, 'comments')).toMatchObject({ data_type: 'features', srs_id: 3879 });
    expect(db.prepare("SELECT geometry_type_name, srs_id FROM gpkg_geometry_columns WHERE table_name = 'comments'").get()).toEqual({ geometry_type_name: 'POINT', srs_id: 3879 });
    expect(schemaVersions(db)).toEqual([1, 2, 3, 4]);
    expect(db.prepare('SELECT * FROM facilities').all()).toEqual(facilities);
    expect(db.prepare('SELECT * FROM verkosto_edit_log').all()).toEqual(log);
    db.close();
  });

  test('a failing upgrade leaves a version-3 file byte-identical', async () => {
    const file = tmp.file('conflict.gpkg');
    const db = await fileAtVersion(file, 3);
    db.exec('CREATE TABLE comments (x INTEGER)'); // a user's own table in the way
    db.close();
    const before = sha256(file);
    expect(() => ProjectFile.open(file)).toThrow();
    expect(sha256(file)).toBe(before);
  });

  test('comments written by commands are read back, hidden ones only for the facilitator', async () => {
    const project = ProjectFile.create(tmp.file('new.gpkg'), { epsg: 3067 });
    try {
      project.runCommand({ type: 'comment.add', geometry: { type: 'Point', coordinates: [385_000, 6_672_000] }, text: 'Liikaa liikennettä', author: 'Anna', scenario: null });
      project.runCommand({ type: 'comment.add', geometry: { type: 'Point', coordinates: [386_000, 6_673_000] }, text: 'Hyvä sijainti', author: '', scenario: 'close-x' });
      project.runCommand({ type: 'comment.setHidden', fid: 1, hidden: true });
      expect(project.readComments(false).map((comment) => comment.text)).toEqual(['Hyvä sijainti']);
      expect(project.readComments(true)).toMatchObject([{ fid: 1, hidden: true, x: 385_000, y: 6_672_000, author: 'Anna' }, { fid: 2, scenario: 'close-x' }]);
      project.undo();
      project.undo();
      expect(project.readComments(true).map((comment) => comment.fid)).toEqual([1]);
      expect(project.db.prepare("SELECT min_x, max_x FROM gpkg_contents WHERE table_name = 'comments'").get()).toMatchObject({ min_x: expect.closeTo(385_000, 0) });
    } finally {
      project.close();
    }
  });
});
