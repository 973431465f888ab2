/**
 * A streaming GML reader for WFS responses and GML files: GML 2, 3.1 and 3.2 feature collections
 * (`gml:featureMember`, `gml:featureMembers`, `wfs:member`) with Point, LineString, LinearRing, Polygon,
 * MultiPoint, MultiLineString, MultiCurve/Curve/LineStringSegment, MultiPolygon, MultiSurface/Surface/
 * PolygonPatch and CompositeSurface; coordinates from `gml:coordinates` (decimal/cs/ts, wrapping across
 * lines), `gml:posList`/`gml:pos` (srsDimension) and GML 2 `gml:coord`.
 *
 * It uses saxes in non-namespace mode, so documents with undeclared prefixes (Helsinki's WFS fixtures) parse;
 * elements are matched by local name. Text is fed in chunks and only the current feature is held in memory,
 * so a large response streams in constant memory.
 *
 * Coordinates come out in x/y order (easting/northing, longitude/latitude): an axis order is read from each
 * geometry's srsName (see `axisOrderOf`). Property values are strings unless `fieldTypes` says otherwise
 * (values such as "091" must stay text); empty and xsi:nil elements are null.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { VerkostoError } from '../../../../shared/errors';
import type { Geometry, Position } from '../../../../shared/geo/geometry';
import type { SourceFeature, SourceField } from '../../../../shared/import/feature-source';

export interface GmlParseOptions {
  /** Named in messages: a URL host and layer, or a file name. */
  source: string;
  /** srsName to assume for geometries that name none (e.g. the srsName the request asked for). */
  defaultSrsName?: string | null;
  /**
   * How to read the short `EPSG:nnnn` form: 'xy' (GeoServer, GDAL and WFS 1.0 write x/y) or 'epsg'
   * (MapServer's WFS 1.1/2.0 follow the EPSG axis order, so EPSG:4326 is lat/lon there). Default 'xy'.
   */
  epsgColonAxis?: 'xy' | 'epsg';
  /** Types from DescribeFeatureType: values are converted (integer, number, boolean); others stay text. */
  fieldTypes?: Record<string, SourceField['type']>;
  /** 'error' (default) stops at the first broken geometry with a clear message; 'skip' leaves the feature out. */
  invalid?: 'error' | 'skip';
  onSkipped?: (featureId: string, error: VerkostoError) => void;
  /** Encoding of byte input when the XML declaration names none (e.g. the HTTP Content-Type charset). */
  encoding?: string;
}

export interface GmlCollectionInfo {
  numberMatched: number | null;
  numberReturned: number | null;
  /** WFS 2.0 `next` URL, when the server gives one. */
  next: string | null;
  /** srsName of the first geometry or envelope seen, and its EPSG code. */
  srsName: string | null;
  epsg: number | null;
}

/** EPSG codes whose official axis order is northing/latitude first. */
function isNorthingFirst(epsg: number): boolean {
  if (epsg >= 3873 && epsg <= 3885) return true; // ETRS-GK19…31 (N, E)
  if (epsg >= 2391 && epsg <= 2394) return true; // KKJ zones
  if (epsg === 3067 || epsg === 3857 || epsg === 3047 || epsg === 3046 || epsg === 3048) return false;
  // Geographic 2D CRSs (4326 WGS 84, 4258 ETRS89, 4123 KKJ …) are lat/lon in EPSG.
  return epsg >= 4000 && epsg < 5000;
}

/**
 * EPSG code and whether to swap the two axes for a srsName:
 * - `urn:ogc:def:crs:EPSG::n`, `urn:x-ogc:def:crs:EPSG:n`, `http://www.opengis.net/def/crs/EPSG/0/n`: EPSG order;
 * - `http://www.opengis.net/gml/srs/epsg.xml#n` (the old form) and CRS84: x/y;
 * - `EPSG:n`: as `epsgColonAxis` says (x/y unless told otherwise).
 */
