/**
 * A small WKT reader for table sources (CSV/XLSX WKT columns): POINT, LINESTRING, POLYGON and their MULTI
 * forms, with optional Z/M and an EWKT `SRID=n;` prefix. Throws with the reason on anything else.
 */
import type { Geometry, Position } from '../../../../../shared/geo/geometry';

class WktParser {
  private i = 0;
  constructor(private readonly text: string) {}

  private skip(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i]!)) this.i++;
  }

  private expect(char: string): void {
    this.skip();
    if (this.text[this.i] !== char) throw new Error(`expected “${char}” at ${this.i}`);
    this.i++;
  }

  peek(char: string): boolean {
    this.skip();
    return this.text[this.i] === char;
  }

  word(): string {
    this.skip();
    const match = /^[A-Za-z]+/.exec(this.text.slice(this.i));
    if (!match) throw new Error(`expected a geometry type at ${this.i}`);
    this.i += match[0].length;
    return match[0].toUpperCase();
  }

  private number(): number {
    this.skip();
    const match = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(this.text.slice(this.i));
    if (!match) throw new Error(`expected a number at ${this.i}`);
    this.i += match[0].length;
    return Number(match[0]);
  }

  position(): Position {
    const x = this.number();
    const y = this.number();
    // Z and M are dropped: Verkosto stores 2D.
    while (!this.peek(',') && !this.peek(')')) this.number();
    return [x, y];
  }

  list<T>(item: () => T): T[] {
    this.expect('(');
    const items = [item()];
    while (this.peek(',')) {
      this.i++;
      items.push(item());
    }
    this.expect(')');
    return items;
  }

  /** Skips a Z, M or ZM tag after the type name. */
  dimensionTag(): void {
    this.skip();
    const match = /^(ZM|Z|M)\b/i.exec(this.text.slice(this.i));
    if (match) this.i += match[0].length;
  }

  empty(): boolean {
    this.skip();
    if (/^EMPTY/i.test(this.text.slice(this.i))) {
      this.i += 5;
      return true;
    }
    return false;
  }

  end(): void {
    this.skip();
    if (this.i !== this.text.length) throw new Error(`unexpected text at ${this.i}`);
  }
}

export function parseWkt(input: string): Geometry | null {
  const text = input.trim().replace(/^SRID=\d+;/i, '');
  if (text === '') return null;
  const parser = new WktParser(text);
  let type = parser.word();
  // "POINT Z (…)", "POINTZ", "POINT M"
  type = type.replace(/(ZM|Z|M)$/, '');
  parser.dimensionTag();
  if (parser.empty()) return null;
  const ring = () => parser.list(() => parser.position());
  let geometry: Geometry;
  switch (type) {
    case 'POINT':
      geometry = { type: 'Point', coordinates: parser.list(() => parser.position())[0]! };
      break;
    case 'MULTIPOINT':
      geometry = { type: 'MultiPoint', coordinates: parser.list(() => (parser.peek('(') ? parser.list(() => parser.position())[0]! : parser.position())) };
      break;
    case 'LINESTRING':
      geometry = { type: 'LineString', coordinates: ring() };
      break;
    case 'MULTILINESTRING':
      geometry = { type: 'MultiLineString', coordinates: parser.list(ring) };
      break;
    case 'POLYGON':
      geometry = { type: 'Polygon', coordinates: parser.list(ring) };
      break;
    case 'MULTIPOLYGON':
      geometry = { type: 'MultiPolygon', coordinates: parser.list(() => parser.list(ring)) };
      break;
    default:
      throw new Error(`unsupported WKT type ${type}`);
  }
  parser.end();
  return geometry;
}
