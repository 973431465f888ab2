/**
 * The hot loop of the KPI engine: one catchment's sums for one year and service, straight from the
 * unit × age counts, without building per-unit arrays or objects.
 *
 * A catchment's members (units with the share of each inside it) are kept sorted by distance to its
 * facility once (`sortedMembers`), so the weighted 90th percentile is a cumulative scan and the network's
 * histogram bin of each member is precomputed. Per (year, service) the sums of every catchment of the
 * service live in one `SumsTable` of typed arrays indexed by the catchment's slot; an edit marks one slot
 * stale and only that slot is recomputed.
 */
import type { Membership } from './overlap';

export const TRAVEL_BIN_M = 10;
export const TRAVEL_BINS = 20_001; // 0–200 km in 10 m bins; the last bin holds everything farther

/** One catchment's members under one unit kind, in order of distance to its facility. */
export interface CatchmentMembers {
  units: Int32Array;
  shares: Float64Array;
  /** Metres to the facility; NaN for every member when the facility has no location. */
  distance: Float64Array;
  /** The network histogram bin of each member's distance. */
  bins: Int32Array;
  hasTravel: boolean;
  /** share × the unit's language share for the catchment's language; set by `weighMembers` per settings. */
  weights: Float64Array;
  weightsVersion: number;
}

/** Sets each member's weight (its share × its unit's language share) once per settings version. */
export function weighMembers(members: CatchmentMembers, languageShare: Float64Array, version: number): CatchmentMembers {
  if (members.weightsVersion === version) return members;
  const { units, shares, weights } = members;
  for (let member = 0; member < units.length; member += 1) weights[member] = shares[member]! * languageShare[units[member]!]!;
  members.weightsVersion = version;
  return members;
}

/** Sorts a membership by distance from each part's centre to the facility (ties by membership order). */
export function sortedMembers(membership: Membership, facility: [number, number] | null): CatchmentMembers {
  const count = membership.units.length;
  const units = new Int32Array(count);
  const shares = new Float64Array(count);
  const distance = new Float64Array(count);
  const bins = new Int32Array(count);
  if (!facility) {
    units.set(membership.units);
    shares.set(membership.shares);
    distance.fill(NaN);
    return { units, shares, distance, bins, hasTravel: false, weights: new Float64Array(count), weightsVersion: -1 };
  }
  const raw = new Float64Array(count);
  for (let member = 0; member < count; member += 1) raw[member] = Math.hypot(membership.centreX[member]! - facility[0], membership.centreY[member]! - facility[1]);
  const order = Int32Array.from(raw.keys()).sort((a, b) => raw[a]! - raw[b]! || a - b);
  for (let rank = 0; rank < count; rank += 1) {
    const member = order[rank]!;
    units[rank] = membership.units[member]!;
    shares[rank] = membership.shares[member]!;
    distance[rank] = raw[member]!;
    bins[rank] = Math.min(TRAVEL_BINS - 1, Math.floor(raw[member]! / TRAVEL_BIN_M));
  }
  return { units, shares, distance, bins, hasTravel: true, weights: new Float64Array(count), weightsVersion: -1 };
}

/**
 * Where a (year, service)'s per-unit children and expected users come from: one array of pairs
 * (children, users of unit u at 2u, 2u + 1; computed by one streaming pass when every catchment is summed),
 * or the year's counts directly (when an edit left only a few catchments to sum, a pass over all units
 * would cost more than their members).
 */
export type UnitValues =
  | { kind: 'pairs'; pairs: Float64Array }
  | { kind: 'counts'; counts: Float64Array; units: number; minAge: number; maxAge: number; rates: ArrayLike<number> };

/** What one (year, service) needs to sum a catchment (its members carry their weights). */
export interface SumInput {
  values: UnitValues;
  limitM: number;
}

/** Where a sum that does not build the network histogram writes its bins (never read). */
const discardedHistogram = new Float64Array(TRAVEL_BINS);

/** Scratch for one catchment's weighted users per member (grown as needed, never shrunk). */
const scratch = { users: new Float64Array(1024) };

function scratchUsers(count: number): Float64Array {
  if (scratch.users.length < count) scratch.users = new Float64Array(count * 2);
  return scratch.users;
}

/**
 * Each member's weighted expected users into `out`; returns the weighted children. The hot loop: one read
 * of the unit's pair, one multiply each.
 */
function weighMemberValues(members: CatchmentMembers, values: UnitValues, out: Float64Array): number {
  const { units, weights } = members;
  const count = units.length;
  let eligible = 0;
  if (values.kind === 'pairs') {
    const pairs = values.pairs;
    for (let member = 0; member < count; member += 1) {
      const at = units[member]! * 2;
      const weight = weights[member]!;
      eligible += pairs[at]! * weight;
      out[member] = pairs[at + 1]! * weight;
    }
    return eligible;
  }
  const { counts, units: stride, minAge, maxAge, rates } = values;
  for (let member = 0; member < count; member += 1) {
    const unit = units[member]!;
    let children = 0;
    let expected = 0;
    for (let age = minAge; age <= maxAge; age += 1) {
      const people = counts[age * stride + unit]!;
      children += people;
      expected += people * rates[age]!;
    }
    const weight = weights[member]!;
    eligible += children * weight;
    out[member] = expected * weight;
  }
  return eligible;
}

