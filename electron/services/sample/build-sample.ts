/**
 * Builds the Helsinki sample project from the open data shipped in resources/sample-data (see SOURCES.md
 * there): the municipal boundary, 148 osa-alueet with 2019 population by single-year age, 2 065 HSY 250 m
 * grid cells with 2015 population (ages estimated), the 129 Statistics Finland schools of 2022 with
 * ILLUSTRATIVE capacities and costs, and GENERATED grades 1–6 catchments per teaching language.
 *
 * Deterministic: the same input files give the same features, rows and values (only timestamps such as
 * project.created differ). Takes about a second.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proj4 from 'proj4';
import type { DataSource, PopulationRow, ServiceType, TeachingLanguage } from '../../../shared/domain/project';
import { VerkostoError } from '../../../shared/errors';
import { findCrs } from '../../../shared/geo/crs';
import type { MultiPolygonGeometry, Position } from '../../../shared/geo/geometry';
import { deleteProjectFile, ProjectFile } from '../../store/project-file';
import { interiorPoint, orientRing, toJsts, toMultiPolygon, unionAll, type JstsGeometry } from './polygon-ops';
import {
  estimateGridAges,
  illustrativeSchoolValues,
  isSuppressedCell,
  languageFromSchoolName,
  servicesFromSchool,
  type AgeDistribution,
} from './sample-rules';

export const SAMPLE_PROJECT_NAME = 'Helsinki – esimerkkiprojekti';
export const SAMPLE_EPSG = 3067;
export const SAMPLE_POPULATION_YEAR = 2019;
export const SAMPLE_GRID_YEAR = 2015;

/** The files buildSampleProject reads from the sample-data folder. */
export const SAMPLE_FILES = {
  areas: 'osaalueet.json',
  population: 'helsinki_vaesto_2019_osaalue_ika_sukupuoli.csv',
  grid: 'vaestoruudukko_2015_helsinki.geojson',
  schools: 'koulut_helsinki_2022.geojson',
  boundary: 'helsinki_boundary_tm35.geojson',
} as const;

const SAMPLE_DATA_RELATIVE = path.join('resources', 'sample-data');
const GRID_BANDS = ['IKA0_9', 'IKA10_19', 'IKA20_29', 'IKA30_39', 'IKA40_49', 'IKA50_59', 'IKA60_69', 'IKA70_79', 'IKA_YLI80'] as const;
/** Holes smaller than this (m²) inside one generated catchment are slivers between osa-alue edges. */
const SLIVER_HOLE_M2 = 10;

export interface BuildSampleOptions {
  dataDirectory?: string;
  onProgress?: (step: string, fraction: number) => void;
}

/**
 * The shipped sample-data folder: found by walking up from this module (works from the sources under
 * vitest and from the dist/ bundles), then in Electron's resources folder of a packaged app.
 */
export function defaultSampleDataDirectory(): string {
  const candidates: string[] = [];
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    candidates.push(path.join(directory, SAMPLE_DATA_RELATIVE));
    const parent = path.dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(path.join(resourcesPath, 'sample-data'), path.join(resourcesPath, SAMPLE_DATA_RELATIVE));
  const found = candidates.find((candidate) => existsSync(path.join(candidate, SAMPLE_FILES.areas)));
  if (!found) throw new VerkostoError('sampleDataMissing', { file: SAMPLE_DATA_RELATIVE });
  return found;
}

// ---- reading the input files ----

interface GeoJsonFeature<P> {
  properties: P;
  geometry: { type: string; coordinates: unknown } | null;
}

async function readInput(directory: string, name: string): Promise<string> {
  const file = path.join(directory, name);
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new VerkostoError('sampleDataMissing', { file: path.join(path.basename(directory), name) });
  }
}

async function readFeatures<P>(directory: string, name: string): Promise<GeoJsonFeature<P>[]> {
  return (JSON.parse(await readInput(directory, name)) as { features: GeoJsonFeature<P>[] }).features;
}

interface PopulationRecord {
  code: string;
  name: string;
  total: number;
  /** Men + women by single-year age 0–99. */
  byAge: number[];
}

