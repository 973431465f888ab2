/**
 * The KPI engine: eligible children, expected users, capacity, utilisation, surplus or shortfall, travel
 * (mean, 90th percentile, maximum, share over the free-transport limit) and cost per catchment, facility,
 * service and statistical area, for any year. Pure (no DOM, no Node), so the renderer runs it in a Web
 * Worker and the host runs the very same code for `verkosto kpi`.
 *
 * Data layout: population is one Float64Array per year, 16 ages per unit; each catchment's members are
 * typed arrays (overlap.ts) sorted by distance to its facility. Per (year, service) the engine keeps each
 * catchment's sums; an edit recomputes only the catchments it touched, and the facility, service and
 * network rows are re-aggregated from those sums (a pass over catchments, not over units).
 *
 * Gaps are explicit: a value that cannot be computed is null and the row's `gaps` says why. No NaN, no
 * Infinity, no silent zero leaves this module.
 */
import type { MultiPolygonGeometry, PointGeometry } from '../geo/geometry';
import type { UnitKind } from '../domain/project';
import { EMPTY_MEMBERSHIP, indexUnits, membershipOf, type Membership, type UnitGeometryIndex } from './overlap';
import { analysisSettingsFrom, DEMAND_SERVICES, isDemandService, utilisationBand, type AnalysisSettings, type DemandService, type ServiceDefinition, type SettingsRecord, type UtilisationBand } from './settings';

export interface AnalysisUnit {
  fid: number;
  kind: UnitKind | string;
  code: string;
  name: string | null;
  geometry: MultiPolygonGeometry | null;
}

export interface AnalysisCatchment {
  fid: number;
  name: string;
  service: string;
  language: string;
  facilityFid: number | null;
  geometry: MultiPolygonGeometry | null;
}

export interface AnalysisFacility {
  fid: number;
  name: string;
  language: string;
  status: string;
  opensYear: number | null;
  closesYear: number | null;
  geometry: PointGeometry | null;
  floorAreaM2: number | null;
  operatingCostEur: number | null;
  investmentNeedEur: number | null;
}

export interface AnalysisCapacity {
  facilityFid: number;
  service: string;
  capacity: number | null;
}

/**
 * Population rows, column-wise: ages holds 16 values per row (null or NaN = not known). The host reads
 * them into typed arrays (a national project has 1.6 million rows); over the contract they travel as
 * plain arrays.
 */
export interface AnalysisPopulation {
  unitFid: ArrayLike<number>;
  year: ArrayLike<number>;
  source: ArrayLike<string>;
  ages: ArrayLike<number | null>;
}

/** Everything the KPIs depend on: what the host sends the renderer's worker and what the CLI reads. */
export interface AnalysisData {
  settings: SettingsRecord;
  units: AnalysisUnit[];
  catchments: AnalysisCatchment[];
  facilities: AnalysisFacility[];
  capacities: AnalysisCapacity[];
  population: AnalysisPopulation;
}

/** Why a value is missing or a row needs attention. Shown as words in the panel, table and CLI. */
export const GAP_CODES = [
  'noPopulation',
  'noFacility',
  'noCapacity',
  'facilityClosed',
  'noUsers',
  'noCost',
  'noFloorArea',
  'noInvestmentNeed',
  'noCatchments',
  'facilityWithoutCatchment',
  'outsideCatchments',
  'noFacilityLocation',
] as const;
export type GapCode = (typeof GAP_CODES)[number];

export type KpiLevel = 'catchment' | 'facility' | 'service' | 'area';

export interface KpiRow {
  level: KpiLevel;
  /** Catchment fid, facility fid or area unit fid; null for a service (network) row. */
  fid: number | null;
  name: string;
  service: DemandService;
  language: string | null;
  year: number;
  facilityFid: number | null;
  eligible: number | null;
  users: number | null;
  capacity: number | null;
  utilisation: number | null;
  surplus: number | null;
  travelMeanM: number | null;
  travelP90M: number | null;
  travelMaxM: number | null;
  overLimitShare: number | null;
  costPerUser: number | null;
  m2PerUser: number | null;
  investmentNeedEur: number | null;
  /** Children (expected users) living outside every catchment of the service: service rows only. */
  outsideUsers: number | null;
  band: UtilisationBand | null;
  gaps: GapCode[];
}

export interface KpiResult {
  year: number;
  service: DemandService;
  unitKind: string | null;
  catchments: KpiRow[];
  facilities: KpiRow[];
  network: KpiRow;
  areas: KpiRow[];
}

