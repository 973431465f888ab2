// The attribute table and the facility form end to end in Chromium: a numeric cell is edited in place
// (a bad value is refused on the spot with its message, a good one is stored — read back from the file),
// rows are multi-selected with Ctrl and Shift (and Shift+click on the map adds to the same selection), and
// saving the facility form changes attributes and services as one command that one Ctrl+Z takes back.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSampleProject } from '../../electron/services/sample/build-sample';
import type { PointGeometry } from '../../shared/geo/geometry';
import { decodeGeoPackageGeometry } from '../../shared/geo/gpkg-geometry';
import { makeTempDirectory } from '../support/temp-directory';
import { collectConsoleErrors, launchChromium, screenshot } from './support/browser';
import { EditingPage, editLogSize, readProjectFile } from './support/editing-page';
import { startHostProcess, type HostProcess } from './support/node-host-process';

const temp = makeTempDirectory('verkosto-e2e-attributes-');
const projectFile = path.join(temp.path, 'helsinki.gpkg');

let browser: Browser;
let host: HostProcess;
let page: Page;
let editing: EditingPage;
let consoleErrors: string[];

interface FacilityRow {
  fid: number;
  name_fi: string;
  floor_area_m2: number | null;
}

function facilities(): FacilityRow[] {
  return readProjectFile(projectFile, (db) => db.prepare('SELECT fid, name_fi, floor_area_m2 FROM facilities ORDER BY fid').all() as FacilityRow[]);
}

function facility(fid: number): FacilityRow {
  return facilities().find((f) => f.fid === fid)!;
}

function services(fid: number): { service: string; capacity: number | null }[] {
  return readProjectFile(projectFile, (db) => db.prepare('SELECT service, capacity FROM facility_services WHERE facility_fid = ? ORDER BY service').all(fid) as { service: string; capacity: number | null }[]);
}

/** Features in the map's selection highlight layer. */
function highlighted(): Promise<number> {
  return page.evaluate(() => {
    const layer = window.__verkosto!.map.getLayers().getArray().find((l) => l.get('key') === 'highlight') as unknown as { getSource(): { getFeatures(): unknown[] } };
    return layer.getSource().getFeatures().length;
  });
}

