// Scenarios in Chromium: create a scenario from the workspace, see it in the switcher, switch back to the
// baseline and to the scenario again; the scenario is stored in the project file.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/browser';
import { openSampleSession, type SampleSession } from './support/sample-session';

let session: SampleSession;
let page: Page;
let consoleErrors: string[];
let closedFid = 0;

beforeAll(async () => {
  session = await openSampleSession({ prefix: 'verkosto-scenario-e2e-', viewport: { width: 1440, height: 900 } });
  ({ page, consoleErrors } = session);
});

afterAll(async () => session?.close());

const activeScenario = () => {
  const db = new Database(path.join(session.dataDirectory, 'sample', 'helsinki-sample.gpkg'), { readonly: true });
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

  it('closes a school in the scenario through the facility form', async () => {
    await page.waitForFunction(() => (window as unknown as { __verkosto?: { isReady(): boolean } }).__verkosto?.isReady() === true, null, { timeout: 30_000 });
    const sampleFile = path.join(session.dataDirectory, 'sample', 'helsinki-sample.gpkg');
    const db = new Database(sampleFile, { readonly: true });
    const candidates = db
      .prepare("SELECT f.fid FROM facilities f JOIN catchments c ON c.facility_fid = f.fid WHERE c.service = 'grades_1_6' AND c.language = 'fi' ORDER BY f.fid")
      .all() as { fid: number }[];
    db.close();
    const targets = await page.evaluate((fids) => {
      const api = (window as unknown as { __verkosto: { pixelOf(layer: string, fid: number): [number, number] | null } }).__verkosto;
      const all = [...new Set(fids)].map((fid) => ({ fid, pixel: api.pixelOf('facilities', fid) })).filter((entry) => entry.pixel);
      const box = document.querySelector('[data-testid="map"]')!.getBoundingClientRect();
      // Clear of the analysis bar on top, the tool column on the left and the option bars below.
      return all.filter(({ pixel }) => pixel![0] > box.left + 120 && pixel![1] > box.top + 260 && pixel![0] < box.right - 60 && pixel![1] < box.bottom - 160 &&
        all.every((other) => other.pixel === pixel || Math.hypot(other.pixel![0] - pixel![0], other.pixel![1] - pixel![1]) > 14));
    }, candidates.map((row) => row.fid));
    // Click schools until one is selected as a facility (a point drawn under a label may give its catchment).
    for (const target of targets.slice(0, 6)) {
      await page.mouse.click(target.pixel![0], target.pixel![1]);
      await page.waitForTimeout(300);
      if (await page.getByTestId('edit-attributes').isEnabled()) {
        closedFid = target.fid;
        break;
      }
    }
    expect(closedFid).toBeGreaterThan(0);
    await page.getByTestId('edit-attributes').click();
    await page.locator('select[name="status"]').selectOption('closed');
    const selectedName = await page.getByTestId('feature-name').innerText();
    await page.getByTestId('facility-save').click();
    const closedSchools = () => {
      const check = new Database(sampleFile, { readonly: true });
      const rows = check.prepare("SELECT fid, name_fi FROM facilities WHERE status = 'closed'").all() as { fid: number; name_fi: string }[];
      check.close();
      return rows;
    };
    await expect.poll(() => closedSchools().map((row) => row.name_fi)).toEqual([selectedName]);
    closedFid = closedSchools()[0]!.fid;
  });

  it('a transport limit changed in the scenario belongs to the scenario only', async () => {
    const transport = 'analysis.grades_1_6.freeTransportKm';
    await page.getByTestId('analysis-settings-open').click();
    await page.getByTestId('analysis-settings').waitFor();
    expect(await page.getByTestId('settings-scope').innerText()).toContain('Kallion koulu suljetaan 2027');
    await page.getByTestId(`setting-${transport}`).fill('1');
    await screenshot(page, '22a-scenario-settings');
    await page.getByTestId('analysis-settings-save').click();
    await page.getByTestId('analysis-settings').waitFor({ state: 'detached' });
    const storedLimit = () => {
      const db = new Database(path.join(session.dataDirectory, 'sample', 'helsinki-sample.gpkg'), { readonly: true });
      try {
        const row = db.prepare('SELECT value FROM verkosto_settings WHERE key = ?').get(transport) as { value: string } | undefined;
        return row ? JSON.parse(row.value) : null;
      } finally {
        db.close();
      }
    };
    await expect.poll(storedLimit).toBe(1);
    // What changed lists it in words, with the value before and after.
    await page.getByTestId('scenarios-manage').click();
    await expect.poll(() => page.getByTestId('scenario-changes').innerText()).toMatch(/Maksuttoman kuljetuksen raja \(Vuosiluokat 1–6\): (oletus|\d+ km) → 1 km/);
    await page.keyboard.press('Escape');
    // The baseline keeps its own limit.
    await page.getByTestId('scenario-select').selectOption('0');
    await expect.poll(storedLimit).not.toBe(1);
    await page.getByTestId('scenario-select').selectOption('1');
    await expect.poll(storedLimit).toBe(1);
  });

  it('compares the scenario with the baseline side by side and shows the capacity it loses', async () => {
    await page.getByTestId('scenarios-manage').click();
    await page.getByTestId('scenario-changes').waitFor();
    await page.getByTestId('scenario-compare').click();
    await page.getByTestId('compare-view').waitFor();
    await expect.poll(() => page.getByTestId('compare-delta-capacity').innerText(), { timeout: 30_000 }).toMatch(/^−\d/);
    expect(await page.getByTestId('compare-facilities').innerText()).toMatch(/\d/);
    // The shorter transport limit of the scenario shows in the share over the limit.
    await expect.poll(async () => (await page.getByTestId('compare-over-limit-b').innerText()) !== (await page.getByTestId('compare-over-limit-a').innerText()), { timeout: 30_000 }).toBe(true);
    await page.waitForTimeout(500);
    await screenshot(page, '23-compare');
    // Swipe: B lies over A and is cut at the divider, which the mouse drags.
    await page.getByTestId('compare-layout-swipe').click();
    const boxA = (await page.getByTestId('compare-map-a').boundingBox())!;
    const boxB = (await page.getByTestId('compare-map-b').boundingBox())!;
    expect(Math.abs(boxA.x - boxB.x) + Math.abs(boxA.y - boxB.y) + Math.abs(boxA.width - boxB.width)).toBeLessThan(2);
    const handle = (await page.getByTestId('compare-swipe').boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(boxA.x + boxA.width * 0.25, handle.y + handle.height / 2, { steps: 8 });
    await page.mouse.up();
    await expect.poll(async () => Number(await page.getByTestId('compare-swipe').getAttribute('aria-valuenow'))).toBeLessThan(30);
    expect(await page.getByTestId('compare-figure-b').evaluate((element) => getComputedStyle(element).clipPath)).toMatch(/inset\(0(px)? 0(px)? 0(px)? 2\d/);
    await page.getByTestId('compare-swipe').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => Number(await page.getByTestId('compare-swipe').getAttribute('aria-valuenow'))).toBeGreaterThan(25);
    await page.waitForTimeout(300);
    await screenshot(page, '23a-compare-swipe');
    await page.getByTestId('compare-layout-side').click();
    await page.keyboard.press('Escape');
    // Back on the baseline, the school is open again.
    await page.getByTestId('scenario-select').selectOption('0');
    await expect.poll(() => {
      const check = new Database(path.join(session.dataDirectory, 'sample', 'helsinki-sample.gpkg'), { readonly: true });
      const row = check.prepare('SELECT status FROM facilities WHERE fid = ?').get(closedFid) as { status: string };
      check.close();
      return row.status;
    }).toBe('active');
    await page.getByTestId('scenario-select').selectOption('1');
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
