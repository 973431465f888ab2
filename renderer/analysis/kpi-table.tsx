/**
 * The KPI table: every catchment, facility, network and small-area row of the chosen year and service,
 * sortable by any column, filtered by level, exported to CSV and XLSX (with "<5" in presentation mode).
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KpiLevel, KpiRow } from '../../shared/analysis/kpi';
import { allRows, KPI_COLUMNS, rowCells, toCsv, type KpiColumn } from '../../shared/analysis/kpi-table';
import { analysisSettingsFrom } from '../../shared/analysis/settings';
import { CloseIcon } from '../app/icons';
import { useSelectionStore } from '../state/selection-store';
import { useUiStore } from '../state/ui-store';
import { useAnalysisStore } from './analysis-store';
import { KpiChart } from './kpi-chart';
import { formatKpi } from './kpi-format';

const SHOWN: KpiColumn[] = ['name', 'language', 'eligible', 'users', 'capacity', 'utilisation', 'surplus', 'travelMeanM', 'travelP90M', 'overLimitShare', 'costPerUser', 'm2PerUser', 'gaps'];
const LEVELS: (KpiLevel | 'all')[] = ['facility', 'catchment', 'area', 'all'];

function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function KpiTable() {
  const { t } = useTranslation();
  const language = useUiStore((state) => state.language);
  const { result, series, year, service, presentation, forecastYears, setTableOpen } = useAnalysisStore();
  const settings = analysisSettingsFrom(useAnalysisStore((state) => state.settings));
  const select = useSelectionStore((state) => state.select);
  const [level, setLevel] = useState<KpiLevel | 'all'>('facility');
  const [sort, setSort] = useState<{ column: KpiColumn; descending: boolean }>({ column: 'utilisation', descending: true });
  const suppress = presentation ? settings.privacyThreshold : 0;
  const noValue = t('analysis.noValue');

  const rows = useMemo(() => {
    if (!result) return [];
    const chosen = allRows(result).filter((row) => level === 'all' || row.level === level);
    const value = (row: KpiRow) => (sort.column === 'gaps' ? row.gaps.length : (row[sort.column as keyof KpiRow] as unknown));
    return [...chosen].sort((a, b) => {
      const left = value(a);
      const right = value(b);
      // Missing values sort last either way: a gap is not a small number.
      if (left === null || left === undefined) return right === null || right === undefined ? 0 : 1;
      if (right === null || right === undefined) return -1;
      const order = typeof left === 'number' && typeof right === 'number' ? left - right : String(left).localeCompare(String(right), language);
      return sort.descending ? -order : order;
    });
  }, [result, level, sort, language]);

  if (!result) return null;
  const tableOptions = { suppressBelow: suppress, gapText: (code: string) => t(`analysis.gaps.${code}`) };
  const fileName = `verkosto-kpi-${service}-${year}`;
  const exportCsv = () => download(`${fileName}.csv`, new Blob([`\ufeff${toCsv(rows, tableOptions)}`], { type: 'text/csv;charset=utf-8' }));
  const exportXlsx = async () => {
    const XLSX = await import('xlsx');
    const sheet = XLSX.utils.aoa_to_sheet([KPI_COLUMNS.map((column) => t(`analysis.columns.${column}`)), ...rows.map((row) => rowCells(row, tableOptions))]);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, `KPI ${year}`);
    const bytes = XLSX.write(book, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer;
    download(`${fileName}.xlsx`, new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  };
  const networkPoints = (series ?? []).map((point) => ({ year: point.year, users: point.networkUsers, capacity: point.networkCapacity }));

  return (
    <section className="kpi-drawer" data-testid="kpi-table" aria-label={t('analysis.openTable')}>
      <header className="kpi-drawer-header">
        <h2>
          {t('analysis.title')}: {t(`values.service.${service}`)} {year}
        </h2>
        <label className="analysis-field">
          <span>{t('analysis.levelFilter')}</span>
          <select value={level} onChange={(event) => setLevel(event.target.value as KpiLevel | 'all')} data-testid="kpi-level">
            {LEVELS.map((entry) => (
              <option key={entry} value={entry}>
                {entry === 'all' ? '*' : t(`analysis.level.${entry}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button" onClick={exportCsv} data-testid="export-csv">
          {t('analysis.exportCsv')}
        </button>
        <button type="button" className="button" onClick={() => void exportXlsx()} data-testid="export-xlsx">
          {t('analysis.exportXlsx')}
        </button>
        <button type="button" className="icon-button" onClick={() => setTableOpen(false)} aria-label={t('analysis.closeTable')} title={t('analysis.closeTable')}>
          <CloseIcon />
        </button>
      </header>
      <div className="kpi-drawer-body">
        {networkPoints.length > 1 && <KpiChart points={networkPoints} year={year} forecastYears={forecastYears} title={t('analysis.chartNetwork')} testId="network-chart" />}
        <div className="table-scroll kpi-table-scroll">
          <table className="data-table data-table--compact kpi-table">
            <thead>
              <tr>
                {SHOWN.map((column) => (
                  <th
                    scope="col"
                    key={column}
                    className={column === 'name' || column === 'gaps' || column === 'language' ? undefined : 'numeric'}
                    aria-sort={sort.column === column ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                  >
                    <button type="button" className="sort-button" onClick={() => setSort((current) => ({ column, descending: current.column === column ? !current.descending : true }))}>
                      {t(`analysis.columns.${column}`)}
                      {sort.column === column ? (sort.descending ? ' ▼' : ' ▲') : ''}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr
                  key={`${row.level}-${row.fid ?? 'network'}`}
                  className={row.band ? `kpi-row kpi-row--${row.band}` : 'kpi-row'}
                  onClick={() => {
                    if (row.level === 'facility' && row.fid !== null) select({ layer: 'facilities', fid: row.fid });
                    if (row.level === 'catchment' && row.fid !== null) select({ layer: 'catchments', fid: row.fid });
                    if (row.level === 'area' && row.fid !== null) select({ layer: 'demand_units', fid: row.fid });
                  }}
                >
                  {SHOWN.map((column) => (
                    <td key={column} className={column === 'name' || column === 'gaps' || column === 'language' ? undefined : 'numeric'}>
                      {column === 'gaps'
                        ? row.gaps.map((gap) => t(`analysis.gaps.${gap}`)).join('; ')
                        : column === 'name'
                          ? row.level === 'service'
                            ? t('analysis.network')
                            : row.name
                          : formatKpi(row, column, language, suppress, noValue)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
