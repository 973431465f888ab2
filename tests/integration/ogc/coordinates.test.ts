/**
 * Axis order and CRS checks on real coordinates: Helsinki's WFS GeoJSON (declares urn:ogc:def:crs:EPSG::4326
 * yet writes lon/lat), the same swapped, GK25 written northing first, and TM35FIN numbers labelled GK25.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SourceFeature } from '../../../shared/import/feature-source';
import { checkAxesAndCrs, geometryFromGeoJson, guessFinnishEpsg, swapAxes } from '../../../electron/services/import/readers/network/coordinates';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function osaalueet(): SourceFeature[] {
  const collection = JSON.parse(readFileSync(path.join(REPO, 'resources', 'sample-data', 'osaalueet.json'), 'utf8')) as { crs: { properties: { name: string } }; features: Array<{ id: string; geometry: unknown; properties: Record<string, unknown> }> };
  expect(collection.crs.properties.name).toBe('urn:ogc:def:crs:EPSG::4326');
  return collection.features.map((feature) => ({ sourceId: feature.id, geometry: geometryFromGeoJson(feature.geometry, { server: 't', feature: feature.id }), properties: feature.properties }));
}

describe('axis order and CRS plausibility', () => {
  it('keeps lon/lat GeoJSON as it is, whatever its crs member says', () => {
    const features = osaalueet();
    const first = JSON.stringify(features[0]!.geometry);
    expect(checkAxesAndCrs(features, 4326, 't')).toEqual({ swapped: false });
    expect(JSON.stringify(features[0]!.geometry)).toBe(first);
  });

  it('swaps a page written lat/lon back to lon/lat', () => {
    const features = osaalueet();
    const original = JSON.stringify(features.map((feature) => feature.geometry));
    for (const feature of features) swapAxes(feature.geometry!);
    expect(checkAxesAndCrs(features, 4326, 't')).toEqual({ swapped: true });
    expect(JSON.stringify(features.map((feature) => feature.geometry))).toBe(original);
  });

  it('swaps GK25 written northing first; refuses TM35FIN numbers said to be GK25', () => {
    const gk = [{ sourceId: 'a', geometry: { type: 'Point' as const, coordinates: [6_672_000, 25_497_000] as [number, number] }, properties: {} }];
    expect(checkAxesAndCrs(gk, 3879, 't')).toEqual({ swapped: true });
    expect(gk[0]!.geometry.coordinates).toEqual([25_497_000, 6_672_000]);
    const tm = [{ sourceId: 'b', geometry: { type: 'Point' as const, coordinates: [386_387, 6_674_122] as [number, number] }, properties: {} }];
    expect(() => checkAxesAndCrs(tm, 3879, 'kartta.example')).toThrow(expect.objectContaining({ code: 'sourceCrsMismatch', params: { server: 'kartta.example', requested: 'EPSG:3879', received: 'EPSG:3067' } }));
    expect(guessFinnishEpsg(23_460_000, 6_710_000)).toBe(3877);
    expect(guessFinnishEpsg(27_530_000, 6_975_000)).toBe(3881);
  });

  it('leaves data outside Finland alone and refuses malformed geometry', () => {
    const berlin = [{ sourceId: 'c', geometry: { type: 'Point' as const, coordinates: [13.4, 52.5] as [number, number] }, properties: {} }];
    expect(checkAxesAndCrs(berlin, 4326, 't')).toEqual({ swapped: false });
    expect(berlin[0]!.geometry.coordinates).toEqual([13.4, 52.5]);
    expect(() => geometryFromGeoJson({ type: 'Polygon', coordinates: [[1, 2]] }, { server: 's', feature: 'f' })).toThrow(expect.objectContaining({ code: 'sourceBadResponse' }));
    expect(geometryFromGeoJson(null, { server: 's', feature: 'f' })).toBeNull();
  });
});
