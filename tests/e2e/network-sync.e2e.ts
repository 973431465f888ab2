// End-to-end, as a GIS specialist would: a project holds schools imported from a city WFS (a real MapServer
// on 127.0.0.1). In "Sources" the WFS source can be checked for changes while the server answers; when the
// server is gone, checking is disabled and the dialog says why (the project keeps its last snapshot).
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSource } from '../../electron/services/import/import-service';
import { createNetworkSource } from '../../electron/services/import/readers/network';
import { ProjectFile } from '../../electron/store/project-file';
import type { StoredSourceConfig } from '../../shared/import/types';
import { ogcServerUnavailableReason, startOgcServer, type OgcServer } from '../support/mapserver/ogc-server';
import { makeTempDirectory } from '../support/temp-directory';
import { collectConsoleErrors, launchChromium, screenshot } from './support/browser';
import { startHostProcess, type HostProcess } from './support/node-host-process';

const unavailable = ogcServerUnavailableReason();
const temp = makeTempDirectory('verkosto-e2e-network-');
let server: OgcServer;
let browser: Browser;
let hostProcess: HostProcess;
let page: Page;
let consoleErrors: string[];

beforeAll(async () => {
  if (unavailable) return;
  server = await startOgcServer();
  const file = path.join(temp.path, 'wfs-koulut.gpkg');
  const project = ProjectFile.create(file, { epsg: 3067, name: 'WFS-koulut' });
  const config: StoredSourceConfig = {
    id: 'wfs-koulut', kind: 'wfs', title: 'Koulut (Tilastokeskus, WFS)', url: server.wfs, file: null, layer: 'ms:koulut', targetLayer: 'facilities',
    mappingName: 'wfs-koulut', publisher: 'Tilastokeskus', licence: 'CC BY 4.0', attribution: '© Tilastokeskus', epsg: 3067, options: {},
  };
  await importSource(project, createNetworkSource(config), {
    sourceLayer: 'ms:koulut', targetLayer: 'facilities', sourceConfig: config,
    mapping: { name: 'wfs-koulut', targetLayer: 'facilities', fields: { code: { source: 'tunn' }, name_fi: { source: 'onimi' } } },
  });
  project.close();
  hostProcess = await startHostProcess({ dataDirectory: temp.path, projectFile: file });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  // The stopped server's refused connection is expected; nothing else may fail.
  consoleErrors = collectConsoleErrors(page, [/tile\.openstreetmap\.org/]);
});

afterAll(async () => {
  await browser?.close();
  await hostProcess?.stop();
  await server?.stop();
  temp.remove();
});

describe.skipIf(unavailable !== null)('a WFS source in the Sources dialog', () => {
  it('can be checked while the server answers, and is disabled with the reason when it does not', async () => {
    await page.goto(hostProcess.url);
    await page.getByTestId('workspace').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => (window as unknown as { __verkosto?: { isReady(): boolean } }).__verkosto?.isReady() === true, null, { timeout: 60_000 });

    await page.getByTestId('open-sync').click();
    await page.getByTestId('sync-sources').waitFor();
    const check = page.getByTestId('sync-check-wfs-koulut');
    expect(await page.getByTestId('sync-sources').innerText()).toContain('Koulut (Tilastokeskus, WFS)');
    expect(await check.isEnabled()).toBe(true);
    await check.click();
    await page.getByTestId('sync-plan').waitFor({ timeout: 30_000 });
    await screenshot(page, 'network-sync-01-plan');
    await page.keyboard.press('Escape');
    await page.getByTestId('sync-dialog').waitFor({ state: 'detached' });

    await server.stop();
    await page.getByTestId('open-sync').click();
    const reason = page.getByTestId('sync-offline-wfs-koulut');
    await reason.waitFor({ timeout: 20_000 });
    // Finnish by default: "Synkronointi ei ole käytettävissä: Palvelimeen 127.0.0.1:… ei saada yhteyttä …"
    expect(await reason.innerText()).toContain('ei saada yhteyttä');
    expect(await reason.innerText()).toContain(new URL(server.wfs).host);
    expect(await page.getByTestId('sync-check-wfs-koulut').isDisabled()).toBe(true);
    await screenshot(page, 'network-sync-02-offline');
    expect(consoleErrors).toEqual([]);
  });
});
