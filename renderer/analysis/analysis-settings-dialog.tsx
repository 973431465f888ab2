/**
 * The analysis settings a planner changes: ages and participation per service, the free-transport limit,
 * the Swedish-speaking share, the traffic-light bands and the privacy threshold. Each change is a
 * `setting.set` command (undoable); the worker recomputes when the host reports it.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { analysisSettingsFrom, ANALYSIS_SETTING_KEYS, DEMAND_SERVICES, type SettingsRecord } from '../../shared/analysis/settings';
import { useHost, useReportingCall } from '../app/host-context';
import { Modal } from '../app/modal';
import { useScenarioStore } from '../scenarios/scenario-store';

/** Says where a change lands: the demand model's settings belong to the scenario shown (see scenario-settings.ts). */
function ScenarioScopeHint() {
  const { t } = useTranslation();
  const state = useScenarioStore((store) => store.state);
  if (!state || state.scenarios.length === 0) return null;
  const active = state.scenarios.find((scenario) => scenario.fid === state.activeFid);
  return (
    <p className="field-hint field-hint--scope" data-testid="settings-scope">
      {active ? t('analysis.settings.scenarioHint', { name: active.name }) : t('analysis.settings.baselineHint')}
    </p>
  );
}

type Draft = Record<string, string>;

function draftFrom(settings: SettingsRecord): Draft {
  const parsed = analysisSettingsFrom(settings);
  const draft: Draft = {
    [ANALYSIS_SETTING_KEYS.swedishShare]: String(Math.round(parsed.swedishShare * 1000) / 10),
    [ANALYSIS_SETTING_KEYS.yellowFrom]: String(Math.round(parsed.yellowFrom * 100)),
    [ANALYSIS_SETTING_KEYS.redFrom]: String(Math.round(parsed.redFrom * 100)),
    [ANALYSIS_SETTING_KEYS.privacyThreshold]: String(parsed.privacyThreshold),
  };
  for (const definition of parsed.services) {
    draft[ANALYSIS_SETTING_KEYS.minAge(definition.service)] = String(definition.minAge);
    draft[ANALYSIS_SETTING_KEYS.maxAge(definition.service)] = String(definition.maxAge);
    // The participation setting itself (the model multiplies it by 1 − the share going elsewhere).
    const elsewhere = Number(settings[ANALYSIS_SETTING_KEYS.elsewhereShare(definition.service)] ?? 0);
    const rate = (definition.participation[definition.minAge] ?? 0) / (Number.isFinite(elsewhere) && elsewhere < 1 ? 1 - elsewhere : 1);
    draft[ANALYSIS_SETTING_KEYS.participation(definition.service)] = String(Math.round(rate * 1000) / 10);
    draft[ANALYSIS_SETTING_KEYS.freeTransportKm(definition.service)] = String(definition.freeTransportLimitM / 1000);
  }
  return draft;
}

/** Which draft fields are percentages (stored as shares 0–1). */
function isPercent(key: string): boolean {
  return key.endsWith('.participation') || key === ANALYSIS_SETTING_KEYS.swedishShare || key.startsWith('analysis.band.');
}

function limits(key: string): [number, number] {
  if (key.endsWith('Age')) return [0, 15];
  if (key.endsWith('.freeTransportKm')) return [0.1, 100];
  if (key === ANALYSIS_SETTING_KEYS.privacyThreshold) return [0, 1000];
  if (key.startsWith('analysis.band.')) return [0, 1000];
  return [0, 100];
}

export function AnalysisSettingsDialog({ settings, onClose }: { settings: SettingsRecord; onClose(): void }) {
  const { t } = useTranslation();
  const host = useHost();
  const run = useReportingCall();
  const [initial] = useState(() => draftFrom(settings));
  const [draft, setDraft] = useState<Draft>(initial);
  const [busy, setBusy] = useState(false);
  const invalid = Object.entries(draft).filter(([key, value]) => {
    const number = Number(value.replace(',', '.'));
    const [min, max] = limits(key);
    return value.trim() === '' || !Number.isFinite(number) || number < min || number > max;
  });
  const ageOrder = DEMAND_SERVICES.some((service) => Number(draft[ANALYSIS_SETTING_KEYS.minAge(service)]) > Number(draft[ANALYSIS_SETTING_KEYS.maxAge(service)]));

  const save = async () => {
    setBusy(true);
    for (const [key, value] of Object.entries(draft)) {
      if (value === initial[key]) continue;
      const number = Number(value.replace(',', '.'));
      const stored = isPercent(key) ? Math.round(number * 10) / 1000 : number;
      const done = await run(() => host.runCommand({ command: { type: 'setting.set', key, value: stored } }));
      if (!done) break;
    }
    setBusy(false);
    onClose();
  };

  const field = (key: string, label: string, unit: string) => (
    <label className="field field--compact analysis-setting" key={key}>
      <span className="field-label">{label}</span>
      <span className="analysis-setting-input">
        <input
          type="text"
          inputMode="decimal"
          value={draft[key] ?? ''}
          aria-invalid={invalid.some(([bad]) => bad === key)}
          onChange={(event) => setDraft((current) => ({ ...current, [key]: event.target.value }))}
          data-testid={`setting-${key}`}
        />
        <span className="muted">{unit}</span>
      </span>
    </label>
  );

  return (
    <Modal
      title={t('analysis.settings.title')}
      onClose={onClose}
      wide
      testId="analysis-settings"
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button--primary" disabled={busy || invalid.length > 0 || ageOrder} onClick={() => void save()} data-testid="analysis-settings-save">
            {t('analysis.settings.save')}
          </button>
        </>
      }
    >
      <p className="field-hint">{t('analysis.settings.intro')}</p>
      <ScenarioScopeHint />
      <table className="data-table data-table--compact analysis-settings-table">
        <thead>
          <tr>
            <th scope="col">{t('analysis.service')}</th>
            <th scope="col">{t('analysis.settings.ages')}</th>
            <th scope="col">{t('analysis.settings.participation')}</th>
            <th scope="col">{t('analysis.settings.transport')}</th>
          </tr>
        </thead>
        <tbody>
          {DEMAND_SERVICES.map((service) => (
            <tr key={service}>
              <th scope="row">{t(`values.service.${service}`)}</th>
              <td className="analysis-settings-ages">
                {field(ANALYSIS_SETTING_KEYS.minAge(service), t('analysis.settings.from'), '')}
                {field(ANALYSIS_SETTING_KEYS.maxAge(service), t('analysis.settings.to'), t('analysis.settings.years'))}
              </td>
              <td>{field(ANALYSIS_SETTING_KEYS.participation(service), '', '%')}</td>
              <td>{field(ANALYSIS_SETTING_KEYS.freeTransportKm(service), '', 'km')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="analysis-settings-general">
        {field(ANALYSIS_SETTING_KEYS.swedishShare, t('analysis.settings.swedishShare'), '%')}
        {field(ANALYSIS_SETTING_KEYS.yellowFrom, t('analysis.settings.yellowFrom'), '%')}
        {field(ANALYSIS_SETTING_KEYS.redFrom, t('analysis.settings.redFrom'), '%')}
        {field(ANALYSIS_SETTING_KEYS.privacyThreshold, t('analysis.settings.privacy'), '')}
      </div>
      {(invalid.length > 0 || ageOrder) && <p className="field-error" role="alert">{t('analysis.settings.invalid')}</p>}
    </Modal>
  );
}
