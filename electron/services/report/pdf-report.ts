/**
 * The scenario report as PDF (A4 landscape), drawn with PDFKit: a title page with network figures, a map
 * per chosen year coloured by utilisation (vector, so it prints sharp), KPI tables, a chart of users against
 * capacity, the changes against the baseline, and the data sources with their licences. Counts of children
 * under the privacy threshold print as "<5".
 */
import PDFDocument from 'pdfkit';
import type { KpiRow } from '../../../shared/analysis/kpi';
import { suppressCount } from '../../../shared/analysis/privacy';
import { describeSettingChange } from '../../../shared/domain/scenario-settings';
import type { Position } from '../../../shared/geo/geometry';
import type { UiLanguage } from '../../../shared/i18n';
import type { Translate } from '../translator';
import type { ReportData } from './report-data';

const PAGE = { width: 842, height: 595, margin: 40 };
const INK = '#1f2933';
const FAINT = '#6b7686';
const ACCENT = '#1f5fbf';
const BAND_COLOURS: Record<string, string> = { green: '#5fb36b', yellow: '#f2c94c', red: '#e5533d' };
const GAP_COLOUR = '#c7ccd3';

type Doc = PDFKit.PDFDocument;

function formatter(language: UiLanguage) {
  const locale = language === 'en' ? 'en-GB' : `${language}-FI`;
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  return {
    count: (value: number | null, threshold: number) => {
      if (value === null) return '–';
      const shown = suppressCount(value, threshold);
      return typeof shown === 'string' ? shown : integer.format(shown);
    },
    integer: (value: number | null) => (value === null ? '–' : integer.format(Math.round(value))),
    km: (metres: number | null) => (metres === null ? '–' : decimal.format(metres / 1000)),
    percent: (share: number | null) => (share === null ? '–' : percent.format(share)),
    // The standard PDF fonts have no U+2212 minus sign: a hyphen-minus prints everywhere.
    delta: (value: number | null) => (value === null ? '–' : `${value > 0 ? '+' : value < 0 ? '-' : '±'}${integer.format(Math.abs(Math.round(value)))}`),
    date: (date: Date) => date.toLocaleDateString(locale, { year: 'numeric', month: 'long', day: 'numeric' }),
  };
}

function heading(doc: Doc, text: string): void {
  doc.fillColor(INK).font('Helvetica-Bold').fontSize(18).text(text, PAGE.margin, PAGE.margin, { width: PAGE.width - 2 * PAGE.margin });
  doc.moveDown(0.4);
}

function footer(doc: Doc, text: string): void {
  // The footer sits in the bottom margin; PDFKit would start a new page for text there unless told otherwise.
  const bottom = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  doc.fillColor(FAINT).font('Helvetica').fontSize(8).text(text, PAGE.margin, PAGE.height - PAGE.margin + 12, { width: PAGE.width - 2 * PAGE.margin, lineBreak: false });
  doc.page.margins.bottom = bottom;
}

