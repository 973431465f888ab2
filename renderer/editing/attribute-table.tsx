/**
 * The attribute table of a layer: sort by a column, filter by text, edit any editable cell in place
 * (double-click; typed and checked per column — see cell-editor — and stored as one command, so it undoes),
 * zoom to a row, and select rows. The selection is the map's: a click selects on both; Ctrl+click adds or
 * removes a row and Shift+click a range to the multi-selection, which the map highlights too (Shift or
 * Ctrl+click on the map adds to it the same way; picked catchments can be merged).
 */
import type Feature from 'ol/Feature.js';
import type { Geometry } from 'ol/geom.js';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cellCommand, fieldSpec, type CellValue, type TableLayer } from '../../shared/editing/attribute-fields';
import { useLayerStore } from '../state/layer-store';
import { useProjectStore } from '../state/project-store';
import { useSelectionStore } from '../state/selection-store';
import { CellEditor } from './cell-editor';
import { currentEditor } from './editor';
import { useEditingStore } from './editing-store';

const COLUMNS: Record<TableLayer, string[]> = {
  facilities: ['name_fi', 'name_sv', 'facility_kind', 'language', 'status', 'opens_year', 'closes_year', 'floor_area_m2', 'year_built', 'condition', 'operating_cost_eur', 'investment_need_eur'],
  catchments: ['name', 'facility_fid', 'origin', 'locked'],
  demand_units: ['code', 'name', 'unit_kind', 'population_total'],
};

const MAX_ROWS = 400;
const YEAR_COLUMNS = new Set(['opens_year', 'closes_year', 'year_built']);

function mapKey(layer: TableLayer): string {
  return layer === 'demand_units' ? 'demand_small_areas' : layer;
}

