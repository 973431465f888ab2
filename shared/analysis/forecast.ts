/**
 * Small-area population forecasts, pure:
 *
 * - `projectCohortComponent`: the cohort-component method per area, one year at a time, by sex and
 *   single-year age (the last age is open-ended). For each area and year t → t+1:
 *     deaths      D[s,a] = P[s,a] · q[s,a]                     (q: death rate per person, by sex and age)
 *     survivors   S = P − D
 *     out-movers  O[s,a] = outTotal · d[a] / 2                  (d: age distribution of out-movers, normalised,
 *                                                                half per sex; capped at the survivors)
 *     births      B = Σ_a women[a] · f[a]                      (f: births per woman by mother's age)
 *     P'[s,a+1]  = S[s,a] − O[s,a] + I[s,a+1] + N[s,a+1]       (I: in-movers, N: new residents of new housing)
 *     P'[s,0]    = B · share_s · (1 − q[s,0] / 2) + I[s,0] + N[s,0]
 *   Open age: the survivors of the last age stay in it. Rates may differ by year; in-movers and new
 *   residents are given as totals with an age distribution.
 * - `projectHamiltonPerry`: cohort change ratios between two observed years k years apart carry each
 *   cohort forward: P(t+k, a) = P(t, a−k) · P(t₁, a) / P(t₀, a−k); ages under k (no earlier cohort in
 *   the 0–15 rows Verkosto stores) use the ratio of the same age. Years between steps are interpolated.
 *
 * No rounding inside: results are expected persons (fractions); callers round for display.
 */

export type Sex = 'male' | 'female';

export interface AreaBase {
  area: string;
  /** Residents at the end of the base year by single-year age; index = age, the last index open-ended. */
  male: number[];
  female: number[];
}

export interface YearRates {
  /** Death rate per person by age (0..maxAge), by sex. */
  mortalityMale: number[];
  mortalityFemale: number[];
  /** Births per woman by mother's age (index = age; ages without births 0). */
  fertility: number[];
}

export interface AreaFlows {
  /** Out-movers in the year (total, both sexes). */
  outTotal: number;
  /** Age distribution of the out-movers (any scale; split evenly by sex). */
  outDistribution: number[];
  /** In-movers in the year (total, both sexes) and their age distribution (any scale; split evenly by sex). */
  inTotal: number;
  inDistribution: number[];
  /** Residents of housing completed in the year and their age distribution (split evenly by sex). */
  newResidents: number;
  newDistribution: number[];
  /** Multipliers on the year's fertility and mortality for this area (1 = the city's rates). */
  fertilityFactor: number;
  mortalityFactor: number;
}

export interface CohortComponentInput {
  baseYear: number;
  lastYear: number;
  areas: AreaBase[];
  /** Rates of a year (t → t+1 uses the rates of year t+1). */
  rates: (year: number) => YearRates;
  /** Flows of an area in a year. */
  flows: (area: string, year: number) => AreaFlows;
  /** Share of boys among births (Finland ≈ 0.512: 105 boys per 100 girls). */
  boysShare?: number;
}

export interface ProjectedArea {
  area: string;
  year: number;
  male: number[];
  female: number[];
}

function normalised(values: number[], length: number): number[] {
  const result = Array.from({ length }, (_, index) => Math.max(0, values[index] ?? 0));
  const total = result.reduce((sum, value) => sum + value, 0);
  return total > 0 ? result.map((value) => value / total) : result;
}

