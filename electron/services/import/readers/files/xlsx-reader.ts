/**
 * XLSX (and XLS/ODS) workbooks through SheetJS: the first sheet (or the named one), the first row as the
 * header, coordinates from x/y or lon/lat columns or a WKT column, like CSV.
 */
import { readFileSync } from 'node:fs';
import * as XLSX from 'xlsx';
import { VerkostoError } from '../../../../../shared/errors';
import type { FeatureSource, ReadOptions, SourceFeature, SourceLayerInfo } from '../../../../../shared/import/feature-source';
import { checkAborted, fileLabel, inferFields, requireInMemorySize } from './file-utils';
import type { TableOptions } from './csv-reader';
import { guessCoordinateColumns, rowGeometry } from './table-geometry';
import { parseWkt } from './wkt';

export class XlsxFileSource implements FeatureSource {
  readonly description: string;
  private workbook: XLSX.WorkBook | null = null;

  constructor(private readonly file: string, private readonly options: TableOptions = {}) {
    this.description = fileLabel(file);
    requireInMemorySize(file);
  }

  private book(): XLSX.WorkBook {
    if (this.workbook) return this.workbook;
    try {
      this.workbook = XLSX.read(readFileSync(this.file), { type: 'buffer', cellDates: true, dense: true });
    } catch (error) {
      throw new VerkostoError('importUnreadable', { source: this.description, detail: error instanceof Error ? error.message : String(error) });
    }
    if (this.workbook.SheetNames.length === 0) throw new VerkostoError('importEmpty', { source: this.description });
    return this.workbook;
  }

  private rows(sheetName: string): { header: string[]; rows: Record<string, unknown>[] } {
    const sheet = this.book().Sheets[sheetName];
    if (!sheet) throw new VerkostoError('importUnreadable', { source: this.description, detail: `no sheet “${sheetName}”` });
    const matrix = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, defval: null, raw: true, blankrows: false });
    const header = (matrix[0] ?? []).map((cell, index) => (cell == null || String(cell).trim() === '' ? `column_${index + 1}` : String(cell).trim()));
    const rows = matrix.slice(1).map((cells) => Object.fromEntries(header.map((name, index) => [name, cells[index] ?? null])));
    return { header, rows };
  }

  async listLayers(): Promise<SourceLayerInfo[]> {
    const names = this.options.sheet ? [this.options.sheet] : this.book().SheetNames;
    return names.map((name) => {
      const { header, rows } = this.rows(name);
      const coordinates = this.options.coordinates ?? guessCoordinateColumns(header);
      const epsg = coordinates?.kind === 'lonlat' ? 4326 : (this.options.epsg ?? null);
      return { name, title: name, epsg, latitudeFirst: false, fields: inferFields(rows.slice(0, 1000), header), featureCount: rows.length, extent: null, needsCoordinates: !coordinates };
    });
  }

  async *readFeatures(layer: string, options: ReadOptions = {}): AsyncIterable<SourceFeature> {
    const name = layer === 'default' ? (this.options.sheet ?? this.book().SheetNames[0]!) : layer;
    const { header, rows } = this.rows(name);
    if (header.length === 0 || rows.length === 0) throw new VerkostoError('importEmpty', { source: this.description });
    const coordinates = this.options.coordinates ?? guessCoordinateColumns(header);
    for (let index = 0; index < rows.length; index++) {
      if (index % 1000 === 0) {
        checkAborted(options.signal);
        options.onProgress?.({ featuresRead: index, featuresTotal: rows.length, bytesRead: null, bytesTotal: null });
      }
      const row = rows[index]!;
      const sourceId = this.options.idField && row[this.options.idField] != null ? String(row[this.options.idField]) : String(index + 1);
      yield { sourceId, geometry: coordinates ? rowGeometry(row, coordinates, this.description, sourceId, parseWkt) : null, properties: row };
    }
  }
}
