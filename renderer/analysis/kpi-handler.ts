/**
 * The KPI engine behind the worker protocol. It keeps the rows it was given by key. After an edit it gets a
 * delta (the rows the edit touched, deleted ones named) and hands exactly those to the engine, which
 * recomputes only what they touch. A full `update` (a scenario switch, an import) is diffed against the kept
 * rows; a population or unit change rebuilds the engine.
 */
import type { AnalysisDelta } from '../../shared/analysis/analysis-delta';
import { forecastYearsOf, KpiEngine, type AnalysisCapacity, type AnalysisCatchment, type AnalysisData, type AnalysisFacility } from '../../shared/analysis/kpi';
import type { WorkerRequest, WorkerResponse, YearSeriesPoint } from './worker-protocol';

/** The rows the engine was built from, by key, kept current through every delta. */
class KeptRows {
  catchments = new Map<number, AnalysisCatchment>();
  facilities = new Map<number, AnalysisFacility>();
  /** facility_services rows by fid; rows without one (data built by hand) get negative keys. */
  capacityRows = new Map<number, AnalysisCapacity>();
  /** `${facilityFid}:${service}` → the row fids with that pair (the last by fid wins, as in a full read). */
  capacityPairs = new Map<string, Set<number>>();
  settingsJson = '';

  constructor(data: AnalysisData) {
    for (const catchment of data.catchments) this.catchments.set(catchment.fid, catchment);
    for (const facility of data.facilities) this.facilities.set(facility.fid, facility);
    data.capacities.forEach((row, index) => this.setCapacityRow((row as { fid?: number }).fid ?? -1 - index, row));
    this.settingsJson = JSON.stringify(data.settings);
  }

  setCapacityRow(fid: number, row: AnalysisCapacity | null): string[] {
    const pairs: string[] = [];
    const old = this.capacityRows.get(fid);
    if (old) {
      const pair = `${old.facilityFid}:${old.service}`;
      this.capacityPairs.get(pair)?.delete(fid);
      pairs.push(pair);
    }
    if (row) {
      const pair = `${row.facilityFid}:${row.service}`;
      this.capacityRows.set(fid, row);
      let set = this.capacityPairs.get(pair);
      if (!set) this.capacityPairs.set(pair, (set = new Set()));
      set.add(fid);
      pairs.push(pair);
    } else this.capacityRows.delete(fid);
    return pairs;
  }

  /** The row a full read would give the pair: the one with the highest fid, or none. */
  capacityRowOfPair(pair: string): AnalysisCapacity | null {
    let best: number | null = null;
    for (const fid of this.capacityPairs.get(pair) ?? []) if (best === null || fid > best) best = fid;
    return best === null ? null : this.capacityRows.get(best)!;
  }
}

function catchmentKey(catchment: AnalysisCatchment): string {
  return JSON.stringify([catchment.name, catchment.service, catchment.language, catchment.facilityFid, catchment.geometry]);
}

