/** Pure parts of the import pipeline: CRS detection, value conversion, WKT, axis checks, content hashes. */
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../electron/services/import/content-hash';
import { epsgFromGeoJsonCrs, epsgFromSrsName, epsgFromWkt, srsNameIsLatitudeFirst } from '../../electron/services/import/crs-detect';
import { checkSourcePositions } from '../../electron/services/import/geometry-checks';
import { applyMapping, convertValue, COLUMN_SPECS, suggestMapping } from '../../electron/services/import/mapping';
import { parseWkt } from '../../electron/services/import/readers/files/wkt';
import { normaliseEncoding } from '../../electron/services/import/readers/files/file-utils';

// ESRI WKT as ArcGIS and old QGIS write it: no AUTHORITY, so the parameters must be matched.
const ESRI_GK25 =
  'PROJCS["ETRS_1989_GK25FIN",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",25500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",25.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
const ESRI_TM35 =
  'PROJCS["ETRS_1989_TM35FIN",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",27.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
const KKJ =
  'PROJCS["KKJ_Finland_Zone_2",GEOGCS["GCS_KKJ",DATUM["D_KKJ",SPHEROID["International_1924",6378388.0,297.0]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",2500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",24.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

describe('CRS detection', () => {
  it('matches ESRI .prj files to EPSG codes by projection parameters', () => {
    expect(epsgFromWkt(ESRI_GK25)).toBe(3879);
    expect(epsgFromWkt(ESRI_TM35)).toBe(3067);
    expect(epsgFromWkt(KKJ)).toBeNull();
    expect(epsgFromWkt('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]]]')).toBe(4326);
  });
  it('reads GeoJSON crs members and srsName forms, with their axis order', () => {
    expect(epsgFromGeoJsonCrs(undefined)).toBe(4326);
    expect(epsgFromGeoJsonCrs({ type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } })).toBe(4326);
    expect(epsgFromGeoJsonCrs({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3879' } })).toBe(3879);
    expect(epsgFromSrsName('http://www.opengis.net/gml/srs/epsg.xml#3879')).toBe(3879);
    expect(srsNameIsLatitudeFirst('urn:ogc:def:crs:EPSG::4326')).toBe(true);
    expect(srsNameIsLatitudeFirst('EPSG:4326')).toBe(false);
    expect(srsNameIsLatitudeFirst('http://www.opengis.net/def/crs/EPSG/0/4326')).toBe(true);
  });
  it('tells swapped axes and a wrong CRS from good coordinates', () => {
    expect(checkSourcePositions([[24.95, 60.2]], 4326)).toBe('ok');
    expect(checkSourcePositions([[60.2, 24.95]], 4326)).toBe('swapped');
    expect(checkSourcePositions([[386_000, 6_677_000]], 4326)).toBe('outside');
    expect(checkSourcePositions([[25_497_000, 6_673_000]], 3879)).toBe('ok');
    expect(checkSourcePositions([[6_673_000, 25_497_000]], 3879)).toBe('swapped');
  });
  it('normalises .cpg encodings', () => {
    expect(normaliseEncoding('ISO-8859-1')).toBe('iso-8859-1');
    expect(normaliseEncoding('88591')).toBe('iso-8859-1');
    expect(normaliseEncoding('1252')).toBe('windows-1252');
    expect(normaliseEncoding('UTF-8')).toBe('utf-8');
    expect(normaliseEncoding('nonsense-encoding')).toBeNull();
  });
});

describe('field mapping', () => {
  it('converts Finnish spreadsheet numbers and checks ranges and choices', () => {
    const floor = COLUMN_SPECS.facilities.floor_area_m2!;
    expect(convertValue(floor, '1 234,5')).toEqual({ value: 1234.5 });
    expect(convertValue(floor, '-3')).toEqual({ error: 'outOfRange' });
    expect(convertValue(COLUMN_SPECS.facilities.condition!, 3.5)).toEqual({ error: 'notAnInteger' });
    expect(convertValue(COLUMN_SPECS.facilities.language!, 'de')).toEqual({ error: 'notAllowed' });
    expect(convertValue(COLUMN_SPECS.facilities.language!, '')).toEqual({ value: 'fi' });
    expect(convertValue(COLUMN_SPECS.facilities.name_fi!, null)).toEqual({ error: 'required' });
  });
  it('applies value maps, constants and capacities, and suggests a mapping from field names', () => {
    const mapped = applyMapping(
      { name: 'm', targetLayer: 'facilities', fields: { name_fi: { source: 'Nimi' }, language: { source: 'Kieli', valueMap: { ruotsi: 'sv' } }, status: { constant: 'planned' }, 'service:pre_primary:capacity': { source: 'Paikat' } } },
      { Nimi: 'Koulu', Kieli: 'ruotsi', Paikat: '40' },
    );
    expect(mapped.errors).toEqual([]);
    expect(mapped.properties).toMatchObject({ name_fi: 'Koulu', language: 'sv', status: 'planned', facility_kind: 'school' });
    expect(mapped.services).toEqual({ 'service:pre_primary:capacity': 40 });
    const suggestion = suggestMapping('facilities', [{ name: 'nimi', type: 'string' }, { name: 'kapasiteetti', type: 'integer' }, { name: 'osoite', type: 'string' }]);
    expect(suggestion.fields).toEqual({ name_fi: { source: 'nimi' }, address: { source: 'osoite' }, 'service:grades_1_6:capacity': { source: 'kapasiteetti' } });
  });
});

describe('WKT and hashes', () => {
  it('parses WKT with Z, EWKT prefixes and multi geometries, and names what is wrong', () => {
    expect(parseWkt('POINT (25497000 6673000)')).toEqual({ type: 'Point', coordinates: [25497000, 6673000] });
    expect(parseWkt('SRID=3879;POINT Z (1 2 3)')).toEqual({ type: 'Point', coordinates: [1, 2] });
    expect(parseWkt('MULTIPOINT ((1 2), (3 4))')).toEqual({ type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] });
    expect(parseWkt('MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))')).toEqual({ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] });
    expect(parseWkt('POINT EMPTY')).toBeNull();
    expect(() => parseWkt('CIRCLE (1 2)')).toThrow(/unsupported/);
    expect(() => parseWkt('POINT (1 2')).toThrow(/expected/);
  });
  it('hashes the same content the same way whatever the key order, and differently when a value changes', () => {
    const geometry = { type: 'Point' as const, coordinates: [1, 2] as [number, number] };
    const targets = ['a', 'b'];
    expect(contentHash(geometry, { a: 1, b: 'x' }, targets)).toBe(contentHash(geometry, { b: 'x', a: 1 }, targets));
    expect(contentHash(geometry, { a: 1, b: 'x' }, targets)).not.toBe(contentHash(geometry, { a: 2, b: 'x' }, targets));
    expect(contentHash(geometry, { a: true }, ['a'])).toBe(contentHash(geometry, { a: 1 }, ['a']));
  });
});