export function axisOrderOf(srsName: string | null | undefined, epsgColonAxis: 'xy' | 'epsg' = 'xy'): { epsg: number | null; swap: boolean } {
  if (!srsName) return { epsg: null, swap: false };
  const name = srsName.trim();
  if (/CRS:?84$/i.test(name) || /OGC\/1\.3\/CRS84$/i.test(name)) return { epsg: 4326, swap: false };
  let match = /^urn:(?:x-)?ogc:def:crs:EPSG:[\d.]*:(\d+)$/i.exec(name) ?? /^https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/[\d.]+\/(\d+)$/i.exec(name);
  if (match) {
    const epsg = Number(match[1]);
    return { epsg, swap: isNorthingFirst(epsg) };
  }
  match = /epsg\.xml#(\d+)$/i.exec(name);
  if (match) return { epsg: Number(match[1]), swap: false };
  match = /^EPSG:(\d+)$/i.exec(name);
  if (match) {
    const epsg = Number(match[1]);
    return { epsg, swap: epsgColonAxis === 'epsg' && isNorthingFirst(epsg) };
  }
  match = /(\d{4,5})\s*$/.exec(name);
  return { epsg: match ? Number(match[1]) : null, swap: false };
}

const GEOMETRY_ELEMENTS = new Set([
  'Point', 'LineString', 'LinearRing', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiCurve', 'Curve',
  'LineStringSegment', 'MultiPolygon', 'MultiSurface', 'Surface', 'PolygonPatch', 'CompositeSurface', 'MultiGeometry',
]);
const COORDINATE_ELEMENTS = new Set(['coordinates', 'posList', 'pos', 'X', 'Y', 'Z']);
const MEMBER_ELEMENTS = new Set(['featureMember', 'featureMembers', 'member']);
const CONTAINER_ELEMENTS = new Set(['FeatureCollection', 'SimpleFeatureCollection', 'additionalObjects']);

type Part =
  | { kind: 'point'; position: Position }
  | { kind: 'line'; positions: Position[] }
  | { kind: 'ring'; positions: Position[] }
  | { kind: 'polygons'; polygons: Position[][][]; single: boolean }
  | { kind: 'lines'; lines: Position[][] }
  | { kind: 'points'; points: Position[] };

interface GeometryFrame {
  name: string;
  depth: number;
  srsName: string | null;
  srsDimension: number;
  positions: Position[];
  parts: Part[];
}

interface FeatureFrame {
  id: string;
  depth: number;
  properties: Record<string, unknown>;
  geometry: Geometry | null;
  property: { name: string; depth: number; text: string[]; nil: boolean; sawGeometry: boolean } | null;
  error: VerkostoError | null;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon >= 0 ? name.slice(colon + 1) : name;
}

function attribute(tag: SaxesTagPlain, local: string): string | undefined {
  for (const [key, value] of Object.entries(tag.attributes)) if (localName(key) === local) return value;
  return undefined;
}

function toNumber(text: string, source: string): number {
  const value = Number(text);
  if (!Number.isFinite(value)) throw new VerkostoError('gmlInvalid', { source, detail: `"${text.slice(0, 40)}" is not a coordinate` });
  return value;
}

function convert(value: string | null, type: SourceField['type'] | undefined): unknown {
  if (value === null || type === undefined) return value;
  if (type === 'integer' || type === 'number') {
    const number = Number(value);
    return value.trim() !== '' && Number.isFinite(number) ? number : value;
  }
  if (type === 'boolean') return value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
  return value;
}

/** Feeds GML text in chunks; `write` and `close` return the features completed so far. */
export class GmlFeatureParser {
  readonly info: GmlCollectionInfo = { numberMatched: null, numberReturned: null, next: null, srsName: null, epsg: null };
  private readonly parser = new SaxesParser({ xmlns: false, position: true });
  private readonly options: GmlParseOptions;
  private depth = 0;
  private rootName: string | null = null;
  private memberDepths: number[] = [];
  private feature: FeatureFrame | null = null;
  private geometries: GeometryFrame[] = [];
  private coordinate: { name: string; text: string[]; attributes: Record<string, string>; srsDimension: number | null } | null = null;
  private coordTuple: Partial<Record<'X' | 'Y' | 'Z', number>> | null = null;
  private exceptionTexts: string[] = [];
  private inException = false;
  private completed: SourceFeature[] = [];
  private featureCount = 0;
  private failure: unknown = null;

