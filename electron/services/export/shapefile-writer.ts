/**
 * Writes an ESRI Shapefile set (.shp, .shx, .dbf, .prj, .cpg) for points or (multi)polygons. The .dbf is
 * UTF-8 with a .cpg saying so; field names longer than 10 characters are shortened and made unique the
 * way GDAL does, and the renames are returned so the caller can document them.
 */
import type { Geometry, Position } from '../../../shared/geo/geometry';
import type { ExportColumn, ExportRow } from './export-rows';

function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return sum / 2;
}

/** Shapefile rings: outer rings clockwise, holes counter-clockwise. */
function shapefileRings(geometry: Geometry): Position[][] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  const rings: Position[][] = [];
  for (const polygon of polygons) {
    polygon.forEach((ring, index) => {
      const clockwise = ringArea(ring) < 0;
      const wantClockwise = index === 0;
      rings.push(clockwise === wantClockwise ? ring : [...ring].reverse());
    });
  }
  return rings;
}

/** Unique ≤10-character dBASE field names. */
export function dbfFieldNames(columns: ExportColumn[]): string[] {
  const used = new Set<string>();
  return columns.map((column) => {
    let name = column.name.slice(0, 10);
    for (let n = 1; used.has(name.toLowerCase()); n++) name = `${column.name.slice(0, 10 - String(n).length - 1)}_${n}`;
    used.add(name.toLowerCase());
    return name;
  });
}