const UNIT_KIND_PREFERENCE = ['grid_250m', 'grid_1km', 'small_area'];
const TRAVEL_BIN_M = 10;
const TRAVEL_BINS = 20_001; // 0–200 km in 10 m bins; the last bin holds everything farther

interface CatchmentState {
  catchment: AnalysisCatchment;
  memberships: Map<string, Membership>;
  /** Per unit kind: member order by distance and the distances, for percentiles without sorting per year. */
  distances: Map<string, { order: Int32Array; distance: Float64Array }>;
}

interface ServiceLayout {
  fids: number[];
  offsets: Int32Array;
  units: Int32Array;
  weights: Float64Array;
  distance: Float64Array;
}

interface CatchmentSums {
  eligible: number;
  users: number;
  travelSum: number;
  travelP90: number | null;
  travelMax: number | null;
  overLimit: number;
  hasPopulation: boolean;
}

function round(value: number, digits = 6): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A finite number or null: the last guard before a value leaves the engine. */
function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

export class KpiEngine {
  private settingsRecord: SettingsRecord;
  settings: AnalysisSettings;
  private units: AnalysisUnit[];
  private unitIndex: UnitGeometryIndex;
  private unitKinds: string[];
  private unitByFid = new Map<number, number>();
  /** Population per year: 16 values per unit, and whether the unit has a row that year. */
  private population = new Map<number, { ages: Float64Array[]; present: Uint8Array; kinds: Set<string>; masks: Map<string, Float64Array> }>();
  private catchmentStates = new Map<number, CatchmentState>();
  private facilities = new Map<number, AnalysisFacility>();
  private capacities = new Map<string, number | null>();
  /** Per `${year}:${service}`: sums per catchment fid. */
  private sums = new Map<string, Map<number, CatchmentSums>>();
  private unitValueCache = new Map<string, { eligible: Float64Array; users: Float64Array }>();
  private histogram = new Float64Array(TRAVEL_BINS);
  private layouts = new Map<string, ServiceLayout>();
  private capacityLists = new Map<string, Map<number, number | null>>();

  /** Capacities of one service by facility fid (built once from the capacity rows). */
  private capacityList(service: string): Map<number, number | null> {
    let list = this.capacityLists.get(service);
    if (!list) {
      list = new Map();
      for (const [key, value] of this.capacities) {
        const [fid, capacityService] = key.split(':');
        if (capacityService === service) list.set(Number(fid), value);
      }
      this.capacityLists.set(service, list);
    }
    return list;
  }
  private scratch = new Float64Array(1024);
  private areaMemberships: Map<string, Membership[]> = new Map();
  private areaUnits: number[] = [];

  constructor(data: AnalysisData) {
    this.settingsRecord = { ...data.settings };
    this.settings = analysisSettingsFrom(this.settingsRecord);
    this.units = data.units;
    this.unitKinds = data.units.map((unit) => String(unit.kind));
    data.units.forEach((unit, index) => this.unitByFid.set(unit.fid, index));
    this.unitIndex = indexUnits(data.units.map((unit) => unit.geometry));
    this.areaUnits = data.units.flatMap((unit, index) => (unit.kind === 'small_area' ? [index] : []));
    this.loadPopulation(data.population);
    for (const facility of data.facilities) this.facilities.set(facility.fid, facility);
    for (const capacity of data.capacities) this.capacities.set(`${capacity.facilityFid}:${capacity.service}`, capacity.capacity);
    for (const catchment of data.catchments) this.catchmentStates.set(catchment.fid, { catchment, memberships: new Map(), distances: new Map() });
  }

  private loadPopulation(population: AnalysisPopulation): void {
    const count = this.units.length;
    for (let row = 0; row < population.unitFid.length; row += 1) {
      const unit = this.unitByFid.get(population.unitFid[row]!);
      if (unit === undefined) continue;
      const year = population.year[row]!;
      let entry = this.population.get(year);
      if (!entry) {
        // Age-major (one array per age over all units): a service's ages are read as contiguous runs.
        entry = { ages: Array.from({ length: 16 }, () => new Float64Array(count)), present: new Uint8Array(count), kinds: new Set(), masks: new Map() };
        this.population.set(year, entry);
      }
      entry.present[unit] = 1;
      entry.kinds.add(this.unitKinds[unit]!);
      for (let age = 0; age < 16; age += 1) {
        const value = population.ages[row * 16 + age];
        entry.ages[age]![unit] = typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
      }
    }
  }

