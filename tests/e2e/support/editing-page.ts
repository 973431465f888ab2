/**
 * Helpers for the editing end-to-end files: read the project file with its own read-only connection (the
 * proof an edit was stored), position the map, map coordinates to screen pixels for real mouse events, and
 * wait for a condition on the file.
 */
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import type { MultiPolygonGeometry, PointGeometry, Position } from '../../../shared/geo/geometry';
import { envelopeOf } from '../../../shared/geo/geometry';
import { decodeGeoPackageGeometry } from '../../../shared/geo/gpkg-geometry';
import { toJsts } from '../../../shared/geo/polygon-edit';
import { screenshot } from './browser';

export interface CatchmentRow {
  fid: number;
  name: string;
  locked: number;
  facility_fid: number | null;
  geometry: MultiPolygonGeometry;
}

export const SET = { service: 'grades_1_6', language: 'fi' };

/** Reads the project file as it is on disk now (WAL included), with its own connection. */
export function readProjectFile<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export function readCatchments(file: string): CatchmentRow[] {
  return readProjectFile(file, (db) =>
    (db.prepare('SELECT fid, name, locked, facility_fid, geom FROM catchments WHERE service = ? AND language = ?').all(SET.service, SET.language) as (Omit<CatchmentRow, 'geometry'> & { geom: Uint8Array })[]).map((row) => ({
      fid: row.fid,
      name: row.name,
      locked: row.locked,
      facility_fid: row.facility_fid,
      geometry: decodeGeoPackageGeometry(row.geom)!.geometry as MultiPolygonGeometry,
    })),
  );
}

/** The steps that can be undone now (the edit log's entries that are not undone). */
export function editLogSize(file: string): number {
  return readProjectFile(file, (db) => (db.prepare('SELECT COUNT(*) AS n FROM verkosto_edit_log WHERE undone = 0').get() as { n: number }).n);
}

export class EditingPage {
  constructor(
    readonly page: Page,
    readonly file: string,
  ) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.waitForFunction(() => window.__verkosto?.isReady() === true, null, { timeout: 60_000 });
    await this.page.getByTestId('editing-toolbar').waitFor();
  }

  /** Zooms the map so the box fills it (positioning only; every edit uses the mouse). */
  async view(box: { minX: number; minY: number; maxX: number; maxY: number }, padding = 0.2): Promise<void> {
    const w = box.maxX - box.minX;
    const h = box.maxY - box.minY;
    await this.page.evaluate(
      ([minX, minY, maxX, maxY]) => {
        const map = window.__verkosto!.map;
        map.getView().fit([minX!, minY!, maxX!, maxY!], { size: map.getSize(), padding: [40, 30, 170, 170] });
        map.renderSync();
      },
      [box.minX - w * padding, box.minY - h * padding, box.maxX + w * padding, box.maxY + h * padding],
    );
    await this.page.waitForTimeout(150);
  }

  async pixel(at: Position): Promise<[number, number]> {
    return this.page.evaluate(([x, y]) => {
      const map = window.__verkosto!.map;
      const p = map.getPixelFromCoordinate([x!, y!]);
      const rect = (map.getViewport() as HTMLElement).getBoundingClientRect();
      return [rect.left + p[0]!, rect.top + p[1]!] as [number, number];
    }, at);
  }

  async coordinateAt(screen: [number, number]): Promise<Position> {
    return this.page.evaluate(([x, y]) => {
      const map = window.__verkosto!.map;
      const rect = (map.getViewport() as HTMLElement).getBoundingClientRect();
      const c = map.getCoordinateFromPixel([x! - rect.left, y! - rect.top]);
      return [c[0]!, c[1]!] as Position;
    }, screen);
  }

  /** Waits until the value read from the file is accepted (the host writes before it answers). */
  async until<T>(read: () => T, accept: (value: T) => boolean, what: string): Promise<T> {
    const deadline = Date.now() + 15_000;
    let value = read();
    while (!accept(value)) {
      if (Date.now() > deadline) {
        await screenshot(this.page, `editing-failed-${what.replace(/\W+/g, '-')}`);
        throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)?.slice(0, 300)}`);
      }
      await this.page.waitForTimeout(100);
      value = read();
    }
    return value;
  }

  /** The map reloads the touched layer after each edit; wait for it to render. */
  async settled(): Promise<void> {
    await this.page.waitForTimeout(400);
    await this.page.evaluate(() => window.__verkosto!.map.renderSync());
  }

  /**
   * A point well inside the catchment and away from every facility symbol, so a click there hits the
   * catchment (a facility drawn on top would take the click).
   */
  clearPointInside(geometry: MultiPolygonGeometry): Position {
    const facilities = readProjectFile(this.file, (db) => (db.prepare('SELECT geom FROM facilities').all() as { geom: Uint8Array }[]).map((row) => (decodeGeoPackageGeometry(row.geom)!.geometry as PointGeometry).coordinates));
    const shape = toJsts(geometry);
    const inner = shape.buffer(-30);
    const e = envelopeOf(geometry)!;
    let best: { at: Position; clearance: number } | null = null;
    for (let i = 1; i < 12; i++) {
      for (let j = 1; j < 12; j++) {
        const at: Position = [e.minX + ((e.maxX - e.minX) * i) / 12, e.minY + ((e.maxY - e.minY) * j) / 12];
        if (!(inner.isEmpty() ? shape : inner).intersects(toJsts({ type: 'Point', coordinates: at } as never))) continue;
        const clearance = Math.min(...facilities.map((f) => Math.hypot(f[0] - at[0], f[1] - at[1])));
        if (!best || clearance > best.clearance) best = { at, clearance };
      }
    }
    if (!best) {
      const p = shape.getInteriorPoint();
      return [p.getX(), p.getY()];
    }
    return best.at;
  }
}
