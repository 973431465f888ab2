/**
 * The rules the Helsinki sample applies to the open data: which teaching language and grades a school
 * name suggests, the ILLUSTRATIVE capacities and costs given to each school, and how the HSY grid's
 * 10-year age bands become single-year ages 0–15. Pure functions, so they can be tested and documented
 * in one place (resources/sample-data/SOURCES.md repeats them for readers of the data).
 */
import type { ServiceType, TeachingLanguage } from '../../../shared/domain/project';
import { hashString, integerBetween, mulberry32, uniform } from '../synth/prng';

/**
 * Teaching language from a school's name. Statistics Finland's school register carries no language, so
 * the sample reads it off the name: Swedish-language schools in Helsinki are named in Swedish
 * ("…skola", "…skolan", "Grundskolan …", "…lågstadieskola", "…gymnasium") and Finnish ones in Finnish
 * ("…koulu", "…ala-aste"). The word fragments below never occur in a Finnish or English school name in
 * the data (15 of Helsinki's 129 schools match). A bilingual or English-language school counts as Finnish.
 */
export const SWEDISH_NAME_PATTERN = /skola|skolan|gymnasium|lågstadie|högstadie|h:fors|helsingfors/i;

export function languageFromSchoolName(name: string): TeachingLanguage {
  return SWEDISH_NAME_PATTERN.test(name) ? 'sv' : 'fi';
}

/** Name fragments that say a school teaches only grades 1–6 ("ala-aste", "ala-ast.", "lågstadie"). */
export const LOWER_GRADES_PATTERN = /ala-aste|ala-ast\.|lågstadie/i;
/**
 * Fragments that say a school teaches grades 7–9 (and upper secondary): "yläaste", "högstadie" and the
 * "yhteiskoulu"/"lyseo" names of Helsinki's (mostly private) secondary schools ("yhteisk.", "yht.k.").
 */
export const UPPER_GRADES_PATTERN = /yläaste|högstadie|yhteiskoulu|yhteisk\.|yht\.k\.|lyseo/i;

/** Statistics Finland's school type code for special-needs comprehensive schools (oltyp 12). */
export const SPECIAL_NEEDS_SCHOOL_TYPE = '12';

/**
 * Services a school offers, from its type and name: special-needs schools (oltyp 12) offer special
 * classes only and get no catchment; a name with a lower-grades hint offers grades 1–6, one with an
 * upper-grades hint grades 7–9, any other name both (a "peruskoulu" or "grundskola" is comprehensive).
 */
export function servicesFromSchool(name: string, schoolType: string): ServiceType[] {
  if (schoolType === SPECIAL_NEEDS_SCHOOL_TYPE) return ['special_needs'];
  const lower = LOWER_GRADES_PATTERN.test(name);
  const upper = UPPER_GRADES_PATTERN.test(name);
  if (lower && !upper) return ['grades_1_6'];
  if (upper && !lower) return ['grades_7_9'];
  return ['grades_1_6', 'grades_7_9'];
}

/** Median operating cost of basic education per pupil a year in Finland, 2023 (DOMAIN.md). */
export const OPERATING_COST_PER_PUPIL_EUR = 12_358;

export interface IllustrativeSchoolValues {
  capacities: Partial<Record<ServiceType, number>>;
  floorAreaM2: number;
  operatingCostEur: number;
}

/**
 * ILLUSTRATIVE (invented) capacity, floor area and operating cost for one school, drawn from a generator
 * seeded by the school code so that every build gives the same values. Ranges are plausible for Helsinki:
 * 200–580 pupils in a grades 1–6 school, 240–660 in a grades 7–9 school, 180–480 + 120–360 in a
 * comprehensive one, 40–140 in a special-needs school; 9–12 m² per place; operating cost = places ×
 * €12,358 × 0.85–1.15 (× 2.2 for special needs, whose cost per pupil is about twice the median).
 */
export function illustrativeSchoolValues(code: string, services: ServiceType[]): IllustrativeSchoolValues {
  const random = mulberry32(hashString(`verkosto-sample:${code}`));
  const roundTo = (value: number, step: number) => Math.round(value / step) * step;
  const capacities: Partial<Record<ServiceType, number>> = {};
  const both = services.includes('grades_1_6') && services.includes('grades_7_9');
  for (const service of services) {
    if (service === 'grades_1_6') capacities[service] = roundTo(both ? integerBetween(random, 180, 480) : integerBetween(random, 200, 580), 10);
    else if (service === 'grades_7_9') capacities[service] = roundTo(both ? integerBetween(random, 120, 360) : integerBetween(random, 240, 660), 10);
    else capacities[service] = roundTo(integerBetween(random, 40, 140), 5);
  }
  const places = Object.values(capacities).reduce((sum, value) => sum + (value ?? 0), 0);
  const costFactor = services.includes('special_needs') ? 2.2 : 1;
  return {
    capacities,
    floorAreaM2: roundTo(places * uniform(random, 9, 12), 50),
    operatingCostEur: roundTo(places * OPERATING_COST_PER_PUPIL_EUR * costFactor * uniform(random, 0.85, 1.15), 1000),
  };
}

/** Helsinki's population by single-year age 0–19 (index = age) and the total of all ages. */
export interface AgeDistribution {
  byAge: number[];
  total: number;
}

/**
 * Single-year ages 0–15 of one HSY grid cell, estimated from its 10-year age bands.
 *
 * Rule: ages 0–9 = IKA0_9 × (Helsinki 2019 residents of that age ÷ Helsinki 2019 residents aged 0–9);
 * ages 10–15 = IKA10_19 × (residents of that age ÷ residents aged 10–19). When HSY suppressed the cell
 * (fewer than 100 residents: every band is 99, which is then a marker, not a count), each age is
 * ASUKKAITA × (Helsinki 2019 residents of that age ÷ all Helsinki 2019 residents). A 99 in a cell of 100
 * or more residents is a real count. Values are rounded to 0.01 (they are estimates, not persons).
 */
export function estimateGridAges(
  cell: { total: number; band0to9: number; band10to19: number; suppressed: boolean },
  helsinki: AgeDistribution,
): number[] {
  const share = (age: number, from: number, to: number) => {
    let bandTotal = 0;
    for (let a = from; a <= to; a++) bandTotal += helsinki.byAge[a] ?? 0;
    return bandTotal > 0 ? (helsinki.byAge[age] ?? 0) / bandTotal : 0;
  };
  const round = (value: number) => Math.round(value * 100) / 100;
  return Array.from({ length: 16 }, (_, age) => {
    if (cell.suppressed) return round((cell.total * (helsinki.byAge[age] ?? 0)) / helsinki.total);
    return age <= 9 ? round(cell.band0to9 * share(age, 0, 9)) : round(cell.band10to19 * share(age, 10, 19));
  });
}

/** HSY's suppression test: every age band 99 and fewer than 100 residents (a lone 99 may be real). */
export function isSuppressedCell(properties: Record<string, number>, bands: readonly string[]): boolean {
  return (properties.ASUKKAITA ?? 0) < 100 && bands.every((band) => properties[band] === 99);
}
