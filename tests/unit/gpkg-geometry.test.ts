/**
 * The GeoPackage geometry codec (shared/geo/gpkg-geometry.ts): exact round trips, the header, empty
 * geometries, big-endian and Z/M input from other writers, and the envelope reader the R-tree uses.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, test } from 'vitest';
import type { Geometry } from '../../shared/geo/geometry';
import { envelopeOf } from '../../shared/geo/geometry';
import { decodeGeoPackageGeometry, encodeGeoPackageGeometry, geoPackageEnvelope } from '../../shared/geo/gpkg-geometry';
import { makeTempDir } from '../fixtures/store-helpers';

const ring = (x: number, y: number, s: number): [number, number][] => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];

const SAMPLES: Record<Geometry['type'], Geometry> = {
  Point: { type: 'Point', coordinates: [385_000.123456789, 6_672_000.987654321] },
  LineString: { type: 'LineString', coordinates: [[1, 2], [3.5, -4.25], [1e-9, 1e9]] },
  Polygon: { type: 'Polygon', coordinates: [ring(0, 0, 100), ring(10, 10, 5).reverse()] },
  MultiPoint: { type: 'MultiPoint', coordinates: [[24.94, 60.17], [-180, -90], [180, 90]] },
  MultiLineString: { type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]], [[2, 2], [3, 3], [4, 2]]] },
  MultiPolygon: { type: 'MultiPolygon', coordinates: [[ring(25_496_000, 6_672_000, 250)], [ring(25_497_000, 6_673_000, 1000), ring(25_497_100, 6_673_100, 10)]] },
};

/** A little writer for hand-made WKB in either byte order (and with Z/M), as other tools write it. */
class Wkb {
  private readonly parts: Buffer[] = [];
  constructor(private readonly littleEndian: boolean) {}
  byte(v: number): this { this.parts.push(Buffer.from([v])); return this; }
  uint32(v: number): this { const b = Buffer.alloc(4); if (this.littleEndian) b.writeUInt32LE(v); else b.writeUInt32BE(v); this.parts.push(b); return this; }
  int32(v: number): this { const b = Buffer.alloc(4); if (this.littleEndian) b.writeInt32LE(v); else b.writeInt32BE(v); this.parts.push(b); return this; }
  double(...vs: number[]): this { for (const v of vs) { const b = Buffer.alloc(8); if (this.littleEndian) b.writeDoubleLE(v); else b.writeDoubleBE(v); this.parts.push(b); } return this; }
  order(): this { return this.byte(this.littleEndian ? 1 : 0); }
  raw(b: Uint8Array): this { this.parts.push(Buffer.from(b)); return this; }
  bytes(): Buffer { return Buffer.concat(this.parts); }
}

/** GeoPackage header: 'GP', version 0, flags (byte order, envelope kind, empty), srs id, envelope. */
function gpHeader(littleEndian: boolean, srsId: number, envelope: number[], empty = false): Buffer {
  const kind = { 0: 0, 4: 1, 6: 2, 8: 4 }[envelope.length as 0 | 4 | 6 | 8];
  const w = new Wkb(littleEndian).byte(0x47).byte(0x50).byte(0).byte((littleEndian ? 1 : 0) | (kind << 1) | (empty ? 0x10 : 0));
  return w.int32(srsId).double(...envelope).bytes();
}

