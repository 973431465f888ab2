/**
 * The editing panels over the map: paint-by-units (target, lock, live delta, CSV), problems (detect with
 * progress and cancel, zoom, fix), the measure readout, the help overlay and the exact-coordinate entry for a vertex.
 */
import type Feature from 'ol/Feature.js';
import type { Geometry } from 'ol/geom.js';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AGE_GROUPS, type FacilityLoad } from '../../shared/editing/paint';
import { ProblemsCheckCancelled, detectProblemsStepwise, fixAllCommand, type Problem, type ProblemInput } from '../../shared/editing/problems';
import type { MultiPolygonGeometry, PointGeometry } from '../../shared/geo/geometry';
import { useHost, useReportingCall } from '../app/host-context';
import { Modal } from '../app/modal';
import { useProjectStore } from '../state/project-store';
import { useSelectionStore } from '../state/selection-store';
import { currentEditor } from './editor';
import { TOOL_IDS, TOOL_SHORTCUTS, useEditingStore } from './editing-store';
import { multiPolygonOf } from './modes/draw-modes';

function featureOf(layer: string, fid: number | null): Feature<Geometry> | null {
  if (fid == null) return null;
  return (currentEditor()?.adapter.source(layer)?.getFeatureById(fid) as Feature<Geometry> | null) ?? null;
}

/** Re-renders when a map layer's features are reloaded (after an edit the host reported). */
function useSourceChanges(layer: string): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const source = currentEditor()?.adapter.source(layer);
    if (!source) return;
    const bump = () => setTick((tick) => tick + 1);
    source.on('change', bump);
    return () => source.un('change', bump);
  }, [layer]);
}

function percent(value: number | null): string {
  return value == null ? '–' : `${Math.round(value * 100)} %`;
}

function LoadRow({ label, load, testId }: { label: string; load: FacilityLoad; testId: string }) {
  const { t } = useTranslation();
  const catchment = featureOf('catchments', load.catchmentFid);
  const facility = featureOf('facilities', load.facilityFid);
  const over = (load.utilisationAfter ?? 0) > 1;
  return (
    <tr data-testid={testId}>
      <th scope="row">
        {label}
        <div className="editing-muted">{String(catchment?.get('name') ?? '')}</div>
        <div className="editing-muted">{facility ? String(facility.get('name_fi') ?? '') : t('editing.paint.noFacility')}</div>
      </th>
      <td>
        {load.childrenBefore} → <strong>{load.childrenAfter}</strong>
      </td>
      <td className={over ? 'editing-over' : undefined}>
        {percent(load.utilisationBefore)} → <strong>{percent(load.utilisationAfter)}</strong>
        <div className="editing-muted">{load.capacity == null ? t('editing.paint.noCapacity') : t('editing.paint.capacity', { capacity: load.capacity })}</div>
      </td>
    </tr>
  );
}

