// End-to-end, as a GIS specialist would: open the Helsinki sample, and in the import dialog choose
// "From a service". A server that does not answer gives a message naming it, and the project file stays byte
// for byte as it was. Then the real MapServer on 127.0.0.1: GetCapabilities lists its layers (title, name,
// CRS), the user picks the schools, maps the fields, sees the preview and imports; the project file, opened
// afterwards, holds the schools with their WFS feature ids, and the service is a source that Sources can sync.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectFile } from '../../electron/store/project-file';
import { closedPort, startLocalServer, type LocalServer } from '../integration/ogc/local-http-server';
import { ogcServerUnavailableReason, startOgcServer, type OgcServer } from '../support/mapserver/ogc-server';
import { screenshot } from './support/browser';
import { openSampleSession, type SampleSession } from './support/sample-session';

const unavailable = ogcServerUnavailableReason();
let server: OgcServer;
let feedbackServer: LocalServer;
let pxwebServer: LocalServer;

// Statistics Finland's projection for Helsinki (KU091), ages 0–15, as PxWeb's json-stat2 gives it.
const AGES = Array.from({ length: 16 }, (_, age) => String(age).padStart(3, '0'));
const PROJECTION_YEARS = ['2025', '2030'];
const projectedChildren = (year: string, age: number) => (year === '2025' ? 6000 : 6600) + 10 * age;
let session: SampleSession;

// Two pieces of residents' feedback as Helsinki's Open311 service (GeoReport v2) gives them.
const FEEDBACK = [
  { service_request_id: '2026-00101', status: 'open', service_code: '2806', service_name: 'Koulujen ympäristö', description: 'Koulun edessä ei ole suojatietä', requested_datetime: '2026-01-12T07:40:00Z', updated_datetime: '2026-01-13T09:00:00Z', address: 'Kirstinkatu 1', lat: 60.1881, long: 24.9513 },
  { service_request_id: '2026-00102', status: 'closed', service_code: '2806', service_name: 'Koulujen ympäristö', description: 'Pyörätelineitä liian vähän', requested_datetime: '2026-02-03T12:10:00Z', updated_datetime: '2026-02-20T10:00:00Z', address: 'Mellunmäentie 1', lat: 60.2372, long: 25.0885 },
];
let sampleFile: string;

function fileHash(file: string): string {
  const hash = createHash('sha256').update(readFileSync(file));
  if (existsSync(`${file}-wal`)) hash.update(readFileSync(`${file}-wal`));
  return hash.digest('hex');
}

beforeAll(async () => {
  if (unavailable) return;
  server = await startOgcServer();
  feedbackServer = await startLocalServer({
    // Takes the request and never answers.
    '/silent/wfs': () => undefined,
    '/palautews/rest/v1/services.json': (_request, response) => response.writeHead(200, { 'Content-Type': 'application/json' }).end('[{"service_code":"2806","service_name":"Koulujen ympäristö"}]'),
    '/palautews/rest/v1/requests.json': (request, response) => {
      const [start, end] = ['start_date', 'end_date'].map((key) => Date.parse(request.url.searchParams.get(key)!));
      const inWindow = FEEDBACK.filter((entry) => Date.parse(entry.requested_datetime) >= start! && Date.parse(entry.requested_datetime) < end!);
      response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(inWindow));
    },
  });
  const table = '/PxWeb/api/v1/fi/StatFin/vaenn/statfin_vaenn_pxt_139f.px';
  pxwebServer = await startLocalServer({
    [table]: (request, response) => {
      const body = request.method === 'GET'
        ? {
            title: 'Väestöennuste',
            variables: [
              { code: 'Alue', text: 'Alue', values: ['KU091'], valueTexts: ['Helsinki'] },
              { code: 'Vuosi', text: 'Vuosi', values: PROJECTION_YEARS, valueTexts: PROJECTION_YEARS, time: true },
              { code: 'Sukupuoli', text: 'Sukupuoli', values: ['SSS'], valueTexts: ['Yhteensä'] },
              { code: 'Ikä', text: 'Ikä', values: AGES, valueTexts: AGES },
              { code: 'Tiedot', text: 'Tiedot', values: ['vaesto'], valueTexts: ['Väestö'] },
            ],
          }
        : {
            version: '2.0', class: 'dataset', id: ['Alue', 'Vuosi', 'Sukupuoli', 'Ikä', 'Tiedot'], size: [1, 2, 1, 16, 1],
            dimension: {
              Alue: { category: { index: { KU091: 0 } } }, Vuosi: { category: { index: { 2025: 0, 2030: 1 } } }, Sukupuoli: { category: { index: { SSS: 0 } } },
              'Ikä': { category: { index: Object.fromEntries(AGES.map((age, index) => [age, index])) } }, Tiedot: { category: { index: { vaesto: 0 } } },
            },
            value: PROJECTION_YEARS.flatMap((year) => AGES.map((_, age) => projectedChildren(year, age))),
          };
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    },
  });
  session = await openSampleSession({ prefix: 'verkosto-e2e-import-service-', viewport: { width: 1440, height: 900 } });
  sampleFile = path.join(session.dataDirectory, 'sample', 'helsinki-sample.gpkg');
});

