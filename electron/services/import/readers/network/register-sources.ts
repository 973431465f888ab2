/**
 * The Helsinki-region service registers as FeatureSources: schools and daycares as facilities.
 *
 * - TPR (palvelurekisteri) REST v4: `…/palvelukarttaws/rest/v4/unit/?ontologyword=317+318` answers one JSON
 *   array of units; each record carries WGS84 `latitude`/`longitude`, ETRS-GK25 `northing_etrs_gk25`/
 *   `easting_etrs_gk25` and ETRS-TM35FIN `northing_etrs_tm35fin`/`easting_etrs_tm35fin`. The reader takes the
 *   CRS the source configuration asks for (TM35FIN by default) and falls back to WGS84 reprojected when a
 *   record lacks those fields.
 * - Service Map v2: `…/servicemap/v2/unit/?service_node=…&page_size=…` pages `count`/`next`/`results`;
 *   `location` is a GeoJSON Point in WGS84; translated fields ({fi, sv, en}) become name_fi, name_sv, name_en.
 *
 * A layer is a named query from the configuration (`layers`), or written inline: `ontologyword=317+318` /
 * `service_node=1087,1088`.
 */
import proj4 from 'proj4';
import { VerkostoError } from '../../../../../shared/errors';
import { findCrs } from '../../../../../shared/geo/crs';
import type { Geometry } from '../../../../../shared/geo/geometry';
import type { FeatureSource, ReadOptions, SourceFeature, SourceField, SourceLayerInfo } from '../../../../../shared/import/feature-source';
import { checkAxesAndCrs, geometryFromGeoJson } from './coordinates';
import { abortError, fetchJson, serverName, type HttpOptions } from './http-client';

const WGS84 = '+proj=longlat +datum=WGS84 +no_defs';

/** Flattens a register record: scalars kept, {fi, sv, en} objects → name_fi…, arrays of scalars → "a,b". */
export function flattenRecord(record: Record<string, unknown>, skip: ReadonlySet<string> = new Set()): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (skip.has(key)) continue;
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out[key] = value;
    } else if (Array.isArray(value)) {
      if (value.every((item) => item === null || ['string', 'number', 'boolean'].includes(typeof item))) out[key] = value.join(',');
    } else if (typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length > 0 && entries.every(([language, text]) => /^[a-z]{2}$/.test(language) && (typeof text === 'string' || text === null))) {
        for (const [language, text] of entries) out[`${key}_${language}`] = text;
      }
    }
  }
  return out;
}

function fieldsOf(features: SourceFeature[]): SourceField[] {
  const types = new Map<string, SourceField['type']>();
  for (const feature of features.slice(0, 200)) {
    for (const [name, value] of Object.entries(feature.properties)) {
      if (value === null || value === undefined) {
        if (!types.has(name)) types.set(name, 'unknown');
        continue;
      }
      const type: SourceField['type'] = typeof value === 'boolean' ? 'boolean' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : 'string';
      const previous = types.get(name);
      types.set(name, previous === undefined || previous === 'unknown' || previous === type ? type : previous === 'integer' && type === 'number' ? 'number' : 'string');
    }
  }
  return [...types].map(([name, type]) => ({ name, type }));
}

export interface RegisterLayer {
  title: string;
  /** TPR: ontologyword ids; Service Map: service_node ids. */
  ids: number[];
  /** Extra query parameters, e.g. Service Map `municipality: "espoo"`. */
  params?: Record<string, string>;
  /** Keep only records whose flattened field equals the value, e.g. TPR `address_city_fi: "Espoo"`. */
  where?: Record<string, string>;
}

interface RegisterOptions {
  url: string;
  layers?: Record<string, RegisterLayer>;
  /** The configured layer when it is an inline query (`ontologyword=601`): listed with the named layers. */
  query?: string;
  http?: HttpOptions;
}

export interface TprSourceOptions extends RegisterOptions {
  /** CRS to deliver: 3067 (TM35FIN, default), 3879 (GK25) or 4326 (WGS84). */
  epsg?: 3067 | 3879 | 4326;
}

