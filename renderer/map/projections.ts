/**
 * Registers every CRS a project may use with proj4 and OpenLayers, from the definitions shipped in
 * shared/geo (nothing is looked up online). Idempotent: the first call does the work.
 */
import { get as getProjection } from 'ol/proj.js';
import { register } from 'ol/proj/proj4.js';
import proj4 from 'proj4';
import { SUPPORTED_CRS } from '../../shared/geo/crs';

let registered = false;

export function registerProjections(): void {
  if (registered) return;
  for (const definition of SUPPORTED_CRS.values()) {
    proj4.defs(`EPSG:${definition.code}`, definition.proj4);
  }
  register(proj4);
  for (const definition of SUPPORTED_CRS.values()) {
    const projection = getProjection(`EPSG:${definition.code}`);
    // OL's built-in EPSG:4326 already has its world extent; the projected CRSs need their area of use
    // for raster reprojection of the basemap and for the view's outer limits.
    if (projection && definition.code !== 4326) projection.setExtent(definition.extent);
  }
  registered = true;
}

export function projectionCode(epsg: number): string {
  return `EPSG:${epsg}`;
}