function row(fid: number) {
  return page.locator(`[data-testid=table-row][data-fid="${fid}"]`);
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

describe('attribute table and facility form', () => {
  it('edits a numeric cell in place: a bad value is refused with a message, a good one is in the file', async () => {
    const target = facilities().find((f) => f.floor_area_m2 != null && f.name_fi.includes('ala-aste'))!;
    expect(target).toBeDefined();
    await page.getByTestId('table-toggle').click();
    await page.getByTestId('table-filter').fill(target.name_fi);
    await row(target.fid).waitFor();
    const log = editLogSize(projectFile);
    const cell = row(target.fid).locator('td[data-column=floor_area_m2]');
    await cell.dblclick();
    const input = row(target.fid).getByRole('textbox', { name: 'Kerrosala m²' });
    await input.fill('-40');
    await page.getByTestId('cell-error').waitFor();
    expect(await page.getByTestId('cell-error').textContent()).toBe('Anna luku, joka on vähintään 0 (esim. 1 200,5)');
    await input.press('Enter');
    await screenshot(page, 'editing-15-table-cell-invalid');
    await page.waitForTimeout(300);
    expect(editLogSize(projectFile)).toBe(log); // nothing was sent
    await input.fill('4 321,5');
    await input.press('Enter');
    await editing.until(() => facility(target.fid).floor_area_m2, (value) => value === 4321.5, 'the edited floor area');
    expect(editLogSize(projectFile)).toBe(log + 1);
    await expect.poll(async () => (await cell.textContent())?.replace(/\s/g, ' ')).toBe('4 321,5');
    await screenshot(page, 'editing-16-table-cell-saved');

    // An enum column is a list: the status changes with one pick.
    await row(target.fid).locator('td[data-column=status]').dblclick();
    await row(target.fid).getByRole('combobox').selectOption('planned');
    await editing.until(() => readProjectFile(projectFile, (db) => (db.prepare('SELECT status FROM facilities WHERE fid = ?').get(target.fid) as { status: string }).status), (status) => status === 'planned', 'the status');
    // Each cell edit is its own undo step.
    await page.getByTestId('undo').click();
    await editing.until(() => readProjectFile(projectFile, (db) => (db.prepare('SELECT status FROM facilities WHERE fid = ?').get(target.fid) as { status: string }).status), (status) => status !== 'planned', 'the undo of the status');
    expect(facility(target.fid).floor_area_m2).toBe(4321.5);
  });

  it('multi-selects rows with Ctrl and Shift; Shift+click on the map adds to the same selection', async () => {
    await page.getByTestId('table-filter').fill('ala-aste');
    const rows = page.getByTestId('table-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(6);
    const fids = (await rows.evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-fid'))))).slice(0, 6);
    await rows.nth(0).click();
    await rows.nth(2).click({ modifiers: ['Control'] });
    await expect.poll(() => page.getByTestId('table-picked').textContent()).toContain('2 valittuna');
    await rows.nth(5).click({ modifiers: ['Shift'] });
    await expect.poll(() => page.getByTestId('table-picked').textContent()).toContain('4 valittuna'); // rows 2–5
    const selected = await rows.evaluateAll((items) => items.filter((item) => item.getAttribute('aria-selected') === 'true').map((item) => Number(item.getAttribute('data-fid'))));
    expect(selected).toEqual([fids[0], fids[2], fids[3], fids[4], fids[5]]); // the clicked row stays selected
    // The map highlights the selected row and the four picked ones.
    await expect.poll(() => highlighted()).toBe(5);
    await screenshot(page, 'editing-17-table-multiselect');

    // Shift+click on the map: a facility not in the list joins the multi-selection (the table shows it).
    const other = facilities().find((f) => !fids.includes(f.fid) && f.name_fi.includes('ala-aste'))!;
    const point = readProjectFile(projectFile, (db) => decodeGeoPackageGeometry((db.prepare('SELECT geom FROM facilities WHERE fid = ?').get(other.fid) as { geom: Uint8Array }).geom)!.geometry as PointGeometry).coordinates;
    await page.evaluate(([x, y]) => {
      const map = window.__verkosto!.map;
      // Padding keeps the facility above the attribute table, which covers the lower part of the map.
      map.getView().fit([x! - 300, y! - 300, x! + 300, y! + 300], { size: map.getSize(), padding: [60, 60, 360, 200] });
      map.renderSync();
    }, point);
    await page.waitForTimeout(300);
    const screen = await editing.pixel(point);
    // The spot is the map's own canvas, not a panel over it.
    expect(await page.evaluate(([x, y]) => (window.__verkosto!.map.getViewport() as HTMLElement).contains(document.elementFromPoint(x!, y!)), screen)).toBe(true);
    await page.keyboard.down('Shift');
    await page.mouse.click(screen[0], screen[1]);
    await page.keyboard.up('Shift');
    await expect.poll(() => page.getByTestId('table-picked').textContent()).toContain('5 valittuna');
    await expect.poll(() => row(other.fid).getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('table-picked').getByRole('button').click();
    await expect.poll(() => page.getByTestId('table-picked').count()).toBe(0);
  });

  it('the facility form saves attributes and services as one step: one Ctrl+Z restores both', async () => {
    const target = facilities().find((f) => services(f.fid).length > 0 && f.name_fi.includes('ala-aste'))!;
    const servicesBefore = services(target.fid);
    const service = servicesBefore[0]!.service;
    await page.getByTestId('table-filter').fill(target.name_fi);
    await row(target.fid).click();
    await page.getByTestId('edit-facility').click();
    await page.getByTestId('facility-form').waitFor();
    await expect.poll(() => page.getByTestId('facility-name-fi').inputValue()).toBe(target.name_fi);
    const log = editLogSize(projectFile);
    await page.getByTestId('facility-name-fi').fill(`${target.name_fi} (uusi)`);
    await page.getByTestId(`capacity-${service}`).fill('777');
    await page.getByTestId('facility-save').click();
    await page.getByTestId('facility-form').waitFor({ state: 'detached' });
    await editing.until(() => [facility(target.fid).name_fi, services(target.fid).find((s) => s.service === service)?.capacity], ([name, capacity]) => name === `${target.name_fi} (uusi)` && capacity === 777, 'the form save');
    expect(editLogSize(projectFile)).toBe(log + 1);

    await page.locator('body').click({ position: { x: 5, y: 880 } });
    await page.keyboard.press('Control+z');
    await editing.until(() => facility(target.fid).name_fi, (name) => name === target.name_fi, 'one undo of the form');
    expect(services(target.fid)).toEqual(servicesBefore);
    expect(consoleErrors).toEqual([]);
  });
});
