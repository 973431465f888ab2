import { afterAll, describe, expect, test } from 'vitest';
import { migrate } from '../../../electron/store/project-file';
import { GEOPACKAGE_APPLICATION_ID, GEOPACKAGE_USER_VERSION } from '../../../electron/store/geopackage-ddl';
import { findCrs } from '../../../shared/geo/crs';
import { contentsRow, makeTempDir, openFreshGeoPackage, schemaVersions, sha256, sidecars, tableNames } from '../../fixtures/store-helpers';

const tmp = makeTempDir('verkosto-mig1-');
afterAll(() => tmp.cleanup());

describe('migration 0001 geopackage-core', () => {
  test('creates the GeoPackage core tables, the required SRS rows and the Verkosto schema/settings tables', () => {
    const file = tmp.file('v0.gpkg');
    const db = openFreshGeoPackage(file);
    expect(tableNames(db)).toEqual([]);

    expect(migrate(db, { epsg: 3067 }, 1)).toEqual([1]);

    expect(tableNames(db)).toEqual(
      expect.arrayContaining(['gpkg_spatial_ref_sys', 'gpkg_contents', 'gpkg_geometry_columns', 'gpkg_extensions', 'verkosto_schema', 'verkosto_settings']),
    );
    // Nothing of migration 2 yet.
    expect(tableNames(db)).not.toContain('facilities');
    const srs = db.prepare('SELECT srs_id, organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys ORDER BY srs_id').all();
    expect(srs).toEqual([
      { srs_id: -1, organization: 'NONE', organization_coordsys_id: -1, definition: 'undefined' },
      { srs_id: 0, organization: 'NONE', organization_coordsys_id: 0, definition: 'undefined' },
      { srs_id: 4326, organization: 'EPSG', organization_coordsys_id: 4326, definition: findCrs(4326)!.wkt },
    ]);
    for (const table of ['verkosto_schema', 'verkosto_settings']) {
      expect(contentsRow(db, table)).toMatchObject({ table_name: table, data_type: 'attributes', identifier: table, srs_id: null });
    }
    const schema = db.prepare('SELECT version, name, applied_at FROM verkosto_schema').all() as { version: number; name: string; applied_at: string }[];
    expect(schema).toHaveLength(1);
    expect(schema[0]).toMatchObject({ version: 1, name: 'geopackage-core' });
    expect(Number.isNaN(Date.parse(schema[0]!.applied_at))).toBe(false);
    // The header stays a GeoPackage 1.3.
    expect(db.pragma('application_id', { simple: true })).toBe(GEOPACKAGE_APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(GEOPACKAGE_USER_VERSION);
    // Migrating again is a no-op.
    expect(migrate(db, { epsg: 3067 }, 1)).toEqual([]);
    expect(schemaVersions(db)).toEqual([1]);
    db.close();
  });

  test('a migration that throws rolls back: the file is byte-identical and no sidecar is left', () => {
    const file = tmp.file('conflict.gpkg');
    const db = openFreshGeoPackage(file);
    // A table the migration wants to create already exists, with other columns.
    db.exec('CREATE TABLE verkosto_settings (name TEXT, payload BLOB)');
    db.prepare('INSERT INTO verkosto_settings VALUES (?, ?)').run('keep', 'me');
    const before = sha256(file);

    expect(() => migrate(db, { epsg: 3067 })).toThrow(/verkosto_settings already exists/);

    expect(sha256(file)).toBe(before);
    expect(sidecars(file)).toEqual([]);
    expect(tableNames(db)).toEqual(['verkosto_settings']);
    expect(db.prepare('SELECT * FROM verkosto_settings').all()).toEqual([{ name: 'keep', payload: 'me' }]);
    db.close();
    expect(sha256(file)).toBe(before);
  });
});
