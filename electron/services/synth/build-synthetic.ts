/**
 * Builds a SYNTHETIC national-scale project for benchmarks and tests: `units` 250 m grid cells laid out
 * in towns across Finland's extent (EPSG:3067), population by single-year age 0–15 for `years`
 * consecutive years from 2025, `facilities` schools and daycares near the children, Voronoi catchments
 * per service and language, and one municipality polygon around everything.
 *
 * Deterministic: everything is drawn from one mulberry32 generator seeded by `seed` (only timestamps such
 * as project.created differ between builds). Nothing here is real data; the project says so in its
 * settings and data-source note.
 */
import { Delaunay } from 'd3-delaunay';
import type { PopulationRow, ServiceType, TeachingLanguage } from '../../../shared/domain/project';
import { VerkostoError } from '../../../shared/errors';
import type { MultiPolygonGeometry, Position } from '../../../shared/geo/geometry';
import { signedRingArea } from '../../../shared/geo/geometry';
import { deleteProjectFile, ProjectFile } from '../../store/project-file';
import { integerBetween, mulberry32, normal, uniform, type Random } from './prng';

export interface SyntheticOptions {
  units: number;
  facilities: number;
  years: number;
  seed: number;
  onProgress?: (step: string, fraction: number) => void;
}

export const SYNTHETIC_EPSG = 3067;
export const SYNTHETIC_FIRST_YEAR = 2025;
export const CELL_SIZE = 250;
/** Services that get a Voronoi catchment set per teaching language. */
export const SYNTHETIC_CATCHMENT_SERVICES: ServiceType[] = ['grades_1_6', 'grades_7_9', 'pre_primary'];

/**
 * Town centres: approximately where Finland's larger towns are (TM35FIN metres), so a national project
 * looks national. Only the coordinates are used; `swedish` is the share of Swedish-language facilities.
 * The list is ordered by size: town i gets a Zipf share of the units.
 */
const TOWN_CENTRES: { x: number; y: number; swedish: number }[] = [
  { x: 385_500, y: 6_672_000, swedish: 0.06 }, { x: 327_000, y: 6_822_500, swedish: 0 },
  { x: 368_000, y: 6_676_000, swedish: 0.07 }, { x: 427_000, y: 7_210_000, swedish: 0 },
  { x: 240_000, y: 6_711_000, swedish: 0.05 }, { x: 435_000, y: 6_900_000, swedish: 0 },
  { x: 533_000, y: 6_973_000, swedish: 0 }, { x: 426_000, y: 6_762_000, swedish: 0 },
  { x: 393_000, y: 6_693_000, swedish: 0.03 }, { x: 221_000, y: 6_829_000, swedish: 0 },
  { x: 488_000, y: 6_752_000, swedish: 0 }, { x: 642_000, y: 6_944_000, swedish: 0 },
  { x: 570_000, y: 6_770_000, swedish: 0 }, { x: 363_000, y: 6_763_000, swedish: 0 },
  { x: 230_000, y: 7_010_000, swedish: 0.25 }, { x: 281_000, y: 6_967_000, swedish: 0 },
  { x: 443_000, y: 7_375_000, swedish: 0 }, { x: 514_000, y: 6_840_000, swedish: 0 },
  { x: 493_000, y: 6_709_000, swedish: 0 }, { x: 283_000, y: 6_701_000, swedish: 0.02 },
  { x: 425_000, y: 6_695_000, swedish: 0.3 }, { x: 315_000, y: 7_085_000, swedish: 0.15 },
  { x: 330_000, y: 6_682_000, swedish: 0.04 }, { x: 383_000, y: 6_723_000, swedish: 0 },
  { x: 541_000, y: 7_124_000, swedish: 0 }, { x: 197_000, y: 6_781_000, swedish: 0 },
  { x: 598_000, y: 6_860_000, swedish: 0 }, { x: 386_000, y: 7_291_000, swedish: 0 },
  { x: 523_000, y: 7_049_000, swedish: 0 }, { x: 373_000, y: 7_170_000, swedish: 0 },
  { x: 613_000, y: 7_317_000, swedish: 0 }, { x: 107_000, y: 6_677_000, swedish: 0.9 },
  { x: 478_000, y: 7_475_000, swedish: 0 }, { x: 523_000, y: 7_620_000, swedish: 0 },
  { x: 244_000, y: 7_140_000, swedish: 0.5 },
];

