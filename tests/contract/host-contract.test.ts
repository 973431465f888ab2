// One contract suite, run twice: against the host object in process (through the same validating
// dispatcher) and through the real WebSocket transport of the Node host. The two cannot drift apart.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostClient, HostEvents } from '../../shared/contract/host-api';
import { VerkostoError } from '../../shared/errors';
import { dispatchCall } from '../../electron/host/dispatch';
import { CURRENT_SCHEMA_VERSION } from '../../electron/store/migrations';
import { startNodeHost, type RunningNodeHost } from '../../electron/host/node-host';
import { createHost } from '../../electron/services/host';
import { createHostClient } from '../../renderer/host/create-host-client';
import { createWebSocketTransport } from '../../renderer/host/websocket-transport';
import type { HostTransport } from '../../renderer/host/transport';
import { makeTempDirectory } from '../support/temp-directory';
import { webSocketWithOrigin } from '../support/node-websocket';

interface Harness {
  client: HostClient;
  projectsDirectory: string;
  events: { name: keyof HostEvents; payload: unknown }[];
  close(): Promise<void>;
}

function recordEvents(client: HostClient, events: Harness['events']): void {
  for (const name of ['projectOpened', 'projectClosed', 'projectChanged'] as const) {
    client.on(name, (payload) => events.push({ name, payload }));
  }
}

async function inProcessHarness(): Promise<Harness> {
  const temp = makeTempDirectory();
  const projectsDirectory = path.join(temp.path, 'projects');
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const host = createHost({
    kind: 'browser',
    version: 'test',
    dataDirectory: temp.path,
    projectsDirectory,
    allowedRoots: [projectsDirectory],
    emit: (event, payload) => listeners.get(event)?.forEach((listener) => listener(payload)),
  });
  const transport: HostTransport = {
    kind: 'websocket',
    invoke: (method, args) => dispatchCall(host, method, args),
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    onConnectionChange: (listener) => (listener('connected'), () => {}),
  };
  const client = createHostClient(transport);
  const events: Harness['events'] = [];
  recordEvents(client, events);
  return { client, projectsDirectory, events, close: async () => (host.dispose(), temp.remove()) };
}

function fakeRenderer(directory: string): string {
  mkdirSync(directory, { recursive: true });
  writeFileSync(path.join(directory, 'index.html'), '<!doctype html><title>Verkosto</title>');
  return directory;
}

