// The workshop story of issue 6, end to end in Chromium with real mouse and keyboard: the planner creates the
// scenario "Sulje X", closes school X through its form, gives X's catchment to the neighbouring school (select
// Shift-click the neighbour's catchment and X's, merge), compares with the baseline and reads the deltas, starts
// sharing and enters presentation mode; a participant joins in a second browser context through the share
// address, sees the facilitator's next change (closing the neighbour on the spot) within a second, posts a
// comment the facilitator then sees, and is refused when calling a mutating method. Every edit is checked in
// the project file itself.
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../../shared/geo/geometry';
import { polygonArea } from '../../shared/geo/polygon-edit';
import { collectConsoleErrors, screenshot } from './support/browser';
import { clearPointInside, fitView, readCatchments, readFacilityPoints, readProject, screenPixel, sharedBorderLength, type CatchmentRow } from './support/map-helpers';
import { openSampleSession, type SampleSession } from './support/sample-session';

let session: SampleSession;
let page: Page;
let file: string;
let participantContext: BrowserContext;
let participant: Page;
let participantErrors: string[] = [];
let shareUrl = '';
let closing: CatchmentRow; // X's catchment
let receiving: CatchmentRow; // the neighbour's catchment, which takes X's area
let closingName = '';
let receivingName = '';
let scenarioName = '';

const catchmentsNow = () => readCatchments(file, 'grades_1_6', 'fi');
const statusOf = (fid: number) => readProject(file, (db) => (db.prepare('SELECT status FROM facilities WHERE fid = ?').get(fid) as { status: string }).status);

beforeAll(async () => {
  session = await openSampleSession({ prefix: 'verkosto-workshop-', viewport: { width: 1440, height: 900 } });
  page = session.page;
  file = path.join(session.dataDirectory, 'sample', 'helsinki-sample.gpkg');
}, 120_000);

afterAll(async () => session?.close());

/** Pairs of neighbouring catchments of different schools, each school serving only its own catchment of the set. */
function neighbourPairs(): [CatchmentRow, CatchmentRow][] {
  const list = catchmentsNow().filter((row) => row.facility_fid !== null && row.locked === 0 && row.geometry.coordinates.length === 1);
  const servedBy = new Map<number, number>();
  for (const row of catchmentsNow()) if (row.facility_fid !== null) servedBy.set(row.facility_fid, (servedBy.get(row.facility_fid) ?? 0) + 1);
  const pairs: [CatchmentRow, CatchmentRow][] = [];
  for (const a of list) {
    if (servedBy.get(a.facility_fid!) !== 1) continue;
    for (const b of list) {
      if (a === b || b.facility_fid === a.facility_fid || servedBy.get(b.facility_fid!) !== 1) continue;
      if (sharedBorderLength(a.geometry, b.geometry) > 400) pairs.push([a, b]);
    }
  }
  return pairs;
}

