/** The KPI panel of the selected facility, catchment or small area, for the chosen year and service. */
import { useTranslation } from 'react-i18next';
import type { KpiRow } from '../../shared/analysis/kpi';
import type { KpiColumn } from '../../shared/analysis/kpi-table';
import { analysisSettingsFrom } from '../../shared/analysis/settings';
import type { LayerId } from '../../shared/domain/project';
import { useUiStore } from '../state/ui-store';
import { TRAFFIC_LIGHT } from './analysis-colours';
import { useAnalysisStore } from './analysis-store';
import { KpiChart } from './kpi-chart';
import { formatKpi } from './kpi-format';

const SHOWN: KpiColumn[] = ['eligible', 'users', 'capacity', 'utilisation', 'surplus', 'travelMeanM', 'travelP90M', 'travelMaxM', 'overLimitShare', 'costPerUser', 'm2PerUser', 'investmentNeedEur'];

export function SelectionKpis({ layer, fid }: { layer: LayerId; fid: number }) {
  const { t } = useTranslation();
  const language = useUiStore((state) => state.language);
  const { result, series, year, service, presentation, forecastYears } = useAnalysisStore();
  const settings = analysisSettingsFrom(useAnalysisStore((state) => state.settings));
  if (!result || (layer !== 'facilities' && layer !== 'catchments' && layer !== 'demand_units')) return null;
  let row: KpiRow | undefined;
  if (layer === 'facilities') row = result.facilities.find((entry) => entry.fid === fid);
  else if (layer === 'catchments') row = result.catchments.find((entry) => entry.fid === fid);
  else row = result.areas.find((entry) => entry.fid === fid);
  const suppress = presentation ? settings.privacyThreshold : 0;
  const noValue = t('analysis.noValue');
  const facilityFid = row?.facilityFid ?? null;
  const points =
    facilityFid !== null && series
      ? series.map((point) => ({ year: point.year, users: point.facilities[facilityFid]?.[0] ?? null, capacity: point.facilities[facilityFid]?.[1] ?? null }))
      : [];
  return (
    <section className="panel-section kpi-panel" data-testid="kpi-panel">
      <h3>
        {t('analysis.title')}: {t(`values.service.${service}`)} {year}
      </h3>
      {!row ? (
        <p className="muted" data-testid="kpi-none">{t('analysis.gaps.noCatchments')}</p>
      ) : (
        <>
          <dl className="attribute-list">
            {SHOWN.filter((column) => layer !== 'demand_units' || column === 'eligible' || column === 'users').map((column) => (
              <div className="attribute-row" key={column}>
                <dt>{t(`analysis.columns.${column}`)}</dt>
                <dd data-testid={`kpi-${column}`}>
                  {column === 'utilisation' && row!.band ? <span className="analysis-swatch" style={{ background: TRAFFIC_LIGHT[row!.band] }} /> : null}
                  {formatKpi(row!, column, language, suppress, noValue)}
                </dd>
              </div>
            ))}
          </dl>
          {row.gaps.length > 0 && (
            <ul className="kpi-gaps" data-testid="kpi-gaps">
              {row.gaps.map((gap) => (
                <li key={gap}>{t(`analysis.gaps.${gap}`)}</li>
              ))}
            </ul>
          )}
          {points.length > 1 && <KpiChart points={points} year={year} forecastYears={forecastYears} title={t('analysis.chartUsers')} testId="kpi-chart" />}
        </>
      )}
    </section>
  );
}