  /** Years that have population rows, ascending. */
  years(): number[] {
    return [...this.population.keys()].sort((a, b) => a - b);
  }

  /** The unit kind a year is analysed with: the setting if it has population that year, else the finest kind that has. */
  unitKindFor(year: number): string | null {
    const entry = this.population.get(year);
    if (!entry) return null;
    if (this.settings.unitKind && entry.kinds.has(this.settings.unitKind)) return this.settings.unitKind;
    return UNIT_KIND_PREFERENCE.find((kind) => entry.kinds.has(kind)) ?? [...entry.kinds].sort()[0] ?? null;
  }

  private facilityPoint(fid: number | null): [number, number] | null {
    if (fid === null) return null;
    const coordinates = this.facilities.get(fid)?.geometry?.coordinates;
    return coordinates ? [coordinates[0], coordinates[1]] : null;
  }

  private membership(state: CatchmentState, kind: string): Membership {
    let membership = state.memberships.get(kind);
    if (!membership) {
      membership = state.catchment.geometry ? membershipOf(state.catchment.geometry, this.unitIndex, (unit) => this.unitKinds[unit] === kind) : EMPTY_MEMBERSHIP;
      state.memberships.set(kind, membership);
    }
    return membership;
  }

  private distances(state: CatchmentState, kind: string): { order: Int32Array; distance: Float64Array } | null {
    const point = this.facilityPoint(state.catchment.facilityFid);
    if (!point) return null;
    let entry = state.distances.get(kind);
    if (!entry) {
      const membership = this.membership(state, kind);
      const distance = new Float64Array(membership.units.length);
      for (let member = 0; member < distance.length; member += 1) {
        distance[member] = Math.hypot(membership.centreX[member]! - point[0], membership.centreY[member]! - point[1]);
      }
      const order = Int32Array.from(distance.keys()).sort((a, b) => distance[a]! - distance[b]! || a - b);
      entry = { order, distance };
      state.distances.set(kind, entry);
    }
    return entry;
  }

  private languageShare(language: string): number {
    return language === 'sv' ? this.settings.swedishShare : 1 - this.settings.swedishShare;
  }

  /**
   * Eligible children and expected users per unit for a year and service (zero for units of another kind):
   * one pass over the population, shared by every catchment, the network row and the travel histogram.
   */
  private unitValues(year: number, definition: ServiceDefinition): { eligible: Float64Array; users: Float64Array } | null {
    const key = `${year}:${definition.service}`;
    let values = this.unitValueCache.get(key);
    if (values) return values;
    const kind = this.unitKindFor(year);
    const entry = this.population.get(year);
    if (!kind || !entry) return null;
    const count = this.units.length;
    // 1 for the units the year is analysed with (its kind, with a population row), 0 for the rest.
    let mask = entry.masks.get(kind);
    if (!mask) {
      mask = new Float64Array(count);
      for (let unit = 0; unit < count; unit += 1) mask[unit] = entry.present[unit] && this.unitKinds[unit] === kind ? 1 : 0;
      entry.masks.set(kind, mask);
    }
    const eligible = new Float64Array(count);
    const users = new Float64Array(count);
    const { minAge, maxAge, participation } = definition;
    for (let age = minAge; age <= maxAge; age += 1) {
      const people = entry.ages[age]!;
      const rate = participation[age]!;
      for (let unit = 0; unit < count; unit += 1) {
        eligible[unit] = eligible[unit]! + people[unit]!;
        users[unit] = users[unit]! + people[unit]! * rate;
      }
    }
    for (let unit = 0; unit < count; unit += 1) {
      eligible[unit] = eligible[unit]! * mask[unit]!;
      users[unit] = users[unit]! * mask[unit]!;
    }
    values = { eligible, users };
    this.unitValueCache.set(key, values);
    return values;
  }

