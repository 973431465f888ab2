/**
 * One cell of the attribute table in edit mode, typed by its column: a text field for names, numbers and
 * years (checked as you type, the message under the field), a list for enums (kind, teaching language,
 * status), the facility of a catchment and yes/no. Enter (or picking from a list) stores the value, Esc
 * cancels; a value that does not parse is never sent.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldSpec, parseCell, type CellValue, type TableLayer } from '../../shared/editing/attribute-fields';

export interface CellEditorProps {
  layer: TableLayer;
  column: string;
  /** The stored value. */
  value: unknown;
  /** The feature's other values, for checks across columns. */
  row: Record<string, unknown>;
  /** Facilities to link a catchment to: [fid, name]. */
  facilities?: [number, string][];
  label: string;
  onCommit(value: CellValue): void;
  onCancel(): void;
}

export function CellEditor({ layer, column, value, row, facilities = [], label, onCommit, onCancel }: CellEditorProps) {
  const { t } = useTranslation();
  const spec = fieldSpec(layer, column);
  const initial = value == null ? '' : String(value);
  const [text, setText] = useState(initial);
  const [tried, setTried] = useState(false);
  if (!spec) return null;
  const parsed = parseCell(layer, column, text, row);
  const showError = !parsed.ok && (tried || text !== initial);

  const commit = (next: string) => {
    setTried(true);
    if (next === initial) return onCancel();
    const result = parseCell(layer, column, next, row);
    if (result.ok) onCommit(result.value);
  };
  const keys = (event: React.KeyboardEvent) => {
    event.stopPropagation(); // the map's shortcuts do not see keys typed into a cell
    if (event.key === 'Enter') commit(text);
    if (event.key === 'Escape') onCancel();
  };

  if (spec.kind === 'enum' || spec.kind === 'facility' || spec.kind === 'flag') {
    const options: [string, string][] =
      spec.kind === 'enum'
        ? spec.values.map((v) => [v, t(`${spec.labels}.${v}`, { defaultValue: v })])
        : spec.kind === 'flag'
          ? [['0', t('common.no')], ['1', t('common.yes')]]
          : [['', t('editing.cell.noFacility')], ...facilities.map(([fid, name]): [string, string] => [String(fid), name])];
    return (
      <select
        autoFocus
        className="editing-cell-input"
        aria-label={label}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          commit(event.target.value);
        }}
        onKeyDown={keys}
        onBlur={onCancel}
      >
        {options.map(([key, name]) => (
          <option key={key} value={key}>
            {name}
          </option>
        ))}
      </select>
    );
  }

  const numeric = spec.kind === 'integer' || spec.kind === 'amount';
  return (
    <span className="editing-cell-edit">
      <input
        autoFocus
        className="editing-cell-input"
        aria-label={label}
        aria-invalid={showError}
        inputMode={numeric ? (spec.kind === 'integer' ? 'numeric' : 'decimal') : undefined}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={keys}
        // Leaving the cell stores a valid value; an invalid one stays open with its message.
        onBlur={() => (parsed.ok ? commit(text) : setTried(true))}
      />
      {showError && !parsed.ok && (
        <span className="form-error editing-cell-error" role="alert" data-testid="cell-error">
          {t(parsed.error, parsed.params)}
        </span>
      )}
    </span>
  );
}