  constructor(options: GmlParseOptions) {
    this.options = options;
    this.parser.on('opentag', (tag) => this.guard(() => this.open(tag)));
    this.parser.on('closetag', (tag) => this.guard(() => this.close_(tag)));
    this.parser.on('text', (text) => this.guard(() => this.text(text)));
    this.parser.on('cdata', (text) => this.guard(() => this.text(text)));
  }

  private guard(action: () => void): void {
    if (this.failure) return;
    try {
      action();
    } catch (error) {
      this.failure = error;
    }
  }

  private fail(error: unknown): never {
    if (error instanceof VerkostoError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new VerkostoError('gmlInvalid', { source: this.options.source, detail: message.split('\n')[0] ?? message });
  }

  write(chunk: string): SourceFeature[] {
    try {
      this.parser.write(chunk);
    } catch (error) {
      this.fail(error);
    }
    if (this.failure) this.fail(this.failure);
    return this.take();
  }

  close(): SourceFeature[] {
    try {
      this.parser.close();
    } catch (error) {
      this.fail(error);
    }
    if (this.failure) this.fail(this.failure);
    if (this.rootName === 'ExceptionReport' || this.rootName === 'ServiceExceptionReport') {
      throw new VerkostoError('sourceServiceException', { server: this.options.source, detail: this.exceptionTexts.join(' / ') || this.rootName });
    }
    if (this.rootName === null) throw new VerkostoError('gmlInvalid', { source: this.options.source, detail: 'empty document' });
    return this.take();
  }

  private take(): SourceFeature[] {
    const out = this.completed;
    this.completed = [];
    return out;
  }

  private currentSrsName(): string | null {
    for (let index = this.geometries.length - 1; index >= 0; index--) {
      const srsName = this.geometries[index]!.srsName;
      if (srsName) return srsName;
    }
    return this.options.defaultSrsName ?? this.info.srsName ?? null;
  }

  private open(tag: SaxesTagPlain): void {
    this.depth++;
    const name = localName(tag.name);
    if (this.rootName === null) {
      this.rootName = name;
      const number = (key: string): number | null => {
        const value = attribute(tag, key);
        return value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
      };
      this.info.numberMatched = number('numberMatched') ?? number('numberOfFeatures');
      this.info.numberReturned = number('numberReturned') ?? number('numberOfFeatures');
      this.info.next = attribute(tag, 'next') ?? null;
      return;
    }
    if (name === 'ExceptionText' || name === 'ServiceException') {
      this.inException = true;
      this.exceptionTexts.push('');
      return;
    }
    const srsName = attribute(tag, 'srsName');
    if (srsName && !this.info.srsName) {
      this.info.srsName = srsName;
      this.info.epsg = axisOrderOf(srsName).epsg;
    }
    const feature = this.feature;
    if (!feature) {
      if (MEMBER_ELEMENTS.has(name)) {
        this.memberDepths.push(this.depth);
        return;
      }
      const parentIsMember = this.memberDepths.length > 0 && this.memberDepths[this.memberDepths.length - 1] === this.depth - 1;
      if (parentIsMember && !CONTAINER_ELEMENTS.has(name)) {
        this.featureCount++;
        const id = attribute(tag, 'id') ?? attribute(tag, 'fid') ?? `${name}.${this.featureCount}`;
        this.feature = { id, depth: this.depth, properties: {}, geometry: null, property: null, error: null };
      }
      return;
    }
    if (this.depth === feature.depth + 1) {
      feature.property = { name, depth: this.depth, text: [], nil: attribute(tag, 'nil') === 'true', sawGeometry: false };
      return;
    }
    if (feature.error) return;
    if (GEOMETRY_ELEMENTS.has(name)) {
      if (feature.property) feature.property.sawGeometry = true;
      const dimension = Number(attribute(tag, 'srsDimension') ?? this.geometries[this.geometries.length - 1]?.srsDimension ?? 2);
      this.geometries.push({ name, depth: this.depth, srsName: srsName ?? null, srsDimension: dimension > 0 ? dimension : 2, positions: [], parts: [] });
      return;
    }
    if (this.geometries.length > 0) {
      if (COORDINATE_ELEMENTS.has(name)) {
        const dimension = attribute(tag, 'srsDimension') ?? attribute(tag, 'dimension');
        this.coordinate = { name, text: [], attributes: tag.attributes, srsDimension: dimension ? Number(dimension) : null };
      } else if (name === 'coord') {
        this.coordTuple = {};
      }
    }
  }

  private text(text: string): void {
    if (this.inException) {
      this.exceptionTexts[this.exceptionTexts.length - 1] += text;
      return;
    }
    if (this.coordinate) {
      this.coordinate.text.push(text);
      return;
    }
    const property = this.feature?.property;
    if (property && !property.sawGeometry) property.text.push(text);
  }

  private close_(tag: SaxesTagPlain): void {
    const name = localName(tag.name);
    const depth = this.depth;
    this.depth--;
    if (name === 'ExceptionText' || name === 'ServiceException') {
      this.inException = false;
      this.exceptionTexts[this.exceptionTexts.length - 1] = this.exceptionTexts[this.exceptionTexts.length - 1]!.trim();
      return;
    }
    const feature = this.feature;
    if (!feature) {
      if (this.memberDepths[this.memberDepths.length - 1] === depth) this.memberDepths.pop();
      return;
    }
    if (depth === feature.depth) {
      this.finishFeature(feature);
      this.feature = null;
      this.geometries = [];
      this.coordinate = null;
      return;
    }
    const property = feature.property;
    if (property && depth === property.depth) {
      if (!property.sawGeometry && property.name !== 'boundedBy') {
        const joined = property.text.join('').trim();
        const value = property.nil || joined === '' ? null : joined;
        feature.properties[property.name] = convert(value, this.options.fieldTypes?.[property.name]);
      }
      feature.property = null;
      return;
    }
    if (feature.error) return;
    try {
      if (this.coordinate && this.coordinate.name === name) {
        this.finishCoordinates(feature);
        return;
      }
      if (name === 'coord' && this.coordTuple) {
        const tuple = this.coordTuple;
        this.coordTuple = null;
        if (tuple.X === undefined || tuple.Y === undefined) throw new VerkostoError('gmlInvalid', { source: this.options.source, detail: `feature ${feature.id}: gml:coord without X and Y` });
        this.pushPositions([tuple.Z === undefined ? [tuple.X, tuple.Y] : [tuple.X, tuple.Y, tuple.Z]]);
        return;
      }
      const frame = this.geometries[this.geometries.length - 1];
      if (frame && frame.depth === depth && frame.name === name) {
        this.geometries.pop();
        const part = this.buildPart(frame, feature.id);
        const parent = this.geometries[this.geometries.length - 1];
        if (parent) parent.parts.push(part);
        else if (feature.geometry === null) feature.geometry = this.toGeometry(part);
      }
    } catch (error) {
      if (error instanceof VerkostoError) feature.error = error;
      else throw error;
    }
  }

  private pushPositions(positions: Position[]): void {
    const frame = this.geometries[this.geometries.length - 1];
    if (!frame) return;
    const { swap } = axisOrderOf(this.currentSrsName(), this.options.epsgColonAxis ?? 'xy');
    for (const position of positions) {
      if (swap) {
        const [a, b] = position;
        frame.positions.push(position.length === 3 ? [b, a, position[2]!] : [b, a]);
      } else {
        frame.positions.push(position);
      }
    }
  }

  private finishCoordinates(feature: FeatureFrame): void {
    const coordinate = this.coordinate!;
    this.coordinate = null;
    const text = coordinate.text.join('').trim();
    const source = this.options.source;
    if (coordinate.name === 'X' || coordinate.name === 'Y' || coordinate.name === 'Z') {
      if (this.coordTuple) this.coordTuple[coordinate.name] = toNumber(text, source);
      return;
    }
    if (text === '') return;
    if (coordinate.name === 'coordinates') {
      const decimal = coordinate.attributes.decimal ?? '.';
      const cs = coordinate.attributes.cs ?? ',';
      const ts = coordinate.attributes.ts ?? ' ';
      const tuples = /^\s+$/.test(ts) ? text.split(/\s+/) : text.split(ts).map((tuple) => tuple.trim());
      const positions: Position[] = [];
      for (const tuple of tuples) {
        if (tuple === '') continue;
        const values = tuple.split(cs).map((value) => toNumber(decimal === '.' ? value.trim() : value.trim().split(decimal).join('.'), source));
        if (values.length < 2) throw new VerkostoError('gmlInvalid', { source, detail: `feature ${feature.id}: coordinate tuple "${tuple.slice(0, 40)}" has ${values.length} value` });
        positions.push(values.length >= 3 ? [values[0]!, values[1]!, values[2]!] : [values[0]!, values[1]!]);
      }
      this.pushPositions(positions);
      return;
    }
    const values = text.split(/\s+/).map((value) => toNumber(value, source));
    const frame = this.geometries[this.geometries.length - 1];
    const dimension = coordinate.name === 'pos' ? Math.max(2, coordinate.srsDimension ?? values.length) : (coordinate.srsDimension ?? frame?.srsDimension ?? 2);
    if (dimension < 2 || values.length % dimension !== 0) {
      throw new VerkostoError('gmlInvalid', { source, detail: `feature ${feature.id}: gml:${coordinate.name} has ${values.length} numbers, not a multiple of srsDimension ${dimension}` });
    }
    const positions: Position[] = [];
    for (let index = 0; index < values.length; index += dimension) {
      positions.push(dimension >= 3 ? [values[index]!, values[index + 1]!, values[index + 2]!] : [values[index]!, values[index + 1]!]);
    }
    this.pushPositions(positions);
  }

  private shortError(featureId: string, count: number, minimum: number): VerkostoError {
    return new VerkostoError('gmlBadGeometry', { source: this.options.source, feature: featureId, count, minimum });
  }

  private buildPart(frame: GeometryFrame, featureId: string): Part {
    const polygonsOf = (parts: Part[]): Position[][][] => parts.flatMap((part) => (part.kind === 'polygons' ? part.polygons : []));
    switch (frame.name) {
      case 'Point': {
        const position = frame.positions[0];
        if (!position) throw this.shortError(featureId, 0, 1);
        return { kind: 'point', position };
      }
      case 'LineString':
      case 'LineStringSegment':
        if (frame.positions.length < 2) throw this.shortError(featureId, frame.positions.length, 2);
        return { kind: 'line', positions: frame.positions };
      case 'Curve': {
        const positions: Position[] = [];
        for (const part of frame.parts) {
          if (part.kind !== 'line') continue;
          const last = positions[positions.length - 1];
          const first = part.positions[0];
          positions.push(...(last && first && last[0] === first[0] && last[1] === first[1] ? part.positions.slice(1) : part.positions));
        }
        return { kind: 'line', positions };
      }
      case 'LinearRing': {
        const ring = frame.positions;
        if (ring.length < 4) throw this.shortError(featureId, ring.length, 4);
        const first = ring[0]!;
        const last = ring[ring.length - 1]!;
        if (first[0] !== last[0] || first[1] !== last[1]) ring.push(first);
        return { kind: 'ring', positions: ring };
      }
      case 'Polygon':
      case 'PolygonPatch': {
        const rings = frame.parts.flatMap((part) => (part.kind === 'ring' ? [part.positions] : []));
        if (rings.length === 0) throw this.shortError(featureId, 0, 4);
        return { kind: 'polygons', polygons: [rings], single: true };
      }
      case 'Surface': {
        const polygons = polygonsOf(frame.parts);
        return { kind: 'polygons', polygons, single: polygons.length === 1 };
      }
      case 'MultiPolygon':
      case 'MultiSurface':
      case 'CompositeSurface':
        return { kind: 'polygons', polygons: polygonsOf(frame.parts), single: false };
      case 'MultiPoint':
        return { kind: 'points', points: frame.parts.flatMap((part) => (part.kind === 'point' ? [part.position] : [])) };
      case 'MultiLineString':
      case 'MultiCurve':
        return { kind: 'lines', lines: frame.parts.flatMap((part) => (part.kind === 'line' ? [part.positions] : part.kind === 'lines' ? part.lines : [])) };
      default: {
        // MultiGeometry: keep the dominant kind (polygons, then lines, then points).
        const polygons = polygonsOf(frame.parts);
        if (polygons.length > 0) return { kind: 'polygons', polygons, single: false };
        const lines = frame.parts.flatMap((part) => (part.kind === 'line' ? [part.positions] : part.kind === 'lines' ? part.lines : []));
        if (lines.length > 0) return { kind: 'lines', lines };
        return { kind: 'points', points: frame.parts.flatMap((part) => (part.kind === 'point' ? [part.position] : part.kind === 'points' ? part.points : [])) };
      }
    }
  }

  private toGeometry(part: Part): Geometry | null {
    switch (part.kind) {
      case 'point':
        return { type: 'Point', coordinates: part.position };
      case 'line':
        return { type: 'LineString', coordinates: part.positions };
      case 'ring':
        return { type: 'Polygon', coordinates: [part.positions] };
      case 'polygons':
        if (part.polygons.length === 0) return null;
        return part.single && part.polygons.length === 1 ? { type: 'Polygon', coordinates: part.polygons[0]! } : { type: 'MultiPolygon', coordinates: part.polygons };
      case 'lines':
        return part.lines.length === 0 ? null : { type: 'MultiLineString', coordinates: part.lines };
      case 'points':
        return part.points.length === 0 ? null : { type: 'MultiPoint', coordinates: part.points };
    }
  }

  private finishFeature(feature: FeatureFrame): void {
    if (feature.error) {
      if (this.options.invalid === 'skip') {
        this.options.onSkipped?.(feature.id, feature.error);
        return;
      }
      throw feature.error;
    }
    this.completed.push({ sourceId: feature.id, geometry: feature.geometry, properties: feature.properties });
  }
}

/** Parses a whole GML document held in memory. */
export function parseGml(text: string, options: GmlParseOptions): { features: SourceFeature[]; info: GmlCollectionInfo } {
  const parser = new GmlFeatureParser(options);
  const features = [...parser.write(text), ...parser.close()];
  return { features, info: parser.info };
}

/**
 * Parses GML from a stream of byte or text chunks (a file read stream, a fetch body), yielding features as
 * they complete. Bytes are decoded by the XML declaration's encoding (UTF-8 by default).
 */
export async function* parseGmlStream(chunks: AsyncIterable<Uint8Array | string>, options: GmlParseOptions, onInfo?: (info: GmlCollectionInfo) => void): AsyncGenerator<SourceFeature> {
  const parser = new GmlFeatureParser(options);
  let decoder: TextDecoder | null = null;
  for await (const chunk of chunks) {
    let text: string;
    if (typeof chunk === 'string') {
      text = chunk;
    } else {
      if (!decoder) {
        const prolog = new TextDecoder('latin1').decode(chunk.subarray(0, 200));
        const encoding = /^(?:\uFEFF)?<\?xml[^>]*encoding\s*=\s*["']([\w-]+)["']/i.exec(prolog)?.[1] ?? options.encoding ?? 'utf-8';
        try {
          decoder = new TextDecoder(encoding);
        } catch {
          decoder = new TextDecoder('utf-8');
        }
      }
      text = decoder.decode(chunk, { stream: true });
    }
    const features = parser.write(text);
    onInfo?.(parser.info);
    yield* features;
  }
  if (decoder) yield* parser.write(decoder.decode());
  yield* parser.close();
  onInfo?.(parser.info);
}
