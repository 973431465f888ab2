/**
 * The attribute table's editable columns per layer, with their types, and the parsing of what a user types
 * into a cell: numbers (a Finnish decimal comma and spaces between thousands are fine), years, bounded
 * integers, enums (status, teaching language, kind), a facility link and yes/no. A cell that does not parse
 * gives an i18n key (editing.cell.*) with its parameters and nothing is sent; a cell that does gives the
 * command that stores it. The bounds are those the host's schemas enforce, so what passes here is accepted
 * there. Pure: no DOM.
 */
import type { Command } from '../domain/commands';
import { FACILITY_KINDS, FACILITY_STATUSES, LANGUAGES } from '../domain/project';

export type TableLayer = 'facilities' | 'catchments' | 'demand_units';

export type FieldSpec =
  | { kind: 'text'; required: boolean; max: number }
  | { kind: 'integer'; min: number; max: number; year?: boolean }
  | { kind: 'amount' }
  | { kind: 'enum'; values: readonly string[]; labels: string }
  | { kind: 'facility' }
  | { kind: 'flag' };

const year = (min: number): FieldSpec => ({ kind: 'integer', min, max: 2200, year: true });

/** Every column a user may edit in the table; the others (origin, code of a demand unit, counts) come from data. */
export const EDITABLE_FIELDS: Record<TableLayer, Record<string, FieldSpec>> = {
  facilities: {
    name_fi: { kind: 'text', required: true, max: 200 },
    name_sv: { kind: 'text', required: false, max: 200 },
    facility_kind: { kind: 'enum', values: FACILITY_KINDS, labels: 'values.facilityKind' },
    language: { kind: 'enum', values: LANGUAGES, labels: 'values.language' },
    status: { kind: 'enum', values: FACILITY_STATUSES, labels: 'values.status' },
    opens_year: year(1800),
    closes_year: year(1800),
    address: { kind: 'text', required: false, max: 300 },
    floor_area_m2: { kind: 'amount' },
    year_built: year(1000),
    condition: { kind: 'integer', min: 1, max: 5 },
    operating_cost_eur: { kind: 'amount' },
    investment_need_eur: { kind: 'amount' },
  },
  catchments: {
    name: { kind: 'text', required: true, max: 200 },
    facility_fid: { kind: 'facility' },
    locked: { kind: 'flag' },
  },
  demand_units: {
    name: { kind: 'text', required: false, max: 200 },
  },
};

export function fieldSpec(layer: TableLayer, column: string): FieldSpec | null {
  return EDITABLE_FIELDS[layer][column] ?? null;
}

export type CellValue = string | number | null;

export type CellParse = { ok: true; value: CellValue } | { ok: false; error: string; params?: Record<string, string | number> };

/** "1 200,5" → 1200.5; null for anything that is not a plain decimal number. */
export function parseNumber(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(compact)) return null;
  return Number(compact);
}

/**
 * What the typed text means for the column, or why it cannot be stored. `row` holds the feature's other
 * values, for checks across columns (a closing year before the opening year).
 */
export function parseCell(layer: TableLayer, column: string, text: string, row: Record<string, unknown> = {}): CellParse {
  const spec = fieldSpec(layer, column);
  if (!spec) return { ok: false, error: 'editing.cell.readOnly' };
  const trimmed = text.trim();
  switch (spec.kind) {
    case 'text':
      if (!trimmed) return spec.required ? { ok: false, error: 'editing.cell.required' } : { ok: true, value: null };
      if (trimmed.length > spec.max) return { ok: false, error: 'editing.cell.tooLong', params: { max: spec.max } };
      return { ok: true, value: trimmed };
    case 'integer': {
      if (!trimmed) return { ok: true, value: null };
      const value = parseNumber(trimmed);
      if (value === null || !Number.isInteger(value) || value < spec.min || value > spec.max) {
        return { ok: false, error: spec.year ? 'editing.cell.year' : 'editing.cell.integer', params: { min: spec.min, max: spec.max } };
      }
      const opens = column === 'closes_year' ? row.opens_year : null;
      const closes = column === 'opens_year' ? row.closes_year : null;
      if (typeof opens === 'number' && value < opens) return { ok: false, error: 'editing.cell.closesBeforeOpens', params: { year: opens } };
      if (typeof closes === 'number' && value > closes) return { ok: false, error: 'editing.cell.opensAfterCloses', params: { year: closes } };
      return { ok: true, value };
    }
    case 'amount': {
      if (!trimmed) return { ok: true, value: null };
      const value = parseNumber(trimmed);
      if (value === null || !Number.isFinite(value) || value < 0) return { ok: false, error: 'editing.cell.amount' };
      return { ok: true, value };
    }
    case 'enum':
      if (!spec.values.includes(trimmed)) return { ok: false, error: 'editing.cell.choose' };
      return { ok: true, value: trimmed };
    case 'facility': {
      if (!trimmed) return { ok: true, value: null };
      const fid = Number(trimmed);
      if (!Number.isInteger(fid) || fid <= 0) return { ok: false, error: 'editing.cell.choose' };
      return { ok: true, value: fid };
    }
    case 'flag':
      if (trimmed === '1' || trimmed === '0') return { ok: true, value: Number(trimmed) };
      return { ok: false, error: 'editing.cell.choose' };
  }
}

/** The command that stores one cell's new value (one undo step per edit). */
export function cellCommand(layer: TableLayer, fid: number, column: string, value: CellValue): Command {
  switch (layer) {
    case 'facilities':
      return { type: 'facility.update', fid, changes: { [column]: value } };
    case 'catchments':
      return { type: 'catchment.update', fid, changes: { [column]: value } };
    case 'demand_units':
      return { type: 'demandUnit.update', fid, changes: { [column]: value } };
  }
}
