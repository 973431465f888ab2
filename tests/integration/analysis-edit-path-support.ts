/** The renderer's KPI handler driven synchronously, as the worker would run it, for the edit-path tests and bench. */
import type { AnalysisDelta } from '../../shared/analysis/analysis-delta';
import type { AnalysisData, KpiResult } from '../../shared/analysis/kpi';
import type { DemandService } from '../../shared/analysis/settings';
import { createKpiHandler } from '../../renderer/analysis/kpi-handler';
import type { WorkerResponse } from '../../renderer/analysis/worker-protocol';

export function renderer() {
  const messages: WorkerResponse[] = [];
  const handle = createKpiHandler((message) => {
    if (message.type === 'error') throw new Error(message.message);
    messages.push(message);
  });
  const last = <T extends WorkerResponse['type']>(type: T) => [...messages].reverse().find((message) => message.type === type) as Extract<WorkerResponse, { type: T }> | undefined;
  return {
    load: (data: AnalysisData) => handle({ type: 'load', data }),
    update: (data: AnalysisData) => handle({ type: 'update', data }),
    delta: (delta: AnalysisDelta) => handle({ type: 'delta', delta }),
    compute(year: number, service: DemandService): KpiResult {
      handle({ type: 'compute', id: 1, year, service, withSeries: false });
      return last('result')!.result;
    },
    services: () => last('loaded')!.services,
    lastUpdate: () => last('updated'),
  };
}