abstract class RegisterSource implements FeatureSource {
  abstract readonly description: string;
  protected readonly server: string;
  private cache = new Map<string, SourceFeature[]>();

  constructor(protected readonly options: RegisterOptions, protected readonly inlineKey: string) {
    this.server = serverName(options.url);
  }

  protected abstract epsg(): number;
  protected abstract fetchLayer(ids: number[], options: ReadOptions, params: Record<string, string>): Promise<SourceFeature[]>;

  protected http(options?: ReadOptions): HttpOptions {
    return { ...this.options.http, signal: options?.signal ?? this.options.http?.signal };
  }

  protected layerIds(layer: string): number[] {
    const named = this.options.layers?.[layer];
    if (named) return named.ids;
    const inline = new RegExp(`^${this.inlineKey}=([\\d+, ]+)$`).exec(layer.trim());
    if (inline) return inline[1]!.split(/[+, ]+/).filter(Boolean).map(Number);
    throw new VerkostoError('sourceLayerNotFound', { server: this.server, layer, available: Object.keys(this.options.layers ?? {}).join(', ') || `${this.inlineKey}=…` });
  }

  private async load(layer: string, options: ReadOptions): Promise<SourceFeature[]> {
    const cached = this.cache.get(layer);
    if (cached) return cached;
    const named = this.options.layers?.[layer];
    const fetched = await this.fetchLayer(this.layerIds(layer), options, named?.params ?? {});
    const where = Object.entries(named?.where ?? {});
    const features = where.length === 0 ? fetched : fetched.filter((feature) => where.every(([field, value]) => String(feature.properties[field] ?? '').toLowerCase() === value.toLowerCase()));
    checkAxesAndCrs(features, this.epsg(), this.server);
    return features;
  }

  async listLayers(options?: ReadOptions): Promise<SourceLayerInfo[]> {
    const infos: SourceLayerInfo[] = [];
    const layers: Array<[string, { title: string }]> = Object.entries(this.options.layers ?? {});
    const query = this.options.query;
    if (query && !this.options.layers?.[query]) {
      this.layerIds(query);
      layers.push([query, { title: query }]);
    }
    for (const [name, layer] of layers) {
      // Registers have no schema resource: fields and count come from the records themselves (one request each).
      const features = await this.load(name, options ?? {});
      this.cache.set(name, features);
      infos.push({ name, title: layer.title, epsg: this.epsg(), latitudeFirst: false, fields: fieldsOf(features), featureCount: features.length, extent: null });
    }
    return infos;
  }

  async *readFeatures(layer: string, options: ReadOptions = {}): AsyncIterable<SourceFeature> {
    const features = await this.load(layer, options);
    this.cache.delete(layer);
    let read = 0;
    for (const feature of features) {
      if (options.signal?.aborted) throw abortError(options.signal);
      if (options.bbox && feature.geometry?.type === 'Point') {
        const [x, y] = feature.geometry.coordinates;
        const [minX, minY, maxX, maxY] = options.bbox;
        if (x < minX || x > maxX || y < minY || y > maxY) continue;
      }
      read++;
      yield feature;
    }
    options.onProgress?.({ featuresRead: read, featuresTotal: read, bytesRead: null, bytesTotal: null });
  }
}

/** Helsinki-region service register (TPR) REST v4 units. */
export class TprSource extends RegisterSource {
  readonly description: string;
  private readonly target: 3067 | 3879 | 4326;

  constructor(options: TprSourceOptions) {
    super(options, 'ontologyword');
    this.target = options.epsg ?? 3067;
    this.description = `TPR ${options.url}`;
  }

  protected epsg(): number {
    return this.target;
  }

