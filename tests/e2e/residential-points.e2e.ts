// End-to-end: a planner loads residential points into the Helsinki sample through the import dialog — a
// GeoJSON file of points with residents (derived from HSY's real 2015 population grid: each 250 m cell's
// centre with its residents, see tests/integration/import/residential-points.test.ts), target layer
// "Asukaspiste", weight from the residents column — then turns the layer on in the layer panel and sees
// the dots; the project file, read again from disk, has every point and every resident.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/browser';
import { openSampleSession, type SampleSession } from './support/sample-session';
import { slideToYear } from './support/year-slider';

const GRID_FILE = '/work/shared/data/population-grid-hsy-2015/vaestoruudukko_2015_helsinki.geojson';

let session: SampleSession;
/** The KPI table (catchments, grades 1–6, 2015) by area share, and with the points. */
let tableByArea = '';
let tableByPoints = '';

/** The catchment rows of the KPI table as text (opened and closed again). */
async function kpiTableText(target: Page): Promise<string> {
  await target.getByTestId('kpi-table-toggle').click();
  await target.getByTestId('kpi-table').waitFor();
  await target.getByTestId('kpi-level').selectOption('catchment');
  const text = await target.getByTestId('kpi-table').innerText();
  await target.getByTestId('kpi-table-toggle').click();
  return text;
}

/** The grid cells' centres as points (EPSG:3879, as the grid), with residents and a source name. */
function writePoints(file: string): { count: number; residents: number } {
  const grid = JSON.parse(readFileSync(GRID_FILE, 'utf8')) as { features: { properties: { INDEX: number; ASUKKAITA: number }; geometry: { coordinates: number[][][] } }[] };
  const features = grid.features.map((cell) => {
    const ring = cell.geometry.coordinates[0]!;
    const xs = ring.map((p) => p[0]!);
    const ys = ring.map((p) => p[1]!);
    const centre = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
    return { type: 'Feature', id: String(cell.properties.INDEX), geometry: { type: 'Point', coordinates: centre }, properties: { ASUKKAITA: cell.properties.ASUKKAITA, lahde: 'HSY 2015' } };
  });
  writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3879' } }, features }));
  return { count: features.length, residents: features.reduce((sum, feature) => sum + feature.properties.ASUKKAITA, 0) };
}