  /**
   * Every catchment of a service, flat (CSR): catchment i's members are entries offsets[i]..offsets[i+1] of
   * units / weights / distance, sorted by distance to its facility. Built from the per-catchment overlaps
   * (cached) in one concatenation; an edit drops the layouts and the next use rebuilds them.
   */
  private layout(service: string, kind: string): ServiceLayout {
    const key = `${service}:${kind}`;
    let layout = this.layouts.get(key);
    if (layout) return layout;
    const fids: number[] = [];
    const parts: { membership: Membership; order: Int32Array | null; distance: Float64Array | null; share: number }[] = [];
    let total = 0;
    for (const [fid, state] of [...this.catchmentStates].sort((a, b) => a[0] - b[0])) {
      if (state.catchment.service !== service) continue;
      const membership = this.membership(state, kind);
      const distances = this.distances(state, kind);
      fids.push(fid);
      parts.push({ membership, order: distances?.order ?? null, distance: distances?.distance ?? null, share: this.languageShare(state.catchment.language) });
      total += membership.units.length;
    }
    const offsets = new Int32Array(fids.length + 1);
    const units = new Int32Array(total);
    const weights = new Float64Array(total);
    const distance = new Float64Array(total);
    let position = 0;
    parts.forEach((part, index) => {
      offsets[index] = position;
      const count = part.membership.units.length;
      for (let rank = 0; rank < count; rank += 1) {
        const member = part.order ? part.order[rank]! : rank;
        units[position] = part.membership.units[member]!;
        weights[position] = part.membership.shares[member]! * part.share;
        distance[position] = part.distance ? part.distance[member]! : NaN;
        position += 1;
      }
    });
    offsets[fids.length] = position;
    layout = { fids, offsets, units, weights, distance };
    this.layouts.set(key, layout);
    return layout;
  }

  /** Sums of one catchment (slot `index` of the layout) for a year and service. */
  private sumsFromLayout(layout: ServiceLayout, index: number, values: { eligible: Float64Array; users: Float64Array }, limit: number): CatchmentSums {
    const start = layout.offsets[index]!;
    const end = layout.offsets[index + 1]!;
    const { units, weights, distance } = layout;
    let eligible = 0;
    let users = 0;
    if (this.scratch.length < end - start) this.scratch = new Float64Array((end - start) * 2);
    const scratch = this.scratch;
    for (let position = start; position < end; position += 1) {
      const unit = units[position]!;
      const memberUsers = values.users[unit]! * weights[position]!;
      scratch[position - start] = memberUsers;
      eligible += values.eligible[unit]! * weights[position]!;
      users += memberUsers;
    }
    let travelSum = 0;
    let travelP90: number | null = null;
    let travelMax: number | null = null;
    let overLimit = 0;
    if (users > 0 && end > start && !Number.isNaN(distance[start]!)) {
      let cumulative = 0;
      const threshold = 0.9 * users - 1e-9;
      for (let position = start; position < end; position += 1) {
        const weight = scratch[position - start]!;
        if (weight <= 0) continue;
        const metres = distance[position]!;
        travelSum += weight * metres;
        if (metres > limit) overLimit += weight;
        cumulative += weight;
        if (travelP90 === null && cumulative >= threshold) travelP90 = metres;
        travelMax = metres;
      }
    }
    return { eligible, users, travelSum, travelP90, travelMax, overLimit, hasPopulation: true };
  }

  private sumsFor(year: number, definition: ServiceDefinition): Map<number, CatchmentSums> {
    const key = `${year}:${definition.service}`;
    let perCatchment = this.sums.get(key);
    if (!perCatchment) {
      perCatchment = new Map();
      this.sums.set(key, perCatchment);
    }
    // Catchments an edit invalidated (or never computed) are computed here, on demand: an edit costs only
    // the catchments it touched, and only in the years and services someone looks at.
    if (perCatchment.size !== this.catchmentCountFor(definition.service)) {
      const kind = this.unitKindFor(year);
      const values = this.unitValues(year, definition);
      if (!kind || !values) {
        const empty: CatchmentSums = { eligible: 0, users: 0, travelSum: 0, travelP90: null, travelMax: null, overLimit: 0, hasPopulation: false };
        for (const [fid, state] of this.catchmentStates) if (state.catchment.service === definition.service) perCatchment.set(fid, empty);
      } else {
        const layout = this.layout(definition.service, kind);
        for (let index = 0; index < layout.fids.length; index += 1) {
          const fid = layout.fids[index]!;
          if (!perCatchment.has(fid)) perCatchment.set(fid, this.sumsFromLayout(layout, index, values, definition.freeTransportLimitM));
        }
      }
    }
    return perCatchment;
  }

  private catchmentCounts: Map<string, number> | null = null;
  private catchmentCountFor(service: string): number {
    if (!this.catchmentCounts) {
      this.catchmentCounts = new Map();
      for (const state of this.catchmentStates.values()) this.catchmentCounts.set(state.catchment.service, (this.catchmentCounts.get(state.catchment.service) ?? 0) + 1);
    }
    return this.catchmentCounts.get(service) ?? 0;
  }