export function AttributeTable() {
  const { t } = useTranslation();
  const layer = useEditingStore((state) => state.tableLayer) as TableLayer;
  const revisions = useProjectStore((state) => state.layerRevisions);
  const shownSet = useLayerStore((state) => state.shownCatchmentSet);
  const selected = useSelectionStore((state) => state.selected);
  const picked = useSelectionStore((state) => state.picked);
  const [sort, setSort] = useState<{ column: string; descending: boolean }>({ column: COLUMNS[layer][0]!, descending: false });
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<{ fid: number; column: string } | null>(null);
  const [loadTick, setLoadTick] = useState(0);
  /** The row a Shift+click range starts from (the last plain or Ctrl click). */
  const anchor = useRef<number | null>(null);

  // The rows are the map layer's features: re-read them whenever the layer reloads after an edit.
  useEffect(() => {
    const sources = [mapKey(layer), 'facilities'].map((key) => currentEditor()?.adapter.source(key)).filter((source) => source != null);
    const bump = () => setLoadTick((tick) => tick + 1);
    for (const source of sources) source.on('change', bump);
    return () => {
      for (const source of sources) source.un('change', bump);
    };
  }, [layer]);

  const features = useMemo(() => {
    const editor = currentEditor();
    const source = editor?.adapter.source(mapKey(layer));
    let list = (source?.getFeatures() ?? []) as Feature<Geometry>[];
    if (layer === 'catchments' && editor) list = list.filter((f) => editor.inShownSet(f));
    return list;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [layer, revisions, shownSet, loadTick]);

  const facilityNames = useMemo(() => {
    const source = currentEditor()?.adapter.source('facilities');
    return new Map(((source?.getFeatures() ?? []) as Feature<Geometry>[]).map((f) => [Number(f.getId()), String(f.get('name_fi') ?? '')]));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [revisions.facilities, loadTick]);

  const display = (feature: Feature<Geometry>, column: string): string => {
    const value = feature.get(column) as unknown;
    if (value == null || value === '') return '';
    if (column === 'facility_fid') return facilityNames.get(Number(value)) ?? String(value);
    if (column === 'locked') return Number(value) ? t('common.yes') : t('common.no');
    if (column === 'facility_kind') return t(`values.facilityKind.${String(value)}`, { defaultValue: String(value) });
    if (column === 'status') return t(`values.status.${String(value)}`, { defaultValue: String(value) });
    if (column === 'language') return t(`values.language.${String(value)}`, { defaultValue: String(value) });
    if (column === 'unit_kind') return t(`values.unitKind.${String(value)}`, { defaultValue: String(value) });
    if (column === 'origin') return t(`values.origin.${String(value)}`, { defaultValue: String(value) });
    if (typeof value === 'number') return YEAR_COLUMNS.has(column) ? String(value) : value.toLocaleString('fi-FI');
    return String(value);
  };

  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const filtered = needle ? features.filter((f) => COLUMNS[layer].some((c) => display(f, c).toLowerCase().includes(needle))) : features;
    const sorted = [...filtered].sort((a, b) => {
      const x = a.get(sort.column) as unknown;
      const y = b.get(sort.column) as unknown;
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''), 'fi');
      return sort.descending ? -order : order;
    });
    return { total: filtered.length, shown: sorted.slice(0, MAX_ROWS) };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [features, filter, sort, layer, facilityNames]);

  const pickedHere = picked?.layer === layer ? picked.fids : [];
  const isSelected = (fid: number) => (selected?.layer === layer && selected.fid === fid) || pickedHere.includes(fid);

  const onRowClick = (fid: number, event: React.MouseEvent) => {
    const selection = useSelectionStore.getState();
    if (event.shiftKey && anchor.current != null) {
      const ids = rows.shown.map((f) => Number(f.getId()));
      const from = ids.indexOf(anchor.current);
      const to = ids.indexOf(fid);
      if (from >= 0 && to >= 0) {
        selection.setPicked({ layer, fids: ids.slice(Math.min(from, to), Math.max(from, to) + 1) });
        return;
      }
    }
    anchor.current = fid;
    if (event.ctrlKey || event.metaKey || event.shiftKey) {
      // The first Ctrl+click keeps the selected row in the multi-selection.
      if (pickedHere.length === 0 && selected?.layer === layer && selected.fid !== fid) selection.setPicked({ layer, fids: [selected.fid] });
      useSelectionStore.getState().togglePicked({ layer, fid });
      return;
    }
    selection.setPicked(null);
    selection.select({ layer, fid });
  };

  const zoom = (feature: Feature<Geometry>) => {
    const extent = feature.getGeometry()?.getExtent();
    if (extent) currentEditor()?.adapter.fit([extent[0]!, extent[1]!, extent[2]!, extent[3]!]);
    useSelectionStore.getState().select({ layer, fid: Number(feature.getId()) });
  };

  const commit = async (fid: number, column: string, value: CellValue) => {
    setEditing(null);
    const editor = currentEditor();
    if (!editor) return;
    await editor.run(cellCommand(layer, fid, column, value));
    setLoadTick((tick) => tick + 1);
  };

  const columnLabel = (column: string) => t(`editing.column.${column}`, { defaultValue: column });
  const facilityOptions = useMemo(() => [...facilityNames.entries()].sort((a, b) => a[1].localeCompare(b[1], 'fi')), [facilityNames]);

  return (
    <section className="editing-attribute-table" data-testid="attribute-table" aria-label={t('editing.table.title')}>
      <header className="editing-table-header">
        <div className="editing-tabs" role="tablist">
          {(['facilities', 'catchments', 'demand_units'] as TableLayer[]).map((id) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={id === layer}
              data-testid={`table-tab-${id}`}
              className={id === layer ? 'editing-tab editing-tab--active' : 'editing-tab'}
              onClick={() => {
                useEditingStore.getState().set({ tableLayer: id });
                setSort({ column: COLUMNS[id][0]!, descending: false });
                setEditing(null);
                anchor.current = null;
              }}
            >
              {t(`layers.${id === 'demand_units' ? 'demand_small_areas' : id}.title`, { defaultValue: id })}
            </button>
          ))}
        </div>
        <input type="search" className="editing-filter" placeholder={t('editing.table.filter')} value={filter} onChange={(event) => setFilter(event.target.value)} data-testid="table-filter" />
        <span className="editing-muted">{rows.total > MAX_ROWS ? t('editing.table.showing', { shown: MAX_ROWS, total: rows.total }) : t('editing.table.rows', { count: rows.total })}</span>
        {pickedHere.length > 0 && (
          <span className="editing-picked" data-testid="table-picked">
            {t('editing.table.picked', { count: pickedHere.length })}
            <button type="button" className="button" onClick={() => useSelectionStore.getState().setPicked(null)}>
              {t('editing.table.clearPicked')}
            </button>
          </span>
        )}
        {layer === 'facilities' && selected?.layer === 'facilities' && (
          <button type="button" className="button" onClick={() => useEditingStore.getState().set({ facilityForm: { mode: 'edit', fid: selected.fid } })} data-testid="edit-facility">
            {t('editing.table.editFacility')}
          </button>
        )}
        <button type="button" className="editing-close" aria-label={t('common.close')} onClick={() => useEditingStore.getState().set({ tableLayer: 'none' })}>
          ×
        </button>
      </header>
      <div className="editing-table-scroll">
        <table className="editing-table editing-table--data" aria-multiselectable="true">
          <thead>
            <tr>
              <th scope="col" />
              {COLUMNS[layer].map((column) => (
                <th key={column} scope="col" aria-sort={sort.column === column ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                  <button type="button" className="editing-sort" onClick={() => setSort((current) => ({ column, descending: current.column === column ? !current.descending : false }))}>
                    {columnLabel(column)}
                    {sort.column === column ? (sort.descending ? ' ▼' : ' ▲') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.shown.map((feature) => {
              const fid = Number(feature.getId());
              return (
                // Shift+click picks a range; the browser's text selection would otherwise paint over it.
                <tr key={fid} className={isSelected(fid) ? 'editing-row--selected' : undefined} aria-selected={isSelected(fid)} onMouseDown={(event) => event.shiftKey && event.preventDefault()} onClick={(event) => onRowClick(fid, event)} data-testid="table-row" data-fid={fid}>
                  <td>
                    <button
                      type="button"
                      className="editing-zoom"
                      title={t('editing.table.zoom')}
                      aria-label={t('editing.table.zoom')}
                      onClick={(event) => {
                        event.stopPropagation();
                        zoom(feature);
                      }}
                    >
                      ⌖
                    </button>
                  </td>
                  {COLUMNS[layer].map((column) => {
                    const editable = fieldSpec(layer, column) !== null;
                    if (editing && editing.fid === fid && editing.column === column) {
                      return (
                        <td key={column} className="editing-cell--editing" onClick={(event) => event.stopPropagation()}>
                          <CellEditor
                            layer={layer}
                            column={column}
                            value={feature.get(column)}
                            row={feature.getProperties()}
                            facilities={facilityOptions}
                            label={columnLabel(column)}
                            onCommit={(value) => void commit(fid, column, value)}
                            onCancel={() => setEditing(null)}
                          />
                        </td>
                      );
                    }
                    return (
                      <td
                        key={column}
                        data-column={column}
                        className={editable ? 'editing-cell--editable' : undefined}
                        title={editable ? t('editing.table.doubleClickToEdit') : undefined}
                        onDoubleClick={() => editable && setEditing({ fid, column })}
                      >
                        {display(feature, column)}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
