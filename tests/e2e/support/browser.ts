/**
 * Drives Debian's Chromium with playwright-core (no browser download): the launch flags keep it from
 * reaching for the network this machine does not have.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.VERKOSTO_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIRECTORY = path.resolve('test-results', 'screenshots');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium (or set VERKOSTO_CHROMIUM)`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}

/** Collects console errors and page errors; requests to the online basemap are expected to fail offline. */
export function collectConsoleErrors(page: Page, ignore: RegExp[] = []): string[] {
  const errors: string[] = [];
  const ignored = (text: string) => ignore.some((pattern) => pattern.test(text));
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const where = message.location()?.url ?? '';
    const text = `${message.text()} ${where}`;
    if (!ignored(text)) errors.push(text);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) => {
    const text = `requestfailed: ${request.url()} ${request.failure()?.errorText ?? ''}`;
    if (!ignored(text)) errors.push(text);
  });
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIRECTORY, { recursive: true });
  const file = path.join(SCREENSHOT_DIRECTORY, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
