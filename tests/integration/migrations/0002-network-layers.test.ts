import { afterAll, describe, expect, test } from 'vitest';
import { migrate } from '../../../electron/store/project-file';
import { LAYER_COLUMNS } from '../../../electron/store/layer-tables';
import { LAYER_GEOMETRY_TYPES, LAYER_IDS } from '../../../shared/domain/project';
import { findCrs } from '../../../shared/geo/crs';
import { encodeGeoPackageGeometry } from '../../../shared/geo/gpkg-geometry';
import { columnNames, contentsRow, fileAtVersion, makeTempDir, schemaVersions, sha256, sidecars, tableNames } from '../../fixtures/store-helpers';

const tmp = makeTempDir('verkosto-mig2-');
afterAll(() => tmp.cleanup());

describe('migration 0002 network-layers', () => {
  test('adds the four feature layers with R-tree indexes, the attribute tables and the project CRS; keeps old rows', async () => {
    const file = tmp.file('v1.gpkg');
    const db = await fileAtVersion(file, 1);
    db.prepare('INSERT INTO verkosto_settings (key, value) VALUES (?, ?)').run('project.name', JSON.stringify('Vanha'));
    const settingsBefore = db.prepare('SELECT * FROM verkosto_settings').all();
    const schemaBefore = db.prepare('SELECT * FROM verkosto_schema').all();

    expect(migrate(db, { epsg: 3879 }, 2)).toEqual([2]);

    expect(schemaVersions(db)).toEqual([1, 2]);
    expect(db.prepare('SELECT * FROM verkosto_schema WHERE version = 1').all()).toEqual(schemaBefore);
    // Old settings intact, plus the CRS the project was created in.
    expect(db.prepare("SELECT * FROM verkosto_settings WHERE key <> 'project.epsg'").all()).toEqual(settingsBefore);
    expect(db.prepare("SELECT value FROM verkosto_settings WHERE key = 'project.epsg'").get()).toEqual({ value: '3879' });
    expect(db.prepare('SELECT srs_id, organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = 3879').get()).toEqual({
      srs_id: 3879, organization: 'EPSG', organization_coordsys_id: 3879, definition: findCrs(3879)!.wkt,
    });

    const tables = tableNames(db);
    // The four layers of this migration (feedback came with 0008, residential points with 0009).
    for (const layer of LAYER_IDS.filter((id) => id !== 'feedback' && id !== 'residential_points')) {
      expect(tables).toContain(layer);
      // Columns later migrations add (0008: demand_units.swedish_share) are not there yet at version 2.
      expect(columnNames(db, layer)).toEqual(['fid', 'geom', ...LAYER_COLUMNS[layer].filter((column) => column !== 'swedish_share')]);
      expect(contentsRow(db, layer)).toMatchObject({ data_type: 'features', srs_id: 3879, min_x: null });
      expect(db.prepare('SELECT column_name, geometry_type_name, srs_id, z, m FROM gpkg_geometry_columns WHERE table_name = ?').get(layer)).toEqual({
        column_name: 'geom', geometry_type_name: LAYER_GEOMETRY_TYPES[layer], srs_id: 3879, z: 0, m: 0,
      });
      expect(tables).toContain(`rtree_${layer}_geom`);
      const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name").all(layer) as { name: string }[];
      expect(triggers.map((t) => t.name)).toEqual(
        ['delete', 'insert', 'update1', 'update2', 'update3', 'update4'].map((suffix) => `rtree_${layer}_geom_${suffix}`),
      );
      expect(db.prepare("SELECT extension_name, scope FROM gpkg_extensions WHERE table_name = ? AND column_name = 'geom'").get(layer)).toEqual({
        extension_name: 'gpkg_rtree_index', scope: 'write-only',
      });
    }
    for (const table of ['facility_services', 'demand_population', 'verkosto_data_sources']) {
      expect(contentsRow(db, table)).toMatchObject({ data_type: 'attributes', identifier: table });
    }
    expect(columnNames(db, 'demand_population')).toEqual(['fid', 'unit_fid', 'year', 'source', 'total', ...Array.from({ length: 16 }, (_, a) => `age_${a}`)]);
    expect(tables).not.toContain('verkosto_edit_log');

    // The R-tree triggers work on the new tables: an insert indexes its envelope.
    db.prepare('INSERT INTO facilities (geom, name_fi) VALUES (?, ?)').run(encodeGeoPackageGeometry({ type: 'Point', coordinates: [25_496_000, 6_672_000] }, 3879), 'Koulu');
    expect(db.prepare('SELECT minx, maxx, miny, maxy FROM rtree_facilities_geom').all()).toEqual([{ minx: 25_496_000, maxx: 25_496_000, miny: 6_672_000, maxy: 6_672_000 }]);
    // Column defaults from the schema.
    expect(db.prepare('SELECT facility_kind, language, status, illustrative FROM facilities').get()).toEqual({ facility_kind: 'school', language: 'fi', status: 'active', illustrative: 0 });
    db.close();
  });

  test('a conflicting table makes the migration roll back completely', async () => {
    const file = tmp.file('conflict.gpkg');
    const db = await fileAtVersion(file, 1);
    db.exec('CREATE TABLE demand_units (id INTEGER PRIMARY KEY, note TEXT)');
    db.prepare('INSERT INTO demand_units (note) VALUES (?)').run('a user table');
    const before = sha256(file);

    expect(() => migrate(db, { epsg: 3067 })).toThrow(/demand_units already exists/);

    expect(sha256(file)).toBe(before);
    expect(sidecars(file)).toEqual([]);
    expect(schemaVersions(db)).toEqual([1]);
    // facilities was created before demand_units in the same transaction: gone again, and so is the CRS row.
    expect(tableNames(db)).not.toContain('facilities');
    expect(db.prepare('SELECT COUNT(*) AS n FROM gpkg_spatial_ref_sys WHERE srs_id = 3067').get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM verkosto_settings WHERE key = 'project.epsg'").get()).toEqual({ n: 0 });
    db.close();
  });

  test('an unsupported CRS in the context rolls back as well', async () => {
    const file = tmp.file('badcrs.gpkg');
    const db = await fileAtVersion(file, 1);
    const before = sha256(file);
    expect(() => migrate(db, { epsg: 2393 })).toThrow(/EPSG:2393/);
    expect(sha256(file)).toBe(before);
    expect(schemaVersions(db)).toEqual([1]);
    db.close();
  });
});