/** Shape of the age profile 0–15 (relative; births have fallen, so the youngest cohorts are smaller). */
const AGE_PROFILE = [0.86, 0.88, 0.9, 0.92, 0.94, 0.96, 0.98, 1, 1, 1.01, 1.02, 1.02, 1.03, 1.03, 1.03, 1.02];

interface Town {
  index: number;
  name: string;
  centre: [number, number];
  units: number;
  swedish: number;
  peakDensity: number;
}

interface Cell {
  x: number;
  y: number;
  town: number;
  residents: number;
  /** Per-cell yearly growth of residents (a trend: new suburbs grow, old centres shrink). */
  trend: number;
}

interface SyntheticFacility {
  code: string;
  name: string;
  kind: 'school' | 'daycare';
  language: TeachingLanguage;
  position: [number, number];
  capacities: Partial<Record<ServiceType, number>>;
}

function validate(options: SyntheticOptions): void {
  const check = (name: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new VerkostoError('invalidArgument', { detail: `${name} must be a whole number from ${min} to ${max} (got ${value})` });
    }
  };
  check('units', options.units, 1, 2_000_000);
  check('facilities', options.facilities, 0, 100_000);
  check('years', options.years, 1, 50);
  check('seed', options.seed, 0, 4_294_967_295);
}

/** Splits `total` into parts proportional to `weights` (largest remainder; sums exactly to total). */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((weight) => (total * weight) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((value, index) => [value - Math.floor(value), index] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, index] of order) {
    if (left <= 0) break;
    parts[index]! += 1;
    left -= 1;
  }
  return parts;
}

function planTowns(options: SyntheticOptions, random: Random): Town[] {
  const count = Math.min(TOWN_CENTRES.length, Math.max(1, Math.ceil(options.units / 2500)));
  const weights = Array.from({ length: count }, (_, index) => (1 / (index + 1) ** 0.9) * uniform(random, 0.8, 1.2));
  const units = apportion(options.units, weights);
  return units.map((unitCount, index) => {
    const centre = TOWN_CENTRES[index]!;
    // Snap to the 250 m grid after a seeded shift of up to ±5 km.
    const snap = (value: number) => Math.round(value / CELL_SIZE) * CELL_SIZE;
    return {
      index,
      name: `Synteettinen kaupunki ${String(index + 1).padStart(2, '0')}`,
      centre: [snap(centre.x + uniform(random, -5000, 5000)), snap(centre.y + uniform(random, -5000, 5000))],
      units: unitCount,
      swedish: centre.swedish,
      peakDensity: uniform(random, 900, 2200) * (index < 5 ? 1.5 : 1),
    };
  });
}

/**
 * Lays a town's cells out as a ragged disc around its centre: every grid cell within reach gets a score
 * (distance × random factor) and the lowest-scoring free cells are taken, so towns have uneven edges.
 */