/** The worker's message handler over a `post` function: runs in the worker, or on the main thread as a fallback. */
export function createKpiHandler(post: (message: WorkerResponse) => void): (request: WorkerRequest) => void {
  let engine: KpiEngine | null = null;
  let current: AnalysisData | null = null;
  let kept: KeptRows | null = null;

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
    kept = new KeptRows(data);
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

  /** Applies the touched rows; returns how many catchments and facilities changed. */
  function applyDelta(delta: AnalysisDelta): { changedCatchments: number; changedFacilities: number } {
    if (!engine || !kept) throw new Error('no data loaded');
    if (delta.settings) {
      engine.updateSettings(delta.settings);
      kept.settingsJson = JSON.stringify(delta.settings);
    }
    let changedCatchments = 0;
    for (const catchment of delta.catchments) {
      engine.updateCatchment(catchment.fid, catchment);
      kept.catchments.set(catchment.fid, catchment);
      changedCatchments += 1;
    }
    for (const fid of delta.removedCatchments) {
      if (!kept.catchments.delete(fid)) continue;
      engine.updateCatchment(fid, null);
      changedCatchments += 1;
    }
    let changedFacilities = 0;
    for (const facility of delta.facilities) {
      engine.updateFacility(facility, facility.fid);
      kept.facilities.set(facility.fid, facility);
      changedFacilities += 1;
    }
    for (const fid of delta.removedFacilities) {
      if (!kept.facilities.delete(fid)) continue;
      engine.updateFacility(null, fid);
      changedFacilities += 1;
    }
    const pairs = new Set<string>();
    for (const row of delta.capacities) for (const pair of kept.setCapacityRow(row.fid, row)) pairs.add(pair);
    for (const fid of delta.removedCapacityRows) for (const pair of kept.setCapacityRow(fid, null)) pairs.add(pair);
    for (const pair of pairs) {
      const colon = pair.indexOf(':');
      // Every field of the row goes to the engine (a row gone = no capacity).
      const row = kept.capacityRowOfPair(pair);
      engine.updateCapacity(Number(pair.slice(0, colon)), pair.slice(colon + 1), row?.capacity ?? null, row?.changeYear ?? null, row?.changedCapacity ?? null);
    }
    return { changedCatchments, changedFacilities };
  }

  /** Full data (a scenario switch, an import): diffed against the kept rows, turned into a delta. */
  function update(data: AnalysisData): void {
    const started = performance.now();
    if (!engine || !current || !kept || data.units.length !== current.units.length || !samePopulation(data.population, current.population) || !samePoints(data.residentialPoints, current.residentialPoints)) {
      load(data);
      post({ type: 'updated', changedCatchments: data.catchments.length, changedFacilities: data.facilities.length, rebuilt: true, milliseconds: performance.now() - started });
      return;
    }
    const fresh = new KeptRows(data);
    const delta: AnalysisDelta = {
      catchments: data.catchments.filter((catchment) => {
        const old = kept!.catchments.get(catchment.fid);
        return !old || catchmentKey(old) !== catchmentKey(catchment);
      }),
      removedCatchments: [...kept.catchments.keys()].filter((fid) => !fresh.catchments.has(fid)),
      facilities: data.facilities.filter((facility) => JSON.stringify(kept!.facilities.get(facility.fid)) !== JSON.stringify(facility)),
      removedFacilities: [...kept.facilities.keys()].filter((fid) => !fresh.facilities.has(fid)),
      capacities: [...fresh.capacityRows].filter(([fid, row]) => JSON.stringify(kept!.capacityRows.get(fid)) !== JSON.stringify(row)).map(([fid, row]) => ({ ...row, fid })),
      removedCapacityRows: [...kept.capacityRows.keys()].filter((fid) => !fresh.capacityRows.has(fid)),
      settings: fresh.settingsJson !== kept.settingsJson ? data.settings : null,
    };
    const changed = applyDelta(delta);
    current = data;
    post({ type: 'updated', ...changed, rebuilt: false, milliseconds: performance.now() - started });
  }

  function delta(changes: AnalysisDelta): void {
    const started = performance.now();
    const changed = applyDelta(changes);
    post({ type: 'updated', ...changed, rebuilt: false, milliseconds: performance.now() - started });
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
      else if (request.type === 'delta') delta(request.delta);
      else {
        if (!engine) throw new Error('no data loaded');
        const started = performance.now();
        const result = engine.compute(request.year, request.service);
        post({ type: 'result', id: request.id, result, series: null, milliseconds: performance.now() - started });
        // Every year for the charts costs a compute per year (about 100 ms at national scale after an edit):
        // it follows the year shown instead of holding it back.
        if (request.withSeries) {
          const seriesStarted = performance.now();
          post({ type: 'series', id: request.id, series: series(request.service), milliseconds: performance.now() - seriesStarted });
        }
      }
    } catch (error) {
      post({ type: 'error', id: request.type === 'compute' ? request.id : null, message: error instanceof Error ? error.message : String(error) });
    }
  };
}
