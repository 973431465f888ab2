/**
 * Map positioning and geometry look-ups for end-to-end tests: fit the view to a box (positioning only —
 * every edit is then made with the mouse), turn map coordinates into screen pixels, find a point inside a
 * polygon that is clear of facility symbols, and read layers from the project file with its own connection.
 */
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import type { MultiPolygonGeometry, PointGeometry, Position } from '../../../shared/geo/geometry';
import { envelopeOf } from '../../../shared/geo/geometry';
import { decodeGeoPackageGeometry } from '../../../shared/geo/gpkg-geometry';
import { toJsts } from '../../../shared/geo/polygon-edit';

type MapWindow = {
  __verkosto?: {
    map: {
      getView(): { fit(extent: number[], options: object): void };
      getSize(): number[];
      renderSync(): void;
      getPixelFromCoordinate(coordinate: number[]): number[];
      getViewport(): HTMLElement;
    };
  };
};

/** Reads the project file as it is on disk now (WAL included), with its own read-only connection. */
export function readProject<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export interface CatchmentRow {
  fid: number;
  name: string;
  facility_fid: number | null;
  locked: number;
  geometry: MultiPolygonGeometry;
}

export function readCatchments(file: string, service: string, language: string): CatchmentRow[] {
  return readProject(file, (db) =>
    (db.prepare('SELECT fid, name, facility_fid, locked, geom FROM catchments WHERE service = ? AND language = ? ORDER BY fid').all(service, language) as (Omit<CatchmentRow, 'geometry'> & { geom: Uint8Array })[]).map(
      (row) => ({ fid: row.fid, name: row.name, facility_fid: row.facility_fid, locked: row.locked, geometry: decodeGeoPackageGeometry(row.geom)!.geometry as MultiPolygonGeometry }),
    ),
  );
}

export function readFacilityPoints(file: string): Map<number, { name: string; point: Position; status: string }> {
  return readProject(file, (db) => {
    const rows = db.prepare('SELECT fid, name_fi, status, geom FROM facilities').all() as { fid: number; name_fi: string; status: string; geom: Uint8Array }[];
    return new Map(rows.map((row) => [row.fid, { name: row.name_fi, status: row.status, point: (decodeGeoPackageGeometry(row.geom)!.geometry as PointGeometry).coordinates }]));
  });
}

/** Fits the map view to a box with padding in pixels [top, right, bottom, left]. */
export async function fitView(page: Page, box: { minX: number; minY: number; maxX: number; maxY: number }, padding: [number, number, number, number]): Promise<void> {
  await page.evaluate(
    ([extent, pad]) => {
      const map = (window as unknown as MapWindow).__verkosto!.map;
      map.getView().fit(extent, { size: map.getSize(), padding: pad });
      map.renderSync();
    },
    [[box.minX, box.minY, box.maxX, box.maxY], padding] as [number[], number[]],
  );
  await page.waitForTimeout(200);
}

/** The screen pixel (page coordinates) of a map coordinate. */
export async function screenPixel(page: Page, at: Position): Promise<[number, number]> {
  return page.evaluate(([x, y]) => {
    const map = (window as unknown as MapWindow).__verkosto!.map;
    const pixel = map.getPixelFromCoordinate([x, y]);
    const rect = map.getViewport().getBoundingClientRect();
    return [rect.left + pixel[0]!, rect.top + pixel[1]!] as [number, number];
  }, at as [number, number]);
}

/**
 * A point well inside the polygon and as far as possible from every facility, so a click there hits the
 * polygon (a facility drawn on top would take the click). Candidates lie on a steps × steps grid over its box.
 */
export function clearPointInside(geometry: MultiPolygonGeometry, facilities: Position[], steps = 12): Position {
  const shape = toJsts(geometry);
  const inner = shape.buffer(-30);
  const envelope = envelopeOf(geometry)!;
  let best: { at: Position; clearance: number } | null = null;
  for (let i = 1; i < steps; i += 1) {
    for (let j = 1; j < steps; j += 1) {
      const at: Position = [envelope.minX + ((envelope.maxX - envelope.minX) * i) / steps, envelope.minY + ((envelope.maxY - envelope.minY) * j) / steps];
      if (!(inner.isEmpty() ? shape : inner).intersects(toJsts({ type: 'Point', coordinates: at } as never))) continue;
      const clearance = Math.min(...facilities.map((point) => Math.hypot(point[0] - at[0], point[1] - at[1])));
      if (!best || clearance > best.clearance) best = { at, clearance };
    }
  }
  if (best) return best.at;
  const interior = shape.getInteriorPoint();
  return [interior.getX(), interior.getY()];
}

/** Length of the border two polygons share (0 when they only touch at a point or not at all). */
export function sharedBorderLength(a: MultiPolygonGeometry, b: MultiPolygonGeometry): number {
  return toJsts(a).getBoundary().intersection(toJsts(b).getBoundary()).getLength();
}
