/**
 * The analysis bar over the bottom of the map: service, a year slider that recolours the map, the map
 * colouring (utilisation traffic light, demand, change) with its legend, presentation mode, the KPI
 * table, forecasts, and the network's headline figures for the chosen year.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ForecastDialog } from './forecast-dialog';
import { analysisSettingsFrom, type DemandService } from '../../shared/analysis/settings';
import { Spinner } from '../app/icons';
import { formatNumber, formatPercent } from '../app/format';
import { useUiStore } from '../state/ui-store';
import { catchmentColours, CHANGE_BREAKS, CHANGE_RAMP, DEMAND_RAMP, TRAFFIC_LIGHT } from './analysis-colours';
import { AnalysisSettingsDialog } from './analysis-settings-dialog';
import { useAnalysisStore, type AnalysisMapMode } from './analysis-store';
import { formatKpi } from './kpi-format';

const MODES: AnalysisMapMode[] = ['utilisation', 'demand', 'change', 'none'];

function Legend() {
  const { t } = useTranslation();
  const language = useUiStore((state) => state.language);
  const { mapMode, result, baseline, years } = useAnalysisStore();
  const settings = analysisSettingsFrom(useAnalysisStore((state) => state.settings));
  // An empty line of the same height while there is nothing to explain: the strip never changes height.
  if (mapMode === 'none' || !result) return <div className="analysis-legend-placeholder" />;
  const swatch = (colour: string, label: string, key: string) => (
    <span className="analysis-legend-item" key={key}>
      <span className="analysis-swatch" style={{ background: colour }} />
      {label}
    </span>
  );
  const noData = (
    <span className="analysis-legend-item" key="none">
      <span className="analysis-swatch analysis-swatch--none" />
      {t('analysis.legendNoData')}
    </span>
  );
  if (mapMode === 'utilisation') {
    const yellow = Math.round(settings.yellowFrom * 100);
    const red = Math.round(settings.redFrom * 100);
    return (
      <div className="analysis-legend" data-testid="analysis-legend">
        {swatch(TRAFFIC_LIGHT.green, t('analysis.bands.green', { yellow }), 'g')}
        {swatch(TRAFFIC_LIGHT.yellow, t('analysis.bands.yellow', { yellow, red }), 'y')}
        {swatch(TRAFFIC_LIGHT.red, t('analysis.bands.red', { red }), 'r')}
        {noData}
      </div>
    );
  }
  if (mapMode === 'demand') {
    const { breaks } = catchmentColours(result, baseline, 'demand');
    const bounds = [0, ...breaks];
    return (
      <div className="analysis-legend" data-testid="analysis-legend">
        {DEMAND_RAMP.slice(0, breaks.length + 1).map((colour, index) =>
          swatch(colour, index < breaks.length ? `${formatNumber(bounds[index]!, language)}–${formatNumber(breaks[index]!, language)}` : `> ${formatNumber(bounds[index]!, language)}`, String(index)),
        )}
        {noData}
      </div>
    );
  }
  const labels = [`< ${formatPercent(CHANGE_BREAKS[0]!, language)}`, ...CHANGE_BREAKS.slice(0, -1).map((value, index) => `${formatPercent(value, language)}…${formatPercent(CHANGE_BREAKS[index + 1]!, language)}`), `> ${formatPercent(CHANGE_BREAKS[CHANGE_BREAKS.length - 1]!, language)}`];
  return (
    <div className="analysis-legend" data-testid="analysis-legend">
      <span className="analysis-legend-title">{t('analysis.mapModes.change', { year: years[0] })}</span>
      {CHANGE_RAMP.map((colour, index) => swatch(colour, labels[index]!, String(index)))}
      {noData}
    </div>
  );
}

/** Opens the forecast dialog (method, target year or table, progress and Cancel). */
function ForecastButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)} data-testid="forecast-open">
        {t('analysis.forecast')}
      </button>
      {open && <ForecastDialog onClose={() => setOpen(false)} />}
    </>
  );
}

