// The problems check in Chromium: it shows how far it has come and can be cancelled. A cancelled check
// leaves the list of the last finished check as it was; a check run to the end shows the same list again.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSampleProject } from '../../electron/services/sample/build-sample';
import { makeTempDirectory } from '../support/temp-directory';
import { collectConsoleErrors, launchChromium, screenshot } from './support/browser';
import { EditingPage, editLogSize } from './support/editing-page';
import { startHostProcess, type HostProcess } from './support/node-host-process';

const temp = makeTempDirectory('verkosto-e2e-problems-');
const projectFile = path.join(temp.path, 'helsinki.gpkg');

let browser: Browser;
let host: HostProcess;
let page: Page;
let consoleErrors: string[];

function problemList(): Promise<string[]> {
  return page.getByTestId('problem').evaluateAll((items) => items.map((item) => `${item.getAttribute('data-kind')}:${item.textContent}`));
}

function percent(): Promise<number> {
  return page
    .getByTestId('problems-progress-percent')
    .textContent({ timeout: 1000 })
    .then((text) => Number(text?.match(/\d+/)?.[0] ?? -1))
    .catch(() => -1);
}

beforeAll(async () => {
  await buildSampleProject(projectFile);
  host = await startHostProcess({ dataDirectory: path.join(temp.path, 'data'), projectFile });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  consoleErrors = collectConsoleErrors(page, [/tile\.openstreetmap\.org/, /ERR_NAME_NOT_RESOLVED/]);
  await new EditingPage(page, projectFile).open(host.url);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  temp.remove();
});

describe('problems check progress and cancel', () => {
  it('shows progress, and Cancel stops the check leaving the last result unchanged', async () => {
    await page.getByTestId('problems-toggle').click();
    // The panel checks once when it opens; wait for that result.
    await page.getByTestId('problems-count').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('problems-progress').count(), { timeout: 60_000 }).toBe(0);
    const countBefore = await page.getByTestId('problems-count').textContent();
    const listBefore = await problemList();
    expect(listBefore.length).toBeGreaterThan(0);
    const log = editLogSize(projectFile);

    await page.getByTestId('problems-panel').getByRole('button', { name: 'Tarkista' }).click();
    await page.getByTestId('problems-progress').waitFor();
    await expect.poll(() => percent(), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.getByTestId('problems-cancel').click({ timeout: 5_000 });
    await page.getByTestId('problems-cancelled').waitFor();
    expect(await page.getByTestId('problems-progress').count()).toBe(0);
    // Nothing changed: the list and count are the last finished check's, the file has no new edit.
    await page.waitForTimeout(1500); // time in which a check that was not stopped would have moved on
    expect(await page.getByTestId('problems-count').textContent()).toBe(countBefore);
    expect(await problemList()).toEqual(listBefore);
    expect(await page.getByTestId('problems-panel').getByRole('button', { name: 'Tarkista' }).isEnabled()).toBe(true);
    expect(editLogSize(projectFile)).toBe(log);
    await screenshot(page, 'editing-19-problems-cancelled');

    // Run to the end: the share done rises while it runs (the page stays responsive enough to read it),
    // then the same problems again, the progress gone.
    await page.getByTestId('problems-panel').getByRole('button', { name: 'Tarkista' }).click();
    await page.getByTestId('problems-progress').waitFor();
    const seen: number[] = [];
    const deadline = Date.now() + 60_000;
    while ((await page.getByTestId('problems-progress').count()) > 0 && Date.now() < deadline) {
      const value = await percent();
      if (value >= 0 && value !== seen.at(-1)) seen.push(value);
      if (seen.length === 3) await screenshot(page, 'editing-18-problems-progress');
      await page.waitForTimeout(50);
    }
    expect(await page.getByTestId('problems-progress').count()).toBe(0);
    // How many distinct values a poll catches depends on the machine's load; an intermediate one must be among them.
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen); // never goes back
    expect(seen.some((value) => value > 0 && value < 100)).toBe(true);
    expect(await page.getByTestId('problems-cancelled').count()).toBe(0);
    expect(await problemList()).toEqual(listBefore);
    expect(consoleErrors).toEqual([]);
  });
});