/** The 2019 population CSV: one row per osa-alue (plus 999 unknown area), columns m0…m99 and n0…n99. */
function parsePopulationCsv(text: string): PopulationRecord[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0]!.split(',');
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new VerkostoError('sampleDataMissing', { file: `${SAMPLE_FILES.population} (${name})` });
    return index;
  };
  const codeColumn = column('osaalue_tunnus');
  const nameColumn = column('nimi');
  const totalColumn = column('yhteensa');
  const menColumns = Array.from({ length: 100 }, (_, age) => column(`m${age}`));
  const womenColumns = Array.from({ length: 100 }, (_, age) => column(`n${age}`));
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    const number = (index: number) => Number(cells[index]);
    return {
      code: cells[codeColumn]!,
      name: cells[nameColumn]!,
      total: number(totalColumn),
      byAge: menColumns.map((men, age) => number(men) + number(womenColumns[age]!)),
    };
  });
}

// ---- geometry helpers ----

type Transform = (position: Position) => Position;

function projector(fromEpsg: number, toEpsg: number): Transform {
  const converter = proj4(findCrs(fromEpsg)!.proj4, findCrs(toEpsg)!.proj4);
  // Millimetre rounding: shared vertices of neighbouring areas stay identical, files stay compact.
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return (position) => {
    const [x, y] = converter.forward([position[0], position[1]]);
    return [round(x!), round(y!)];
  };
}

/**
 * Helsinki's WFS says urn:ogc:def:crs:EPSG::4326 (formally latitude first) but writes longitude first.
 * Decide from the numbers: Finland's longitudes are 19–32 and its latitudes 59–71, so they cannot be mixed up.
 */
function lonLatOrder(first: Position): boolean {
  return first[0] < 40 && first[1] > 50;
}

function polygonalToMultiPolygon(geometry: { type: string; coordinates: unknown }, transform: Transform): MultiPolygonGeometry {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates as Position[][]] : (geometry.coordinates as Position[][][]);
  return {
    type: 'MultiPolygon',
    coordinates: polygons.map((polygon) => polygon.map((ring, index) => orientRing(ring.map(transform), index === 0))),
  };
}

// ---- the build ----

interface AreaUnit {
  fid: number;
  code: string;
  geometry: MultiPolygonGeometry;
  jsts: JstsGeometry;
  anchor: [number, number];
}

interface School {
  fid: number;
  code: string;
  name: string;
  language: TeachingLanguage;
  services: ServiceType[];
  position: [number, number];
}

/** Builds the Helsinki sample project into targetFile (which must not exist yet). */
export async function buildSampleProject(targetFile: string, options: BuildSampleOptions = {}): Promise<void> {
  const progress = options.onProgress ?? (() => undefined);
  const directory = options.dataDirectory ?? defaultSampleDataDirectory();
  progress('read', 0);
  const [areaFeatures, populationCsv, gridFeatures, schoolFeatures, boundaryFeatures] = await Promise.all([
    readFeatures<{ tunnus: string; nimi_fi: string; nimi_se: string }>(directory, SAMPLE_FILES.areas),
    readInput(directory, SAMPLE_FILES.population),
    readFeatures<Record<string, number>>(directory, SAMPLE_FILES.grid),
    readFeatures<{ tunn: string; onimi: string; oltyp: string }>(directory, SAMPLE_FILES.schools),
    readFeatures<{ NATCODE: string; NAMEFIN: string; NAMESWE: string }>(directory, SAMPLE_FILES.boundary),
  ]);
  const population = parsePopulationCsv(populationCsv);

  const project = ProjectFile.create(targetFile, { epsg: SAMPLE_EPSG, name: SAMPLE_PROJECT_NAME });
  try {
    project.transaction(() => {
      writeSettingsAndSources(project);
      progress('municipality', 0.05);
      writeMunicipality(project, boundaryFeatures);
      progress('demandUnits', 0.1);
      const areas = writeAreas(project, areaFeatures, population);
      progress('grid', 0.3);
      writeGrid(project, gridFeatures, population);
      progress('facilities', 0.5);
      const schools = writeSchools(project, schoolFeatures);
      progress('catchments', 0.6);
      writeCatchments(project, areas, schools, (fraction) => progress('catchments', 0.6 + 0.35 * fraction));
    });
    progress('done', 1);
  } catch (error) {
    project.close();
    deleteProjectFile(targetFile);
    throw error;
  }
  project.close();
}

