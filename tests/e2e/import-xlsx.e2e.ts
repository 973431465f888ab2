// End-to-end, as a planner would: open the Helsinki sample, import an XLSX of school capacities through
// the import dialog (upload, map its Finnish column names to Verkosto's attributes, preview), watch it
// finish, click one of the new schools on the map and read its capacity; then review a sync of a new
// version of the spreadsheet and apply it.
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { screenshot } from './support/browser';
import { openSampleSession, type SampleSession } from './support/sample-session';

let session: SampleSession;
let page: Page;
let consoleErrors: string[];
/** The host's data folder: the sample and the spreadsheets written for the test. */
let dataDirectory: string;

// Three schools in open spots of Helsinki, with capacities the city keeps in a spreadsheet.
const ROWS = [
  { Koulukoodi: 'X1', 'Koulun nimi': 'Kalasataman uusi koulu', Kieli: 'fi', Oppilaspaikat: 640, leveys: 60.1877, pituus: 24.9787 },
  { Koulukoodi: 'X2', 'Koulun nimi': 'Östersundoms skola', Kieli: 'sv', Oppilaspaikat: 310, leveys: 60.2493, pituus: 25.1862 },
  { Koulukoodi: 'X3', 'Koulun nimi': 'Kuninkaantammen koulu', Kieli: 'fi', Oppilaspaikat: 520, leveys: 60.2685, pituus: 24.8806 },
];

function writeWorkbook(file: string, rows: typeof ROWS): void {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.json_to_sheet(rows), 'Kapasiteetit');
  writeFileSync(file, XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }));
}

beforeAll(async () => {
  session = await openSampleSession({ prefix: 'verkosto-e2e-import-', viewport: { width: 1440, height: 900 } });
  ({ page, consoleErrors, dataDirectory } = session);
}, 120_000);

afterAll(async () => session?.close());

