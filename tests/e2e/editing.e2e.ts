// The editing workspace end to end, with real mouse events on the map canvas: add, move and delete a
// facility; move a vertex two catchments share; draw (clipped by its neighbours), reshape, split and merge a
// catchment; paint three units and read the live delta; lock; undo and redo across a restart of the host.
// Every step is checked in the project file itself (a separate read-only SQLite connection), not on screen.
import Database from 'better-sqlite3';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSampleProject } from '../../electron/services/sample/build-sample';
import type { MultiPolygonGeometry, Position } from '../../shared/geo/geometry';
import { envelopeOf } from '../../shared/geo/geometry';
import { decodeGeoPackageGeometry } from '../../shared/geo/gpkg-geometry';
import { hasVertex, intersectionArea, polygonArea, toJsts } from '../../shared/geo/polygon-edit';
import { makeTempDirectory } from '../support/temp-directory';
import { collectConsoleErrors, launchChromium, screenshot } from './support/browser';
import { EditingPage, readCatchments, readProjectFile, type CatchmentRow } from './support/editing-page';
import { readFacilityPoints } from './support/map-helpers';
import { startHostProcess, type HostProcess } from './support/node-host-process';

// Offline basemap; and while the host restarts, the page's reconnection attempts are refused (expected).
const OFFLINE_BASEMAP = [/tile\.openstreetmap\.org/, /ERR_NAME_NOT_RESOLVED/, /ERR_CONNECTION_REFUSED/];
const temp = makeTempDirectory('verkosto-e2e-editing-');
const projectFile = path.join(temp.path, 'helsinki.gpkg');

let browser: Browser;
let host: HostProcess;
let page: Page;
let editing: EditingPage;
let consoleErrors: string[];

/** Reads the project file as it is on disk now (WAL included), with its own connection. */
function readFile<T>(read: (db: Database.Database) => T): T {
  return readProjectFile(projectFile, read);
}

function catchments(): CatchmentRow[] {
  return readCatchments(projectFile);
}

function catchment(fid: number): CatchmentRow | undefined {
  return catchments().find((c) => c.fid === fid);
}

function facility(fid: number): { name_fi: string; point: Position } | undefined {
  const found = readFacilityPoints(projectFile).get(fid);
  return found ? { name_fi: found.name, point: found.point } : undefined;
}

// The page object's steps under the names this file's tests read best with (support/editing-page.ts).
const openWorkspace = () => editing.open(host.url);
const view = (box: { minX: number; minY: number; maxX: number; maxY: number }, padding?: number, right?: number) => editing.view(box, padding, right);
const pixel = (at: Position) => editing.pixel(at);
const coordinateAt = (screen: [number, number]) => editing.coordinateAt(screen);
const until = <T,>(read: () => T, accept: (value: T) => boolean, what: string) => editing.until(read, accept, what);
const settled = () => editing.settled();
const clearPointInside = (geometry: MultiPolygonGeometry) => editing.clearPointInside(geometry);

async function tool(id: string): Promise<void> {
  await page.getByTestId(`tool-${id}`).click();
}

/** A vertex shared by exactly two catchments of the set, with a long shared edge from it, inside the view. */
function sharedEdge(list: CatchmentRow[], minimumLength: number): { a: Position; b: Position; fids: [number, number] } {
  const owners = new Map<string, Set<number>>();
  const key = (p: Position) => `${p[0]},${p[1]}`;
  for (const c of list) for (const ring of c.geometry.coordinates.flat()) for (let i = 0; i + 1 < ring.length; i++) {
    const k = [key(ring[i]!), key(ring[i + 1]!)].sort().join('|');
    if (!owners.has(k)) owners.set(k, new Set());
    owners.get(k)!.add(c.fid);
  }
  let best: { a: Position; b: Position; fids: [number, number]; length: number } | null = null;
  for (const [k, set] of owners) {
    if (set.size !== 2) continue;
    const [a, b] = k.split('|').map((p) => p.split(',').map(Number) as Position) as [Position, Position];
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (length >= minimumLength && (!best || length > best.length)) best = { a, b, fids: [...set] as [number, number], length };
  }
  if (!best) throw new Error('no long shared edge');
  return best;
}

