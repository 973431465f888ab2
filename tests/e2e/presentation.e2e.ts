// Presentation mode for the workshop room: enter from the top bar, the KPI cards show the network figures
// of the year shown, ← → change the year, 0–9 switch scenarios, Esc leaves.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDirectory } from '../support/temp-directory';
import { collectConsoleErrors, launchChromium, screenshot } from './support/browser';
import { startHostProcess, type HostProcess } from './support/node-host-process';

const temp = makeTempDirectory('verkosto-present-');
let browser: Browser;
let hostProcess: HostProcess;
let page: Page;
let consoleErrors: string[];

beforeAll(async () => {
  hostProcess = await startHostProcess({ dataDirectory: temp.path });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
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

describe('presentation mode', () => {
  it('shows the map full screen with large KPI cards and hides the editing chrome', async () => {
    await page.getByTestId('present').click();
    await page.getByTestId('presentation').waitFor();
    await expect.poll(() => page.getByTestId('present-utilisation').innerText(), { timeout: 30_000 }).toMatch(/%/);
    expect(await page.getByTestId('layer-panel').isVisible()).toBe(false);
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

  it('leaves with Esc', async () => {
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('presentation').count()).toBe(0);
    expect(await page.getByTestId('layer-panel').isVisible()).toBe(true);
  });

  it('produced no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
