/**
 * The layer panel: a toggle per map layer with its legend, in map order (top layer first). Choropleth
 * legends show the classes the map computed from the loaded data.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { UiLanguage } from '../../shared/i18n';
import { rampFor } from '../map/classify';
import {
  CATCHMENT_FILL_OPACITY,
  CATCHMENT_PALETTE,
  CLOSED_FACILITY_COLOUR,
  LANGUAGE_COLOURS,
  MUNICIPALITY_OUTLINE,
  POPULATION_RAMP,
  darker,
  withOpacity,
} from '../map/palette';
import { useLayerStore, type ClassBreaks, type MapLayerKey } from '../state/layer-store';
import { useUiStore } from '../state/ui-store';
import { formatNumber } from './format';
import { BasemapSettings } from './basemap-settings';
import { LegendSwatch } from './legend-swatch';
import { LayersIcon } from './icons';
import { ImportedSources } from '../import/imported-sources';
import { FEEDBACK_COLOUR, RESIDENTIAL_POINT_COLOUR } from '../map/styles';

function LegendRow({ children, symbol }: { children: ReactNode; symbol: ReactNode }) {
  return (
    <li className="legend-row">
      {symbol}
      <span>{children}</span>
    </li>
  );
}

function LayerEntry({ layerKey, children, disabled = false, status, footer }: { layerKey: MapLayerKey; children?: ReactNode; disabled?: boolean; status?: string; footer?: ReactNode }) {
  const { t } = useTranslation();
  const visible = useLayerStore((state) => state.visibility[layerKey]);
  const count = useLayerStore((state) => state.featureCounts[layerKey]);
  const toggle = useLayerStore((state) => state.toggle);
  const language = useUiStore((state) => state.language);
  const countText = layerKey === 'basemap' ? null : count === null ? '…' : formatNumber(count, language);
  return (
    <section className={visible && !disabled ? 'layer-entry' : 'layer-entry layer-entry--hidden'} aria-labelledby={`layer-title-${layerKey}`}>
      <label className="layer-toggle">
        <input type="checkbox" checked={visible && !disabled} disabled={disabled} onChange={() => toggle(layerKey)} data-testid={`layer-toggle-${layerKey}`} />
        <span className="layer-title" id={`layer-title-${layerKey}`}>
          {t(`layers.${layerKey}.title`)}
        </span>
        {countText !== null && (
          <span className="layer-count" title={t('layers.featureCount')}>
            {countText}
          </span>
        )}
      </label>
      {status && <p className="layer-status">{status}</p>}
      {/* Legends of hidden layers fold away, so the panel shows what is on the map without scrolling. */}
      {children && visible && !disabled && <div className="layer-legend">{children}</div>}
      {footer}
    </section>
  );
}

function ClassLegend({ breaks, unit, outline, language }: { breaks: ClassBreaks; unit: string; outline: boolean; language: UiLanguage }) {
  const { t } = useTranslation();
  if (breaks.length === 0) return <p className="legend-note">{t('layers.noClasses')}</p>;
  const colours = rampFor(POPULATION_RAMP, breaks.length + 1);
  const format = (value: number) => formatNumber(value, language, value < 10 ? 1 : 0);
  return (
    <>
      <p className="legend-caption">{unit}</p>
      <ul className="legend-list">
        {colours.map((colour, index) => {
          const label =
            index === 0
              ? t('legend.upTo', { value: format(breaks[0]!) })
              : index === breaks.length
                ? t('legend.over', { value: format(breaks[index - 1]!) })
                : t('legend.range', { from: format(breaks[index - 1]!), to: format(breaks[index]!) });
          return (
            <LegendRow key={colour + index} symbol={<LegendSwatch shape="area" colour={colour} outline={outline ? undefined : colour} />}>
              {label}
            </LegendRow>
          );
        })}
      </ul>
    </>
  );
}

function CatchmentLegend() {
  const { t } = useTranslation();
  const origins = useLayerStore((state) => state.catchmentOrigins);
  const sets = useLayerStore((state) => state.catchmentSets);
  const shown = useLayerStore((state) => state.shownCatchmentSet);
  const showCatchmentSet = useLayerStore((state) => state.showCatchmentSet);
  const setLabel = (service: string, language: string) => t('legend.catchmentSet', { service: t(`values.service.${service}`, { defaultValue: service }), language: t(`values.language.${language}`, { defaultValue: language }) });
  return (
    <>
      {sets.length > 1 && (
        <label className="field field--compact">
          <span className="field-label">{t('legend.catchmentSetLabel')}</span>
          <select value={shown ?? ''} onChange={(event) => showCatchmentSet(event.target.value)} data-testid="catchment-set-select">
            {sets.map((entry) => (
              <option key={entry.key} value={entry.key}>
                {setLabel(entry.service, entry.language)} ({entry.count})
              </option>
            ))}
          </select>
        </label>
      )}
      {sets.length === 1 && <p className="legend-caption">{setLabel(sets[0]!.service, sets[0]!.language)}</p>}
      <ul className="legend-list legend-list--inline" aria-hidden="true">
        {CATCHMENT_PALETTE.slice(0, 5).map((colour) => (
          <li key={colour}>
            <LegendSwatch shape="area" colour={withOpacity(colour, CATCHMENT_FILL_OPACITY * 2)} outline={darker(colour, 0.75)} />
          </li>
        ))}
      </ul>
      <p className="legend-note">{t('legend.catchmentColours')}</p>
      {origins.includes('generated') && <p className="legend-note legend-note--emphasis">{t('legend.catchmentsGenerated')}</p>}
    </>
  );
}

