/**
 * Statistics Finland's PxWeb API (pxdata.stat.fi/PxWeb/api/v1/{fi,sv,en}/StatFin/…) as a table source:
 * e.g. the population projection by municipality, year and single-year age. Rows without geometry.
 *
 * Table paths and variable/value codes are PINNED in the source configuration (Statistics Finland renamed
 * tables and codes in June 2026). Before every read the reader GETs the table's metadata and checks every
 * pinned variable and value against it; a missing one stops the read with pxwebCodesChanged naming it,
 * instead of importing the wrong numbers. Then it POSTs the JSON query and reads the json-stat2 answer.
 */
import { VerkostoError } from '../../../../../shared/errors';
import type { FeatureSource, ReadOptions, SourceFeature, SourceField, SourceLayerInfo } from '../../../../../shared/import/feature-source';
import { abortError, fetchJson, serverName, type HttpOptions } from './http-client';

export interface PxWebTable {
  title: string;
  /** Path below the database URL, e.g. "vaenn/statfin_vaenn_pxt_139f.px". */
  path: string;
  /** Variable code → value codes to select, or "*" for all values. */
  selection: Record<string, string[] | '*'>;
  /** Variables whose values identify a row (e.g. ["Alue", "Vuosi"]); the others become columns. */
  rowVariables: string[];
  /**
   * Column key → field name, e.g. {"007": "age_7"}. The key is the codes of the non-row variables that have
   * more than one selected value, joined with "|". Unlisted keys keep the key as the field name.
   */
  columnNames?: Record<string, string>;
}

export interface PxWebSourceOptions {
  /** Database URL, e.g. https://pxdata.stat.fi/PxWeb/api/v1/fi/StatFin */
  url: string;
  tables: Record<string, PxWebTable>;
  http?: HttpOptions;
}

interface PxVariable { code: string; text: string; values: string[]; valueTexts: string[] }

interface JsonStat2 {
  class?: string;
  id?: string[];
  size?: number[];
  value?: Array<number | null> | Record<string, number | null>;
  dimension?: Record<string, { category?: { index?: Record<string, number> | string[]; label?: Record<string, string> } }>;
}

function categoryCodes(dimension: NonNullable<JsonStat2['dimension']>[string] | undefined): string[] {
  const index = dimension?.category?.index;
  if (Array.isArray(index)) return index;
  if (index) return Object.entries(index).sort((a, b) => a[1] - b[1]).map(([code]) => code);
  return Object.keys(dimension?.category?.label ?? {});
}

/** Rows of a json-stat2 dataset grouped by the row variables (exported for tests). */
export function rowsFromJsonStat(data: JsonStat2, table: PxWebTable, server: string): SourceFeature[] {
  const ids = data.id;
  const sizes = data.size;
  if (data.class !== 'dataset' || !Array.isArray(ids) || !Array.isArray(sizes) || ids.length !== sizes.length || !data.dimension || data.value === undefined) {
    throw new VerkostoError('sourceBadResponse', { server, detail: 'the answer is not a json-stat2 dataset' });
  }
  const codes = ids.map((id) => categoryCodes(data.dimension![id]));
  const labels = ids.map((id) => data.dimension![id]?.category?.label ?? {});
  const total = sizes.reduce((product, size) => product * size, 1);
  const values = data.value;
  // A column's name is made of the codes of the varying non-row variables (e.g. the age "007"); variables
  // pinned to one value (Sukupuoli SSS, Tiedot vaesto) are left out unless nothing varies.
  const nonRow = ids.map((_, dim) => dim).filter((dim) => !table.rowVariables.includes(ids[dim]!));
  const varying = nonRow.filter((dim) => sizes[dim]! > 1);
  const columnDimensions = varying.length > 0 ? varying : nonRow;
  const rows = new Map<string, SourceFeature>();
  const position = new Array<number>(ids.length).fill(0);
  for (let flat = 0; flat < total; flat++) {
    // Row-major index → one category per dimension.
    let rest = flat;
    for (let dim = ids.length - 1; dim >= 0; dim--) {
      position[dim] = rest % sizes[dim]!;
      rest = Math.floor(rest / sizes[dim]!);
    }
    const rowParts: string[] = [];
    const columnParts: string[] = [];
    ids.forEach((id, dim) => {
      if (table.rowVariables.includes(id)) rowParts.push(codes[dim]![position[dim]!]!);
      else if (columnDimensions.includes(dim)) columnParts.push(codes[dim]![position[dim]!]!);
    });
    const key = rowParts.join('|');
    let row = rows.get(key);
    if (!row) {
      const properties: Record<string, unknown> = {};
      ids.forEach((id, dim) => {
        if (!table.rowVariables.includes(id)) return;
        const code = codes[dim]![position[dim]!]!;
        properties[id] = code;
        properties[`${id}_label`] = labels[dim]![code] ?? code;
      });
      row = { sourceId: key, geometry: null, properties };
      rows.set(key, row);
    }
    const columnKey = columnParts.join('|') || 'value';
    const value = Array.isArray(values) ? values[flat] : values[String(flat)];
    row.properties[table.columnNames?.[columnKey] ?? columnKey] = value === undefined ? null : value;
  }
  return [...rows.values()];
}

