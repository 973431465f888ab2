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
let expandedFid = 0;

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

/** Clicks open schools that serve a Finnish grades 1–6 catchment until one is selected as a facility; returns its fid. */
async function selectSchool(exclude: number[]): Promise<number> {
  await page.waitForFunction(() => (window as unknown as { __verkosto?: { isReady(): boolean } }).__verkosto?.isReady() === true, null, { timeout: 30_000 });
  const db = new Database(path.join(session.dataDirectory, 'sample', 'helsinki-sample.gpkg'), { readonly: true });
  const candidates = db
    // Open in every year of the sample, so that a capacity difference between years comes from the change alone.
    .prepare("SELECT f.fid FROM facilities f JOIN catchments c ON c.facility_fid = f.fid WHERE c.service = 'grades_1_6' AND c.language = 'fi' AND f.status = 'active' AND f.opens_year IS NULL AND f.closes_year IS NULL ORDER BY f.fid")
    .all() as { fid: number }[];
  const everyFacility = (db.prepare('SELECT fid FROM facilities').all() as { fid: number }[]).map((row) => row.fid);
  db.close();
  const targets = await page.evaluate(
    ([fids, all]) => {
      const api = (window as unknown as { __verkosto: { pixelOf(layer: string, fid: number): [number, number] | null } }).__verkosto;
      const others = all.map((fid) => ({ fid, pixel: api.pixelOf('facilities', fid) })).filter((entry) => entry.pixel);
      const box = document.querySelector('[data-testid="map"]')!.getBoundingClientRect();
      // Clear of the analysis bar on top, the tool column on the left, the option bars below, and other schools.
      return [...new Set(fids)]
        .map((fid) => ({ fid, pixel: api.pixelOf('facilities', fid) }))
        .filter(({ fid, pixel }) => pixel && pixel[0] > box.left + 120 && pixel[1] > box.top + 260 && pixel[0] < box.right - 60 && pixel[1] < box.bottom - 160 &&
          others.every((other) => other.fid === fid || Math.hypot(other.pixel![0] - pixel[0], other.pixel![1] - pixel[1]) > 14));
    },
    [candidates.map((row) => row.fid).filter((fid) => !exclude.includes(fid)), everyFacility] as const,
  );
  for (const target of targets.slice(0, 6)) {
    await page.mouse.click(target.pixel![0], target.pixel![1]);
    await page.waitForTimeout(300);
    if (await page.getByTestId('edit-attributes').isEnabled()) return target.fid;
  }
  throw new Error('no school could be selected on the map');
}

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
    closedFid = await selectSchool([]);
    await page.getByTestId('edit-attributes').click();
    await page.locator('select[name="status"]').selectOption('closed');
    const selectedName = await page.getByTestId('feature-name').innerText();
    await page.getByTestId('facility-save').click();
    const closedSchools = () => {
      const check = new Database(path.join(session.dataDirectory, 'sample', 'helsinki-sample.gpkg'), { readonly: true });
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

  it('expands another school from a given year in the scenario', async () => {
    expandedFid = await selectSchool([closedFid]);
    await page.getByTestId('edit-attributes').click();
    // The form loads the school's services from the host: wait for its capacity before reading it.
    await expect.poll(() => page.getByTestId('capacity-grades_1_6').inputValue()).toMatch(/^\d+$/);
    const capacity = Number(await page.getByTestId('capacity-grades_1_6').inputValue());
    await page.getByTestId('change-year-grades_1_6').fill('2018');
    await page.getByTestId('change-capacity-grades_1_6').fill(String(capacity + 200));
    await screenshot(page, '22b-capacity-change');
    await page.getByTestId('facility-save').click();
    const stored = () => {
      const db = new Database(path.join(session.dataDirectory, 'sample', 'helsinki-sample.gpkg'), { readonly: true });
      try {
        return db.prepare("SELECT capacity_change_year AS year, capacity_after_change AS after FROM facility_services WHERE facility_fid = ? AND service = 'grades_1_6'").get(expandedFid);
      } finally {
        db.close();
      }
    };
    await expect.poll(stored).toEqual({ year: 2018, after: capacity + 200 });
  });

  it('compares the scenario with the baseline side by side and shows the capacity it loses', async () => {
    await page.getByTestId('scenarios-manage').click();
    await page.getByTestId('scenario-changes').waitFor();
    await page.getByTestId('scenario-compare').click();
    await page.getByTestId('compare-view').waitFor();
    await expect.poll(() => page.getByTestId('compare-delta-capacity').innerText(), { timeout: 30_000 }).toMatch(/^−\d/);
    expect(await page.getByTestId('compare-facilities').innerText()).toMatch(/\d/);
    // Capacity by year (the sample's population years 2015 and 2019): the closed school's places are gone in
    // both, the expansion's 200 places count from 2018 on.
    const rows = (await page.getByTestId('compare-years').locator('tbody tr').allInnerTexts()).map((text) => text.split('\t'));
    const capacityDelta = (year: string) => Number(rows.find((cells) => cells[0] === year)![6]!.replace('−', '-').replace(/\s/g, '').replace('±', ''));
    expect(rows.map((cells) => cells[0])).toEqual(['2015', '2019']);
    expect(capacityDelta('2019') - capacityDelta('2015')).toBe(200);
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