export function AnalysisBar() {
  const { t } = useTranslation();
  const language = useUiStore((state) => state.language);
  const state = useAnalysisStore();
  const settings = analysisSettingsFrom(useAnalysisStore((store) => store.settings));
  const { years, year, service, services, status, result, mapMode, presentation, forecastYears, unitKinds } = state;
  const yearIndex = year === null ? 0 : Math.max(0, years.indexOf(year));
  const network = result?.network ?? null;
  const suppress = presentation ? settings.privacyThreshold : 0;
  const noValue = t('analysis.noValue');
  const [settingsOpen, setSettingsOpen] = useState(false);
  // The bar is a strip above the map, not over it: its height moves the map's top edge (the map element
  // resizes and OpenLayers follows), so no map pixel is ever hidden under it.
  const barRef = useRef<HTMLElement>(null);
  useEffect(() => {
    const bar = barRef.current;
    const area = bar?.parentElement;
    if (!bar || !area) return;
    const apply = () => area.style.setProperty('--analysis-bar-height', `${bar.offsetHeight}px`);
    apply();
    const observer = new ResizeObserver(apply);
    observer.observe(bar);
    return () => {
      observer.disconnect();
      area.style.removeProperty('--analysis-bar-height');
    };
  }, []);
  return (
    <section ref={barRef} className="analysis-bar" data-testid="analysis-bar" aria-label={t('analysis.title')}>
      <div className="analysis-bar-row">
        <label className="analysis-field">
          <span>{t('analysis.service')}</span>
          <select value={service} onChange={(event) => state.setService(event.target.value as DemandService)} data-testid="analysis-service">
            {(services.length ? services : [service]).map((entry) => (
              <option key={entry} value={entry}>
                {t(`values.service.${entry}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="analysis-field analysis-field--year">
          <span>{t('analysis.year')}</span>
          <input
            type="range"
            min={0}
            max={Math.max(0, years.length - 1)}
            step={1}
            value={yearIndex}
            disabled={years.length === 0}
            onChange={(event) => {
              const next = years[Number(event.target.value)];
              if (next !== undefined) state.setYear(next);
            }}
            data-testid="year-slider"
            aria-valuetext={year === null ? '' : String(year)}
          />
          <output data-testid="analysis-year">{year ?? noValue}</output>
          <span className={`analysis-source${year !== null && forecastYears.includes(year) ? ' analysis-source--forecast' : ''}`}>{year === null ? noValue : t(`analysis.source.${forecastYears.includes(year) ? 'forecast' : 'observed'}`)}</span>
        </label>
        <label className="analysis-field">
          <span>{t('analysis.mapMode')}</span>
          <select value={mapMode} onChange={(event) => state.setMapMode(event.target.value as AnalysisMapMode)} data-testid="analysis-map-mode">
            {MODES.map((mode) => (
              <option key={mode} value={mode}>
                {t(`analysis.mapModes.${mode}`, { year: years[0] })}
              </option>
            ))}
          </select>
        </label>
        <div className="analysis-actions">
          <button type="button" className="button" onClick={() => setSettingsOpen(true)} data-testid="analysis-settings-open">
            {t('analysis.settings.open')}
          </button>
          <ForecastButton />
          <button type="button" className="button" onClick={() => state.setTableOpen(!state.tableOpen)} data-testid="kpi-table-toggle" aria-pressed={state.tableOpen}>
            {state.tableOpen ? t('analysis.closeTable') : t('analysis.openTable')}
          </button>
        </div>
      </div>
      <div className="analysis-bar-row analysis-bar-row--summary">
        <label className="analysis-check">
          <input type="checkbox" checked={presentation} onChange={(event) => state.setPresentation(event.target.checked)} data-testid="presentation-mode" />
          {t('analysis.presentation', { threshold: settings.privacyThreshold })}
        </label>
        {status === 'loading' || status === 'computing' ? (
          <span className="analysis-status" role="status">
            <Spinner /> {t('analysis.computing')}
          </span>
        ) : status === 'error' ? (
          <span className="analysis-status analysis-status--error" role="alert">{t('analysis.failed', { detail: state.error ?? '' })}</span>
        ) : years.length === 0 && status === 'ready' ? (
          <span className="analysis-status">{t('analysis.noYears')}</span>
        ) : network ? (
          <span className="analysis-network" data-testid="analysis-network">
            <strong>{t('analysis.network')}:</strong> {t('analysis.columns.users')} {formatKpi(network, 'users', language, suppress, noValue)} · {t('analysis.columns.capacity')}{' '}
            {formatKpi(network, 'capacity', language, suppress, noValue)} · {t('analysis.columns.utilisation')} {formatKpi(network, 'utilisation', language, suppress, noValue)}
            {network.outsideUsers !== null && network.outsideUsers >= 0.5 ? ` · ${t('analysis.columns.outsideUsers')} ${formatKpi(network, 'outsideUsers', language, suppress, noValue)}` : ''}
            {year !== null && unitKinds[year] ? <span className="muted"> · {t('analysis.unitKindNote', { kind: t(`values.unitKind.${unitKinds[year]}`, { defaultValue: unitKinds[year] ?? '' }) })}</span> : null}
          </span>
        ) : null}
      </div>
      <Legend />
      {settingsOpen && <AnalysisSettingsDialog settings={state.settings} onClose={() => setSettingsOpen(false)} />}
    </section>
  );
}
