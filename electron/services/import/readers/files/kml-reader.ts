/**
 * KML files (and .kmz): Placemarks with Point, LineString, Polygon and MultiGeometry, attributes from
 * ExtendedData (Data and SchemaData) plus name and description. KML is always WGS 84 lon/lat.
 * Parsed with fast-xml-parser (KML files are small; the size limit guards memory).
 */
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { VerkostoError } from '../../../../../shared/errors';
import type { Geometry, Position } from '../../../../../shared/geo/geometry';
import type { FeatureSource, ReadOptions, SourceFeature, SourceLayerInfo } from '../../../../../shared/import/feature-source';
import { checkAborted, decodeText, fileLabel, inferFields, requireInMemorySize, unzipEntries } from './file-utils';

type Node = Record<string, unknown>;

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function coordinates(text: unknown): Position[] {
  return String(text ?? '')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((tuple) => {
      const [x, y] = tuple.split(',').map(Number);
      return [x!, y!] as Position;
    });
}

function text(value: unknown): string | null {
  if (value == null) return null;
  if (typeof value === 'object') return String((value as Node)['#text'] ?? '');
  return String(value);
}

function geometriesOf(node: Node): Geometry[] {
  const result: Geometry[] = [];
  for (const point of asArray(node.Point as Node | Node[])) {
    const position = coordinates(point.coordinates)[0];
    if (position) result.push({ type: 'Point', coordinates: position });
  }
  for (const line of asArray(node.LineString as Node | Node[])) result.push({ type: 'LineString', coordinates: coordinates(line.coordinates) });
  for (const polygon of asArray(node.Polygon as Node | Node[])) {
    const outer = coordinates(((polygon.outerBoundaryIs as Node)?.LinearRing as Node)?.coordinates);
    const inner = asArray(polygon.innerBoundaryIs as Node | Node[]).map((boundary) => coordinates((boundary.LinearRing as Node)?.coordinates));
    result.push({ type: 'Polygon', coordinates: [outer, ...inner] });
  }
  for (const multi of asArray(node.MultiGeometry as Node | Node[])) result.push(...geometriesOf(multi));
  return result;
}

function combine(parts: Geometry[]): Geometry | null {
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0]!;
  if (parts.every((part) => part.type === 'Point')) return { type: 'MultiPoint', coordinates: parts.map((part) => (part as { coordinates: Position }).coordinates) };
  if (parts.every((part) => part.type === 'Polygon')) return { type: 'MultiPolygon', coordinates: parts.map((part) => (part as { coordinates: Position[][] }).coordinates) };
  if (parts.every((part) => part.type === 'LineString')) return { type: 'MultiLineString', coordinates: parts.map((part) => (part as { coordinates: Position[] }).coordinates) };
  return parts[0]!;
}

function placemarks(node: Node, out: Node[]): void {
  out.push(...asArray(node.Placemark as Node | Node[]));
  for (const key of ['Document', 'Folder']) for (const child of asArray(node[key] as Node | Node[])) placemarks(child, out);
}

export class KmlFileSource implements FeatureSource {
  readonly description: string;
  private features: SourceFeature[] | null = null;

  constructor(private readonly file: string) {
    this.description = fileLabel(file);
    requireInMemorySize(file);
  }

  private async load(signal?: ReadOptions['signal']): Promise<SourceFeature[]> {
    if (this.features) return this.features;
    let bytes: Uint8Array;
    if (/\.kmz$/i.test(this.file)) {
      const entries = await unzipEntries(this.file, (name) => /\.kml$/i.test(name), signal);
      const first = [...entries.values()][0];
      if (!first) throw new VerkostoError('importUnreadable', { source: this.description, detail: 'the KMZ holds no .kml file' });
      bytes = first;
    } else bytes = readFileSync(this.file);
    const xml = decodeText(bytes, null).text;
    let root: Node;
    try {
      const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, processEntities: true, htmlEntities: false });
      const validation = /<kml[\s>]/i.test(xml) ? true : false;
      if (!validation) throw new Error('no <kml> element');
      root = parser.parse(xml, true) as Node;
    } catch (error) {
      const detail = error instanceof Error ? error.message : typeof error === 'object' && error && 'err' in error ? JSON.stringify((error as { err: unknown }).err) : String(error);
      throw new VerkostoError('importUnreadable', { source: this.description, detail });
    }
    const list: Node[] = [];
    placemarks((root.kml as Node) ?? {}, list);
    this.features = list.map((placemark, index) => {
      const properties: Record<string, unknown> = {};
      if (placemark.name != null) properties.name = text(placemark.name);
      if (placemark.description != null) properties.description = text(placemark.description);
      const extended = placemark.ExtendedData as Node | undefined;
      for (const data of asArray(extended?.Data as Node | Node[])) properties[String(data['@name'])] = text(data.value);
      for (const schemaData of asArray(extended?.SchemaData as Node | Node[])) {
        for (const simple of asArray(schemaData.SimpleData as Node | Node[])) properties[String(simple['@name'])] = text(simple);
      }
      const id = placemark['@id'] != null ? String(placemark['@id']) : String(index + 1);
      return { sourceId: id, geometry: combine(geometriesOf(placemark)), properties };
    });
    return this.features;
  }

  async listLayers(options: ReadOptions = {}): Promise<SourceLayerInfo[]> {
    const features = await this.load(options.signal);
    return [{ name: 'default', title: this.description, epsg: 4326, latitudeFirst: false, fields: inferFields(features.slice(0, 1000).map((f) => f.properties)), featureCount: features.length, extent: null }];
  }

  async *readFeatures(_layer: string, options: ReadOptions = {}): AsyncIterable<SourceFeature> {
    const features = await this.load(options.signal);
    for (let index = 0; index < features.length; index++) {
      if (index % 1000 === 0) checkAborted(options.signal);
      yield features[index]!;
    }
  }
}
