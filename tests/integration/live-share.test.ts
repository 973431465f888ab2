// Live sharing over real loopback sockets: a facilitator client and a participant client, each through the
// renderer's own WebSocket transport. The participant follows the view, may comment only when allowed,
// and cannot call anything that changes the project; stopping ends the session; each start has a new token.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostClient, LiveView, SharingStatus } from '../../shared/contract/host-api';
import { VerkostoError } from '../../shared/errors';
import { startNodeHost, type RunningNodeHost } from '../../electron/host/node-host';
import { createHostClient } from '../../renderer/host/create-host-client';
import { createWebSocketTransport } from '../../renderer/host/websocket-transport';
import { makeTempDirectory } from '../support/temp-directory';
import { webSocketWithOrigin } from '../support/node-websocket';

const temp = makeTempDirectory('verkosto-share-');
let running: RunningNodeHost;
let facilitator: HostClient;
const closers: (() => void)[] = [];

function clientFor(pageUrl: string, token?: string): { client: HostClient; transport: ReturnType<typeof createWebSocketTransport> } {
  const url = new URL(pageUrl);
  const transport = createWebSocketTransport({
    url: `ws://${url.host}/api?token=${token ?? url.searchParams.get('token')}`,
    webSocketImplementation: webSocketWithOrigin(`http://${url.host}`),
    initialBackoffMs: 50,
    queueTimeoutMs: 1_500,
  });
  closers.push(() => transport.close());
  return { client: createHostClient(transport), transport };
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof VerkostoError ? error.code : (error as Error).name;
  }
  throw new Error('expected the call to fail');
}

