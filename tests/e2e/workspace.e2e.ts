// End-to-end, as a planner would: start `verkosto serve`, open the sample from the welcome screen, see the
// map painted, click a school and read its name, toggle a layer, switch to Swedish — with no console errors.
import Database from 'better-sqlite3';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDirectory } from '../support/temp-directory';
import { collectConsoleErrors, launchChromium, screenshot } from './support/browser';
import { startHostProcess, type HostProcess } from './support/node-host-process';

// Offline here: the OpenStreetMap basemap cannot load, and the app must fall back to its vector look.
const OFFLINE_BASEMAP = [/tile\.openstreetmap\.org/, /tiles\.example\.invalid/];

let browser: Browser;
let hostProcess: HostProcess;
let page: Page;
let consoleErrors: string[];
const temp = makeTempDirectory('verkosto-e2e-');

/** How many distinct colours the map's canvases hold: a blank map has one or two. */
async function paintedColours(target: Page): Promise<number> {
  return target.evaluate(() => {
    const colours = new Set<number>();
    for (const canvas of Array.from(document.querySelectorAll<HTMLCanvasElement>('[data-testid="map"] canvas'))) {
      const context = canvas.getContext('2d');
      if (!context || canvas.width === 0) continue;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4 * 97) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    }
    return colours.size;
  });
}

async function mapImage(target: Page): Promise<Buffer> {
  return target.locator('[data-testid="map"]').screenshot();
}

beforeAll(async () => {
  hostProcess = await startHostProcess({ dataDirectory: temp.path });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  consoleErrors = collectConsoleErrors(page, OFFLINE_BASEMAP);
});

afterAll(async () => {
  await browser?.close();
  await hostProcess?.stop();
  temp.remove();
});

describe('workspace in Chromium against the Node host', () => {
  it('shows the welcome screen in Finnish first', async () => {
    await page.goto(hostProcess.url);
    await page.getByTestId('welcome-screen').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('fi');
    expect(new URL(page.url()).searchParams.get('token')).toBeNull(); // the token left the address bar
    await screenshot(page, '01-welcome');
  });

  it('opens the sample project and paints the map', async () => {
    await page.getByTestId('open-sample').click();
    await page.getByTestId('workspace').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => (window as unknown as { __verkosto?: { isReady(): boolean } }).__verkosto?.isReady() === true, null, { timeout: 60_000 });
    await expect.poll(() => paintedColours(page), { timeout: 30_000 }).toBeGreaterThan(20);
    await page.getByTestId('offline-note').waitFor({ timeout: 30_000 });
    await screenshot(page, '02-sample-workspace');
  });

  it('shows cursor coordinates in the project CRS', async () => {
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.getByTestId('cursor-coordinates').innerText()).toMatch(/3067/);
    const text = await page.getByTestId('cursor-coordinates').innerText();
    const numbers = text.replace(/[\u00a0\u202f ]/g, '').match(/\d{6,7}/g)?.map(Number) ?? [];
    // Helsinki in ETRS-TM35FIN: easting about 370–405 km, northing about 6 655–6 690 km.
    expect(numbers.some((value) => value > 360_000 && value < 410_000)).toBe(true);
    expect(numbers.some((value) => value > 6_650_000 && value < 6_700_000)).toBe(true);
  });

  it('clicks a school and reads its name from the project file in the side panel', async () => {
    const sampleFile = path.join(temp.path, 'sample', 'helsinki-sample.gpkg');
    const db = new Database(sampleFile, { readonly: true });
    const schools = db.prepare('SELECT fid, name_fi FROM facilities ORDER BY fid').all() as { fid: number; name_fi: string }[];
    db.close();
    expect(schools.length).toBe(129);
    // A school whose point stands alone on screen, so the click cannot land on a neighbour. pixelOf gives
    // page-viewport pixels, where a user's mouse goes.
    const target = await page.evaluate((fids) => {
      const api = (window as unknown as { __verkosto: { pixelOf(layer: string, fid: number): [number, number] | null } }).__verkosto;
      const pixels = fids.map((fid) => ({ fid, pixel: api.pixelOf('facilities', fid) })).filter((entry) => entry.pixel);
      const mapBox = document.querySelector('[data-testid="map"]')!.getBoundingClientRect();
      return pixels.find(({ pixel }) =>
        pixel![0] > mapBox.left + 60 && pixel![1] > mapBox.top + 60 && pixel![0] < mapBox.right - 60 && pixel![1] < mapBox.bottom - 60 &&
        pixels.every((other) => other.pixel === pixel || Math.hypot(other.pixel![0] - pixel![0], other.pixel![1] - pixel![1]) > 14),
      );
    }, schools.map((school) => school.fid));
    expect(target).toBeTruthy();
    await page.mouse.click(target!.pixel![0], target!.pixel![1]);
    const expected = schools.find((school) => school.fid === target!.fid)!.name_fi;
    await expect.poll(() => page.getByTestId('feature-name').innerText(), { timeout: 10_000 }).toBe(expected);
    await screenshot(page, '03-school-selected');
  });

  it('toggles the catchment layer off and on, and the map changes', async () => {
    const before = await mapImage(page);
    const toggle = page.getByTestId('layer-toggle-catchments');
    await toggle.click();
    expect(await toggle.isChecked()).toBe(false);
    await expect.poll(async () => (await mapImage(page)).equals(before)).toBe(false);
    await screenshot(page, '04-catchments-hidden');
    await toggle.click();
    expect(await toggle.isChecked()).toBe(true);
  });

  it('switches the interface to Swedish', async () => {
    const finnish = await page.getByTestId('workspace').innerText();
    await page.getByTestId('language-select').selectOption('sv');
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('sv');
    const swedish = await page.getByTestId('workspace').innerText();
    expect(swedish).not.toBe(finnish);
    await screenshot(page, '05-swedish');
  });

  it('saves the project under a new name in the projects folder and continues in the copy', async () => {
    await page.getByTestId('project-menu').click();
    await page.getByTestId('save-as').click();
    await page.getByTestId('save-as-name').fill('Helsinki kokeilu');
    await screenshot(page, '06-save-as');
    await page.getByTestId('save-as-confirm').click();
    const copy = path.join(temp.path, 'projects', 'Helsinki kokeilu.gpkg');
    await expect.poll(() => page.getByTestId('project-name').getAttribute('title'), { timeout: 10_000 }).toBe(copy);
    const db = new Database(copy, { readonly: true });
    expect((db.prepare('SELECT COUNT(*) AS n FROM facilities').get() as { n: number }).n).toBe(129);
    db.close();
    await page.getByTestId('map').waitFor();
  });

  it('stores another basemap address in the project file', async () => {
    const copy = path.join(temp.path, 'projects', 'Helsinki kokeilu.gpkg');
    await page.getByTestId('basemap-url').fill('https://tiles.example.invalid/{z}/{x}/{y}.png');
    await page.getByTestId('basemap-url-save').click();
    const stored = () => {
      const db = new Database(copy, { readonly: true });
      const row = db.prepare("SELECT value FROM verkosto_settings WHERE key = 'basemap.url'").get() as { value: string } | undefined;
      db.close();
      return row ? JSON.parse(row.value) : null;
    };
    await expect.poll(stored, { timeout: 10_000 }).toBe('https://tiles.example.invalid/{z}/{x}/{y}.png');
    await page.getByTestId('basemap-url').scrollIntoViewIfNeeded();
    await screenshot(page, '07-basemap-address');
  });

  it('produced no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
