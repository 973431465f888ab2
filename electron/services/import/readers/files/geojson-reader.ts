/**
 * GeoJSON files (RFC 7946 and the 2008 spec's `crs` member). Files up to 64 MB are parsed whole (exact
 * error positions); larger ones stream their `features` array through stream-json in constant memory.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import chain from 'stream-chain';
import { VerkostoError } from '../../../../../shared/errors';
import type { Geometry } from '../../../../../shared/geo/geometry';
import type { FeatureSource, ReadOptions, SourceFeature, SourceLayerInfo } from '../../../../../shared/import/feature-source';
import { epsgFromGeoJsonCrs } from '../../crs-detect';
import { allZero, checkAborted, decodeText, fileLabel, fileSize, inferFields, readHead } from './file-utils';

const WHOLE_FILE_LIMIT = 64 * 1024 * 1024;
const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']);

function toGeometry(value: unknown, label: string, id: string): Geometry | null {
  if (value == null) return null;
  const geometry = value as { type?: unknown; coordinates?: unknown };
  if (typeof geometry.type !== 'string' || !GEOMETRY_TYPES.has(geometry.type) || !Array.isArray(geometry.coordinates)) {
    throw new VerkostoError('importInvalidGeometry', { source: label, feature: id, reason: `not a GeoJSON geometry (${String(geometry.type)})` });
  }
  return geometry as Geometry;
}

function toFeature(value: unknown, index: number, label: string): SourceFeature {
  const feature = value as { type?: unknown; id?: unknown; geometry?: unknown; properties?: unknown };
  if (feature?.type !== 'Feature') throw new VerkostoError('importUnreadable', { source: label, detail: `features[${index}] is not a Feature` });
  const sourceId = feature.id != null && feature.id !== '' ? String(feature.id) : String(index + 1);
  const properties = feature.properties && typeof feature.properties === 'object' ? (feature.properties as Record<string, unknown>) : {};
  return { sourceId, geometry: toGeometry(feature.geometry, label, sourceId), properties };
}

export class GeoJsonFileSource implements FeatureSource {
  readonly description: string;
  private parsed: { crs: unknown; hasCrs: boolean; features: unknown[] } | null = null;
  private readonly size: number;

  /** `wholeFileLimit`: files up to this size are parsed whole, larger ones streamed (tests lower it). */
  constructor(private readonly file: string, private readonly wholeFileLimit = WHOLE_FILE_LIMIT) {
    this.description = fileLabel(file);
    this.size = fileSize(file);
  }

  private whole(): { crs: unknown; hasCrs: boolean; features: unknown[] } {
    if (this.parsed) return this.parsed;
    const bytes = readFileSync(this.file);
    if (allZero(bytes.subarray(0, 4096))) throw new VerkostoError('importUnreadable', { source: this.description, detail: 'the file holds only zero bytes' });
    let json: unknown;
    try {
      json = JSON.parse(decodeText(bytes, null).text);
    } catch (error) {
      throw new VerkostoError('importUnreadable', { source: this.description, detail: error instanceof Error ? error.message : String(error) });
    }
    const root = json as { type?: unknown; features?: unknown; crs?: unknown };
    let features: unknown[];
    if (root?.type === 'FeatureCollection' && Array.isArray(root.features)) features = root.features;
    else if (root?.type === 'Feature') features = [root];
    else throw new VerkostoError('importUnreadable', { source: this.description, detail: 'not a GeoJSON FeatureCollection' });
    this.parsed = { crs: root.crs, hasCrs: 'crs' in (root as object), features };
    return this.parsed;
  }

  private headCrs(): unknown {
    // A big file's `crs` member comes first in every writer we know (GDAL, QGIS); read it from the head.
    const head = decodeText(readHead(this.file, 65536), null).text;
    const match = /"crs"\s*:\s*(\{[^{}]*\{[^{}]*\}[^{}]*\})/.exec(head);
    if (!match?.[1]) return undefined;
    try {
      return JSON.parse(match[1]);
    } catch {
      return undefined;
    }
  }

  async listLayers(): Promise<SourceLayerInfo[]> {
    let crs: unknown;
    let sample: Record<string, unknown>[];
    let count: number | null = null;
    if (this.size <= this.wholeFileLimit) {
      const parsed = this.whole();
      crs = parsed.crs;
      sample = parsed.features.slice(0, 1000).map((f) => ((f as { properties?: Record<string, unknown> })?.properties ?? {}) as Record<string, unknown>);
      count = parsed.features.length;
    } else {
      if (allZero(readHead(this.file))) throw new VerkostoError('importUnreadable', { source: this.description, detail: 'the file holds only zero bytes' });
      crs = this.headCrs();
      sample = [];
      for await (const feature of this.readFeatures('default')) {
        sample.push(feature.properties);
        if (sample.length >= 200) break;
      }
    }
    const epsg = epsgFromGeoJsonCrs(crs ?? null);
    return [{ name: 'default', title: this.description, epsg, latitudeFirst: false, fields: inferFields(sample), featureCount: count, extent: null }];
  }

  async *readFeatures(_layer: string, options: ReadOptions = {}): AsyncIterable<SourceFeature> {
    if (this.size <= this.wholeFileLimit) {
      const { features } = this.whole();
      for (let index = 0; index < features.length; index++) {
        if (index % 1000 === 0) {
          checkAborted(options.signal);
          options.onProgress?.({ featuresRead: index, featuresTotal: features.length, bytesRead: null, bytesTotal: this.size });
        }
        yield toFeature(features[index], index, this.description);
      }
      return;
    }
    const stream = createReadStream(this.file, { highWaterMark: 1024 * 1024 });
    let bytesRead = 0;
    stream.on('data', (chunk) => {
      bytesRead += chunk.length;
    });
    const pipeline = chain([stream, parser(), pick({ filter: 'features' }), streamArray()]);
    let index = 0;
    try {
      for await (const item of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
        if (index % 1000 === 0) {
          checkAborted(options.signal);
          options.onProgress?.({ featuresRead: index, featuresTotal: null, bytesRead, bytesTotal: this.size });
        }
        yield toFeature(item.value, index, this.description);
        index++;
      }
    } catch (error) {
      if (error instanceof VerkostoError || (error instanceof Error && error.name === 'AbortError')) throw error;
      throw new VerkostoError('importUnreadable', { source: this.description, detail: error instanceof Error ? error.message : String(error) });
    } finally {
      stream.destroy();
    }
  }
}
