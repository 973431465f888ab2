/**
 * Compares two scenarios (or a scenario with the baseline) with the KPI engine: network totals for every
 * year, and per facility for one year, each side computed from that scenario's own rows.
 */
import { KpiEngine, type KpiRow } from '../../../shared/analysis/kpi';
import type { DemandService } from '../../../shared/analysis/settings';
import type { ScenarioComparison, ScenarioComparisonRow } from '../../../shared/contract/host-api';
import type { ProjectFile } from '../../store/project-file';
import { readAnalysisData } from '../analysis/analysis-data';

function scenarioName(file: ProjectFile, fid: number): string | null {
  return fid === 0 ? null : (file.scenarios.list().find((scenario) => scenario.fid === fid)?.name ?? null);
}

/** KPIs of one scenario: the engine over that scenario's rows, read without switching for real. */
export function scenarioKpis(file: ProjectFile, fid: number, service: DemandService, years: number[] | null): { years: number[]; results: Map<number, ReturnType<KpiEngine['compute']>> } {
  const engine = file.peekScenario(fid, () => new KpiEngine(readAnalysisData(file)));
  const chosen = years ?? engine.years();
  return { years: chosen, results: new Map(chosen.map((year) => [year, engine.compute(year, service)])) };
}

export function compareScenarios(file: ProjectFile, options: { a: number; b: number; service: DemandService; year: number | null }): ScenarioComparison {
  const a = scenarioKpis(file, options.a, options.service, null);
  const b = scenarioKpis(file, options.b, options.service, a.years);
  const year = options.year !== null && a.years.includes(options.year) ? options.year : (a.years[a.years.length - 1] ?? null);
  const network = a.years.map((y) => ({ year: y, a: a.results.get(y)!.network, b: b.results.get(y)!.network }));
  const facilities: ScenarioComparisonRow[] = [];
  if (year !== null) {
    const byFid = new Map<number, { a: KpiRow | null; b: KpiRow | null; name: string }>();
    for (const row of a.results.get(year)!.facilities) byFid.set(row.fid!, { a: row, b: null, name: row.name });
    for (const row of b.results.get(year)!.facilities) {
      const entry = byFid.get(row.fid!) ?? { a: null, b: null, name: row.name };
      entry.b = row;
      byFid.set(row.fid!, entry);
    }
    for (const [fid, entry] of byFid) facilities.push({ fid, name: entry.name, a: entry.a, b: entry.b });
    facilities.sort((left, right) => Math.abs((right.b?.users ?? 0) - (right.a?.users ?? 0)) - Math.abs((left.b?.users ?? 0) - (left.a?.users ?? 0)) || left.name.localeCompare(right.name));
  }
  const bandsOf = (results: Map<number, ReturnType<KpiEngine['compute']>>) =>
    year === null ? {} : Object.fromEntries(results.get(year)!.catchments.map((row) => [row.fid!, row.band]));
  return {
    bands: { a: bandsOf(a.results), b: bandsOf(b.results) },
    service: options.service,
    year,
    years: a.years,
    a: { fid: options.a, name: scenarioName(file, options.a) },
    b: { fid: options.b, name: scenarioName(file, options.b) },
    network,
    facilities,
  };
}