beforeAll(async () => {
  session = await openSampleSession({ prefix: 'verkosto-e2e-points-', viewport: { width: 1440, height: 900 } });
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe('residential points through the import dialog', () => {
  it('imports points with a weight, shows them as a layer, and the file has them', async () => {
    const { page } = session;
    const file = path.join(session.dataDirectory, 'asukaspisteet.geojson');
    const expected = writePoints(file);
    expect(expected).toEqual({ count: 2065, residents: 606_363 });
    // 2015 is computed on the 250 m grid, whose cells straddle catchment boundaries: the points will matter.
    await slideToYear(page, 2015);
    tableByArea = await kpiTableText(page);
    expect(tableByArea).toMatch(/\d/);

    await page.getByTestId('open-import').click();
    await page.getByTestId('import-dialog').waitFor();
    await page.getByTestId('import-target').selectOption('residential_points');
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-map-weight').waitFor({ timeout: 20_000 });
    // The residents column is recognised as the weight; the CRS comes from the file's crs member.
    expect(await page.getByTestId('import-map-weight').inputValue()).toBe('ASUKKAITA');
    expect(await page.getByTestId('import-crs').inputValue()).toBe('3879');
    await page.getByTestId('import-map-source').selectOption('lahde');
    await expect.poll(() => page.getByTestId('import-row-weight').innerText(), { timeout: 20_000 }).toContain('✓');
    // The replace option is offered for this layer (a building register is reloaded whole); the code match is not.
    expect(await page.getByTestId('import-replace-existing').isVisible()).toBe(true);
    expect(await page.getByTestId('import-match-code').count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid="import-preview-map"] circle').count(), { timeout: 20_000 }).toBeGreaterThan(100);
    await screenshot(page, 'residential-points-01-mapping');
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-result').innerText()).toContain(`Tuotiin ${expected.count} kohdetta`);
    await page.getByTestId('import-close').click();
    // The KPIs recompute after the import (the analysis reloads when residential_points change).
    await expect.poll(async () => (tableByPoints = await kpiTableText(page)), { timeout: 30_000 }).not.toBe(tableByArea);

    // The layer panel: off by default, its count follows the import; turned on, the dots are drawn.
    const toggle = page.getByTestId('layer-toggle-residential_points');
    expect(await toggle.isChecked()).toBe(false);
    await expect.poll(async () => (await page.locator('#layer-title-residential_points').locator('..').innerText()).replace(/\s/g, ''), { timeout: 20_000 }).toContain('2065');
    // The points are fetched when the layer is turned on (a register can be large): one of them is then on the map.
    const probe = new Database(path.join(session.dataDirectory, 'sample', 'helsinki-sample.gpkg'), { readonly: true });
    const someFid = (probe.prepare('SELECT MAX(fid) AS fid FROM residential_points').get() as { fid: number }).fid;
    probe.close();
    expect(await page.evaluate((fid) => (window as unknown as { __verkosto: { pixelOf(l: string, f: number): unknown } }).__verkosto.pixelOf('residential_points', fid), someFid)).toBeNull();
    await toggle.check();
    await page.waitForFunction((fid) => (window as unknown as { __verkosto: { pixelOf(l: string, f: number): unknown } }).__verkosto.pixelOf('residential_points', fid) !== null, someFid, { timeout: 20_000 });
    await page.getByTestId('layer-toggle-demand_small_areas').uncheck();
    await page.waitForFunction(() => (window as unknown as { __verkosto: { isReady(): boolean } }).__verkosto.isReady(), null, { timeout: 20_000 });
    await page.locator('#layer-title-residential_points').scrollIntoViewIfNeeded();
    await screenshot(page, 'residential-points-02-map');
    // Closer in: a dot's size follows its weight.
    const map = await page.getByTestId('map').boundingBox();
    await page.mouse.move(map!.x + map!.width * 0.5, map!.y + map!.height * 0.55);
    for (let step = 0; step < 3; step++) {
      await page.mouse.wheel(0, -400);
      await page.waitForTimeout(250);
    }
    await page.waitForFunction(() => (window as unknown as { __verkosto: { isReady(): boolean } }).__verkosto.isReady(), null, { timeout: 20_000 });
    await screenshot(page, 'residential-points-03-map-closer');

    // The file itself, opened again from disk.
    const db = new Database(path.join(session.dataDirectory, 'sample', 'helsinki-sample.gpkg'), { readonly: true });
    try {
      const row = db.prepare('SELECT COUNT(*) AS count, SUM(weight) AS weight, COUNT(DISTINCT source) AS sources, MIN(source) AS source FROM residential_points').get();
      expect(row).toEqual({ count: expected.count, weight: expected.residents, sources: 1, source: 'HSY 2015' });
      expect((db.prepare("SELECT COUNT(*) AS n FROM import_sources WHERE target_layer = 'residential_points'").get() as { n: number }).n).toBe(1);
    } finally {
      db.close();
    }
    expect(session.consoleErrors).toEqual([]);
  }, 180_000);

  it('replaces the points from a reloaded register (CSV) with the replace option, and Kumoa brings them back', async () => {
    const { page } = session;
    const sampleFile = path.join(session.dataDirectory, 'sample', 'helsinki-sample.gpkg');
    const count = () => {
      const db = new Database(sampleFile, { readonly: true });
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM residential_points').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    // Three buildings in Kalasatama, residents as in a register extract (lat/lon columns).
    const csv = path.join(session.dataDirectory, 'rakennukset.csv');
    writeFileSync(csv, 'rakennustunnus,asukkaita,leveys,pituus\n103456789A,120,60.1871,24.9771\n103456790B,86,60.1866,24.9790\n103456791C,0,60.1880,24.9802\n');
    await page.getByTestId('open-import').click();
    await page.getByTestId('import-dialog').waitFor();
    await page.getByTestId('import-target').selectOption('residential_points');
    await page.getByTestId('import-file').setInputFiles(csv);
    await page.getByTestId('import-map-weight').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('import-map-weight').inputValue()).toBe('asukkaita');
    await expect.poll(() => page.getByTestId('import-row-weight').innerText(), { timeout: 20_000 }).toContain('✓ 3');
    await page.getByTestId('import-replace-existing').check();
    await screenshot(page, 'residential-points-04-replace');
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-replaced').innerText()).toContain('2065 aiempaa kohdetta korvattiin');
    await page.getByTestId('import-close').click();
    expect(count()).toBe(3);
    await expect.poll(async () => (await page.locator('#layer-title-residential_points').locator('..').innerText()).replace(/\s/g, ''), { timeout: 20_000 }).toMatch(/3$/);
    // One command: one Kumoa puts the 2 065 points back.
    await page.getByTestId('undo').click();
    await expect.poll(count, { timeout: 20_000 }).toBe(2065);
    // The KPIs follow the undo: the table is the one computed with the 2 065 points again.
    await expect.poll(() => kpiTableText(page), { timeout: 30_000 }).toBe(tableByPoints);
    await expect.poll(async () => (await page.locator('#layer-title-residential_points').locator('..').innerText()).replace(/\s/g, ''), { timeout: 20_000 }).toContain('2065');
    expect(session.consoleErrors).toEqual([]);
  }, 180_000);

  it('the file, reopened after the host has closed it, has the 2 065 points (GDAL reads them too)', async () => {
    await session.hostProcess.stop();
    const sampleFile = path.join(session.dataDirectory, 'sample', 'helsinki-sample.gpkg');
    const db = new Database(sampleFile, { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS count, SUM(weight) AS weight FROM residential_points').get()).toEqual({ count: 2065, weight: 606_363 });
    } finally {
      db.close();
    }
    expect(execFileSync('ogrinfo', ['-ro', '-so', sampleFile, 'residential_points'], { encoding: 'utf8' })).toContain('Feature Count: 2065');
  }, 60_000);
});
