/**
 * Network sources: one factory from a stored source configuration (shared/import/types.ts
 * StoredSourceConfig, kinds in NETWORK_SOURCE_KINDS) to a FeatureSource, used by import and re-sync
 * (source-registry.ts openStoredSource calls it for every network kind).
 *
 * `config.url` is the endpoint; `config.epsg` the CRS to ask for; `config.options` holds the kind's own
 * settings (see each reader's *SourceOptions), plus `http` ({ connectTimeoutMs, totalTimeoutMs, attempts })
 * to override the client's defaults.
 */
import { VerkostoError } from '../../../../../shared/errors';
import type { FeatureSource, ReadOptions, SourceFeature, SourceLayerInfo } from '../../../../../shared/import/feature-source';
import type { StoredSourceConfig } from '../../../../../shared/import/types';
import { checkReachable, type HttpOptions } from './http-client';
import { OgcApiSource } from './ogcapi-source';
import { Open311Source } from './open311-source';
import { PxWebSource, type PxWebTable } from './pxweb-source';
import { ServiceMapSource, TprSource, type RegisterLayer } from './register-sources';
import { WfsSource, type WfsVersion } from './wfs-source';
import { withConfiguredBbox } from './configured-bbox';

export { checkReachable, httpRequest, fetchJson, fetchXml, DEFAULT_HTTP, type HttpOptions } from './http-client';
export { WfsSource } from './wfs-source';
export { OgcApiSource } from './ogcapi-source';
export { TprSource, ServiceMapSource } from './register-sources';
export { Open311Source } from './open311-source';
export { PxWebSource } from './pxweb-source';

/** Statistics Finland marks protected (suppressed) cells with -1; they become null, named in `suppressed_fields`. */
export class StatFiWfsSource implements FeatureSource {
  readonly description: string;
  constructor(private readonly wfs: WfsSource) {
    this.description = `Statistics Finland ${wfs.description}`;
  }

  listLayers(options?: ReadOptions): Promise<SourceLayerInfo[]> {
    return this.wfs.listLayers(options);
  }

  async *readFeatures(layer: string, options?: ReadOptions): AsyncIterable<SourceFeature> {
    for await (const feature of this.wfs.readFeatures(layer, options)) {
      const suppressed: string[] = [];
      for (const [name, value] of Object.entries(feature.properties)) {
        if (value === -1 || value === '-1') {
          feature.properties[name] = null;
          suppressed.push(name);
        }
      }
      feature.properties.suppressed_fields = suppressed.length > 0 ? suppressed.join(',') : null;
      yield feature;
    }
  }
}

function option<T>(config: StoredSourceConfig, key: string): T | undefined {
  return config.options[key] as T | undefined;
}

/**
 * The FeatureSource for a network source configuration; throws for a file kind or a missing URL. A
 * configured area (`options.bbox`) limits every read to it.
 */
export function createNetworkSource(config: StoredSourceConfig, httpOverrides: HttpOptions = {}): FeatureSource {
  return withConfiguredBbox(createKindSource(config, httpOverrides), config);
}

function createKindSource(config: StoredSourceConfig, httpOverrides: HttpOptions): FeatureSource {
  if (!config.url) throw new VerkostoError('invalidArgument', { detail: `source ${config.id} has no URL` });
  const http: HttpOptions = { ...(option<HttpOptions>(config, 'http') ?? {}), ...httpOverrides };
  const url = config.url;
  switch (config.kind) {
    case 'wfs':
      return new WfsSource({ url, epsg: config.epsg, layer: config.layer, version: option<WfsVersion>(config, 'version'), outputFormat: option(config, 'outputFormat'), pageSize: option(config, 'pageSize'), http });
    case 'statfi-wfs':
      return new StatFiWfsSource(new WfsSource({ url, epsg: config.epsg ?? 3067, layer: config.layer, version: option<WfsVersion>(config, 'version'), outputFormat: option(config, 'outputFormat'), pageSize: option(config, 'pageSize'), http }));
    case 'ogcapi':
      return new OgcApiSource({ url, epsg: config.epsg, pageSize: option(config, 'pageSize'), http });
    case 'tpr':
      return new TprSource({ url, epsg: (config.epsg ?? 3067) as 3067 | 3879 | 4326, layers: option<Record<string, RegisterLayer>>(config, 'layers'), query: config.layer, http });
    case 'servicemap':
      return new ServiceMapSource({ url, layers: option<Record<string, RegisterLayer>>(config, 'layers'), query: config.layer, pageSize: option(config, 'pageSize'), http });
    case 'open311':
      return new Open311Source({ url, days: option(config, 'days'), startDate: option(config, 'startDate'), endDate: option(config, 'endDate'), locale: option(config, 'locale'), http });
    case 'pxweb':
      return new PxWebSource({ url, tables: option<Record<string, PxWebTable>>(config, 'tables') ?? {}, http });
    default:
      throw new VerkostoError('invalidArgument', { detail: `${config.kind} is not a network source` });
  }
}

/**
 * Whether a configured network source can be reached now: the renderer disables Sync with this reason
 * (sourceOffline / sourceTimeout message) while offline; the last snapshot stays in the project.
 */
export async function networkSourceStatus(config: StoredSourceConfig, options: { timeoutMs?: number; signal?: ReadOptions['signal'] } = {}): Promise<{ online: true } | { online: false; reason: VerkostoError }> {
  if (!config.url) return { online: false, reason: new VerkostoError('invalidArgument', { detail: `source ${config.id} has no URL` }) };
  const result = await checkReachable(config.url, options);
  return result.reachable ? { online: true } : { online: false, reason: result.error };
}

