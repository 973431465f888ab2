/** How a KPI value reads in the panel and the table: numbers in the UI language, "<5" in presentation mode. */
import type { KpiRow } from '../../shared/analysis/kpi';
import type { KpiColumn } from '../../shared/analysis/kpi-table';
import { isSuppressed } from '../../shared/analysis/privacy';
import type { UiLanguage } from '../../shared/i18n';
import { formatEuros, formatNumber, formatPercent } from '../app/format';

const COUNT_COLUMNS = new Set<KpiColumn>(['eligible', 'users', 'outsideUsers']);
const REVEALING_COLUMNS = new Set<KpiColumn>(['utilisation', 'surplus', 'costPerUser', 'm2PerUser']);

/** The text of one KPI cell; `noValue` for a missing value (the row's gaps say why). */
export function formatKpi(row: KpiRow, column: KpiColumn, language: UiLanguage, suppressBelow: number, noValue: string): string {
  const value = row[column as keyof KpiRow];
  if (value === null || value === undefined) return noValue;
  if (typeof value !== 'number') return String(value);
  if (suppressBelow > 0) {
    if (COUNT_COLUMNS.has(column) && isSuppressed(value, suppressBelow)) return `<${suppressBelow}`;
    if (REVEALING_COLUMNS.has(column) && row.users !== null && isSuppressed(row.users, suppressBelow)) return `<${suppressBelow}`;
  }
  switch (column) {
    case 'utilisation':
    case 'overLimitShare':
      return formatPercent(value, language);
    case 'costPerUser':
    case 'investmentNeedEur':
      return formatEuros(value, language);
    case 'm2PerUser':
      return formatNumber(value, language, 1);
    case 'travelMeanM':
    case 'travelP90M':
    case 'travelMaxM':
      return `${formatNumber(value, language)} m`;
    case 'surplus':
      return `${value > 0 ? '+' : ''}${formatNumber(value, language)}`;
    default:
      return formatNumber(value, language);
  }
}