describe('round trips', () => {
  test.each(Object.keys(SAMPLES) as Geometry['type'][])('%s encodes and decodes exactly, with its srs id', (type) => {
    const geometry = SAMPLES[type];
    const blob = encodeGeoPackageGeometry(geometry, 3879);
    expect(decodeGeoPackageGeometry(blob)).toEqual({ geometry, srsId: 3879 });
    // A Buffer view into a bigger ArrayBuffer (as SQLite drivers hand them out) decodes the same.
    const padded = Buffer.concat([Buffer.alloc(13, 0xee), Buffer.from(blob)]).subarray(13);
    expect(decodeGeoPackageGeometry(padded)).toEqual({ geometry, srsId: 3879 });
  });

  test('the header is GeoPackage 1.x, little-endian, with an XY envelope [minx, maxx, miny, maxy]', () => {
    const geometry = SAMPLES.MultiPolygon;
    const blob = Buffer.from(encodeGeoPackageGeometry(geometry, -1));
    expect(blob.subarray(0, 4)).toEqual(Buffer.from([0x47, 0x50, 0x00, 0b0000_0011]));
    expect(blob.readInt32LE(4)).toBe(-1);
    const e = envelopeOf(geometry)!;
    expect([blob.readDoubleLE(8), blob.readDoubleLE(16), blob.readDoubleLE(24), blob.readDoubleLE(32)]).toEqual([e.minX, e.maxX, e.minY, e.maxY]);
    // ISO WKB follows: little-endian, type 6, two polygons.
    expect([blob[40], blob.readUInt32LE(41), blob.readUInt32LE(45)]).toEqual([1, 6, 2]);
    expect(blob.length).toBe(40 + 9 + 2 * 9 + (1 + 2) * 4 + (5 + 5 + 5) * 16);
  });

  test('a Z coordinate given to the encoder is dropped: XY WKB', () => {
    const blob = Buffer.from(encodeGeoPackageGeometry({ type: 'Point', coordinates: [1, 2, 3] }, 3067));
    expect(blob.readUInt32LE(41)).toBe(1);
    expect(decodeGeoPackageGeometry(blob)?.geometry).toEqual({ type: 'Point', coordinates: [1, 2] });
  });

  test('a null blob decodes to null; a foreign blob throws', () => {
    expect(decodeGeoPackageGeometry(null)).toBeNull();
    expect(decodeGeoPackageGeometry(undefined)).toBeNull();
    expect(() => decodeGeoPackageGeometry(Buffer.from('not a geometry blob'))).toThrow(/Not a GeoPackage/);
    expect(() => decodeGeoPackageGeometry(Buffer.from([0x47, 0x50]))).toThrow(/Not a GeoPackage/);
    const badEnvelope = Buffer.from(encodeGeoPackageGeometry(SAMPLES.Point, 0));
    badEnvelope[3] = 1 | (5 << 1);
    expect(() => decodeGeoPackageGeometry(badEnvelope)).toThrow(/envelope indicator 5/);
    const collection = Buffer.concat([gpHeader(true, 0, []), new Wkb(true).order().uint32(7).uint32(0).bytes()]);
    expect(() => decodeGeoPackageGeometry(collection)).toThrow(/geometry type 7/);
  });
});

describe('empty geometries', () => {
  test.each([
    { type: 'MultiPolygon', coordinates: [] },
    { type: 'LineString', coordinates: [] },
    { type: 'MultiPoint', coordinates: [] },
    { type: 'Polygon', coordinates: [] },
  ] as Geometry[])('an empty $type sets the empty flag, has no envelope and round-trips', (geometry) => {
    const blob = encodeGeoPackageGeometry(geometry, 3067);
    expect(blob[3]).toBe(0b0001_0001); // empty, no envelope, little-endian
    expect(blob.length).toBe(8 + 9);
    expect(decodeGeoPackageGeometry(blob)).toEqual({ geometry, srsId: 3067 });
    expect(geoPackageEnvelope(blob)).toBeNull();
  });
});

describe('input from other writers', () => {
  test('big-endian header and WKB decode, and the envelope reader reads big-endian doubles', () => {
    const w = new Wkb(false);
    w.order().uint32(6).uint32(2);
    w.order().uint32(3).uint32(1).uint32(4).double(0, 0, 10, 0, 10, 10, 0, 0);
    w.order().uint32(3).uint32(1).uint32(4).double(20, 20, 30, 20, 30, 30, 20, 20);
    const blob = Buffer.concat([gpHeader(false, 3067, [0, 30, 0, 30]), w.bytes()]);
    expect(decodeGeoPackageGeometry(blob)).toEqual({
      srsId: 3067,
      geometry: { type: 'MultiPolygon', coordinates: [[[[0, 0], [10, 0], [10, 10], [0, 0]]], [[[20, 20], [30, 20], [30, 30], [20, 20]]]] },
    });
    expect(geoPackageEnvelope(blob)).toEqual([0, 30, 0, 30]);
  });

  test('mixed byte order: a little-endian header, a big-endian multi with little-endian parts', () => {
    const inner = new Wkb(true).order().uint32(1).double(5, 6).bytes();
    const outer = new Wkb(false).order().uint32(4).uint32(2).raw(inner).raw(new Wkb(false).order().uint32(1).double(7, 8).bytes()).bytes();
    const blob = Buffer.concat([gpHeader(true, 4326, []), outer]);
    expect(decodeGeoPackageGeometry(blob)?.geometry).toEqual({ type: 'MultiPoint', coordinates: [[5, 6], [7, 8]] });
  });

  test('Z, M and ZM geometries decode to XY, past an XYZ or XYZM envelope', () => {
    const pointZ = Buffer.concat([gpHeader(true, 3067, [1, 1, 2, 2, 3, 3]), new Wkb(true).order().uint32(1001).double(1, 2, 3).bytes()]);
    expect(decodeGeoPackageGeometry(pointZ)?.geometry).toEqual({ type: 'Point', coordinates: [1, 2] });
    expect(geoPackageEnvelope(pointZ)).toEqual([1, 1, 2, 2]);

    const lineM = Buffer.concat([gpHeader(true, 3067, []), new Wkb(true).order().uint32(2002).uint32(2).double(0, 0, 99, 5, 6, 98).bytes()]);
    expect(decodeGeoPackageGeometry(lineM)?.geometry).toEqual({ type: 'LineString', coordinates: [[0, 0], [5, 6]] });
    expect(geoPackageEnvelope(lineM)).toEqual([0, 5, 0, 6]); // computed: the blob has no envelope

    const w = new Wkb(false).order().uint32(3006).uint32(1).order().uint32(3003).uint32(1).uint32(4);
    w.double(0, 0, 1, 2, 4, 0, 1, 2, 4, 4, 1, 2, 0, 0, 1, 2);
    const multiZM = Buffer.concat([gpHeader(false, 3067, [0, 4, 0, 4, 1, 1, 2, 2]), w.bytes()]);
    expect(decodeGeoPackageGeometry(multiZM)?.geometry).toEqual({ type: 'MultiPolygon', coordinates: [[[[0, 0], [4, 0], [4, 4], [0, 0]]]] });
    expect(geoPackageEnvelope(multiZM)).toEqual([0, 4, 0, 4]);
  });
});

