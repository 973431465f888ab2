// Repair with the user's consent, end to end with real mouse events: a catchment is deleted, a bow-tie (a
// ring that crosses itself) is drawn into the hole, the host refuses it and the repair dialog says why.
// Cancel leaves the file exactly as it was; "Repair and save" stores a valid two-part catchment (read back
// from the file with a fresh connection) as one command that one Ctrl+Z takes back.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSampleProject } from '../../electron/services/sample/build-sample';
import type { MultiPolygonGeometry, Position } from '../../shared/geo/geometry';
import { envelopeOf } from '../../shared/geo/geometry';
import { polygonArea, polygonProblem, toJsts } from '../../shared/geo/polygon-edit';
import { makeTempDirectory } from '../support/temp-directory';
import { collectConsoleErrors, launchChromium, screenshot } from './support/browser';
import { EditingPage, editLogSize, readCatchments, readProjectFile, type CatchmentRow } from './support/editing-page';
import { startHostProcess, type HostProcess } from './support/node-host-process';

const temp = makeTempDirectory('verkosto-e2e-repair-');
const projectFile = path.join(temp.path, 'helsinki.gpkg');

let browser: Browser;
let host: HostProcess;
let page: Page;
let editing: EditingPage;
let consoleErrors: string[];

/** A point at least 70 m inside the catchment, so an 80 m bow-tie around it stays in its hole. */
function deepInside(geometry: MultiPolygonGeometry): Position {
  const inner = toJsts(geometry).buffer(-70);
  const point = (inner.isEmpty() ? toJsts(geometry) : inner).getInteriorPoint();
  return [point.getX(), point.getY()];
}

beforeAll(async () => {
  await buildSampleProject(projectFile);
  host = await startHostProcess({ dataDirectory: path.join(temp.path, 'data'), projectFile });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  consoleErrors = collectConsoleErrors(page, [/tile\.openstreetmap\.org/, /ERR_NAME_NOT_RESOLVED/]);
  editing = new EditingPage(page, projectFile);
  await editing.open(host.url);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  temp.remove();
});

describe('repair with consent, real mouse on the map', () => {
  let hole: CatchmentRow;

  /** Draws a bow-tie of 80 m around the point with four clicks and Enter. */
  async function drawBowTie(centre: Position): Promise<void> {
    const h = 40;
    const corners: Position[] = [
      [centre[0] - h, centre[1] - h],
      [centre[0] + h, centre[1] + h],
      [centre[0] + h, centre[1] - h],
      [centre[0] - h, centre[1] + h],
    ];
    await page.keyboard.press('d');
    for (const corner of corners) {
      const p = await editing.pixel(corner);
      await page.mouse.click(p[0], p[1]);
      await page.waitForTimeout(320);
    }
    await page.keyboard.press('Enter');
  }

  it('deletes a catchment to leave a hole', async () => {
    const list = readCatchments(projectFile);
    const candidate = list.filter((c) => !c.locked && !toJsts(c.geometry).buffer(-70).isEmpty()).sort((a, b) => polygonArea(a.geometry) - polygonArea(b.geometry))[5]!;
    await editing.view(envelopeOf(candidate.geometry)!, 0.3);
    await page.getByTestId('tool-select').click();
    const at = await editing.pixel(editing.clearPointInside(candidate.geometry));
    await page.mouse.click(at[0], at[1]);
    await expect.poll(() => page.getByTestId('delete').isEnabled()).toBe(true);
    await page.keyboard.press('Delete');
    const remaining = await editing.until(() => readCatchments(projectFile), (now) => now.length === list.length - 1, 'the delete');
    hole = list.find((c) => !remaining.some((r) => r.fid === c.fid))!;
    expect(hole).toBeDefined();
    await editing.settled();
  });

  it('a bow-tie is refused with the repair dialog; Cancel leaves the file unchanged', async () => {
    const centre = deepInside(hole.geometry);
    await editing.view({ minX: centre[0] - 120, minY: centre[1] - 120, maxX: centre[0] + 120, maxY: centre[1] + 120 }, 0);
    await page.getByTestId('snapping').uncheck();
    const before = { catchments: readCatchments(projectFile).length, log: editLogSize(projectFile) };
    await drawBowTie(centre);
    const dialog = page.getByTestId('repair-dialog');
    await dialog.waitFor();
    // It says what was wrong (the boundary crosses itself) and what the repair gives (two parts).
    await expect.poll(() => dialog.textContent()).toContain('reunaviiva leikkaa itseään');
    await expect.poll(() => page.getByTestId('repair-result').textContent()).toContain('2 osaa');
    await screenshot(page, 'editing-13-repair-dialog');
    await page.getByTestId('repair-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForTimeout(500);
    expect({ catchments: readCatchments(projectFile).length, log: editLogSize(projectFile) }).toEqual(before);
  });

  it('"Repair and save" stores a valid two-part catchment as one command; one Ctrl+Z removes it', async () => {
    const centre = deepInside(hole.geometry);
    const before = readCatchments(projectFile);
    const log = editLogSize(projectFile);
    await drawBowTie(centre);
    await page.getByTestId('repair-dialog').waitFor();
    await page.getByTestId('repair-accept').click();
    const after = await editing.until(() => readCatchments(projectFile), (now) => now.length === before.length + 1, 'the repaired catchment');
    const created = after.find((c) => !before.some((b) => b.fid === c.fid))!;
    // Read back from the file: valid, both lobes of the bow-tie, about 2 × (80 × 40 / 2) m².
    expect(polygonProblem(created.geometry)).toBeNull();
    expect(created.geometry.coordinates).toHaveLength(2);
    expect(Math.abs(polygonArea(created.geometry) - 3200)).toBeLessThan(3200 * 0.03);
    expect(editLogSize(projectFile)).toBe(log + 1);
    const last = readProjectFile(projectFile, (db) => JSON.parse((db.prepare('SELECT command FROM verkosto_edit_log ORDER BY fid DESC LIMIT 1').get() as { command: string }).command) as { type: string });
    expect(last.type).toBe('catchment.create');
    await editing.settled();
    await screenshot(page, 'editing-14-repaired');

    await page.keyboard.press('Control+z');
    await editing.until(() => readCatchments(projectFile), (now) => now.length === before.length, 'the undo of the repair');
    await page.getByTestId('snapping').check();
    expect(consoleErrors).toEqual([]);
  });
});
