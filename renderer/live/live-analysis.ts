/**
 * The analysis as it travels to participants: the facilitator's worker result reduced to city totals and
 * catchment bands (no counts per area), and rebuilt on the participant's side into the shape the map's
 * analysis colouring and the KPI cards read.
 */
import type { KpiResult, KpiRow } from '../../shared/analysis/kpi';
import type { LiveAnalysis } from '../../shared/contract/host-api';
import { childrenWithoutPlace } from '../../shared/analysis/shortfall';
import { useAnalysisStore } from '../analysis/analysis-store';

/** What the facilitator publishes, or null while its analysis has no result. */
export function liveAnalysisFromStore(): LiveAnalysis | null {
  const { result, mapMode } = useAnalysisStore.getState();
  if (!result) return null;
  const network = result.network;
  const shortfall = childrenWithoutPlace(result);
  return {
    year: result.year,
    service: result.service,
    mapMode,
    network: { users: network.users, capacity: network.capacity, utilisation: network.utilisation, overLimitShare: network.overLimitShare, costPerUser: network.costPerUser, shortfall },
    catchments: result.catchments.filter((row) => row.fid !== null).map((row) => ({ fid: row.fid!, band: row.band, utilisation: row.utilisation })),
  };
}

function row(partial: Partial<KpiRow> & Pick<KpiRow, 'level' | 'service' | 'year'>): KpiRow {
  return {
    fid: null, name: '', language: null, facilityFid: null, eligible: null, users: null, capacity: null, utilisation: null, surplus: null,
    travelMeanM: null, travelP90M: null, travelMaxM: null, overLimitShare: null, costPerUser: null, m2PerUser: null, investmentNeedEur: null,
    outsideUsers: null, band: null, gaps: [], ...partial,
  };
}

/** The participant's side: the store the map colouring and the cards read, filled from the facilitator. */
export function applyLiveAnalysis(live: LiveAnalysis): void {
  const { year, service } = live;
  const result: KpiResult = {
    year,
    service,
    unitKind: null,
    catchments: live.catchments.map((entry) => row({ level: 'catchment', service, year, fid: entry.fid, band: entry.band, utilisation: entry.utilisation })),
    facilities: [],
    network: row({ level: 'service', service, year, users: live.network.users, capacity: live.network.capacity, utilisation: live.network.utilisation, overLimitShare: live.network.overLimitShare, costPerUser: live.network.costPerUser }),
    areas: [],
  };
  useAnalysisStore.setState({ result, year, service, mapMode: live.mapMode, presentation: true, status: 'ready', baseline: null });
  liveShortfall = live.network.shortfall;
}

let liveShortfall: number | null = null;

/** Children over capacity in the facilitator's analysis (a city total), for the participant's card. */
export function liveShortfallTotal(): number | null {
  return liveShortfall;
}
