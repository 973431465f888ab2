/**
 * The attribute table of a layer: sort by a column, filter by text, edit a name in place (a command, so it
 * undoes), zoom to a row, select rows — the selection is the map's (a click selects on both; Ctrl+click
 * picks several catchments for merge).
 */
import type Feature from 'ol/Feature.js';
import type { Geometry } from 'ol/geom.js';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLayerStore } from '../state/layer-store';
import { useProjectStore } from '../state/project-store';
import { useSelectionStore } from '../state/selection-store';
import { currentEditor } from './editor';
import { useEditingStore } from './editing-store';

type TableLayer = 'facilities' | 'catchments' | 'demand_units';

const COLUMNS: Record<TableLayer, string[]> = {
  facilities: ['name_fi', 'name_sv', 'facility_kind', 'language', 'status', 'floor_area_m2', 'year_built', 'condition', 'operating_cost_eur'],
  catchments: ['name', 'facility_fid', 'origin', 'locked'],
  demand_units: ['code', 'name', 'unit_kind', 'population_total'],
};

const EDITABLE: Record<TableLayer, string[]> = { facilities: ['name_fi', 'name_sv'], catchments: ['name'], demand_units: [] };
const MAX_ROWS = 400;

function mapKey(layer: TableLayer): string {
  return layer === 'demand_units' ? 'demand_small_areas' : layer;
}

export function AttributeTable() {
  const { t } = useTranslation();
  const layer = useEditingStore((state) => state.tableLayer) as TableLayer;
  const revisions = useProjectStore((state) => state.layerRevisions);
  const shownSet = useLayerStore((state) => state.shownCatchmentSet);
  const selected = useSelectionStore((state) => state.selected);
  const multiSelection = useEditingStore((state) => state.multiSelection);
  const [sort, setSort] = useState<{ column: string; descending: boolean }>({ column: COLUMNS[layer][0]!, descending: false });
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<{ fid: number; column: string; value: string } | null>(null);
  const [loadTick, setLoadTick] = useState(0);

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
    if (typeof value === 'number') return value.toLocaleString();
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

  const hostLayer = layer;
  const isSelected = (fid: number) => (selected?.layer === hostLayer && selected.fid === fid) || (layer === 'catchments' && multiSelection.includes(fid));

  const onRowClick = (fid: number, event: React.MouseEvent) => {
    if ((event.ctrlKey || event.metaKey || event.shiftKey) && layer === 'catchments') {
      const current = useEditingStore.getState().multiSelection;
      useEditingStore.getState().set({ multiSelection: current.includes(fid) ? current.filter((f) => f !== fid) : [...current, fid] });
      return;
    }
    useSelectionStore.getState().select({ layer: hostLayer, fid });
  };

  const zoom = (feature: Feature<Geometry>) => {
    const extent = feature.getGeometry()?.getExtent();
    if (extent) currentEditor()?.adapter.fit([extent[0]!, extent[1]!, extent[2]!, extent[3]!]);
    useSelectionStore.getState().select({ layer: hostLayer, fid: Number(feature.getId()) });
  };

  const commit = async () => {
    if (!editing) return;
    const editor = currentEditor();
    const value = editing.value.trim();
    setEditing(null);
    if (!editor) return;
    if (layer === 'facilities') {
      if (editing.column === 'name_fi' && !value) return;
      await editor.run({ type: 'facility.update', fid: editing.fid, changes: { [editing.column]: value || null } });
    } else if (layer === 'catchments' && value) {
      await editor.run({ type: 'catchment.update', fid: editing.fid, changes: { name: value } });
    }
    setLoadTick((tick) => tick + 1);
  };

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
              className={id === layer ? 'editing-tab editing-tab--active' : 'editing-tab'}
              onClick={() => {
                useEditingStore.getState().set({ tableLayer: id });
                setSort({ column: COLUMNS[id][0]!, descending: false });
                setEditing(null);
              }}
            >
              {t(`layers.${id === 'demand_units' ? 'demand_small_areas' : id}`, { defaultValue: id })}
            </button>
          ))}
        </div>
        <input type="search" className="editing-filter" placeholder={t('editing.table.filter')} value={filter} onChange={(event) => setFilter(event.target.value)} data-testid="table-filter" />
        <span className="editing-muted">{rows.total > MAX_ROWS ? t('editing.table.showing', { shown: MAX_ROWS, total: rows.total }) : t('editing.table.rows', { count: rows.total })}</span>
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
        <table className="editing-table editing-table--data">
          <thead>
            <tr>
              <th scope="col" />
              {COLUMNS[layer].map((column) => (
                <th key={column} scope="col" aria-sort={sort.column === column ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                  <button type="button" className="editing-sort" onClick={() => setSort((current) => ({ column, descending: current.column === column ? !current.descending : false }))}>
                    {t(`editing.column.${column}`, { defaultValue: column })}
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
                <tr key={fid} className={isSelected(fid) ? 'editing-row--selected' : undefined} onClick={(event) => onRowClick(fid, event)} data-testid="table-row">
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
                  {COLUMNS[layer].map((column) =>
                    editing && editing.fid === fid && editing.column === column ? (
                      <td key={column}>
                        <input
                          autoFocus
                          value={editing.value}
                          aria-label={t(`editing.column.${column}`, { defaultValue: column })}
                          onChange={(event) => setEditing({ ...editing, value: event.target.value })}
                          onKeyDown={(event) => {
                            if (event.key === 'Enter') void commit();
                            if (event.key === 'Escape') setEditing(null);
                          }}
                          onBlur={() => void commit()}
                        />
                      </td>
                    ) : (
                      <td
                        key={column}
                        className={EDITABLE[layer].includes(column) ? 'editing-cell--editable' : undefined}
                        title={EDITABLE[layer].includes(column) ? t('editing.table.doubleClickToEdit') : undefined}
                        onDoubleClick={() => EDITABLE[layer].includes(column) && setEditing({ fid, column, value: String(feature.get(column) ?? '') })}
                      >
                        {display(feature, column)}
                      </td>
                    ),
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