beforeAll(async () => {
  await buildSampleProject(projectFile);
  host = await startHostProcess({ dataDirectory: path.join(temp.path, 'data'), projectFile });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  editing = new EditingPage(page, projectFile);
  consoleErrors = collectConsoleErrors(page, OFFLINE_BASEMAP);
  page.on('console', (message) => message.type() === 'warning' && console.log('page warning:', message.text().slice(0, 300)));
  await openWorkspace();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  temp.remove();
});

describe('editing workspace, real mouse on the map', () => {
  let added = 0;

  it('adds a facility with the form, moves it by dragging, deletes it', async () => {
    const list = catchments();
    const target = list[10]!;
    await view(envelopeOf(target.geometry)!);
    const before = readFile((db) => (db.prepare('SELECT MAX(fid) AS m FROM facilities').get() as { m: number }).m);
    await tool('addFacility');
    const box = (await page.getByTestId('map').boundingBox())!;
    const click: [number, number] = [box.x + box.width * 0.45, box.y + box.height * 0.55];
    const expected = await coordinateAt(click);
    const resolution = await page.evaluate(() => window.__verkosto!.map.getView().getResolution()!);
    await page.mouse.click(click[0], click[1]);
    await page.getByTestId('facility-form').waitFor();
    await screenshot(page, 'editing-01-facility-form');
    // Validation: an empty name is refused on the form, nothing is sent.
    await page.getByTestId('facility-save').click();
    await page.getByText('Pakollinen tieto').waitFor();
    await page.getByTestId('facility-name-fi').fill('Testikoulu');
    await page.getByTestId('service-grades_1_6').check();
    await page.getByTestId('capacity-grades_1_6').fill('320');
    await page.getByTestId('facility-save').click();
    added = await until(() => readFile((db) => (db.prepare('SELECT MAX(fid) AS m FROM facilities').get() as { m: number }).m), (m) => m > before, 'the new facility');
    const stored = facility(added)!;
    expect(stored.name_fi).toBe('Testikoulu');
    // Snapping may pull it to a vertex or edge within the 10-pixel tolerance.
    expect(Math.hypot(stored.point[0] - expected[0], stored.point[1] - expected[1])).toBeLessThanOrEqual(10 * resolution + 0.01);
    expect(readFile((db) => db.prepare('SELECT service, capacity FROM facility_services WHERE facility_fid = ?').all(added))).toEqual([{ service: 'grades_1_6', capacity: 320 }]);
    await settled();

    await tool('select');
    const from = await pixel(stored.point);
    const target2 = await coordinateAt([from[0] + 80, from[1] + 20]);
    await page.mouse.move(from[0], from[1]);
    await page.mouse.down();
    await page.mouse.move(from[0] + 40, from[1] + 10, { steps: 5 });
    await page.mouse.move(from[0] + 80, from[1] + 20, { steps: 5 });
    await page.mouse.up();
    const moved = await until(() => facility(added)!.point, (p) => p[0] !== stored.point[0], 'the move');
    expect(Math.hypot(moved[0] - target2[0], moved[1] - target2[1])).toBeLessThanOrEqual(10 * resolution + 0.01);
    await settled();

    const at = await pixel(moved);
    await page.mouse.click(at[0], at[1]);
    await expect.poll(() => page.getByTestId('delete').isEnabled()).toBe(true);
    await page.keyboard.press('Delete');
    await until(() => facility(added), (f) => f === undefined, 'the delete');
    await settled();
  });

  it('moves a vertex two catchments share: both change in the file', async () => {
    const list = catchments();
    const { a, fids } = sharedEdge(list, 150);
    await view({ minX: a[0] - 300, minY: a[1] - 300, maxX: a[0] + 300, maxY: a[1] + 300 }, 0);
    await page.keyboard.press('v');
    const start = await pixel(a);
    await page.mouse.move(start[0], start[1], { steps: 3 });
    await page.getByTestId('editing-status').getByText('2 aluetta').waitFor();
    await screenshot(page, 'editing-02-vertex-hover');
    await page.mouse.down();
    await page.mouse.move(start[0] + 15, start[1] - 10, { steps: 4 });
    await page.mouse.move(start[0] + 30, start[1] - 20, { steps: 4 });
    await screenshot(page, 'editing-03-vertex-drag');
    await page.mouse.up();
    const after = await until(() => fids.map((fid) => catchment(fid)!.geometry), (gs) => gs.every((g) => !hasVertex(g, a)), 'the vertex move');
    const to = await coordinateAt([start[0] + 30, start[1] - 20]);
    for (const geometry of after) {
      const moved = geometry.coordinates.flat(2).find((p) => Math.hypot(p[0] - to[0], p[1] - to[1]) < 25);
      expect(moved).toBeDefined();
    }
    const [first, second] = after as [MultiPolygonGeometry, MultiPolygonGeometry];
    // The same new vertex in both, bit for bit: no gap and no overlap between them.
    const shared = first.coordinates.flat(2).filter((p) => hasVertex(second, p, 0) && Math.hypot(p[0] - to[0], p[1] - to[1]) < 25);
    expect(shared.length).toBeGreaterThan(0);
    expect(intersectionArea(first, second)).toBeLessThan(0.01);
    await settled();
  });

  it('draws a catchment where one was deleted, clipped by its neighbours (avoid overlap)', async () => {
    const list = catchments();
    const candidate = list.filter((c) => !c.locked).sort((x, y) => polygonArea(x.geometry) - polygonArea(y.geometry))[Math.floor(list.length / 2)]!;
    const box = envelopeOf(candidate.geometry)!;
    await view(box, 0.6);
    await tool('select');
    const centre = await pixel(clearPointInside(candidate.geometry));
    await page.mouse.click(centre[0], centre[1]);
    await page.waitForTimeout(400);
    await expect.poll(() => page.getByTestId('delete').isEnabled()).toBe(true);
    await page.keyboard.press('Delete');
    // The catchment the click selected is the one deleted (read back from the file).
    const remaining = await until(() => catchments(), (now) => now.length === list.length - 1, 'the catchment delete');
    const victim = list.find((c) => !remaining.some((r) => r.fid === c.fid))!;
    expect(victim).toBeDefined();
    await settled();

    const hole = envelopeOf(victim.geometry)!;
    await view(hole, 0.3);
    await page.keyboard.press('d');
    // A square around the hole, wider than it: avoid-overlap keeps only the part that was free.
    const margin = Math.max(hole.maxX - hole.minX, hole.maxY - hole.minY) * 0.1;
    const corners: Position[] = [[hole.minX - margin, hole.minY - margin], [hole.maxX + margin, hole.minY - margin], [hole.maxX + margin, hole.maxY + margin], [hole.minX - margin, hole.maxY + margin]];
    for (const corner of corners) {
      const p = await pixel(corner);
      await page.mouse.click(p[0], p[1]);
      await page.waitForTimeout(320);
    }
    await screenshot(page, 'editing-04-draw');
    await page.keyboard.press('Enter');
    const created = await until(() => catchments().find((c) => c.name.startsWith('Uusi alue')), (c) => c !== undefined, 'the drawn catchment');
    // It fills the hole completely (the square's parts over the sea, outside every catchment, stay with it).
    expect(Math.abs(intersectionArea(created!.geometry, victim.geometry) - polygonArea(victim.geometry))).toBeLessThan(1);
    for (const other of catchments()) if (other.fid !== created!.fid) expect(intersectionArea(created!.geometry, other.geometry)).toBeLessThan(0.5);
    await settled();
  });

  it('reshapes a catchment by a line: it gains the area from its neighbour', async () => {
    const list = catchments();
    const { a, b, fids } = sharedEdge(list, 300);
    const [target, neighbour] = fids.map((fid) => list.find((c) => c.fid === fid)!) as [CatchmentRow, CatchmentRow];
    const mid: Position = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const e: Position = [(b[0] - a[0]) / length, (b[1] - a[1]) / length];
    let n: Position = [-e[1], e[0]];
    // n points into the neighbour.
    const probe = toJsts({ type: 'Point', coordinates: [mid[0] + n[0] * 5, mid[1] + n[1] * 5] } as never);
    if (!toJsts(neighbour.geometry).intersects(probe)) n = [-n[0], -n[1]];
    await view({ minX: mid[0] - 250, minY: mid[1] - 250, maxX: mid[0] + 250, maxY: mid[1] + 250 }, 0);
    // Select the target with a click inside it, next to the edge.
    await tool('select');
    const inTarget = await pixel([mid[0] - n[0] * 40, mid[1] - n[1] * 40]);
    await page.mouse.click(inTarget[0], inTarget[1]);
    await page.waitForTimeout(400);
    await page.keyboard.press('r');
    await page.getByTestId('snapping').uncheck();
    const half = 60;
    const depth = 25;
    const line: Position[] = [
      [mid[0] - e[0] * half - n[0] * depth, mid[1] - e[1] * half - n[1] * depth],
      [mid[0] - e[0] * half + n[0] * depth, mid[1] - e[1] * half + n[1] * depth],
      [mid[0] + e[0] * half + n[0] * depth, mid[1] + e[1] * half + n[1] * depth],
      [mid[0] + e[0] * half - n[0] * depth, mid[1] + e[1] * half - n[1] * depth],
    ];
    for (const point of line) {
      const p = await pixel(point);
      await page.mouse.click(p[0], p[1]);
      await page.waitForTimeout(320);
    }
    await screenshot(page, 'editing-05-reshape');
    await page.keyboard.press('Enter');
    const targetArea = polygonArea(target.geometry);
    const neighbourArea = polygonArea(neighbour.geometry);
    const grown = await until(() => catchment(target.fid)!, (c) => polygonArea(c.geometry) > targetArea + 100, 'the reshape');
    const shrunk = catchment(neighbour.fid)!;
    const gained = polygonArea(grown.geometry) - targetArea;
    expect(gained).toBeGreaterThan(120 * 25 * 0.8);
    expect(gained).toBeLessThan(120 * 25 * 1.2);
    expect(Math.abs(neighbourArea - polygonArea(shrunk.geometry) - gained)).toBeLessThan(1);
    expect(intersectionArea(grown.geometry, shrunk.geometry)).toBeLessThan(0.01);
    await page.getByTestId('snapping').check();
    await settled();
  });

  it('splits a catchment along a line, then merges the pieces again', async () => {
    const list = catchments();
    const target = list.filter((c) => !c.locked && c.geometry.coordinates.length === 1).sort((x, y) => polygonArea(y.geometry) - polygonArea(x.geometry))[5]!;
    const box = envelopeOf(target.geometry)!;
    const area = polygonArea(target.geometry);
    await view(box, 0.15);
    await tool('select');
    const inside = toJsts(target.geometry).getInteriorPoint();
    const centre = await pixel(clearPointInside(target.geometry));
    await page.mouse.click(centre[0], centre[1]);
    await page.waitForTimeout(400);
    await page.keyboard.press('x');
    await page.getByTestId('snapping').uncheck();
    const y = inside.getY();
    const from = await pixel([box.minX - (box.maxX - box.minX) * 0.1, y]);
    const to = await pixel([box.maxX + (box.maxX - box.minX) * 0.1, y]);
    await page.mouse.click(from[0], from[1]);
    await page.waitForTimeout(400);
    await page.mouse.dblclick(to[0], to[1]);
    const pieces = await until(() => catchments().filter((c) => c.fid === target.fid || c.name.startsWith(`${target.name} `)), (found) => found.length >= 2, 'the split');
    expect(Math.abs(pieces.reduce((sum, c) => sum + polygonArea(c.geometry), 0) - area)).toBeLessThan(1);
    await page.getByTestId('snapping').check();
    await settled();
    await screenshot(page, 'editing-06-split');

    await tool('select');
    for (const piece of pieces) {
      const p = await pixel(clearPointInside(piece.geometry));
      await page.keyboard.down('Shift');
      await page.mouse.click(p[0], p[1]);
      await page.waitForTimeout(350);
      await page.keyboard.up('Shift');
      await page.waitForTimeout(100);
    }
    await page.getByTestId('merge').click();
    const merged = await until(() => catchments().filter((c) => c.fid === target.fid || c.name.startsWith(`${target.name} `)), (found) => found.length === 1, 'the merge');
    expect(Math.abs(polygonArea(merged[0]!.geometry) - area)).toBeLessThan(1);
    await settled();
  });

  it('paints three units into a catchment, shows the live delta, locks it', async () => {
    const list = catchments();
    const units = readFile((db) =>
      (db.prepare("SELECT fid, geom FROM demand_units WHERE unit_kind = 'small_area'").all() as { fid: number; geom: Uint8Array }[]).map((u) => ({ fid: u.fid, geometry: decodeGeoPackageGeometry(u.geom)!.geometry as MultiPolygonGeometry })),
    );
    // A catchment with at least three neighbouring small areas whose interior point lies in other catchments.
    let choice: { target: CatchmentRow; picks: { fid: number; at: Position }[] } | null = null;
    // A compact one-part catchment, so the view shows all of it left of the paint panel.
    const compact = list.filter((c) => !c.locked && c.geometry.coordinates.length === 1 && polygonArea(c.geometry) > 1e6 && polygonArea(c.geometry) < 6e6);
    for (const target of compact) {
      const jt = toJsts(target.geometry).buffer(1);
      const picks: { fid: number; at: Position }[] = [];
      for (const unit of units) {
        const ju = toJsts(unit.geometry);
        if (!jt.intersects(ju)) continue;
        const point = ju.getInteriorPoint();
        if (toJsts(target.geometry).intersects(point)) continue;
        const owner = list.find((c) => c.fid !== target.fid && toJsts(c.geometry).intersects(point));
        // The donor must keep something (a catchment is never painted empty).
        if (!owner || owner.locked || polygonArea(owner.geometry) < 2 * ju.getArea()) continue;
        picks.push({ fid: unit.fid, at: [point.getX(), point.getY()] });
        if (picks.length === 3) break;
      }
      if (picks.length === 3) {
        choice = { target, picks };
        break;
      }
    }
    expect(choice).not.toBeNull();
    const { target, picks } = choice!;
    const all = [...picks.map((p) => p.at), ...target.geometry.coordinates.flat(2)];
    await view(envelopeOf(target.geometry)!, 0.1);
    await tool('select');
    const inTarget = clearPointInside(target.geometry);
    const centre = await pixel(inTarget);
    await page.mouse.click(centre[0], centre[1]);
    await page.waitForTimeout(400);
    // The first selection opens the side panel's details, which can shift the map: click again where it is now.
    const again = await pixel(inTarget);
    await page.mouse.click(again[0], again[1]);
    await page.waitForTimeout(400);
    await page.keyboard.press('b');
    await page.getByTestId('paint-panel').waitFor();
    // The paint panel takes the right of the map: keep the units left of it.
    await view({ minX: Math.min(...all.map((p) => p[0])), minY: Math.min(...all.map((p) => p[1])), maxX: Math.max(...all.map((p) => p[0])), maxY: Math.max(...all.map((p) => p[1])) }, 0.1, 390);
    await expect.poll(() => page.getByTestId('paint-target').textContent()).toBe(target.name);
    for (const pick of picks) {
      const p = await pixel(pick.at);
      await page.mouse.click(p[0], p[1]);
      await until(() => readFile((db) => db.prepare('SELECT catchment_fid FROM catchment_units WHERE unit_fid = ?').get(pick.fid) as { catchment_fid: number } | undefined), (row) => row?.catchment_fid === target.fid, `unit ${pick.fid} painted`);
    }
    await page.getByTestId('paint-delta').getByText('3 väestöaluetta siirtymässä').waitFor();
    await screenshot(page, 'editing-07-paint');
    // The delta the panel shows equals the children aged 7–12 in the three units in the file.
    const expected = readFile((db) => {
      const year = (db.prepare("SELECT MAX(year) AS y FROM demand_population WHERE source IN ('observed', 'estimated')").get() as { y: number }).y;
      return picks.reduce((sum, pick) => {
        const row = db.prepare('SELECT age_7 + age_8 + age_9 + age_10 + age_11 + age_12 AS n FROM demand_population WHERE unit_fid = ? AND year = ?').get(pick.fid, year) as { n: number };
        return sum + row.n;
      }, 0);
    });
    const ages = await page.getByTestId('paint-delta-ages').locator('td').allTextContents();
    expect(ages[3]).toBe(`+${Math.round(expected)}`);
    const receiving = await page.getByTestId('paint-receiving').locator('td').first().textContent();
    const [before, after] = receiving!.split('→').map((s) => Number(s.trim()));
    expect(after! - before!).toBeCloseTo(expected, 0);
    // The catchment's boundary now covers the units.
    const painted = catchment(target.fid)!;
    for (const pick of picks) expect(toJsts(painted.geometry).intersects(toJsts({ type: 'Point', coordinates: pick.at } as never))).toBe(true);

    // The box follows the file: it turns checked once the host has stored the lock.
    await page.getByTestId('lock-catchment').click();
    await until(() => catchment(target.fid)!.locked, (locked) => locked === 1, 'the lock');
    await expect.poll(() => page.getByTestId('lock-catchment').isChecked()).toBe(true);
    await screenshot(page, 'editing-08-locked');
  });

  it('undo and redo survive a restart of the host', async () => {
    const lockedFid = catchments().find((c) => c.locked === 1)!.fid;
    await page.getByTestId('undo').click();
    await until(() => catchment(lockedFid)!.locked, (locked) => locked === 0, 'the undo');
    await host.stop();
    host = await startHostProcess({ dataDirectory: path.join(temp.path, 'data'), projectFile });
    await openWorkspace();
    await page.getByTestId('redo').click();
    await until(() => catchment(lockedFid)!.locked, (locked) => locked === 1, 'the redo after the restart');
    await page.keyboard.press('Control+z');
    await until(() => catchment(lockedFid)!.locked, (locked) => locked === 0, 'Ctrl+Z');
    await page.keyboard.press('Control+y');
    await until(() => catchment(lockedFid)!.locked, (locked) => locked === 1, 'Ctrl+Y');
  });

  it('lists problems of the shown set with zoom and fixes; the attribute table sorts, filters and selects', async () => {
    await tool('select');
    await page.getByTestId('problems-toggle').click();
    await page.getByTestId('problems-count').waitFor({ timeout: 30_000 });
    const kinds = await page.getByTestId('problem').evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')));
    expect(kinds).toContain('gap'); // the generated sample leaves small gaps along the coast
    expect(kinds).toContain('noFacility'); // the catchment drawn above has no facility yet
    await screenshot(page, 'editing-11-problems');
    await page.getByTestId('problems-toggle').click();

    await page.getByTestId('table-toggle').click();
    await page.getByTestId('table-filter').fill('Testi');
    await expect.poll(() => page.getByTestId('table-row').count()).toBe(0); // the facility added and deleted above
    await page.getByTestId('table-filter').fill('ala-asteen');
    await expect.poll(() => page.getByTestId('table-row').count()).toBeGreaterThan(5);
    await page.getByTestId('table-row').first().dispatchEvent('click');
    await expect.poll(() => page.getByTestId('delete').isEnabled()).toBe(true); // the table's selection is the map's
    await screenshot(page, 'editing-12-attribute-table');
    await page.getByTestId('table-toggle').click();
  });

  it('measures a distance, shows the help overlay, and left no console errors', async () => {
    await page.keyboard.press('m');
    await page.getByTestId('snapping').uncheck();
    const box = (await page.getByTestId('map').boundingBox())!;
    const a: [number, number] = [box.x + 400, box.y + 400];
    const b: [number, number] = [box.x + 600, box.y + 400];
    await page.mouse.click(a[0], a[1]);
    await page.waitForTimeout(400);
    await page.mouse.dblclick(b[0], b[1]);
    const [ca, cb] = [await coordinateAt(a), await coordinateAt(b)];
    const metres = Math.hypot(cb[0] - ca[0], cb[1] - ca[1]);
    const shown = await page.getByTestId('measure-distance').textContent();
    const value = shown!.endsWith(' km') ? Number(shown!.replace(' km', '')) * 1000 : Number(shown!.replace(' m', ''));
    expect(Math.abs(value - metres) / metres).toBeLessThan(0.02);
    await screenshot(page, 'editing-09-measure');
    await page.keyboard.press('Escape');
    await page.keyboard.press('?');
    await page.getByTestId('help-overlay').waitFor();
    await screenshot(page, 'editing-10-help');
    await page.keyboard.press('Escape');
    expect(consoleErrors).toEqual([]);
  });
});
