/**
 * Network services opened from the import dialog ("From a service"): the host reads a service's layer list
 * (WFS GetCapabilities, OGC API collections, a preset's register query), keeps the connection under an id,
 * and caches the first features of the layer the user picks, so the mapping dialog's previews do not ask
 * the server again on every change. The import itself reads the service afresh (streamed, cancellable), and
 * the configuration it stores is the one `verkosto sync` and the Sources dialog read again.
 */
import { randomBytes } from 'node:crypto';
import type { LayerId } from '../../../shared/domain/project';
import { VerkostoError } from '../../../shared/errors';
import type { FeatureSource, ReadOptions, SourceFeature, SourceLayerInfo } from '../../../shared/import/feature-source';
import type { NetworkPresetInfo } from '../../../shared/import/contract';
import type { FieldMapping, NetworkSourceKind, StoredSourceConfig } from '../../../shared/import/types';
import { findPreset, NETWORK_PRESETS } from './presets/presets';
import { createNetworkSource } from './readers/network';

/** Features read once per layer for the mapping dialog's checks and map preview. */
export const SERVICE_PREVIEW_LIMIT = 500;
/** Open connections kept per host (the oldest is dropped): each holds at most one cached sample per layer. */
const MAX_CONNECTIONS = 8;

export interface ServiceConnection {
  id: string;
  /** Everything but the layer, target and provenance the user picks: kind, URL, CRS to ask for, options. */
  base: StoredSourceConfig;
  presetId: string | null;
  layers: SourceLayerInfo[];
  sources: Map<string, FeatureSource>;
  samples: Map<string, Promise<SourceFeature[]>>;
}

export function listPresetInfos(): NetworkPresetInfo[] {
  return NETWORK_PRESETS.map((preset) => ({
    id: preset.id,
    city: preset.city,
    kind: preset.kind,
    url: preset.url,
    layer: preset.layer,
    targetLayer: preset.targetLayer,
    epsg: preset.epsg,
    publisher: preset.publisher,
    licence: preset.licence,
    attribution: preset.attribution,
    verified: preset.verified,
  }));
}

/** The preset's mapping when it maps into this layer, else null (the dialog then suggests one from the fields). */
export function presetMapping(presetId: string | null, targetLayer: LayerId): FieldMapping | null {
  const preset = presetId ? findPreset(presetId) : null;
  if (!preset || preset.targetLayer !== targetLayer || Object.keys(preset.fields).length === 0) return null;
  return { name: preset.id, targetLayer, fields: structuredClone(preset.fields) };
}

