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
import { closedPort } from '../integration/ogc/local-http-server';
import { ogcServerUnavailableReason, startOgcServer, type OgcServer } from '../support/mapserver/ogc-server';
import { screenshot } from './support/browser';
import { openSampleSession, type SampleSession } from './support/sample-session';

const unavailable = ogcServerUnavailableReason();
let server: OgcServer;
let session: SampleSession;
let sampleFile: string;

function fileHash(file: string): string {
  const hash = createHash('sha256').update(readFileSync(file));
  if (existsSync(`${file}-wal`)) hash.update(readFileSync(`${file}-wal`));
  return hash.digest('hex');
}

beforeAll(async () => {
  if (unavailable) return;
  server = await startOgcServer();
  session = await openSampleSession({ prefix: 'verkosto-e2e-import-service-', viewport: { width: 1440, height: 900 } });
  sampleFile = path.join(session.dataDirectory, 'sample', 'helsinki-sample.gpkg');
});

afterAll(async () => {
  await session?.close();
  await server?.stop();
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
    await page.keyboard.press('Escape');
    await page.getByTestId('import-dialog').waitFor({ state: 'detached' });
    expect(fileHash(sampleFile)).toBe(before);
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
    expect(await page.getByTestId('service-preset').locator('optgroup').count()).toBe(6);
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
