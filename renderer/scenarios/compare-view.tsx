/**
 * Two scenarios side by side or with a swipe: synchronised maps coloured by utilisation, network totals per
 * year with the difference, a chart of users against capacity, and the facilities whose figures change most.
 * Opens from the scenario dialog; A defaults to the baseline and B to the scenario shown.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KpiRow } from '../../shared/analysis/kpi';
import { DEMAND_SERVICES, type DemandService } from '../../shared/analysis/settings';
import type { ScenarioComparison } from '../../shared/contract/host-api';
import type { FeatureCollection } from '../../shared/domain/project';
import { useAnalysisStore } from '../analysis/analysis-store';
import { formatNumber, formatPercent } from '../app/format';
import { useHost, useReportingCall } from '../app/host-context';
import { Modal } from '../app/modal';
import { useProjectStore } from '../state/project-store';
import { useUiStore } from '../state/ui-store';
import { ComparisonMaps } from './comparison-map';
import { SwipeMaps } from './swipe-maps';
import { useScenarioStore } from './scenario-store';

function delta(a: number | null | undefined, b: number | null | undefined, language: Parameters<typeof formatNumber>[1]): string {
  if (a == null || b == null) return '–';
  const difference = Math.round(b - a);
  return difference === 0 ? '±0' : `${difference > 0 ? '+' : '−'}${formatNumber(Math.abs(difference), language)}`;
}

function Chart({ comparison }: { comparison: ScenarioComparison }) {
  const { t } = useTranslation();
  const width = 520;
  const height = 180;
  const points = comparison.network;
  const values = points.flatMap((point) => [point.a.users, point.b.users, point.a.capacity, point.b.capacity]).filter((value): value is number => value !== null);
  if (points.length === 0 || values.length === 0) return null;
  const max = Math.max(...values) * 1.1;
  const x = (index: number) => (points.length === 1 ? width / 2 : 40 + (index * (width - 60)) / (points.length - 1));
  const y = (value: number) => height - 20 - (value / max) * (height - 30);
  const line = (pick: (point: (typeof points)[number]) => number | null) =>
    points
      .map((point, index) => ({ index, value: pick(point) }))
      .filter((entry): entry is { index: number; value: number } => entry.value !== null)
      .map((entry, order) => `${order === 0 ? 'M' : 'L'}${x(entry.index).toFixed(1)},${y(entry.value).toFixed(1)}`)
      .join(' ');
  return (
    <figure className="compare-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={t('compare.chart')}>
        <path d={line((point) => point.a.capacity)} className="compare-line compare-line--capacity-a" />
        <path d={line((point) => point.b.capacity)} className="compare-line compare-line--capacity-b" />
        <path d={line((point) => point.a.users)} className="compare-line compare-line--a" />
        <path d={line((point) => point.b.users)} className="compare-line compare-line--b" />
        {points.map((point, index) => (
          <text key={point.year} x={x(index)} y={height - 4} textAnchor="middle" className="compare-axis">
            {point.year}
          </text>
        ))}
      </svg>
      <figcaption>
        <span className="compare-key compare-key--a">{t('compare.usersA')}</span>
        <span className="compare-key compare-key--b">{t('compare.usersB')}</span>
        <span className="compare-key compare-key--capacity">{t('compare.capacity')}</span>
      </figcaption>
    </figure>
  );
}

export function CompareView({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const host = useHost();
  const run = useReportingCall();
  const language = useUiStore((state) => state.language);
  const summary = useProjectStore((state) => state.summary);
  const scenarios = useScenarioStore((state) => state.state);
  const analysis = useAnalysisStore();
  const [a, setA] = useState(0);
  const [b, setB] = useState(scenarios?.activeFid ?? 0);
  const [service, setService] = useState<DemandService>(analysis.service);
  const [year, setYear] = useState<number | null>(analysis.year);
  const [comparison, setComparison] = useState<ScenarioComparison | null>(null);
  const [layout, setLayout] = useState<'side' | 'swipe'>('side');
  const leftRef = useRef<HTMLDivElement>(null);
  const rightRef = useRef<HTMLDivElement>(null);
  const mapsRef = useRef<ComparisonMaps | null>(null);

  useEffect(() => {
    if (!leftRef.current || !rightRef.current || !summary) return;
    const maps = new ComparisonMaps([leftRef.current, rightRef.current], summary.epsg);
    mapsRef.current = maps;
    (window as unknown as { __verkostoCompare?: ComparisonMaps }).__verkostoCompare = maps;
    return () => {
      maps.dispose();
      mapsRef.current = null;
    };
  }, [summary]);

  useEffect(() => {
    // The containers change size with the layout: the maps must measure again or they draw stretched.
    mapsRef.current?.updateSize();
  }, [layout]);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const result = await run(() => host.compareScenarios({ a, b, service, year }));
      if (!result || cancelled) return;
      setComparison(result);
      const load = (scenarioFid: number) =>
        Promise.all([
          host.getLayerFeatures({ layer: 'catchments', scenarioFid }),
          host.getLayerFeatures({ layer: 'facilities', scenarioFid }),
          host.getLayerFeatures({ layer: 'municipality', scenarioFid }),
        ]) as Promise<[FeatureCollection<'catchments'>, FeatureCollection<'facilities'>, FeatureCollection<'municipality'>]>;
      const sides = await run(() => Promise.all([load(a), load(b)]));
      if (!sides || cancelled || !mapsRef.current) return;
      // One language's catchments tile the map; the language with most catchments of the service.
      const counts = new Map<string, number>();
      for (const feature of sides[0][0].features) if (feature.properties.service === service) counts.set(feature.properties.language, (counts.get(feature.properties.language) ?? 0) + 1);
      const shownLanguage = [...counts.entries()].sort((left, right) => right[1] - left[1])[0]?.[0] ?? null;
      const onlyService = (collection: (typeof sides)[0][0]) => ({ ...collection, features: collection.features.filter((feature) => feature.properties.service === service) });
      const extent = mapsRef.current.show(0, { catchments: onlyService(sides[0][0]), facilities: sides[0][1], municipality: sides[0][2], bands: result.bands.a }, shownLanguage, result.year);
      mapsRef.current.show(1, { catchments: onlyService(sides[1][0]), facilities: sides[1][1], municipality: sides[1][2], bands: result.bands.b }, shownLanguage, result.year);
      if (extent && Number.isFinite(extent[0])) mapsRef.current.fit(extent);
    })();
    return () => {
      cancelled = true;
    };
  }, [host, run, a, b, service, year]);

  const options = [{ fid: 0, name: t('scenarios.baseline') }, ...(scenarios?.scenarios ?? []).map((scenario) => ({ fid: scenario.fid, name: scenario.name }))];
  const nameOf = (fid: number) => options.find((option) => option.fid === fid)?.name ?? '';
  const number = (value: number | null | undefined) => (value == null ? '–' : formatNumber(value, language));
  const percent = (value: number | null | undefined) => (value == null ? '–' : formatPercent(value, language));
  const changed = (comparison?.facilities ?? []).filter((row) => Math.round(row.a?.users ?? 0) !== Math.round(row.b?.users ?? 0) || row.a?.capacity !== row.b?.capacity);
  const networkRow = (side: 'a' | 'b'): KpiRow | undefined => comparison?.network.find((entry) => entry.year === comparison.year)?.[side];

  return (
    <Modal title={t('compare.title')} onClose={onClose} wide testId="compare-view">
      <div className="compare-controls">
        <label className="field">
          <span className="field-label">A</span>
          <select value={a} onChange={(event) => setA(Number(event.target.value))} data-testid="compare-a">
            {options.map((option) => (
              <option key={option.fid} value={option.fid}>
                {option.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">B</span>
          <select value={b} onChange={(event) => setB(Number(event.target.value))} data-testid="compare-b">
            {options.map((option) => (
              <option key={option.fid} value={option.fid}>
                {option.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('compare.service')}</span>
          <select value={service} onChange={(event) => setService(event.target.value as DemandService)}>
            {DEMAND_SERVICES.map((entry) => (
              <option key={entry} value={entry}>
                {t(`report.service.${entry}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('compare.year')}</span>
          <select value={comparison?.year ?? ''} onChange={(event) => setYear(Number(event.target.value))} data-testid="compare-year">
            {(comparison?.years ?? []).map((entry) => (
              <option key={entry} value={entry}>
                {entry}
              </option>
            ))}
          </select>
        </label>
      </div>
      <SwipeMaps layout={layout} onLayout={setLayout} leftRef={leftRef} rightRef={rightRef} nameA={nameOf(a)} nameB={nameOf(b)} />
      {comparison && (
        <div className="compare-figures">
          <table className="compare-table" data-testid="compare-network">
            <thead>
              <tr>
                <th />
                <th>A</th>
                <th>B</th>
                <th>{t('compare.delta')}</th>
              </tr>
            </thead>
            <tbody>
              {(['eligible', 'users', 'capacity'] as const).map((key) => (
                <tr key={key}>
                  <th>{t(`report.column.${key}`)}</th>
                  <td>{number(networkRow('a')?.[key])}</td>
                  <td>{number(networkRow('b')?.[key])}</td>
                  <td data-testid={`compare-delta-${key}`}>{delta(networkRow('a')?.[key], networkRow('b')?.[key], language)}</td>
                </tr>
              ))}
              <tr>
                <th>{t('report.column.utilisation')}</th>
                <td>{percent(networkRow('a')?.utilisation)}</td>
                <td>{percent(networkRow('b')?.utilisation)}</td>
                <td />
              </tr>
              <tr>
                <th>{t('report.column.overLimit')}</th>
                <td data-testid="compare-over-limit-a">{percent(networkRow('a')?.overLimitShare)}</td>
                <td data-testid="compare-over-limit-b">{percent(networkRow('b')?.overLimitShare)}</td>
                <td />
              </tr>
            </tbody>
          </table>
          <Chart comparison={comparison} />
        </div>
      )}
      {comparison && comparison.network.length > 0 && (
        <>
          <h3>{t('compare.byYear')}</h3>
          <table className="compare-table compare-table--wide" data-testid="compare-years">
            <thead>
              <tr>
                <th>{t('compare.year')}</th>
                <th>{t('compare.usersA')}</th>
                <th>{t('compare.usersB')}</th>
                <th>{t('compare.delta')}</th>
                <th>{t('compare.capacityA')}</th>
                <th>{t('compare.capacityB')}</th>
                <th>{t('compare.delta')}</th>
                <th>{t('compare.utilisationA')}</th>
                <th>{t('compare.utilisationB')}</th>
              </tr>
            </thead>
            <tbody>
              {comparison.network.map((point) => (
                <tr key={point.year} aria-current={point.year === comparison.year ? 'true' : undefined}>
                  <th>{point.year}</th>
                  <td>{number(point.a.users)}</td>
                  <td>{number(point.b.users)}</td>
                  <td>{delta(point.a.users, point.b.users, language)}</td>
                  <td>{number(point.a.capacity)}</td>
                  <td>{number(point.b.capacity)}</td>
                  <td>{delta(point.a.capacity, point.b.capacity, language)}</td>
                  <td>{percent(point.a.utilisation)}</td>
                  <td>{percent(point.b.utilisation)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {comparison && (
        <>
          <h3>{t('compare.facilities', { count: changed.length, year: comparison.year ?? '' })}</h3>
          <table className="compare-table compare-table--wide" data-testid="compare-facilities">
            <thead>
              <tr>
                <th>{t('report.column.facility')}</th>
                <th>{t('compare.usersA')}</th>
                <th>{t('compare.usersB')}</th>
                <th>{t('compare.delta')}</th>
                <th>{t('compare.utilisationA')}</th>
                <th>{t('compare.utilisationB')}</th>
              </tr>
            </thead>
            <tbody>
              {changed.slice(0, 50).map((row) => (
                <tr key={row.fid}>
                  <th>{row.name}</th>
                  <td>{number(row.a?.users)}</td>
                  <td>{number(row.b?.users)}</td>
                  <td>{delta(row.a?.users ?? 0, row.b?.users ?? 0, language)}</td>
                  <td>{percent(row.a?.utilisation)}</td>
                  <td>{percent(row.b?.utilisation)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Modal>
  );
}