/** Draws a set of polygons and points into a box, keeping the aspect ratio (y up, as on a map). */
function drawMap(doc: Doc, data: ReportData, year: number, box: { x: number; y: number; width: number; height: number }): void {
  const rings: Position[][] = [];
  for (const feature of [...data.catchments, ...data.municipality]) for (const polygon of feature.geometry?.coordinates ?? []) rings.push(...polygon);
  const points = data.facilities.flatMap((feature) => (feature.geometry ? [feature.geometry.coordinates] : []));
  const all = [...rings.flat(), ...points];
  if (all.length === 0) return;
  const minX = Math.min(...all.map((p) => p[0])), maxX = Math.max(...all.map((p) => p[0]));
  const minY = Math.min(...all.map((p) => p[1])), maxY = Math.max(...all.map((p) => p[1]));
  const scale = Math.min(box.width / (maxX - minX || 1), box.height / (maxY - minY || 1));
  const offsetX = box.x + (box.width - (maxX - minX) * scale) / 2;
  const offsetY = box.y + (box.height - (maxY - minY) * scale) / 2;
  const toPage = (p: Position): [number, number] => [offsetX + (p[0] - minX) * scale, offsetY + (maxY - p[1]) * scale];
  const path = (polygon: Position[][]) => {
    for (const ring of polygon) {
      ring.forEach((position, index) => {
        const [x, y] = toPage(position);
        if (index === 0) doc.moveTo(x, y);
        else doc.lineTo(x, y);
      });
      doc.closePath();
    }
  };
  const bands = new Map<number, string | null>();
  for (const row of data.scenario.get(year)?.catchments ?? []) if (row.fid !== null) bands.set(row.fid, row.band);
  // The catchment set with the most areas (one language) tiles the map; the other would hide it.
  const languages = new Map<string, number>();
  for (const feature of data.catchments) languages.set(feature.properties.language, (languages.get(feature.properties.language) ?? 0) + 1);
  const shownLanguage = [...languages.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  for (const feature of data.catchments) {
    if (feature.properties.language !== shownLanguage || !feature.geometry) continue;
    const band = bands.get(feature.id);
    for (const polygon of feature.geometry.coordinates) path(polygon);
    doc.fillColor(band ? BAND_COLOURS[band]! : GAP_COLOUR).strokeColor('#ffffff').lineWidth(0.4).fillAndStroke();
  }
  for (const feature of data.municipality) {
    for (const polygon of feature.geometry?.coordinates ?? []) path(polygon);
    doc.strokeColor(INK).lineWidth(0.9).stroke();
  }
  for (const feature of data.facilities) {
    if (!feature.geometry) continue;
    const [x, y] = toPage(feature.geometry.coordinates);
    const closed = feature.properties.status === 'closed' || (feature.properties.closes_year !== null && feature.properties.closes_year <= year);
    doc.circle(x, y, 2.2);
    if (closed) doc.strokeColor(INK).lineWidth(0.8).stroke();
    else doc.fillColor(INK).fill();
  }
  // A scale bar of a round length about a fifth of the map's width (projected CRSs are in metres).
  const targetMetres = (box.width / scale) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(targetMetres));
  const metres = [1, 2, 5, 10].map((step) => step * magnitude).filter((length) => length <= targetMetres).pop() ?? magnitude;
  const barX = box.x;
  const barY = box.y + box.height + 12;
  doc.rect(barX, barY, metres * scale, 4).fillColor(INK).fill();
  doc.font('Helvetica').fontSize(8).fillColor(INK).text(metres >= 1000 ? `${metres / 1000} km` : `${metres} m`, barX + metres * scale + 6, barY - 2, { lineBreak: false });
}

function legend(doc: Doc, t: Translate, x: number, y: number): void {
  const entries: [string, string][] = [
    [BAND_COLOURS.green!, t('report.band.green')],
    [BAND_COLOURS.yellow!, t('report.band.yellow')],
    [BAND_COLOURS.red!, t('report.band.red')],
    [GAP_COLOUR, t('report.band.none')],
  ];
  doc.font('Helvetica-Bold').fontSize(10).fillColor(INK).text(t('report.legend'), x, y);
  entries.forEach(([colour, label], index) => {
    const rowY = y + 18 + index * 16;
    doc.rect(x, rowY, 12, 10).fillColor(colour).fill();
    doc.font('Helvetica').fontSize(9).fillColor(INK).text(label, x + 18, rowY, { width: 160 });
  });
  const dotY = y + 18 + entries.length * 16;
  doc.circle(x + 6, dotY + 5, 2.2).fillColor(INK).fill();
  doc.font('Helvetica').fontSize(9).text(t('report.facilityOpen'), x + 18, dotY, { width: 160 });
  doc.circle(x + 6, dotY + 21, 2.2).strokeColor(INK).lineWidth(0.8).stroke();
  doc.text(t('report.facilityClosed'), x + 18, dotY + 16, { width: 160 });
}

interface Column {
  header: string;
  width: number;
  align: 'left' | 'right';
  value: (row: KpiRow, baseline: KpiRow | null) => string;
}

function table(doc: Doc, columns: Column[], rows: { row: KpiRow; baseline: KpiRow | null }[], startY: number, onNewPage: () => number): void {
  const x0 = PAGE.margin;
  const rowHeight = 15;
  let y = startY;
  const headerRow = () => {
    let x = x0;
    doc.font('Helvetica-Bold').fontSize(8.5).fillColor(FAINT);
    for (const column of columns) {
      doc.text(column.header, x + 2, y, { width: column.width - 4, align: column.align, lineBreak: false });
      x += column.width;
    }
    y += rowHeight;
    doc.moveTo(x0, y - 3).lineTo(x, y - 3).strokeColor('#d5dae1').lineWidth(0.6).stroke();
  };
  headerRow();
  rows.forEach(({ row, baseline }, index) => {
    if (y > PAGE.height - PAGE.margin - rowHeight) {
      y = onNewPage();
      headerRow();
    }
    if (index % 2 === 1) doc.rect(x0, y - 3, columns.reduce((sum, column) => sum + column.width, 0), rowHeight).fillColor('#f4f6f9').fill();
    let x = x0;
    doc.font(row.level === 'service' ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5).fillColor(INK);
    for (const column of columns) {
      doc.text(column.value(row, baseline), x + 2, y, { width: column.width - 4, align: column.align, lineBreak: false, ellipsis: true });
      x += column.width;
    }
    y += rowHeight;
  });
}

