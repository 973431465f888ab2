// End-to-end: the forecast dialog on the Helsinki sample in Chromium against the Node host. Cancel while the
// cohort model runs leaves the project exactly as it was; a run to 2030 stores forecast rows that are in the
// file when it is opened again after the host has closed it.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/browser';
import { openSampleSession, type SampleSession } from './support/sample-session';

let session: SampleSession;
let sampleFile: string;

/** A hash of what a forecast would change: every population row, the settings and the edit log's length. */
function projectContentHash(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const hash = createHash('sha256');
    hash.update(JSON.stringify(db.prepare('SELECT * FROM demand_population ORDER BY fid').raw(true).all()));
    hash.update(JSON.stringify(db.prepare('SELECT key, value FROM verkosto_settings ORDER BY key').raw(true).all()));
    hash.update(JSON.stringify(db.prepare('SELECT COUNT(*), MAX(fid), SUM(undone) FROM verkosto_edit_log').raw(true).get()));
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

function forecastRowsByYear(file: string): Map<number, number> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT year, COUNT(*) AS n FROM demand_population WHERE source = 'forecast' GROUP BY year").all() as { year: number; n: number }[];
    return new Map(rows.map((row) => [row.year, row.n]));
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  // Each yearly step of the cohort model waits 150 ms, so the Cancel press always lands while it runs.
  session = await openSampleSession({ prefix: 'verkosto-e2e-forecast-', viewport: { width: 1440, height: 900 }, env: { VERKOSTO_FORECAST_STEP_DELAY_MS: '150' } });
  sampleFile = path.join(session.dataDirectory, 'sample', 'helsinki-sample.gpkg');
  expect(existsSync(sampleFile)).toBe(true);
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe('forecast dialog', () => {
  it('Cancel while the cohort model runs leaves the project unchanged', async () => {
    const { page } = session;
    const before = projectContentHash(sampleFile);
    await page.getByTestId('forecast-open').click();
    await page.getByTestId('forecast-dialog').waitFor();
    await page.getByTestId('forecast-to-year').fill('2040');
    await screenshot(page, 'forecast-dialog-01-form');
    await page.getByTestId('forecast-start').click();
    await page.getByTestId('forecast-progress').waitFor({ timeout: 30_000 });
    await expect.poll(async () => Number(await page.locator('[data-testid="forecast-progress"] progress').getAttribute('value')), { timeout: 30_000 }).toBeGreaterThan(0);
    await screenshot(page, 'forecast-dialog-02-running');
    await page.getByTestId('forecast-cancel').click();
    await expect.poll(() => page.getByTestId('forecast-error').innerText(), { timeout: 30_000 }).toMatch(/peruttiin/);
    await screenshot(page, 'forecast-dialog-03-cancelled');
    expect(await page.getByTestId('forecast-done').count()).toBe(0);
    expect(projectContentHash(sampleFile)).toBe(before);
    await page.getByTestId('forecast-close').click();
    await page.getByTestId('forecast-dialog').waitFor({ state: 'detached' });
  }, 120_000);

  it('runs the cohort forecast to 2030 from the dialog, and the reopened file has its rows', async () => {
    const { page } = session;
    const maxYearBefore = Number(await page.getByTestId('year-slider').getAttribute('max'));
    await page.getByTestId('forecast-open').click();
    await page.getByTestId('forecast-method-cohort').check();
    await page.getByTestId('forecast-to-year').fill('2030');
    await page.getByTestId('forecast-start').click();
    await expect.poll(() => page.getByTestId('forecast-done').innerText(), { timeout: 60_000 }).toMatch(/11 vuotta/);
    await screenshot(page, 'forecast-dialog-04-done');
    await page.getByTestId('forecast-close').click();
    // The KPIs follow: the year slider now reaches the forecast years.
    await expect.poll(async () => Number(await page.getByTestId('year-slider').getAttribute('max')), { timeout: 30_000 }).toBeGreaterThan(maxYearBefore);
    await screenshot(page, 'forecast-dialog-05-analysis-after');
    expect(session.consoleErrors).toEqual([]);
    // Reopen the file after the host has closed it: the forecast is stored, 2020–2030 for the 147 mapped areas.
    // (The page then loses its connection, as it should: no console check after this.)
    await session.hostProcess.stop();
    const byYear = forecastRowsByYear(sampleFile);
    expect(byYear.get(2030)).toBe(147);
    expect(byYear.get(2020)).toBe(147);
    expect(byYear.has(2031)).toBe(false);
  }, 180_000);
});
