/**
 * The WFS and OGC API – Features readers against a real OGC server: Debian's MapServer 8 behind lighttpd on
 * 127.0.0.1 (tests/support/mapserver), serving Helsinki's 148 sub-districts (stored in EPSG:3879) and the
 * 129 Helsinki schools of Statistics Finland (stored in EPSG:3067) from a GeoPackage built with ogr2ogr.
 * The expected coordinates come from GDAL reading the same GeoPackage, not from our code.
 */
import { spawnSync } from 'node:child_process';
import proj4 from 'proj4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCrs } from '../../../shared/geo/crs';
import type { Position } from '../../../shared/geo/geometry';
import type { ReadProgress, SourceFeature } from '../../../shared/import/feature-source';
import { OgcApiSource } from '../../../electron/services/import/readers/network/ogcapi-source';
import { WfsSource } from '../../../electron/services/import/readers/network/wfs-source';
import { createNetworkSource } from '../../../electron/services/import/readers/network';
import { ogcServerUnavailableReason, startOgcServer, type OgcServer } from '../../support/mapserver/ogc-server';

const unavailable = ogcServerUnavailableReason();
if (unavailable) console.warn(`SKIPPED: MapServer tests — ${unavailable}`);

async function collect(iterable: AsyncIterable<SourceFeature>): Promise<SourceFeature[]> {
  const out: SourceFeature[] = [];
  for await (const feature of iterable) out.push(feature);
  return out;
}

/** First vertex of every feature of a table as GDAL reads it, reprojected by GDAL to `epsg` (x/y order). */
function gdalFirstVertices(gpkg: string, table: string, epsg: number): Map<string, Position> {
  const result = spawnSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', gpkg, table, '-t_srs', `EPSG:${epsg}`, '-lco', 'RFC7946=NO', '-oo', 'LIST_ALL_TABLES=NO'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, OGR_CT_FORCE_TRADITIONAL_GIS_ORDER: 'YES' } });
  if (result.status !== 0) throw new Error(result.stderr);
  const collection = JSON.parse(result.stdout) as { features: Array<{ id?: number; properties: { fid?: number }; geometry: { type: string; coordinates: unknown } }> };
  const map = new Map<string, Position>();
  collection.features.forEach((feature, index) => {
    let value: unknown = feature.geometry.coordinates;
    while (Array.isArray(value) && Array.isArray(value[0])) value = value[0];
    map.set(String(feature.id ?? feature.properties.fid ?? index + 1), value as Position);
  });
  return map;
}

function firstVertex(feature: SourceFeature): Position {
  let value: unknown = feature.geometry!.coordinates;
  while (Array.isArray(value) && Array.isArray(value[0])) value = value[0];
  return value as Position;
}

/** "osaalueet.17" / 17 / "17" → "17". */
const fidOf = (sourceId: string): string => sourceId.replace(/^.*\./, '');