describe('importing an XLSX of school capacities', () => {
  it('imports, maps the fields and shows the capacity of a new school on the map', async () => {
    await page.getByTestId('workspace').waitFor({ timeout: 60_000 });

    const workbook = path.join(dataDirectory, 'kapasiteetit.xlsx');
    writeWorkbook(workbook, ROWS);
    await page.getByTestId('open-import').click();
    await page.getByTestId('import-dialog').waitFor();
    await page.getByTestId('import-file').setInputFiles(workbook);
    await page.getByTestId('import-map-name_fi').waitFor({ timeout: 20_000 });
    // lat/lon columns were recognised (leveys/pituus), so the CRS is WGS 84.
    expect(await page.getByTestId('import-crs').inputValue()).toBe('4326');
    // The user maps the spreadsheet's own column names.
    await page.getByTestId('import-map-code').selectOption('Koulukoodi');
    await page.getByTestId('import-map-name_fi').selectOption('Koulun nimi');
    await page.getByTestId('import-map-language').selectOption('Kieli');
    await page.getByTestId('import-map-service:grades_1_6:capacity').selectOption('Oppilaspaikat');
    // A wrong choice shows at once as a type problem in the row.
    await page.getByTestId('import-map-floor_area_m2').selectOption('Koulun nimi');
    await expect.poll(() => page.getByTestId('import-row-floor_area_m2').innerText(), { timeout: 10_000 }).toContain('⚠ 3');
    await page.getByTestId('import-map-floor_area_m2').selectOption('');
    await expect.poll(() => page.getByTestId('import-row-service:grades_1_6:capacity').innerText(), { timeout: 10_000 }).toContain('✓ 3');
    await expect.poll(() => page.locator('[data-testid="import-preview-map"] circle').count(), { timeout: 10_000 }).toBe(3);
    await screenshot(page, 'import-00-dialog');
    await page.getByTestId('import-mapping-name').fill('Koulujen kapasiteetit');
    await page.getByTestId('import-detail-licence').fill('Kaupungin sisäinen');
    await expect.poll(() => page.locator('[data-testid="import-preview-map"] circle').count(), { timeout: 10_000 }).toBe(3);
    await screenshot(page, 'import-01-mapping');
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-result').innerText()).toContain('Tuotiin 3 kohdetta');
    await screenshot(page, 'import-02-done');
    await page.getByTestId('import-close').click();

    // Provenance in the layer panel.
    await expect.poll(() => page.getByTestId('imported-sources').innerText(), { timeout: 10_000 }).toContain('kapasiteetit.xlsx');
    expect(await page.getByTestId('imported-sources').innerText()).toContain('Kaupungin sisäinen');
    await page.getByTestId('imported-sources').scrollIntoViewIfNeeded();
    await screenshot(page, 'import-05-provenance-in-layer-panel');

    const sampleFile = path.join(dataDirectory, 'sample', 'helsinki-sample.gpkg');
    const db = new Database(sampleFile, { readonly: true });
    // Östersundom's school stands alone in the east: a click cannot land on a neighbour.
    const fid = (db.prepare("SELECT fid FROM facilities WHERE code = 'X2'").get() as { fid: number }).fid;
    db.close();
    await page.waitForFunction((id) => (window as unknown as { __verkosto: { pixelOf(l: string, f: number): unknown } }).__verkosto.pixelOf('facilities', id) !== null, fid, { timeout: 20_000 });
    await page.waitForFunction(() => (window as unknown as { __verkosto: { isReady(): boolean } }).__verkosto.isReady(), null, { timeout: 20_000 });
    // Click where the new school is drawn (again, should the layer still be repainting after the import).
    await expect
      .poll(
        async () => {
          const pixel = await page.evaluate((id) => (window as unknown as { __verkosto: { pixelOf(l: string, f: number): [number, number] } }).__verkosto.pixelOf('facilities', id), fid);
          await page.mouse.click(pixel[0], pixel[1]);
          await page.waitForTimeout(300);
          return page.getByTestId('feature-name').innerText().catch(() => '');
        },
        { timeout: 15_000 },
      )
      .toBe('Östersundoms skola');
    await expect.poll(() => page.getByTestId('side-panel').innerText(), { timeout: 10_000 }).toMatch(/310/);
    await screenshot(page, 'import-03-school-capacity');
  });

  it('updates the capacities of schools already in the project from a table of codes (no coordinates)', async () => {
    const sampleFile = path.join(dataDirectory, 'sample', 'helsinki-sample.gpkg');
    const db = new Database(sampleFile, { readonly: true });
    const schools = db.prepare("SELECT fid, code, name_fi FROM facilities WHERE code IS NOT NULL AND code NOT LIKE 'X%' ORDER BY fid").all() as { fid: number; code: string; name_fi: string }[];
    db.close();
    // A school standing alone on screen, so the click cannot land on a neighbour.
    const target = await page.evaluate((fids) => {
      const api = (window as unknown as { __verkosto: { pixelOf(layer: string, fid: number): [number, number] | null } }).__verkosto;
      const pixels = fids.map((fid) => ({ fid, pixel: api.pixelOf('facilities', fid) })).filter((entry) => entry.pixel);
      const box = document.querySelector('[data-testid="map"]')!.getBoundingClientRect();
      return pixels.find(({ pixel }) => pixel![0] > box.left + 120 && pixel![1] > box.top + 260 && pixel![0] < box.right - 60 && pixel![1] < box.bottom - 160 &&
        pixels.every((other) => other.pixel === pixel || Math.hypot(other.pixel![0] - pixel![0], other.pixel![1] - pixel![1]) > 16));
    }, schools.map((school) => school.fid));
    expect(target).toBeTruthy();
    const school = schools.find((entry) => entry.fid === target!.fid)!;
    const table = path.join(dataDirectory, 'paikat.xlsx');
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.json_to_sheet([{ Oppilaitosnumero: school.code, Oppilaspaikat: 777 }, { Oppilaitosnumero: schools[0]!.code === school.code ? schools[1]!.code : schools[0]!.code, Oppilaspaikat: 333 }]), 'Paikat');
    writeFileSync(table, XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }));
    await page.getByTestId('open-import').click();
    await page.getByTestId('import-file').setInputFiles(table);
    await page.getByTestId('import-map-code').waitFor({ timeout: 20_000 });
    await page.getByTestId('import-match-code').check();
    await page.getByTestId('import-map-code').selectOption('Oppilaitosnumero');
    await page.getByTestId('import-map-service:grades_1_6:capacity').selectOption('Oppilaspaikat');
    await page.getByTestId('import-map-name_fi').selectOption('');
    await expect.poll(() => page.getByTestId('import-row-service:grades_1_6:capacity').innerText(), { timeout: 10_000 }).toContain('✓ 2');
    await expect.poll(() => page.getByTestId('import-start').isEnabled(), { timeout: 10_000 }).toBe(true);
    await screenshot(page, 'import-06-update-by-code');
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-result').waitFor({ timeout: 30_000 });
    await page.getByTestId('import-close').click();
    await expect
      .poll(
        async () => {
          const pixel = await page.evaluate((id) => (window as unknown as { __verkosto: { pixelOf(l: string, f: number): [number, number] } }).__verkosto.pixelOf('facilities', id), school.fid);
          await page.mouse.click(pixel[0], pixel[1]);
          await page.waitForTimeout(300);
          return page.getByTestId('feature-name').innerText().catch(() => '');
        },
        { timeout: 15_000 },
      )
      .toBe(school.name_fi);
    await expect.poll(() => page.getByTestId('side-panel').innerText(), { timeout: 10_000 }).toMatch(/777/);
    await screenshot(page, 'import-07-updated-capacity');
    const after = new Database(sampleFile, { readonly: true });
    expect((after.prepare('SELECT COUNT(*) AS n FROM facilities').get() as { n: number }).n).toBe(132);
    after.close();
  });

  it('reviews and applies a sync of a new version of the spreadsheet', async () => {
    const workbook = path.join(dataDirectory, 'kapasiteetit-v2.xlsx');
    writeWorkbook(workbook, [{ ...ROWS[0]!, Oppilaspaikat: 700 }, ROWS[1]!]);
    await page.getByTestId('open-sync').click();
    await page.getByTestId('sync-sources').waitFor();
    const input = page.getByTestId('sync-file-kapasiteetit');
    await input.setInputFiles(workbook);
    await page.getByTestId('sync-plan').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('sync-plan').innerText()).toContain('0 uutta, 1 muuttunutta, 1 poistunutta, 0 ristiriitaa');
    await screenshot(page, 'import-04-sync-review');
    await page.getByTestId('sync-apply').click();
    await page.getByTestId('sync-applied').waitFor({ timeout: 20_000 });
    const db = new Database(path.join(dataDirectory, 'sample', 'helsinki-sample.gpkg'), { readonly: true });
    const capacity = db.prepare("SELECT s.capacity FROM facilities f JOIN facility_services s ON s.facility_fid = f.fid WHERE f.code = 'X1'").get() as { capacity: number };
    const removed = db.prepare("SELECT COUNT(*) AS n FROM facilities WHERE code = 'X3'").get() as { n: number };
    db.close();
    expect(capacity.capacity).toBe(700);
    expect(removed.n).toBe(0);
    expect(consoleErrors).toEqual([]);
  });
});
