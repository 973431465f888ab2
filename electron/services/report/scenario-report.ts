/** Writes a scenario report (PDF or XLSX) to a file: the one entry point for the host method and the CLI. */
import { writeFileSync } from 'node:fs';
import type { UiLanguage } from '../../../shared/i18n';
import type { ProjectFile } from '../../store/project-file';
import { createTranslator } from '../translator';
import { renderPdfReport } from './pdf-report';
import { gatherReportData, type ReportOptions } from './report-data';
import { renderXlsxReport } from './xlsx-report';

export type ReportFormat = 'pdf' | 'xlsx';

export async function writeScenarioReport(file: ProjectFile, options: ReportOptions & { format: ReportFormat; language: UiLanguage; target: string }): Promise<{ path: string; bytes: number; years: number[] }> {
  const data = gatherReportData(file, options);
  const t = await createTranslator(options.language);
  const content = options.format === 'pdf' ? await renderPdfReport(data, t, options.language) : renderXlsxReport(data, t);
  writeFileSync(options.target, content);
  return { path: options.target, bytes: content.length, years: data.years };
}
