/**
 * The KPI engine: eligible children, expected users, capacity, utilisation, surplus or shortfall, travel
 * (mean, 90th percentile, maximum, share over the free-transport limit) and cost per catchment, facility,
 * service and statistical area, for any year. Pure (no DOM, no Node), so the renderer runs it in a Web
 * Worker and the host runs the very same code for `verkosto kpi`.
 *
 * Data layout: population is one Float64Array per year laid out unit × age (population-store.ts); each
 * catchment's members are typed arrays (overlap.ts) sorted once by distance to its facility
 * (catchment-sums.ts). Per (year, service) the engine keeps every catchment's sums in one table of typed
 * arrays; an edit marks only the catchments it touched stale, and the facility, service and network rows
 * are re-aggregated from those sums (a pass over catchments, not over units). The network's totals come
 * from per-age totals of the year (16 numbers), not from a pass over the units.
 *
 * Gaps are explicit: a value that cannot be computed is null and the row's `gaps` says why. No NaN, no
 * Infinity, no silent zero leaves this module.
 */
import type { MultiPolygonGeometry, PointGeometry } from '../geo/geometry';
import type { UnitKind } from '../domain/project';
import { addToHistogram, histogramP90, sortedMembers, sumCatchment, SumsTable, TRAVEL_BINS, type CatchmentMembers, type UnitValues, weighMembers } from './catchment-sums';
import { EMPTY_MEMBERSHIP, indexUnits, membershipOf, type Membership, type ResidentialPoints, type UnitGeometryIndex } from './overlap';
import { PopulationStore, serviceCounts } from './population-store';
import { analysisSettingsFrom, DEMAND_SERVICES, isDemandService, utilisationBand, type AnalysisSettings, type DemandService, type ServiceDefinition, type SettingsRecord, type UtilisationBand } from './settings';

export interface AnalysisUnit {
  fid: number;
  kind: UnitKind | string;
  code: string;
  name: string | null;
  geometry: MultiPolygonGeometry | null;
  /** The unit's own share (0–1) of Swedish-speaking residents; missing = the city-wide setting. */
  swedishShare?: number | null;
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
  /** A planned expansion or reduction: from this year on the capacity is `changedCapacity`. */
  changeYear?: number | null;
  changedCapacity?: number | null;
}

/** A facility's capacity for one service, with an optional change from a given year. */
interface CapacityEntry {
  capacity: number | null;
  changeYear: number | null;
  changedCapacity: number | null;
}