  private definition(service: DemandService): ServiceDefinition {
    return this.settings.services.find((entry) => entry.service === service)!;
  }

  private facilityActive(facility: AnalysisFacility, year: number): boolean {
    if (facility.status === 'closed') return false;
    if (facility.opensYear !== null && year < facility.opensYear) return false;
    if (facility.closesYear !== null && year >= facility.closesYear) return false;
    return true;
  }

  /** Capacity of a facility for a service in a year, or the gap that explains why there is none. */
  private capacityOf(fid: number, service: string, year: number): { capacity: number | null; gap: GapCode | null } {
    const facility = this.facilities.get(fid);
    if (!facility) return { capacity: null, gap: 'noFacility' };
    if (!this.facilityActive(facility, year)) return { capacity: null, gap: 'facilityClosed' };
    const capacity = this.capacities.get(`${fid}:${service}`);
    if (capacity === undefined || capacity === null || capacity <= 0) return { capacity: null, gap: 'noCapacity' };
    return { capacity, gap: null };
  }

  /** The KPI rows of one service in one year. */
  compute(year: number, service: DemandService): KpiResult {
    const definition = this.definition(service);
    const hasPopulation = this.population.has(year);
    const perCatchment = this.sumsFor(year, definition);
    const facilityUsersAllServices = this.facilityUsersAllServices(year);

    const blank = (level: KpiLevel, fid: number | null, name: string, language: string | null, facilityFid: number | null): KpiRow => ({
      level, fid, name, service, language, year, facilityFid,
      eligible: null, users: null, capacity: null, utilisation: null, surplus: null,
      travelMeanM: null, travelP90M: null, travelMaxM: null, overLimitShare: null,
      costPerUser: null, m2PerUser: null, investmentNeedEur: null, outsideUsers: null, band: null, gaps: [],
    });

    const fillCapacity = (row: KpiRow, capacity: number | null, gap: GapCode | null) => {
      if (gap) row.gaps.push(gap);
      row.capacity = capacity;
      if (capacity !== null && row.users !== null) {
        row.utilisation = finiteOrNull(round(row.users / capacity));
        row.surplus = round(capacity - row.users, 3);
        if (row.utilisation !== null) row.band = utilisationBand(row.utilisation, this.settings);
      }
    };

    const fillFacilityCosts = (row: KpiRow, facilityFid: number | null) => {
      const facility = facilityFid === null ? undefined : this.facilities.get(facilityFid);
      if (!facility) return;
      const allUsers = facilityUsersAllServices.get(facility.fid) ?? 0;
      if (facility.investmentNeedEur === null) row.gaps.push('noInvestmentNeed');
      else row.investmentNeedEur = facility.investmentNeedEur;
      if (allUsers <= 0) {
        // Without catchments the facility has no modelled users: say that once, not also "no users".
        if (hasPopulation && !row.gaps.includes('facilityWithoutCatchment')) row.gaps.push('noUsers');
        return;
      }
      if (facility.operatingCostEur === null) row.gaps.push('noCost');
      else row.costPerUser = round(facility.operatingCostEur / allUsers, 2);
      if (facility.floorAreaM2 === null) row.gaps.push('noFloorArea');
      else row.m2PerUser = round(facility.floorAreaM2 / allUsers, 3);
    };

    const fillTravel = (row: KpiRow, sums: CatchmentSums[]) => {
      const users = sums.reduce((total, entry) => total + entry.users, 0);
      const withTravel = sums.filter((entry) => entry.travelMax !== null);
      if (users <= 0 || withTravel.length === 0) return;
      row.travelMeanM = round(withTravel.reduce((total, entry) => total + entry.travelSum, 0) / users, 1);
      row.travelMaxM = Math.max(...withTravel.map((entry) => entry.travelMax!));
      row.overLimitShare = round(withTravel.reduce((total, entry) => total + entry.overLimit, 0) / users);
      // One catchment: its exact weighted P90; several: the largest of theirs is an upper bound, so merge instead.
      row.travelP90M = withTravel.length === 1 ? withTravel[0]!.travelP90 : null;
    };

    // Catchment rows.
    const catchments: KpiRow[] = [];
    const byFacility = new Map<number, { sums: CatchmentSums[]; fids: number[] }>();
    for (const [fid, sums] of [...perCatchment].sort((a, b) => a[0] - b[0])) {
      const { catchment } = this.catchmentStates.get(fid)!;
      const row = blank('catchment', fid, catchment.name, catchment.language, catchment.facilityFid);
      if (!sums.hasPopulation) row.gaps.push('noPopulation');
      else {
        row.eligible = round(sums.eligible, 3);
        row.users = round(sums.users, 3);
      }
      if (catchment.facilityFid === null || !this.facilities.has(catchment.facilityFid)) {
        row.gaps.push('noFacility');
      } else {
        const { capacity, gap } = this.capacityOf(catchment.facilityFid, service, year);
        fillCapacity(row, capacity, gap);
        if (!this.facilityPoint(catchment.facilityFid)) row.gaps.push('noFacilityLocation');
        fillTravel(row, [sums]);
        fillFacilityCosts(row, catchment.facilityFid);
        const group = byFacility.get(catchment.facilityFid) ?? { sums: [], fids: [] };
        group.sums.push(sums);
        group.fids.push(fid);
        byFacility.set(catchment.facilityFid, group);
      }
      catchments.push(row);
    }

    // Facility rows: every facility that has catchments or capacity for the service.
    const facilityFids = new Set<number>(byFacility.keys());
    for (const fid of this.capacityList(service).keys()) facilityFids.add(fid);
    const facilities: KpiRow[] = [];
    for (const fid of [...facilityFids].sort((a, b) => a - b)) {
      const facility = this.facilities.get(fid);
      if (!facility) continue;
      const group = byFacility.get(fid);
      const row = blank('facility', fid, facility.name, facility.language, fid);
      if (!hasPopulation) row.gaps.push('noPopulation');
      else if (!group) row.gaps.push('facilityWithoutCatchment');
      else {
        row.eligible = round(group.sums.reduce((total, entry) => total + entry.eligible, 0), 3);
        row.users = round(group.sums.reduce((total, entry) => total + entry.users, 0), 3);
      }
      const { capacity, gap } = this.capacityOf(fid, service, year);
      fillCapacity(row, capacity, gap);
      if (group) {
        fillTravel(row, group.sums);
        if (group.sums.length > 1) row.travelP90M = this.mergedP90(group.fids, year, definition);
      }
      fillFacilityCosts(row, fid);
      facilities.push(row);
    }

    return {
      year,
      service,
      unitKind: this.unitKindFor(year),
      catchments,
      facilities,
      network: this.networkRow(year, definition, perCatchment, blank('service', null, service, null, null)),
      areas: this.areaRows(year, definition, blank),
    };
  }

