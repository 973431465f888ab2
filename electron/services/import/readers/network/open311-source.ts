/**
 * Residents' feedback from an Open311 GeoReport v2 endpoint (Helsinki: asiointi.hel.fi/palautews/rest/v1/)
 * as a point layer in WGS84: the human-centred view of the network.
 *
 * - `services.json` lists the services: one layer per service (`service:<code>`) plus `requests` (all).
 * - `requests.json?start_date&end_date[&service_code]`: the API answers at most 90 days per request, so
 *   the reader walks the period (default the last 365 days) in windows of at most 90 days.
 * - Responses in ISO-8859-1 exist (Helsinki's services_sv.json): http-client decodes by the declared
 *   charset, else UTF-8 when valid, else ISO-8859-1.
 */
import { VerkostoError } from '../../../../../shared/errors';
import type { FeatureSource, ReadOptions, SourceFeature, SourceField, SourceLayerInfo } from '../../../../../shared/import/feature-source';
import { checkAxesAndCrs } from './coordinates';
import { abortError, fetchJson, serverName, type HttpOptions } from './http-client';

export interface Open311SourceOptions {
  /** Base URL ending in the API root, e.g. https://asiointi.hel.fi/palautews/rest/v1/ */
  url: string;
  /** Period: ISO dates; default the last `days` (365) days up to now. */
  startDate?: string;
  endDate?: string;
  days?: number;
  /** Locale for services.json (fi, sv, en). */
  locale?: string;
  http?: HttpOptions;
  /** For tests: the clock. */
  now?: () => Date;
}

export const OPEN311_MAX_WINDOW_DAYS = 90;
const DAY = 86_400_000;

const FIELDS: SourceField[] = [
  { name: 'service_request_id', type: 'string' },
  { name: 'status', type: 'string' },
  { name: 'service_code', type: 'string' },
  { name: 'service_name', type: 'string' },
  { name: 'description', type: 'string' },
  { name: 'requested_datetime', type: 'date' },
  { name: 'updated_datetime', type: 'date' },
  { name: 'address', type: 'string' },
];

/** [start, end) windows of at most 90 days covering the period, oldest first. */
export function open311Windows(start: Date, end: Date, maxDays = OPEN311_MAX_WINDOW_DAYS): Array<{ start: Date; end: Date }> {
  const windows: Array<{ start: Date; end: Date }> = [];
  for (let from = start.getTime(); from < end.getTime(); from += maxDays * DAY) {
    windows.push({ start: new Date(from), end: new Date(Math.min(end.getTime(), from + maxDays * DAY)) });
  }
  return windows;
}

export class Open311Source implements FeatureSource {
  readonly description: string;
  private readonly options: Open311SourceOptions;
  private readonly server: string;

  constructor(options: Open311SourceOptions) {
    this.options = options;
    this.server = serverName(options.url);
    this.description = `Open311 ${options.url}`;
  }

  private endpoint(name: string, params: Record<string, string | undefined>): string {
    const url = new URL(name, this.options.url.endsWith('/') ? this.options.url : `${this.options.url}/`);
    for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
    return url.toString();
  }

  private http(options?: ReadOptions): HttpOptions {
    return { ...this.options.http, signal: options?.signal ?? this.options.http?.signal };
  }

  async services(options?: ReadOptions): Promise<Array<{ service_code: string; service_name: string }>> {
    const { json } = await fetchJson<unknown>(this.endpoint('services.json', { locale: this.options.locale }), this.http(options));
    if (!Array.isArray(json)) throw new VerkostoError('sourceBadResponse', { server: this.server, detail: 'services.json is not a JSON array' });
    return (json as Array<Record<string, unknown>>).filter((service) => service && service.service_code !== undefined).map((service) => ({ service_code: String(service.service_code), service_name: String(service.service_name ?? service.service_code) }));
  }

  async listLayers(options?: ReadOptions): Promise<SourceLayerInfo[]> {
    const services = await this.services(options);
    const layer = (name: string, title: string | null): SourceLayerInfo => ({ name, title, epsg: 4326, latitudeFirst: false, fields: FIELDS, featureCount: null, extent: null });
    return [layer('requests', null), ...services.map((service) => layer(`service:${service.service_code}`, service.service_name))];
  }

  private period(): { start: Date; end: Date } {
    const now = this.options.now?.() ?? new Date();
    const end = this.options.endDate ? new Date(this.options.endDate) : now;
    const start = this.options.startDate ? new Date(this.options.startDate) : new Date(end.getTime() - (this.options.days ?? 365) * DAY);
    if (!Number.isFinite(start.getTime()) || !Number.isFinite(end.getTime()) || start >= end) {
      throw new VerkostoError('invalidArgument', { detail: `Open311 period ${this.options.startDate ?? ''}–${this.options.endDate ?? ''}` });
    }
    return { start, end };
  }

  async *readFeatures(layer: string, options: ReadOptions = {}): AsyncIterable<SourceFeature> {
    let serviceCode: string | undefined;
    if (layer.startsWith('service:')) serviceCode = layer.slice('service:'.length);
    else if (layer !== 'requests') throw new VerkostoError('sourceLayerNotFound', { server: this.server, layer, available: 'requests, service:<code>' });
    const { start, end } = this.period();
    const seen = new Set<string>();
    let read = 0;
    for (const window of open311Windows(start, end)) {
      if (options.signal?.aborted) throw abortError(options.signal);
      const url = this.endpoint('requests.json', { service_code: serviceCode, start_date: window.start.toISOString(), end_date: window.end.toISOString() });
      const { json } = await fetchJson<unknown>(url, this.http(options));
      if (!Array.isArray(json)) throw new VerkostoError('sourceBadResponse', { server: this.server, detail: 'requests.json is not a JSON array' });
      const page: SourceFeature[] = [];
      for (const request of json as Array<Record<string, unknown>>) {
        const id = request?.service_request_id;
        if (id === undefined || id === null || seen.has(String(id))) continue;
        seen.add(String(id));
        const lat = Number(request.lat);
        const lon = Number(request.long ?? request.lon);
        const properties: Record<string, unknown> = {};
        for (const field of FIELDS) properties[field.name] = request[field.name] === undefined ? null : request[field.name];
        page.push({ sourceId: String(id), geometry: Number.isFinite(lat) && Number.isFinite(lon) && request.lat !== null ? { type: 'Point', coordinates: [lon, lat] } : null, properties });
      }
      checkAxesAndCrs(page, 4326, this.server);
      for (const feature of page) {
        if (options.bbox && feature.geometry?.type === 'Point') {
          const [x, y] = feature.geometry.coordinates;
          if (x < options.bbox[0] || x > options.bbox[2] || y < options.bbox[1] || y > options.bbox[3]) continue;
        }
        read++;
        yield feature;
      }
      options.onProgress?.({ featuresRead: read, featuresTotal: null, bytesRead: null, bytesTotal: null });
    }
  }
}
