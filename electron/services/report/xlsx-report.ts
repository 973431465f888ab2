/**
 * The scenario report as an XLSX workbook: network figures per year (scenario beside the baseline), one
 * sheet of facility KPIs per year, the changes against the baseline and the sources. Small counts are
 * suppressed as in the PDF, so the file can be handed out.
 */
import * as XLSX from 'xlsx';
import type { KpiRow } from '../../../shared/analysis/kpi';
import { suppressCount } from '../../../shared/analysis/privacy';
import type { Translate } from '../translator';
import type { ReportData } from './report-data';
import { describeSettingChange } from '../../../shared/domain/scenario-settings';

type Cell = string | number | null;

const round = (value: number | null, digits = 0) => (value === null ? null : Number(value.toFixed(digits)));

export function renderXlsxReport(data: ReportData, t: Translate): Buffer {
  const threshold = data.privacyThreshold;
  const count = (value: number | null): Cell => (value === null ? null : suppressCount(value, threshold));
  const kpiHeader = [
    t('report.column.eligible'), t('report.column.users'), t('report.column.capacity'), t('report.column.utilisation'), t('report.column.surplus'),
    t('report.column.travelMean'), t('report.column.travelP90'), t('report.column.travelMax'), t('report.column.overLimit'), t('report.column.costPerUser'), t('report.column.gaps'),
  ];
  const kpiCells = (row: KpiRow): Cell[] => [
    count(row.eligible), count(row.users), round(row.capacity), round(row.utilisation, 3), round(row.surplus),
    round(row.travelMeanM === null ? null : row.travelMeanM / 1000, 2), round(row.travelP90M === null ? null : row.travelP90M / 1000, 2),
    round(row.travelMaxM === null ? null : row.travelMaxM / 1000, 2), round(row.overLimitShare, 3), round(row.costPerUser), row.gaps.map((gap) => t(`report.gap.${gap}`, { defaultValue: gap })).join(', '),
  ];
  const book = XLSX.utils.book_new();
  const scenarioLabel = data.scenarioName ?? t('scenarios.baseline');

  const network: Cell[][] = [
    [t('report.title', { scenario: scenarioLabel }), data.projectName, t(`report.service.${data.service}`)],
    [t('report.privacyNote', { threshold })],
    [],
    [t('report.column.year'), t('report.column.variant'), ...kpiHeader],
  ];
  for (const year of data.years) {
    network.push([year, scenarioLabel, ...kpiCells(data.scenario.get(year)!.network)]);
    network.push([year, t('scenarios.baseline'), ...kpiCells(data.baseline.get(year)!.network)]);
  }
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(network), t('report.sheet.network'));

  for (const year of data.years) {
    const rows: Cell[][] = [[t('report.column.facility'), ...kpiHeader, t('report.column.usersDelta')]];
    const baseline = new Map((data.baseline.get(year)?.facilities ?? []).map((row) => [row.fid, row]));
    for (const row of data.scenario.get(year)!.facilities) {
      const base = baseline.get(row.fid);
      const delta = row.users !== null && base?.users != null ? Math.round(row.users - base.users) : null;
      rows.push([row.name, ...kpiCells(row), delta]);
    }
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), `${t('report.sheet.facilities')} ${year}`.slice(0, 31));
  }

  const changes: Cell[][] = [[t('report.column.change'), t('report.column.table'), t('report.column.name'), t('report.column.columns')]];
  for (const change of data.changes) changes.push([t(`scenarios.kind.${change.kind}`), t(`scenarios.table.${change.table}`, { defaultValue: change.table }), change.setting ? describeSettingChange(change.key, change.setting, t) : (change.name ?? `#${change.key}`), change.columns.join(', ')]);
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(changes), t('report.sheet.changes'));

  const sources: Cell[][] = [[t('report.column.name'), t('report.column.publisher'), t('report.column.licence'), 'URL', t('report.column.note')]];
  for (const source of data.sources) sources.push([source.title, source.publisher, source.licence, source.url, source.note]);
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(sources), t('report.sheet.sources'));

  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}