describe.skipIf(unavailable !== null)('WFS 2.0 and OGC API Features against MapServer 8', () => {
  let server: OgcServer;
  let gdal3879: Map<string, Position>;
  let gdal4326: Map<string, Position>;

  beforeAll(async () => {
    server = await startOgcServer();
    gdal3879 = gdalFirstVertices(server.gpkg, 'osaalueet', 3879);
    gdal4326 = gdalFirstVertices(server.gpkg, 'osaalueet', 4326);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('GetCapabilities lists both layers with CRSs, output formats, paging and a bbox', async () => {
    const source = new WfsSource({ url: server.wfs });
    const capabilities = await source.capabilities();
    expect(capabilities.version).toBe('2.0.0');
    expect(capabilities.paging).toBe(true);
    expect(capabilities.featureTypes.map((type) => type.name)).toEqual(expect.arrayContaining(['ms:koulut', 'ms:osaalueet']));
    const osaalueet = capabilities.featureTypes.find((type) => type.name === 'ms:osaalueet')!;
    expect(osaalueet.defaultEpsg).toBe(3879);
    expect(osaalueet.otherEpsg).toEqual(expect.arrayContaining([4326, 3067]));
    expect(capabilities.getFeatureFormats).toEqual(expect.arrayContaining(['application/json']));
    const layers = await source.listLayers();
    const info = layers.find((layer) => layer.name === 'ms:osaalueet')!;
    expect(info).toMatchObject({ title: 'Helsinki osa-alueet', epsg: 3879, latitudeFirst: false });
    // Field types from DescribeFeatureType.
    expect(info.fields).toEqual(expect.arrayContaining([{ name: 'tunnus', type: 'string' }, { name: 'gid', type: 'integer' }]));
    // The WGS84 bbox reprojected into the layer CRS lies on Helsinki.
    expect(info.extent![0]).toBeGreaterThan(25_480_000);
    expect(info.extent![3]).toBeLessThan(6_700_000);
    expect(await source.countFeatures('ms:osaalueet')).toBe(148);
  });

  it.each([
    ['geojson', 3879],
    ['gml', 3879],
    ['geojson', 4326],
    ['gml', 4326],
  ] as const)('paged GetFeature as %s in EPSG:%i: all 148 features, each once, coordinates as GDAL has them', async (format, epsg) => {
    const source = new WfsSource({ url: server.wfs, outputFormat: format, epsg, pageSize: 60 });
    const progress: ReadProgress[] = [];
    const features = await collect(source.readFeatures('ms:osaalueet', { onProgress: (value) => progress.push(value) }));
    expect(features).toHaveLength(148);
    expect(new Set(features.map((feature) => fidOf(feature.sourceId))).size).toBe(148);
    // Three pages of at most 60, with numberMatched as the total.
    expect(progress.map((value) => value.featuresRead)).toEqual([60, 120, 148]);
    expect(progress.every((value) => value.featuresTotal === 148)).toBe(true);
    const kruununhaka = features.find((feature) => feature.properties.tunnus === '010' || feature.properties.tunnus === 10)!;
    expect(kruununhaka.properties.nimi_fi).toBe('Kruununhaka');
    const expected = epsg === 3879 ? gdal3879 : gdal4326;
    const tolerance = epsg === 3879 ? 0.01 : 1e-6;
    for (const feature of features) {
      const [x, y] = firstVertex(feature);
      const [ex, ey] = expected.get(fidOf(feature.sourceId))!;
      // x/y order whatever the server wrote (GML 3.2 writes northing first for 3879 and lat first for 4326).
      expect(Math.abs(x - ex)).toBeLessThan(tolerance);
      expect(Math.abs(y - ey)).toBeLessThan(tolerance);
    }
  });

  it('WFS 1.1.0 in EPSG:4326 (MapServer writes lat/lon), WFS 1.0.0 (lon/lat), and a bbox filter in EPSG:3879', async () => {
    const wfs11 = new WfsSource({ url: server.wfs, version: '1.1.0', outputFormat: 'gml', epsg: 4326 });
    const schools = await collect(wfs11.readFeatures('ms:koulut'));
    expect(schools).toHaveLength(129);
    for (const school of schools) {
      const [lon, lat] = firstVertex(school);
      expect(lon).toBeGreaterThan(24.7);
      expect(lon).toBeLessThan(25.3);
      expect(lat).toBeGreaterThan(60.1);
      expect(lat).toBeLessThan(60.3);
    }
    // WFS 1.0.0 (GML 2, x/y; no SRSNAME in 1.0): the layer's own SRS, here the server's EPSG:3879, as GDAL has it.
    const wfs10 = new WfsSource({ url: server.wfs, version: '1.0.0', outputFormat: 'gml', epsg: 4326 });
    expect((await wfs10.listLayers()).find((layer) => layer.name === 'koulut')!.epsg).toBe(3879);
    const schools10 = await collect(wfs10.readFeatures('koulut'));
    expect(schools10).toHaveLength(129);
    const gdalSchools = gdalFirstVertices(server.gpkg, 'koulut', 3879);
    for (const school of schools10) {
      const [x, y] = firstVertex(school);
      const [ex, ey] = gdalSchools.get(fidOf(school.sourceId))!;
      expect(Math.abs(x - ex)).toBeLessThan(0.01);
      expect(Math.abs(y - ey)).toBeLessThan(0.01);
    }
    // Kruununhaka's area, in the layer CRS, via a BBOX that the reader writes in the CRS axis order (N,E).
    const wfs20 = new WfsSource({ url: server.wfs, epsg: 3879 });
    const inBox = await collect(wfs20.readFeatures('ms:osaalueet', { bbox: [25_496_000, 6_672_000, 25_499_000, 6_674_000] }));
    expect(inBox.length).toBeGreaterThan(0);
    expect(inBox.length).toBeLessThan(20);
  });

  it('OGC API Features: collections, items paged by next links, CRS84 delivered as EPSG:4326', async () => {
    const source = new OgcApiSource({ url: server.ogcapi, pageSize: 50 });
    const layers = await source.listLayers();
    expect(layers.map((layer) => layer.name)).toEqual(expect.arrayContaining(['koulut', 'osaalueet']));
    expect(layers.find((layer) => layer.name === 'osaalueet')).toMatchObject({ epsg: 4326, latitudeFirst: false, featureCount: 148 });
    expect(layers.find((layer) => layer.name === 'osaalueet')!.fields).toEqual(expect.arrayContaining([{ name: 'nimi_fi', type: 'string' }]));
    const progress: ReadProgress[] = [];
    const features = await collect(source.readFeatures('osaalueet', { onProgress: (value) => progress.push(value) }));
    expect(features).toHaveLength(148);
    expect(progress.map((value) => value.featuresRead)).toEqual([50, 100, 148]);
    expect(progress[0]!.featuresTotal).toBe(148);
    for (const feature of features) {
      const [x, y] = firstVertex(feature);
      const [ex, ey] = gdal4326.get(feature.sourceId)!;
      // MapServer rounds OGC API coordinates to 6 decimals.
      expect(Math.abs(x - ex)).toBeLessThan(2e-6);
      expect(Math.abs(y - ey)).toBeLessThan(2e-6);
    }
    const described = await source.describeLayer('koulut');
    expect(described.featureCount).toBe(129);
    expect(described.fields).toEqual(expect.arrayContaining([{ name: 'onimi', type: 'string' }, { name: 'til_vuosi', type: 'integer' }]));
  });

  it('OGC API asked for EPSG:3879: MapServer 8.0 has no Part 2, so the reader says EPSG:4326 and reprojection lands on GDAL\'s 3879', async () => {
    const source = new OgcApiSource({ url: server.ogcapi, epsg: 3879, pageSize: 100 });
    const layer = (await source.listLayers()).find((candidate) => candidate.name === 'osaalueet')!;
    expect(layer.epsg).toBe(4326);
    const features = await collect(source.readFeatures('osaalueet'));
    expect(features).toHaveLength(148);
    const gk25 = findCrs(3879)!.proj4;
    for (const feature of features.slice(0, 30)) {
      const [x, y] = proj4('+proj=longlat +datum=WGS84 +no_defs', gk25, firstVertex(feature).slice(0, 2) as [number, number]);
      const [ex, ey] = gdal3879.get(feature.sourceId)!;
      // 6 decimals of a degree ≈ 0.1 m.
      expect(Math.abs(x! - ex)).toBeLessThan(0.2);
      expect(Math.abs(y! - ey)).toBeLessThan(0.2);
    }
  });

  it('a Statistics Finland source (statfi-wfs) turns protected -1 cells into null and names them', async () => {
    const source = createNetworkSource({ id: 'paavo', kind: 'statfi-wfs', title: 'Paavo', url: server.wfs, file: null, layer: 'ms:pno_tilasto', targetLayer: 'demand_units', mappingName: null, publisher: null, licence: null, attribution: null, epsg: 3067, options: {} });
    const features = await collect(source.readFeatures('ms:pno_tilasto'));
    expect(features).toHaveLength(148);
    const kruununhaka = features.find((feature) => feature.properties.postinumeroalue === '010')!;
    expect(kruununhaka.properties).toMatchObject({ he_0_2: null, suppressed_fields: 'he_0_2' });
    const other = features.find((feature) => feature.properties.postinumeroalue === '020')!;
    expect(other.properties).toMatchObject({ he_0_2: 30, suppressed_fields: null });
    // EPSG:3067 easting/northing.
    const [x, y] = firstVertex(kruununhaka);
    expect(x).toBeGreaterThan(380_000);
    expect(y).toBeGreaterThan(6_660_000);
  });

  it('OGC API bbox filter (CRS84) and an unknown collection', async () => {
    const source = new OgcApiSource({ url: server.ogcapi });
    const inBox = await collect(source.readFeatures('koulut', { bbox: [24.90, 60.15, 24.98, 60.19] }));
    expect(inBox.length).toBeGreaterThan(5);
    expect(inBox.length).toBeLessThan(129);
    await expect(collect(source.readFeatures('nope'))).rejects.toMatchObject({ code: 'sourceLayerNotFound', params: { layer: 'nope' } });
  });
});
