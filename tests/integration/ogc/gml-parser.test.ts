/**
 * The GML parser on the real Helsinki WFS fixtures (undeclared namespace prefixes, GK25 coordinates in
 * scientific notation, gml:coordinates wrapping across lines, the old epsg.xml#3879 srsName) and on GML 3.2
 * shapes a WFS 2.0 server writes (posList with srsDimension, MultiSurface/Surface/PolygonPatch, lat/lon).
 */
import { readFileSync, readdirSync, createReadStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VerkostoError } from '../../../shared/errors';
import { areaOf, type MultiPolygonGeometry, type PolygonGeometry } from '../../../shared/geo/geometry';
import { axisOrderOf, parseGml, parseGmlStream } from '../../../electron/services/import/gml/gml-parser';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'helsinki');
const read = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

describe('Helsinki WFS fixtures (GML 2, undeclared namespaces)', () => {
  const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.gml') && !name.includes('_broken'));

  it.each(files)('%s parses into one polygon in EPSG:3879 with its attributes', (name) => {
    const { features, info } = parseGml(read(name), { source: name });
    expect(features).toHaveLength(1);
    const feature = features[0]!;
    expect(info.epsg).toBe(3879);
    expect(feature.sourceId).toMatch(/^(Opev_ooa_alaaste_suomi|Esiopetusalue_suomi)(_tuleva)?\.\d+$/);
    expect(feature.properties.kunta).toBe('091');
    expect(feature.geometry?.type === 'Polygon' || feature.geometry?.type === 'MultiPolygon').toBe(true);
    const geometry = feature.geometry as PolygonGeometry | MultiPolygonGeometry;
    const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
    for (const ring of rings) {
      expect(ring.length).toBeGreaterThanOrEqual(4);
      for (const [x, y] of ring) {
        // GK25: easting with the 25 500 000 false easting, northing ≈ 6.67 M — scientific notation read right.
        expect(x).toBeGreaterThan(25_480_000);
        expect(x).toBeLessThan(25_520_000);
        expect(y).toBeGreaterThan(6_650_000);
        expect(y).toBeLessThan(6_700_000);
      }
      expect(ring[0]).toEqual(ring[ring.length - 1]);
    }
    expect(areaOf(geometry)).toBeGreaterThan(10_000);
    expect(name.includes('no_unit') ? feature.properties.toimipiste_id : typeof feature.properties.toimipiste_id).toBe(name.includes('no_unit') ? null : 'string');
  });

  it('the _broken fixture names the feature with the one-coordinate ring', () => {
    let caught: unknown = null;
    try {
      parseGml(read('Esiopetusalue_suomi_broken.gml'), { source: 'Esiopetusalue_suomi_broken.gml' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(VerkostoError);
    expect((caught as VerkostoError).code).toBe('gmlBadGeometry');
    expect((caught as VerkostoError).params).toMatchObject({ feature: 'Esiopetusalue_suomi.666', count: 1, minimum: 4 });
  });

  it('the _broken fixture with invalid: skip keeps the good feature and reports the bad one', () => {
    const skipped: string[] = [];
    const { features } = parseGml(read('Esiopetusalue_suomi_broken.gml'), { source: 'x', invalid: 'skip', onSkipped: (id) => skipped.push(id) });
    expect(features.map((feature) => feature.sourceId)).toEqual(['Esiopetusalue_suomi.333']);
    expect(skipped).toEqual(['Esiopetusalue_suomi.666']);
  });

  it('streams from a file in small chunks with the same result', async () => {
    const name = 'Opev_ooa_alaaste_suomi.gml';
    const whole = parseGml(read(name), { source: name }).features;
    const streamed = [];
    for await (const feature of parseGmlStream(createReadStream(path.join(FIXTURES, name), { highWaterMark: 97 }), { source: name })) streamed.push(feature);
    expect(streamed).toEqual(whole);
  });
});

describe('GML 3.x shapes', () => {
  const wrap = (members: string, attributes = ''): string =>
    `<?xml version="1.0"?><wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:ms="x" numberMatched="7" numberReturned="1" ${attributes}>${members}</wfs:FeatureCollection>`;

  it('MultiSurface/Surface/PolygonPatch with posList srsDimension 3, lat/lon swapped to lon/lat, paging attributes', () => {
    const xml = wrap(`<wfs:member><ms:a gml:id="a.1"><ms:geom><gml:MultiSurface srsName="urn:ogc:def:crs:EPSG::4326"><gml:surfaceMember><gml:Surface><gml:patches><gml:PolygonPatch><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">60.1 24.9 0 60.1 25.0 0 60.2 25.0 0 60.1 24.9 0</gml:posList></gml:LinearRing></gml:exterior></gml:PolygonPatch></gml:patches></gml:Surface></gml:surfaceMember></gml:MultiSurface></ms:geom><ms:name>Ä &amp; Ö</ms:name><ms:empty xsi:nil="true"/></ms:a></wfs:member>`, 'next="http://h/x?STARTINDEX=1"');
    const { features, info } = parseGml(xml, { source: 't' });
    expect(info).toMatchObject({ numberMatched: 7, numberReturned: 1, next: 'http://h/x?STARTINDEX=1', epsg: 4326 });
    expect(features[0]).toEqual({
      sourceId: 'a.1',
      geometry: { type: 'MultiPolygon', coordinates: [[[[24.9, 60.1, 0], [25.0, 60.1, 0], [25.0, 60.2, 0], [24.9, 60.1, 0]]]] },
      properties: { name: 'Ä & Ö', empty: null },
    });
  });

  it('EPSG:3879 in urn form is northing-first; EPSG:3067 is not; fieldTypes convert values', () => {
    const xml = wrap(`<wfs:member><ms:p gml:id="p.1"><ms:g><gml:Point srsName="urn:ogc:def:crs:EPSG::3879"><gml:pos>6672000 25497000</gml:pos></gml:Point></ms:g><ms:n>12</ms:n><ms:code>091</ms:code></ms:p></wfs:member><wfs:member><ms:p gml:id="p.2"><ms:g><gml:Point srsName="urn:ogc:def:crs:EPSG::3067"><gml:pos>386000 6672000</gml:pos></gml:Point></ms:g></ms:p></wfs:member>`);
    const { features } = parseGml(xml, { source: 't', fieldTypes: { n: 'integer', code: 'string' } });
    expect(features[0]!.geometry).toEqual({ type: 'Point', coordinates: [25497000, 6672000] });
    expect(features[0]!.properties).toEqual({ n: 12, code: '091' });
    expect(features[1]!.geometry).toEqual({ type: 'Point', coordinates: [386000, 6672000] });
  });

  it('srsName forms and their axis order', () => {
    expect(axisOrderOf('urn:ogc:def:crs:EPSG::3879')).toEqual({ epsg: 3879, swap: true });
    expect(axisOrderOf('http://www.opengis.net/def/crs/EPSG/0/4326')).toEqual({ epsg: 4326, swap: true });
    expect(axisOrderOf('http://www.opengis.net/gml/srs/epsg.xml#3879')).toEqual({ epsg: 3879, swap: false });
    expect(axisOrderOf('EPSG:4326')).toEqual({ epsg: 4326, swap: false });
    expect(axisOrderOf('EPSG:4326', 'epsg')).toEqual({ epsg: 4326, swap: true });
    expect(axisOrderOf('http://www.opengis.net/def/crs/OGC/1.3/CRS84')).toEqual({ epsg: 4326, swap: false });
    expect(axisOrderOf('urn:ogc:def:crs:EPSG::3067')).toEqual({ epsg: 3067, swap: false });
  });

  it('a truncated document and an ExceptionReport give clear errors', () => {
    const truncated = wrap('<wfs:member><ms:p gml:id="p.1"><ms:g><gml:Point><gml:pos>1 2</gml:pos></gml:Point></ms:g></ms:p></wfs:member>').slice(0, -30);
    expect(() => parseGml(truncated, { source: 't' })).toThrow(expect.objectContaining({ code: 'gmlInvalid' }));
    const report = '<ows:ExceptionReport><ows:Exception exceptionCode="InvalidParameterValue"><ows:ExceptionText>TYPENAME nope does not exist</ows:ExceptionText></ows:Exception></ows:ExceptionReport>';
    expect(() => parseGml(report, { source: 't' })).toThrow(expect.objectContaining({ code: 'sourceServiceException', params: { server: 't', detail: 'TYPENAME nope does not exist' } }));
  });
});
