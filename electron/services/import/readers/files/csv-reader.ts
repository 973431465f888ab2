/**
 * CSV files: streamed line by line in constant memory (RFC 4180 quoting, `;` `,` or tab detected, UTF-8
 * or Windows-1252/ISO-8859-1), coordinates from x/y or lon/lat columns or one WKT column.
 */
import { createReadStream } from 'node:fs';
import { VerkostoError } from '../../../../../shared/errors';
import type { Geometry } from '../../../../../shared/geo/geometry';
import type { FeatureSource, ReadOptions, SourceFeature, SourceLayerInfo } from '../../../../../shared/import/feature-source';
import type { CoordinateColumns } from '../../../../../shared/import/types';
import { allZero, checkAborted, decodeText, fileLabel, fileSize, inferFields, normaliseEncoding, readHead } from './file-utils';
import { parseWkt } from './wkt';
import { guessCoordinateColumns, rowGeometry } from './table-geometry';

/** A line longer than this is not a CSV row (a binary file, a sparse file, a missing newline). */
const MAX_RECORD_CHARS = 1024 * 1024;

export interface TableOptions {
  encoding?: string | null;
  delimiter?: string | null;
  coordinates?: CoordinateColumns | null;
  /** EPSG of x/y columns; lon/lat is 4326. */
  epsg?: number | null;
  /** Column holding a stable id; else the row number. */
  idField?: string | null;
  sheet?: string | null;
}

/** Splits CSV text into records, keeping state between chunks. */
class CsvTokenizer {
  private field = '';
  private record: string[] = [];
  private quoted = false;
  private afterQuote = false;
  private recordChars = 0;

  constructor(private readonly delimiter: string, private readonly label: string) {}

  *push(text: string, final = false): Generator<string[]> {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (++this.recordChars > MAX_RECORD_CHARS) {
        throw new VerkostoError('importUnreadable', { source: this.label, detail: `a row is longer than ${MAX_RECORD_CHARS / 1024 / 1024} MB: not a CSV file` });
      }
      if (this.quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') {
            this.field += '"';
            i++;
          } else if (i + 1 === text.length && !final) {
            // A quote at the chunk's end: decide with the next chunk.
            this.quoted = false;
            this.afterQuote = true;
          } else {
            this.quoted = false;
          }
        } else this.field += c;
        continue;
      }
      if (this.afterQuote) {
        this.afterQuote = false;
        if (c === '"') {
          this.field += '"';
          this.quoted = true;
          continue;
        }
      }
      if (c === '"' && this.field === '') this.quoted = true;
      else if (c === this.delimiter) {
        this.record.push(this.field);
        this.field = '';
      } else if (c === '\n' || c === '\r') {
        if (c === '\r' && text[i + 1] === '\n') i++;
        this.record.push(this.field);
        this.field = '';
        const record = this.record;
        this.record = [];
        this.recordChars = 0;
        if (!(record.length === 1 && record[0] === '')) yield record;
      } else if (c === '\0') {
        throw new VerkostoError('importUnreadable', { source: this.label, detail: 'NUL bytes: a binary file, not CSV' });
      } else this.field += c;
    }
    if (final) {
      if (this.quoted) throw new VerkostoError('importUnreadable', { source: this.label, detail: 'a quoted field is not closed (the file is cut short?)' });
      if (this.field !== '' || this.record.length > 0) {
        this.record.push(this.field);
        yield this.record;
      }
      this.record = [];
      this.field = '';
    }
  }
}

function detectDelimiter(firstLine: string): string {
  const counts = [';', ',', '\t', '|'].map((d) => [d, firstLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

export class CsvFileSource implements FeatureSource {
  readonly description: string;
  private readonly size: number;
  private encoding: string;
  private delimiter: string;

  constructor(private readonly file: string, private readonly options: TableOptions = {}) {
    this.description = fileLabel(file);
    this.size = fileSize(file);
    const head = readHead(file, 65536);
    if (allZero(head)) throw new VerkostoError('importUnreadable', { source: this.description, detail: 'the file holds only zero bytes' });
    const decoded = decodeText(head.length === 65536 ? head.subarray(0, 65000) : head, normaliseEncoding(options.encoding));
    this.encoding = decoded.encoding;
    this.delimiter = options.delimiter || detectDelimiter(decoded.text.split(/\r?\n/, 1)[0] ?? '');
  }

  private async *records(signal?: ReadOptions['signal'], onBytes?: (bytes: number) => void): AsyncGenerator<string[]> {
    const tokenizer = new CsvTokenizer(this.delimiter, this.description);
    const decoder = new TextDecoder(this.encoding);
    const stream = createReadStream(this.file, { highWaterMark: 256 * 1024 });
    let bytes = 0;
    let first = true;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        checkAborted(signal);
        bytes += chunk.length;
        onBytes?.(bytes);
        let text = decoder.decode(chunk, { stream: true });
        if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
        yield* tokenizer.push(text);
      }
      yield* tokenizer.push(decoder.decode(), true);
    } finally {
      stream.destroy();
    }
  }

  private toRow(header: string[], record: string[]): Record<string, unknown> {
    const row: Record<string, unknown> = {};
    header.forEach((name, index) => (row[name] = record[index] ?? null));
    return row;
  }

  async listLayers(options: ReadOptions = {}): Promise<SourceLayerInfo[]> {
    let header: string[] | null = null;
    const sample: Record<string, unknown>[] = [];
    for await (const record of this.records(options.signal)) {
      if (!header) header = record.map((name) => name.trim());
      else sample.push(this.toRow(header, record));
      if (sample.length >= 1000) break;
    }
    if (!header) throw new VerkostoError('importEmpty', { source: this.description });
    const coordinates = this.options.coordinates ?? guessCoordinateColumns(header);
    const epsg = coordinates?.kind === 'lonlat' ? 4326 : (this.options.epsg ?? null);
    return [{ name: 'default', title: this.description, epsg, latitudeFirst: false, fields: inferFields(sample, header), featureCount: null, extent: null, needsCoordinates: !coordinates }];
  }

  async *readFeatures(_layer: string, options: ReadOptions = {}): AsyncIterable<SourceFeature> {
    let header: string[] | null = null;
    let coordinates: CoordinateColumns | null = null;
    let index = 0;
    let bytesRead = 0;
    for await (const record of this.records(options.signal, (bytes) => (bytesRead = bytes))) {
      if (!header) {
        header = record.map((name) => name.trim());
        // Without coordinate columns rows come without geometry (the pipeline refuses them; the dialog
        // uses them to show the fields so the user can name the columns).
        coordinates = this.options.coordinates ?? guessCoordinateColumns(header);
        continue;
      }
      index++;
      const row = this.toRow(header, record);
      const sourceId = this.options.idField && row[this.options.idField] ? String(row[this.options.idField]) : String(index);
      const geometry: Geometry | null = coordinates ? rowGeometry(row, coordinates, this.description, sourceId, parseWkt) : null;
      if (index % 5000 === 0) options.onProgress?.({ featuresRead: index, featuresTotal: null, bytesRead, bytesTotal: this.size });
      yield { sourceId, geometry, properties: row };
    }
    if (!header) throw new VerkostoError('importEmpty', { source: this.description });
  }
}
