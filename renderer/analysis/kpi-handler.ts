/**
 * The KPI engine behind the worker protocol. It keeps the last data it was given and, on an update, recomputes only the catchments and facilities whose data changed
 * (the engine caches everything else); a population change rebuilds the engine.
 */
import { forecastYearsOf, KpiEngine, type AnalysisCatchment, type AnalysisData, type AnalysisFacility } from '../../shared/analysis/kpi';
import type { WorkerRequest, WorkerResponse, YearSeriesPoint } from './worker-protocol';

/** The worker's message handler over a `post` function: runs in the worker, or on the main thread as a fallback. */
export function createKpiHandler(post: (message: WorkerResponse) => void): (request: WorkerRequest) => void {
  let engine: KpiEngine | null = null;
  let current: AnalysisData | null = null;

  function catchmentKey(catchment: AnalysisCatchment): string {
    return JSON.stringify([catchment.name, catchment.service, catchment.language, catchment.facilityFid, catchment.geometry]);
  }

  function facilityKey(facility: AnalysisFacility): string {
    return JSON.stringify(facility);
  }

  function samePopulation(a: AnalysisData['population'], b: AnalysisData['population']): boolean {
    if (a.unitFid.length !== b.unitFid.length) return false;
    for (let index = 0; index < a.unitFid.length; index += 1) if (a.unitFid[index] !== b.unitFid[index] || a.year[index] !== b.year[index]) return false;
    for (let index = 0; index < a.ages.length; index += 1) if (a.ages[index] !== b.ages[index]) return false;
    return true;
  }

  /** Residential points decide how straddling units split: any change means every overlap is stale. */
  function samePoints(a: AnalysisData['residentialPoints'], b: AnalysisData['residentialPoints']): boolean {
    if (!a || !b) return !a && !b;
    if (a.x.length !== b.x.length) return false;
    for (let index = 0; index < a.x.length; index += 1) if (a.x[index] !== b.x[index] || a.y[index] !== b.y[index] || a.weight[index] !== b.weight[index]) return false;
    return true;
  }

  function load(data: AnalysisData): void {
    engine = new KpiEngine(data);
    current = data;
    const forecastYears = forecastYearsOf(data.population);
    const years = engine.years();
    post({
      type: 'loaded',
      years,
      services: engine.servicesWithCatchments(),
      forecastYears,
      unitKinds: Object.fromEntries(years.map((year) => [year, engine!.unitKindFor(year)])),
    });
  }

  function update(data: AnalysisData): void {
    const started = performance.now();
    if (!engine || !current || data.units.length !== current.units.length || !samePopulation(data.population, current.population) || !samePoints(data.residentialPoints, current.residentialPoints)) {
      load(data);
      post({ type: 'updated', changedCatchments: data.catchments.length, changedFacilities: data.facilities.length, rebuilt: true, milliseconds: performance.now() - started });
      return;
    }
    let changedCatchments = 0;
    let changedFacilities = 0;
    if (JSON.stringify(data.settings) !== JSON.stringify(current.settings)) engine.updateSettings(data.settings);
    const before = new Map(current.catchments.map((catchment) => [catchment.fid, catchmentKey(catchment)]));
    const after = new Set<number>();
    for (const catchment of data.catchments) {
      after.add(catchment.fid);
      if (before.get(catchment.fid) !== catchmentKey(catchment)) {
        engine.updateCatchment(catchment.fid, catchment);
        changedCatchments += 1;
      }
    }
    for (const fid of before.keys()) {
      if (!after.has(fid)) {
        engine.updateCatchment(fid, null);
        changedCatchments += 1;
      }
    }
    const facilitiesBefore = new Map(current.facilities.map((facility) => [facility.fid, facilityKey(facility)]));
    const facilitiesAfter = new Set<number>();
    for (const facility of data.facilities) {
      facilitiesAfter.add(facility.fid);
      if (facilitiesBefore.get(facility.fid) !== facilityKey(facility)) {
        engine.updateFacility(facility, facility.fid);
        changedFacilities += 1;
      }
    }
    for (const fid of facilitiesBefore.keys()) if (!facilitiesAfter.has(fid)) engine.updateFacility(null, fid);
    const capacityValue = (entry: AnalysisData['capacities'][number]) => `${entry.capacity}|${entry.changeYear ?? ''}|${entry.changedCapacity ?? ''}`;
    const capacityBefore = new Map(current.capacities.map((entry) => [`${entry.facilityFid}:${entry.service}`, capacityValue(entry)]));
    const capacityAfter = new Set<string>();
    for (const entry of data.capacities) {
      const key = `${entry.facilityFid}:${entry.service}`;
      capacityAfter.add(key);
      if (capacityBefore.get(key) !== capacityValue(entry)) engine.updateCapacity(entry.facilityFid, entry.service, entry.capacity, entry.changeYear ?? null, entry.changedCapacity ?? null);
    }
    for (const key of capacityBefore.keys()) {
      if (!capacityAfter.has(key)) {
        const [fid, service] = key.split(':');
        engine.updateCapacity(Number(fid), service!, null);
      }
    }
    current = data;
    post({ type: 'updated', changedCatchments, changedFacilities, rebuilt: false, milliseconds: performance.now() - started });
  }

  function series(service: Parameters<KpiEngine['compute']>[1]): YearSeriesPoint[] {
    return engine!.years().map((year) => {
      const result = engine!.compute(year, service);
      return {
        year,
        networkUsers: result.network.users,
        networkCapacity: result.network.capacity,
        facilities: Object.fromEntries(result.facilities.map((row) => [row.fid!, [row.users, row.capacity]])),
      };
    });
  }

  return (request: WorkerRequest) => {
    try {
      if (request.type === 'load') load(request.data);
      else if (request.type === 'update') update(request.data);
      else {
        if (!engine) throw new Error('no data loaded');
        const started = performance.now();
        const result = engine.compute(request.year, request.service);
        const points = request.withSeries ? series(request.service) : null;
        post({ type: 'result', id: request.id, result, series: points, milliseconds: performance.now() - started });
      }
    } catch (error) {
      post({ type: 'error', id: request.type === 'compute' ? request.id : null, message: error instanceof Error ? error.message : String(error) });
    }
  };
}