async function webSocketHarness(): Promise<Harness & { running: RunningNodeHost }> {
  const temp = makeTempDirectory();
  const running = await startNodeHost({
    port: 0,
    dataDirectory: temp.path,
    rendererDirectory: fakeRenderer(path.join(temp.path, 'renderer')),
  });
  const transport = createWebSocketTransport({
    url: `ws://127.0.0.1:${running.port}/api?token=${running.token}`,
    webSocketImplementation: webSocketWithOrigin(`http://127.0.0.1:${running.port}`),
  });
  const client = createHostClient(transport);
  const events: Harness['events'] = [];
  recordEvents(client, events);
  const info = await client.getHostInfo({});
  return {
    client,
    running,
    projectsDirectory: info.projectsDirectory!,
    events,
    close: async () => {
      transport.close();
      await running.close();
      temp.remove();
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<VerkostoError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof VerkostoError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const waitFor = async (predicate: () => boolean, timeoutMs = 2000) => {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

for (const [name, makeHarness] of [
  ['in process', inProcessHarness],
  ['through the WebSocket transport', webSocketHarness],
] as const) {
  describe(`host contract — ${name}`, () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await makeHarness();
    });
    afterAll(async () => harness.close());

    it('describes the host', async () => {
      const info = await harness.client.getHostInfo({});
      expect(info.kind).toBe('browser');
      expect(info.nativeFileDialogs).toBe(false);
      expect(info.projectsDirectory).toBe(harness.projectsDirectory);
      expect(await harness.client.chooseProjectFile({ purpose: 'open' })).toBeNull();
    });

    it('reports no open project before one is opened', async () => {
      expect(await harness.client.getProjectSummary({})).toBeNull();
      expect((await rejection(harness.client.getLayerFeatures({ layer: 'facilities' }))).code).toBe('noProjectOpen');
    });

    it('creates a project in the projects folder, lists it, and announces it', async () => {
      const file = path.join(harness.projectsDirectory, 'espoo.gpkg');
      const summary = await harness.client.createProject({ path: file, epsg: 3879, name: 'Espoo' });
      expect(summary).toMatchObject({ name: 'Espoo', epsg: 3879, schemaVersion: CURRENT_SCHEMA_VERSION, canUndo: false, canRedo: false });
      expect(summary.layers.map((layer) => layer.id)).toEqual(['facilities', 'catchments', 'demand_units', 'municipality', 'feedback', 'residential_points']);
      expect(existsSync(file)).toBe(true);
      const files = await harness.client.listProjectFiles({});
      expect(files.map((entry) => entry.name)).toContain('espoo.gpkg');
      const recent = await harness.client.listRecentProjects({});
      expect(recent[0]).toMatchObject({ path: file, name: 'Espoo', exists: true });
      await waitFor(() => harness.events.some((event) => event.name === 'projectOpened'));
    });

    it('runs a command, undoes and redoes it, and pushes projectChanged each time', async () => {
      const before = harness.events.filter((event) => event.name === 'projectChanged').length;
      const result = await harness.client.runCommand({ command: { type: 'setting.set', key: 'basemap.url', value: 'https://tiles.example/{z}/{x}/{y}.png' } });
      expect(result).toMatchObject({ touched: ['verkosto_settings'], canUndo: true, canRedo: false });
      expect((await harness.client.getProjectSummary({}))!.settings['basemap.url']).toBe('https://tiles.example/{z}/{x}/{y}.png');
      const undone = await harness.client.undo({});
      expect(undone).toMatchObject({ canUndo: false, canRedo: true });
      expect((await harness.client.getProjectSummary({}))!.settings['basemap.url']).toBeUndefined();
      await harness.client.redo({});
      expect((await harness.client.getProjectSummary({}))!.settings['basemap.url']).toBe('https://tiles.example/{z}/{x}/{y}.png');
      await waitFor(() => harness.events.filter((event) => event.name === 'projectChanged').length === before + 3);
      expect((await rejection(harness.client.redo({}))).code).toBe('nothingToRedo');
    });

    it('returns layer features as GeoJSON in the project CRS', async () => {
      const collection = await harness.client.getLayerFeatures({ layer: 'facilities' });
      expect(collection).toMatchObject({ type: 'FeatureCollection', layer: 'facilities', crs: 3879, features: [] });
      expect((await rejection(harness.client.getFeature({ layer: 'facilities', fid: 42 }))).code).toBe('unknownFeature');
    });

    it('validates every argument on the host side', async () => {
      const untyped = harness.client as unknown as Record<string, (args: unknown) => Promise<unknown>>;
      const bad = [
        untyped.getLayerFeatures!({ layer: 'secrets' }),
        untyped.openProject!({ path: '' }),
        untyped.openProject!({ path: 'a\u0000b' }),
        untyped.openProject!({ path: 'x', extra: true }),
        untyped.createProject!({ path: 'x.gpkg', epsg: 'EPSG:3067' }),
        untyped.runCommand!({ command: { type: 'facility.update', fid: 1, changes: { name_fi: '' } } }),
        untyped.runCommand!({ command: { type: 'facility.update', fid: 1, changes: { fid: 7 } } }),
        untyped.runCommand!({ command: { type: 'facility.move', fid: 1, geometry: { type: 'Point', coordinates: [Number.NaN, 1] } } }),
        untyped.runCommand!({ command: { type: 'sql.exec', sql: 'DROP TABLE facilities' } }),
        untyped.getFeature!({ layer: 'facilities', fid: -1 }),
        // Import from a service: http(s) addresses only, exactly one of upload and service, a real box.
        untyped.importConnectService!({ kind: 'wfs', url: 'file:///etc/passwd', presetId: null }),
        untyped.importConnectService!({ kind: 'shell', url: 'http://127.0.0.1/', presetId: null }),
        untyped.importInspect!({ targetLayer: 'facilities' }),
        untyped.importInspect!({ uploadId: 'a'.repeat(32), serviceId: 'b'.repeat(32), targetLayer: 'facilities' }),
        untyped.importInspect!({ serviceId: 'b'.repeat(32), targetLayer: 'facilities', bbox: [1, 1, 0, 0] }),
        untyped.importForecastFromService!({ serviceId: '../etc', layer: 'projection' }),
      ];
      for (const call of bad) expect((await rejection(call)).code).toBe('invalidArgument');
    });

    it('refuses paths outside the allowed folders and names a missing file', async () => {
      expect((await rejection(harness.client.openProject({ path: '/etc/passwd' }))).code).toBe('pathNotAllowed');
      expect((await rejection(harness.client.createProject({ path: path.join(harness.projectsDirectory, '..', '..', 'escape.gpkg'), epsg: 3067 }))).code).toBe('pathNotAllowed');
      expect((await rejection(harness.client.openProject({ path: path.join(harness.projectsDirectory, 'missing.gpkg') }))).code).toBe('fileNotFound');
      expect((await rejection(harness.client.createProject({ path: path.join(harness.projectsDirectory, 'x.gpkg'), epsg: 2393 }))).code).toBe('unsupportedCrs');
    });

    it('saves the project under a new name and continues there', async () => {
      const copy = path.join(harness.projectsDirectory, 'espoo-copy.gpkg');
      const summary = await harness.client.saveProjectAs({ path: copy });
      expect(summary.path).toBe(copy);
      expect(summary.settings['basemap.url']).toBe('https://tiles.example/{z}/{x}/{y}.png');
      expect((await rejection(harness.client.saveProjectAs({ path: path.join(harness.projectsDirectory, 'espoo.gpkg') }))).code).toBe('fileExists');
    });

    it('closes the project', async () => {
      await harness.client.closeProject({});
      expect(await harness.client.getProjectSummary({})).toBeNull();
      await waitFor(() => harness.events.some((event) => event.name === 'projectClosed'));
    });
  });
}