function layOutTown(town: Town, occupied: Set<string>, random: Random, cells: Cell[]): void {
  let radius = Math.ceil(Math.sqrt(town.units / Math.PI) * 1.3) + 2;
  for (;;) {
    const candidates: { dx: number; dy: number; score: number }[] = [];
    for (let dx = -radius; dx <= radius; dx++) {
      for (let dy = -radius; dy <= radius; dy++) {
        const distance = Math.hypot(dx, dy);
        if (distance > radius) continue;
        candidates.push({ dx, dy, score: distance * (1 + 0.6 * random()) });
      }
    }
    candidates.sort((a, b) => a.score - b.score || a.dx - b.dx || a.dy - b.dy);
    const chosen: { dx: number; dy: number }[] = [];
    for (const candidate of candidates) {
      if (chosen.length === town.units) break;
      const key = `${town.centre[0] + candidate.dx * CELL_SIZE}:${town.centre[1] + candidate.dy * CELL_SIZE}`;
      if (!occupied.has(key)) chosen.push(candidate);
    }
    if (chosen.length < town.units) {
      radius *= 2; // neighbouring towns took some cells: look further out
      continue;
    }
    // Density falls off steeply from the centre (scale 15 % of the town's radius), as in Finnish towns
    // where most 250 m cells are sparsely built: about 80 residents a cell on average.
    const townRadius = Math.max(1, Math.sqrt(town.units / Math.PI));
    const scale = Math.max(2, townRadius * 0.15);
    for (const { dx, dy } of chosen) {
      const x = town.centre[0] + dx * CELL_SIZE;
      const y = town.centre[1] + dy * CELL_SIZE;
      occupied.add(`${x}:${y}`);
      const distance = Math.hypot(dx, dy);
      const density = town.peakDensity * Math.exp(-distance / scale) * Math.exp(0.6 * normal(random));
      cells.push({
        x,
        y,
        town: town.index,
        residents: Math.max(1, Math.round(density)),
        // Centres shrink a little, outskirts grow: −0.8 … +1.2 % a year, with noise.
        trend: -0.008 + 0.02 * Math.min(1, distance / townRadius) + 0.008 * normal(random),
      });
    }
    return;
  }
}

/** Population of one cell for every year: cohorts age by one year a year; births follow the residents. */
function cellPopulation(cell: Cell, unitFid: number, years: number, random: Random): PopulationRow[] {
  const rows: PopulationRow[] = [];
  const childShare = Math.max(0.04, 0.16 * (1 + 0.25 * normal(random)));
  let total = cell.residents;
  let ages = AGE_PROFILE.map((weight) => Math.max(0, Math.round(((total * childShare) / 16) * weight * (1 + 0.3 * normal(random)))));
  for (let year = 0; year < years; year++) {
    if (year > 0) {
      total = Math.max(0, Math.round(total * (1 + cell.trend)));
      const births = Math.max(0, Math.round(((total * childShare) / 16) * AGE_PROFILE[0]! * (1 + 0.25 * normal(random))));
      const previous = ages;
      ages = AGE_PROFILE.map((_, age) =>
        age === 0 ? births : Math.max(0, Math.round(previous[age - 1]! * (1 + cell.trend + 0.05 * normal(random)))),
      );
    }
    rows.push({ unit_fid: unitFid, year: SYNTHETIC_FIRST_YEAR + year, source: year === 0 ? 'observed' : 'forecast', total, ages });
  }
  return rows;
}

