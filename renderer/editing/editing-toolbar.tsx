/** The editing toolbar over the map: tools with their shortcuts, undo/redo, merge, delete, options, panels. */
import { useTranslation } from 'react-i18next';
import { useLayerStore } from '../state/layer-store';
import { useProjectStore } from '../state/project-store';
import { pickedCatchments, useSelectionStore } from '../state/selection-store';
import { currentEditor } from './editor';
import { TOOL_IDS, TOOL_SHORTCUTS, useEditingStore } from './editing-store';

const TOOL_GLYPHS: Record<(typeof TOOL_IDS)[number], string> = {
  select: '↖',
  vertex: '◇',
  addFacility: '⊕',
  drawCatchment: '⬠',
  reshape: '⤳',
  split: '✂',
  paint: '▦',
  measure: '⟷',
};

export function EditingToolbar() {
  const { t } = useTranslation();
  const tool = useEditingStore((state) => state.tool);
  const multiSelection = pickedCatchments(useSelectionStore((state) => state.picked));
  const avoidOverlap = useEditingStore((state) => state.avoidOverlap);
  const snapping = useEditingStore((state) => state.snapping);
  const panel = useEditingStore((state) => state.panel);
  const tableLayer = useEditingStore((state) => state.tableLayer);
  const set = useEditingStore((state) => state.set);
  const canUndo = useProjectStore((state) => state.summary?.canUndo ?? false);
  const canRedo = useProjectStore((state) => state.summary?.canRedo ?? false);
  const selected = useSelectionStore((state) => state.selected);
  const shownSet = useLayerStore((state) => state.shownCatchmentSet);
  const deletable = selected?.layer === 'facilities' || selected?.layer === 'catchments';

  return (
    <>
    <div className="editing-toolbar" role="toolbar" aria-label={t('editing.toolbar')} data-testid="editing-toolbar">
      <div className="editing-toolbar-group">
        {TOOL_IDS.map((id) => (
          <button
            key={id}
            type="button"
            className={id === tool ? 'editing-tool editing-tool--active' : 'editing-tool'}
            aria-pressed={id === tool}
            data-testid={`tool-${id}`}
            title={`${t(`editing.tool.${id}`)} (${TOOL_SHORTCUTS[id].toUpperCase()})`}
            disabled={!shownSet && ['vertex', 'drawCatchment', 'reshape', 'split', 'paint'].includes(id)}
            onClick={() => useEditingStore.getState().setTool(id)}
          >
            <span className="editing-tool-glyph" aria-hidden="true">
              {TOOL_GLYPHS[id]}
            </span>
            <span className="editing-tool-label">{t(`editing.tool.${id}`)}</span>
          </button>
        ))}
      </div>
    </div>
    <div className={tableLayer !== 'none' ? 'editing-optionbar editing-optionbar--above-table' : 'editing-optionbar'} role="toolbar" aria-label={t('editing.options')}>
      <div className="editing-toolbar-group">
        <button type="button" className="editing-tool" data-testid="undo" disabled={!canUndo} title={`${t('editing.undo')} (Ctrl+Z)`} onClick={() => void currentEditor()?.undo()}>
          <span className="editing-tool-glyph" aria-hidden="true">↶</span>
          <span className="editing-tool-label">{t('editing.undo')}</span>
        </button>
        <button type="button" className="editing-tool" data-testid="redo" disabled={!canRedo} title={`${t('editing.redo')} (Ctrl+Shift+Z, Ctrl+Y)`} onClick={() => void currentEditor()?.redo()}>
          <span className="editing-tool-glyph" aria-hidden="true">↷</span>
          <span className="editing-tool-label">{t('editing.redo')}</span>
        </button>
        <button type="button" className="editing-tool" data-testid="merge" disabled={multiSelection.length < 2} title={t('editing.mergeTitle')} onClick={() => void currentEditor()?.merge()}>
          <span className="editing-tool-glyph" aria-hidden="true">⊞</span>
          <span className="editing-tool-label">{t('editing.merge', { count: multiSelection.length })}</span>
        </button>
        <button
          type="button"
          className="editing-tool"
          data-testid="edit-attributes"
          disabled={selected?.layer !== 'facilities'}
          title={t('editing.editFacility')}
          onClick={() => selected?.layer === 'facilities' && set({ facilityForm: { mode: 'edit', fid: selected.fid } })}
        >
          <span className="editing-tool-glyph" aria-hidden="true">✎</span>
          <span className="editing-tool-label">{t('editing.editFacility')}</span>
        </button>
        <button type="button" className="editing-tool" data-testid="delete" disabled={!deletable} title={`${t('editing.delete')} (Delete)`} onClick={() => void currentEditor()?.deleteSelection()}>
          <span className="editing-tool-glyph" aria-hidden="true">✕</span>
          <span className="editing-tool-label">{t('editing.delete')}</span>
        </button>
      </div>
      <div className="editing-toolbar-group editing-toolbar-options">
        <label className="editing-check">
          <input type="checkbox" checked={snapping} onChange={(event) => set({ snapping: event.target.checked })} data-testid="snapping" />
          {t('editing.snapping')}
        </label>
        <label className="editing-check">
          <input type="checkbox" checked={avoidOverlap} onChange={(event) => set({ avoidOverlap: event.target.checked })} data-testid="avoid-overlap" />
          {t('editing.avoidOverlap')}
        </label>
        <button type="button" className={panel === 'problems' ? 'editing-tool editing-tool--active' : 'editing-tool'} data-testid="problems-toggle" onClick={() => set({ panel: panel === 'problems' ? 'none' : 'problems' })}>
          <span className="editing-tool-label">{t('editing.problems.title')}</span>
        </button>
        <button type="button" className={panel === 'paint' ? 'editing-tool editing-tool--active' : 'editing-tool'} data-testid="paint-toggle" onClick={() => set({ panel: panel === 'paint' ? 'none' : 'paint' })}>
          <span className="editing-tool-label">{t('editing.paint.title')}</span>
        </button>
        <button type="button" className={tableLayer !== 'none' ? 'editing-tool editing-tool--active' : 'editing-tool'} data-testid="table-toggle" onClick={() => set({ tableLayer: tableLayer === 'none' ? 'facilities' : 'none' })}>
          <span className="editing-tool-label">{t('editing.table.title')}</span>
        </button>
        <button type="button" className="editing-tool" data-testid="help-toggle" title={t('editing.help.title')} onClick={() => set({ helpVisible: true })}>
          <span className="editing-tool-label">?</span>
        </button>
      </div>
    </div>
    </>
  );
}

/** The status bar's part: the active mode and what a click does now. */
export function EditingStatus() {
  const { t } = useTranslation();
  const tool = useEditingStore((state) => state.tool);
  const hint = useEditingStore((state) => state.hint);
  return (
    <output className="editing-status" data-testid="editing-status" aria-live="polite">
      <strong>{t(`editing.tool.${tool}`)}</strong>
      <span>{t(hint.key, hint.params ?? {})}</span>
    </output>
  );
}