afterAll(async () => {
  await session?.close();
  await server?.stop();
  await feedbackServer?.close();
  await pxwebServer?.close();
});

describe.skipIf(unavailable !== null)('importing from a WFS in the import dialog', () => {
  it('shows why a server cannot be reached and leaves the project file as it was', async () => {
    const { page } = session;
    const before = fileHash(sampleFile);
    const port = await closedPort();
    await page.getByTestId('open-import').click();
    await page.getByTestId('import-dialog').waitFor();
    await page.getByTestId('import-mode-service').check();
    await page.getByTestId('service-url').fill(`http://127.0.0.1:${port}/wfs`);
    await page.getByTestId('service-connect').click();
    const message = page.getByTestId('import-error');
    await message.waitFor({ timeout: 30_000 });
    // Finnish by default: "Palvelimeen 127.0.0.1:… ei saada yhteyttä …"
    expect(await message.innerText()).toContain(`127.0.0.1:${port}`);
    expect(await message.innerText()).toContain('ei saada yhteyttä');
    expect(await page.getByTestId('service-layers').count()).toBe(0);
    await screenshot(page, 'import-service-00-offline');
    // A server that never answers: Cancel stops the wait.
    await page.getByTestId('service-url').fill(`${feedbackServer.base}/silent/wfs`);
    await page.getByTestId('service-connect').click();
    await page.getByTestId('service-connecting').waitFor();
    await page.getByTestId('service-cancel').click();
    await page.getByTestId('service-connecting').waitFor({ state: 'detached', timeout: 5_000 });
    expect(await page.getByTestId('service-layers').count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.getByTestId('import-dialog').waitFor({ state: 'detached' });
    expect(fileHash(sampleFile)).toBe(before);
  });

  it("imports residents' feedback with the Helsinki preset and shows it as a layer on the map", async () => {
    const { page } = session;
    // Off by default, with its name in the layer panel.
    expect(await page.getByTestId('layer-toggle-feedback').isChecked()).toBe(false);
    await page.getByTestId('open-import').click();
    await page.getByTestId('import-mode-service').check();
    await page.getByTestId('service-preset').selectOption('helsinki-feedback');
    expect(await page.getByTestId('import-target').inputValue()).toBe('feedback');
    // The preset's address, pointed at the test server.
    await page.getByTestId('service-url').fill(`${feedbackServer.base}/palautews/rest/v1/`);
    await page.getByTestId('service-connect').click();
    await page.getByTestId('service-layers').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('service-next').isEnabled()).toBe(true);
    await page.getByTestId('service-next').click();
    // The preset's mapping: nothing to choose.
    await expect.poll(() => page.getByTestId('import-map-description').inputValue(), { timeout: 20_000 }).toBe('description');
    await expect.poll(() => page.getByTestId('import-row-description').innerText(), { timeout: 20_000 }).toContain('✓ 2');
    expect(await page.getByTestId('import-detail-licence').inputValue()).toBe('CC BY 4.0');
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-result').innerText()).toContain('Tuotiin 2 kohdetta');
    await page.getByTestId('import-close').click();

    await page.getByTestId('layer-toggle-feedback').check();
    const db = new Database(sampleFile, { readonly: true });
    const fid = (db.prepare("SELECT fid FROM feedback WHERE request_id = '2026-00102'").get() as { fid: number }).fid;
    db.close();
    await page.waitForFunction((id) => (window as unknown as { __verkosto: { pixelOf(l: string, f: number): unknown } }).__verkosto.pixelOf('feedback', id) !== null, fid, { timeout: 20_000 });
    await expect
      .poll(
        async () => {
          const pixel = await page.evaluate((id) => (window as unknown as { __verkosto: { pixelOf(l: string, f: number): [number, number] } }).__verkosto.pixelOf('feedback', id), fid);
          await page.mouse.click(pixel[0], pixel[1]);
          await page.waitForTimeout(300);
          return page.getByTestId('side-panel').innerText().catch(() => '');
        },
        { timeout: 15_000 },
      )
      .toContain('Pyörätelineitä liian vähän');
    await screenshot(page, 'import-service-05-feedback-layer');
    await page.getByTestId('layer-toggle-feedback').uncheck();
  });

  it("imports Statistics Finland's population projection as the forecast of the small areas", async () => {
    const { page } = session;
    await page.getByTestId('open-import').click();
    await page.getByTestId('import-mode-service').check();
    await page.getByTestId('service-preset').selectOption('statfi-population-projection');
    // A projection becomes the forecast: there is no target layer to choose.
    expect(await page.getByTestId('import-target').count()).toBe(0);
    await page.getByTestId('service-url').fill(`${pxwebServer.base}/PxWeb/api/v1/fi/StatFin`);
    await page.getByTestId('service-connect').click();
    await page.getByTestId('service-forecast').waitFor({ timeout: 30_000 });
    await screenshot(page, 'import-service-06-projection');
    await page.getByTestId('service-forecast').click();
    const result = page.getByTestId('import-forecast-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.innerText()).toContain('KU091');
    expect(await result.innerText()).toContain('2025–2030');
    await screenshot(page, 'import-service-07-projection-done');
    await page.getByTestId('import-close').click();
    const db = new Database(sampleFile, { readonly: true });
    try {
      for (const year of [2025, 2030]) {
        const sums = db.prepare("SELECT SUM(age_0) AS a0, SUM(age_15) AS a15, COUNT(*) AS n FROM demand_population WHERE source = 'forecast' AND year = ?").get(year) as { a0: number; a15: number; n: number };
        expect(sums.n).toBeGreaterThan(100);
        expect(sums.a0).toBeCloseTo(projectedChildren(String(year), 0), 0);
        expect(sums.a15).toBeCloseTo(projectedChildren(String(year), 15), 0);
      }
    } finally {
      db.close();
    }
  });

  it('imports from OGC API Features only what the map shows', async () => {
    const { page } = session;
    // Zoom in with the mouse wheel on Aleksis Kiven peruskoulu (Kallio), as a user would.
    const sample = new Database(sampleFile, { readonly: true });
    const school = (sample.prepare("SELECT fid FROM facilities WHERE code = '03002'").get() as { fid: number }).fid;
    sample.close();
    const [px, py] = await page.evaluate((id) => (window as unknown as { __verkosto: { pixelOf(l: string, f: number): [number, number] } }).__verkosto.pixelOf('facilities', id), school);
    await page.mouse.move(px, py);
    for (let step = 0; step < 2; step++) {
      await page.mouse.wheel(0, -300);
      await page.waitForTimeout(400);
    }
    await page.waitForTimeout(800);
    const view = await page.evaluate(() => {
      const map = (window as unknown as { __verkosto: { map: { getView(): { calculateExtent(size: number[]): number[] }; getSize(): number[] } } }).__verkosto.map;
      return map.getView().calculateExtent(map.getSize());
    });
    await page.getByTestId('open-import').click();
    await page.getByTestId('import-mode-service').check();
    await page.getByTestId('service-kind').selectOption('ogcapi');
    await page.getByTestId('service-url').fill(server.ogcapi);
    await page.getByTestId('service-connect').click();
    await page.getByTestId('service-layer-koulut').click();
    await page.getByTestId('service-only-view').check();
    await screenshot(page, 'import-service-08-only-view');
    await page.getByTestId('service-next').click();
    await page.getByTestId('import-map-name_fi').selectOption('onimi');
    await page.getByTestId('import-map-code').selectOption('tunn');
    await expect.poll(() => page.getByTestId('import-start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('import-detail-id').fill('keskusta-koulut');
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-result').waitFor({ timeout: 60_000 });
    await page.getByTestId('import-close').click();
    const db = new Database(sampleFile, { readonly: true });
    try {
      // Where the schools landed, from the layer's R-tree (no SpatiaLite in this process).
      const rows = db
        .prepare("SELECT r.minx AS x, r.miny AS y FROM import_snapshots s JOIN rtree_facilities_geom r ON r.id = s.local_fid WHERE s.source_id = 'keskusta-koulut'")
        .all() as { x: number; y: number }[];
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.length).toBeLessThan(129);
      // The R-tree holds 32-bit floats: a metre of slack.
      for (const { x, y } of rows) expect(x >= view[0]! - 1 && x <= view[2]! + 1 && y >= view[1]! - 1 && y <= view[3]! + 1).toBe(true);
      const source = db.prepare("SELECT config FROM import_sources WHERE source_id = 'keskusta-koulut'").get() as { config: string };
      expect(JSON.parse(source.config).config.options).toMatchObject({ bbox: expect.any(Array), bboxEpsg: 3067 });
    } finally {
      db.close();
    }
  });

  it('lists the layers, maps the schools, imports them with their source ids, and can sync them', async () => {
    const { page } = session;
    const schoolsBefore = (() => {
      const db = new Database(sampleFile, { readonly: true });
      const n = (db.prepare('SELECT COUNT(*) AS n FROM facilities').get() as { n: number }).n;
      db.close();
      return n;
    })();
    await page.getByTestId('open-import').click();
    await page.getByTestId('import-mode-service').check();
    // The presets are there, grouped by city.
    await expect.poll(() => page.getByTestId('service-preset').locator('optgroup').count(), { timeout: 10_000 }).toBe(6);
    await page.getByTestId('service-kind').selectOption('wfs');
    await page.getByTestId('service-url').fill(server.wfs);
    await page.getByTestId('service-connect').click();
    await page.getByTestId('service-layers').waitFor({ timeout: 30_000 });
    const list = await page.getByTestId('service-layers').innerText();
    expect(list).toContain('Koulut 2022 (Tilastokeskus)');
    expect(list).toContain('ms:osaalueet');
    expect(list).toContain('EPSG:3879');
    await page.getByTestId('service-layer-ms:koulut').click();
    await page.getByTestId('import-target').selectOption('facilities');
    await screenshot(page, 'import-service-01-capabilities');
    await page.getByTestId('service-next').click();

    await page.getByTestId('import-map-name_fi').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-service-crs').innerText()).toMatch(/EPSG:\d+/);
    await page.getByTestId('import-map-code').selectOption('tunn');
    await page.getByTestId('import-map-name_fi').selectOption('onimi');
    await expect.poll(() => page.getByTestId('import-row-name_fi').innerText(), { timeout: 20_000 }).toContain('✓ 129');
    await expect.poll(() => page.locator('[data-testid="import-preview-map"] circle').count(), { timeout: 20_000 }).toBe(129);
    await page.getByTestId('import-detail-id').fill('wfs-koulut');
    await page.getByTestId('import-detail-licence').fill('CC BY 4.0');
    await expect.poll(() => page.getByTestId('import-start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await screenshot(page, 'import-service-02-mapping');
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-result').innerText()).toContain('Tuotiin 129 kohdetta');
    expect(await page.getByTestId('import-sync-hint').innerText()).toContain('Lähteet');
    await screenshot(page, 'import-service-03-done');
    await page.getByTestId('import-close').click();

    // The service is a configured source: Sources checks it against the server (nothing changed there).
    await page.getByTestId('open-sync').click();
    await page.getByTestId('sync-check-wfs-koulut').click();
    await page.getByTestId('sync-plan').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('sync-plan').innerText()).toContain('0 uutta, 0 muuttunutta, 0 poistunutta, 0 ristiriitaa');
    await screenshot(page, 'import-service-04-sync');
    await page.keyboard.press('Escape');
    expect(session.consoleErrors).toEqual([]);

    // Reopen the project file after the host has let it go.
    await session.hostProcess.stop();
    const project = ProjectFile.open(sampleFile);
    try {
      const rows = project.db
        .prepare("SELECT s.source_feature_id AS id, f.code, f.name_fi FROM import_snapshots s JOIN facilities f ON f.fid = s.local_fid WHERE s.source_id = 'wfs-koulut'")
        .all() as { id: string; code: string; name_fi: string }[];
      expect(rows).toHaveLength(129);
      expect((project.db.prepare('SELECT COUNT(*) AS n FROM facilities').get() as { n: number }).n).toBe(schoolsBefore + 129);
      // The WFS feature ids end in the served table's fid (MapServer's gml_featureid): one per served school.
      expect(new Set(rows.map((row) => row.id)).size).toBe(129);
      const served = new Database(server.gpkg, { readonly: true });
      const fids = (served.prepare('SELECT fid FROM koulut ORDER BY fid').all() as { fid: number }[]).map((row) => row.fid);
      served.close();
      expect(rows.map((row) => Number(/(\d+)$/.exec(row.id)?.[1])).sort((a, b) => a - b)).toEqual(fids);
      expect(rows.find((row) => row.code === '03002')?.name_fi).toBe('Aleksis Kiven peruskoulu');
      const source = project.db.prepare("SELECT * FROM import_sources WHERE source_id = 'wfs-koulut'").get() as Record<string, string>;
      expect(source).toMatchObject({ kind: 'wfs', url: server.wfs, layer: 'ms:koulut', target_layer: 'facilities', licence: 'CC BY 4.0' });
    } finally {
      project.close();
    }
  });
});
