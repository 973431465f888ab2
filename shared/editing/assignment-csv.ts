/**
 * Unit assignments as CSV (paint by units): one row per demand unit of a catchment set, so a planner can
 * edit them in a spreadsheet and import them back. Columns: unit_code, unit_fid, catchment_fid,
 * catchment_name, service, language, source (assigned = stored explicitly, derived = by location).
 */
export const ASSIGNMENT_CSV_COLUMNS = ['unit_code', 'unit_fid', 'catchment_fid', 'catchment_name', 'service', 'language', 'source'] as const;

export interface AssignmentCsvRow {
  unit_code: string;
  unit_fid: number;
  catchment_fid: number;
  catchment_name: string;
  service: string;
  language: string;
  source: 'assigned' | 'derived';
}

function quote(value: string | number): string {
  const text = String(value);
  // Formula injection: a spreadsheet would run a cell starting with = + - @ as a formula.
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function formatAssignmentCsv(rows: AssignmentCsvRow[]): string {
  const lines = [ASSIGNMENT_CSV_COLUMNS.join(',')];
  for (const row of rows) lines.push(ASSIGNMENT_CSV_COLUMNS.map((column) => quote(row[column])).join(','));
  return `${lines.join('\n')}\n`;
}

/** RFC 4180 fields (quotes, doubled quotes, commas or semicolons as separator, CRLF). */
export function parseCsv(text: string): string[][] {
  const clean = text.replace(/^\uFEFF/, '');
  const firstLine = clean.split(/\r?\n/, 1)[0] ?? '';
  const separator = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < clean.length; i++) {
    const ch = clean[i]!;
    if (quoted) {
      if (ch === '"' && clean[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === separator) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && clean[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((value) => value !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  row.push(field);
  if (row.some((value) => value !== '')) rows.push(row);
  return rows;
}