  private mergedP90(catchmentFids: number[], year: number, definition: ServiceDefinition): number | null {
    const parts: { distance: number; users: number }[] = [];
    const kind = this.unitKindFor(year);
    const values = this.unitValues(year, definition);
    if (!kind || !values) return null;
    for (const fid of catchmentFids) {
      const state = this.catchmentStates.get(fid)!;
      const membership = this.membership(state, kind);
      const distances = this.distances(state, kind);
      if (!distances) continue;
      const share = this.languageShare(state.catchment.language);
      for (let member = 0; member < membership.units.length; member += 1) {
        parts.push({ distance: distances.distance[member]!, users: values.users[membership.units[member]!]! * membership.shares[member]! * share });
      }
    }
    return weightedPercentile(parts, 0.9);
  }

  /** Users of every service per facility in a year: the denominator of cost and m² per user. */
  private facilityUsersAllServices(year: number): Map<number, number> {
    const totals = new Map<number, number>();
    if (!this.population.has(year)) return totals;
    for (const service of DEMAND_SERVICES) {
      const perCatchment = this.sumsFor(year, this.definition(service));
      for (const [fid, sums] of perCatchment) {
        const facilityFid = this.catchmentStates.get(fid)!.catchment.facilityFid;
        if (facilityFid !== null) totals.set(facilityFid, (totals.get(facilityFid) ?? 0) + sums.users);
      }
    }
    return totals;
  }

