/**
 * Finding the EPSG code of a source's coordinates: from a GeoJSON `crs` member, an OGC/ESRI WKT (`.prj`)
 * matched against Verkosto's CRS table by projection parameters, or an srsName in any of its spellings.
 */
import { CRS_TABLE } from '../../../shared/geo/crs-table';
import { parseEpsgCode } from '../../../shared/geo/crs';

/** EPSG from a GeoJSON `crs` member (2008 spec: named `urn:ogc:def:crs:EPSG::3879`, `EPSG:3067`, CRS84). No member → 4326 (RFC 7946). */
export function epsgFromGeoJsonCrs(crs: unknown): number | null {
  if (crs == null) return 4326;
  const name = (crs as { properties?: { name?: unknown } }).properties?.name;
  if (typeof name !== 'string') return null;
  if (/CRS:?84$/i.test(name) || /OGC:(1\.3:)?CRS84/i.test(name)) return 4326;
  return epsgFromSrsName(name);
}

/** EPSG from an srsName: `EPSG:3879`, `urn:ogc:def:crs:EPSG::3879`, `http://www.opengis.net/gml/srs/epsg.xml#3879`, `…/def/crs/EPSG/0/3879`, CRS84. */
export function epsgFromSrsName(srsName: string): number | null {
  if (/CRS:?84$/i.test(srsName.trim())) return 4326;
  const ogcUri = /\/def\/crs\/EPSG\/[^/]*\/(\d{4,5})\s*$/i.exec(srsName);
  if (ogcUri?.[1]) return Number(ogcUri[1]);
  return parseEpsgCode(srsName);
}

/**
 * True when the srsName means latitude/longitude order for EPSG:4326: the URN and http://www.opengis.net/def
 * forms (GML 3.2, WFS 2.0) do; `EPSG:4326` and the old `…/epsg.xml#4326` form are lon/lat by convention.
 */
export function srsNameIsLatitudeFirst(srsName: string): boolean {
  const epsg = epsgFromSrsName(srsName);
  if (epsg !== 4326) return false;
  return /^urn:/i.test(srsName) || /opengis\.net\/def\/crs/i.test(srsName);
}

interface WktParameters {
  geographic: boolean;
  centralMeridian: number | null;
  falseEasting: number | null;
  scaleFactor: number | null;
  authority: number | null;
}

function numberParameter(wkt: string, names: string[]): number | null {
  for (const name of names) {
    const match = new RegExp(`PARAMETER\\[\\s*"${name}"\\s*,\\s*(-?[0-9.eE+-]+)`, 'i').exec(wkt);
    if (match?.[1]) return Number(match[1]);
  }
  return null;
}

function wktParameters(wkt: string): WktParameters {
  const text = wkt.trim();
  const geographic = /^(GEOGCS|GEOGCRS|GEODCRS)\[/i.test(text);
  // The outermost AUTHORITY (last in WKT1) names the whole CRS.
  const authorities = [...text.matchAll(/AUTHORITY\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]/gi)];
  const ids = [...text.matchAll(/ID\[\s*"EPSG"\s*,\s*(\d+)\s*\]/gi)];
  const last = authorities.at(-1)?.[1] ?? ids.at(-1)?.[1];
  return {
    geographic,
    centralMeridian: numberParameter(text, ['central_meridian', 'Longitude of natural origin', 'longitude_of_center']),
    falseEasting: numberParameter(text, ['false_easting', 'False easting']),
    scaleFactor: numberParameter(text, ['scale_factor', 'Scale factor at natural origin']),
    authority: last ? Number(last) : null,
  };
}

const TABLE_PARAMETERS = CRS_TABLE.map((row) => ({ code: row.code, ...wktParameters(row.wkt) }));

/**
 * EPSG from a WKT (a shapefile's `.prj`, usually ESRI WKT without AUTHORITY): by authority when present,
 * otherwise by matching projection parameters (central meridian, false easting, scale) against the CRS table.
 * Returns null when nothing in the table matches.
 */
export function epsgFromWkt(wkt: string): number | null {
  const parameters = wktParameters(wkt);
  if (parameters.authority && CRS_TABLE.some((row) => row.code === parameters.authority)) return parameters.authority;
  if (parameters.geographic) {
    // ETRS89 and WGS 84 geographic coordinates differ by well under a metre in Finland: treat both as 4326.
    return /WGS|ETRS|GRS/i.test(wkt) ? 4326 : null;
  }
  if (parameters.centralMeridian == null) return null;
  const match = TABLE_PARAMETERS.find(
    (row) =>
      !row.geographic &&
      row.centralMeridian === parameters.centralMeridian &&
      row.falseEasting === parameters.falseEasting &&
      (parameters.scaleFactor == null || row.scaleFactor === parameters.scaleFactor),
  );
  return match?.code ?? parameters.authority ?? null;
}