function cellSquare(cell: Cell): MultiPolygonGeometry {
  const { x, y } = cell;
  const s = CELL_SIZE;
  return { type: 'MultiPolygon', coordinates: [[[[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]]] };
}

/** Places facilities in towns in proportion to children, at cells drawn with weight = children. */
function planFacilities(options: SyntheticOptions, towns: Town[], cells: Cell[], random: Random): SyntheticFacility[] {
  const cellsByTown = towns.map(() => [] as Cell[]);
  for (const cell of cells) cellsByTown[cell.town]!.push(cell);
  const perTown = apportion(
    options.facilities,
    cellsByTown.map((list) => list.reduce((sum, cell) => sum + cell.residents, 0)),
  );
  const facilities: SyntheticFacility[] = [];
  const round = (value: number, step: number) => Math.round(value / step) * step;
  towns.forEach((town, townIndex) => {
    const list = cellsByTown[townIndex]!;
    const cumulative: number[] = [];
    let sum = 0;
    for (const cell of list) cumulative.push((sum += cell.residents));
    for (let n = 0; n < perTown[townIndex]!; n++) {
      const target = random() * sum;
      let low = 0;
      let high = cumulative.length - 1;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (cumulative[middle]! < target) low = middle + 1;
        else high = middle;
      }
      const cell = list[low]!;
      const number = facilities.length + 1;
      const kind = random() < 0.4 ? 'school' : 'daycare';
      const language: TeachingLanguage = random() < town.swedish ? 'sv' : 'fi';
      const capacities: Partial<Record<ServiceType, number>> = {};
      if (kind === 'school') {
        const grades = random();
        if (grades < 0.8) capacities.grades_1_6 = round(integerBetween(random, 120, 560), 10);
        if (grades >= 0.5) capacities.grades_7_9 = round(integerBetween(random, 150, 650), 10);
      } else {
        capacities.daycare_0_2 = round(integerBetween(random, 12, 48), 4);
        capacities.daycare_3_5 = round(integerBetween(random, 21, 105), 7);
        if (random() < 0.6) capacities.pre_primary = round(integerBetween(random, 13, 42), 1);
      }
      const nameStem = kind === 'school' ? (language === 'sv' ? 'Skola' : 'Koulu') : language === 'sv' ? 'Daghem' : 'Päiväkoti';
      facilities.push({
        code: `SYN${String(number).padStart(5, '0')}`,
        name: `${nameStem} ${number}`,
        kind,
        language,
        position: [cell.x + uniform(random, 20, CELL_SIZE - 20), cell.y + uniform(random, 20, CELL_SIZE - 20)],
        capacities,
      });
    }
  });
  return facilities;
}

function orientOuter(ring: Position[]): Position[] {
  return signedRingArea(ring) >= 0 ? ring : [...ring].reverse();
}

