/**
 * Population counts for the KPI engine in flat typed arrays: per year one Float64Array laid out age × unit
 * (unit u's age a at a·units + u), so a service's ages are read as a few sequential streams when its
 * per-unit counts are summed (`serviceCounts`). Measured: this streaming pass plus a gather by catchment
 * member is about twice as fast as reading a unit-major layout in member order, which misses the cache.
 * Missing or negative counts are 0; whether a unit has a row at all is kept apart (`present`).
 */
import type { AnalysisPopulation } from './kpi';

export const AGES = 16;

export interface YearPopulation {
  /** 16 counts per unit, age-major: age a of unit u at a·units + u. */
  counts: Float64Array;
  /** 1 where the unit has a population row this year. */
  present: Uint8Array;
  /** Unit kinds with at least one row this year. */
  kinds: Set<string>;
  /** Per unit kind, filled on first use: the year's residents per age over that kind's units. */
  ageTotals: Map<string, Float64Array>;
}

export class PopulationStore {
  private byYear = new Map<number, YearPopulation>();

  constructor(
    population: AnalysisPopulation,
    unitIndexOfFid: Map<number, number>,
    private readonly unitKinds: string[],
  ) {
    const count = unitKinds.length;
    for (let row = 0; row < population.unitFid.length; row += 1) {
      const unit = unitIndexOfFid.get(population.unitFid[row]!);
      if (unit === undefined) continue;
      const year = population.year[row]!;
      let entry = this.byYear.get(year);
      if (!entry) {
        entry = { counts: new Float64Array(count * AGES), present: new Uint8Array(count), kinds: new Set(), ageTotals: new Map() };
        this.byYear.set(year, entry);
      }
      entry.present[unit] = 1;
      entry.kinds.add(unitKinds[unit]!);
      for (let age = 0; age < AGES; age += 1) {
        const value = population.ages[row * AGES + age];
        entry.counts[age * count + unit] = typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
      }
    }
  }

  years(): number[] {
    return [...this.byYear.keys()].sort((a, b) => a - b);
  }

  has(year: number): boolean {
    return this.byYear.has(year);
  }

  get(year: number): YearPopulation | undefined {
    return this.byYear.get(year);
  }

  get unitCount(): number {
    return this.unitKinds.length;
  }

  /** Residents per age over every unit of a kind with a row in the year: the network's totals in O(16). */
  ageTotals(year: number, kind: string): Float64Array | null {
    const entry = this.byYear.get(year);
    if (!entry) return null;
    let totals = entry.ageTotals.get(kind);
    if (!totals) {
      totals = new Float64Array(AGES);
      const { counts, present } = entry;
      const count = present.length;
      for (let unit = 0; unit < count; unit += 1) {
        if (!present[unit] || this.unitKinds[unit] !== kind) continue;
        for (let age = 0; age < AGES; age += 1) totals[age] = totals[age]! + counts[age * count + unit]!;
      }
      entry.ageTotals.set(kind, totals);
    }
    return totals;
  }
}

/**
 * Children in a service's ages and expected users per unit (the service's participation per age), written
 * as pairs (unit u's children at 2u, users at 2u + 1): one sequential pass, a stream per age in the range.
 */
export function serviceCounts(counts: Float64Array, units: number, minAge: number, maxAge: number, rates: ArrayLike<number>, pairs: Float64Array): void {
  for (let unit = 0; unit < units; unit += 1) {
    let children = 0;
    let expected = 0;
    for (let age = minAge; age <= maxAge; age += 1) {
      const people = counts[age * units + unit]!;
      children += people;
      expected += people * rates[age]!;
    }
    pairs[unit * 2] = children;
    pairs[unit * 2 + 1] = expected;
  }
}