export function PaintPanel() {
  const { t } = useTranslation();
  const host = useHost();
  const run = useReportingCall();
  const target = useEditingStore((state) => state.paintTarget);
  const delta = useEditingStore((state) => state.paintDelta);
  const units = useEditingStore((state) => state.paintUnitsInStroke);
  useProjectStore((state) => state.layerRevisions.catchments);
  const selected = useSelectionStore((state) => state.selected);
  const fileInput = useRef<HTMLInputElement>(null);
  useSourceChanges('catchments');
  const catchment = featureOf('catchments', target);
  const locked = Number(catchment?.get('locked') ?? 0) === 1;
  const set = currentEditor()?.shownSet() ?? null;

  const exportCsv = async () => {
    if (!set) return;
    const result = await run(() => host.exportUnitAssignments(set));
    if (!result) return;
    const url = URL.createObjectURL(new Blob([result.csv], { type: 'text/csv;charset=utf-8' }));
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = result.fileName;
    anchor.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const importCsv = async (file: File) => {
    if (!set) return;
    const csv = await file.text();
    await run(() => host.importUnitAssignments({ service: set.service, language: set.language, csv }));
  };

  return (
    <aside className="editing-panel" data-testid="paint-panel" aria-label={t('editing.paint.title')}>
      <header className="editing-panel-header">
        <h2>{t('editing.paint.title')}</h2>
        <button type="button" className="editing-close" aria-label={t('common.close')} onClick={() => useEditingStore.getState().set({ panel: 'none' })}>
          ×
        </button>
      </header>
      <p className="editing-muted">{t('editing.paint.intro')}</p>
      <div className="editing-row">
        <span>{t('editing.paint.target')}:</span>
        <strong data-testid="paint-target">{catchment ? String(catchment.get('name') ?? '') : t('editing.paint.noTarget')}</strong>
      </div>
      <div className="editing-row">
        <button type="button" className="button" disabled={selected?.layer !== 'catchments' || selected.fid === target} onClick={() => useEditingStore.getState().set({ paintTarget: selected?.fid ?? null })}>
          {t('editing.paint.useSelected')}
        </button>
        <label className="editing-check">
          <input
            type="checkbox"
            data-testid="lock-catchment"
            disabled={!catchment}
            checked={locked}
            onChange={(event) => target != null && void run(() => host.runCommand({ command: { type: 'catchment.update', fid: target, changes: { locked: event.target.checked ? 1 : 0 } } }))}
          />
          {t('editing.paint.lock')}
        </label>
      </div>
      {delta ? (
        <div data-testid="paint-delta">
          <p>
            <strong>{t('editing.paint.unitsInStroke', { count: units })}</strong>
          </p>
          <table className="editing-table">
            <thead>
              <tr>
                {AGE_GROUPS.map((group) => (
                  <th key={group.id} scope="col">
                    {t(`editing.paint.age.${group.id}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr data-testid="paint-delta-ages">
                {AGE_GROUPS.map((group) => (
                  <td key={group.id}>+{Math.round(delta.byAgeGroup[group.id] ?? 0)}</td>
                ))}
              </tr>
            </tbody>
          </table>
          <table className="editing-table">
            <thead>
              <tr>
                <th scope="col">{t('editing.paint.catchment')}</th>
                <th scope="col">{t('editing.paint.children')}</th>
                <th scope="col">{t('editing.paint.utilisation')}</th>
              </tr>
            </thead>
            <tbody>
              <LoadRow label={t('editing.paint.receiving')} load={delta.receiving} testId="paint-receiving" />
              {delta.donors.map((donor) => (
                <LoadRow key={donor.catchmentFid} label={t('editing.paint.donor')} load={donor} testId="paint-donor" />
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="editing-muted">{t('editing.paint.noDelta')}</p>
      )}
      <div className="editing-row">
        <button type="button" className="button" disabled={!set} onClick={() => void exportCsv()} data-testid="export-assignments">
          {t('editing.paint.exportCsv')}
        </button>
        <button type="button" className="button" disabled={!set} onClick={() => fileInput.current?.click()}>
          {t('editing.paint.importCsv')}
        </button>
        <input ref={fileInput} type="file" accept=".csv,text/csv" hidden onChange={(event) => event.target.files?.[0] && void importCsv(event.target.files[0])} />
      </div>
    </aside>
  );
}

function problemInput(services: Map<number, string[]>): ProblemInput | null {
  const editor = currentEditor();
  const set = editor?.shownSet();
  if (!editor || !set) return null;
  const catchments = ((editor.adapter.source('catchments')?.getFeatures() ?? []) as Feature<Geometry>[]).filter((f) => editor.inShownSet(f));
  const municipality = (editor.adapter.source('municipality')?.getFeatures() ?? []) as Feature<Geometry>[];
  const facilities = (editor.adapter.source('facilities')?.getFeatures() ?? []) as Feature<Geometry>[];
  const municipalityGeometry = municipality.map((m) => multiPolygonOf(m)).filter((g): g is MultiPolygonGeometry => g !== null);
  return {
    catchments: catchments.map((c) => ({ fid: Number(c.getId()), name: String(c.get('name') ?? ''), facility_fid: (c.get('facility_fid') as number | null) ?? null, locked: Number(c.get('locked') ?? 0), geometry: multiPolygonOf(c) })),
    municipality: municipalityGeometry.length > 0 ? { type: 'MultiPolygon', coordinates: municipalityGeometry.flatMap((g) => g.coordinates) } : null,
    facilities: facilities.map((f) => {
      const geometry = f.getGeometry();
      const point = geometry && geometry.getType() === 'Point' ? ({ type: 'Point', coordinates: (geometry as unknown as { getCoordinates(): [number, number] }).getCoordinates() } as PointGeometry) : null;
      return { fid: Number(f.getId()), name: String(f.get('name_fi') ?? ''), language: String(f.get('language') ?? ''), geometry: point, services: services.get(Number(f.getId())) ?? [] };
    }),
    service: set.service,
    language: set.language,
  };
}

export function ProblemsPanel() {
  const { t } = useTranslation();
  const host = useHost();
  const run = useReportingCall();
  const problems = useEditingStore((state) => state.problems);
  const busy = useEditingStore((state) => state.problemsBusy);
  const revision = useProjectStore((state) => state.layerRevisions.catchments);
  const [input, setInput] = useState<ProblemInput | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [cancelled, setCancelled] = useState(false);
  /** The running check's signal: a newer check, Cancel or closing the panel aborts it. */
  const running = useRef<{ aborted: boolean } | null>(null);

  const check = async () => {
    if (running.current) running.current.aborted = true;
    const signal = { aborted: false };
    running.current = signal;
    setCancelled(false);
    setProgress(0);
    useEditingStore.getState().set({ problemsBusy: true });
    try {
      const context = await run(() => host.getPaintContext({}));
      const services = new Map<number, string[]>();
      for (const row of context?.services ?? []) services.set(row.facility_fid, [...(services.get(row.facility_fid) ?? []), row.service]);
      const next = problemInput(services);
      const found = next
        ? await detectProblemsStepwise(next, {
            signal,
            onProgress: ({ done, total }) => !signal.aborted && setProgress(total > 0 ? done / total : 1),
            // Gives the browser a turn between slices: it paints the progress and takes the Cancel click.
            yieldToHost: () => new Promise((resolve) => setTimeout(resolve, 0)),
          })
        : [];
      if (signal.aborted) return;
      // Only a finished check replaces the list: a cancelled one leaves the previous result as it was.
      setInput(next);
      useEditingStore.getState().set({ problems: found });
    } catch (error) {
      if (!(error instanceof ProblemsCheckCancelled)) throw error;
    } finally {
      if (running.current === signal) {
        running.current = null;
        setProgress(null);
        useEditingStore.getState().set({ problemsBusy: false });
      }
    }
  };

  const cancel = () => {
    if (!running.current) return;
    running.current.aborted = true;
    running.current = null;
    setProgress(null);
    setCancelled(true);
    useEditingStore.getState().set({ problemsBusy: false });
  };

  // Closing the panel stops a running check.
  useEffect(() => () => {
    if (running.current) running.current.aborted = true;
    useEditingStore.getState().set({ problemsBusy: false });
  }, []);

  useEffect(() => {
    // Re-check after each edit of the catchments while the panel is open (the layer has reloaded by then).
    const timer = setTimeout(() => void check(), 400);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [revision]);

  const fixAll = async () => {
    if (!input || !problems) return;
    const command = fixAllCommand(input, problems);
    if (command) await run(() => host.runCommand({ command }));
  };

  const zoom = (problem: Problem) => {
    currentEditor()?.adapter.fit(problem.extent);
    const fid = problem.catchmentFids[0];
    if (fid != null) useSelectionStore.getState().select({ layer: 'catchments', fid });
  };

  const fixable = (problems ?? []).filter((p) => ['gap', 'overlap', 'outside'].includes(p.kind) && p.fixes.length > 0).length;
  return (
    <aside className="editing-panel" data-testid="problems-panel" aria-label={t('editing.problems.title')}>
      <header className="editing-panel-header">
        <h2>{t('editing.problems.title')}</h2>
        <button type="button" className="editing-close" aria-label={t('common.close')} onClick={() => useEditingStore.getState().set({ panel: 'none' })}>
          ×
        </button>
      </header>
      <div className="editing-row">
        <button type="button" className="button" onClick={() => void check()} disabled={busy} aria-busy={busy}>
          {busy ? t('editing.problems.checking') : t('editing.problems.check')}
        </button>
        <button type="button" className="button" disabled={busy || fixable === 0} onClick={() => void fixAll()} data-testid="fix-all">
          {t('editing.problems.fixAll', { count: fixable })}
        </button>
      </div>
      {busy && progress != null && (
        <div data-testid="problems-progress" role="status">
          {/* The bar and Cancel stay put while the count below changes width. */}
          <div className="editing-progress">
            <progress max={1} value={progress} aria-label={t('editing.problems.checking')} />
            <button type="button" className="button" onClick={cancel} data-testid="problems-cancel">
              {t('common.cancel')}
            </button>
          </div>
          <span className="editing-muted" data-testid="problems-progress-percent">
            {t('editing.problems.progress', { percent: Math.floor(progress * 100) })}
          </span>
        </div>
      )}
      {cancelled && !busy && (
        <p className="editing-muted" data-testid="problems-cancelled">
          {t('editing.problems.cancelled')}
        </p>
      )}
      {problems && (
        <p data-testid="problems-count">{problems.length === 0 ? t('editing.problems.none') : t('editing.problems.count', { count: problems.length })}</p>
      )}
      <ul className="editing-problems">
        {(problems ?? []).map((problem) => (
          <li key={problem.id} data-testid="problem" data-kind={problem.kind}>
            <div>
              <strong>{t(`editing.problems.kind.${problem.kind}`)}</strong>
              {problem.area != null && <span className="editing-muted"> · {t('editing.problems.area', { area: problem.area < 10 ? problem.area.toFixed(1) : Math.round(problem.area).toLocaleString() })}</span>}
              {problem.detail && <span className="editing-muted"> · {t(`editing.geometryProblem.${problem.detail}`)}</span>}
            </div>
            <div className="editing-muted">{problem.names.join(' / ')}</div>
            <div className="editing-row">
              <button type="button" className="button" onClick={() => zoom(problem)}>
                {t('editing.problems.zoom')}
              </button>
              {problem.fixes.map((fix) => (
                <button key={fix.label} type="button" className="button" onClick={() => void run(() => host.runCommand({ command: fix.command }))}>
                  {t(`editing.problems.fix.${fix.label}`, { name: fix.names[0] ?? '' })}
                </button>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </aside>
  );
}

function formatLength(metres: number): string {
  return metres >= 1000 ? `${(metres / 1000).toFixed(2)} km` : `${metres.toFixed(1)} m`;
}

function formatArea(squareMetres: number): string {
  if (squareMetres >= 1_000_000) return `${(squareMetres / 1_000_000).toFixed(3)} km²`;
  if (squareMetres >= 10_000) return `${(squareMetres / 10_000).toFixed(2)} ha`;
  return `${squareMetres.toFixed(1)} m²`;
}

export function MeasureReadout() {
  const { t } = useTranslation();
  const measure = useEditingStore((state) => state.measure);
  if (!measure) return null;
  return (
    <div className="editing-measure" data-testid="measure-readout" role="status">
      <span>
        {t('editing.measure.distance')}: <strong data-testid="measure-distance">{formatLength(measure.distance)}</strong>
      </span>
      {measure.area != null && (
        <span>
          {t('editing.measure.area')}: <strong data-testid="measure-area">{formatArea(measure.area)}</strong>
        </span>
      )}
    </div>
  );
}

export function HelpOverlay() {
  const { t } = useTranslation();
  const close = () => useEditingStore.getState().set({ helpVisible: false });
  const rows: [string, string][] = [
    ...TOOL_IDS.map((id) => [TOOL_SHORTCUTS[id].toUpperCase(), t(`editing.tool.${id}`)] as [string, string]),
    ['Ctrl+Z', t('editing.help.undo')],
    ['Ctrl+Shift+Z / Ctrl+Y', t('editing.help.redo')],
    ['Backspace', t('editing.help.backspace')],
    ['Esc', t('editing.help.escape')],
    ['Enter', t('editing.help.enter')],
    ['Delete', t('editing.help.delete')],
    ['Shift + ' + t('editing.help.click'), t('editing.help.shiftClick')],
    [t('editing.help.doubleClick'), t('editing.help.doubleClickText')],
    ['?', t('editing.help.toggle')],
  ];
  return (
    <Modal title={t('editing.help.title')} onClose={close} testId="help-overlay">
      <table className="editing-table editing-help">
        <tbody>
          {rows.map(([keys, text]) => (
            <tr key={keys}>
              <th scope="row">
                <kbd>{keys}</kbd>
              </th>
              <td>{text}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}

export function CoordinateEntry() {
  const { t } = useTranslation();
  const entry = useEditingStore((state) => state.coordinateEntry);
  const [x, setX] = useState(entry ? String(entry.from[0]) : '');
  const [y, setY] = useState(entry ? String(entry.from[1]) : '');
  if (!entry) return null;
  const close = () => useEditingStore.getState().set({ coordinateEntry: null });
  const nx = Number(x.replace(',', '.'));
  const ny = Number(y.replace(',', '.'));
  const valid = x.trim() !== '' && y.trim() !== '' && Number.isFinite(nx) && Number.isFinite(ny);
  const save = async () => {
    const editor = currentEditor();
    const set = editor?.shownSet();
    if (!editor || !set || !valid) return;
    if (await editor.run({ type: 'catchment.moveVertex', set, from: entry.from, to: [nx, ny] })) close();
  };
  return (
    <Modal
      title={t('editing.coordinates.title')}
      onClose={close}
      testId="coordinate-entry"
      footer={
        <>
          <button type="button" className="button" onClick={close}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button--primary" disabled={!valid} onClick={() => void save()}>
            {t('editing.coordinates.move')}
          </button>
        </>
      }
    >
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <label>
          {t('editing.coordinates.x')}
          <input value={x} onChange={(event) => setX(event.target.value)} inputMode="decimal" />
        </label>
        <label>
          {t('editing.coordinates.y')}
          <input value={y} onChange={(event) => setY(event.target.value)} inputMode="decimal" />
        </label>
        {!valid && <p className="form-error">{t('editing.coordinates.invalid')}</p>}
      </form>
    </Modal>
  );
}
