/** A small SVG chart: users against capacity per year, forecast years shaded, the chosen year marked. */
import { useTranslation } from 'react-i18next';

export interface ChartPoint {
  year: number;
  users: number | null;
  capacity: number | null;
}

export function KpiChart({ points, year, forecastYears, title, testId }: { points: ChartPoint[]; year: number | null; forecastYears: number[]; title: string; testId?: string }) {
  const { t } = useTranslation();
  const known = points.filter((point) => point.users !== null || point.capacity !== null);
  if (known.length === 0) return null;
  const width = 280;
  const height = 120;
  const left = 40;
  const right = 8;
  const top = 8;
  const bottom = 20;
  const years = known.map((point) => point.year);
  const minYear = Math.min(...years);
  const maxYear = Math.max(...years);
  const maxValue = Math.max(1, ...known.flatMap((point) => [point.users ?? 0, point.capacity ?? 0])) * 1.08;
  const x = (value: number) => left + (maxYear === minYear ? (width - left - right) / 2 : ((value - minYear) / (maxYear - minYear)) * (width - left - right));
  const y = (value: number) => top + (1 - value / maxValue) * (height - top - bottom);
  const path = (key: 'users' | 'capacity') =>
    known
      .filter((point) => point[key] !== null)
      .map((point, index) => `${index === 0 ? 'M' : 'L'}${x(point.year).toFixed(1)},${y(point[key]!).toFixed(1)}`)
      .join(' ');
  const forecastStart = forecastYears.length ? Math.min(...forecastYears.filter((value) => value >= minYear)) : null;
  const ticks = [0, maxValue / 2 / 1.08, maxValue / 1.08].map((value) => Math.round(value));
  return (
    <figure className="kpi-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={title}>
        {forecastStart !== null && Number.isFinite(forecastStart) && forecastStart <= maxYear && (
          <rect x={x(forecastStart) - 2} y={top} width={x(maxYear) - x(forecastStart) + 4} height={height - top - bottom} className="kpi-chart-forecast" />
        )}
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={left} x2={width - right} y1={y(tick)} y2={y(tick)} className="kpi-chart-grid" />
            <text x={left - 4} y={y(tick) + 3} textAnchor="end" className="kpi-chart-label">
              {tick >= 10_000 ? `${Math.round(tick / 1000)}k` : tick}
            </text>
          </g>
        ))}
        <text x={left} y={height - 4} className="kpi-chart-label">{minYear}</text>
        <text x={width - right} y={height - 4} textAnchor="end" className="kpi-chart-label">{maxYear}</text>
        {year !== null && year >= minYear && year <= maxYear && <line x1={x(year)} x2={x(year)} y1={top} y2={height - bottom} className="kpi-chart-year" />}
        <path d={path('capacity')} className="kpi-chart-capacity" />
        <path d={path('users')} className="kpi-chart-users" />
      </svg>
      <div className="kpi-chart-legend">
        <span className="kpi-chart-key kpi-chart-key--users">{t('analysis.chartLegendUsers')}</span>
        <span className="kpi-chart-key kpi-chart-key--capacity">{t('analysis.chartLegendCapacity')}</span>
      </div>
    </figure>
  );
}