  private networkRow(year: number, definition: ServiceDefinition, perCatchment: Map<number, CatchmentSums>, row: KpiRow): KpiRow {
    const entry = this.population.get(year);
    const kind = this.unitKindFor(year);
    // Capacity of every active facility offering the service.
    let capacity = 0;
    let anyCapacity = false;
    for (const [fid, value] of this.capacityList(definition.service)) {
      if (value === null || value <= 0) continue;
      const facility = this.facilities.get(fid);
      if (facility && this.facilityActive(facility, year)) {
        capacity += value;
        anyCapacity = true;
      }
    }
    const values = this.unitValues(year, definition);
    if (!entry || !kind || !values) {
      row.gaps.push('noPopulation');
    } else {
      let eligible = 0;
      let users = 0;
      for (let unit = 0; unit < this.units.length; unit += 1) {
        eligible += values.eligible[unit]!;
        users += values.users[unit]!;
      }
      row.eligible = round(eligible, 3);
      row.users = round(users, 3);
      if (perCatchment.size === 0) row.gaps.push('noCatchments');
      else {
        const inCatchments = [...perCatchment.values()].reduce((total, sums) => total + sums.users, 0);
        // Expected users no catchment of the service covers (their language's set has a gap there).
        const outside = Math.max(0, users - inCatchments);
        row.outsideUsers = round(outside, 3);
        if (outside >= 0.5) row.gaps.push('outsideCatchments');
        const all = [...perCatchment.values()];
        const withTravel = all.filter((sums) => sums.travelMax !== null);
        if (inCatchments > 0 && withTravel.length > 0) {
          row.travelMeanM = round(withTravel.reduce((total, sums) => total + sums.travelSum, 0) / inCatchments, 1);
          row.travelMaxM = Math.max(...withTravel.map((sums) => sums.travelMax!));
          row.overLimitShare = round(withTravel.reduce((total, sums) => total + sums.overLimit, 0) / inCatchments);
          row.travelP90M = this.networkP90(year, definition);
        }
      }
    }
    if (!anyCapacity) row.gaps.push('noCapacity');
    else {
      row.capacity = capacity;
      if (row.users !== null) {
        row.utilisation = finiteOrNull(round(row.users / capacity));
        row.surplus = round(capacity - row.users, 3);
        if (row.utilisation !== null) row.band = utilisationBand(row.utilisation, this.settings);
      }
    }
    return row;
  }

  /** Network P90 from a 10 m histogram over every catchment's members (one pass, no sort). */
  private networkP90(year: number, definition: ServiceDefinition): number | null {
    const kind = this.unitKindFor(year);
    const values = this.unitValues(year, definition);
    if (!kind || !values) return null;
    const histogram = this.histogram.fill(0);
    let total = 0;
    const { units, weights, distance } = this.layout(definition.service, kind);
    for (let position = 0; position < units.length; position += 1) {
      const metres = distance[position]!;
      if (Number.isNaN(metres)) continue; // a catchment without a facility location has no journeys
      const users = values.users[units[position]!]! * weights[position]!;
      if (users <= 0) continue;
      const bin = Math.min(TRAVEL_BINS - 1, Math.floor(metres / TRAVEL_BIN_M));
      histogram[bin] = histogram[bin]! + users;
      total += users;
    }
    if (total <= 0) return null;
    let cumulative = 0;
    for (let bin = 0; bin < TRAVEL_BINS; bin += 1) {
      cumulative += histogram[bin]!;
      if (cumulative >= 0.9 * total - 1e-9) return (bin + 1) * TRAVEL_BIN_M;
    }
    return null;
  }

  /** Totals per statistical area (small-area units): eligible children and expected users. */
  private areaRows(year: number, definition: ServiceDefinition, blank: (level: KpiLevel, fid: number | null, name: string, language: string | null, facilityFid: number | null) => KpiRow): KpiRow[] {
    const kind = this.unitKindFor(year);
    const entry = this.population.get(year);
    const values = this.unitValues(year, definition);
    if (!kind || !entry || !values || this.areaUnits.length === 0) return [];
    let memberships = this.areaMemberships.get(kind);
    if (!memberships) {
      memberships = this.areaUnits.map((area) =>
        kind === 'small_area'
          ? { units: Int32Array.of(area), shares: Float64Array.of(1), centreX: new Float64Array(1), centreY: new Float64Array(1), intersected: 0 }
          : membershipOf(this.units[area]!.geometry, this.unitIndex, (unit) => this.unitKinds[unit] === kind),
      );
      this.areaMemberships.set(kind, memberships);
    }
    return this.areaUnits.map((area, index) => {
      const unit = this.units[area]!;
      const row = blank('area', unit.fid, unit.name ?? unit.code, null, null);
      const membership = memberships![index]!;
      let eligible = 0;
      let users = 0;
      let present = false;
      for (let member = 0; member < membership.units.length; member += 1) {
        const memberUnit = membership.units[member]!;
        if (entry.present[memberUnit]) present = true;
        eligible += values.eligible[memberUnit]! * membership.shares[member]!;
        users += values.users[memberUnit]! * membership.shares[member]!;
      }
      if (!present) row.gaps.push('noPopulation');
      else {
        row.eligible = round(eligible, 3);
        row.users = round(users, 3);
      }
      return row;
    });
  }

