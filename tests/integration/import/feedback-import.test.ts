/**
 * Residents' feedback into the `feedback` layer: Helsinki's Open311 preset, pointed at an Open311 server on
 * 127.0.0.1 written from the GeoReport v2 format, through the host's validating dispatcher as the import
 * dialog calls it. The preset's mapping fills the layer; the features keep their request ids as source ids;
 * a re-sync finds nothing new; undo takes the import back.
 */
import proj4 from 'proj4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCrs } from '../../../shared/geo/crs';
import { dispatchCall } from '../../../electron/host/dispatch';
import { createHost } from '../../../electron/services/host';
import type { HostEvents } from '../../../shared/contract/host-api';
import type { ImportInspection, ImportPreview, ServiceConnectionInfo } from '../../../shared/import/contract';
import type { SyncPlan } from '../../../shared/import/types';
import { ProjectFile } from '../../../electron/store/project-file';
import { makeTempDir } from '../../fixtures/store-helpers';
import { startLocalServer, type LocalServer } from '../ogc/local-http-server';
import { newProject } from './import-helpers';

// Two requests near Aleksis Kiven peruskoulu, and one without a location (the layer needs one: skipped).
const REQUESTS = [
  { service_request_id: '2026-00101', status: 'open', service_code: '2806', service_name: 'Koulujen ja päiväkotien ympäristö', description: 'Koulun edessä ei ole suojatietä', requested_datetime: '2026-01-12T07:40:00Z', updated_datetime: '2026-01-13T09:00:00Z', address: 'Kirstinkatu 1', lat: 60.18809, long: 24.95125 },
  { service_request_id: '2026-00102', status: 'closed', service_code: '2806', service_name: 'Koulujen ja päiväkotien ympäristö', description: 'Pyörätelineitä liian vähän', requested_datetime: '2026-02-03T12:10:00Z', updated_datetime: '2026-02-20T10:00:00Z', address: 'Porvoonkatu 5', lat: 60.18873, long: 24.95361 },
  { service_request_id: '2026-00103', status: 'open', service_code: '171', service_name: 'Muu palaute', description: 'Yleinen kysymys', requested_datetime: '2026-02-04T12:10:00Z', updated_datetime: null, address: null, lat: null, long: null },
];

