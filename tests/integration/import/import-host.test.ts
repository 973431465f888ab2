/**
 * The import contract through the real Node host and WebSocket transport: a chunked upload (larger than
 * one message), inspect with a suggested mapping, preview with per-field checks, an import job with
 * progress and finished events, cancellation, listing sources, sync review and apply, and export into the
 * projects folder (and refusal outside it).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeHost, type RunningNodeHost } from '../../../electron/host/node-host';
import type { HostClient, HostEvents } from '../../../shared/contract/host-api';
import { VerkostoError } from '../../../shared/errors';
import { createHostClient } from '../../../renderer/host/create-host-client';
import { createWebSocketTransport } from '../../../renderer/host/websocket-transport';
import { uploadBytes } from '../../../renderer/import/upload';
import { makeTempDirectory } from '../../support/temp-directory';
import { webSocketWithOrigin } from '../../support/node-websocket';
import { SCHOOLS } from './import-helpers';

const temp = makeTempDirectory('verkosto-import-host-');
let running: RunningNodeHost;
let client: HostClient;
let close: () => void;
const finished: HostEvents['importFinished'][] = [];
const progress: HostEvents['importProgress'][] = [];

beforeAll(async () => {
  const renderer = path.join(temp.path, 'renderer');
  mkdirSync(renderer, { recursive: true });
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Verkosto</title>');
  running = await startNodeHost({ port: 0, dataDirectory: temp.path, rendererDirectory: renderer });
  const transport = createWebSocketTransport({ url: `ws://127.0.0.1:${running.port}/api?token=${running.token}`, webSocketImplementation: webSocketWithOrigin(`http://127.0.0.1:${running.port}`) });
  close = () => transport.close();
  client = createHostClient(transport);
  client.on('importFinished', (event) => finished.push(event));
  client.on('importProgress', (event) => progress.push(event));
});
afterAll(async () => {
  close();
  await running.close();
  temp.remove();
});

const waitFor = async <T>(find: () => T | undefined, timeoutMs = 20_000): Promise<T> => {
  const started = Date.now();
  for (;;) {
    const value = find();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

function csv(rows: number, changed = false): Uint8Array {
  const lines = ['koodi;nimi;kieli;kapasiteetti;lat;lon'];
  for (let i = 0; i < rows; i++) {
    const school = SCHOOLS[i % 3]!;
    lines.push(`K${i};${school.name} ${i}${changed && i === 0 ? ' (uusi)' : ''};${school.language === 'suomi' ? 'fi' : 'sv'};${school.capacity};${(school.lat + i * 1e-5).toFixed(6)};${school.lon}`);
  }
  return new TextEncoder().encode(lines.join('\n'));
}

describe('import over the contract', () => {
  it('uploads in chunks, inspects, previews, imports as a job, syncs and exports', async () => {
    const info = await client.getHostInfo({});
    await client.createProject({ path: path.join(info.projectsDirectory!, 'tuonti.gpkg'), epsg: 3067 });
    // 20 000 rows ≈ 1.1 MB: more than one upload chunk and more than one WebSocket message.
    const bytes = csv(20_000);
    expect(bytes.length).toBeGreaterThan(1024 * 1024);
    const uploadId = await uploadBytes(client, 'koulut.csv', bytes);
    const inspection = await client.importInspect({ uploadId, targetLayer: 'facilities' });
    expect(inspection.kind).toBe('csv');
    expect(inspection.layers[0]).toMatchObject({ epsg: 4326 });
    expect(inspection.layers[0]!.fields.map((f) => f.name)).toEqual(['koodi', 'nimi', 'kieli', 'kapasiteetti', 'lat', 'lon']);
    expect(inspection.suggestion.fields).toMatchObject({ code: { source: 'koodi' }, name_fi: { source: 'nimi' }, language: { source: 'kieli' }, 'service:grades_1_6:capacity': { source: 'kapasiteetti' } });
    expect(inspection.targets.find((t) => t.target === 'language')).toMatchObject({ type: 'enum', values: ['fi', 'sv'] });

    const mapping = { ...inspection.suggestion, name: 'koulut' };
    const preview = await client.importPreview({ uploadId, layer: 'default', mapping });
    expect(preview.error).toBeNull();
    expect(preview.features.length).toBe(2000);
    expect(preview.fieldChecks['service:grades_1_6:capacity']).toMatchObject({ ok: 2000, bad: 0 });
    const badPreview = await client.importPreview({ uploadId, layer: 'default', mapping: { ...mapping, fields: { ...mapping.fields, floor_area_m2: { source: 'nimi' } } } });
    expect(badPreview.fieldChecks.floor_area_m2).toMatchObject({ ok: 0, bad: 2000 });
    expect(badPreview.error?.code).toBe('importBadValue');

    const { jobId } = await client.importStart({ uploadId, layer: 'default', mapping, source: { id: 'koulut', title: 'Koulujen kapasiteetit', publisher: 'Kaupunki', licence: 'CC BY 4.0', attribution: null } });
    const done = await waitFor(() => finished.find((event) => event.jobId === jobId));
    expect(done.error).toBeNull();
    expect(done.result).toMatchObject({ imported: 20_000, sourceId: 'koulut' });
    expect(done.edit?.canUndo).toBe(true);
    expect(progress.some((event) => event.jobId === jobId)).toBe(true);
    const sources = await client.importListSources({});
    expect(sources).toMatchObject([{ id: 'koulut', title: 'Koulujen kapasiteetit', licence: 'CC BY 4.0', featureCount: 20_000, targetLayer: 'facilities' }]);
    expect((await client.importListMappings({})).map((m) => m.name)).toEqual(['koulut']);

    // A new version of the file, uploaded again, synced after review.
    const second = await uploadBytes(client, 'koulut.csv', csv(19_999, true));
    const plan = await client.importPreviewSync({ sourceId: 'koulut', uploadId: second });
    expect([plan.added.length, plan.changed.length, plan.removed.length, plan.conflicts.length]).toEqual([0, 1, 1, 0]);
    const edit = await client.importApplySync({ planId: plan.planId, resolutions: {} });
    expect(edit.command).toMatchObject({ type: 'import.apply', operation: 'sync', changed: 1, removed: 1 });
    await expect(client.importApplySync({ planId: plan.planId, resolutions: {} })).rejects.toMatchObject({ code: 'staleSyncPlan' });

    const exported = await client.exportLayer({ layer: 'facilities', path: path.join(info.projectsDirectory!, 'koulut.gpkg') });
    expect(exported.features).toBe(19_999);
    expect(existsSync(exported.file)).toBe(true);
    const outside = await client.exportLayer({ layer: 'facilities', path: path.join(temp.path, 'outside.geojson') }).catch((error: unknown) => error);
    expect(outside).toBeInstanceOf(VerkostoError);
    expect((outside as VerkostoError).code).toBe('pathNotAllowed');
  }, 60_000);

  it('cancels a running import and leaves the project unchanged', async () => {
    const before = (await client.getProjectSummary({}))!.layers.find((layer) => layer.id === 'facilities')!.featureCount;
    const uploadId = await uploadBytes(client, 'iso.csv', csv(40_000));
    const mapping = { name: 'cancel', targetLayer: 'facilities' as const, fields: { name_fi: { source: 'nimi' } } };
    const { jobId } = await client.importStart({ uploadId, layer: 'default', mapping, source: { id: 'peruttu', title: 'Peruttu', publisher: null, licence: null, attribution: null } });
    await client.importCancel({ jobId }).catch(() => undefined);
    const done = await waitFor(() => finished.find((event) => event.jobId === jobId));
    expect(done.error?.code).toBe('importCancelled');
    const after = (await client.getProjectSummary({}))!.layers.find((layer) => layer.id === 'facilities')!.featureCount;
    expect(after).toBe(before);
    expect((await client.importListSources({})).map((s) => s.id)).toEqual(['koulut']);
  }, 60_000);

  it('lets the user name the coordinate columns of a table Verkosto does not recognise', async () => {
    const text = 'nimi;itä;pohjoinen\nKäpylän peruskoulu;25497222,5;6677977,7\n';
    const uploadId = await uploadBytes(client, 'sijainnit.csv', new TextEncoder().encode(text));
    const first = await client.importInspect({ uploadId, targetLayer: 'facilities' });
    expect(first.layers[0]).toMatchObject({ needsCoordinates: true, epsg: null });
    const mapping = { name: 'sijainnit', targetLayer: 'facilities' as const, fields: { name_fi: { source: 'nimi' } } };
    expect((await client.importPreview({ uploadId, layer: 'default', mapping })).error?.code).toBe('importMissingField');
    const options = { coordinates: { kind: 'xy' as const, x: 'itä', y: 'pohjoinen' } };
    const second = await client.importInspect({ uploadId, targetLayer: 'facilities', options, epsg: 3879 });
    expect(second.layers[0]).toMatchObject({ needsCoordinates: false, epsg: 3879 });
    const preview = await client.importPreview({ uploadId, layer: 'default', mapping, options, epsg: 3879 });
    expect(preview.error).toBeNull();
    const [x, y] = (preview.features[0]!.geometry as { coordinates: [number, number] }).coordinates;
    expect(x).toBeGreaterThan(386_000);
    expect(y).toBeGreaterThan(6_676_000);
  });

  it('refuses a chunk that does not follow the previous one', async () => {
    const { uploadId } = await client.importBeginUpload({ name: 'x.csv', size: 10 });
    await expect(client.importAppendUpload({ uploadId, offset: 5, data: 'AAAA' })).rejects.toMatchObject({ code: 'invalidArgument' });
    await expect(client.importBeginUpload({ name: '../etc/passwd', size: 10 })).rejects.toMatchObject({ code: 'invalidArgument' });
  });
});
