/**
 * Importing every file format into a real project: GeoJSON, CSV, XLSX, GeoPackage, Shapefile (zip, with
 * .prj and an ISO-8859-1 .cpg), KML, FlatGeobuf and GML (files written by GDAL's ogr2ogr), with field
 * mapping, reprojection, facility capacities, provenance and one undoable command per import.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { importSource, listSources } from '../../../electron/services/import/import-service';
import { openFileSource } from '../../../electron/services/import/readers/files/open-file-source';
import type { ProjectFile } from '../../../electron/store/project-file';
import { makeTempDir } from '../../fixtures/store-helpers';
import { newProject, ogr2ogr, SCHOOL_MAPPING, SCHOOLS, sourceConfig, writeSchoolsGeoJson } from './import-helpers';

const temp = makeTempDir('verkosto-import-');
afterAll(() => temp.cleanup());

function facilitiesByCode(project: ProjectFile): Map<string, { name: string; language: string; x: number; y: number; capacity: number | null }> {
  const capacity = project.db.prepare("SELECT capacity FROM facility_services WHERE facility_fid = ? AND service = 'grades_1_6'");
  return new Map(
    project.readFeatures('facilities').features.map((f) => [
      f.properties.code!,
      { name: f.properties.name_fi, language: f.properties.language, x: f.geometry!.coordinates[0], y: f.geometry!.coordinates[1], capacity: (capacity.get(f.id) as { capacity: number } | undefined)?.capacity ?? null },
    ]),
  );
}

/** Käpylä school in ETRS-TM35FIN (EPSG:3067), from proj: lon 24.953 lat 60.214. */
function expectKapylaInTm35(project: ProjectFile): void {
  const school = facilitiesByCode(project).get('S1')!;
  expect(school.name).toBe('Käpylän peruskoulu');
  expect(school.x).toBeGreaterThan(386_000);
  expect(school.x).toBeLessThan(388_000);
  expect(school.y).toBeGreaterThan(6_676_000);
  expect(school.y).toBeLessThan(6_678_000);
}

async function importFile(name: string, file: string, kind: Parameters<typeof sourceConfig>[1], options: Record<string, unknown> = {}) {
  const project = newProject(temp.file(`${name}.gpkg`));
  const result = await importSource(project, openFileSource(file, options), {
    sourceLayer: 'default',
    targetLayer: 'facilities',
    mapping: SCHOOL_MAPPING,
    sourceConfig: sourceConfig(name, kind, file, 'facilities', { options }),
  });
  return { project, result };
}

