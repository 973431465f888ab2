// Presentation mode for the workshop room: enter from the top bar, the KPI cards show the network figures
// of the year shown, ← → change the year, 0–9 switch scenarios, Esc leaves.
import Database from 'better-sqlite3';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MultiPolygonGeometry, Position } from '../../shared/geo/geometry';
import { decodeGeoPackageGeometry } from '../../shared/geo/gpkg-geometry';
import { screenshot } from './support/browser';
import { openSampleSession, type SampleSession } from './support/sample-session';

let session: SampleSession;
let page: Page;
let consoleErrors: string[];

beforeAll(async () => {
  session = await openSampleSession({ prefix: 'verkosto-present-', viewport: { width: 1600, height: 900 } });
  ({ page, consoleErrors } = session);
});

afterAll(async () => session?.close());

describe('presentation mode', () => {
  it('shows the map full screen with large KPI cards and hides the editing chrome', async () => {
    await page.getByTestId('present').click();
    await page.getByTestId('presentation').waitFor();
    await expect.poll(() => page.getByTestId('present-utilisation').innerText(), { timeout: 30_000 }).toMatch(/%/);
    expect(await page.getByTestId('layer-panel').isVisible()).toBe(false);
    // The sample's facilities carry operating costs: the network's cost per pupil is a figure, not a dash.
    expect(await page.getByTestId('present-cost').innerText()).toMatch(/\d[\d\s\u00a0]* €/);
    expect(await page.getByTestId('present-scenario').innerText()).toBe('Perustila');
    await screenshot(page, '30-presentation');
  });

  it('changes the year with the arrow keys', async () => {
    const first = await page.getByTestId('present-year').innerText();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    const earliest = await page.getByTestId('present-year').innerText();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('present-year').innerText()).not.toBe(earliest);
    expect(first).toMatch(/\d{4}/);
  });

  it('switches scenarios with the number keys', async () => {
    // A scenario to switch to, made through the contract as the facilitator's other window would.
    await page.keyboard.press('Escape');
    await page.getByTestId('scenarios-manage').click();
    await page.getByTestId('scenario-name').fill('Vaihtoehto A');
    await page.getByTestId('scenario-create').click();
    await expect.poll(() => page.getByTestId('scenario-select').inputValue()).toBe('1');
    await page.keyboard.press('Escape');
    await page.getByTestId('present').click();
    await expect.poll(() => page.getByTestId('present-scenario').innerText()).toBe('Vaihtoehto A');
    await page.keyboard.press('0');
    await expect.poll(() => page.getByTestId('present-scenario').innerText()).toBe('Perustila');
    await page.keyboard.press('1');
    await expect.poll(() => page.getByTestId('present-scenario').innerText()).toBe('Vaihtoehto A');
    await screenshot(page, '31-presentation-scenario');
  });

  it('closes a school on the spot as a command in the scenario shown, and reopens it', async () => {
    const cards = () => page.locator('.present-cards').innerText();
    const before = await cards();
    // Schools that serve a catchment of the set on show: closing one of them moves its children's numbers.
    const db = new Database(path.join(session.dataDirectory, 'sample', 'helsinki-sample.gpkg'), { readonly: true });
    const serving = (db.prepare("SELECT DISTINCT facility_fid AS fid FROM catchments WHERE service = 'grades_1_6' AND language = 'fi'").all() as { fid: number }[]).map((row) => row.fid);
    const everyFacility = (db.prepare('SELECT fid FROM facilities').all() as { fid: number }[]).map((row) => row.fid);
    db.close();
    const targets = await page.evaluate(([fids, all]) => {
      const api = (window as unknown as { __verkosto: { pixelOf(layer: string, fid: number): [number, number] | null } }).__verkosto;
      const others = all.map((fid) => ({ fid, pixel: api.pixelOf('facilities', fid) })).filter((entry) => entry.pixel);
      const candidates = fids.map((fid) => ({ fid, pixel: api.pixelOf('facilities', fid) })).filter((entry) => entry.pixel);
      // Clear of the title band on top and the cards below, and of every other facility, so the click hits this one.
      return candidates.filter(({ fid, pixel }) => pixel![1] > 160 && pixel![1] < window.innerHeight - 280 && pixel![0] > 60 && pixel![0] < window.innerWidth - 60 &&
        others.every((other) => other.fid === fid || Math.hypot(other.pixel![0] - pixel![0], other.pixel![1] - pixel![1]) > 14));
    }, [serving, everyFacility] as const);
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets.slice(0, 8)) {
      await page.mouse.click(target.pixel![0], target.pixel![1]);
      if (await page.getByTestId('present-quick').isVisible().catch(() => false)) break;
      await page.waitForTimeout(300);
      if (await page.getByTestId('present-quick').isVisible().catch(() => false)) break;
    }
    const closedCount = () => {
      const check = new Database(path.join(session.dataDirectory, 'sample', 'helsinki-sample.gpkg'), { readonly: true });
      const row = check.prepare("SELECT COUNT(*) AS n FROM facilities WHERE status = 'closed'").get() as { n: number };
      check.close();
      return row.n;
    };
    await page.getByTestId('present-toggle-facility').click();
    await expect.poll(closedCount, { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('present-toggle-facility').innerText()).toBe('Avaa koulu uudelleen');
    // The cards follow at once: the closed school's places are gone from the network.
    await expect.poll(cards, { timeout: 5_000 }).not.toBe(before);
    await screenshot(page, '32-presentation-live-change');
    await page.getByTestId('present-toggle-facility').click();
    await expect.poll(closedCount, { timeout: 15_000 }).toBe(0);
    await expect.poll(cards, { timeout: 5_000 }).toBe(before);
  });

  it('moves a boundary on the spot: V, then drag a vertex two catchments share; both change in the file', async () => {
    const file = path.join(session.dataDirectory, 'sample', 'helsinki-sample.gpkg');
    const readSet = () => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare("SELECT fid, geom FROM catchments WHERE service = 'grades_1_6' AND language = 'fi'").all() as { fid: number; geom: Uint8Array }[]).map((row) => ({
          fid: row.fid,
          geometry: decodeGeoPackageGeometry(row.geom)!.geometry as MultiPolygonGeometry,
        }));
      } finally {
        db.close();
      }
    };
    // Vertices that exactly two catchments share, then the first one on screen clear of the cards and of facility symbols.
    const owners = new Map<string, Set<number>>();
    for (const { fid, geometry } of readSet()) for (const point of geometry.coordinates.flat(2)) {
      const key = `${point[0]},${point[1]}`;
      owners.set(key, (owners.get(key) ?? new Set()).add(fid));
    }
    const shared = [...owners].filter(([, fids]) => fids.size === 2).map(([key, fids]) => ({ at: key.split(',').map(Number) as Position, fids: [...fids] }));
    const resolution = await page.evaluate(() => (window as unknown as { __verkosto: { map: { getView(): { getResolution(): number } } } }).__verkosto.map.getView().getResolution());
    // A vertex with no other vertex within 25 px, so a short drag stays a valid shape at the city-wide scale.
    const everyVertex = [...owners.keys()].map((key) => key.split(',').map(Number) as Position);
    const roomy = shared.filter(({ at }) => everyVertex.every((other) => (other[0] === at[0] && other[1] === at[1]) || Math.hypot(other[0] - at[0], other[1] - at[1]) > 25 * resolution));
    const onScreen = await page.evaluate((candidates) => {
      const api = (window as unknown as { __verkosto: { map: { getPixelFromCoordinate(c: number[]): number[] | null } } }).__verkosto;
      return candidates
        .map((candidate) => ({ ...candidate, pixel: api.map.getPixelFromCoordinate(candidate.at) }))
        .filter(({ pixel }) => pixel && pixel[1]! > 220 && pixel[1]! < window.innerHeight - 300 && pixel[0]! > 200 && pixel[0]! < window.innerWidth - 200);
    }, roomy);
    const facilityPixels = await page.evaluate(() => {
      const api = (window as unknown as { __verkosto: { pixelOf(layer: string, fid: number): [number, number] | null } }).__verkosto;
      return Array.from({ length: 400 }, (_, fid) => api.pixelOf('facilities', fid)).filter((pixel): pixel is [number, number] => pixel !== null);
    });
    const target = onScreen.find(({ pixel }) => facilityPixels.every((other) => Math.hypot(other[0] - pixel![0]!, other[1] - pixel![1]!) > 20));
    expect(target).toBeDefined();
    const [x, y] = target!.pixel! as [number, number];
    await page.keyboard.press('v');
    await page.mouse.move(x - 10, y + 6);
    await page.mouse.move(x, y, { steps: 3 });
    await page.waitForTimeout(300);
    await page.mouse.down();
    // A short move: at the city-wide scale a long one would cross other boundaries and be refused.
    await page.mouse.move(x + 3, y - 2, { steps: 2 });
    await page.mouse.move(x + 6, y - 4, { steps: 2 });
    await page.mouse.up();
    const moved = () => readSet().filter(({ fid }) => target!.fids.includes(fid)).every(({ geometry }) => !geometry.coordinates.flat(2).some((point) => point[0] === target!.at[0] && point[1] === target!.at[1]));
    await expect.poll(moved, { timeout: 15_000 }).toBe(true);
    expect(await page.getByTestId('presentation').isVisible()).toBe(true);
    await screenshot(page, '33-presentation-boundary');
    // Undo gives the boundary back (the edit is an ordinary command of the scenario shown).
    await page.keyboard.press('Control+z');
    await expect.poll(moved, { timeout: 15_000 }).toBe(false);
    await page.keyboard.press('s');
  });

  it('leaves with Esc', async () => {
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('presentation').count()).toBe(0);
    expect(await page.getByTestId('layer-panel').isVisible()).toBe(true);
  });

  it('produced no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
