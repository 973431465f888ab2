/**
 * Opens a stored source configuration as a FeatureSource: file kinds are opened here, network kinds by
 * readers/network (createNetworkSource); registerSourceKind can add or override a kind. The sync command
 * and the host re-read any configured source without knowing its reader.
 */
import { VerkostoError } from '../../../shared/errors';
import type { FeatureSource } from '../../../shared/import/feature-source';
import type { SourceKind, StoredSourceConfig } from '../../../shared/import/types';
import { FILE_SOURCE_KINDS, NETWORK_SOURCE_KINDS } from '../../../shared/import/types';
import { openFileSource, type FileReaderOptions } from './readers/files/open-file-source';
import { createNetworkSource } from './readers/network';

export type SourceFactory = (config: StoredSourceConfig) => FeatureSource;

const factories = new Map<string, SourceFactory>();

export function registerSourceKind(kind: SourceKind | string, factory: SourceFactory): void {
  factories.set(kind, factory);
}

export function openStoredSource(config: StoredSourceConfig): FeatureSource {
  const factory = factories.get(config.kind);
  if (factory) return factory(config);
  if ((FILE_SOURCE_KINDS as readonly string[]).includes(config.kind)) {
    if (!config.file) throw new VerkostoError('unknownImportSource', { source: config.id });
    const options = config.options as FileReaderOptions;
    return openFileSource(config.file, { ...options, epsg: config.epsg ?? options.epsg ?? null }, config.kind as never);
  }
  // Network kinds (part B): WFS, OGC API Features, TPR, Service Map, Statistics Finland WFS, PxWeb, Open311.
  if ((NETWORK_SOURCE_KINDS as readonly string[]).includes(config.kind)) return createNetworkSource(config);
  throw new VerkostoError('importUnsupportedFormat', { file: config.kind });
}