  private pointOf(record: Record<string, unknown>): Geometry | null {
    const number = (key: string): number | null => (typeof record[key] === 'number' && Number.isFinite(record[key]) ? (record[key] as number) : typeof record[key] === 'string' && record[key] !== '' && Number.isFinite(Number(record[key])) ? Number(record[key]) : null);
    const pairs: Record<number, [string, string]> = { 3067: ['easting_etrs_tm35fin', 'northing_etrs_tm35fin'], 3879: ['easting_etrs_gk25', 'northing_etrs_gk25'], 4326: ['longitude', 'latitude'] };
    const [xKey, yKey] = pairs[this.target]!;
    const x = number(xKey);
    const y = number(yKey);
    if (x !== null && y !== null) return { type: 'Point', coordinates: [x, y] };
    const lon = number('longitude');
    const lat = number('latitude');
    if (lon === null || lat === null) return null;
    const [px, py] = proj4(WGS84, findCrs(this.target)!.proj4, [lon, lat]);
    return { type: 'Point', coordinates: [px!, py!] };
  }

  protected async fetchLayer(ids: number[], options: ReadOptions, params: Record<string, string>): Promise<SourceFeature[]> {
    const url = new URL(this.options.url);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    // The register takes several ontology words joined by '+' (a literal plus, not an encoded space).
    const query = `ontologyword=${ids.join('+')}`;
    const full = `${url.origin}${url.pathname}?${[url.searchParams.toString(), query].filter(Boolean).join('&')}`;
    const { json } = await fetchJson<unknown>(full, this.http(options));
    if (!Array.isArray(json)) throw new VerkostoError('sourceBadResponse', { server: this.server, detail: 'the unit list is not a JSON array' });
    const features: SourceFeature[] = [];
    for (const record of json as Array<Record<string, unknown>>) {
      if (!record || typeof record !== 'object' || record.id === undefined) continue;
      features.push({ sourceId: String(record.id), geometry: this.pointOf(record), properties: flattenRecord(record) });
    }
    return features;
  }
}

export interface ServiceMapSourceOptions extends RegisterOptions {
  pageSize?: number;
}

/** Helsinki Service Map API v2 units (paged), WGS84. */
export class ServiceMapSource extends RegisterSource {
  readonly description: string;
  private readonly pageSize: number;

  constructor(options: ServiceMapSourceOptions) {
    super(options, 'service_node');
    this.pageSize = options.pageSize ?? 500;
    this.description = `Service Map ${options.url}`;
  }

  protected epsg(): number {
    return 4326;
  }

  protected async fetchLayer(ids: number[], options: ReadOptions, params: Record<string, string>): Promise<SourceFeature[]> {
    const first = new URL(this.options.url);
    for (const [key, value] of Object.entries(params)) first.searchParams.set(key, value);
    first.searchParams.set('service_node', ids.join(','));
    first.searchParams.set('page_size', String(this.pageSize));
    let url: string | null = first.toString();
    const features: SourceFeature[] = [];
    const seen = new Set<string>();
    let total: number | null = null;
    for (let page = 0; url && page < 10_000; page++) {
      if (options.signal?.aborted) throw abortError(options.signal);
      const response: { json: { count?: number; next?: string | null; results?: Array<Record<string, unknown>> } } = await fetchJson(url, this.http(options));
      const { json } = response;
      if (!json || !Array.isArray(json.results)) throw new VerkostoError('sourceBadResponse', { server: this.server, detail: 'no results in the unit page' });
      if (typeof json.count === 'number') total = json.count;
      for (const record of json.results) {
        if (!record || record.id === undefined || seen.has(String(record.id))) continue;
        seen.add(String(record.id));
        const id = String(record.id);
        features.push({ sourceId: id, geometry: geometryFromGeoJson(record.location ?? null, { server: this.server, feature: id }), properties: flattenRecord(record, new Set(['location', 'geometry'])) });
      }
      options.onProgress?.({ featuresRead: features.length, featuresTotal: total, bytesRead: null, bytesTotal: null });
      url = json.next ? new URL(json.next, url).toString() : null;
      if (json.results.length === 0) break;
    }
    return features;
  }
}