describe("importing residents' feedback from Open311 into the feedback layer", () => {
  const temp = makeTempDir('verkosto-feedback-');
  const finished: HostEvents['importFinished'][] = [];
  const projectPath = temp.file('palaute.gpkg');
  let server: LocalServer;
  let host: ReturnType<typeof createHost>;
  const call = async <T>(method: string, args: unknown): Promise<T> => {
    const envelope = await dispatchCall(host, method, args);
    if (!envelope.ok) throw envelope.error;
    return envelope.result as T;
  };

  beforeAll(async () => {
    server = await startLocalServer({
      '/palautews/rest/v1/services.json': (_request, response) => response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify([{ service_code: '2806', service_name: 'Koulujen ja päiväkotien ympäristö' }])),
      // Every 90-day window is asked; the requests are answered in the window that contains them.
      '/palautews/rest/v1/requests.json': (request, response) => {
        const start = Date.parse(request.url.searchParams.get('start_date')!);
        const end = Date.parse(request.url.searchParams.get('end_date')!);
        const inWindow = REQUESTS.filter((entry) => Date.parse(entry.requested_datetime) >= start && Date.parse(entry.requested_datetime) < end);
        response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(inWindow));
      },
    });
    newProject(projectPath).close();
    host = createHost({
      kind: 'browser', version: 'test', dataDirectory: temp.file('data'), projectsDirectory: temp.dir, allowedRoots: [temp.dir],
      emit: (event, payload) => event === 'importFinished' && finished.push(payload as HostEvents['importFinished']),
    });
    await call('openProject', { path: projectPath });
  });
  afterAll(async () => {
    host?.dispose();
    await server?.close();
    temp.cleanup();
  });

  it('maps with the preset, imports the located requests with their ids, syncs and undoes', async () => {
    const url = `${server.base}/palautews/rest/v1/`;
    const connection = await call<ServiceConnectionInfo>('importConnectService', { kind: 'open311', url, presetId: 'helsinki-feedback' });
    expect(connection.layer).toBe('requests');
    expect(connection.layers.map((layer) => layer.name)).toContain('requests');

    const inspection = await call<ImportInspection>('importInspect', { serviceId: connection.serviceId, layer: 'requests', targetLayer: 'feedback' });
    expect(inspection.targets.map((target) => target.target)).toEqual(['request_id', 'service_name', 'description', 'status', 'requested_at', 'updated_at', 'address']);
    expect(inspection.suggestion).toMatchObject({ name: 'helsinki-feedback', targetLayer: 'feedback', fields: { request_id: { source: 'service_request_id' }, description: { source: 'description' } } });

    const preview = await call<ImportPreview>('importPreview', { serviceId: connection.serviceId, layer: 'requests', mapping: inspection.suggestion });
    expect(preview.featuresRead).toBe(3);
    // The request without a location cannot be a point on the map: the import stops unless told to skip it.
    expect(preview.error?.code).toBe('importNoGeometry');

    const { jobId } = await call<{ jobId: string }>('importStart', {
      serviceId: connection.serviceId, layer: 'requests', mapping: inspection.suggestion, skipInvalid: true,
      source: { id: 'helsinki-feedback', title: 'Asukkaiden palaute', publisher: 'Helsingin kaupunki', licence: 'CC BY 4.0', attribution: '© Helsingin kaupunki' },
    });
    await expect.poll(() => finished.find((event) => event.jobId === jobId), { timeout: 30_000 }).toBeDefined();
    const done = finished.find((event) => event.jobId === jobId)!;
    expect(done.error).toBeNull();
    expect(done.result).toMatchObject({ imported: 2, skipped: 1 });

    const features = (await call<{ features: { properties: Record<string, unknown>; geometry: { coordinates: number[] } }[] }>('getLayerFeatures', { layer: 'feedback' })).features;
    expect(features.map((feature) => feature.properties)).toEqual([
      expect.objectContaining({ request_id: '2026-00101', status: 'open', description: 'Koulun edessä ei ole suojatietä', requested_at: '2026-01-12T07:40:00Z', address: 'Kirstinkatu 1' }),
      expect.objectContaining({ request_id: '2026-00102', status: 'closed', updated_at: '2026-02-20T10:00:00Z' }),
    ]);
    // In the project CRS (TM35FIN), where proj4 puts the request's WGS 84 point (within the 1 mm rounding).
    const [east, north] = proj4('+proj=longlat +datum=WGS84 +no_defs', findCrs(3067)!.proj4, [REQUESTS[0]!.long!, REQUESTS[0]!.lat!]) as [number, number];
    expect(Math.abs(features[0]!.geometry.coordinates[0]! - east)).toBeLessThan(0.002);
    expect(Math.abs(features[0]!.geometry.coordinates[1]! - north)).toBeLessThan(0.002);

    const plan = await call<SyncPlan>('importPreviewSync', { sourceId: 'helsinki-feedback' });
    expect(plan.added.length + plan.changed.length + plan.removed.length + plan.conflicts.length).toBe(0);

    await call('undo', {});
    expect((await call<{ features: unknown[] }>('getLayerFeatures', { layer: 'feedback' })).features).toEqual([]);
    await call('redo', {});
    const summary = await call<{ layers: { id: string; featureCount: number }[] }>('getProjectSummary', {});
    expect(summary.layers.find((layer) => layer.id === 'feedback')!.featureCount).toBe(2);
    await call('closeProject', {});
    const reopened = ProjectFile.open(projectPath);
    try {
      const ids = reopened.db.prepare("SELECT source_feature_id FROM import_snapshots WHERE source_id = 'helsinki-feedback' ORDER BY source_feature_id").all();
      expect(ids).toEqual([{ source_feature_id: '2026-00101' }, { source_feature_id: '2026-00102' }]);
    } finally {
      reopened.close();
    }
  });
});
