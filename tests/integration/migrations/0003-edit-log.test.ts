import { CURRENT_SCHEMA_VERSION } from '../../../electron/store/migrations';
import { afterAll, describe, expect, test } from 'vitest';
import { migrate, ProjectFile } from '../../../electron/store/project-file';
import { VerkostoError } from '../../../shared/errors';
import { encodeGeoPackageGeometry } from '../../../shared/geo/gpkg-geometry';
import { columnNames, contentsRow, fileAtVersion, makeTempDir, schemaVersions, sha256, sidecars, tableNames } from '../../fixtures/store-helpers';

const tmp = makeTempDir('verkosto-mig3-');
afterAll(() => tmp.cleanup());

/** A version-2 project with a facility, its services and a setting, written with raw SQL as an old build would. */
async function versionTwoProject(name: string) {
  const file = tmp.file(name);
  const db = await fileAtVersion(file, 2, 3067);
  db.prepare('INSERT INTO facilities (geom, name_fi, facility_kind, floor_area_m2) VALUES (?, ?, ?, ?)').run(
    encodeGeoPackageGeometry({ type: 'Point', coordinates: [385_000, 6_672_000] }, 3067), 'Vanha koulu', 'school', 1234.5,
  );
  db.prepare('INSERT INTO facility_services (facility_fid, service, capacity, enrolment) VALUES (1, ?, 300, 280)').run('grades_1_6');
  db.prepare('INSERT INTO verkosto_settings (key, value) VALUES (?, ?)').run('project.name', JSON.stringify('Vanha'));
  db.exec("UPDATE gpkg_contents SET min_x = 385000, max_x = 385000, min_y = 6672000, max_y = 6672000 WHERE table_name = 'facilities'");
  return { file, db };
}

describe('migration 0003 edit-log', () => {
  test('adds the edit log, registered as an attributes table; old rows are intact', async () => {
    const { db } = await versionTwoProject('v2.gpkg');
    const dump = (table: string) => db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all();
    const old = Object.fromEntries(['facilities', 'facility_services', 'verkosto_settings', 'verkosto_schema', 'gpkg_contents', 'rtree_facilities_geom'].map((t) => [t, dump(t)]));

    expect(migrate(db, { epsg: 3067 }, 3)).toEqual([3]);

    expect(tableNames(db)).toContain('verkosto_edit_log');
    expect(columnNames(db, 'verkosto_edit_log')).toEqual(['fid', 'command', 'patch', 'inverse', 'touched', 'created_at', 'undone']);
    expect(contentsRow(db, 'verkosto_edit_log')).toMatchObject({ data_type: 'attributes', identifier: 'verkosto_edit_log' });
    expect(schemaVersions(db)).toEqual([1, 2, 3]);
    for (const [table, rows] of Object.entries(old)) {
      if (table === 'gpkg_contents') {
        expect(dump(table).filter((row) => (row as { table_name: string }).table_name !== 'verkosto_edit_log')).toEqual(rows);
      } else if (table === 'verkosto_schema') {
        expect(dump(table).slice(0, 2)).toEqual(rows);
      } else {
        expect(dump(table)).toEqual(rows);
      }
    }
    db.close();
  });

  test('ProjectFile.open migrates a version-2 file, and commands then use the new log', async () => {
    const { file, db } = await versionTwoProject('open-v2.gpkg');
    db.close();
    const project = ProjectFile.open(file);
    try {
      expect(project.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
      expect(project.settings()['project.name']).toBe('Vanha');
      expect(project.readFeature('facilities', 1)?.properties).toMatchObject({ name_fi: 'Vanha koulu', floor_area_m2: 1234.5 });
      project.runCommand({ type: 'facility.update', fid: 1, changes: { name_fi: 'Uusi koulu' } });
      expect((project.db.prepare('SELECT COUNT(*) AS n FROM verkosto_edit_log').get() as { n: number }).n).toBe(1);
      project.undo();
      expect(project.readFeature('facilities', 1)?.properties.name_fi).toBe('Vanha koulu');
    } finally {
      project.close();
    }
  });

  test('a migration that fails while opening leaves the file byte-identical and the error names the file', async () => {
    const { file, db } = await versionTwoProject('conflict.gpkg');
    // Someone added a table of the same name by hand (e.g. in QGIS's DB manager).
    db.exec('CREATE TABLE verkosto_edit_log (fid INTEGER PRIMARY KEY, text TEXT)');
    db.close();
    const before = sha256(file);

    let caught: unknown;
    try {
      ProjectFile.open(file);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(VerkostoError);
    expect((caught as VerkostoError).code).toBe('corruptFile');
    expect((caught as VerkostoError).params).toMatchObject({ file: 'conflict.gpkg' });
    expect(String((caught as VerkostoError).params.detail)).toMatch(/verkosto_edit_log already exists/);
    expect(sha256(file)).toBe(before);
    expect(sidecars(file)).toEqual([]);
  });
});
