/**
 * Helpers for the editing end-to-end files, over the shared map helpers (map-helpers.ts): the catchments of
 * the set being edited, the edit log's size, and a page object that positions the map, turns map
 * coordinates into screen pixels for real mouse events, and waits for a condition on the file.
 */
import type { Page } from 'playwright-core';
import type { MultiPolygonGeometry, Position } from '../../../shared/geo/geometry';
import { screenshot } from './browser';
import { clearPointInside, readCatchments as readSetCatchments, readFacilityPoints, readProject, screenPixel, type CatchmentRow } from './map-helpers';

export type { CatchmentRow };

export const SET = { service: 'grades_1_6', language: 'fi' };

/** Reads the project file as it is on disk now (WAL included), with its own connection. */
export const readProjectFile = readProject;

/** The catchments of the set the editing tests work on. */
export function readCatchments(file: string): CatchmentRow[] {
  return readSetCatchments(file, SET.service, SET.language);
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

  /**
   * Zooms the map so the box fills it (positioning only; every edit uses the mouse). The padding in pixels
   * keeps the box clear of the panels over the map: tool column left, option bars below, `right` for a panel.
   */
  async view(box: { minX: number; minY: number; maxX: number; maxY: number }, padding = 0.2, right = 30): Promise<void> {
    const w = box.maxX - box.minX;
    const h = box.maxY - box.minY;
    await this.page.evaluate(
      ([minX, minY, maxX, maxY, rightPadding]) => {
        const map = window.__verkosto!.map;
        map.getView().fit([minX!, minY!, maxX!, maxY!], { size: map.getSize(), padding: [40, rightPadding!, 170, 170] });
        map.renderSync();
      },
      [box.minX - w * padding, box.minY - h * padding, box.maxX + w * padding, box.maxY + h * padding, right],
    );
    await this.page.waitForTimeout(150);
  }

  async pixel(at: Position): Promise<[number, number]> {
    return screenPixel(this.page, at);
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

  /** A point well inside the catchment and away from every facility symbol, so a click there hits the catchment. */
  clearPointInside(geometry: MultiPolygonGeometry): Position {
    return clearPointInside(geometry, [...readFacilityPoints(this.file).values()].map((facility) => facility.point));
  }
}