export function createServiceConnections() {
  const connections = new Map<string, ServiceConnection>();

  function sourceFor(connection: ServiceConnection, layer: string): FeatureSource {
    let source = connection.sources.get(layer);
    if (!source) {
      // The layer is part of the configuration: a WFS with many layers describes only that one's fields.
      source = createNetworkSource({ ...connection.base, layer });
      connection.sources.set(layer, source);
    }
    return source;
  }

  return {
    /** Reads the service's layers; throws the reader's message (offline, timeout, HTTP status, ExceptionReport, …). */
    async connect(args: { kind: NetworkSourceKind; url: string | null; presetId: string | null }, signal?: AbortSignal): Promise<ServiceConnection> {
      const preset = args.presetId ? findPreset(args.presetId) : null;
      if (args.presetId && !preset) throw new VerkostoError('invalidArgument', { detail: `unknown preset ${args.presetId}` });
      const url = args.url ?? preset?.url ?? null;
      if (!url) throw new VerkostoError('invalidArgument', { detail: 'the service address' });
      // A preset brings its options and mapping; the kind is the caller's (the preset's own unless the user changed it).
      const kind = args.kind;
      const base: StoredSourceConfig = {
        id: 'service',
        kind,
        title: url,
        url,
        file: null,
        layer: preset?.layer ?? '',
        // Replaced by the user's choice at import.
        targetLayer: preset?.targetLayer ?? 'facilities',
        mappingName: null,
        publisher: preset?.publisher ?? null,
        licence: preset?.licence ?? null,
        attribution: preset?.attribution ?? null,
        epsg: preset?.epsg ?? null,
        options: preset ? { ...structuredClone(preset.options), presetId: preset.id } : {},
      };
      const listing = createNetworkSource(base);
      const layers = await listing.listLayers({ signal });
      if (layers.length === 0) throw new VerkostoError('sourceBadResponse', { server: new URL(url).host, detail: 'the service lists no layers' });
      const connection: ServiceConnection = { id: randomBytes(16).toString('hex'), base, presetId: preset?.id ?? null, layers, sources: new Map(), samples: new Map() };
      if (base.layer) connection.sources.set(base.layer, listing);
      connections.set(connection.id, connection);
      while (connections.size > MAX_CONNECTIONS) connections.delete(connections.keys().next().value!);
      return connection;
    },

    require(serviceId: string): ServiceConnection {
      const connection = connections.get(serviceId);
      if (!connection) throw new VerkostoError('unknownJob');
      return connection;
    },

    /** The layer's description with its fields (asked for this layer alone on a big WFS). */
    async describe(connection: ServiceConnection, layer: string, signal?: AbortSignal): Promise<SourceLayerInfo> {
      const known = connection.layers.find((candidate) => candidate.name === layer);
      if (!known) throw new VerkostoError('sourceLayerNotFound', { server: new URL(connection.base.url!).host, layer, available: connection.layers.slice(0, 12).map((candidate) => candidate.name).join(', ') });
      if (known.fields.length > 0) return known;
      const described = (await sourceFor(connection, layer).listLayers({ signal })).find((candidate) => candidate.name === layer);
      return described && described.fields.length > 0 ? described : known;
    },

    /** The first features of a layer, read once; a failed read is not kept, so trying again asks the server again. */
    sample(connection: ServiceConnection, layer: string): Promise<SourceFeature[]> {
      let sample = connection.samples.get(layer);
      if (!sample) {
        const source = sourceFor(connection, layer);
        sample = (async () => {
          const features: SourceFeature[] = [];
          for await (const feature of source.readFeatures(layer)) {
            features.push(feature);
            if (features.length >= SERVICE_PREVIEW_LIMIT) break;
          }
          return features;
        })();
        connection.samples.set(layer, sample);
        sample.catch(() => connection.samples.delete(layer));
      }
      return sample;
    },

    /** A FeatureSource over the cached sample (previews), with the real source's layer list. */
    previewSource(connection: ServiceConnection, layer: string): FeatureSource {
      const source = sourceFor(connection, layer);
      const sample = this.sample(connection, layer);
      return {
        description: source.description,
        listLayers: (options?: ReadOptions) => source.listLayers(options),
        async *readFeatures() {
          // Copies: the pipeline may change a feature's properties (e.g. Statistics Finland's protected cells).
          for (const feature of await sample) yield structuredClone(feature);
        },
      };
    },

    /**
     * Limits the connection's reads to an area ([minX, minY, maxX, maxY] in `epsg`, e.g. the map view), or
     * lifts the limit (null). The configuration the import stores carries it, so sync reads the same area.
     */
    setArea(connection: ServiceConnection, box: [number, number, number, number] | null, epsg: number): void {
      const options = { ...connection.base.options };
      const before = JSON.stringify([options.bbox ?? null, options.bboxEpsg ?? null]);
      delete options.bbox;
      delete options.bboxEpsg;
      if (box) Object.assign(options, { bbox: box, bboxEpsg: epsg });
      connection.base = { ...connection.base, options };
      // Another area means other features: the cached sources and preview samples are dropped.
      if (JSON.stringify([options.bbox ?? null, options.bboxEpsg ?? null]) !== before) {
        connection.sources.clear();
        connection.samples.clear();
      }
    },

    /** A fresh source for the import itself (every feature, streamed). */
    importSource(connection: ServiceConnection, layer: string): FeatureSource {
      return createNetworkSource({ ...connection.base, layer });
    },

    clear(): void {
      connections.clear();
    },
  };
}

export type ServiceConnections = ReturnType<typeof createServiceConnections>;
