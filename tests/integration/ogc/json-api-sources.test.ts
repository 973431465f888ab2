/**
 * The JSON API readers — the Helsinki-region service register (TPR v4), Service Map v2, Open311 GeoReport v2
 * and Statistics Finland's PxWeb — over real HTTP on 127.0.0.1, against responses written from each
 * service's documented format (the services themselves cannot be reached from the test machine).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proj4 from 'proj4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCrs } from '../../../shared/geo/crs';
import type { SourceFeature } from '../../../shared/import/feature-source';
import { Open311Source, open311Windows } from '../../../electron/services/import/readers/network/open311-source';
import { PxWebSource, type PxWebTable } from '../../../electron/services/import/readers/network/pxweb-source';
import { ServiceMapSource, TprSource } from '../../../electron/services/import/readers/network/register-sources';
import { configFromPreset, findPreset, NETWORK_PRESETS, PRESET_CITIES } from '../../../electron/services/import/presets/presets';
import { createNetworkSource } from '../../../electron/services/import/readers/network';
import { configFromSpec, parseNetworkSourceSpec } from '../../../electron/services/import/presets/source-spec';
import { json, startLocalServer, type LocalServer } from './local-http-server';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const WGS84 = '+proj=longlat +datum=WGS84 +no_defs';
const toCrs = (epsg: number, lon: number, lat: number): [number, number] => proj4(WGS84, findCrs(epsg)!.proj4, [lon, lat]) as [number, number];

async function collect(iterable: AsyncIterable<SourceFeature>): Promise<SourceFeature[]> {
  const out: SourceFeature[] = [];
  for await (const feature of iterable) out.push(feature);
  return out;
}

// Aleksis Kiven peruskoulu (Statistics Finland's point) and Apollon yhteiskoulu, as the register records them.
const ALEKSIS = { lon: 24.951249592, lat: 60.188095660 };
const APOLLON = { lon: 24.856602156, lat: 60.245180461 };
const [aleksisE, aleksisN] = toCrs(3067, ALEKSIS.lon, ALEKSIS.lat);
const [aleksisGkE, aleksisGkN] = toCrs(3879, ALEKSIS.lon, ALEKSIS.lat);

const TPR_UNITS = [
  {
    id: 28473, org_id: '83e74666-0836-4c1d-948a-4b34a8b90301', provider_type: 'SELF_PRODUCED', name_fi: 'Aleksis Kiven peruskoulu', name_sv: 'Aleksis Kiven peruskoulu',
    name_en: 'Aleksis Kivi Comprehensive School', ontologyword_ids: [601, 602], latitude: ALEKSIS.lat, longitude: ALEKSIS.lon,
    northing_etrs_gk25: Math.round(aleksisGkN), easting_etrs_gk25: Math.round(aleksisGkE), northing_etrs_tm35fin: Math.round(aleksisN), easting_etrs_tm35fin: Math.round(aleksisE),
    manual_coordinates: true, street_address_fi: 'Kirstinkatu 1', street_address_sv: 'Kirstigatan 1', address_zip: '00510', address_city_fi: 'Helsinki', address_city_sv: 'Helsingfors',
    created_time: '2008-03-31T17:23:00', modified_time: '2024-01-09T15:06:30',
  },
  // Only WGS84 in this record: the reader reprojects it.
  { id: 40215, name_fi: 'Apollon yhteiskoulu', name_sv: 'Apollon yhteiskoulu', ontologyword_ids: [601], latitude: APOLLON.lat, longitude: APOLLON.lon, street_address_fi: 'Apollonkatu 7', address_city_fi: 'Helsinki' },
  { id: 3421, name_fi: 'Kilonpuiston koulu', ontologyword_ids: [601], latitude: 60.2181, longitude: 24.7402, address_city_fi: 'Espoo', street_address_fi: 'Kilonkartanontie 3' },
  // No location at all.
  { id: 99001, name_fi: 'Kotiopetus', ontologyword_ids: [601], address_city_fi: 'Helsinki' },
];

const servicemapUnit = (id: number, name: string, point: { lon: number; lat: number } | null) => ({
  id, name: { fi: name, sv: `${name} (sv)`, en: null }, street_address: { fi: 'Katu 1', sv: 'Gatan 1' }, municipality: 'helsinki', service_nodes: [1087],
  location: point ? { type: 'Point', coordinates: [point.lon, point.lat] } : null, root_department: 'abc',
});

describe('JSON API sources over HTTP', () => {
  let server: LocalServer;
  const pxData = {
    version: '2.0', class: 'dataset', label: 'Väestöennuste',
    id: ['Alue', 'Vuosi', 'Sukupuoli', 'Ikä', 'Tiedot'], size: [1, 2, 1, 3, 1],
    dimension: {
      Alue: { label: 'Alue', category: { index: { KU091: 0 }, label: { KU091: 'Helsinki' } } },
      Vuosi: { label: 'Vuosi', category: { index: { 2025: 0, 2026: 1 }, label: { 2025: '2025', 2026: '2026' } } },
      Sukupuoli: { label: 'Sukupuoli', category: { index: { SSS: 0 }, label: { SSS: 'Yhteensä' } } },
      'Ikä': { label: 'Ikä', category: { index: { '000': 0, '001': 1, '002': 2 }, label: { '000': '0', '001': '1', '002': '2' } } },
      Tiedot: { label: 'Tiedot', category: { index: { vaesto: 0 }, label: { vaesto: 'Väestö 31.12.' } } },
    },
    // Row-major over [Vuosi, Ikä]: 2025 ages 0–2, then 2026 ages 0–2.
    value: [5912, 6034, 6101, 5850, 5975, 6040],
  };

  beforeAll(async () => {
    const servicePage2 = { count: 3, next: null, previous: 'x', results: [servicemapUnit(3, 'Kolmas koulu', null)] };
    server = await startLocalServer({
      '/palvelukarttaws/rest/v4/unit/': json(TPR_UNITS),
      '/servicemap/v2/unit/': (request, response) => {
        const page = request.url.searchParams.get('page');
        const body = page === '2' ? servicePage2 : {
          count: 3, next: `${server.base}/servicemap/v2/unit/?page=2&page_size=2&service_node=1087`, previous: null,
          results: [servicemapUnit(1, 'Aleksis Kiven peruskoulu', ALEKSIS), servicemapUnit(2, 'Apollon yhteiskoulu', APOLLON)],
        };
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      },
      // The real services_sv.json is ISO-8859-1; served without a charset, as old servers do.
      '/palautews/rest/v1/services.json': (_request, response) => {
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(readFileSync(path.join(FIXTURES, 'open311', 'services_sv.json')));
      },
      '/palautews/rest/v1/requests.json': (request, response) => {
        const start = request.url.searchParams.get('start_date')!;
        const body = [{
          service_request_id: `req-${start.slice(0, 10)}`, status: 'open', service_code: request.url.searchParams.get('service_code') ?? '172', service_name: 'Vandalism',
          description: 'Rikottu penkki', requested_datetime: start, updated_datetime: start, address: 'Kirstinkatu 1', lat: ALEKSIS.lat, long: ALEKSIS.lon,
        }];
        response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
      },
      '/PxWeb/api/v1/fi/StatFin/vaenn/statfin_vaenn_pxt_139f.px': (request, response) => {
        if (request.method === 'GET') {
          response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({
            title: 'Väestöennuste 2024: Väestö iän ja sukupuolen mukaan alueittain, 2024-2045',
            variables: [
              { code: 'Alue', text: 'Alue', values: ['SSS', 'KU091', 'KU049'], valueTexts: ['KOKO MAA', 'Helsinki', 'Espoo'] },
              { code: 'Vuosi', text: 'Vuosi', values: ['2025', '2026'], valueTexts: ['2025', '2026'], time: true },
              { code: 'Sukupuoli', text: 'Sukupuoli', values: ['SSS', '1', '2'], valueTexts: ['Yhteensä', 'Miehet', 'Naiset'] },
              { code: 'Ikä', text: 'Ikä', values: ['SSS', '000', '001', '002'], valueTexts: ['Yhteensä', '0', '1', '2'] },
              { code: 'Tiedot', text: 'Tiedot', values: ['vaesto'], valueTexts: ['Väestö 31.12.'] },
            ],
          }));
          return;
        }
        response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(pxData));
      },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('TPR: ontologyword query, TM35FIN from the record, WGS84 reprojected when missing, flattened fields', async () => {
    const source = new TprSource({ url: `${server.base}/palvelukarttaws/rest/v4/unit/`, epsg: 3067, layers: { schools: { title: 'Koulut', ids: [601, 602] } } });
    const features = await collect(source.readFeatures('schools'));
    const request = server.requests.find((candidate) => candidate.url.pathname.startsWith('/palvelukarttaws'))!;
    // The register wants a literal '+' between ontology words.
    expect(request.url.search).toBe('?ontologyword=601+602');
    expect(features.map((feature) => feature.sourceId)).toEqual(['28473', '40215', '3421', '99001']);
    expect(features[0]!.geometry).toEqual({ type: 'Point', coordinates: [Math.round(aleksisE), Math.round(aleksisN)] });
    const [apollonE, apollonN] = toCrs(3067, APOLLON.lon, APOLLON.lat);
    const apollon = features[1]!.geometry as { coordinates: [number, number] };
    expect(Math.abs(apollon.coordinates[0] - apollonE)).toBeLessThan(0.01);
    expect(Math.abs(apollon.coordinates[1] - apollonN)).toBeLessThan(0.01);
    expect(features[3]!.geometry).toBeNull();
    expect(features[0]!.properties).toMatchObject({ name_fi: 'Aleksis Kiven peruskoulu', ontologyword_ids: '601,602', street_address_fi: 'Kirstinkatu 1', address_city_fi: 'Helsinki' });
  });

  it('TPR in GK25 and filtered to one city; layers list fields and counts', async () => {
    const source = new TprSource({ url: `${server.base}/palvelukarttaws/rest/v4/unit/`, epsg: 3879, layers: { espoo: { title: 'Espoo', ids: [601], where: { address_city_fi: 'Espoo' } } } });
    const [layer] = await source.listLayers();
    expect(layer).toMatchObject({ name: 'espoo', epsg: 3879, featureCount: 1 });
    expect(layer!.fields).toEqual(expect.arrayContaining([{ name: 'name_fi', type: 'string' }, { name: 'id', type: 'integer' }]));
    const features = await collect(source.readFeatures('espoo'));
    expect(features.map((feature) => feature.properties.name_fi)).toEqual(['Kilonpuiston koulu']);
    const [x] = (features[0]!.geometry as { coordinates: [number, number] }).coordinates;
    expect(x).toBeGreaterThan(25_480_000);
    // An inline query works without a configured layer.
    expect((await collect(source.readFeatures('ontologyword=601'))).length).toBe(4);
    await expect(collect(source.readFeatures('nope'))).rejects.toMatchObject({ code: 'sourceLayerNotFound' });
  });

  it('Service Map: follows next pages, WGS84 points, translated names flattened', async () => {
    const source = new ServiceMapSource({ url: `${server.base}/servicemap/v2/unit/`, pageSize: 2, layers: { schools: { title: 'Koulut', ids: [1087], params: { municipality: 'helsinki' } } } });
    const progress: Array<number | null> = [];
    const features = await collect(source.readFeatures('schools', { onProgress: (value) => progress.push(value.featuresTotal) }));
    expect(features.map((feature) => feature.sourceId)).toEqual(['1', '2', '3']);
    expect(features[0]!.geometry).toEqual({ type: 'Point', coordinates: [ALEKSIS.lon, ALEKSIS.lat] });
    expect(features[2]!.geometry).toBeNull();
    expect(features[0]!.properties).toMatchObject({ name_fi: 'Aleksis Kiven peruskoulu', name_sv: 'Aleksis Kiven peruskoulu (sv)', name_en: null, street_address_fi: 'Katu 1', service_nodes: '1087' });
    const first = server.requests.find((candidate) => candidate.url.pathname === '/servicemap/v2/unit/')!;
    expect(Object.fromEntries(first.url.searchParams)).toEqual({ municipality: 'helsinki', service_node: '1087', page_size: '2' });
  });

  it('Open311: services.json in ISO-8859-1 decodes, requests are asked in windows of at most 90 days', async () => {
    const source = new Open311Source({ url: `${server.base}/palautews/rest/v1/`, startDate: '2026-01-01T00:00:00Z', endDate: '2026-12-31T00:00:00Z' });
    const layers = await source.listLayers();
    expect(layers.map((layer) => layer.title)).toContain('Sanitation kränkning');
    expect(layers[0]).toMatchObject({ name: 'requests', epsg: 4326 });
    const before = server.requests.length;
    const features = await collect(source.readFeatures('service:172'));
    const windows = server.requests.slice(before).map((request) => [new Date(request.url.searchParams.get('start_date')!), new Date(request.url.searchParams.get('end_date')!)] as const);
    expect(windows).toHaveLength(5);
    for (const [index, [start, end]] of windows.entries()) {
      expect(end.getTime() - start.getTime()).toBeLessThanOrEqual(90 * 86_400_000);
      if (index > 0) expect(start.getTime()).toBe(windows[index - 1]![1].getTime());
    }
    expect(windows[0]![0].toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(windows[4]![1].toISOString()).toBe('2026-12-31T00:00:00.000Z');
    expect(features).toHaveLength(5);
    expect(features[0]!.geometry).toEqual({ type: 'Point', coordinates: [ALEKSIS.lon, ALEKSIS.lat] });
    expect(features[0]!.properties).toMatchObject({ service_code: '172', description: 'Rikottu penkki' });
    expect(open311Windows(new Date(0), new Date(89 * 86_400_000))).toHaveLength(1);
  });

  const table: PxWebTable = {
    title: 'Ennuste', path: 'vaenn/statfin_vaenn_pxt_139f.px',
    selection: { Alue: ['KU091'], Vuosi: '*', Sukupuoli: ['SSS'], 'Ikä': ['000', '001', '002'], Tiedot: ['vaesto'] },
    rowVariables: ['Alue', 'Vuosi'],
    columnNames: { '000': 'age_0', '001': 'age_1', '002': 'age_2' },
  };

  it('PxWeb: pinned codes checked against the metadata, POSTed query, json-stat2 rows', async () => {
    const source = new PxWebSource({ url: `${server.base}/PxWeb/api/v1/fi/StatFin`, tables: { projection: table } });
    const rows = await collect(source.readFeatures('projection'));
    expect(rows).toEqual([
      { sourceId: 'KU091|2025', geometry: null, properties: { Alue: 'KU091', Alue_label: 'Helsinki', Vuosi: '2025', Vuosi_label: '2025', age_0: 5912, age_1: 6034, age_2: 6101 } },
      { sourceId: 'KU091|2026', geometry: null, properties: { Alue: 'KU091', Alue_label: 'Helsinki', Vuosi: '2026', Vuosi_label: '2026', age_0: 5850, age_1: 5975, age_2: 6040 } },
    ]);
    const post = server.requests.find((request) => request.method === 'POST')!;
    const query = JSON.parse(post.body) as { query: Array<{ code: string; selection: { filter: string; values: string[] } }>; response: { format: string } };
    expect(query.response.format).toBe('json-stat2');
    expect(query.query.find((entry) => entry.code === 'Alue')!.selection).toEqual({ filter: 'item', values: ['KU091'] });
    expect(query.query.find((entry) => entry.code === 'Vuosi')!.selection).toEqual({ filter: 'all', values: ['*'] });
  });

  it('PxWeb: a pinned code the table no longer has stops the read before any data is asked', async () => {
    const before = server.requests.filter((request) => request.method === 'POST').length;
    const renamed = new PxWebSource({ url: `${server.base}/PxWeb/api/v1/fi/StatFin`, tables: { projection: { ...table, selection: { ...table.selection, Alue: ['KU999'] } } } });
    await expect(collect(renamed.readFeatures('projection'))).rejects.toMatchObject({ code: 'pxwebCodesChanged', params: { table: 'vaenn/statfin_vaenn_pxt_139f.px', what: 'Alue=KU999' } });
    const variable = new PxWebSource({ url: `${server.base}/PxWeb/api/v1/fi/StatFin`, tables: { projection: { ...table, rowVariables: ['Kunta', 'Vuosi'] } } });
    await expect(collect(variable.readFeatures('projection'))).rejects.toMatchObject({ code: 'pxwebCodesChanged', params: { what: 'Kunta' } });
    expect(server.requests.filter((request) => request.method === 'POST').length).toBe(before);
  });

  it('presets: every city has some, each becomes an editable source configuration with its mapping', () => {
    for (const city of PRESET_CITIES) expect(NETWORK_PRESETS.some((preset) => preset.city === city)).toBe(true);
    expect(new Set(NETWORK_PRESETS.map((preset) => preset.id)).size).toBe(NETWORK_PRESETS.length);
    const preset = findPreset('helsinki-catchments-grades-1-6-fi')!;
    const { config, mapping } = configFromPreset(preset, 'hki-ooa-1-6', 'Helsinki 1–6', { layer: 'avoindata:Opev_ooa_alaaste_suomi_tuleva' });
    expect(config).toMatchObject({ kind: 'wfs', url: 'https://kartta.hel.fi/ws/geoserver/avoindata/wfs', layer: 'avoindata:Opev_ooa_alaaste_suomi_tuleva', epsg: 3879, targetLayer: 'catchments', licence: 'CC BY 4.0' });
    expect(config.options.presetId).toBe(preset.id);
    expect(mapping).toEqual({ name: preset.id, targetLayer: 'catchments', fields: { name: { source: 'nimi_fi' }, service: { constant: 'grades_1_6' }, language: { constant: 'fi' }, origin: { constant: 'imported' } } });
    // Editing the configuration does not change the preset.
    (mapping!.fields.name as { source: string }).source = 'nimi_se';
    expect(findPreset('helsinki-catchments-grades-1-6-fi')!.fields.name).toEqual({ source: 'nimi_fi' });
    // Every preset opens as a FeatureSource of its kind.
    for (const candidate of NETWORK_PRESETS) {
      const source = createNetworkSource({ ...configFromPreset(candidate, candidate.id, candidate.id, { targetLayer: candidate.targetLayer ?? 'facilities' }).config });
      expect(source.description.length).toBeGreaterThan(5);
    }
    expect(() => configFromPreset(findPreset('statfi-population-projection')!, 'x', 'x')).toThrow(expect.objectContaining({ code: 'invalidArgument' }));
  });

  it('one-line source specs: preset:ID, KIND:URL, a bare URL as WFS, a file path as null', () => {
    expect(parseNetworkSourceSpec('preset:statfi-schools')).toEqual({ kind: 'statfi-wfs', url: 'https://geo.stat.fi/geoserver/oppilaitokset/wfs', presetId: 'statfi-schools' });
    expect(parseNetworkSourceSpec('ogcapi:http://127.0.0.1:8080/ogcapi')).toEqual({ kind: 'ogcapi', url: 'http://127.0.0.1:8080/ogcapi', presetId: null });
    expect(parseNetworkSourceSpec('https://kartta.hel.fi/ws/geoserver/avoindata/wfs')).toMatchObject({ kind: 'wfs' });
    expect(parseNetworkSourceSpec('/home/me/koulut.gpkg')).toBeNull();
    expect(parseNetworkSourceSpec('C:\\data\\koulut.csv')).toBeNull();
    expect(() => parseNetworkSourceSpec('preset:nope')).toThrow(expect.objectContaining({ code: 'sourceLayerNotFound' }));
    const { config, mapping } = configFromSpec(parseNetworkSourceSpec('preset:helsinki-subdistricts')!, { id: 'osa', title: 'Osa-alueet', epsg: 4326 });
    expect(config).toMatchObject({ kind: 'wfs', layer: 'avoindata:Piirijako_osaalue', epsg: 4326, targetLayer: 'demand_units' });
    expect(mapping?.fields.unit_kind).toEqual({ constant: 'small_area' });
    expect(() => configFromSpec(parseNetworkSourceSpec('wfs:http://x/wfs')!, { id: 'x', title: 'x', layer: 'a' })).toThrow(expect.objectContaining({ code: 'invalidArgument' }));
  });
});
