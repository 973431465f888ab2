/**
 * Children without a place in a year and service: those over a facility's capacity, plus those whose
 * catchment's facility is closed, has no capacity for the service, or who belong to a catchment with no
 * facility at all. Closing a school must show in this figure at once: its children have nowhere to go
 * until their catchment is given to another school.
 */
import type { KpiResult } from './kpi';

export function childrenWithoutPlace(result: KpiResult): number {
  let total = 0;
  for (const row of result.facilities) {
    const users = row.users ?? 0;
    if (row.capacity === null) total += users;
    else if (row.surplus !== null && row.surplus < 0) total += -row.surplus;
  }
  for (const row of result.catchments) if (row.gaps.includes('noFacility')) total += row.users ?? 0;
  return total;
}
