// Scenarios in Chromium: create a scenario from the workspace, see it in the switcher, switch back to the
// baseline and to the scenario again; the scenario is stored in the project file.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDirectory } from '../support/temp-directory';
import { collectConsoleErrors, launchChromium, screenshot } from './support/browser';
import { startHostProcess, type HostProcess } from './support/node-host-process';

const temp = makeTempDirectory('verkosto-scenario-e2e-');
let browser: Browser;
let hostProcess: HostProcess;
let page: Page;
let consoleErrors: string[];

beforeAll(async () => {
  hostProcess = await startHostProcess({ dataDirectory: temp.path });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  consoleErrors = collectConsoleErrors(page, [/tile\.openstreetmap\.org/]);
  await page.goto(hostProcess.url);
  await page.getByTestId('open-sample').click();
  await page.waitForFunction(() => (window as unknown as { __verkosto?: { isReady(): boolean } }).__verkosto?.isReady() === true, null, { timeout: 60_000 });
});

afterAll(async () => {
  await browser?.close();
  await hostProcess?.stop();
  temp.remove();
});

const activeScenario = () => {
  const db = new Database(path.join(temp.path, 'sample', 'helsinki-sample.gpkg'), { readonly: true });
  try {
    const names = db.prepare('SELECT name FROM scenarios ORDER BY fid').all() as { name: string }[];
    const active = db.prepare("SELECT value FROM verkosto_settings WHERE key = 'scenario.active'").get() as { value: string } | undefined;
    return { names: names.map((row) => row.name), active: active ? Number(JSON.parse(active.value)) : 0 };
  } finally {
    db.close();
  }
};

describe('scenarios in the workspace', () => {
  it('starts on the baseline', async () => {
    await expect.poll(() => page.getByTestId('scenario-select').inputValue()).toBe('0');
  });

  it('creates a scenario from the dialog, which becomes the one shown and is stored in the file', async () => {
    await page.getByTestId('scenarios-manage').click();
    await page.getByTestId('scenario-name').fill('Kallion koulu suljetaan 2027');
    await page.getByTestId('scenario-create').click();
    await expect.poll(() => page.getByTestId('scenario-select').inputValue()).not.toBe('0');
    await page.getByTestId('scenario-changes').or(page.getByText('Ei muutoksia perustilaan verrattuna.')).first().waitFor();
    await screenshot(page, '20-scenario-dialog');
    expect(activeScenario()).toEqual({ names: ['Kallion koulu suljetaan 2027'], active: 1 });
    await page.keyboard.press('Escape');
  });

  it('switches to the baseline and back from the top bar', async () => {
    await page.getByTestId('scenario-select').selectOption('0');
    await expect.poll(() => activeScenario().active).toBe(0);
    await page.getByTestId('scenario-select').selectOption('1');
    await expect.poll(() => activeScenario().active).toBe(1);
    await screenshot(page, '21-scenario-active');
  });

  it('writes the scenario report as PDF from the dialog', async () => {
    await page.getByTestId('scenarios-manage').click();
    await page.getByTestId('report-pdf').click();
    const written = page.getByTestId('report-written');
    await written.waitFor({ timeout: 60_000 });
    const reportPath = (await written.innerText()).replace(/^[^/]*/, '').trim();
    expect(reportPath.endsWith('.pdf')).toBe(true);
    expect(readFileSync(reportPath).subarray(0, 5).toString()).toBe('%PDF-');
    await screenshot(page, '22-scenario-report');
    await page.keyboard.press('Escape');
  });

  it('produced no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