/** Sums of every catchment of a service for one year, by slot (catchments ordered by fid). NaN = none. */
export class SumsTable {
  readonly eligible: Float64Array;
  readonly users: Float64Array;
  readonly travelSum: Float64Array;
  readonly overLimit: Float64Array;
  readonly p90: Float64Array;
  readonly max: Float64Array;
  readonly ready: Uint8Array;
  /** Slots still to compute. */
  pending: number;
  /** The network's P90 from the histogram; undefined until computed, dropped by an edit. */
  networkP90: number | null | undefined = undefined;

  constructor(
    readonly slots: number,
    readonly hasPopulation: boolean,
  ) {
    this.eligible = new Float64Array(slots);
    this.users = new Float64Array(slots);
    this.travelSum = new Float64Array(slots);
    this.overLimit = new Float64Array(slots);
    this.p90 = new Float64Array(slots).fill(NaN);
    this.max = new Float64Array(slots).fill(NaN);
    this.ready = new Uint8Array(slots);
    this.pending = slots;
  }

  markStale(slot: number): boolean {
    this.networkP90 = undefined;
    if (!this.ready[slot]) return false;
    this.ready[slot] = 0;
    this.pending += 1;
    return true;
  }
}

/**
 * Fills slot `slot` of the table from the members. With a histogram, also adds each member's users to
 * its distance bin (the full pass builds the network histogram on the way).
 */
export function sumCatchment(members: CatchmentMembers, input: SumInput, table: SumsTable, slot: number, histogram: Float64Array | null): void {
  const { units, weights, distance, bins } = members;
  const { limitM, values } = input;
  const count = units.length;
  const memberUsers = scratchUsers(count);
  const bucket = histogram ?? discardedHistogram;
  let eligible = 0;
  let users = 0;
  let travelSum = 0;
  let overLimit = 0;
  let p90 = NaN;
  let max = NaN;
  if (values.kind === 'pairs' && members.hasTravel) {
    // The hot path (every catchment of a full recompute): ONE pass for the sums, travel and histogram.
    // `cumulative[m]` is the users of members 0..m; members without users add exact zeros, so every sum is
    // identical to one over the members with users only.
    const pairs = values.pairs;
    const cumulative = memberUsers;
    for (let member = 0; member < count; member += 1) {
      const at = units[member]! * 2;
      const weight = weights[member]!;
      eligible += pairs[at]! * weight;
      const expected = pairs[at + 1]! * weight;
      users += expected;
      cumulative[member] = users;
      const metres = distance[member]!;
      travelSum += expected * metres;
      if (metres > limitM) overLimit += expected;
      const bin = bins[member]!;
      bucket[bin] = bucket[bin]! + expected;
    }
    if (users > 0) {
      // Members are sorted by distance: the farthest with users is the last where the cumulative grows…
      let last = count - 1;
      while (last > 0 && cumulative[last]! === cumulative[last - 1]!) last -= 1;
      max = distance[last]!;
      // …and the weighted 90th percentile is the first member whose cumulative reaches 90 % (binary search).
      const threshold = 0.9 * users - 1e-9;
      let low = 0;
      let high = last;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (cumulative[middle]! >= threshold) high = middle;
        else low = middle + 1;
      }
      // With a threshold at or below zero the first member with users is the answer.
      if (threshold <= 0) while (low < last && cumulative[low]! <= 0) low += 1;
      p90 = distance[low]!;
    } else {
      travelSum = 0;
      overLimit = 0;
    }
  } else {
    eligible = weighMemberValues(members, values, memberUsers);
    for (let member = 0; member < count; member += 1) users += memberUsers[member]!;
    if (users > 0 && members.hasTravel) {
      const threshold = 0.9 * users - 1e-9;
      let cumulative = 0;
      for (let member = 0; member < count; member += 1) {
        const expected = memberUsers[member]!;
        if (expected <= 0) continue;
        const metres = distance[member]!;
        travelSum += expected * metres;
        if (metres > limitM) overLimit += expected;
        cumulative += expected;
        if (p90 !== p90 && cumulative >= threshold) p90 = metres;
        max = metres;
        const bin = bins[member]!;
        bucket[bin] = bucket[bin]! + expected;
      }
    }
  }
  table.eligible[slot] = eligible;
  table.users[slot] = users;
  table.travelSum[slot] = travelSum;
  table.overLimit[slot] = overLimit;
  table.p90[slot] = p90;
  table.max[slot] = max;
  if (!table.ready[slot]) {
    table.ready[slot] = 1;
    table.pending -= 1;
  }
}

/** Adds a catchment's users per distance bin to the histogram (the network P90 after an edit); returns them. */
export function addToHistogram(members: CatchmentMembers, input: SumInput, histogram: Float64Array): number {
  if (!members.hasTravel) return 0;
  const { bins } = members;
  const memberUsers = scratchUsers(members.units.length);
  weighMemberValues(members, input.values, memberUsers);
  let total = 0;
  for (let member = 0; member < members.units.length; member += 1) {
    const weighted = memberUsers[member]!;
    if (weighted <= 0) continue;
    const bin = bins[member]!;
    histogram[bin] = histogram[bin]! + weighted;
    total += weighted;
  }
  return total;
}

/** The distance (bin's upper edge) at which the histogram's cumulative users reach 90 %. */
export function histogramP90(histogram: Float64Array, total: number): number | null {
  if (total <= 0) return null;
  let cumulative = 0;
  for (let bin = 0; bin < TRAVEL_BINS; bin += 1) {
    cumulative += histogram[bin]!;
    if (cumulative >= 0.9 * total - 1e-9) return (bin + 1) * TRAVEL_BIN_M;
  }
  return null;
}