function writeSettingsAndSources(project: ProjectFile): void {
  project.writeSettings({
    'project.name': SAMPLE_PROJECT_NAME,
    'sample.generatedCatchments': true,
    'sample.illustrativeValues': true,
    'basemap.url': 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  });
  project.insertDataSources(SAMPLE_DATA_SOURCES);
}

function writeMunicipality(project: ProjectFile, features: GeoJsonFeature<{ NATCODE: string; NAMEFIN: string; NAMESWE: string }>[]): void {
  const boundary = features[0];
  if (!boundary?.geometry) throw new VerkostoError('sampleDataMissing', { file: SAMPLE_FILES.boundary });
  project.insertFeatures('municipality', [
    {
      geometry: polygonalToMultiPolygon(boundary.geometry, (position) => [position[0], position[1]]),
      properties: { code: boundary.properties.NATCODE, name_fi: boundary.properties.NAMEFIN, name_sv: boundary.properties.NAMESWE },
    },
  ]);
}

/** The 148 osa-alueet with their observed 2019 population (533 Aluemeri, the territorial sea, has no row). */
function writeAreas(
  project: ProjectFile,
  features: GeoJsonFeature<{ tunnus: string; nimi_fi: string; nimi_se: string }>[],
  population: PopulationRecord[],
): AreaUnit[] {
  const firstPosition = (features[0]?.geometry?.coordinates as Position[][] | undefined)?.[0]?.[0];
  if (!firstPosition) throw new VerkostoError('sampleDataMissing', { file: SAMPLE_FILES.areas });
  const toProject = projector(4326, SAMPLE_EPSG);
  const transform: Transform = lonLatOrder(firstPosition) ? toProject : (position) => toProject([position[1], position[0]]);
  const populationByCode = new Map(population.map((record) => [record.code, record]));
  const sorted = [...features].sort((a, b) => a.properties.tunnus.localeCompare(b.properties.tunnus));
  const geometries = sorted.map((feature) => polygonalToMultiPolygon(feature.geometry!, transform));
  const fids = project.insertFeatures(
    'demand_units',
    sorted.map((feature, index) => {
      const record = populationByCode.get(feature.properties.tunnus);
      return {
        geometry: geometries[index]!,
        properties: {
          code: feature.properties.tunnus,
          name: feature.properties.nimi_fi,
          unit_kind: 'small_area',
          population_total: record ? record.total : null,
          population_year: record ? SAMPLE_POPULATION_YEAR : null,
        },
      };
    }),
  );
  const rows: PopulationRow[] = [];
  sorted.forEach((feature, index) => {
    const record = populationByCode.get(feature.properties.tunnus);
    if (!record) return;
    rows.push({ unit_fid: fids[index]!, year: SAMPLE_POPULATION_YEAR, source: 'observed', total: record.total, ages: record.byAge.slice(0, 16) });
  });
  project.insertPopulation(rows);
  return sorted.map((feature, index) => {
    const jsts = toJsts(geometries[index]!);
    return { fid: fids[index]!, code: feature.properties.tunnus, geometry: geometries[index]!, jsts, anchor: interiorPoint(jsts) };
  });
}

/** Helsinki 2019 residents by single-year age over all rows of the CSV (including the unknown area 999). */
function helsinkiAgeDistribution(population: PopulationRecord[]): AgeDistribution {
  const byAge = Array.from({ length: 20 }, (_, age) => population.reduce((sum, record) => sum + (record.byAge[age] ?? 0), 0));
  return { byAge, total: population.reduce((sum, record) => sum + record.total, 0) };
}