/** One year of the cohort-component method for one area (see the module comment for the equations). */
export function stepCohortComponent(male: number[], female: number[], rates: YearRates, flows: AreaFlows, boysShare: number): { male: number[]; female: number[] } {
  const ages = male.length;
  const inShares = normalised(flows.inDistribution, ages);
  const outShares = normalised(flows.outDistribution, ages);
  const newShares = normalised(flows.newDistribution, ages);
  const survivors = (population: number[], mortality: number[]) =>
    population.map((people, age) => people * (1 - Math.min(1, (mortality[age] ?? 0) * flows.mortalityFactor)));
  const survivingMale = survivors(male, rates.mortalityMale);
  const survivingFemale = survivors(female, rates.mortalityFemale);
  const births = female.reduce((sum, women, age) => sum + women * (rates.fertility[age] ?? 0) * flows.fertilityFactor, 0);
  const next = (surviving: number[], mortality: number[], sexShare: number, birthsShare: number) => {
    const result = new Array<number>(ages).fill(0);
    for (let age = 0; age < ages; age += 1) {
      // Out-movers leave from the survivors; never more than there are.
      const stayers = Math.max(0, surviving[age]! - flows.outTotal * outShares[age]! * sexShare);
      const target = Math.min(ages - 1, age + 1);
      result[target]! += stayers;
    }
    for (let age = 0; age < ages; age += 1) {
      result[age]! += flows.inTotal * inShares[age]! * sexShare + flows.newResidents * newShares[age]! * sexShare;
    }
    result[0]! += births * birthsShare * (1 - Math.min(1, ((mortality[0] ?? 0) * flows.mortalityFactor) / 2));
    return result;
  };
  return {
    male: next(survivingMale, rates.mortalityMale, 0.5, boysShare),
    female: next(survivingFemale, rates.mortalityFemale, 0.5, 1 - boysShare),
  };
}

/**
 * Projects every area from the base year to the last year, one year per step: yields the share done after
 * each year (so a host can report progress and stop between years) and returns one entry per area and
 * projected year.
 */
export function* cohortComponentSteps(input: CohortComponentInput): Generator<number, ProjectedArea[]> {
  const boysShare = input.boysShare ?? 0.512;
  const results: ProjectedArea[] = [];
  const state = new Map(input.areas.map((area) => [area.area, { male: [...area.male], female: [...area.female] }]));
  const years = input.lastYear - input.baseYear;
  for (let year = input.baseYear + 1; year <= input.lastYear; year += 1) {
    const rates = input.rates(year);
    for (const [area, population] of state) {
      const next = stepCohortComponent(population.male, population.female, rates, input.flows(area, year), boysShare);
      state.set(area, next);
      results.push({ area, year, male: next.male, female: next.female });
    }
    yield (year - input.baseYear) / years;
  }
  return results;
}

/** The same projection in one call. */
export function projectCohortComponent(input: CohortComponentInput, onProgress?: (fraction: number) => void): ProjectedArea[] {
  const steps = cohortComponentSteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    onProgress?.(step.value);
  }
}

export interface HamiltonPerryInput {
  /** Observed years t0 < t1 and their populations by single-year age (both sexes), per area. */
  firstYear: number;
  secondYear: number;
  first: Map<string, number[]>;
  second: Map<string, number[]>;
  lastYear: number;
}

/**
 * Hamilton–Perry (cohort change ratios) per area. Steps of k = secondYear − firstYear years; years between
 * steps are interpolated linearly. A ratio with a zero denominator carries the cohort unchanged (ratio 1),
 * so an empty age group never produces Infinity.
 */
export function projectHamiltonPerry(input: HamiltonPerryInput): { area: string; year: number; ages: number[] }[] {
  const step = input.secondYear - input.firstYear;
  if (step <= 0) throw new Error('Hamilton–Perry needs two different observed years');
  const results: { area: string; year: number; ages: number[] }[] = [];
  for (const [area, second] of input.second) {
    const first = input.first.get(area);
    if (!first) continue;
    const ages = second.length;
    const ratio = (age: number) => {
      const from = age - step >= 0 ? first[age - step]! : first[age]!;
      return from > 0 ? second[age]! / from : 1;
    };
    const ratios = Array.from({ length: ages }, (_, age) => ratio(age));
    let previous = second;
    let previousYear = input.secondYear;
    while (previousYear < input.lastYear) {
      const next = Array.from({ length: ages }, (_, age) => (age - step >= 0 ? previous[age - step]! : previous[age]!) * ratios[age]!);
      const nextYear = previousYear + step;
      for (let year = previousYear + 1; year <= Math.min(nextYear, input.lastYear); year += 1) {
        const t = (year - previousYear) / step;
        results.push({ area, year, ages: previous.map((value, age) => value + (next[age]! - value) * t) });
      }
      previous = next;
      previousYear = nextYear;
    }
  }
  return results;
}
