import { afterAll, describe, expect, test } from 'vitest';
import { migrate } from '../../../electron/store/project-file';
import { columnNames, contentsRow, fileAtVersion, makeTempDir, schemaVersions, tableNames } from '../../fixtures/store-helpers';

const tmp = makeTempDir('verkosto-mig9-');
afterAll(() => tmp.cleanup());

describe('migration 0009 analysis-inputs', () => {
  test('adds the per-unit Swedish-speaking share and the residential points layer (with its R-tree)', async () => {
    const db = await fileAtVersion(tmp.file('v8.gpkg'), 8, 3067);
    db.prepare("INSERT INTO demand_units (code, unit_kind) VALUES ('U1', 'small_area')").run();
    expect(migrate(db, { epsg: 3067 }, 9)).toEqual([9]);
    expect(columnNames(db, 'demand_units').slice(-1)).toEqual(['swedish_share']);
    // Existing units have no share of their own: the city-wide setting applies to them.
    expect(db.prepare("SELECT swedish_share FROM demand_units WHERE code = 'U1'").get()).toEqual({ swedish_share: null });
    expect(() => db.prepare("UPDATE demand_units SET swedish_share = 1.5 WHERE code = 'U1'").run()).toThrow(/CHECK/);
    db.prepare("UPDATE demand_units SET swedish_share = 0.25 WHERE code = 'U1'").run();
    expect(tableNames(db)).toEqual(expect.arrayContaining(['residential_points', 'rtree_residential_points_geom']));
    expect(columnNames(db, 'residential_points')).toEqual(['fid', 'geom', 'weight', 'source']);
    expect(contentsRow(db, 'residential_points')).toMatchObject({ data_type: 'features', srs_id: 3067 });
    expect(db.prepare("SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = 'residential_points'").get()).toEqual({ geometry_type_name: 'POINT' });
    expect(() => db.prepare('INSERT INTO residential_points (weight) VALUES (-1)').run()).toThrow(/CHECK/);
    expect(schemaVersions(db).slice(-1)).toEqual([9]);
    db.close();
  });
});
