/**
 * GML files (WFS responses saved to disk, GDAL/QGIS exports) through the shared GML parser in
 * electron/services/import/gml/ (part B's; streaming, lenient about undeclared namespace prefixes).
 */
import { createReadStream } from 'node:fs';
import { VerkostoError } from '../../../../../shared/errors';
import type { FeatureSource, ReadOptions, SourceFeature, SourceLayerInfo } from '../../../../../shared/import/feature-source';
import { parseGmlStream, type GmlCollectionInfo } from '../../gml/gml-parser';
import { checkAborted, fileLabel, fileSize, inferFields } from './file-utils';

export class GmlFileSource implements FeatureSource {
  readonly description: string;

  constructor(private readonly file: string) {
    this.description = fileLabel(file);
    fileSize(file);
  }

  private async *features(info: { value: GmlCollectionInfo | null }, signal?: ReadOptions['signal']): AsyncGenerator<SourceFeature> {
    const stream = createReadStream(this.file, { highWaterMark: 256 * 1024 });
    try {
      for await (const feature of parseGmlStream(stream as AsyncIterable<Uint8Array>, { source: this.description }, (value) => (info.value = value))) {
        checkAborted(signal);
        yield feature;
      }
    } catch (error) {
      if (error instanceof VerkostoError || (error instanceof Error && error.name === 'AbortError')) throw error;
      throw new VerkostoError('importUnreadable', { source: this.description, detail: error instanceof Error ? error.message : String(error) });
    } finally {
      stream.destroy();
    }
  }

  async listLayers(options: ReadOptions = {}): Promise<SourceLayerInfo[]> {
    const info: { value: GmlCollectionInfo | null } = { value: null };
    const sample: Record<string, unknown>[] = [];
    let count = 0;
    for await (const feature of this.features(info, options.signal)) {
      count++;
      if (sample.length < 1000) sample.push(feature.properties);
    }
    // The parser delivers x/y (it swaps EPSG-order axes itself), so latitudeFirst is false here.
    return [{ name: 'default', title: this.description, epsg: info.value?.epsg ?? null, latitudeFirst: false, fields: inferFields(sample), featureCount: count, extent: null }];
  }

  async *readFeatures(_layer: string, options: ReadOptions = {}): AsyncIterable<SourceFeature> {
    const info: { value: GmlCollectionInfo | null } = { value: null };
    yield* this.features(info, options.signal);
  }
}
