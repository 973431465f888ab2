import { describe, expect, it } from 'vitest';
import { projectCohortComponent, projectHamiltonPerry, type AreaFlows } from '../../../shared/analysis/forecast';

const noFlows: AreaFlows = { outTotal: 0, outDistribution: [1, 1, 1], inTotal: 0, inDistribution: [0, 0, 0], newResidents: 0, newDistribution: [0, 0, 0], fertilityFactor: 1, mortalityFactor: 1 };

describe('cohort-component projection', () => {
  // Two areas, three ages (0, 1, 2+), two years, computed by hand.
  // Rates: deaths 1 % at age 0, none at 1, 10 % at 2+; 0.5 births per woman aged 1; half the births boys.
  // Area A also has 12 out-movers a year spread evenly over the ages (4 per age, 2 per sex) and 20 in-movers
  // aged 1 (10 per sex).
  //
  // Year 1, area A, men: survivors 100·0.99 = 99, 80, 50·0.9 = 45; women 99, 90, 54. Births 90 women · 0.5
  // = 45, boys 22.5, of whom 22.5·(1 − 0.01/2) = 22.3875 are counted at the year's end. Men aged 1:
  // 99 − 2 + 10 = 107; aged 2+: (80 − 2) + (45 − 2) = 121. Women: 22.3875, 99 − 2 + 10 = 107,
  // (90 − 2) + (54 − 2) = 140. Area B (10 boys aged 0, 20 women aged 1): men 4.975 boys born
  // (20·0.5·0.5·0.995), 9.9 aged 1; women 4.975 aged 0, 20 aged 2+.
  const input = {
    baseYear: 2020,
    lastYear: 2022,
    areas: [
      { area: 'A', male: [100, 80, 50], female: [100, 90, 60] },
      { area: 'B', male: [10, 0, 0], female: [0, 20, 0] },
    ],
    rates: () => ({ mortalityMale: [0.01, 0, 0.1], mortalityFemale: [0.01, 0, 0.1], fertility: [0, 0.5, 0] }),
    flows: (area: string) => (area === 'A' ? { ...noFlows, outTotal: 12, inTotal: 20, inDistribution: [0, 1, 0] } : noFlows),
    boysShare: 0.5,
  };

  it('matches the hand computation to the person in both years', () => {
    const result = projectCohortComponent(input);
    const rounded = (area: string, year: number) => {
      const entry = result.find((row) => row.area === area && row.year === year)!;
      return { male: entry.male.map(Math.round), female: entry.female.map(Math.round) };
    };
    expect(rounded('A', 2021)).toEqual({ male: [22, 107, 121], female: [22, 107, 140] });
    expect(rounded('B', 2021)).toEqual({ male: [5, 10, 0], female: [5, 0, 20] });
    expect(rounded('A', 2022)).toEqual({ male: [27, 30, 212], female: [27, 30, 229] });
    expect(rounded('B', 2022)).toEqual({ male: [0, 5, 10], female: [0, 5, 18] });
    const a2021 = result.find((row) => row.area === 'A' && row.year === 2021)!;
    expect(a2021.male).toEqual([22.3875, 107, 121]);
    const a2022 = result.find((row) => row.area === 'A' && row.year === 2022)!;
    expect(a2022.male[1]).toBeCloseTo(30.16362, 4);
  });

  it('never produces negative people when out-movers exceed the residents', () => {
    const result = projectCohortComponent({ ...input, flows: () => ({ ...noFlows, outTotal: 10_000 }) });
    for (const row of result) for (const value of [...row.male, ...row.female]) expect(value).toBeGreaterThanOrEqual(0);
  });
});

describe('Hamilton–Perry projection', () => {
  it('carries cohorts with their change ratios (one-year step), by hand', () => {
    // Ages 0–2. 2019: [10, 20, 30]; 2020: [12, 11, 18]. Ratios: age 0 same-age 12/10 = 1.2;
    // age 1: 11/10 = 1.1; age 2: 18/20 = 0.9. 2021: [12·1.2, 12·1.1, 11·0.9] = [14.4, 13.2, 9.9].
    // 2022: [14.4·1.2, 14.4·1.1, 13.2·0.9] = [17.28, 15.84, 11.88].
    const result = projectHamiltonPerry({
      firstYear: 2019,
      secondYear: 2020,
      first: new Map([['A', [10, 20, 30]]]),
      second: new Map([['A', [12, 11, 18]]]),
      lastYear: 2022,
    });
    expect(result.map((row) => row.year)).toEqual([2021, 2022]);
    expect(result[0]!.ages.map((value) => Number(value.toFixed(4)))).toEqual([14.4, 13.2, 9.9]);
    expect(result[1]!.ages.map((value) => Number(value.toFixed(4)))).toEqual([17.28, 15.84, 11.88]);
  });

  it('interpolates the years inside a longer step and never divides by zero', () => {
    const result = projectHamiltonPerry({
      firstYear: 2015,
      secondYear: 2019,
      first: new Map([['A', [0, 0, 0, 0, 5, 5]]]),
      second: new Map([['A', [4, 4, 4, 4, 0, 10]]]),
      lastYear: 2023,
    });
    expect(result.map((row) => row.year)).toEqual([2020, 2021, 2022, 2023]);
    for (const row of result) for (const value of row.ages) expect(Number.isFinite(value)).toBe(true);
    // Age 0 keeps its same-age ratio (4/0 → 1): 4 in 2023; halfway (2021) also 4.
    expect(result[3]!.ages[0]).toBeCloseTo(4);
  });
});