function nextEvent<T>(client: HostClient, event: 'liveViewChanged' | 'commentsChanged' | 'sharingChanged', predicate: (payload: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within 1 s`)), 1_000);
    const off = client.on(event, (payload) => {
      if (!predicate(payload as T)) return;
      clearTimeout(timer);
      off();
      resolve(payload as T);
    });
  });
}

beforeAll(async () => {
  const renderer = path.join(temp.path, 'renderer');
  mkdirSync(renderer, { recursive: true });
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Verkosto</title>');
  running = await startNodeHost({ port: 0, dataDirectory: path.join(temp.path, 'data'), rendererDirectory: renderer });
  facilitator = clientFor(running.url).client;
  const info = await facilitator.getHostInfo({});
  await facilitator.createProject({ path: path.join(info.projectsDirectory!, 'tyopaja.gpkg'), epsg: 3067, name: 'Työpaja' });
});

afterAll(async () => {
  for (const close of closers) close();
  await running.close();
  temp.remove();
});

describe('live sharing for workshops', () => {
  let status: SharingStatus;
  let participant: HostClient;

  it('is off by default and offers the loopback interface first', async () => {
    expect((await facilitator.getSharingStatus({})).active).toBe(false);
    const addresses = await facilitator.listShareAddresses({});
    expect(addresses[0]).toEqual({ address: '127.0.0.1', interfaceName: 'lo', loopback: true });
    expect(await failure(facilitator.startSharing({ address: '203.0.113.9', allowComments: false }))).toBe('invalidArgument');
  });

  it('starts a participant server on the chosen interface with its own token and a QR code', async () => {
    status = await facilitator.startSharing({ address: '127.0.0.1', allowComments: false });
    expect(status).toMatchObject({ active: true, address: '127.0.0.1', allowComments: false, participants: 0 });
    expect(status.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
    expect(new URL(status.url!).port).not.toBe(String(running.port));
    expect(new URL(status.url!).searchParams.get('token')).not.toBe(running.token);
    expect(status.qrSvg).toContain('<svg');
    const counted = nextEvent<SharingStatus>(facilitator, 'sharingChanged', (payload) => payload.participants === 1);
    participant = clientFor(status.url!).client;
    expect(await participant.getHostInfo({})).toMatchObject({ kind: 'participant', nativeFileDialogs: false, projectsDirectory: null });
    expect((await counted).participants).toBe(1);
  });

  it('lets the participant read the project but not its file path', async () => {
    const summary = await participant.getProjectSummary({});
    expect(summary).toMatchObject({ name: 'Työpaja', path: '' });
    expect((await participant.getLayerFeatures({ layer: 'facilities' })).features).toEqual([]);
  });

  it('refuses every mutating method to the participant', async () => {
    const untyped = participant as unknown as Record<string, (args: unknown) => Promise<unknown>>;
    const attempts: [string, unknown][] = [
      ['runCommand', { command: { type: 'setting.set', key: 'basemap.url', value: 'https://evil.example/{z}/{x}/{y}.png' } }],
      ['undo', {}],
      ['redo', {}],
      ['createProject', { path: '/tmp/x.gpkg', epsg: 3067 }],
      ['openProject', { path: '/tmp/x.gpkg' }],
      ['openSampleProject', {}],
      ['saveProjectAs', { path: '/tmp/y.gpkg' }],
      ['closeProject', {}],
      ['listRecentProjects', {}],
      ['listProjectFiles', {}],
      ['startSharing', { address: '127.0.0.1', allowComments: true }],
      ['stopSharing', {}],
      ['publishView', { center: [0, 0], resolution: 1 }],
      ['postComment', { x: 385000, y: 6672000, text: 'hei', author: '' }],
      // A participant must not make the host fetch addresses (or import anything).
      ['importListPresets', {}],
      ['importConnectService', { kind: 'wfs', url: 'http://127.0.0.1:9/wfs', presetId: null }],
      // The analysis data (the whole population) and the edit path's delta stay with the facilitator's app.
      ['getAnalysisData', {}],
      ['getAnalysisChanges', { catchments: [1], facilities: [], capacityRows: [], settings: true }],
      ['importStart', { serviceId: 'a'.repeat(32), layer: 'x', mapping: { name: 'm', targetLayer: 'facilities', fields: {} }, source: { id: 'x', title: 'x', publisher: null, licence: null, attribution: null } }],
    ];
    for (const [method, args] of attempts) expect(await failure(untyped[method]!(args)), method).toBe('forbidden');
    expect((await facilitator.getProjectSummary({}))!.settings['basemap.url']).toBeUndefined();
  });

  it("does not accept one role's token on the other server", async () => {
    const crossed = clientFor(status.url!, running.token);
    expect(await failure(crossed.client.getHostInfo({}))).toBe('HostConnectionError');
  });

  it("sends the facilitator's view to participants within a second", async () => {
    const view: LiveView = { center: [385_500, 6_672_500], resolution: 12.5, visibleLayers: { catchments: false }, catchmentSet: 'grades_1_6:fi', year: 2030 };
    const received = nextEvent<LiveView>(participant, 'liveViewChanged');
    await facilitator.publishView(view);
    expect(await received).toEqual(view);
    expect(await participant.getLiveView({})).toEqual(view);
  });

  it('restarts with a fresh token: the old address stops working, comments are allowed now', async () => {
    const previous = status.url!;
    status = await facilitator.startSharing({ address: '127.0.0.1', allowComments: true });
    expect(status.url).not.toBe(previous);
    const stale = clientFor(previous).client;
    expect(await failure(stale.getHostInfo({}))).toBe('HostConnectionError');
    participant = clientFor(status.url!).client;
    const announced = nextEvent<{ count: number }>(facilitator, 'commentsChanged');
    const hostile = '<img src=x onerror=alert(1)> Koulumatka on liian pitkä';
    const comment = await participant.postComment({ x: 385_100, y: 6_672_100, text: hostile, author: 'Vanhempi' });
    expect(comment).toMatchObject({ text: hostile, author: 'Vanhempi', hidden: false, x: 385_100, y: 6_672_100 });
    expect((await announced).count).toBe(1);
    expect((await facilitator.listComments({})).map((entry) => entry.text)).toEqual([hostile]);
    expect(await failure(participant.postComment({ x: 385_100, y: 6_672_100, text: 'x'.repeat(501), author: '' }))).toBe('invalidArgument');
    expect(await failure(participant.postComment({ x: 385_100, y: 6_672_100, text: '   ', author: '' }))).toBe('invalidArgument');
  });

  it('lets the facilitator hide a comment from participants, as an undoable command', async () => {
    const [comment] = await facilitator.listComments({});
    await facilitator.runCommand({ command: { type: 'comment.setHidden', fid: comment!.fid, hidden: true } });
    expect(await participant.listComments({ includeHidden: true })).toEqual([]);
    expect((await facilitator.listComments({}))[0]).toMatchObject({ fid: comment!.fid, hidden: true });
    await facilitator.undo({});
    expect((await participant.listComments({})).map((entry) => entry.fid)).toEqual([comment!.fid]);
  });

  it('stopping ends every participant session and refuses new ones', async () => {
    const url = status.url!;
    const stopped = await facilitator.stopSharing({});
    expect(stopped).toMatchObject({ active: false, url: null, participants: 0 });
    expect(await failure(participant.getHostInfo({}))).toBe('HostConnectionError');
    expect(await failure(clientFor(url).client.getHostInfo({}))).toBe('HostConnectionError');
    // The facilitator's own session goes on.
    expect((await facilitator.getProjectSummary({}))!.name).toBe('Työpaja');
  });
});
