/**
 * The side panel: the clicked feature's attributes (getFeature) with translated labels, plus what is
 * related to it: a facility's services and capacities, a demand unit's population by year and age band.
 * Notes tell when values are illustrative or a catchment was generated.
 */
import { SelectionKpis } from '../analysis/selection-kpis';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FeatureDetails } from '../../shared/contract/host-api';
import type { LayerId } from '../../shared/domain/project';
import type { UiLanguage } from '../../shared/i18n';
import { useProjectStore } from '../state/project-store';
import { useSelectionStore, type FeatureReference } from '../state/selection-store';
import { useUiStore } from '../state/ui-store';
import { attributeKeys, attributeLabel, featureTitle, formatAttribute } from './attribute-format';
import { formatNumber, formatPercent } from './format';
import { useHost } from './host-context';
import { CloseIcon, InfoIcon, Spinner } from './icons';

/** Age bands of the planning vocabulary: daycare 0–2 and 3–5, pre-primary 6, grades 1–6 and 7–9. */
export const AGE_BANDS: ReadonlyArray<{ key: string; from: number; to: number }> = [
  { key: '0_2', from: 0, to: 2 },
  { key: '3_5', from: 3, to: 5 },
  { key: '6', from: 6, to: 6 },
  { key: '7_12', from: 7, to: 12 },
  { key: '13_15', from: 13, to: 15 },
];

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Sum of single-year ages in a band, or null when any year is missing (suppressed or unknown). */
export function bandTotal(ages: unknown, from: number, to: number): number | null {
  if (!Array.isArray(ages)) return null;
  let sum = 0;
  for (let age = from; age <= to; age += 1) {
    const value = numberOrNull(ages[age]);
    if (value === null) return null;
    sum += value;
  }
  return sum;
}

function ServicesTable({ rows, language }: { rows: Record<string, unknown>[]; language: UiLanguage }) {
  const { t } = useTranslation();
  const show = (value: number | null) => (value === null ? '–' : formatNumber(value, language));
  let capacityTotal = 0;
  let enrolmentTotal = 0;
  return (
    <div className="table-scroll">
    <table className="data-table data-table--compact" data-testid="facility-services">
      <thead>
        <tr>
          <th scope="col">{t('sidePanel.services.service')}</th>
          <th scope="col" className="numeric" title={t('sidePanel.services.capacity')}>{t('sidePanel.services.capacityShort')}</th>
          <th scope="col" className="numeric" title={t('sidePanel.services.enrolment')}>{t('sidePanel.services.enrolmentShort')}</th>
          <th scope="col" className="numeric" title={t('sidePanel.services.utilisation')}>{t('sidePanel.services.utilisationShort')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => {
          const capacity = numberOrNull(row.capacity);
          const enrolment = numberOrNull(row.enrolment);
          capacityTotal += capacity ?? 0;
          enrolmentTotal += enrolment ?? 0;
          const service = String(row.service ?? '');
          return (
            <tr key={`${service}-${index}`}>
              <td>{t(`values.service.${service}`, { defaultValue: service })}</td>
              <td className="numeric">{show(capacity)}</td>
              <td className="numeric">{show(enrolment)}</td>
              <td className="numeric">{capacity && enrolment !== null ? formatPercent(enrolment / capacity, language) : '–'}</td>
            </tr>
          );
        })}
      </tbody>
      {rows.length > 1 && (
        <tfoot>
          <tr>
            <th scope="row">{t('sidePanel.total')}</th>
            <td className="numeric">{formatNumber(capacityTotal, language)}</td>
            <td className="numeric">{formatNumber(enrolmentTotal, language)}</td>
            <td className="numeric">{capacityTotal > 0 ? formatPercent(enrolmentTotal / capacityTotal, language) : '–'}</td>
          </tr>
        </tfoot>
      )}
    </table>
    </div>
  );
}

