/**
 * GeoPackage geometry blobs (GeoPackage 1.3 §2.1.3): the "GP" header with an envelope, then ISO WKB,
 * little-endian. Pure code over Uint8Array so that the host, the CLI and tests share one codec.
 */
import { envelopeOf, type Geometry, type Position } from './geometry';

const WKB_TYPES = { Point: 1, LineString: 2, Polygon: 3, MultiPoint: 4, MultiLineString: 5, MultiPolygon: 6 } as const;
type WkbTypeName = keyof typeof WKB_TYPES;
const WKB_NAMES = new Map<number, WkbTypeName>(Object.entries(WKB_TYPES).map(([name, code]) => [code, name as WkbTypeName]));

class ByteWriter {
  private buffer: Uint8Array;
  private view: DataView;
  offset = 0;

  constructor(initialSize: number) {
    this.buffer = new Uint8Array(initialSize);
    this.view = new DataView(this.buffer.buffer);
  }

  private ensure(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.offset + bytes));
    grown.set(this.buffer);
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }

  byte(value: number): void { this.ensure(1); this.view.setUint8(this.offset, value); this.offset += 1; }
  uint32(value: number): void { this.ensure(4); this.view.setUint32(this.offset, value, true); this.offset += 4; }
  int32(value: number): void { this.ensure(4); this.view.setInt32(this.offset, value, true); this.offset += 4; }
  float64(value: number): void { this.ensure(8); this.view.setFloat64(this.offset, value, true); this.offset += 8; }
  bytes(): Uint8Array { return this.buffer.slice(0, this.offset); }
}

function countPositions(geometry: Geometry): number {
  switch (geometry.type) {
    case 'Point': return 1;
    case 'MultiPoint':
    case 'LineString': return geometry.coordinates.length;
    case 'MultiLineString':
    case 'Polygon': return geometry.coordinates.reduce((sum, part) => sum + part.length, 0);
    case 'MultiPolygon': return geometry.coordinates.reduce((sum, polygon) => sum + polygon.reduce((s, ring) => s + ring.length, 0), 0);
  }
}

function writePositions(writer: ByteWriter, positions: Position[]): void {
  writer.uint32(positions.length);
  for (const position of positions) { writer.float64(position[0]); writer.float64(position[1]); }
}

function writeWkb(writer: ByteWriter, geometry: Geometry): void {
  writer.byte(1); // little-endian
  writer.uint32(WKB_TYPES[geometry.type]);
  switch (geometry.type) {
    case 'Point': {
      writer.float64(geometry.coordinates[0]);
      writer.float64(geometry.coordinates[1]);
      return;
    }
    case 'LineString':
      writePositions(writer, geometry.coordinates);
      return;
    case 'Polygon':
      writer.uint32(geometry.coordinates.length);
      for (const ring of geometry.coordinates) writePositions(writer, ring);
      return;
    case 'MultiPoint':
      writer.uint32(geometry.coordinates.length);
      for (const coordinates of geometry.coordinates) writeWkb(writer, { type: 'Point', coordinates });
      return;
    case 'MultiLineString':
      writer.uint32(geometry.coordinates.length);
      for (const coordinates of geometry.coordinates) writeWkb(writer, { type: 'LineString', coordinates });
      return;
    case 'MultiPolygon':
      writer.uint32(geometry.coordinates.length);
      for (const coordinates of geometry.coordinates) writeWkb(writer, { type: 'Polygon', coordinates });
      return;
  }
}

/** Encodes a geometry as a GeoPackage blob with an XY envelope (or the empty flag when it has no positions). */
export function encodeGeoPackageGeometry(geometry: Geometry, srsId: number): Uint8Array {
  const envelope = envelopeOf(geometry);
  const writer = new ByteWriter(8 + 32 + 9 + countPositions(geometry) * 16 + 64);
  writer.byte(0x47); // 'G'
  writer.byte(0x50); // 'P'
  writer.byte(0); // version 1
  // flags: bit 0 little-endian, bits 1-3 envelope kind (1 = xy), bit 4 empty
  writer.byte(envelope ? 0b0000_0011 : 0b0001_0001);
  writer.int32(srsId);
  if (envelope) {
    writer.float64(envelope.minX);
    writer.float64(envelope.maxX);
    writer.float64(envelope.minY);
    writer.float64(envelope.maxY);
  }
  writeWkb(writer, geometry);
  return writer.bytes();
}