function lineChart(doc: Doc, t: Translate, data: ReportData, box: { x: number; y: number; width: number; height: number }, format: ReturnType<typeof formatter>): void {
  const years = data.years;
  const series = [
    { label: t('report.chart.usersScenario'), colour: ACCENT, values: years.map((year) => data.scenario.get(year)!.network.users) },
    { label: t('report.chart.usersBaseline'), colour: '#9aa5b1', values: years.map((year) => data.baseline.get(year)!.network.users) },
    { label: t('report.chart.capacityScenario'), colour: '#c2410c', values: years.map((year) => data.scenario.get(year)!.network.capacity) },
  ];
  const values = series.flatMap((entry) => entry.values.filter((value): value is number => value !== null));
  if (values.length === 0 || years.length === 0) return;
  const max = Math.max(...values) * 1.1;
  const xOf = (index: number) => box.x + (years.length === 1 ? box.width / 2 : (index * box.width) / (years.length - 1));
  const yOf = (value: number) => box.y + box.height - (value / max) * box.height;
  doc.strokeColor('#d5dae1').lineWidth(0.5);
  for (let tick = 0; tick <= 4; tick++) {
    const value = (max * tick) / 4;
    doc.moveTo(box.x, yOf(value)).lineTo(box.x + box.width, yOf(value)).stroke();
    doc.font('Helvetica').fontSize(8).fillColor(FAINT).text(format.integer(value), box.x - 46, yOf(value) - 4, { width: 42, align: 'right' });
  }
  years.forEach((year, index) => doc.text(String(year), xOf(index) - 15, box.y + box.height + 4, { width: 30, align: 'center' }));
  series.forEach((entry, seriesIndex) => {
    let started = false;
    entry.values.forEach((value, index) => {
      if (value === null) return;
      if (!started) doc.moveTo(xOf(index), yOf(value));
      else doc.lineTo(xOf(index), yOf(value));
      started = true;
    });
    doc.strokeColor(entry.colour).lineWidth(1.8).stroke();
    const legendY = box.y + seriesIndex * 14;
    doc.moveTo(box.x + box.width + 14, legendY + 5).lineTo(box.x + box.width + 30, legendY + 5).strokeColor(entry.colour).lineWidth(1.8).stroke();
    doc.font('Helvetica').fontSize(9).fillColor(INK).text(entry.label, box.x + box.width + 34, legendY, { width: 150 });
  });
}