function PopulationTable({ rows, language }: { rows: Record<string, unknown>[]; language: UiLanguage }) {
  const { t } = useTranslation();
  const sorted = [...rows].sort((a, b) => Number(a.year) - Number(b.year));
  const show = (value: number | null) => (value === null ? '–' : formatNumber(value, language));
  return (
    <div className="table-scroll">
      <table className="data-table data-table--compact" data-testid="population-table">
        <thead>
          <tr>
            <th scope="col">{t('sidePanel.population.year')}</th>
            {AGE_BANDS.map((band) => (
              <th scope="col" className="numeric" key={band.key}>
                {t(`sidePanel.population.band.${band.key}`)}
              </th>
            ))}
            <th scope="col" className="numeric">{t('sidePanel.population.total')}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((row, index) => {
            const source = String(row.source ?? '');
            return (
              <tr key={`${String(row.year)}-${source}-${index}`} className={source === 'forecast' ? 'row--forecast' : undefined}>
                <th scope="row" title={t(`values.populationSource.${source}`, { defaultValue: source })}>
                  {String(row.year ?? '–')}
                  {source && source !== 'observed' ? <span className="source-mark">{t(`values.populationSourceShort.${source}`, { defaultValue: source })}</span> : null}
                </th>
                {AGE_BANDS.map((band) => (
                  <td className="numeric" key={band.key}>
                    {show(bandTotal(row.ages, band.from, band.to))}
                  </td>
                ))}
                <td className="numeric">{show(numberOrNull(row.total))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="panel-note muted">{t('sidePanel.population.note')}</p>
    </div>
  );
}

function GenericTable({ rows, language }: { rows: Record<string, unknown>[]; language: UiLanguage }) {
  const { t } = useTranslation();
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return (
    <div className="table-scroll">
      <table className="data-table data-table--compact">
        <thead>
          <tr>
            {keys.map((key) => (
              <th scope="col" key={key}>
                {t(`attributes.common.${key}`, { defaultValue: key })}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              {keys.map((key) => (
                <td key={key}>{formatAttribute(t, language, key, row[key])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RelatedRows({ layer, rows, language }: { layer: LayerId; rows: Record<string, unknown>[]; language: UiLanguage }) {
  const { t } = useTranslation();
  if (layer === 'facilities') {
    return (
      <section className="panel-section">
        <h3>{t('sidePanel.services.title')}</h3>
        {rows.length === 0 ? <p className="muted">{t('sidePanel.services.none')}</p> : <ServicesTable rows={rows} language={language} />}
      </section>
    );
  }
  if (layer === 'demand_units') {
    return (
      <section className="panel-section">
        <h3>{t('sidePanel.population.title')}</h3>
        {rows.length === 0 ? <p className="muted">{t('sidePanel.population.none')}</p> : <PopulationTable rows={rows} language={language} />}
      </section>
    );
  }
  if (rows.length === 0) return null;
  return (
    <section className="panel-section">
      <h3>{t('sidePanel.related')}</h3>
      <GenericTable rows={rows} language={language} />
    </section>
  );
}

export function SidePanel() {
  const { t } = useTranslation();
  const host = useHost();
  const selected = useSelectionStore((state) => state.selected);
  const select = useSelectionStore((state) => state.select);
  const language = useUiStore((state) => state.language);
  const reportError = useUiStore((state) => state.reportError);
  const layerRevision = useProjectStore((state) => (selected ? state.layerRevisions[selected.layer] : 0));
  const editRevision = useProjectStore((state) => state.editRevision);
  const [loaded, setLoaded] = useState<{ reference: FeatureReference; details: FeatureDetails } | null>(null);
  const [facilityName, setFacilityName] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (!selected) {
      setLoaded(null);
      return;
    }
    let cancelled = false;
    setLoading(true);
    host
      .getFeature({ layer: selected.layer, fid: selected.fid })
      .then((result) => {
        if (!cancelled) setLoaded({ reference: selected, details: result });
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        setLoaded(null);
        select(null);
        reportError(error);
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [host, selected, layerRevision, editRevision, select, reportError]);

  // A catchment names its facility by fid; look the name up so the panel says which school it belongs to.
  const shown = loaded && loaded.reference === selected ? loaded.details : null;
  const facilityFid = selected?.layer === 'catchments' ? numberOrNull(shown?.feature.properties.facility_fid) : null;
  useEffect(() => {
    setFacilityName(null);
    if (facilityFid === null) return;
    let cancelled = false;
    host
      .getFeature({ layer: 'facilities', fid: facilityFid })
      .then((result) => {
        if (!cancelled) setFacilityName(featureTitle('facilities', result.feature.properties, language, facilityFid));
      })
      .catch(() => {
        // The fid stays visible; a missing facility is not worth an error banner here.
      });
    return () => {
      cancelled = true;
    };
  }, [host, facilityFid, language]);

  const properties = (shown?.feature.properties ?? {}) as Record<string, unknown>;

  return (
    <aside className="side-panel" data-testid="side-panel" aria-label={t('sidePanel.title')} aria-busy={loading}>
      {!selected ? (
        <div className="side-panel-empty">
          <InfoIcon width={28} height={28} />
          <p>{t('sidePanel.empty')}</p>
        </div>
      ) : !shown ? (
        <div className="side-panel-empty">
          <Spinner />
          <p>{t('common.loading')}</p>
        </div>
      ) : (
        <>
          <header className="side-panel-header">
            <div>
              <p className="side-panel-layer">{t(`layers.byId.${selected.layer}`)}</p>
              <h2 className="side-panel-title" data-testid="feature-name">
                {featureTitle(selected.layer, properties, language, selected.fid)}
              </h2>
            </div>
            <button type="button" className="icon-button" onClick={() => select(null)} aria-label={t('sidePanel.clear')} title={t('sidePanel.clear')}>
              <CloseIcon />
            </button>
          </header>
          <div className="side-panel-body">
            {selected.layer === 'facilities' && properties.illustrative === 1 && (
              <p className="panel-callout" data-testid="illustrative-note">
                {t('sidePanel.illustrativeNote')}
              </p>
            )}
            {selected.layer === 'catchments' && properties.origin === 'generated' && (
              <p className="panel-callout" data-testid="generated-note">
                {t('sidePanel.generatedNote')}
              </p>
            )}
            <SelectionKpis layer={selected.layer} fid={selected.fid} />
            <section className="panel-section">
              <h3>{t('sidePanel.attributes')}</h3>
              <dl className="attribute-list">
                {attributeKeys(selected.layer, properties).map((key) => (
                  <div className="attribute-row" key={key}>
                    <dt>{attributeLabel(t, selected.layer, key)}</dt>
                    <dd>{key === 'facility_fid' && facilityName ? facilityName : formatAttribute(t, language, key, properties[key])}</dd>
                  </div>
                ))}
              </dl>
            </section>
            <RelatedRows layer={selected.layer} rows={shown.related} language={language} />
          </div>
        </>
      )}
    </aside>
  );
}
