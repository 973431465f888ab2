/**
 * OGC API – Features (Part 1, with Part 2 `crs` where the server offers it) as a FeatureSource: the landing
 * page's data link → collections (id, title, CRS84 extent, `crs` list), items with `limit`, `bbox` and the
 * `next` links (resolved against the request URL: relative links exist), numberMatched for progress.
 *
 * CRS: when a collection lists the wanted CRS (Part 2), items are asked with `crs=` and the answer's
 * Content-Crs header is checked; otherwise the server answers in CRS84 (lon/lat) and the layer says
 * EPSG:4326, so the pipeline reprojects. MapServer 8.0 has no Part 2: it ignores `crs` and sends CRS84.
 */
import { VerkostoError } from '../../../../../shared/errors';
import type { FeatureSource, ReadOptions, SourceFeature, SourceField, SourceLayerInfo } from '../../../../../shared/import/feature-source';
import { axisOrderOf } from '../../gml/gml-parser';
import { checkAxesAndCrs, extentFromWgs84, geometryFromGeoJson } from './coordinates';
import { abortError, fetchJson, serverName, type HttpOptions, type HttpResult } from './http-client';

export interface OgcApiSourceOptions {
  /** Landing page URL, e.g. https://…/ogcapi or https://…/features. */
  url: string;
  /** EPSG wanted (used when the collection offers it); default CRS84. */
  epsg?: number | null;
  /** Items per page. Default 1000 (servers clamp to their own maximum). */
  pageSize?: number;
  http?: HttpOptions;
}

interface Link { href?: string; rel?: string; type?: string }

interface Collection {
  id: string;
  title?: string;
  extent?: { spatial?: { bbox?: number[][]; crs?: string } };
  crs?: string[];
  storageCrs?: string;
  links?: Link[];
}

const MAX_DESCRIBED_COLLECTIONS = 20;

function epsgUri(epsg: number): string {
  return `http://www.opengis.net/def/crs/EPSG/0/${epsg}`;
}

function withParams(url: string, params: Record<string, string | number | undefined>): string {
  const target = new URL(url);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) target.searchParams.set(key, String(value));
  return target.toString();
}

function inferType(value: unknown): SourceField['type'] {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}/.test(value) ? 'date' : 'string';
  return 'unknown';
}

export class OgcApiSource implements FeatureSource {
  readonly description: string;
  private readonly options: OgcApiSourceOptions;
  private readonly server: string;
  private collectionsPromise: Promise<{ url: string; collections: Collection[] }> | null = null;

  constructor(options: OgcApiSourceOptions) {
    this.options = options;
    this.server = serverName(options.url);
    this.description = `OGC API Features ${options.url}`;
  }

  private http(options?: ReadOptions): HttpOptions {
    return { ...this.options.http, signal: options?.signal ?? this.options.http?.signal };
  }

  private async collections(options?: ReadOptions): Promise<{ url: string; collections: Collection[] }> {
    if (!this.collectionsPromise) {
      this.collectionsPromise = (async () => {
        const landingUrl = withParams(this.options.url, { f: 'json' });
        const { json: landing } = await fetchJson<{ links?: Link[] }>(landingUrl, this.http(options));
        const data = landing.links?.find((link) => link.rel === 'data' || link.rel === 'http://www.opengis.net/def/rel/ogc/1.0/data');
        const base = data?.href ? new URL(data.href, landingUrl).toString() : `${this.options.url.replace(/\/+$/, '')}/collections`;
        const url = withParams(base, { f: 'json' });
        const { json } = await fetchJson<{ collections?: Collection[] }>(url, this.http(options));
        if (!Array.isArray(json.collections)) throw new VerkostoError('sourceBadResponse', { server: this.server, detail: 'no collections in /collections' });
        return { url, collections: json.collections };
      })();
      this.collectionsPromise.catch(() => { this.collectionsPromise = null; });
    }
    return this.collectionsPromise;
  }

  private async collection(layer: string, options?: ReadOptions): Promise<{ url: string; collection: Collection }> {
    const { url, collections } = await this.collections(options);
    const collection = collections.find((candidate) => candidate.id === layer);
    if (!collection) {
      throw new VerkostoError('sourceLayerNotFound', { server: this.server, layer, available: collections.slice(0, 12).map((candidate) => candidate.id).join(', ') });
    }
    return { url, collection };
  }

  /** The EPSG the items will come in: the wanted one when the collection lists it (Part 2), else 4326 (CRS84). */
  private deliveredEpsg(collection: Collection): number {
    const wanted = this.options.epsg;
    if (wanted && wanted !== 4326 && collection.crs?.some((crs) => axisOrderOf(crs).epsg === wanted)) return wanted;
    return 4326;
  }

  private basicInfo(collection: Collection): SourceLayerInfo {
    const epsg = this.deliveredEpsg(collection);
    const bbox = collection.extent?.spatial?.bbox?.[0];
    const extent = bbox && bbox.length >= 4 ? extentFromWgs84([bbox[0]!, bbox[1]!, bbox[2]!, bbox[3]!], epsg) : null;
    return { name: collection.id, title: collection.title ?? null, epsg, latitudeFirst: false, fields: [], featureCount: null, extent };
  }