describe('file import', () => {
  it('imports GeoJSON (CRS84) with mapping, value map, capacities and provenance as one undoable command', async () => {
    const file = temp.file('schools.geojson');
    writeSchoolsGeoJson(file);
    const { project, result } = await importFile('geojson', file, 'geojson');
    expect(result.imported).toBe(3);
    expect(result.sourceEpsg).toBe(4326);
    expect(result.seq).not.toBeNull();
    expectKapylaInTm35(project);
    const schools = facilitiesByCode(project);
    expect(schools.get('S2')).toMatchObject({ name: 'Åshöjdens grundskola', language: 'sv', capacity: 380 });
    const [source] = listSources(project);
    expect(source).toMatchObject({ id: 'geojson', licence: 'CC BY 4.0', featureCount: 3, mappingName: 'schools' });
    expect(project.db.prepare('SELECT COUNT(*) AS n FROM import_snapshots').get()).toEqual({ n: 3 });
    expect(project.db.prepare('SELECT name FROM import_mappings').all()).toEqual([{ name: 'schools' }]);
    project.undo();
    expect(project.db.prepare('SELECT COUNT(*) AS n FROM facilities').get()).toEqual({ n: 0 });
    expect(project.db.prepare('SELECT COUNT(*) AS n FROM facility_services').get()).toEqual({ n: 0 });
    expect(listSources(project)).toEqual([]);
    project.redo();
    expect(facilitiesByCode(project).get('S3')?.capacity).toBe(510);
    project.close();
  });

  it('imports GeoJSON with a named EPSG:3879 crs and reprojects it', async () => {
    const source = temp.file('schools-4326.geojson');
    writeSchoolsGeoJson(source);
    const file = temp.file('schools-3879.geojson');
    ogr2ogr(['-f', 'GeoJSON', '-s_srs', 'EPSG:4326', '-t_srs', 'EPSG:3879', '-lco', 'RFC7946=NO', file, source]);
    const { project, result } = await importFile('geojson-3879', file, 'geojson');
    expect(result.sourceEpsg).toBe(3879);
    expectKapylaInTm35(project);
    project.close();
  });

  it('imports CSV with lon/lat columns, semicolons and decimal commas', async () => {
    const file = temp.file('schools.csv');
    const lines = ['code;name;language;capacity;lat;lon', ...SCHOOLS.map((s) => `${s.code};"${s.name}";${s.language};${s.capacity};${String(s.lat).replace('.', ',')};${String(s.lon).replace('.', ',')}`)];
    writeFileSync(file, lines.join('\r\n'));
    const { project, result } = await importFile('csv', file, 'csv');
    expect(result.imported).toBe(3);
    expectKapylaInTm35(project);
    project.close();
  });

  it('imports an ISO-8859-1 CSV with x/y columns in EPSG:3879', async () => {
    const file = temp.file('schools-latin1.csv');
    const text = ['code,name,language,capacity,x,y', 'S1,Käpylän peruskoulu,suomi,420,25497222.5,6677977.7'].join('\n');
    writeFileSync(file, Buffer.from(text, 'latin1'));
    const project = newProject(temp.file('csv-latin1.gpkg'));
    const result = await importSource(project, openFileSource(file, { epsg: 3879 }), {
      sourceLayer: 'default', targetLayer: 'facilities', mapping: SCHOOL_MAPPING, sourceConfig: sourceConfig('csv-latin1', 'csv', file, 'facilities', { epsg: 3879 }),
    });
    expect(result.imported).toBe(1);
    expectKapylaInTm35(project);
    project.close();
  });

  it('imports XLSX with lon/lat columns', async () => {
    const file = temp.file('schools.xlsx');
    const sheet = XLSX.utils.json_to_sheet(SCHOOLS.map((s) => ({ code: s.code, name: s.name, language: s.language, capacity: s.capacity, longitude: s.lon, latitude: s.lat })));
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, 'Koulut');
    writeFileSync(file, XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }));
    const { project, result } = await importFile('xlsx', file, 'xlsx');
    expect(result.imported).toBe(3);
    expectKapylaInTm35(project);
    expect(facilitiesByCode(project).get('S3')?.capacity).toBe(510);
    project.close();
  });

  it.each([
    ['gpkg', 'schools.gpkg', ['-f', 'GPKG', '-t_srs', 'EPSG:3879', '-nln', 'koulut']],
    ['shapefile', 'schools.zip', null],
    ['kml', 'schools.kml', ['-f', 'KML']],
    ['flatgeobuf', 'schools.fgb', ['-f', 'FlatGeobuf', '-t_srs', 'EPSG:3067']],
    ['gml', 'schools.gml', ['-f', 'GML', '-t_srs', 'EPSG:3879', '-dsco', 'FORMAT=GML3']],
  ] as const)('imports %s written by GDAL', async (kind, name, args) => {
    const geojson = temp.file(`${kind}-source.geojson`);
    writeSchoolsGeoJson(geojson);
    const file = temp.file(name);
    if (kind === 'shapefile') {
      // ESRI .prj without an EPSG authority, and a .cpg saying ISO-8859-1: both must be honoured.
      const directory = temp.file('shp');
      ogr2ogr(['-f', 'ESRI Shapefile', '-t_srs', 'EPSG:3879', '-lco', 'ENCODING=ISO-8859-1', directory, geojson, '-nln', 'koulut']);
      writeFileSync(file, zipSync(Object.fromEntries(['shp', 'shx', 'dbf', 'prj', 'cpg'].map((e) => [`koulut.${e}`, readFileSync(path.join(directory, `koulut.${e}`))]))));
    } else ogr2ogr([...args!, file, geojson]);
    const project = newProject(temp.file(`${kind}.gpkg`));
    const source = openFileSource(file);
    const [layer] = await source.listLayers();
    const result = await importSource(project, source, { sourceLayer: layer!.name, targetLayer: 'facilities', mapping: SCHOOL_MAPPING, sourceConfig: sourceConfig(kind, kind, file) });
    expect(result.imported).toBe(3);
    expectKapylaInTm35(project);
    expect(facilitiesByCode(project).get('S2')?.name).toBe('Åshöjdens grundskola');
    project.close();
  });
});

describe('streaming GeoJSON', () => {
  it('streams a FeatureCollection past the whole-file limit, with its crs member and the same result', async () => {
    const { GeoJsonFileSource } = await import('../../../electron/services/import/readers/files/geojson-reader');
    const source = temp.file('many.geojson');
    const features = Array.from({ length: 5000 }, (_, i) => ({ type: 'Feature', id: `F${i}`, geometry: { type: 'Point', coordinates: [25_490_000 + i, 6_670_000 + i] }, properties: { code: `F${i}`, name: `Koulu ${i}`, language: 'suomi', capacity: i } }));
    writeFileSync(source, JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3879' } }, features }));
    const streamed = new GeoJsonFileSource(source, 1024);
    const [layer] = await streamed.listLayers();
    expect(layer).toMatchObject({ epsg: 3879 });
    const project = newProject(temp.file('streamed.gpkg'));
    const result = await importSource(project, streamed, { sourceLayer: 'default', targetLayer: 'facilities', mapping: SCHOOL_MAPPING, sourceConfig: sourceConfig('streamed', 'geojson', source) });
    expect(result.imported).toBe(5000);
    expect(project.db.prepare("SELECT name_fi FROM facilities WHERE code = 'F4999'").get()).toEqual({ name_fi: 'Koulu 4999' });
    project.close();
    // A cut-short big file fails with a clear message while streaming.
    writeFileSync(source, JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'EPSG:3879' } }, features }).slice(0, 200_000));
    await expect(importSource(newProject(temp.file('cut.gpkg')), new GeoJsonFileSource(source, 1024), { sourceLayer: 'default', targetLayer: 'facilities', mapping: SCHOOL_MAPPING, sourceConfig: sourceConfig('cut', 'geojson', source) })).rejects.toMatchObject({ code: 'importUnreadable' });
  });
});