describe('geoPackageEnvelope', () => {
  test.each(Object.keys(SAMPLES) as Geometry['type'][])('matches envelopeOf for a %s', (type) => {
    const geometry = SAMPLES[type];
    const e = envelopeOf(geometry)!;
    expect(geoPackageEnvelope(encodeGeoPackageGeometry(geometry, 3067))).toEqual([e.minX, e.maxX, e.minY, e.maxY]);
  });

  test('null or too short → null', () => {
    expect(geoPackageEnvelope(null)).toBeNull();
    expect(geoPackageEnvelope(new Uint8Array([0x47, 0x50, 0, 1]))).toBeNull();
  });
});

describe('blobs GDAL wrote', () => {
  const tmp = makeTempDir('verkosto-geom-');
  afterAll(() => tmp.cleanup());

  test('decode, 2D and 3D, and their envelopes agree with the R-tree GDAL built', () => {
    const source = '/work/shared/data/helsinki-boundary/helsinki_boundary_tm35.geojson';
    const flat = tmp.file('flat.gpkg');
    const threeD = tmp.file('z.gpkg');
    execFileSync('ogr2ogr', ['-f', 'GPKG', '-nln', 'boundary', flat, source], { stdio: 'pipe' });
    execFileSync('ogr2ogr', ['-f', 'GPKG', '-nln', 'boundary', '-dim', 'XYZ', threeD, source], { stdio: 'pipe' });
    const read = (file: string) => {
      const db = new Database(file, { readonly: true });
      const rows = db.prepare('SELECT b.fid, b.geom, r.minx, r.maxx, r.miny, r.maxy FROM boundary b JOIN rtree_boundary_geom r ON r.id = b.fid ORDER BY b.fid').all() as
        { fid: number; geom: Buffer; minx: number; maxx: number; miny: number; maxy: number }[];
      db.close();
      return rows;
    };
    const flatRows = read(flat);
    const zRows = read(threeD);
    expect(flatRows.length).toBeGreaterThan(0);
    for (const [index, row] of flatRows.entries()) {
      const decoded = decodeGeoPackageGeometry(row.geom)!;
      expect(decoded.srsId).toBe(3067);
      expect(['Polygon', 'MultiPolygon']).toContain(decoded.geometry.type);
      const z = decodeGeoPackageGeometry(zRows[index]!.geom)!;
      expect(z.geometry).toEqual(decoded.geometry);
      const envelope = geoPackageEnvelope(row.geom)!;
      const e = envelopeOf(decoded.geometry)!;
      expect(envelope).toEqual([e.minX, e.maxX, e.minY, e.maxY]);
      expect(geoPackageEnvelope(zRows[index]!.geom)).toEqual(envelope);
      // GDAL's R-tree holds the same box in 32-bit floats, rounded outwards.
      expect(row.minx).toBeLessThanOrEqual(e.minX);
      expect(row.maxx).toBeGreaterThanOrEqual(e.maxX);
      expect(e.minX - row.minx).toBeLessThan(0.1);
      expect(row.maxy - e.maxY).toBeLessThan(1);
    }
    // The 3D file really is 3D: its WKB type codes are 1000+.
    const zType = (blob: Buffer) => blob.readUInt32LE(8 + [0, 32, 48, 48, 64][(blob[3]! >> 1) & 7]! + 1);
    expect(zType(zRows[0]!.geom)).toBeGreaterThan(1000);
    expect(zType(flatRows[0]!.geom)).toBeLessThan(1000);
  });
});
