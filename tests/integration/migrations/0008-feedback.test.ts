import { afterAll, describe, expect, test } from 'vitest';
import { migrate, ProjectFile } from '../../../electron/store/project-file';
import { encodeGeoPackageGeometry } from '../../../shared/geo/gpkg-geometry';
import { columnNames, contentsRow, fileAtVersion, makeTempDir, schemaVersions, sha256, tableNames } from '../../fixtures/store-helpers';

const tmp = makeTempDir('verkosto-mig8-');
afterAll(() => tmp.cleanup());

describe('migration 0008 feedback', () => {
  test('adds the feedback point layer with its R-tree, registered as features; old rows are intact', async () => {
    const db = await fileAtVersion(tmp.file('v7.gpkg'), 7, 3879);
    db.prepare('INSERT INTO facilities (geom, name_fi) VALUES (?, ?)').run(encodeGeoPackageGeometry({ type: 'Point', coordinates: [25_496_000, 6_672_000] }, 3879), 'Koulu');
    const facilities = db.prepare('SELECT * FROM facilities').all();

    expect(migrate(db, { epsg: 3879 }, 8)).toEqual([8]);

    expect(tableNames(db)).toEqual(expect.arrayContaining(['feedback', 'rtree_feedback_geom']));
    expect(columnNames(db, 'feedback')).toEqual(['fid', 'geom', 'request_id', 'service_name', 'description', 'status', 'requested_at', 'updated_at', 'address']);
    expect(contentsRow(db, 'feedback')).toMatchObject({ data_type: 'features', srs_id: 3879 });
    expect(db.prepare("SELECT geometry_type_name, srs_id FROM gpkg_geometry_columns WHERE table_name = 'feedback'").get()).toEqual({ geometry_type_name: 'POINT', srs_id: 3879 });
    expect(schemaVersions(db)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(db.prepare('SELECT * FROM facilities').all()).toEqual(facilities);
    db.close();
  });

  test('a failing upgrade leaves a version-7 file byte-identical', async () => {
    const file = tmp.file('conflict.gpkg');
    const db = await fileAtVersion(file, 7);
    db.exec('CREATE TABLE feedback (x INTEGER)'); // a user's own table in the way
    db.close();
    const before = sha256(file);
    expect(() => ProjectFile.open(file)).toThrow();
    expect(sha256(file)).toBe(before);
  });

  test('a version-7 project opens, is upgraded, and shows the (empty) feedback layer in its summary', async () => {
    const file = tmp.file('old.gpkg');
    (await fileAtVersion(file, 7)).close();
    const project = ProjectFile.open(file);
    try {
      expect(project.layerSummaries().find((layer) => layer.id === 'feedback')).toMatchObject({ geometryType: 'POINT', featureCount: 0, extent: null });
      expect(project.readFeatures('feedback').features).toEqual([]);
    } finally {
      project.close();
    }
  });
});
