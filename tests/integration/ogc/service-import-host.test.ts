/**
 * "From a service" in the import dialog, through the host's validating dispatcher against the real
 * MapServer on 127.0.0.1: list the presets, open a WFS (GetCapabilities → layers with title, name and CRS),
 * inspect a layer (its fields and first rows), preview a mapping over the cached first features, import as a
 * job with progress, and sync the stored configuration again. OGC API Features lists its collections. A
 * closed port, an HTTP 500 and an ExceptionReport each give the server's name and the problem, and the
 * project file stays byte for byte as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchCall } from '../../../electron/host/dispatch';
import { createHost } from '../../../electron/services/host';
import type { HostEvents } from '../../../shared/contract/host-api';
import type { ErrorPayload } from '../../../shared/errors';
import type { ImportInspection, ImportPreview, NetworkPresetInfo, ServiceConnectionInfo } from '../../../shared/import/contract';
import type { FieldMapping, StoredSource, SyncPlan } from '../../../shared/import/types';
import { ogcServerUnavailableReason, startOgcServer, type OgcServer } from '../../support/mapserver/ogc-server';
import { makeTempDir } from '../../fixtures/store-helpers';
import { newProject, projectBytesHash } from '../import/import-helpers';
import { closedPort, startLocalServer, type LocalServer } from './local-http-server';

const unavailable = ogcServerUnavailableReason();

describe.skipIf(unavailable !== null)('importing from a service over the contract', () => {
  const temp = makeTempDir('verkosto-service-import-');
  const finished: HostEvents['importFinished'][] = [];
  const progress: HostEvents['importProgress'][] = [];
  let server: OgcServer;
  let broken: LocalServer;
  let host: ReturnType<typeof createHost>;
  const projectPath = temp.file('palvelu.gpkg');

  const call = async <T>(method: string, args: unknown): Promise<T> => {
    const envelope = await dispatchCall(host, method, args);
    if (!envelope.ok) throw envelope.error;
    return envelope.result as T;
  };
  const failure = async (method: string, args: unknown): Promise<ErrorPayload> => {
    const envelope = await dispatchCall(host, method, args);
    if (envelope.ok) throw new Error(`${method} should have failed`);
    return envelope.error;
  };

  beforeAll(async () => {
    server = await startOgcServer();
    broken = await startLocalServer({
      // A server that takes the request and never answers.
      '/silent': () => undefined,
      '/500': (_request, response) => response.writeHead(500, { 'content-type': 'text/plain' }).end('boom'),
      '/exception': (_request, response) =>
        response
          .writeHead(200, { 'content-type': 'text/xml' })
          .end('<?xml version="1.0"?><ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0"><ows:Exception exceptionCode="NoApplicableCode"><ows:ExceptionText>Tietokanta ei vastaa</ows:ExceptionText></ows:Exception></ows:ExceptionReport>'),
    });
    newProject(projectPath).close();
    host = createHost({
      kind: 'browser', version: 'test', dataDirectory: temp.file('data'), projectsDirectory: temp.dir, allowedRoots: [temp.dir],
      emit: (event, payload) => {
        if (event === 'importFinished') finished.push(payload as HostEvents['importFinished']);
        if (event === 'importProgress') progress.push(payload as HostEvents['importProgress']);
      },
    });
    await call('openProject', { path: projectPath });
  });
  afterAll(async () => {
    host?.dispose();
    await server?.stop();
    await broken?.close();
    temp.cleanup();
  });

  it('lists the presets of every city with their layer and licence', async () => {
    const presets = await call<NetworkPresetInfo[]>('importListPresets', {});
    expect(new Set(presets.map((preset) => preset.city))).toEqual(new Set(['helsinki', 'espoo', 'vantaa', 'turku', 'kuopio', 'statfi']));
    expect(presets.find((preset) => preset.id === 'helsinki-subdistricts')).toMatchObject({ kind: 'wfs', layer: 'avoindata:Piirijako_osaalue', targetLayer: 'demand_units', epsg: 3879, licence: 'CC BY 4.0' });
  });

  it('refuses a non-http address and a call naming neither URL nor preset before any request', async () => {
    expect((await failure('importConnectService', { kind: 'wfs', url: 'file:///etc/passwd', presetId: null })).code).toBe('invalidArgument');
    expect((await failure('importConnectService', { kind: 'wfs', url: null, presetId: null })).code).toBe('invalidArgument');
    expect((await failure('importInspect', { targetLayer: 'facilities' })).code).toBe('invalidArgument');
  });

  it('opens a WFS, maps a layer, imports it as a job and syncs the stored configuration', async () => {
    const connection = await call<ServiceConnectionInfo>('importConnectService', { kind: 'wfs', url: server.wfs, presetId: null });
    expect(connection.layers.map((layer) => layer.name)).toEqual(expect.arrayContaining(['ms:koulut', 'ms:osaalueet']));
    expect(connection.layers.find((layer) => layer.name === 'ms:koulut')).toMatchObject({ title: 'Koulut 2022 (Tilastokeskus)' });
    expect(connection.layers.find((layer) => layer.name === 'ms:osaalueet')!.epsg).toBe(3879);

    const inspection = await call<ImportInspection>('importInspect', { serviceId: connection.serviceId, layer: 'ms:koulut', targetLayer: 'facilities' });
    expect(inspection).toMatchObject({ uploadId: null, serviceId: connection.serviceId, kind: 'wfs', fileName: 'Koulut 2022 (Tilastokeskus)' });
    const fields = inspection.layers.find((layer) => layer.name === 'ms:koulut')!.fields.map((field) => field.name);
    expect(fields).toEqual(expect.arrayContaining(['tunn', 'onimi']));
    expect(inspection.sample).toHaveLength(5);

    const mapping: FieldMapping = { name: 'wfs-koulut', targetLayer: 'facilities', fields: { code: { source: 'tunn' }, name_fi: { source: 'onimi' }, facility_kind: { constant: 'school' } } };
    const preview = await call<ImportPreview>('importPreview', { serviceId: connection.serviceId, layer: 'ms:koulut', mapping });
    expect(preview.error).toBeNull();
    expect(preview.featuresRead).toBe(129);
    expect(preview.fieldChecks.name_fi).toEqual({ ok: 129, bad: 0, example: null });
    // Inside Helsinki in TM35FIN.
    const [x, y] = (preview.features[0]!.geometry as { coordinates: [number, number] }).coordinates;
    expect(x).toBeGreaterThan(370_000);
    expect(y).toBeGreaterThan(6_660_000);

    const { jobId } = await call<{ jobId: string }>('importStart', {
      serviceId: connection.serviceId, layer: 'ms:koulut', mapping,
      source: { id: 'wfs-koulut', title: 'Koulut (WFS)', publisher: 'Tilastokeskus', licence: 'CC BY 4.0', attribution: '© Tilastokeskus' },
    });
    await expect.poll(() => finished.find((event) => event.jobId === jobId), { timeout: 60_000 }).toBeDefined();
    const done = finished.find((event) => event.jobId === jobId)!;
    expect(done.error).toBeNull();
    expect(done.result).toMatchObject({ imported: 129, sourceId: 'wfs-koulut' });
    expect(progress.some((event) => event.jobId === jobId)).toBe(true);

    const sources = await call<StoredSource[]>('importListSources', {});
    expect(sources.find((source) => source.id === 'wfs-koulut')).toMatchObject({ kind: 'wfs', url: server.wfs, layer: 'ms:koulut', targetLayer: 'facilities', licence: 'CC BY 4.0', featureCount: 129 });
    const plan = await call<SyncPlan>('importPreviewSync', { sourceId: 'wfs-koulut' });
    expect(plan.added.length + plan.changed.length + plan.removed.length + plan.conflicts.length).toBe(0);
    expect(plan.unchanged).toBe(129);
  });

  it('lists the collections of OGC API Features and reads one', async () => {
    const connection = await call<ServiceConnectionInfo>('importConnectService', { kind: 'ogcapi', url: server.ogcapi, presetId: null });
    expect(connection.layers.map((layer) => layer.name)).toEqual(expect.arrayContaining(['koulut', 'osaalueet']));
    const inspection = await call<ImportInspection>('importInspect', { serviceId: connection.serviceId, layer: 'osaalueet', targetLayer: 'demand_units' });
    expect(inspection.layers.find((layer) => layer.name === 'osaalueet')!.fields.map((field) => field.name)).toEqual(expect.arrayContaining(['tunnus', 'nimi_fi']));
  });

  it('reads only the map view when asked, and the stored source syncs that same area', async () => {
    // Central Helsinki in the project CRS (TM35FIN): a part of the 129 schools.
    const box: [number, number, number, number] = [383_000, 6_670_000, 388_000, 6_675_000];
    for (const kind of ['ogcapi', 'wfs'] as const) {
      const connection = await call<ServiceConnectionInfo>('importConnectService', { kind, url: kind === 'wfs' ? server.wfs : server.ogcapi, presetId: null });
      const layer = kind === 'wfs' ? 'ms:koulut' : 'koulut';
      await call<ImportInspection>('importInspect', { serviceId: connection.serviceId, layer, targetLayer: 'facilities', bbox: box });
      const mapping: FieldMapping = { name: `alue-${kind}`, targetLayer: 'facilities', fields: { code: { source: 'tunn' }, name_fi: { source: 'onimi' } } };
      const preview = await call<ImportPreview>('importPreview', { serviceId: connection.serviceId, layer, mapping });
      expect(preview.error).toBeNull();
      expect(preview.featuresRead).toBeGreaterThan(5);
      expect(preview.featuresRead).toBeLessThan(129);
      for (const feature of preview.features) {
        const [x, y] = (feature.geometry as { coordinates: [number, number] }).coordinates;
        expect(x >= box[0] - 1 && x <= box[2] + 1 && y >= box[1] - 1 && y <= box[3] + 1, `${feature.sourceId} at ${x}, ${y}`).toBe(true);
      }
      const { jobId } = await call<{ jobId: string }>('importStart', {
        serviceId: connection.serviceId, layer, mapping, source: { id: `alue-${kind}`, title: `Keskusta (${kind})`, publisher: null, licence: null, attribution: null },
      });
      await expect.poll(() => finished.find((event) => event.jobId === jobId), { timeout: 60_000 }).toBeDefined();
      expect(finished.find((event) => event.jobId === jobId)!.result!.imported).toBe(preview.featuresRead);
      const stored = (await call<StoredSource[]>('importListSources', {})).find((source) => source.id === `alue-${kind}`)!;
      expect(stored.options).toMatchObject({ bbox: box, bboxEpsg: 3067 });
      const plan = await call<SyncPlan>('importPreviewSync', { sourceId: `alue-${kind}` });
      expect(plan.added.length + plan.changed.length + plan.removed.length + plan.conflicts.length).toBe(0);
      expect(plan.unchanged).toBe(preview.featuresRead);
    }
    // An empty box is refused before any request.
    expect((await failure('importInspect', { serviceId: 'a'.repeat(32), layer: 'x', targetLayer: 'facilities', bbox: [5, 5, 1, 1] })).code).toBe('invalidArgument');
  });

  it('stops connecting to a server that never answers when the user cancels', async () => {
    const requestId = 'c'.repeat(32);
    const started = Date.now();
    const pending = dispatchCall(host, 'importConnectService', { kind: 'wfs', url: `${broken.base}/silent`, presetId: null, requestId });
    await expect.poll(() => broken.requests.some((request) => request.url.pathname === '/silent'), { timeout: 5_000 }).toBe(true);
    await call('importCancel', { jobId: requestId });
    const envelope = await pending;
    expect(envelope.ok).toBe(false);
    expect(!envelope.ok && envelope.error.code).toBe('importCancelled');
    // Well before the 15 s connect timeout.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('names the server and the problem when the service fails, and leaves the project as it was', async () => {
    const before = projectBytesHash(projectPath);
    const offline = await failure('importConnectService', { kind: 'wfs', url: `http://127.0.0.1:${await closedPort()}/wfs`, presetId: null });
    expect(offline.code).toBe('sourceOffline');
    expect(offline.message).toContain('127.0.0.1');
    expect((await failure('importConnectService', { kind: 'wfs', url: `${broken.base}/500`, presetId: null })).code).toBe('sourceHttpError');
    const exception = await failure('importConnectService', { kind: 'wfs', url: `${broken.base}/exception`, presetId: null });
    expect(exception.code).toBe('sourceServiceException');
    expect(exception.message).toContain('Tietokanta ei vastaa');
    expect(projectBytesHash(projectPath)).toBe(before);
  }, 60_000);
});
