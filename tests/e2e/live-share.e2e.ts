// The live workshop, end to end in Chromium: the facilitator opens the sample and starts sharing; a second
// browser context joins through the share address as a participant, follows the facilitator's view within a
// second, leaves a comment the facilitator then sees; the participant cannot call a mutating method; stopping
// the share ends the participant's session.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectConsoleErrors, screenshot } from './support/browser';
import { openSampleSession, type SampleSession } from './support/sample-session';

const OFFLINE_BASEMAP = [/tile\.openstreetmap\.org/];
let session: SampleSession;
let facilitator: Page;
let participantContext: BrowserContext;
let participant: Page;
let shareUrl: string;
const errors: string[][] = [];

type VerkostoWindow = { __verkosto?: { map: { getView(): { getResolution(): number; getCenter(): number[] } }; isReady(): boolean } };
const resolutionOf = (page: Page) => page.evaluate(() => (window as unknown as VerkostoWindow).__verkosto!.map.getView().getResolution());

beforeAll(async () => {
  session = await openSampleSession({ prefix: 'verkosto-live-', viewport: { width: 1440, height: 900 } });
  facilitator = session.page;
  errors.push(session.consoleErrors);
}, 120_000);

afterAll(async () => session?.close());

describe('live workshop view', () => {
  it('the facilitator starts sharing on the loopback interface and gets an address and a QR code', async () => {
    await facilitator.getByTestId('share').click();
    await facilitator.getByTestId('share-address').selectOption('127.0.0.1');
    await facilitator.getByTestId('share-allow-comments').check();
    await facilitator.getByTestId('share-start').click();
    await facilitator.getByTestId('share-qr').waitFor();
    shareUrl = (await facilitator.getByTestId('share-url').innerText()).trim();
    expect(shareUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(new URL(shareUrl).port).not.toBe(String(session.hostProcess.port));
    await screenshot(facilitator, '10-share-dialog');
  });

  it('a participant joins through the address and sees the map, read-only', async () => {
    participantContext = await session.browser.newContext({ viewport: { width: 1024, height: 700 } });
    participant = await participantContext.newPage();
    errors.push(collectConsoleErrors(participant, OFFLINE_BASEMAP));
    await participant.goto(shareUrl);
    await participant.getByTestId('participant-view').waitFor();
    await participant.waitForFunction(() => (window as unknown as VerkostoWindow).__verkosto?.isReady() === true, null, { timeout: 60_000 });
    expect(await participant.getByTestId('save-as').count()).toBe(0);
    expect(await participant.getByTestId('share').count()).toBe(0);
    await expect.poll(() => facilitator.getByTestId('share-participants').innerText()).toMatch(/1/);
  });

  it("follows the facilitator's zoom within a second", async () => {
    await facilitator.keyboard.press('Escape'); // close the dialog
    const before = await resolutionOf(facilitator);
    await facilitator.locator('.ol-zoom-in').click();
    // The zoom animates; the change is done when the facilitator's view stops moving.
    let target = before;
    await expect
      .poll(async () => {
        const previous = target;
        target = await resolutionOf(facilitator);
        return target < before * 0.75 && target === previous;
      }, { interval: 100 })
      .toBe(true);
    const settled = Date.now();
    await expect.poll(() => resolutionOf(participant), { timeout: 1_000, interval: 50 }).toBeCloseTo(target, 3);
    expect(Date.now() - settled).toBeLessThan(1_000);
    // The facilitator's analysis follows as city totals and catchment colours, never counts per area.
    await expect.poll(() => participant.getByTestId('participant-utilisation').innerText(), { timeout: 10_000 }).toMatch(/\d+\s?%/);
    await screenshot(participant, '11-participant-following');
  });

  it('the participant leaves a comment pin, and the facilitator sees it', async () => {
    await participant.getByTestId('add-comment').click();
    const box = (await participant.getByTestId('map').boundingBox())!;
    await participant.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await participant.getByTestId('comment-text').fill('Koulumatka ylittää vilkkaan kadun <b>ilman</b> valoja');
    await participant.getByTestId('comment-author').fill('Vanhempi');
    await screenshot(participant, '12-participant-comment');
    await participant.getByTestId('comment-send').click();
    await facilitator.getByTestId('share').click();
    await expect.poll(() => facilitator.getByTestId('share-comments').innerText(), { timeout: 2_000 }).toContain('Koulumatka ylittää vilkkaan kadun <b>ilman</b> valoja');
    expect(await facilitator.locator('[data-testid="share-comments"] b').count()).toBe(0); // text, not markup
    await screenshot(facilitator, '13-facilitator-sees-comment');
  });

  it("the participant's attempt to call a mutating method is refused", async () => {
    const answer = await participant.evaluate(async () => {
      const token = sessionStorage.getItem('verkosto.token');
      const socket = new WebSocket(`ws://${location.host}/api?token=${token}`);
      await new Promise((resolve) => (socket.onopen = resolve));
      const reply = new Promise<string>((resolve) => (socket.onmessage = (event) => resolve(String(event.data))));
      socket.send(JSON.stringify({ id: 1, method: 'runCommand', args: { command: { type: 'setting.set', key: 'project.name', value: 'Kaapattu' } } }));
      const text = await reply;
      socket.close();
      return JSON.parse(text) as { ok: boolean; error?: { code: string } };
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await facilitator.getByTestId('project-name').innerText()).not.toBe('Kaapattu');
  });

  it('stopping the share ends the participant session', async () => {
    await facilitator.getByTestId('share-stop').click();
    await facilitator.getByTestId('share-start').waitFor();
    await participant.getByTestId('connection-notice').waitFor({ timeout: 5_000 });
    await screenshot(participant, '14-participant-ended');
  });

  it('produced no console errors', () => {
    // The participant's page logs its dropped WebSocket when the share ends; nothing else.
    const unexpected = errors.flat().filter((text) => !/WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/api\?token=.*' failed/.test(text));
    expect(unexpected).toEqual([]);
  });
});
