/**
 * Scenarios in the workspace: a switcher in the top bar (the baseline and every scenario; switching is
 * instant), and a dialog to branch, rename, duplicate, lock, delete, see what changed against the parent,
 * and promote a scenario into the baseline after confirmation.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeSettingChange } from '../../shared/domain/scenario-settings';
import type { ScenarioChange, ScenarioInfo, ScenarioState } from '../../shared/contract/host-api';
import { DEMAND_SERVICES, type DemandService } from '../../shared/analysis/settings';
import { useHost, useReportingCall } from '../app/host-context';
import { useLayerStore } from '../state/layer-store';
import { Modal } from '../app/modal';
import { useScenarioStore } from './scenario-store';

export function ScenarioSwitcher({ onManage }: { onManage(): void }) {
  const { t } = useTranslation();
  const host = useHost();
  const run = useReportingCall();
  const state = useScenarioStore((store) => store.state);
  if (!state) return null;
  const switchTo = (fid: number) => void run(() => host.switchScenario({ fid })).then((next) => next && useScenarioStore.getState().setState(next));
  return (
    <div className="scenario-switcher">
      <select
        value={state.activeFid}
        onChange={(event) => switchTo(Number(event.target.value))}
        aria-label={t('scenarios.active')}
        title={t('scenarios.active')}
        data-testid="scenario-select"
      >
        <option value={0}>{t('scenarios.baseline')}</option>
        {state.scenarios.map((scenario) => (
          <option key={scenario.fid} value={scenario.fid}>
            {scenario.locked ? `🔒 ${scenario.name}` : scenario.name}
          </option>
        ))}
      </select>
      <button type="button" className="button button--ghost" onClick={onManage} data-testid="scenarios-manage">
        {t('scenarios.manage')}
      </button>
    </div>
  );
}

function ChangeList({ changes }: { changes: ScenarioChange[] }) {
  const { t } = useTranslation();
  if (changes.length === 0) return <p className="field-hint">{t('scenarios.noChanges')}</p>;
  return (
    <ul className="scenario-changes" data-testid="scenario-changes">
      {changes.map((change) => (
        <li key={`${change.table}:${change.key}`}>
          <span className={`scenario-change-kind scenario-change-kind--${change.kind}`}>{t(`scenarios.kind.${change.kind}`)}</span>
          <span>
            {t(`scenarios.table.${change.table}`, { defaultValue: change.table })}:{' '}
            {change.setting ? describeSettingChange(change.key, change.setting, (key, params) => t(key, params)) : (change.name ?? `#${change.key}`)}
          </span>
          {change.columns.length > 0 && <span className="field-hint">{change.columns.map((column) => t(`attributes.${change.table}.${column}`, { defaultValue: t(`attributes.common.${column}`, { defaultValue: column }) })).join(', ')}</span>}
        </li>
      ))}
    </ul>
  );
}

/** The report of the scenario shown (or the baseline): written by the host, its path shown here. */
function ReportButtons({ fid }: { fid: number }) {
  const { t, i18n } = useTranslation();
  const host = useHost();
  const run = useReportingCall();
  const shownSet = useLayerStore((store) => store.shownCatchmentSet);
  const [written, setWritten] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const service = shownSet?.split(':')[0];
  const make = async (format: 'pdf' | 'xlsx') => {
    setBusy(true);
    const result = await run(() =>
      host.exportScenarioReport({
        fid,
        format,
        service: (DEMAND_SERVICES as readonly string[]).includes(service ?? '') ? (service as DemandService) : 'grades_1_6',
        years: null,
        language: (['fi', 'sv', 'en'].includes(i18n.language) ? i18n.language : 'fi') as 'fi' | 'sv' | 'en',
      }),
    );
    setBusy(false);
    if (result) setWritten(result.path);
  };
  return (
    <div className="scenario-report">
      <h4>{t('scenarios.report')}</h4>
      <div className="scenario-actions">
        <button type="button" className="button" disabled={busy} onClick={() => void make('pdf')} data-testid="report-pdf">
          {t('scenarios.reportPdf')}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void make('xlsx')} data-testid="report-xlsx">
          {t('scenarios.reportXlsx')}
        </button>
      </div>
      {written && (
        <p className="field-hint" data-testid="report-written">
          {t('scenarios.reportWritten', { path: written })}
        </p>
      )}
    </div>
  );
}

