/** Helpers for the import tests: projects, mappings, source configs, files written with GDAL. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { LayerId } from '../../../shared/domain/project';
import type { FieldMapping, SourceKind, StoredSourceConfig } from '../../../shared/import/types';
import { ProjectFile } from '../../../electron/store/project-file';

export function newProject(file: string, epsg = 3067): ProjectFile {
  return ProjectFile.create(file, { epsg, name: 'import test' });
}

export function sourceConfig(id: string, kind: SourceKind, file: string | null, targetLayer: LayerId = 'facilities', extra: Partial<StoredSourceConfig> = {}): StoredSourceConfig {
  return {
    id,
    kind,
    title: `Test source ${id}`,
    url: null,
    file,
    layer: 'default',
    targetLayer,
    mappingName: null,
    publisher: 'Test publisher',
    licence: 'CC BY 4.0',
    attribution: '© Test',
    epsg: null,
    options: {},
    ...extra,
  };
}

export const SCHOOL_MAPPING: FieldMapping = {
  name: 'schools',
  targetLayer: 'facilities',
  fields: {
    code: { source: 'code' },
    name_fi: { source: 'name' },
    language: { source: 'language', valueMap: { suomi: 'fi', ruotsi: 'sv' } },
    'service:grades_1_6:capacity': { source: 'capacity' },
  },
};

/** Three schools in Helsinki (lon/lat) with codes, names (with å/ä/ö) and capacities. */
export const SCHOOLS = [
  { code: 'S1', name: 'Käpylän peruskoulu', language: 'suomi', capacity: 420, lon: 24.9530, lat: 60.2140 },
  { code: 'S2', name: 'Åshöjdens grundskola', language: 'ruotsi', capacity: 380, lon: 24.9610, lat: 60.1850 },
  { code: 'S3', name: 'Töölön yhteiskoulu', language: 'suomi', capacity: 510, lon: 24.9200, lat: 60.1800 },
];

export function schoolsGeoJson(schools = SCHOOLS): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    features: schools.map((s) => ({ type: 'Feature', id: s.code, geometry: { type: 'Point', coordinates: [s.lon, s.lat] }, properties: { code: s.code, name: s.name, language: s.language, capacity: s.capacity } })),
  });
}

export function writeSchoolsGeoJson(file: string, schools = SCHOOLS): void {
  writeFileSync(file, schoolsGeoJson(schools));
}

/** Converts a GeoJSON file with ogr2ogr (GDAL writes the other formats as real tools do). */
export function ogr2ogr(args: string[]): void {
  execFileSync('ogr2ogr', args, { stdio: 'pipe' });
}

/** Hash of a project file and its WAL: while a project stays open, a call that writes nothing leaves both as they were. */
export function projectBytesHash(file: string): string {
  const hash = createHash('sha256').update(readFileSync(file));
  if (existsSync(`${file}-wal`)) hash.update(readFileSync(`${file}-wal`));
  return hash.digest('hex');
}