  // ---- incremental updates: each recomputes only what the change touched ----

  /** Replaces a catchment (new geometry, facility or attributes) or removes it (null); returns the work done. */
  updateCatchment(fid: number, catchment: AnalysisCatchment | null): { invalidated: number } {
    const services = new Set([this.catchmentStates.get(fid)?.catchment.service, catchment?.service]);
    this.catchmentStates.delete(fid);
    if (catchment) this.catchmentStates.set(fid, { catchment, memberships: new Map(), distances: new Map() });
    this.catchmentCounts = null;
    // The flat layouts of its service are rebuilt on next use (a concatenation of the cached overlaps).
    for (const key of [...this.layouts.keys()]) if (services.has(key.split(':')[0])) this.layouts.delete(key);
    // Its sums are dropped everywhere; the next compute of a year and service recomputes just this one.
    let invalidated = 0;
    for (const perCatchment of this.sums.values()) if (perCatchment.delete(fid)) invalidated += 1;
    return { invalidated };
  }

  /** A facility's attributes or location changed: only its catchments' travel needs recomputing. */
  updateFacility(facility: AnalysisFacility | null, fid: number): void {
    if (facility) this.facilities.set(fid, facility);
    else this.facilities.delete(fid);
    // Collected first: updateCatchment re-inserts into catchmentStates, and a Map iteration would visit the
    // re-inserted entry again, forever.
    const served = [...this.catchmentStates].filter(([, state]) => state.catchment.facilityFid === fid);
    for (const [catchmentFid, state] of served) this.updateCatchment(catchmentFid, state.catchment);
  }

  /** A capacity changed: nothing cached depends on it (capacity is read when rows are built). */
  updateCapacity(facilityFid: number, service: string, capacity: number | null): void {
    this.capacities.set(`${facilityFid}:${service}`, capacity);
    this.capacityLists.delete(service);
  }

  /** Settings changed: the demand model may have changed, so every cached sum goes. */
  updateSettings(settings: SettingsRecord): void {
    this.settingsRecord = { ...settings };
    this.settings = analysisSettingsFrom(this.settingsRecord);
    this.sums.clear();
    this.unitValueCache.clear();
    this.layouts.clear(); // the language share is in the weights
  }

  /** Catchment fids a service has, for callers that show the per-catchment map. */
  catchmentFids(service: string): number[] {
    return [...this.catchmentStates.values()].filter((state) => state.catchment.service === service).map((state) => state.catchment.fid);
  }

  /** Services with a demand model that have catchments, in the order of DEMAND_SERVICES. */
  servicesWithCatchments(): DemandService[] {
    const present = new Set([...this.catchmentStates.values()].map((state) => state.catchment.service));
    return DEMAND_SERVICES.filter((service) => present.has(service));
  }

  /** Membership of a catchment under the unit kind of a year (for the cross-check test and the panel). */
  catchmentMembership(fid: number, year: number): { unitFids: number[]; shares: number[] } {
    const state = this.catchmentStates.get(fid);
    const kind = this.unitKindFor(year);
    if (!state || !kind) return { unitFids: [], shares: [] };
    const membership = this.membership(state, kind);
    return { unitFids: [...membership.units].map((unit) => this.units[unit]!.fid), shares: [...membership.shares] };
  }
}

/** Years whose population rows are forecasts, ascending. */
export function forecastYearsOf(population: AnalysisPopulation): number[] {
  const years = new Set<number>();
  for (let row = 0; row < population.year.length; row += 1) if (population.source[row] === 'forecast') years.add(population.year[row]!);
  return [...years].sort((a, b) => a - b);
}

/** Weighted percentile (0–1) of distances: the smallest distance at which the cumulative weight reaches p. */
export function weightedPercentile(parts: { distance: number; users: number }[], p: number): number | null {
  const positive = parts.filter((part) => part.users > 0).sort((a, b) => a.distance - b.distance);
  const total = positive.reduce((sum, part) => sum + part.users, 0);
  if (total <= 0) return null;
  let cumulative = 0;
  for (const part of positive) {
    cumulative += part.users;
    if (cumulative >= p * total - 1e-9) return part.distance;
  }
  return positive[positive.length - 1]!.distance;
}

export { isDemandService };
