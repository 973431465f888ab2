/**
 * The set-up most end-to-end files share: a fresh data folder, `verkosto serve`, Chromium, and the Helsinki
 * sample opened from the welcome screen with its map ready. Console errors are collected (the offline
 * OpenStreetMap basemap is expected to fail here).
 */
import type { Browser, Page } from 'playwright-core';
import { makeTempDirectory } from '../../support/temp-directory';
import { collectConsoleErrors, launchChromium } from './browser';
import { startHostProcess, type HostProcess } from './node-host-process';

export interface SampleSession {
  /** The host's data folder: the sample is at sample/helsinki-sample.gpkg, projects under projects/. */
  dataDirectory: string;
  browser: Browser;
  hostProcess: HostProcess;
  page: Page;
  consoleErrors: string[];
  close(): Promise<void>;
}

export interface SampleSessionOptions {
  prefix: string;
  viewport: { width: number; height: number };
  env?: Record<string, string>;
  /** For tests that download (the KPI table's CSV/XLSX export). */
  acceptDownloads?: boolean;
  /** Console errors expected beside the offline basemap's. */
  expectedConsoleErrors?: RegExp[];
}

export async function openSampleSession(options: SampleSessionOptions): Promise<SampleSession> {
  const temp = makeTempDirectory(options.prefix);
  const hostProcess = await startHostProcess({ dataDirectory: temp.path, ...(options.env ? { env: options.env } : {}) });
  const browser = await launchChromium();
  const page = await (await browser.newContext({ viewport: options.viewport, ...(options.acceptDownloads ? { acceptDownloads: true } : {}) })).newPage();
  const consoleErrors = collectConsoleErrors(page, [/tile\.openstreetmap\.org/, ...(options.expectedConsoleErrors ?? [])]);
  await page.goto(hostProcess.url);
  await page.getByTestId('open-sample').click();
  await page.waitForFunction(() => (window as unknown as { __verkosto?: { isReady(): boolean } }).__verkosto?.isReady() === true, null, { timeout: 60_000 });
  return {
    dataDirectory: temp.path,
    browser,
    hostProcess,
    page,
    consoleErrors,
    async close() {
      await browser.close();
      await hostProcess.stop();
      temp.remove();
    },
  };
}