function capacityInYear(entry: CapacityEntry, year: number): number | null {
  return entry.changeYear !== null && year >= entry.changeYear ? entry.changedCapacity : entry.capacity;
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
  /** Optional residential points (e.g. buildings) with a weight: they split a straddling unit (overlap.ts). */
  residentialPoints?: ResidentialPoints;
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
/** Per-unit value arrays kept for reuse (two Float64Arrays of the unit count each). */
const UNIT_VALUE_CACHE_SIZE = 4;

interface CatchmentState {
  catchment: AnalysisCatchment;
  memberships: Map<string, Membership>;
  /** Per unit kind: the members sorted by distance to the facility. */
  members: Map<string, CatchmentMembers>;
}

/** The catchments of one service in fid order; a catchment's slot is its index in every SumsTable. */
interface ServiceSlots {
  fids: number[];
  slotOf: Map<number, number>;
}

const ROUNDING = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];
function round(value: number, digits = 6): number {
  const factor = ROUNDING[digits] ?? 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A finite number or null: the last guard before a value leaves the engine. */
function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

/** NaN (the tables' "none") as null. */
function orNull(value: number): number | null {
  return value === value ? value : null;
}

/**
 * The network's cost figures from its facility rows: operating cost and m² per user weighted by each
 * facility's users of the service (a facility's cost is shared by all its services), and the summed
 * investment need. A facility with users but no cost figure is named by a gap, not counted as zero.
 */
function networkCosts(network: KpiRow, facilities: KpiRow[]): void {
  let costWeighted = 0;
  let costUsers = 0;
  let areaWeighted = 0;
  let areaUsers = 0;
  let investment = 0;
  let anyInvestment = false;
  let missingCost = false;
  for (const row of facilities) {
    const users = row.users ?? 0;
    if (users > 0 && row.costPerUser !== null) {
      costWeighted += row.costPerUser * users;
      costUsers += users;
    } else if (users > 0) missingCost = true;
    if (users > 0 && row.m2PerUser !== null) {
      areaWeighted += row.m2PerUser * users;
      areaUsers += users;
    }
    if (row.investmentNeedEur !== null) {
      investment += row.investmentNeedEur;
      anyInvestment = true;
    }
  }
  if (costUsers > 0) network.costPerUser = round(costWeighted / costUsers, 2);
  if (missingCost) network.gaps.push('noCost');
  if (areaUsers > 0) network.m2PerUser = round(areaWeighted / areaUsers, 3);
  if (anyInvestment) network.investmentNeedEur = investment;
}

export class KpiEngine {
  private settingsRecord: SettingsRecord;
  settings: AnalysisSettings;
  private units: AnalysisUnit[];
  private unitIndex: UnitGeometryIndex;
  private unitKinds: string[];
  private unitByFid = new Map<number, number>();
  private population: PopulationStore;
  private catchmentStates = new Map<number, CatchmentState>();
  private facilities = new Map<number, AnalysisFacility>();
  /** Capacity by service, then facility fid. */
  private capacities = new Map<string, Map<number, CapacityEntry>>();
  private serviceSlots = new Map<string, ServiceSlots>();
  /** Per `${year}:${service}`: every catchment's sums. */
  private tables = new Map<string, SumsTable>();
  /** Per year: users of every service per facility (cost and m² per user). */
  private facilityUsers = new Map<number, Map<number, number>>();
  /** Per catchment language ('sv' or any other): each unit's share of children of that language. */
  private languageShares = new Map<string, Float64Array>();
  private histogram = new Float64Array(TRAVEL_BINS);
  private unitValueCache = new Map<string, Float64Array>();
  /** Bumped when the settings change: member weights carry the version they were computed for. */
  private settingsVersion = 0;
  private areaMemberships: Map<string, Membership[]> = new Map();
  private areaUnits: number[] = [];

  constructor(data: AnalysisData) {
    this.settingsRecord = { ...data.settings };
    this.settings = analysisSettingsFrom(this.settingsRecord);
    this.units = data.units;
    this.unitKinds = data.units.map((unit) => String(unit.kind));
    data.units.forEach((unit, index) => this.unitByFid.set(unit.fid, index));
    this.unitIndex = indexUnits(
      data.units.map((unit) => unit.geometry),
      data.residentialPoints,
      this.unitKinds,
    );
    this.areaUnits = data.units.flatMap((unit, index) => (unit.kind === 'small_area' ? [index] : []));
    this.population = new PopulationStore(data.population, this.unitByFid, this.unitKinds);
    for (const facility of data.facilities) this.facilities.set(facility.fid, facility);
    for (const capacity of data.capacities) this.setCapacity(capacity);
    for (const catchment of data.catchments) this.catchmentStates.set(catchment.fid, { catchment, memberships: new Map(), members: new Map() });
  }

  private setCapacity(entry: AnalysisCapacity): void {
    let byFacility = this.capacities.get(entry.service);
    if (!byFacility) {
      byFacility = new Map();
      this.capacities.set(entry.service, byFacility);
    }
    byFacility.set(entry.facilityFid, { capacity: entry.capacity, changeYear: entry.changeYear ?? null, changedCapacity: entry.changedCapacity ?? null });
  }

  /** Years that have population rows, ascending. */
  years(): number[] {
    return this.population.years();
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

  private members(state: CatchmentState, kind: string): CatchmentMembers {
    let members = state.members.get(kind);
    if (!members) {
      members = sortedMembers(this.membership(state, kind), this.facilityPoint(state.catchment.facilityFid));
      state.members.set(kind, members);
    }
    return members;
  }

  /**
   * Each unit's share of children a catchment of this language serves: a Swedish-language catchment the
   * unit's Swedish-speaking share (its own `swedishShare` where the unit has one, else the city-wide
   * setting), any other the rest.
   */
  private languageShare(language: string): Float64Array {
    const key = language === 'sv' ? 'sv' : 'other';
    let shares = this.languageShares.get(key);
    if (!shares) {
      shares = new Float64Array(this.units.length);
      for (let unit = 0; unit < shares.length; unit += 1) {
        const own = this.units[unit]!.swedishShare;
        const swedish = typeof own === 'number' && Number.isFinite(own) && own >= 0 && own <= 1 ? own : this.settings.swedishShare;
        shares[unit] = key === 'sv' ? swedish : 1 - swedish;
      }
      this.languageShares.set(key, shares);
    }
    return shares;
  }

  private slotsOf(service: string): ServiceSlots {
    let slots = this.serviceSlots.get(service);
    if (!slots) {
      const fids = [...this.catchmentStates.values()].filter((state) => state.catchment.service === service).map((state) => state.catchment.fid).sort((a, b) => a - b);
      slots = { fids, slotOf: new Map(fids.map((fid, slot) => [fid, slot])) };
      this.serviceSlots.set(service, slots);
    }
    return slots;
  }

  /**
   * Per-unit children and expected users of a (year, service), from one streaming pass over the year's
   * counts. The last few are kept (an edit's recompute of the year shown reuses them); older buffers are
   * reused, so a full recompute allocates nothing per service-year.
   */
  private unitValuePairs(year: number, definition: ServiceDefinition): UnitValues {
    const key = `${year}:${definition.service}`;
    let pairs = this.unitValueCache.get(key);
    if (pairs) {
      this.unitValueCache.delete(key);
      this.unitValueCache.set(key, pairs); // most recently used last
      return { kind: 'pairs', pairs };
    }
    const count = this.units.length;
    if (this.unitValueCache.size >= UNIT_VALUE_CACHE_SIZE) {
      const [oldestKey, oldest] = this.unitValueCache.entries().next().value as [string, Float64Array];
      this.unitValueCache.delete(oldestKey);
      pairs = oldest;
    } else {
      pairs = new Float64Array(count * 2);
    }
    serviceCounts(this.population.get(year)!.counts, count, definition.minAge, definition.maxAge, definition.participation, pairs);
    this.unitValueCache.set(key, pairs);
    return { kind: 'pairs', pairs };
  }

  /** The per-unit values of a (year, service): whole arrays when most catchments need them, else straight from the counts. */
  private unitValues(year: number, definition: ServiceDefinition, wanted: number, of: number): UnitValues {
    if (this.unitValueCache.has(`${year}:${definition.service}`) || wanted * 4 >= of) return this.unitValuePairs(year, definition);
    return { kind: 'counts', counts: this.population.get(year)!.counts, units: this.units.length, minAge: definition.minAge, maxAge: definition.maxAge, rates: definition.participation };
  }

  /** A catchment's members with their weights for the current settings (the language share is in them). */
  private weightedMembers(state: CatchmentState, kind: string): CatchmentMembers {
    return weighMembers(this.members(state, kind), this.languageShare(state.catchment.language), this.settingsVersion);
  }

  /**
   * Every catchment's sums for a year and service. Slots an edit marked stale (or never computed) are
   * computed here, on demand: an edit costs only the catchments it touched, and only in the years and
   * services someone looks at. A table computed whole builds the network histogram on the way.
   */
  private sumsTable(year: number, definition: ServiceDefinition): SumsTable {
    const key = `${year}:${definition.service}`;
    const slots = this.slotsOf(definition.service);
    let table = this.tables.get(key);
    if (!table) {
      const kind = this.unitKindFor(year);
      table = new SumsTable(slots.fids.length, kind !== null);
      if (!kind) table.pending = 0;
      this.tables.set(key, table);
    }
    if (table.pending === 0) return table;
    const kind = this.unitKindFor(year)!;
    const whole = table.pending === table.slots;
    const histogram = whole ? this.histogram.fill(0) : null;
    const values = this.unitValues(year, definition, table.pending, table.slots);
    let total = 0;
    for (let slot = 0; slot < slots.fids.length; slot += 1) {
      if (table.ready[slot]) continue;
      const state = this.catchmentStates.get(slots.fids[slot]!)!;
      const members = this.weightedMembers(state, kind);
      sumCatchment(members, { values, limitM: definition.freeTransportLimitM }, table, slot, histogram);
      if (members.hasTravel && table.users[slot]! > 0) total += table.users[slot]!;
    }
    if (histogram) table.networkP90 = histogramP90(histogram, total);
    return table;
  }

  /** The network P90 of a table from a 10 m histogram (one pass over the service's members). */
  private networkP90(year: number, definition: ServiceDefinition, table: SumsTable): number | null {
    if (table.networkP90 !== undefined) return table.networkP90;
    const kind = this.unitKindFor(year);
    if (!kind) return null;
    const histogram = this.histogram.fill(0);
    const slots = this.slotsOf(definition.service);
    const values = this.unitValuePairs(year, definition);
    let total = 0;
    for (const fid of slots.fids) {
      total += addToHistogram(this.weightedMembers(this.catchmentStates.get(fid)!, kind), { values, limitM: definition.freeTransportLimitM }, histogram);
    }
    table.networkP90 = histogramP90(histogram, total);
    return table.networkP90;
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
    const entry = this.capacities.get(service)?.get(fid);
    const capacity = entry ? capacityInYear(entry, year) : null;
    if (capacity === null || capacity <= 0) return { capacity: null, gap: 'noCapacity' };
    return { capacity, gap: null };
  }

  /** Users of every service per facility in a year: the denominator of cost and m² per user. */
  private facilityUsersAllServices(year: number): Map<number, number> {
    let totals = this.facilityUsers.get(year);
    if (totals) return totals;
    totals = new Map();
    if (this.population.has(year)) {
      for (const service of DEMAND_SERVICES) {
        const slots = this.slotsOf(service);
        if (slots.fids.length === 0) continue;
        const table = this.sumsTable(year, this.definition(service));
        for (let slot = 0; slot < slots.fids.length; slot += 1) {
          const facilityFid = this.catchmentStates.get(slots.fids[slot]!)!.catchment.facilityFid;
          if (facilityFid !== null) totals.set(facilityFid, (totals.get(facilityFid) ?? 0) + table.users[slot]!);
        }
      }
    }
    this.facilityUsers.set(year, totals);
    return totals;
  }

  /** The KPI rows of one service in one year. */
  compute(year: number, service: DemandService): KpiResult {
    const definition = this.definition(service);
    const hasPopulation = this.population.has(year);
    const slots = this.slotsOf(service);
    const table = this.sumsTable(year, definition);
    const facilityUsersAllServices = this.facilityUsersAllServices(year);
    const settings = this.settings;

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
        if (row.utilisation !== null) row.band = utilisationBand(row.utilisation, settings);
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

    /** Travel of one or more catchments (slots) from their sums. */
    const fillTravel = (row: KpiRow, group: number[]) => {
      let users = 0;
      let travelSum = 0;
      let overLimit = 0;
      let max = -Infinity;
      let withTravel = 0;
      for (const slot of group) {
        users += table.users[slot]!;
        const slotMax = table.max[slot]!;
        if (slotMax !== slotMax) continue;
        withTravel += 1;
        travelSum += table.travelSum[slot]!;
        overLimit += table.overLimit[slot]!;
        if (slotMax > max) max = slotMax;
      }
      if (users <= 0 || withTravel === 0) return;
      row.travelMeanM = round(travelSum / users, 1);
      row.travelMaxM = max;
      row.overLimitShare = round(overLimit / users);
      // One catchment: its exact weighted P90; several: the largest of theirs is an upper bound, so merge instead.
      if (withTravel === 1) for (const slot of group) if (table.max[slot] === table.max[slot]) row.travelP90M = orNull(table.p90[slot]!);
    };

    // Catchment rows, in fid order (the slots' order).
    const catchments: KpiRow[] = [];
    const byFacility = new Map<number, number[]>();
    for (let slot = 0; slot < slots.fids.length; slot += 1) {
      const fid = slots.fids[slot]!;
      const { catchment } = this.catchmentStates.get(fid)!;
      const row = blank('catchment', fid, catchment.name, catchment.language, catchment.facilityFid);
      if (!table.hasPopulation) row.gaps.push('noPopulation');
      else {
        row.eligible = round(table.eligible[slot]!, 3);
        row.users = round(table.users[slot]!, 3);
      }
      if (catchment.facilityFid === null || !this.facilities.has(catchment.facilityFid)) {
        row.gaps.push('noFacility');
      } else {
        const { capacity, gap } = this.capacityOf(catchment.facilityFid, service, year);
        fillCapacity(row, capacity, gap);
        if (!this.facilityPoint(catchment.facilityFid)) row.gaps.push('noFacilityLocation');
        if (table.hasPopulation) fillTravel(row, [slot]);
        fillFacilityCosts(row, catchment.facilityFid);
        const group = byFacility.get(catchment.facilityFid);
        if (group) group.push(slot);
        else byFacility.set(catchment.facilityFid, [slot]);
      }
      catchments.push(row);
    }

    // Facility rows: every facility that has catchments or capacity for the service.
    const facilityFids = new Set<number>(byFacility.keys());
    for (const fid of this.capacities.get(service)?.keys() ?? []) facilityFids.add(fid);
    const facilities: KpiRow[] = [];
    for (const fid of [...facilityFids].sort((a, b) => a - b)) {
      const facility = this.facilities.get(fid);
      if (!facility) continue;
      const group = byFacility.get(fid);
      const row = blank('facility', fid, facility.name, facility.language, fid);
      if (!hasPopulation) row.gaps.push('noPopulation');
      else if (!group) row.gaps.push('facilityWithoutCatchment');
      else {
        let eligible = 0;
        let users = 0;
        for (const slot of group) {
          eligible += table.eligible[slot]!;
          users += table.users[slot]!;
        }
        row.eligible = round(eligible, 3);
        row.users = round(users, 3);
      }
      const { capacity, gap } = this.capacityOf(fid, service, year);
      fillCapacity(row, capacity, gap);
      if (group && hasPopulation) {
        fillTravel(row, group);
        if (group.length > 1) row.travelP90M = this.mergedP90(group.map((slot) => slots.fids[slot]!), year, definition);
      }
      fillFacilityCosts(row, fid);
      facilities.push(row);
    }

    const network = this.networkRow(year, definition, table, blank('service', null, service, null, null));
    networkCosts(network, facilities);
    return {
      year,
      service,
      unitKind: this.unitKindFor(year),
      catchments,
      facilities,
      network,
      areas: this.areaRows(year, definition, blank),
    };
  }

  /** The exact weighted P90 over several catchments' members (a facility serving more than one). */
  private mergedP90(catchmentFids: number[], year: number, definition: ServiceDefinition): number | null {
    const parts: { distance: number; users: number }[] = [];
    const kind = this.unitKindFor(year);
    const counts = this.population.get(year)?.counts;
    if (!kind || !counts) return null;
    for (const fid of catchmentFids) {
      const state = this.catchmentStates.get(fid)!;
      const members = this.members(state, kind);
      if (!members.hasTravel) continue;
      const languageShare = this.languageShare(state.catchment.language);
      for (let member = 0; member < members.units.length; member += 1) {
        const unit = members.units[member]!;
        let expected = 0;
        for (let age = definition.minAge; age <= definition.maxAge; age += 1) expected += counts[age * this.units.length + unit]! * definition.participation[age]!;
        parts.push({ distance: members.distance[member]!, users: expected * (members.shares[member]! * languageShare[unit]!) });
      }
    }
    return weightedPercentile(parts, 0.9);
  }

  private networkRow(year: number, definition: ServiceDefinition, table: SumsTable, row: KpiRow): KpiRow {
    const kind = this.unitKindFor(year);
    // Capacity of every active facility offering the service.
    let capacity = 0;
    let anyCapacity = false;
    for (const [fid, entry] of this.capacities.get(definition.service) ?? []) {
      const value = capacityInYear(entry, year);
      if (value === null || value <= 0) continue;
      const facility = this.facilities.get(fid);
      if (facility && this.facilityActive(facility, year)) {
        capacity += value;
        anyCapacity = true;
      }
    }
    const totals = kind ? this.population.ageTotals(year, kind) : null;
    if (!kind || !totals) {
      row.gaps.push('noPopulation');
    } else {
      let eligible = 0;
      let users = 0;
      for (let age = definition.minAge; age <= definition.maxAge; age += 1) {
        eligible += totals[age]!;
        users += totals[age]! * definition.participation[age]!;
      }
      row.eligible = round(eligible, 3);
      row.users = round(users, 3);
      if (table.slots === 0) row.gaps.push('noCatchments');
      else {
        let inCatchments = 0;
        let travelSum = 0;
        let overLimit = 0;
        let max = -Infinity;
        let withTravel = 0;
        for (let slot = 0; slot < table.slots; slot += 1) {
          inCatchments += table.users[slot]!;
          const slotMax = table.max[slot]!;
          if (slotMax !== slotMax) continue;
          withTravel += 1;
          travelSum += table.travelSum[slot]!;
          overLimit += table.overLimit[slot]!;
          if (slotMax > max) max = slotMax;
        }
        // Expected users no catchment of the service covers (their language's set has a gap there).
        const outside = Math.max(0, users - inCatchments);
        row.outsideUsers = round(outside, 3);
        if (outside >= 0.5) row.gaps.push('outsideCatchments');
        if (inCatchments > 0 && withTravel > 0) {
          row.travelMeanM = round(travelSum / inCatchments, 1);
          row.travelMaxM = max;
          row.overLimitShare = round(overLimit / inCatchments);
          row.travelP90M = this.networkP90(year, definition, table);
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

  /** Totals per statistical area (small-area units): eligible children and expected users. */
  private areaRows(year: number, definition: ServiceDefinition, blank: (level: KpiLevel, fid: number | null, name: string, language: string | null, facilityFid: number | null) => KpiRow): KpiRow[] {
    const kind = this.unitKindFor(year);
    const entry = this.population.get(year);
    if (!kind || !entry || this.areaUnits.length === 0) return [];
    let memberships = this.areaMemberships.get(kind);
    if (!memberships) {
      memberships = this.areaUnits.map((area) =>
        kind === 'small_area'
          ? { units: Int32Array.of(area), shares: Float64Array.of(1), centreX: new Float64Array(1), centreY: new Float64Array(1), intersected: 0 }
          : membershipOf(this.units[area]!.geometry, this.unitIndex, (unit) => this.unitKinds[unit] === kind),
      );
      this.areaMemberships.set(kind, memberships);
    }
    const { counts, present } = entry;
    return this.areaUnits.map((area, index) => {
      const unit = this.units[area]!;
      const row = blank('area', unit.fid, unit.name ?? unit.code, null, null);
      const membership = memberships![index]!;
      let eligible = 0;
      let users = 0;
      let anyPresent = false;
      for (let member = 0; member < membership.units.length; member += 1) {
        const memberUnit = membership.units[member]!;
        if (!present[memberUnit]) continue;
        anyPresent = true;
        let children = 0;
        let expected = 0;
        for (let age = definition.minAge; age <= definition.maxAge; age += 1) {
          const people = counts[age * this.units.length + memberUnit]!;
          children += people;
          expected += people * definition.participation[age]!;
        }
        eligible += children * membership.shares[member]!;
        users += expected * membership.shares[member]!;
      }
      if (!anyPresent) row.gaps.push('noPopulation');
      else {
        row.eligible = round(eligible, 3);
        row.users = round(users, 3);
      }
      return row;
    });
  }

  // ---- incremental updates: each recomputes only what the change touched ----

  /** Replaces a catchment (new geometry, facility or attributes) or removes it (null); returns the tables touched. */
  updateCatchment(fid: number, catchment: AnalysisCatchment | null): { invalidated: number } {
    const old = this.catchmentStates.get(fid)?.catchment;
    this.catchmentStates.delete(fid);
    if (catchment) this.catchmentStates.set(fid, { catchment, memberships: new Map(), members: new Map() });
    this.facilityUsers.clear();
    let invalidated = 0;
    if (old && catchment && old.service === catchment.service) {
      // Same service: the slot stays; its sums are marked stale in every year and recomputed on next use.
      const slot = this.slotsOf(catchment.service).slotOf.get(fid)!;
      const suffix = `:${catchment.service}`;
      for (const [key, table] of this.tables) if (key.endsWith(suffix) && table.markStale(slot)) invalidated += 1;
      return { invalidated };
    }
    // A catchment added, removed or moved to another service: that service's slots change, its tables go.
    for (const service of new Set([old?.service, catchment?.service])) {
      if (service === undefined) continue;
      this.serviceSlots.delete(service);
      const suffix = `:${service}`;
      for (const key of [...this.tables.keys()]) {
        if (key.endsWith(suffix)) {
          this.tables.delete(key);
          invalidated += 1;
        }
      }
    }
    return { invalidated };
  }

  /** A facility's attributes or location changed: only its catchments' travel needs recomputing. */
  updateFacility(facility: AnalysisFacility | null, fid: number): void {
    if (facility) this.facilities.set(fid, facility);
    else this.facilities.delete(fid);
    this.facilityUsers.clear();
    // Collected first: updateCatchment re-inserts into catchmentStates, and a Map iteration would visit the
    // re-inserted entry again, forever.
    const served = [...this.catchmentStates].filter(([, state]) => state.catchment.facilityFid === fid);
    for (const [catchmentFid, state] of served) this.updateCatchment(catchmentFid, state.catchment);
  }

  /** A capacity changed: nothing cached depends on it (capacity is read when rows are built). */
  updateCapacity(facilityFid: number, service: string, capacity: number | null, changeYear: number | null = null, changedCapacity: number | null = null): void {
    this.setCapacity({ facilityFid, service, capacity, changeYear, changedCapacity });
  }

  /** Settings changed: the demand model may have changed, so every sum goes (overlaps and distances stay). */
  updateSettings(settings: SettingsRecord): void {
    this.settingsRecord = { ...settings };
    this.settings = analysisSettingsFrom(this.settingsRecord);
    this.tables.clear();
    this.facilityUsers.clear();
    this.languageShares.clear();
    this.unitValueCache.clear();
    this.settingsVersion += 1;
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