describe('the workshop story', () => {
  it('creates the scenario "Sulje X" from the scenario dialog', async () => {
    const facilities = readFacilityPoints(file);
    // The pair whose schools are easiest to click at the zoom that shows both catchments.
    for (const [x, n] of neighbourPairs().slice(0, 20)) {
      const ex = envelopeOf(x.geometry)!;
      const en = envelopeOf(n.geometry)!;
      await fitView(page, { minX: Math.min(ex.minX, en.minX), minY: Math.min(ex.minY, en.minY), maxX: Math.max(ex.maxX, en.maxX), maxY: Math.max(ex.maxY, en.maxY) }, [200, 60, 200, 170]);
      const pixels = await Promise.all([...facilities].map(async ([fid, entry]) => ({ fid, pixel: await screenPixel(page, entry.point) })));
      const isolated = (fid: number) => {
        const own = pixels.find((entry) => entry.fid === fid)!.pixel;
        return pixels.every((other) => other.fid === fid || Math.hypot(other.pixel[0] - own[0], other.pixel[1] - own[1]) > 18);
      };
      if (isolated(x.facility_fid!) && isolated(n.facility_fid!)) {
        closing = x;
        receiving = n;
        break;
      }
    }
    expect(closing).toBeDefined();
    closingName = facilities.get(closing.facility_fid!)!.name;
    receivingName = facilities.get(receiving.facility_fid!)!.name;
    scenarioName = `Sulje ${closingName}`;
    await page.getByTestId('scenarios-manage').click();
    await page.getByTestId('scenario-name').fill(scenarioName);
    await page.getByTestId('scenario-create').click();
    await expect.poll(() => page.getByTestId('scenario-select').inputValue()).toBe('1');
    await page.keyboard.press('Escape');
    expect(readProject(file, (db) => db.prepare('SELECT name FROM scenarios').all())).toEqual([{ name: scenarioName }]);
  });

  it('closes school X through its attribute form', async () => {
    const point = readFacilityPoints(file).get(closing.facility_fid!)!.point;
    const [x, y] = await screenPixel(page, point);
    await page.mouse.click(x, y);
    await expect.poll(() => page.getByTestId('edit-attributes').isEnabled()).toBe(true);
    expect(await page.getByTestId('feature-name').innerText()).toBe(closingName);
    await page.getByTestId('edit-attributes').click();
    await page.locator('select[name="status"]').selectOption('closed');
    await page.getByTestId('facility-save').click();
    await expect.poll(() => statusOf(closing.facility_fid!)).toBe('closed');
    await screenshot(page, 'workshop-01-closed');
  });

  it("gives X's catchment to the neighbouring school: Shift-click the neighbour's catchment and X's, merge", async () => {
    const facilityPoints = [...readFacilityPoints(file).values()].map((entry) => entry.point);
    const areaBefore = polygonArea(closing.geometry) + polygonArea(receiving.geometry);
    await page.getByTestId('tool-select').click();
    const inReceiving = await screenPixel(page, clearPointInside(receiving.geometry, facilityPoints, 14));
    const inClosing = await screenPixel(page, clearPointInside(closing.geometry, facilityPoints, 14));
    // Shift+click picks catchments for the merge; the first picked keeps its school.
    for (const [x, y] of [inReceiving, inClosing]) {
      await page.keyboard.down('Shift');
      await page.mouse.click(x, y);
      await page.waitForTimeout(350); // a single click is known only after the double-click time has passed
      await page.keyboard.up('Shift');
    }
    await expect.poll(() => page.getByTestId('merge').isEnabled()).toBe(true);
    await page.getByTestId('merge').click();
    await expect.poll(() => catchmentsNow().some((row) => row.fid === closing.fid), { timeout: 15_000 }).toBe(false);
    const merged = catchmentsNow().find((row) => row.fid === receiving.fid)!;
    expect(merged.facility_fid).toBe(receiving.facility_fid);
    expect(Math.abs(polygonArea(merged.geometry) - areaBefore)).toBeLessThan(1);
    await page.waitForTimeout(400);
    await screenshot(page, 'workshop-02-reassigned');
  });

  it('compares the scenario with the baseline and reads the deltas', async () => {
    await page.getByTestId('scenarios-manage').click();
    await expect.poll(() => page.getByTestId('scenario-changes').innerText()).toContain(closingName);
    await page.getByTestId('scenario-compare').click();
    await page.getByTestId('compare-view').waitFor();
    // X's places are gone from the network; its children now belong to the neighbour.
    await expect.poll(() => page.getByTestId('compare-delta-capacity').innerText(), { timeout: 30_000 }).toMatch(/^−\d/);
    const rows = page.getByTestId('compare-facilities').locator('tbody tr');
    await expect.poll(() => rows.filter({ hasText: receivingName }).count()).toBe(1);
    const receivingCells = await rows.filter({ hasText: receivingName }).locator('td').allInnerTexts();
    expect(receivingCells[2]).toMatch(/^\+\d/); // users B − A at the neighbour
    // Network totals for every year, each with the capacity X takes away.
    const years = await page.getByTestId('compare-years').locator('tbody tr').allInnerTexts();
    expect(years.length).toBeGreaterThan(1);
    for (const row of years) expect(row.split('\t')[6]).toMatch(/^−\d/);
    await page.waitForTimeout(400);
    await screenshot(page, 'workshop-03-compare');
    await page.keyboard.press('Escape');
    await page.getByTestId('compare-view').waitFor({ state: 'detached' });
  });

  it('starts sharing and enters presentation mode; a participant joins through the share address', async () => {
    await page.getByTestId('share').click();
    await page.getByTestId('share-address').selectOption('127.0.0.1');
    await page.getByTestId('share-allow-comments').check();
    await page.getByTestId('share-start').click();
    await page.getByTestId('share-qr').waitFor();
    shareUrl = (await page.getByTestId('share-url').innerText()).trim();
    await page.keyboard.press('Escape');
    await page.getByTestId('present').click();
    await page.getByTestId('presentation').waitFor();
    expect(await page.getByTestId('present-scenario').innerText()).toBe(scenarioName);

    participantContext = await session.browser.newContext({ viewport: { width: 1024, height: 700 } });
    participant = await participantContext.newPage();
    participantErrors = collectConsoleErrors(participant, [/tile\.openstreetmap\.org/]);
    await participant.goto(shareUrl);
    await participant.getByTestId('participant-view').waitFor();
    await participant.waitForFunction(() => (window as unknown as { __verkosto?: { isReady(): boolean } }).__verkosto?.isReady() === true, null, { timeout: 60_000 });
    await expect.poll(() => participant.getByTestId('participant-over-capacity').innerText(), { timeout: 15_000 }).toMatch(/\d/);
    await screenshot(page, 'workshop-04-presenting');
    await screenshot(participant, 'workshop-05-participant');
  });

  it("the participant sees the facilitator's next change within a second: the neighbour closed on the spot", async () => {
    const before = await participant.getByTestId('participant-over-capacity').innerText();
    const point = readFacilityPoints(file).get(receiving.facility_fid!)!.point;
    const [x, y] = await screenPixel(page, point);
    await page.mouse.click(x, y);
    await expect.poll(() => page.getByTestId('present-quick').innerText()).toContain(receivingName);
    await page.getByTestId('present-toggle-facility').click();
    const clicked = Date.now();
    await expect.poll(() => participant.getByTestId('participant-over-capacity').innerText(), { timeout: 1_000, interval: 50 }).not.toBe(before);
    expect(Date.now() - clicked).toBeLessThan(1_000);
    await expect.poll(() => statusOf(receiving.facility_fid!)).toBe('closed');
    await screenshot(participant, 'workshop-06-participant-follows');
  });

  it('the participant posts a comment, and the facilitator sees it', async () => {
    await participant.getByTestId('add-comment').click();
    const box = (await participant.getByTestId('map').boundingBox())!;
    await participant.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await participant.getByTestId('comment-text').fill(`Miten ${closingName} -koulun oppilaat pääsevät uuteen kouluun?`);
    await participant.getByTestId('comment-author').fill('Vanhempainyhdistys');
    await participant.getByTestId('comment-send').click();
    await page.keyboard.press('Escape'); // leave presentation mode to open the share dialog
    await page.getByTestId('share').click();
    await expect.poll(() => page.getByTestId('share-comments').innerText(), { timeout: 2_000 }).toContain(`Miten ${closingName} -koulun oppilaat pääsevät uuteen kouluun?`);
    const stored = readProject(file, (db) => db.prepare('SELECT text, author, scenario FROM comments').all());
    expect(stored).toEqual([{ text: `Miten ${closingName} -koulun oppilaat pääsevät uuteen kouluun?`, author: 'Vanhempainyhdistys', scenario: scenarioName }]);
    await screenshot(page, 'workshop-07-comment');
  });

  it("the participant's attempt to call a mutating method is refused, and the project is unchanged", async () => {
    const answer = await participant.evaluate(async () => {
      const token = sessionStorage.getItem('verkosto.token');
      const socket = new WebSocket(`ws://${location.host}/api?token=${token}`);
      await new Promise((resolve) => (socket.onopen = resolve));
      const reply = new Promise<string>((resolve) => (socket.onmessage = (event) => resolve(String(event.data))));
      socket.send(JSON.stringify({ id: 1, method: 'runCommand', args: { command: { type: 'facility.update', fid: 1, changes: { status: 'closed' } } } }));
      const text = await reply;
      socket.close();
      return JSON.parse(text) as { ok: boolean; error?: { code: string } };
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(statusOf(1)).not.toBe('closed');
  });

  it('produced no console errors', async () => {
    await participantContext?.close();
    expect(session.consoleErrors).toEqual([]);
    expect(participantErrors.filter((text) => !/WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/api\?token=.*' failed/.test(text))).toEqual([]);
  });
});
