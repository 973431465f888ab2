/**
 * Everything a scenario report shows, gathered once for the PDF and the XLSX alike: KPIs of the scenario
 * and of the baseline per chosen year, the map geometry of the scenario, what changed, and the sources.
 */
import type { KpiResult } from '../../../shared/analysis/kpi';
import { analysisSettingsFrom, type DemandService } from '../../../shared/analysis/settings';
import type { ScenarioChange } from '../../../shared/contract/host-api';
import type { DataSource, Feature } from '../../../shared/domain/project';
import { VerkostoError } from '../../../shared/errors';
import type { ProjectFile } from '../../store/project-file';
import { scenarioKpis } from '../scenarios/compare-scenarios';

export interface ReportOptions {
  /** 0 = the baseline itself. */
  scenarioFid: number;
  service: DemandService;
  /** Years to show; null = every year with population (at most six, spread over the range). */
  years: number[] | null;
}

export interface ReportData {
  projectName: string;
  scenarioName: string | null;
  service: DemandService;
  years: number[];
  scenario: Map<number, KpiResult>;
  baseline: Map<number, KpiResult>;
  catchments: Feature<'catchments'>[];
  facilities: Feature<'facilities'>[];
  municipality: Feature<'municipality'>[];
  changes: ScenarioChange[];
  sources: DataSource[];
  privacyThreshold: number;
  createdAt: Date;
}

/** Up to six years spread evenly over the range, first and last included. */
function spread(years: number[]): number[] {
  if (years.length <= 6) return years;
  const picked = new Set<number>();
  for (let step = 0; step < 6; step++) picked.add(years[Math.round((step * (years.length - 1)) / 5)]!);
  return [...picked];
}

export function gatherReportData(file: ProjectFile, options: ReportOptions): ReportData {
  const scenarios = file.scenarios.list();
  const scenarioName = options.scenarioFid === 0 ? null : (scenarios.find((scenario) => scenario.fid === options.scenarioFid)?.name ?? null);
  if (options.scenarioFid !== 0 && scenarioName === null) throw new VerkostoError('unknownFeature', { layer: 'scenarios', fid: options.scenarioFid });
  const all = scenarioKpis(file, options.scenarioFid, options.service, null);
  const years = options.years ? options.years.filter((year) => all.years.includes(year)) : spread(all.years);
  const baseline = scenarioKpis(file, 0, options.service, years);
  const geometry = file.peekScenario(options.scenarioFid, () => ({
    catchments: file.readFeatures('catchments').features.filter((feature) => feature.properties.service === options.service),
    facilities: file.readFeatures('facilities').features,
    municipality: file.readFeatures('municipality').features,
  }));
  const settings = file.settings();
  return {
    projectName: typeof settings['project.name'] === 'string' ? settings['project.name'] : 'Verkosto',
    scenarioName,
    service: options.service,
    years,
    scenario: new Map(years.map((year) => [year, all.results.get(year)!])),
    baseline: baseline.results,
    ...geometry,
    changes: options.scenarioFid === 0 ? [] : file.scenarios.changes(options.scenarioFid),
    sources: file.dataSources(),
    privacyThreshold: analysisSettingsFrom(settings).privacyThreshold,
    createdAt: new Date(),
  };
}
