/**
 * Residential points from a service, as a city's building register would be served: MapServer 8 on
 * 127.0.0.1 (tests/support/mapserver) serving a point layer `rakennukset` in EPSG:3879 built with ogr2ogr
 * from real data — the centres of HSY's 2015 250 m population grid cells with their residents (the same
 * derivation as tests/integration/import/residential-points.test.ts). Imported by WFS 2.0 (paged GeoJSON)
 * into a project in EPSG:3067, then reloaded whole by OGC API Features (CRS84) with "replace existing".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSource } from '../../../electron/services/import/import-service';
import { OgcApiSource } from '../../../electron/services/import/readers/network/ogcapi-source';
import { WfsSource } from '../../../electron/services/import/readers/network/wfs-source';
import type { ProjectFile } from '../../../electron/store/project-file';
import type { FieldMapping } from '../../../shared/import/types';
import { makeTempDir } from '../../fixtures/store-helpers';
import { newProject, sourceConfig } from '../import/import-helpers';
import { ogcServerUnavailableReason, SAMPLE_DATA, startOgcServer, type OgcServer } from '../../support/mapserver/ogc-server';

const unavailable = ogcServerUnavailableReason();
if (unavailable) console.warn(`SKIPPED: MapServer residential-point tests — ${unavailable}`);

const MAPPING: FieldMapping = { name: 'rakennukset', targetLayer: 'residential_points', fields: { weight: { source: 'asukkaita' }, source: { constant: 'rakennusrekisteri (testi)' } } };

describe.skipIf(unavailable !== null)('residential points from WFS and OGC API Features (MapServer 8)', () => {
  const temp = makeTempDir('verkosto-points-ogc-');
  let server: OgcServer;
  let project: ProjectFile;
  let residents = 0;

  beforeAll(async () => {
    const grid = JSON.parse(readFileSync(path.join(SAMPLE_DATA, 'vaestoruudukko_2015_helsinki.geojson'), 'utf8')) as { features: { properties: { INDEX: number; ASUKKAITA: number }; geometry: { coordinates: number[][][] } }[] };
    const points = grid.features.map((cell) => {
      const ring = cell.geometry.coordinates[0]!;
      const xs = ring.map((p) => p[0]!);
      const ys = ring.map((p) => p[1]!);
      residents += cell.properties.ASUKKAITA;
      return { type: 'Feature', geometry: { type: 'Point', coordinates: [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2] }, properties: { ruutu: cell.properties.INDEX, asukkaita: cell.properties.ASUKKAITA } };
    });
    const pointsFile = temp.file('rakennukset.geojson');
    writeFileSync(pointsFile, JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3879' } }, features: points }));
    server = await startOgcServer({
      build: (gpkg) => {
        const result = spawnSync('ogr2ogr', ['-f', 'GPKG', gpkg, pointsFile, '-nln', 'rakennukset', '-lco', 'FID=fid', '-lco', 'SPATIAL_INDEX=NO'], { encoding: 'utf8' });
        if (result.status !== 0) throw new Error(result.stderr);
        return [{ name: 'rakennukset', type: 'POINT', epsg: 3879, title: 'Rakennukset (testi)' }];
      },
    });
    project = newProject(temp.file('points.gpkg'));
  }, 120_000);
  afterAll(async () => {
    project?.close();
    await server?.stop();
    temp.cleanup();
  });

  const rows = () => project.db.prepare('SELECT COUNT(*) AS count, SUM(weight) AS weight FROM residential_points').get() as { count: number; weight: number };

  it('imports a WFS point layer (paged, EPSG:3879) into the points, reprojected to EPSG:3067', async () => {
    const result = await importSource(project, new WfsSource({ url: server.wfs, outputFormat: 'geojson', epsg: 3879, pageSize: 800 }), {
      sourceLayer: 'ms:rakennukset',
      targetLayer: 'residential_points',
      mapping: MAPPING,
      sourceConfig: sourceConfig('rakennukset-wfs', 'wfs', null, 'residential_points', { url: server.wfs, layer: 'ms:rakennukset' }),
    });
    expect(result).toMatchObject({ imported: 2065, skipped: 0, sourceEpsg: 3879 });
    expect(rows()).toEqual({ count: 2065, weight: residents });
    const box = project.db.prepare('SELECT MIN(minx) AS minx, MAX(maxx) AS maxx FROM rtree_residential_points_geom').get() as { minx: number; maxx: number };
    // EPSG:3067 eastings of Helsinki (about 370–400 km), not GK25's 25 4xx xxx.
    expect(box.minx).toBeGreaterThan(360_000);
    expect(box.maxx).toBeLessThan(410_000);
  });

  it('reloads the register whole by OGC API Features with "replace existing": one command, undone', async () => {
    const result = await importSource(project, new OgcApiSource({ url: server.ogcapi, pageSize: 1000 }), {
      sourceLayer: 'rakennukset',
      targetLayer: 'residential_points',
      mapping: MAPPING,
      sourceConfig: sourceConfig('rakennukset-ogcapi', 'ogcapi', null, 'residential_points', { url: server.ogcapi, layer: 'rakennukset' }),
      replaceExisting: true,
    });
    expect(result).toMatchObject({ imported: 2065, replaced: 2065, sourceEpsg: 4326 });
    expect(rows()).toEqual({ count: 2065, weight: residents });
    expect(project.db.prepare("SELECT source_id FROM import_sources WHERE target_layer = 'residential_points'").all()).toEqual([{ source_id: 'rakennukset-ogcapi' }]);
    project.undo();
    expect(project.db.prepare("SELECT source_id FROM import_sources WHERE target_layer = 'residential_points'").all()).toEqual([{ source_id: 'rakennukset-wfs' }]);
    expect(rows()).toEqual({ count: 2065, weight: residents });
  });
});
