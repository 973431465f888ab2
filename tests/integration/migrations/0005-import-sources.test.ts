import { afterAll, describe, expect, test } from 'vitest';
import { migrate, ProjectFile } from '../../../electron/store/project-file';
import { encodeGeoPackageGeometry } from '../../../shared/geo/gpkg-geometry';
import { columnNames, contentsRow, fileAtVersion, makeTempDir, schemaVersions, tableNames } from '../../fixtures/store-helpers';

const tmp = makeTempDir('verkosto-mig5-');
afterAll(() => tmp.cleanup());

describe('migration 0005 import-sources', () => {
  test('adds import_sources, import_mappings and import_snapshots as attributes tables; old rows are intact', async () => {
    const file = tmp.file('v4.gpkg');
    const db = await fileAtVersion(file, 4, 3067);
    db.prepare('INSERT INTO facilities (geom, name_fi) VALUES (?, ?)').run(encodeGeoPackageGeometry({ type: 'Point', coordinates: [385_000, 6_672_000] }, 3067), 'Vanha koulu');
    const before = db.prepare('SELECT fid, name_fi FROM facilities').all();

    expect(migrate(db, { epsg: 3067 }, 5)).toEqual([5]);

    for (const table of ['import_sources', 'import_mappings', 'import_snapshots']) {
      expect(tableNames(db)).toContain(table);
      expect(contentsRow(db, table)).toMatchObject({ data_type: 'attributes', identifier: table });
    }
    expect(columnNames(db, 'import_sources')).toEqual([
      'fid', 'source_id', 'kind', 'title', 'url', 'file', 'layer', 'target_layer', 'mapping_name', 'publisher', 'licence', 'attribution', 'config', 'created_at', 'last_sync_at',
    ]);
    expect(columnNames(db, 'import_snapshots')).toEqual(['fid', 'source_id', 'source_feature_id', 'content_hash', 'retrieved_at', 'target_layer', 'local_fid']);
    expect(columnNames(db, 'import_mappings')).toEqual(['fid', 'name', 'target_layer', 'fields']);
    // One snapshot row per source feature.
    db.prepare("INSERT INTO import_snapshots (source_id, source_feature_id, content_hash, retrieved_at, target_layer, local_fid) VALUES ('s', 'a', 'h', 't', 'facilities', 1)").run();
    expect(() => db.prepare("INSERT INTO import_snapshots (source_id, source_feature_id, content_hash, retrieved_at, target_layer, local_fid) VALUES ('s', 'a', 'h2', 't', 'facilities', 2)").run()).toThrow(/UNIQUE/);
    expect(db.prepare('SELECT fid, name_fi FROM facilities').all()).toEqual(before);
    expect(schemaVersions(db).at(-1)).toBe(5);
    db.close();
  });

  test('ProjectFile.open migrates a version-4 file', async () => {
    const file = tmp.file('open-v4.gpkg');
    const db = await fileAtVersion(file, 4, 3067);
    db.close();
    const project = ProjectFile.open(file);
    expect(project.schemaVersion).toBeGreaterThanOrEqual(5);
    expect(project.db.prepare('SELECT COUNT(*) AS n FROM import_sources').get()).toEqual({ n: 0 });
    project.close();
  });
});
