/**
 * The KPI table as the panel, the CLI and the exports show it: one column list, counts suppressed below
 * the privacy threshold where asked ("<5"), and every missing value explained in the gaps column.
 */
import { isSuppressed } from './privacy';
import type { GapCode, KpiResult, KpiRow } from './kpi';

export const KPI_COLUMNS = [
  'level', 'fid', 'name', 'service', 'language', 'year',
  'eligible', 'users', 'capacity', 'utilisation', 'surplus',
  'travelMeanM', 'travelP90M', 'travelMaxM', 'overLimitShare',
  'costPerUser', 'm2PerUser', 'investmentNeedEur', 'outsideUsers', 'band', 'gaps',
] as const;
export type KpiColumn = (typeof KPI_COLUMNS)[number];

/** Columns that count children: suppressed below the threshold, together with what would reveal them. */
const COUNT_COLUMNS: readonly KpiColumn[] = ['eligible', 'users', 'outsideUsers'];

export type Cell = string | number | null;

export interface TableOptions {
  /** Suppress counts below this (0 = show everything, e.g. for the planner's own work). */
  suppressBelow: number;
  /** Words for a gap code in the user's language. */
  gapText: (code: GapCode) => string;
}

/** Every row of a result in a stable order: network, facilities, catchments, areas. */
export function allRows(result: KpiResult): KpiRow[] {
  return [result.network, ...result.facilities, ...result.catchments, ...result.areas];
}

function roundForTable(column: KpiColumn, value: number): number {
  if (column === 'utilisation' || column === 'overLimitShare') return Math.round(value * 1000) / 1000;
  if (column === 'costPerUser' || column === 'investmentNeedEur') return Math.round(value);
  if (column === 'm2PerUser') return Math.round(value * 10) / 10;
  if (column.startsWith('travel')) return Math.round(value);
  return Math.round(value * 10) / 10;
}

/** One row's cells in KPI_COLUMNS order. */
export function rowCells(row: KpiRow, options: TableOptions): Cell[] {
  const hide = row.users !== null && isSuppressed(row.users, options.suppressBelow);
  return KPI_COLUMNS.map((column): Cell => {
    if (column === 'gaps') return row.gaps.map(options.gapText).join('; ');
    const value = row[column as keyof KpiRow] as unknown;
    if (value === null || value === undefined) return null;
    if (typeof value !== 'number') return String(value);
    if (COUNT_COLUMNS.includes(column) && isSuppressed(value, options.suppressBelow)) return `<${options.suppressBelow}`;
    // Utilisation and surplus would give a suppressed user count back (capacity is public).
    if (hide && (column === 'utilisation' || column === 'surplus' || column === 'costPerUser' || column === 'm2PerUser')) return `<${options.suppressBelow}`;
    return roundForTable(column, value);
  });
}

/** RFC 4180 CSV with a header row of column ids. */
export function toCsv(rows: KpiRow[], options: TableOptions): string {
  const quote = (cell: Cell) => {
    if (cell === null) return '';
    const text = String(cell);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [KPI_COLUMNS.join(','), ...rows.map((row) => rowCells(row, options).map(quote).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