/** The HSY 2015 grid cells with residents and estimated ages 0–15 (rule in sample-rules.ts estimateGridAges). */
function writeGrid(project: ProjectFile, features: GeoJsonFeature<Record<string, number>>[], population: PopulationRecord[]): void {
  const transform = projector(3879, SAMPLE_EPSG);
  const helsinki = helsinkiAgeDistribution(population);
  const sorted = [...features].sort((a, b) => a.properties.INDEX! - b.properties.INDEX!);
  const fids = project.insertFeatures(
    'demand_units',
    sorted.map((feature) => ({
      geometry: polygonalToMultiPolygon(feature.geometry!, transform),
      properties: {
        code: String(feature.properties.INDEX),
        name: null,
        unit_kind: 'grid_250m',
        population_total: feature.properties.ASUKKAITA ?? 0,
        population_year: SAMPLE_GRID_YEAR,
      },
    })),
  );
  project.insertPopulation(
    sorted.map((feature, index) => {
      const properties = feature.properties;
      const total = properties.ASUKKAITA ?? 0;
      const ages = estimateGridAges(
        { total, band0to9: properties.IKA0_9 ?? 0, band10to19: properties.IKA10_19 ?? 0, suppressed: isSuppressedCell(properties, GRID_BANDS) },
        helsinki,
      );
      return { unit_fid: fids[index]!, year: SAMPLE_GRID_YEAR, source: 'estimated', total, ages };
    }),
  );
}

/** The 129 schools with ILLUSTRATIVE capacities, floor areas and operating costs. */
function writeSchools(project: ProjectFile, features: GeoJsonFeature<{ tunn: string; onimi: string; oltyp: string }>[]): School[] {
  const sorted = [...features].sort((a, b) => a.properties.tunn.localeCompare(b.properties.tunn));
  const schools = sorted.map((feature) => {
    const { tunn, onimi, oltyp } = feature.properties;
    const coordinates = feature.geometry!.coordinates as Position;
    const services = servicesFromSchool(onimi, oltyp);
    return {
      code: tunn,
      name: onimi,
      language: languageFromSchoolName(onimi),
      services,
      position: [coordinates[0], coordinates[1]] as [number, number],
      values: illustrativeSchoolValues(tunn, services),
    };
  });
  const fids = project.insertFeatures(
    'facilities',
    schools.map((school) => ({
      geometry: { type: 'Point', coordinates: school.position },
      properties: {
        code: school.code,
        name_fi: school.name,
        name_sv: school.language === 'sv' ? school.name : null,
        facility_kind: 'school',
        language: school.language,
        status: 'active',
        floor_area_m2: school.values.floorAreaM2,
        operating_cost_eur: school.values.operatingCostEur,
        illustrative: 1,
      },
    })),
  );
  project.insertFacilityServices(
    schools.flatMap((school, index) =>
      school.services.map((service) => ({ facility_fid: fids[index]!, service, capacity: school.values.capacities[service] ?? null, enrolment: null })),
    ),
  );
  return schools.map((school, index) => ({ fid: fids[index]!, code: school.code, name: school.name, language: school.language, services: school.services, position: school.position }));
}

/**
 * GENERATED grades 1–6 catchments, one set per teaching language. Every osa-alue — also unpopulated ones
 * and 533 Aluemeri, the territorial sea, so that each set tiles the municipality — goes to the school of
 * that language offering grades 1–6 nearest to the area's interior point (straight line; ties to the lower
 * school code). A school's catchment is the union of its areas; schools that win no area get none.
 */
function writeCatchments(project: ProjectFile, areas: AreaUnit[], schools: School[], progress: (fraction: number) => void): void {
  const service: ServiceType = 'grades_1_6';
  const languages: TeachingLanguage[] = ['fi', 'sv'];
  languages.forEach((language, languageIndex) => {
    const candidates = schools.filter((school) => school.language === language && school.services.includes(service));
    if (candidates.length === 0) return;
    const areasBySchool = new Map<number, AreaUnit[]>();
    for (const area of areas) {
      let best = candidates[0]!;
      let bestDistance = Infinity;
      for (const school of candidates) {
        const distance = (school.position[0] - area.anchor[0]) ** 2 + (school.position[1] - area.anchor[1]) ** 2;
        if (distance < bestDistance) {
          best = school;
          bestDistance = distance;
        }
      }
      const list = areasBySchool.get(best.fid) ?? [];
      list.push(area);
      areasBySchool.set(best.fid, list);
    }
    const winners = candidates.filter((school) => areasBySchool.has(school.fid));
    project.insertFeatures(
      'catchments',
      winners.map((school) => {
        const members = areasBySchool.get(school.fid)!;
        const union = members.length === 1 ? members[0]!.jsts : unionAll(members.map((area) => area.jsts));
        return {
          geometry: toMultiPolygon(union, { dropHolesSmallerThan: SLIVER_HOLE_M2 }),
          properties: { name: school.name, service, language, facility_fid: school.fid, origin: 'generated', locked: 0 },
        };
      }),
    );
    progress((languageIndex + 1) / languages.length);
  });
}

