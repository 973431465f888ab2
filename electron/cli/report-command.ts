/** `verkosto report FILE OUT [--scenario NAME] [--service S] [--years Y,Y] [--format pdf|xlsx]`: the scenario report. */
import path from 'node:path';
import { DEMAND_SERVICES, type DemandService } from '../../shared/analysis/settings';
import type { UiLanguage } from '../../shared/i18n';
import { writeScenarioReport } from '../services/report/scenario-report';
import { ProjectFile } from '../store/project-file';
import type { Translate } from './messages';

export interface ReportCommandOptions {
  file: string;
  out: string;
  scenario?: string;
  service?: string;
  years?: string;
  format?: string;
  language: UiLanguage;
}

export async function commandReport(options: ReportCommandOptions, io: { out(line: string): void; t: Translate; usage(key: string, params: Record<string, string | number>): never }): Promise<void> {
  const service = (options.service ?? 'grades_1_6') as DemandService;
  if (!(DEMAND_SERVICES as readonly string[]).includes(service)) io.usage('cli.report.badService', { service: options.service ?? '', services: DEMAND_SERVICES.join(', ') });
  const format = options.format ?? (options.out.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'pdf');
  if (format !== 'pdf' && format !== 'xlsx') io.usage('cli.report.badFormat', { format });
  const years = options.years ? options.years.split(',').map((year) => Number(year.trim())) : null;
  if (years && years.some((year) => !Number.isInteger(year) || year < 1900 || year > 2200)) io.usage('cli.report.badYears', { years: options.years ?? '' });
  const project = ProjectFile.open(options.file);
  try {
    let scenarioFid = 0;
    if (options.scenario) {
      const match = project.scenarios.list().find((scenario) => scenario.name === options.scenario || String(scenario.fid) === options.scenario);
      if (!match) io.usage('cli.report.unknownScenario', { scenario: options.scenario, scenarios: project.scenarios.list().map((scenario) => scenario.name).join(', ') || '–' });
      scenarioFid = match!.fid;
    }
    const written = await writeScenarioReport(project, { scenarioFid, service, years, format: format as 'pdf' | 'xlsx', language: options.language, target: path.resolve(options.out) });
    io.out(io.t('cli.report.written', { file: written.path, years: written.years.join(', ') }));
  } finally {
    project.close();
  }
}