  /** Collections; with few of them (≤ 20) each is described from its first item (fields, count). */
  async listLayers(options?: ReadOptions): Promise<SourceLayerInfo[]> {
    const { url, collections } = await this.collections(options);
    if (collections.length > MAX_DESCRIBED_COLLECTIONS) return collections.map((collection) => this.basicInfo(collection));
    return Promise.all(collections.map(async (collection) => {
      try {
        return await this.describe(url, collection, options);
      } catch (error) {
        if (options?.signal?.aborted) throw abortError(options.signal);
        // A collection that cannot be sampled is still listed: its fields come with the import.
        return this.basicInfo(collection);
      }
    }));
  }

  private async describe(collectionsUrl: string, collection: Collection, options?: ReadOptions): Promise<SourceLayerInfo> {
    const itemsUrl = this.itemsUrl(collectionsUrl, collection);
    const { json } = await fetchJson<{ features?: Array<{ properties?: Record<string, unknown> }>; numberMatched?: number }>(withParams(itemsUrl, { f: 'json', limit: 1 }), { ...this.http(options), attempts: 2 });
    const properties = json.features?.[0]?.properties ?? {};
    return {
      ...this.basicInfo(collection),
      fields: Object.entries(properties).map(([name, value]) => ({ name, type: inferType(value) })),
      featureCount: typeof json.numberMatched === 'number' ? json.numberMatched : null,
    };
  }

  /** Fields of a collection from its first item (Part 1 has no schema resource) and its feature count. */
  async describeLayer(layer: string, options?: ReadOptions): Promise<SourceLayerInfo> {
    const { collection, url } = await this.collection(layer, options);
    return this.describe(url, collection, options);
  }

  private itemsUrl(collectionsUrl: string, collection: Collection): string {
    const link = collection.links?.find((candidate) => candidate.rel === 'items' && (!candidate.type || /json/.test(candidate.type)));
    if (link?.href) {
      const url = new URL(link.href, collectionsUrl);
      url.searchParams.delete('f');
      return url.toString();
    }
    const base = new URL(collectionsUrl);
    base.search = '';
    return `${base.toString().replace(/\/+$/, '')}/${encodeURIComponent(collection.id)}/items`;
  }

  async *readFeatures(layer: string, options: ReadOptions = {}): AsyncIterable<SourceFeature> {
    const { url: collectionsUrl, collection } = await this.collection(layer, options);
    const epsg = this.deliveredEpsg(collection);
    const params: Record<string, string | number | undefined> = { f: 'json', limit: this.options.pageSize ?? 1000 };
    if (epsg !== 4326) params.crs = epsgUri(epsg);
    if (options.bbox) {
      if (epsg !== 4326) {
        params.bbox = options.bbox.join(',');
        params['bbox-crs'] = epsgUri(epsg);
      } else {
        params.bbox = options.bbox.join(',');
      }
    }
    let url: string | null = withParams(this.itemsUrl(collectionsUrl, collection), params);
    let read = 0;
    let total: number | null = null;
    const seen = new Set<string>();
    while (url) {
      if (options.signal?.aborted) throw abortError(options.signal);
      const response: { json: Record<string, unknown>; result: HttpResult } = await fetchJson<Record<string, unknown>>(url, this.http(options));
      const { json, result } = response;
      if (json.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
        throw new VerkostoError('sourceBadResponse', { server: this.server, detail: `items of ${collection.id} are not a GeoJSON FeatureCollection` });
      }
      const features = (json.features as Array<Record<string, unknown>>).map((feature, index) => {
        const properties = { ...(feature.properties as Record<string, unknown> | null ?? {}) };
        const id = String(feature.id ?? `${collection.id}.${read + index + 1}`);
        return { sourceId: id, geometry: geometryFromGeoJson(feature.geometry, { server: this.server, feature: id }), properties };
      });
      // Content-Crs says what the server did with `crs`; without it the answer is CRS84.
      if (epsg !== 4326) {
        const header = result.headers['content-crs'];
        const contentCrs = header ? axisOrderOf(header.replace(/^<|>$/g, '')).epsg : 4326;
        if (contentCrs !== epsg) {
          throw new VerkostoError('sourceCrsMismatch', { server: this.server, requested: `EPSG:${epsg}`, received: `EPSG:${contentCrs}` });
        }
      }
      checkAxesAndCrs(features, epsg, this.server);
      if (typeof json.numberMatched === 'number') total = json.numberMatched;
      for (const feature of features) {
        // A server whose paging shifts under concurrent edits can repeat a feature; deliver each id once.
        if (seen.has(feature.sourceId)) continue;
        seen.add(feature.sourceId);
        yield feature;
      }
      read += features.length;
      options.onProgress?.({ featuresRead: read, featuresTotal: total, bytesRead: result.bytes, bytesTotal: null });
      const next: Link | undefined = Array.isArray(json.links) ? (json.links as Link[]).find((link) => link.rel === 'next' && (!link.type || /json/.test(link.type))) : undefined;
      if (!next?.href || features.length === 0 || (total !== null && read >= total)) break;
      url = new URL(next.href, url).toString();
    }
  }
}