/** Provenance rows of the sample (also shown in "About the data"). */
export const SAMPLE_DATA_SOURCES: DataSource[] = [
  {
    id: 'helsinki-osa-alueet',
    title: 'Helsingin osa-alueet (Piirijako_osaalue)',
    publisher: 'Helsingin kaupunki, kaupunkimittauspalvelut (City of Helsinki)',
    licence: 'CC BY 4.0',
    url: 'https://kartta.hel.fi/ws/geoserver/avoindata/wfs',
    retrieved: '2024-02-05',
    layers: 'demand_units (small_area), catchments',
    note: 'WFS layer avoindata:Piirijako_osaalue, 148 sub-districts; reprojected from WGS84 (lon/lat) to EPSG:3067.',
  },
  {
    id: 'helsinki-population-2019',
    title: 'Helsingin väestö 31.12.2019 osa-alueittain, yksivuotisikä ja sukupuoli',
    publisher: 'Tilastokeskus (Statistics Finland), via the Helsinki pilot of the Porvoo population-forecast model',
    licence: 'CC BY 4.0',
    url: 'https://github.com/Porvoon-kehitysyksikko/Vaestoennuste',
    retrieved: null,
    layers: 'demand_population (small_area, 2019, observed)',
    note: 'Ages 0–15 = men + women of each age; total = all ages. 14 055 residents with unknown area (999) have no polygon; the 147 areas sum to 639 780.',
  },
  {
    id: 'hsy-grid-2015',
    title: 'Väestötietoruudukko 250 m × 250 m 2015',
    publisher: 'HSY Helsingin seudun ympäristöpalvelut',
    licence: 'CC BY 4.0',
    url: 'https://github.com/Automating-GIS-processes/site',
    retrieved: null,
    layers: 'demand_units (grid_250m), demand_population (2015, estimated)',
    note: 'Cells whose centre is in Helsinki, reprojected from EPSG:3879. Single-year ages 0–15 ESTIMATED from the 10-year bands IKA0_9 and IKA10_19 by Helsinki\'s 2019 age distribution within each band; suppressed cells (< 100 residents, all bands 99) get residents × Helsinki\'s 2019 share of each age.',
  },
  {
    id: 'statfi-schools-2022',
    title: 'Oppilaitokset 2022 (peruskoulut)',
    publisher: 'Tilastokeskus (Statistics Finland)',
    licence: 'CC BY 4.0',
    url: 'https://geo.stat.fi/geoserver/oppilaitokset/wfs',
    retrieved: null,
    layers: 'facilities',
    note: 'The 129 comprehensive schools in Helsinki: code = tunn, name = onimi, location. Language and grades are read off the name (a heuristic); capacities and costs are illustrative.',
  },
  {
    id: 'nls-municipal-boundary',
    title: 'Kuntajako: Helsinki',
    publisher: 'Maanmittauslaitos (National Land Survey of Finland)',
    licence: 'CC BY 4.0',
    url: 'https://github.com/Automating-GIS-processes/site',
    retrieved: null,
    layers: 'municipality',
    note: 'Municipal boundary of Helsinki (NATCODE 091) in EPSG:3067, including sea areas.',
  },
  {
    id: 'illustrative-values',
    title: 'Illustrative values (not city data)',
    publisher: 'Verkosto sample project',
    licence: 'CC BY 4.0',
    url: null,
    retrieved: null,
    layers: 'facilities, facility_services, catchments',
    note: 'School capacities, floor areas and operating costs are INVENTED (seeded by the school code; cost ≈ places × €12,358, the 2023 median per pupil). Teaching language and grades are guessed from school names. The grades 1–6 catchments are GENERATED (each osa-alue to the nearest school of the language), not Helsinki\'s real catchments.',
  },
];