export class PxWebSource implements FeatureSource {
  readonly description: string;
  private readonly options: PxWebSourceOptions;
  private readonly server: string;

  constructor(options: PxWebSourceOptions) {
    this.options = options;
    this.server = serverName(options.url);
    this.description = `PxWeb ${options.url}`;
  }

  private http(options?: ReadOptions): HttpOptions {
    return { ...this.options.http, signal: options?.signal ?? this.options.http?.signal };
  }

  private table(layer: string): PxWebTable {
    const table = this.options.tables[layer];
    if (!table) throw new VerkostoError('sourceLayerNotFound', { server: this.server, layer, available: Object.keys(this.options.tables).join(', ') });
    return table;
  }

  private tableUrl(table: PxWebTable): string {
    return `${this.options.url.replace(/\/+$/, '')}/${table.path.replace(/^\/+/, '')}`;
  }

  /** GET the metadata and check every pinned code against it. */
  async validate(layer: string, options?: ReadOptions): Promise<PxVariable[]> {
    const table = this.table(layer);
    const { json } = await fetchJson<{ variables?: PxVariable[] }>(this.tableUrl(table), this.http(options));
    if (!json || !Array.isArray(json.variables)) throw new VerkostoError('sourceBadResponse', { server: this.server, detail: `no variables in the metadata of ${table.path}` });
    const variables = json.variables;
    for (const [code, values] of Object.entries(table.selection)) {
      const variable = variables.find((candidate) => candidate.code === code);
      if (!variable) throw new VerkostoError('pxwebCodesChanged', { table: table.path, what: code });
      if (values === '*') continue;
      const missing = values.find((value) => !variable.values.includes(value));
      if (missing !== undefined) throw new VerkostoError('pxwebCodesChanged', { table: table.path, what: `${code}=${missing}` });
    }
    for (const code of table.rowVariables) {
      if (!variables.some((candidate) => candidate.code === code)) throw new VerkostoError('pxwebCodesChanged', { table: table.path, what: code });
    }
    return variables;
  }

  async listLayers(): Promise<SourceLayerInfo[]> {
    return Object.entries(this.options.tables).map(([name, table]) => {
      const fields: SourceField[] = [...table.rowVariables.flatMap((code) => [{ name: code, type: 'string' as const }, { name: `${code}_label`, type: 'string' as const }]), ...Object.values(table.columnNames ?? {}).map((field) => ({ name: field, type: 'number' as const }))];
      return { name, title: table.title, epsg: null, latitudeFirst: false, fields, featureCount: null, extent: null };
    });
  }

  async *readFeatures(layer: string, options: ReadOptions = {}): AsyncIterable<SourceFeature> {
    const table = this.table(layer);
    await this.validate(layer, options);
    if (options.signal?.aborted) throw abortError(options.signal);
    const query = {
      query: Object.entries(table.selection).map(([code, values]) => ({ code, selection: values === '*' ? { filter: 'all', values: ['*'] } : { filter: 'item', values } })),
      response: { format: 'json-stat2' },
    };
    const { json } = await fetchJson<JsonStat2>(this.tableUrl(table), { ...this.http(options), method: 'POST', body: JSON.stringify(query), headers: { 'Content-Type': 'application/json' } });
    const rows = rowsFromJsonStat(json, table, this.server);
    let read = 0;
    for (const row of rows) {
      if (options.signal?.aborted) throw abortError(options.signal);
      read++;
      yield row;
    }
    options.onProgress?.({ featuresRead: read, featuresTotal: rows.length, bytesRead: null, bytesTotal: null });
  }
}