/** Builds the PDF in memory. */
export function renderPdfReport(data: ReportData, t: Translate, language: UiLanguage): Promise<Buffer> {
  const format = formatter(language);
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: PAGE.margin, info: { Title: t('report.title', { scenario: data.scenarioName ?? t('scenarios.baseline') }), Creator: 'Verkosto' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const scenarioLabel = data.scenarioName ?? t('scenarios.baseline');
  const serviceLabel = t(`report.service.${data.service}`);
  const footerText = `${data.projectName} · ${scenarioLabel} · ${serviceLabel} · ${format.date(data.createdAt)} · Verkosto`;
  const threshold = data.privacyThreshold;

  // Title page with the network figures per year.
  doc.fillColor(ACCENT).font('Helvetica-Bold').fontSize(12).text(t('report.kicker'), PAGE.margin, 70);
  doc.fillColor(INK).fontSize(28).text(t('report.title', { scenario: scenarioLabel }), PAGE.margin, 92, { width: PAGE.width - 2 * PAGE.margin });
  doc.font('Helvetica').fontSize(13).fillColor(FAINT).text(`${data.projectName} · ${serviceLabel} · ${format.date(data.createdAt)}`);
  doc.moveDown(1.5);
  doc.font('Helvetica-Bold').fontSize(12).fillColor(INK).text(t('report.networkTitle'));
  doc.moveDown(0.3);
  const networkRows = data.years.map((year) => ({ row: data.scenario.get(year)!.network, baseline: data.baseline.get(year)!.network }));
  const networkColumns: Column[] = [
    { header: t('report.column.year'), width: 50, align: 'left', value: (row) => String(row.year) },
    { header: t('report.column.eligible'), width: 85, align: 'right', value: (row) => format.count(row.eligible, threshold) },
    { header: t('report.column.users'), width: 90, align: 'right', value: (row) => format.count(row.users, threshold) },
    { header: t('report.column.usersDelta'), width: 100, align: 'right', value: (row, base) => format.delta(row.users !== null && base?.users != null ? row.users - base.users : null) },
    { header: t('report.column.capacity'), width: 80, align: 'right', value: (row) => format.integer(row.capacity) },
    { header: t('report.column.utilisation'), width: 80, align: 'right', value: (row) => format.percent(row.utilisation) },
    { header: t('report.column.travelMean'), width: 90, align: 'right', value: (row) => format.km(row.travelMeanM) },
    { header: t('report.column.overLimit'), width: 100, align: 'right', value: (row) => format.percent(row.overLimitShare) },
    { header: t('report.column.costPerUser'), width: 82, align: 'right', value: (row) => format.integer(row.costPerUser) },
  ];
  table(doc, networkColumns, networkRows, doc.y, () => PAGE.margin);
  doc.font('Helvetica').fontSize(9).fillColor(FAINT).text(t('report.privacyNote', { threshold }), PAGE.margin, PAGE.height - PAGE.margin - 40, { width: PAGE.width - 2 * PAGE.margin });
  footer(doc, footerText);

  // A map per year.
  for (const year of data.years) {
    doc.addPage();
    heading(doc, t('report.mapTitle', { year, service: serviceLabel }));
    drawMap(doc, data, year, { x: PAGE.margin, y: 80, width: 560, height: 460 });
    legend(doc, t, 640, 90);
    footer(doc, footerText);
  }

  // Facility tables per year.
  const facilityColumns: Column[] = [
    { header: t('report.column.facility'), width: 218, align: 'left', value: (row) => row.name },
    { header: t('report.column.capacity'), width: 66, align: 'right', value: (row) => format.integer(row.capacity) },
    { header: t('report.column.users'), width: 66, align: 'right', value: (row) => format.count(row.users, threshold) },
    { header: t('report.column.usersDelta'), width: 66, align: 'right', value: (row, base) => format.delta(row.users !== null && base?.users != null ? row.users - base.users : row.users) },
    { header: t('report.column.utilisation'), width: 66, align: 'right', value: (row) => format.percent(row.utilisation) },
    { header: t('report.column.surplus'), width: 66, align: 'right', value: (row) => (row.surplus === null ? '–' : format.delta(row.surplus)) },
    { header: t('report.column.travelMean'), width: 72, align: 'right', value: (row) => format.km(row.travelMeanM) },
    { header: t('report.column.travelP90'), width: 72, align: 'right', value: (row) => format.km(row.travelP90M) },
    { header: t('report.column.overLimit'), width: 68, align: 'right', value: (row) => format.percent(row.overLimitShare) },
  ];
  for (const year of data.years) {
    doc.addPage();
    heading(doc, t('report.tableTitle', { year, service: serviceLabel }));
    const baselineByFid = new Map((data.baseline.get(year)?.facilities ?? []).map((row) => [row.fid, row]));
    const rows = [...data.scenario.get(year)!.facilities]
      .sort((a, b) => a.name.localeCompare(b.name, language))
      .map((row) => ({ row, baseline: baselineByFid.get(row.fid) ?? null }));
    table(doc, facilityColumns, rows, doc.y, () => {
      footer(doc, footerText);
      doc.addPage();
      heading(doc, `${t('report.tableTitle', { year, service: serviceLabel })} ${t('report.continued')}`);
      return doc.y;
    });
    footer(doc, footerText);
  }

  // Users against capacity over the years.
  doc.addPage();
  heading(doc, t('report.chartTitle', { service: serviceLabel }));
  lineChart(doc, t, data, { x: PAGE.margin + 50, y: 100, width: 520, height: 380 }, format);
  footer(doc, footerText);

  // Changes against the baseline, then sources.
  doc.addPage();
  heading(doc, t('report.changesTitle'));
  doc.font('Helvetica').fontSize(10).fillColor(INK);
  if (data.changes.length === 0) doc.text(t('scenarios.noChanges'));
  for (const change of data.changes) {
    const subject = change.setting ? describeSettingChange(change.key, change.setting, t, '»') : (change.name ?? `#${change.key}`);
    const what = `${t(`scenarios.kind.${change.kind}`)}: ${t(`scenarios.table.${change.table}`, { defaultValue: change.table })} ${subject}`;
    const columns = change.columns.length ? ` (${change.columns.map((column) => t(`attributes.${change.table}.${column}`, { defaultValue: column })).join(', ')})` : '';
    doc.text(`• ${what}${columns}`, { width: PAGE.width - 2 * PAGE.margin });
  }
  doc.moveDown(1.5);
  doc.font('Helvetica-Bold').fontSize(14).text(t('report.sourcesTitle'));
  doc.moveDown(0.3);
  for (const source of data.sources) {
    doc.font('Helvetica-Bold').fontSize(10).text(source.title, { continued: true }).font('Helvetica').text(` — ${source.publisher}, ${source.licence}${source.url ? `, ${source.url}` : ''}`);
    if (source.note) doc.fontSize(9).fillColor(FAINT).text(source.note).fillColor(INK);
  }
  footer(doc, footerText);
  doc.end();
  return done;
}