/** Builds a synthetic project into targetFile (which must not exist yet). */
export async function buildSyntheticProject(targetFile: string, options: SyntheticOptions): Promise<void> {
  validate(options);
  const progress = options.onProgress ?? (() => undefined);
  const random = mulberry32(options.seed);

  progress('towns', 0);
  const towns = planTowns(options, random);
  const cells: Cell[] = [];
  const occupied = new Set<string>();
  for (const town of towns) layOutTown(town, occupied, random, cells);
  const facilities = planFacilities(options, towns, cells, random);

  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const cell of cells) {
    minX = Math.min(minX, cell.x); minY = Math.min(minY, cell.y);
    maxX = Math.max(maxX, cell.x + CELL_SIZE); maxY = Math.max(maxY, cell.y + CELL_SIZE);
  }
  const margin = 5000;
  const bounds: [number, number, number, number] = [minX - margin, minY - margin, maxX + margin, maxY + margin];

  const project = ProjectFile.create(targetFile, { epsg: SYNTHETIC_EPSG, name: `Synteettinen ${options.units} (seed ${options.seed})` });
  try {
    // A big cache keeps the index pages of demand_population in memory while a million rows go in.
    project.db.pragma('cache_size = -262144');
    project.transaction(() => {
      project.writeSettings({
        'project.name': `Synteettinen ${options.units} (seed ${options.seed})`,
        'synthetic.seed': options.seed,
        'synthetic.units': options.units,
        'synthetic.facilities': options.facilities,
        'synthetic.years': options.years,
        'sample.generatedCatchments': true,
        'sample.illustrativeValues': true,
      });
      project.insertDataSources([
        {
          id: 'synthetic',
          title: 'Synthetic data (not real)',
          publisher: 'Verkosto synthetic project generator',
          licence: 'CC0 1.0',
          url: null,
          retrieved: null,
          layers: 'municipality, demand_units, demand_population, facilities, facility_services, catchments',
          note: `Generated with seed ${options.seed}: ${options.units} grid cells in ${towns.length} towns near real Finnish town locations, population ${SYNTHETIC_FIRST_YEAR}–${SYNTHETIC_FIRST_YEAR + options.years - 1}, ${options.facilities} facilities with invented capacities and costs, Voronoi catchments. For tests and benchmarks only.`,
        },
      ]);
      const [x0, y0, x1, y1] = bounds;
      project.insertFeatures('municipality', [
        {
          geometry: { type: 'MultiPolygon', coordinates: [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]] },
          properties: { code: '000', name_fi: 'Synteettinen alue', name_sv: 'Syntetiskt område' },
        },
      ]);

      progress('demandUnits', 0.05);
      const chunk = 5000;
      for (let start = 0; start < cells.length; start += chunk) {
        const slice = cells.slice(start, start + chunk);
        const fids = project.insertFeatures(
          'demand_units',
          slice.map((cell) => ({
            geometry: cellSquare(cell),
            properties: {
              code: `250mE${cell.x}N${cell.y}`,
              name: towns[cell.town]!.name,
              unit_kind: 'grid_250m',
              population_total: cell.residents,
              population_year: SYNTHETIC_FIRST_YEAR,
            },
          })),
        );
        const rows: PopulationRow[] = [];
        slice.forEach((cell, index) => rows.push(...cellPopulation(cell, fids[index]!, options.years, random)));
        project.insertPopulation(rows);
        progress('demandUnits', 0.05 + (0.8 * Math.min(cells.length, start + chunk)) / cells.length);
      }

      progress('facilities', 0.85);
      const facilityFids = project.insertFeatures(
        'facilities',
        facilities.map((facility) => {
          const places = Object.values(facility.capacities).reduce((sum, value) => sum + (value ?? 0), 0);
          return {
            geometry: { type: 'Point', coordinates: facility.position },
            properties: {
              code: facility.code,
              name_fi: facility.name,
              name_sv: facility.language === 'sv' ? facility.name : null,
              facility_kind: facility.kind,
              language: facility.language,
              status: 'active',
              floor_area_m2: Math.round(places * uniform(random, 7, 12)),
              year_built: integerBetween(random, 1950, 2022),
              condition: integerBetween(random, 1, 5),
              operating_cost_eur: Math.round((places * (facility.kind === 'school' ? 12_358 : 14_000) * uniform(random, 0.85, 1.15)) / 1000) * 1000,
              illustrative: 1,
            },
          };
        }),
      );
      project.insertFacilityServices(
        facilities.flatMap((facility, index) =>
          Object.entries(facility.capacities).map(([service, capacity]) => ({ facility_fid: facilityFids[index]!, service, capacity: capacity ?? null, enrolment: null })),
        ),
      );

      progress('catchments', 0.9);
      for (const language of ['fi', 'sv'] as const) {
        for (const service of SYNTHETIC_CATCHMENT_SERVICES) {
          const members = facilities.map((facility, index) => ({ facility, fid: facilityFids[index]! })).filter(
            ({ facility }) => facility.language === language && facility.capacities[service] !== undefined,
          );
          if (members.length === 0) continue;
          const voronoi = Delaunay.from(members.map(({ facility }) => facility.position)).voronoi(bounds);
          const catchments = [];
          for (let index = 0; index < members.length; index++) {
            const polygon = voronoi.cellPolygon(index) as Position[] | null;
            if (!polygon || polygon.length < 4) continue;
            const { facility, fid } = members[index]!;
            catchments.push({
              geometry: { type: 'MultiPolygon', coordinates: [[orientOuter(polygon)]] } as MultiPolygonGeometry,
              properties: { name: facility.name, service, language, facility_fid: fid, origin: 'generated' as const, locked: 0 },
            });
          }
          project.insertFeatures('catchments', catchments);
        }
      }
    });
    progress('done', 1);
  } catch (error) {
    project.close();
    deleteProjectFile(targetFile);
    throw error;
  }
  project.close();
}
