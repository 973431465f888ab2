/**
 * Presentation mode for the workshop room: full screen, the map with large KPI cards for the year and
 * scenario shown, editing chrome hidden. The keyboard drives it: ← → change the year, 0 shows the baseline,
 * 1–9 the scenarios, Esc leaves. Counts of children under the privacy threshold show as "<5". The map stays
 * live: an edit made now (by the facilitator, or from the shared live view) updates the cards at once.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { suppressCount } from '../../shared/analysis/privacy';
import { analysisSettingsFrom } from '../../shared/analysis/settings';
import { childrenWithoutPlace } from '../../shared/analysis/shortfall';
import { useAnalysisStore } from '../analysis/analysis-store';
import { formatNumber, formatPercent } from '../app/format';
import { useHost, useReportingCall } from '../app/host-context';
import { useScenarioStore } from '../scenarios/scenario-store';
import { useProjectStore } from '../state/project-store';
import { useSelectionStore } from '../state/selection-store';
import { useUiStore } from '../state/ui-store';
import { usePresentStore } from './present-store';

/** Enters presentation mode: privacy suppression on, and full screen where the browser allows it. */
export function enterPresentation(): void {
  usePresentStore.getState().setActive(true);
  useAnalysisStore.getState().setPresentation(true);
  document.documentElement.requestFullscreen?.().catch(() => {
    // Full screen needs a user gesture and may be refused (kiosk, tests): the layout still changes.
  });
}

export function leavePresentation(): void {
  usePresentStore.getState().setActive(false);
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
}

export function Card({ label, value, tone, testId }: { label: string; value: string; tone?: 'good' | 'warn' | 'bad'; testId: string }) {
  return (
    <div className={`present-card${tone ? ` present-card--${tone}` : ''}`} data-testid={testId}>
      <span className="present-card-value">{value}</span>
      <span className="present-card-label">{label}</span>
    </div>
  );
}

/**
 * The one live change presentation mode offers besides dragging on the map: close or reopen the school
 * clicked, as a command in the scenario shown, so the cards change in front of the room at once.
 */
function QuickChange() {
  const { t } = useTranslation();
  const host = useHost();
  const run = useReportingCall();
  const selected = useSelectionStore((state) => state.selected);
  const editRevision = useProjectStore((state) => state.editRevision);
  const [facility, setFacility] = useState<{ fid: number; name: string; status: string } | null>(null);

  useEffect(() => {
    let cancelled = false;
    if (selected?.layer !== 'facilities') {
      setFacility(null);
      return;
    }
    void host.getFeature({ layer: 'facilities', fid: selected.fid }).then(
      (details) => !cancelled && setFacility({ fid: selected.fid, name: String(details.feature.properties.name_fi ?? ''), status: String(details.feature.properties.status ?? 'active') }),
      () => !cancelled && setFacility(null),
    );
    return () => {
      cancelled = true;
    };
  }, [host, selected, editRevision]);

  if (!facility) return null;
  const closed = facility.status === 'closed';
  const toggle = () =>
    void run(() => host.runCommand({ command: { type: 'facility.update', fid: facility.fid, changes: closed ? { status: 'active', closes_year: null } : { status: 'closed' } } }));
  return (
    <div className="present-quick" data-testid="present-quick">
      <span className="present-quick-name">{facility.name}</span>
      <button type="button" className={closed ? 'button button--primary' : 'button button--danger'} onClick={toggle} data-testid="present-toggle-facility">
        {closed ? t('present.reopen') : t('present.close')}
      </button>
    </div>
  );
}

export function PresentationOverlay() {
  const { t } = useTranslation();
  const host = useHost();
  const run = useReportingCall();
  const language = useUiStore((state) => state.language);
  const summary = useProjectStore((state) => state.summary);
  const scenarios = useScenarioStore((state) => state.state);
  const { result, year, years, service } = useAnalysisStore();
  const threshold = analysisSettingsFrom(summary?.settings ?? {}).privacyThreshold;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLSelectElement) return;
      const analysis = useAnalysisStore.getState();
      if (event.key === 'Escape') {
        leavePresentation();
      } else if ((event.key === 'ArrowRight' || event.key === 'ArrowLeft') && analysis.years.length > 0) {
        const index = analysis.year === null ? 0 : analysis.years.indexOf(analysis.year);
        const next = analysis.years[Math.min(analysis.years.length - 1, Math.max(0, index + (event.key === 'ArrowRight' ? 1 : -1)))];
        if (next !== undefined) analysis.setYear(next);
        event.preventDefault();
      } else if (/^[0-9]$/.test(event.key)) {
        const list = useScenarioStore.getState().state?.scenarios ?? [];
        const digit = Number(event.key);
        const fid = digit === 0 ? 0 : list[digit - 1]?.fid;
        if (fid !== undefined) void run(() => host.switchScenario({ fid })).then((next) => next && useScenarioStore.getState().setState(next));
      }
    };
    const onFullscreen = () => {
      // Leaving full screen with the browser's own Esc leaves presentation mode too.
      if (!document.fullscreenElement && usePresentStore.getState().active && wasFullscreen) usePresentStore.getState().setActive(false);
      wasFullscreen = Boolean(document.fullscreenElement);
    };
    let wasFullscreen = Boolean(document.fullscreenElement);
    window.addEventListener('keydown', onKey);
    document.addEventListener('fullscreenchange', onFullscreen);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('fullscreenchange', onFullscreen);
    };
  }, [host, run]);

  const network = result?.network ?? null;
  const shortfall = result ? childrenWithoutPlace(result) : null;
  const count = (value: number | null) => {
    if (value === null) return '–';
    const shown = suppressCount(value, threshold);
    return typeof shown === 'string' ? shown : formatNumber(shown, language);
  };
  const scenarioName = scenarios?.scenarios.find((scenario) => scenario.fid === scenarios.activeFid)?.name ?? t('scenarios.baseline');
  const utilisation = network?.utilisation ?? null;

  return (
    <div className="present-overlay" data-testid="presentation">
      <header className="present-header">
        <div>
          <p className="present-kicker">{summary?.name}</p>
          <h1 className="present-title" data-testid="present-scenario">
            {scenarioName}
          </h1>
        </div>
        <div className="present-year" data-testid="present-year">
          {year ?? '–'}
          <span className="present-service">{t(`report.service.${service}`)}</span>
        </div>
        <button type="button" className="button button--ghost" onClick={leavePresentation} data-testid="present-exit">
          {t('present.exit')}
        </button>
      </header>
      <QuickChange />
      <footer className="present-footer">
      <div className="present-cards">
        <Card label={t('present.overCapacity')} value={count(shortfall)} tone={shortfall ? 'bad' : 'good'} testId="present-over-capacity" />
        <Card label={t('present.utilisation')} value={utilisation === null ? '–' : formatPercent(utilisation, language)} tone={utilisation === null ? undefined : utilisation >= 1 ? 'bad' : utilisation >= 0.9 ? 'warn' : 'good'} testId="present-utilisation" />
        <Card label={t('present.overTransportLimit')} value={network?.overLimitShare == null ? '–' : formatPercent(network.overLimitShare, language)} testId="present-over-limit" />
        <Card label={t('present.costPerUser')} value={network?.costPerUser == null ? '–' : `${formatNumber(network.costPerUser, language)} €`} testId="present-cost" />
      </div>
      <p className="present-keys">{t('present.keys', { years: years.length ? `${years[0]}–${years[years.length - 1]}` : '–' })}</p>
      </footer>
    </div>
  );
}