export function ScenarioDialog({ onClose, onCompare }: { onClose(): void; onCompare(): void }) {
  const { t } = useTranslation();
  const host = useHost();
  const run = useReportingCall();
  const state = useScenarioStore((store) => store.state);
  const [name, setName] = useState('');
  const [changes, setChanges] = useState<ScenarioChange[] | null>(null);
  const [confirmPromote, setConfirmPromote] = useState(false);
  const active: ScenarioInfo | undefined = state?.scenarios.find((scenario) => scenario.fid === state.activeFid);

  const apply = (next: ScenarioState | undefined) => next && useScenarioStore.getState().setState(next);

  useEffect(() => {
    setChanges(null);
    setConfirmPromote(false);
    if (active) void run(() => host.getScenarioChanges({ fid: active.fid })).then((list) => list && setChanges(list));
  }, [host, run, active?.fid, active?.changedRows]);

  if (!state) return null;
  const create = async () => {
    const trimmed = name.trim();
    if (!trimmed) return;
    apply(await run(() => host.createScenario({ name: trimmed, parentFid: state.activeFid })));
    setName('');
  };

  return (
    <Modal title={t('scenarios.title')} onClose={onClose} wide testId="scenario-dialog">
      <form
        className="scenario-create"
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
      >
        <label className="field">
          <span className="field-label">{state.activeFid === 0 ? t('scenarios.newFromBaseline') : t('scenarios.newFrom', { name: active?.name ?? '' })}</span>
          <input type="text" value={name} maxLength={120} onChange={(event) => setName(event.target.value)} placeholder={t('scenarios.namePlaceholder')} data-testid="scenario-name" />
        </label>
        <button type="submit" className="button button--primary" disabled={!name.trim()} data-testid="scenario-create">
          {t('scenarios.create')}
        </button>
      </form>

      {active ? (
        <section className="scenario-active">
          <h3>
            {active.name} {active.locked && <span className="field-hint">({t('scenarios.locked')})</span>}
          </h3>
          <div className="scenario-actions">
            <button type="button" className="button" onClick={() => void run(() => host.duplicateScenario({ fid: active.fid, name: `${active.name} (${t('saveAs.copySuffix')})` })).then(apply)}>
              {t('scenarios.duplicate')}
            </button>
            <button type="button" className="button" onClick={() => void run(() => host.setScenarioLocked({ fid: active.fid, locked: !active.locked })).then(apply)} data-testid="scenario-lock">
              {active.locked ? t('scenarios.unlock') : t('scenarios.lock')}
            </button>
            <button type="button" className="button" onClick={() => void run(() => host.deleteScenario({ fid: active.fid })).then(apply)} data-testid="scenario-delete">
              {t('scenarios.delete')}
            </button>
            {confirmPromote ? (
              <>
                <span className="scenario-confirm">{t('scenarios.promoteConfirm', { name: active.name })}</span>
                <button type="button" className="button button--primary" onClick={() => void run(() => host.promoteScenario({ fid: active.fid })).then(apply)} data-testid="scenario-promote-confirm">
                  {t('scenarios.promoteYes')}
                </button>
                <button type="button" className="button" onClick={() => setConfirmPromote(false)}>
                  {t('common.cancel')}
                </button>
              </>
            ) : (
              <button type="button" className="button" onClick={() => setConfirmPromote(true)} disabled={active.changedRows === 0} data-testid="scenario-promote">
                {t('scenarios.promote')}
              </button>
            )}
          </div>
          <h4>{t('scenarios.whatChanged')}</h4>
          {changes ? <ChangeList changes={changes} /> : <p className="field-hint">{t('common.loading')}</p>}
        </section>
      ) : (
        <p className="field-hint">{t('scenarios.baselineHint')}</p>
      )}
      <div className="scenario-report">
        <h4>{t('compare.title')}</h4>
        <button type="button" className="button" onClick={onCompare} data-testid="scenario-compare">
          {t('compare.open')}
        </button>
      </div>
      <ReportButtons fid={state.activeFid} />
    </Modal>
  );
}