function FeedbackLegend() {
  const { t } = useTranslation();
  const count = useLayerStore((state) => state.featureCounts.feedback);
  return (
    <>
      <ul className="legend-list">
        <LegendRow symbol={<LegendSwatch shape="triangle" colour={FEEDBACK_COLOUR} />}>{t('layers.feedback.legend')}</LegendRow>
      </ul>
      {count === 0 && <p className="legend-note">{t('layers.feedback.empty')}</p>}
    </>
  );
}

function ResidentialPointsLegend() {
  const { t } = useTranslation();
  const count = useLayerStore((state) => state.featureCounts.residential_points);
  return (
    <>
      <ul className="legend-list">
        <LegendRow symbol={<LegendSwatch shape="dot" colour={RESIDENTIAL_POINT_COLOUR} />}>{t('layers.residential_points.legend')}</LegendRow>
      </ul>
      <p className="legend-note">{t(count === 0 ? 'layers.residential_points.empty' : 'layers.residential_points.note')}</p>
    </>
  );
}

export function LayerPanel() {
  const { t } = useTranslation();
  const language = useUiStore((state) => state.language);
  const basemapStatus = useUiStore((state) => state.basemapStatus);
  const densityBreaks = useLayerStore((state) => state.densityBreaks);
  const gridBreaks = useLayerStore((state) => state.gridBreaks);

  const basemapStatusText =
    basemapStatus === 'online' ? t('layers.basemap.attribution') : basemapStatus === 'probing' ? t('layers.basemap.probing') : t('layers.basemap.offline');

  return (
    <aside className="layer-panel" aria-label={t('layers.panelTitle')} data-testid="layer-panel">
      <h2 className="panel-title">
        <LayersIcon />
        {t('layers.panelTitle')}
      </h2>
      <div className="layer-list">
        <LayerEntry layerKey="facilities">
          <ul className="legend-list">
            <LegendRow symbol={<LegendSwatch shape="circle" colour={LANGUAGE_COLOURS.fi} />}>{t('legend.facilityFinnish')}</LegendRow>
            <LegendRow symbol={<LegendSwatch shape="circle" colour={LANGUAGE_COLOURS.sv} />}>{t('legend.facilitySwedish')}</LegendRow>
            <LegendRow symbol={<LegendSwatch shape="square" colour="#6b7686" />}>{t('legend.facilityDaycare')}</LegendRow>
            <LegendRow symbol={<LegendSwatch shape="hollow-circle" colour="#6b7686" />}>{t('legend.facilityPlanned')}</LegendRow>
            <LegendRow symbol={<LegendSwatch shape="circle" colour={CLOSED_FACILITY_COLOUR} />}>{t('legend.facilityClosed')}</LegendRow>
          </ul>
        </LayerEntry>
        <LayerEntry layerKey="catchments">
          <CatchmentLegend />
        </LayerEntry>
        <LayerEntry layerKey="demand_small_areas">
          <ClassLegend breaks={densityBreaks} unit={t('legend.densityUnit')} outline language={language} />
        </LayerEntry>
        <LayerEntry layerKey="demand_grid">
          <ClassLegend breaks={gridBreaks} unit={t('legend.gridUnit')} outline={false} language={language} />
        </LayerEntry>
        <LayerEntry layerKey="municipality">
          <ul className="legend-list">
            <LegendRow symbol={<LegendSwatch shape="line" colour={MUNICIPALITY_OUTLINE} />}>{t('legend.municipality')}</LegendRow>
          </ul>
        </LayerEntry>
        <LayerEntry layerKey="residential_points">
          <ResidentialPointsLegend />
        </LayerEntry>
        <LayerEntry layerKey="feedback">
          <FeedbackLegend />
        </LayerEntry>
        <LayerEntry layerKey="basemap" disabled={basemapStatus === 'offline'} status={basemapStatusText} footer={<BasemapSettings />} />
        <ImportedSources />
      </div>
    </aside>
  );
}
