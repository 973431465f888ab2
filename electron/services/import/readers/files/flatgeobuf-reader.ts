/** FlatGeobuf files through the `flatgeobuf` package: header CRS, columns and count, features streamed. */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import { VerkostoError } from '../../../../../shared/errors';
import type { Geometry } from '../../../../../shared/geo/geometry';
import type { FeatureSource, ReadOptions, SourceFeature, SourceField, SourceLayerInfo } from '../../../../../shared/import/feature-source';
import { checkAborted, fileLabel, fileSize, readHead } from './file-utils';

const MAGIC = [0x66, 0x67, 0x62, 0x03];

function columnType(type: number): SourceField['type'] {
  // flatgeobuf ColumnType: Byte 0, UByte 1, Bool 2, Short 3, UShort 4, Int 5, UInt 6, Long 7, ULong 8, Float 9, Double 10, String 11, Json 12, DateTime 13
  if (type === 2) return 'boolean';
  if (type <= 8) return 'integer';
  if (type <= 10) return 'number';
  if (type === 13) return 'date';
  return 'string';
}

export class FlatGeobufSource implements FeatureSource {
  readonly description: string;
  private header: HeaderMeta | null = null;

  constructor(private readonly file: string) {
    this.description = fileLabel(file);
    fileSize(file);
    const head = readHead(file, 8);
    if (!MAGIC.every((byte, index) => head[index] === byte)) throw new VerkostoError('importUnreadable', { source: this.description, detail: 'not a FlatGeobuf file (magic bytes missing)' });
  }

  private stream(): ReadableStream {
    return Readable.toWeb(createReadStream(this.file)) as unknown as ReadableStream;
  }

  async listLayers(options: ReadOptions = {}): Promise<SourceLayerInfo[]> {
    const iterator = deserialize(this.stream(), { headerMetaFn: (meta: HeaderMeta) => (this.header = meta) });
    try {
      await iterator.next();
    } catch (error) {
      throw new VerkostoError('importUnreadable', { source: this.description, detail: error instanceof Error ? error.message : String(error) });
    } finally {
      await iterator.return?.(undefined);
    }
    checkAborted(options.signal);
    const header = this.header;
    if (!header) throw new VerkostoError('importUnreadable', { source: this.description, detail: 'no header' });
    const epsg = header.crs?.org?.toUpperCase() === 'EPSG' || header.crs?.org == null ? (header.crs?.code || null) : null;
    const envelope = header.envelope;
    return [{
      name: 'default',
      title: header.title ?? this.description,
      epsg,
      latitudeFirst: false,
      fields: (header.columns ?? []).map((column) => ({ name: column.name, type: columnType(column.type) })),
      featureCount: header.featuresCount || null,
      extent: envelope && envelope.length >= 4 ? [envelope[0]!, envelope[1]!, envelope[2]!, envelope[3]!] : null,
    }];
  }

  async *readFeatures(_layer: string, options: ReadOptions = {}): AsyncIterable<SourceFeature> {
    let index = 0;
    try {
      for await (const feature of deserialize(this.stream())) {
        if (index % 2000 === 0) {
          checkAborted(options.signal);
          options.onProgress?.({ featuresRead: index, featuresTotal: this.header?.featuresCount ?? null, bytesRead: null, bytesTotal: null });
        }
        index++;
        const f = feature as unknown as { id?: unknown; geometry: Geometry | null; properties: Record<string, unknown> | null };
        yield { sourceId: f.id != null ? String(f.id) : String(index), geometry: f.geometry, properties: f.properties ?? {} };
      }
    } catch (error) {
      if (error instanceof VerkostoError || (error instanceof Error && error.name === 'AbortError')) throw error;
      throw new VerkostoError('importUnreadable', { source: this.description, detail: error instanceof Error ? error.message : String(error) });
    }
  }
}
