/**
 * Shapefiles: a .zip holding one or more layers, or the .shp with its .dbf/.prj/.cpg beside it. The .prj
 * is matched to an EPSG code by projection parameters (crs-detect.ts); the .cpg names the .dbf encoding
 * (UTF-8, ISO-8859-1, Windows-1252…); without one, a .dbf that is valid UTF-8 is read as UTF-8, else as
 * Windows-1252 (a superset of ISO-8859-1 for text). Parsing is the `shapefile` package's.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as shapefile from 'shapefile';
import { VerkostoError } from '../../../../../shared/errors';
import type { Geometry } from '../../../../../shared/geo/geometry';
import type { FeatureSource, ReadOptions, SourceFeature, SourceField, SourceLayerInfo } from '../../../../../shared/import/feature-source';
import { epsgFromWkt } from '../../crs-detect';
import { checkAborted, fileLabel, fileSize, normaliseEncoding, requireInMemorySize, unzipEntries } from './file-utils';

interface ShapefileParts {
  name: string;
  shp: Uint8Array;
  dbf: Uint8Array | null;
  prj: string | null;
  cpg: string | null;
}

function dbfFields(dbf: Uint8Array | null): SourceField[] {
  if (!dbf || dbf.length < 32) return [];
  const view = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
  const headerLength = view.getUint16(8, true);
  const fields: SourceField[] = [];
  for (let offset = 32; offset + 32 <= headerLength && dbf[offset] !== 0x0d; offset += 32) {
    const nameBytes = dbf.subarray(offset, offset + 11);
    const end = nameBytes.indexOf(0);
    const name = new TextDecoder('latin1').decode(end >= 0 ? nameBytes.subarray(0, end) : nameBytes);
    const type = String.fromCharCode(dbf[offset + 11]!);
    const decimals = dbf[offset + 17]!;
    fields.push({ name, type: type === 'N' || type === 'F' ? (decimals > 0 ? 'number' : 'integer') : type === 'L' ? 'boolean' : type === 'D' ? 'date' : 'string' });
  }
  return fields;
}

function dbfEncoding(parts: ShapefileParts): string {
  const fromCpg = normaliseEncoding(parts.cpg);
  if (fromCpg) return fromCpg;
  if (!parts.dbf) return 'utf-8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(parts.dbf);
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

export class ShapefileSource implements FeatureSource {
  readonly description: string;
  private layers: ShapefileParts[] | null = null;

  constructor(private readonly file: string) {
    this.description = fileLabel(file);
    fileSize(file);
  }

  private async parts(signal?: ReadOptions['signal']): Promise<ShapefileParts[]> {
    if (this.layers) return this.layers;
    const layers: ShapefileParts[] = [];
    if (/\.zip$/i.test(this.file)) {
      const entries = await unzipEntries(this.file, (name) => /\.(shp|dbf|prj|cpg)$/i.test(name), signal);
      const stems = new Map<string, Map<string, Uint8Array>>();
      for (const [name, bytes] of entries) {
        const extension = path.extname(name).toLowerCase();
        const stem = name.slice(0, -extension.length);
        if (!stems.has(stem)) stems.set(stem, new Map());
        stems.get(stem)!.set(extension, bytes);
      }
      for (const [stem, files] of stems) {
        const shp = files.get('.shp');
        if (!shp) continue;
        const decode = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder('latin1').decode(bytes).trim() : null);
        layers.push({ name: path.basename(stem), shp, dbf: files.get('.dbf') ?? null, prj: decode(files.get('.prj')), cpg: decode(files.get('.cpg')) });
      }
      if (layers.length === 0) throw new VerkostoError('importUnreadable', { source: this.description, detail: 'the zip holds no .shp file' });
    } else {
      requireInMemorySize(this.file);
      const stem = this.file.replace(/\.shp$/i, '');
      const sibling = (extension: string): string | null => {
        const directory = path.dirname(this.file);
        const base = path.basename(stem).toLowerCase();
        const match = readdirSync(directory).find((name) => name.toLowerCase() === `${base}${extension}`);
        return match ? path.join(directory, match) : null;
      };
      const dbf = sibling('.dbf');
      const prj = sibling('.prj');
      const cpg = sibling('.cpg');
      layers.push({
        name: path.basename(stem),
        shp: readFileSync(this.file),
        dbf: dbf && existsSync(dbf) ? readFileSync(dbf) : null,
        prj: prj ? readFileSync(prj, 'latin1').trim() : null,
        cpg: cpg ? readFileSync(cpg, 'latin1').trim() : null,
      });
    }
    for (const layer of layers) {
      if (layer.shp.length < 100 || new DataView(layer.shp.buffer, layer.shp.byteOffset).getInt32(0, false) !== 9994) {
        throw new VerkostoError('importUnreadable', { source: `${this.description} (${layer.name}.shp)`, detail: 'not a shapefile (.shp header missing or cut short)' });
      }
    }
    this.layers = layers;
    return layers;
  }

  async listLayers(options: ReadOptions = {}): Promise<SourceLayerInfo[]> {
    const layers = await this.parts(options.signal);
    return layers.map((layer) => {
      const view = new DataView(layer.shp.buffer, layer.shp.byteOffset);
      const extent: [number, number, number, number] = [view.getFloat64(36, true), view.getFloat64(44, true), view.getFloat64(52, true), view.getFloat64(60, true)];
      const count = layer.dbf && layer.dbf.length >= 8 ? new DataView(layer.dbf.buffer, layer.dbf.byteOffset).getUint32(4, true) : null;
      return { name: layer.name, title: layer.name, epsg: layer.prj ? epsgFromWkt(layer.prj) : null, latitudeFirst: false, fields: dbfFields(layer.dbf), featureCount: count, extent };
    });
  }

  async *readFeatures(name: string, options: ReadOptions = {}): AsyncIterable<SourceFeature> {
    const layers = await this.parts(options.signal);
    const layer = name === 'default' && layers.length === 1 ? layers[0]! : layers.find((candidate) => candidate.name === name);
    if (!layer) throw new VerkostoError('importUnreadable', { source: this.description, detail: `no layer “${name}”` });
    let source: Awaited<ReturnType<typeof shapefile.open>>;
    try {
      source = await shapefile.open(layer.shp, layer.dbf ?? undefined, { encoding: dbfEncoding(layer) });
    } catch (error) {
      throw new VerkostoError('importUnreadable', { source: this.description, detail: error instanceof Error ? error.message : String(error) });
    }
    let index = 0;
    while (true) {
      let next: { done: boolean; value: { geometry: unknown; properties: unknown } };
      try {
        next = (await source.read()) as typeof next;
      } catch (error) {
        throw new VerkostoError('importUnreadable', { source: this.description, detail: `record ${index + 1}: ${error instanceof Error ? error.message : String(error)}` });
      }
      if (next.done) break;
      index++;
      if (index % 2000 === 0) {
        checkAborted(options.signal);
        options.onProgress?.({ featuresRead: index, featuresTotal: null, bytesRead: null, bytesTotal: null });
      }
      yield { sourceId: String(index), geometry: (next.value.geometry as Geometry | null) ?? null, properties: (next.value.properties as Record<string, unknown>) ?? {} };
    }
  }
}