class ByteReader {
  private readonly view: DataView;
  offset: number;
  littleEndian = true;

  constructor(bytes: Uint8Array, offset: number) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }

  byte(): number { const v = this.view.getUint8(this.offset); this.offset += 1; return v; }
  uint32(): number { const v = this.view.getUint32(this.offset, this.littleEndian); this.offset += 4; return v; }
  float64(): number { const v = this.view.getFloat64(this.offset, this.littleEndian); this.offset += 8; return v; }
}

const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

function readWkb(reader: ByteReader): Geometry {
  reader.littleEndian = reader.byte() === 1;
  const rawType = reader.uint32();
  // ISO WKB adds 1000 for Z, 2000 for M, 3000 for ZM; coordinates beyond XY are read and dropped.
  const dimensions = rawType >= 3000 ? 4 : rawType >= 1000 ? 3 : 2;
  const name = WKB_NAMES.get(rawType % 1000);
  if (!name) throw new Error(`Unsupported WKB geometry type ${rawType}`);
  const position = (): Position => {
    const x = reader.float64();
    const y = reader.float64();
    for (let extra = 2; extra < dimensions; extra++) reader.float64();
    return [x, y];
  };
  const positions = (): Position[] => Array.from({ length: reader.uint32() }, position);
  const parts = <T>(read: () => T): T[] => Array.from({ length: reader.uint32() }, read);
  switch (name) {
    case 'Point': return { type: 'Point', coordinates: position() };
    case 'LineString': return { type: 'LineString', coordinates: positions() };
    case 'Polygon': return { type: 'Polygon', coordinates: parts(positions) };
    case 'MultiPoint': return { type: 'MultiPoint', coordinates: parts(() => (readWkb(reader) as { coordinates: Position }).coordinates) };
    case 'MultiLineString': return { type: 'MultiLineString', coordinates: parts(() => (readWkb(reader) as { coordinates: Position[] }).coordinates) };
    case 'MultiPolygon': return { type: 'MultiPolygon', coordinates: parts(() => (readWkb(reader) as { coordinates: Position[][] }).coordinates) };
  }
}

/** Decodes a GeoPackage geometry blob; returns null for a NULL value. Throws on a blob that is not GeoPackage. */
export function decodeGeoPackageGeometry(blob: Uint8Array | null | undefined): { geometry: Geometry; srsId: number } | null {
  if (!blob) return null;
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) throw new Error('Not a GeoPackage geometry blob');
  const flags = blob[3]!;
  const headerView = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const srsId = headerView.getInt32(4, (flags & 1) === 1);
  const envelopeKind = (flags >> 1) & 0b111;
  const envelopeBytes = ENVELOPE_BYTES[envelopeKind];
  if (envelopeBytes === undefined) throw new Error(`Invalid GeoPackage envelope indicator ${envelopeKind}`);
  const reader = new ByteReader(blob, 8 + envelopeBytes);
  return { geometry: readWkb(reader), srsId };
}

/** Reads only the envelope of a blob (for the R-tree functions); null when empty or absent. */
export function geoPackageEnvelope(blob: Uint8Array | null | undefined): [number, number, number, number] | null {
  if (!blob || blob.length < 8) return null;
  const flags = blob[3]!;
  if (flags & 0b1_0000) return null;
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const littleEndian = (flags & 1) === 1;
  const envelopeKind = (flags >> 1) & 0b111;
  if (envelopeKind !== 0) {
    return [view.getFloat64(8, littleEndian), view.getFloat64(16, littleEndian), view.getFloat64(24, littleEndian), view.getFloat64(32, littleEndian)];
  }
  const decoded = decodeGeoPackageGeometry(blob);
  const envelope = decoded ? envelopeOf(decoded.geometry) : null;
  return envelope ? [envelope.minX, envelope.maxX, envelope.minY, envelope.maxY] : null;
}
