/** The analysis bar's year slider, moved with the keyboard as a user would. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Moves the year slider with the keyboard until it shows the year. */
export async function slideToYear(target: Page, year: number): Promise<void> {
  // The slider has its years once the analysis has loaded (slower on a busy machine).
  await expect.poll(async () => (await target.getByTestId('analysis-year').innerText()).trim(), { timeout: 60_000 }).toMatch(/^\d{4}$/);
  const slider = target.getByTestId('year-slider');
  const shown = async () => (await target.getByTestId('analysis-year').innerText()).trim();
  await slider.focus();
  await target.keyboard.press('Home');
  for (let step = 0; step < 60; step += 1) {
    // Each key press is answered by a re-render: give it a moment before reading.
    for (let wait = 0; wait < 10 && (await shown()) !== String(year); wait += 1) await target.waitForTimeout(50);
    if ((await shown()) === String(year)) return;
    await target.keyboard.press('ArrowRight');
  }
  throw new Error(`the year slider never showed ${year}`);
}