export function writeShapefile(rows: ExportRow[], columns: ExportColumn[], shapeType: 'point' | 'polygon', wkt: string): { shp: Buffer; shx: Buffer; dbf: Buffer; prj: Buffer; cpg: Buffer; names: string[] } {
  const records: Buffer[] = [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const grow = (x: number, y: number) => {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  };
  for (const row of rows) {
    const geometry = row.geometry;
    if (!geometry) {
      const content = Buffer.alloc(4);
      content.writeInt32LE(0, 0);
      records.push(content);
    } else if (shapeType === 'point') {
      const point = geometry.type === 'Point' ? geometry.coordinates : geometry.type === 'MultiPoint' ? geometry.coordinates[0]! : [NaN, NaN];
      const content = Buffer.alloc(20);
      content.writeInt32LE(1, 0);
      content.writeDoubleLE(point[0]!, 4);
      content.writeDoubleLE(point[1]!, 12);
      grow(point[0]!, point[1]!);
      records.push(content);
    } else {
      const rings = shapefileRings(geometry);
      const points = rings.reduce((n, ring) => n + ring.length, 0);
      const content = Buffer.alloc(44 + 4 * rings.length + 16 * points);
      content.writeInt32LE(5, 0);
      let rMinX = Infinity, rMinY = Infinity, rMaxX = -Infinity, rMaxY = -Infinity;
      for (const ring of rings) for (const [x, y] of ring) {
        rMinX = Math.min(rMinX, x); rMinY = Math.min(rMinY, y); rMaxX = Math.max(rMaxX, x); rMaxY = Math.max(rMaxY, y);
      }
      content.writeDoubleLE(rMinX, 4); content.writeDoubleLE(rMinY, 12); content.writeDoubleLE(rMaxX, 20); content.writeDoubleLE(rMaxY, 28);
      grow(rMinX, rMinY);
      grow(rMaxX, rMaxY);
      content.writeInt32LE(rings.length, 36);
      content.writeInt32LE(points, 40);
      let part = 0;
      let offset = 44 + 4 * rings.length;
      rings.forEach((ring, index) => {
        content.writeInt32LE(part, 44 + 4 * index);
        for (const [x, y] of ring) {
          content.writeDoubleLE(x, offset);
          content.writeDoubleLE(y, offset + 8);
          offset += 16;
        }
        part += ring.length;
      });
      records.push(content);
    }
  }
  if (!Number.isFinite(minX)) minX = minY = maxX = maxY = 0;
  const header = (length: number) => {
    const buffer = Buffer.alloc(100);
    buffer.writeInt32BE(9994, 0);
    buffer.writeInt32BE(length / 2, 24);
    buffer.writeInt32LE(1000, 28);
    buffer.writeInt32LE(shapeType === 'point' ? 1 : 5, 32);
    buffer.writeDoubleLE(minX, 36); buffer.writeDoubleLE(minY, 44); buffer.writeDoubleLE(maxX, 52); buffer.writeDoubleLE(maxY, 60);
    return buffer;
  };
  const shpParts: Buffer[] = [];
  const shxParts: Buffer[] = [];
  let offset = 100;
  records.forEach((content, index) => {
    const recordHeader = Buffer.alloc(8);
    recordHeader.writeInt32BE(index + 1, 0);
    recordHeader.writeInt32BE(content.length / 2, 4);
    shpParts.push(recordHeader, content);
    const entry = Buffer.alloc(8);
    entry.writeInt32BE(offset / 2, 0);
    entry.writeInt32BE(content.length / 2, 4);
    shxParts.push(entry);
    offset += 8 + content.length;
  });
  const shp = Buffer.concat([header(offset), ...shpParts]);
  const shx = Buffer.concat([header(100 + 8 * records.length), ...shxParts]);

  // dBASE III: C fields sized to the longest UTF-8 value, N(18,0) integers, N(24,8) reals.
  const names = dbfFieldNames(columns);
  const fields = columns.map((column, index) => {
    if (column.type === 'integer') return { name: names[index]!, type: 'N', length: 18, decimals: 0 };
    if (column.type === 'real') return { name: names[index]!, type: 'N', length: 24, decimals: 8 };
    let length = 1;
    for (const row of rows) {
      const value = row.values[column.name];
      if (value != null) length = Math.max(length, Buffer.byteLength(String(value), 'utf8'));
    }
    return { name: names[index]!, type: 'C', length: Math.min(254, length), decimals: 0 };
  });
  const recordLength = 1 + fields.reduce((n, field) => n + field.length, 0);
  const headerLength = 32 + 32 * fields.length + 1;
  const dbf = Buffer.alloc(headerLength + recordLength * rows.length + 1, 0x20);
  dbf.fill(0, 0, headerLength);
  dbf.writeUInt8(0x03, 0);
  const today = new Date();
  dbf.writeUInt8(today.getFullYear() - 1900, 1);
  dbf.writeUInt8(today.getMonth() + 1, 2);
  dbf.writeUInt8(today.getDate(), 3);
  dbf.writeUInt32LE(rows.length, 4);
  dbf.writeUInt16LE(headerLength, 8);
  dbf.writeUInt16LE(recordLength, 10);
  fields.forEach((field, index) => {
    const base = 32 + 32 * index;
    dbf.write(field.name, base, 10, 'latin1');
    dbf.write(field.type, base + 11, 1, 'latin1');
    dbf.writeUInt8(field.length, base + 16);
    dbf.writeUInt8(field.decimals, base + 17);
  });
  dbf.writeUInt8(0x0d, headerLength - 1);
  rows.forEach((row, rowIndex) => {
    let offset = headerLength + rowIndex * recordLength;
    dbf.write(' ', offset, 1, 'latin1');
    offset++;
    fields.forEach((field, index) => {
      const value = row.values[columns[index]!.name];
      if (value != null) {
        if (field.type === 'N') {
          const text = field.decimals > 0 ? Number(value).toFixed(field.decimals) : String(Math.round(Number(value)));
          dbf.write(text.padStart(field.length).slice(-field.length), offset, field.length, 'latin1');
        } else {
          // Cut on a character boundary so a long value never ends in half a UTF-8 sequence.
          let bytes = Buffer.from(String(value), 'utf8');
          if (bytes.length > field.length) bytes = Buffer.from(new TextDecoder().decode(bytes.subarray(0, field.length)).replace(/\uFFFD$/, ''), 'utf8');
          bytes.copy(dbf, offset);
        }
      }
      offset += field.length;
    });
  });
  dbf.writeUInt8(0x1a, dbf.length - 1);
  return { shp, shx, dbf, prj: Buffer.from(wkt, 'latin1'), cpg: Buffer.from('UTF-8', 'latin1'), names };
}
