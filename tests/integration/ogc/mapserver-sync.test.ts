/**
 * Sync against a real WFS server (MapServer 8 on 127.0.0.1): import the schools layer, then the server's
 * data changes (one school added, one renamed, one deleted — written into the served GeoPackage) while the
 * project has local edits on another school and on the renamed one. Re-sync reports exactly 3 changes, 1 of
 * them a conflict; nothing changes before applying; after applying the local edits are still there, and
 * the whole sync is one undoable command. Offline, the source reports itself unreachable with the reason.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySync, importSource, previewSync } from '../../../electron/services/import/import-service';
import { listSources } from '../../../electron/services/import/import-store';
import { networkSourceStatus } from '../../../electron/services/import/readers/network';
import { openStoredSource } from '../../../electron/services/import/source-registry';
import { encodeGeoPackageGeometry } from '../../../shared/geo/gpkg-geometry';
import { syncChangeCount, type FieldMapping, type StoredSourceConfig } from '../../../shared/import/types';
import { dispatchCall } from '../../../electron/host/dispatch';
import { createHost } from '../../../electron/services/host';
import type { SourceStatus } from '../../../shared/import/contract';
import { ogcServerUnavailableReason, startOgcServer, type OgcServer } from '../../support/mapserver/ogc-server';
import { makeTempDir } from '../../fixtures/store-helpers';
import { newProject, projectBytesHash } from '../import/import-helpers';

const unavailable = ogcServerUnavailableReason();

const MAPPING: FieldMapping = {
  name: 'statfi-koulut',
  targetLayer: 'facilities',
  fields: { code: { source: 'tunn' }, name_fi: { source: 'onimi' }, facility_kind: { constant: 'school' }, language: { constant: 'fi' } },
};

describe.skipIf(unavailable !== null)('sync with a WFS source on MapServer', () => {
  const temp = makeTempDir('verkosto-wfs-sync-');
  let server: OgcServer;

  beforeAll(async () => {
    server = await startOgcServer();
  });
  afterAll(async () => {
    await server?.stop();
    temp.cleanup();
  });

  it('3 changes, 1 conflict, local edits kept, one undoable command', async () => {
    const config: StoredSourceConfig = {
      id: 'statfi-koulut', kind: 'wfs', title: 'Koulut (WFS)', url: server.wfs, file: null, layer: 'ms:koulut', targetLayer: 'facilities',
      mappingName: MAPPING.name, publisher: 'Tilastokeskus', licence: 'CC BY 4.0', attribution: '© Tilastokeskus', epsg: 3879,
      options: { outputFormat: 'auto', pageSize: 50 },
    };
    const projectPath = temp.file('sync.gpkg');
    const project = newProject(projectPath);
    // The registry opens the stored configuration with the network reader (registered by readers/network).
    const result = await importSource(project, openStoredSource(config), { sourceLayer: 'ms:koulut', targetLayer: 'facilities', mapping: MAPPING, sourceConfig: config });
    expect(result.imported).toBe(129);
    expect(result.sourceEpsg).toBe(3879);
    expect(listSources(project).find((source) => source.id === 'statfi-koulut')).toMatchObject({ kind: 'wfs', url: server.wfs, licence: 'CC BY 4.0' });
    const fidOf = (code: string): number => (project.db.prepare('SELECT fid FROM facilities WHERE code = ?').get(code) as { fid: number }).fid;
    const nameOf = (code: string): string | undefined => (project.db.prepare('SELECT name_fi FROM facilities WHERE code = ?').get(code) as { name_fi: string } | undefined)?.name_fi;
    // Imported points are in the project CRS (TM35FIN): Aleksis Kiven peruskoulu at Statistics Finland's own euref_x/euref_y.
    const aleksis = project.readFeatures('facilities').features.find((feature) => feature.properties.code === '03002')!;
    const [x, y] = (aleksis.geometry as { coordinates: [number, number] }).coordinates;
    expect(Math.abs(x - 386387)).toBeLessThan(0.5);
    expect(Math.abs(y - 6674122)).toBeLessThan(0.5);

    // The server's data changes: fid 2 (Apollon yhteiskoulu, 03391) renamed, fid 3 deleted, a new school added.
    const served = new Database(server.gpkg);
    const deleted = served.prepare('SELECT tunn FROM koulut WHERE fid = 3').get() as { tunn: string };
    const untouched = served.prepare('SELECT tunn, onimi FROM koulut WHERE fid = 4').get() as { tunn: string; onimi: string };
    served.prepare("UPDATE koulut SET onimi = 'Apollon yhteiskoulu (lakkautettu nimi)' WHERE fid = 2").run();
    served.prepare('DELETE FROM koulut WHERE fid = 3').run();
    served.prepare("INSERT INTO koulut (geom, tunn, onimi, kunta) VALUES (?, '99999', 'Jätkäsaaren uusi koulu', '091')").run(Buffer.from(encodeGeoPackageGeometry({ type: 'Point', coordinates: [384200, 6671100] }, 3067)));
    served.close();

    // Local edits: the renamed school (a conflict) and another one the server did not touch.
    project.runCommand({ type: 'facility.update', fid: fidOf('03391'), changes: { name_fi: 'Apollon yhteiskoulu (paikallinen)' } });
    project.runCommand({ type: 'facility.update', fid: fidOf(untouched.tunn), changes: { name_fi: `${untouched.onimi} (tarkistettu)`, floor_area_m2: 4200 } });

    const before = projectBytesHash(projectPath);
    const plan = await previewSync(project, openStoredSource(config), { sourceId: 'statfi-koulut' });
    expect(projectBytesHash(projectPath), 'nothing changes without confirmation').toBe(before);
    expect(syncChangeCount(plan)).toBe(3);
    expect(plan.conflicts).toHaveLength(1);
    expect(plan.conflicts[0]).toMatchObject({ conflict: 'bothChanged' });
    expect(plan.conflicts[0]!.incoming?.properties.name_fi).toBe('Apollon yhteiskoulu (lakkautettu nimi)');
    expect(plan.added.map((entry) => entry.incoming?.properties.code)).toEqual(['99999']);
    expect(plan.removed.map((entry) => entry.local?.properties.code)).toEqual([deleted.tunn]);
    expect(plan.changed).toHaveLength(0);
    expect(plan.localEdits).toBe(1);

    const edit = applySync(project, plan, {});
    expect(edit.seq).toBeGreaterThan(0);
    // Unresolved conflict keeps the local version; the other local edit is untouched; the source's add and delete are in.
    expect(nameOf('03391')).toBe('Apollon yhteiskoulu (paikallinen)');
    expect(nameOf(untouched.tunn)).toBe(`${untouched.onimi} (tarkistettu)`);
    expect(nameOf('99999')).toBe('Jätkäsaaren uusi koulu');
    expect(nameOf(deleted.tunn)).toBeUndefined();
    expect(project.readFeatures('facilities').features).toHaveLength(129);

    // One undo takes the whole sync back.
    project.undo();
    expect(nameOf('99999')).toBeUndefined();
    expect(nameOf(deleted.tunn)).toBeDefined();
    expect(nameOf(untouched.tunn)).toBe(`${untouched.onimi} (tarkistettu)`);
    project.close();

    // Offline: the source says why sync is unavailable (the project keeps its snapshot), also through the
    // host contract the sync dialog uses to disable "check for changes".
    const host = createHost({ kind: 'browser', version: 'test', dataDirectory: temp.file('data'), projectsDirectory: temp.dir, allowedRoots: [temp.dir], emit: () => undefined });
    // Through the dispatcher both transports use: arguments validated by the contract's schemas.
    const call = async (method: string, args: unknown): Promise<unknown> => {
      const envelope = await dispatchCall(host, method, args);
      if (!envelope.ok) throw envelope.error;
      return envelope.result;
    };
    try {
      await call('openProject', { path: projectPath });
      expect(await networkSourceStatus(config, { timeoutMs: 2_000 })).toEqual({ online: true });
      expect(await call('importSourceStatus', { sourceId: 'statfi-koulut' })).toEqual({ sourceId: 'statfi-koulut', online: true, reason: null });
      await server.stop();
      const status = await networkSourceStatus(config, { timeoutMs: 2_000 });
      expect(status.online).toBe(false);
      expect(status.online === false && status.reason.code).toBe('sourceOffline');
      const viaHost = (await call('importSourceStatus', { sourceId: 'statfi-koulut' })) as SourceStatus;
      expect(viaHost).toMatchObject({ online: false, reason: { code: 'sourceOffline', params: { server: new URL(server.wfs).host } } });
      // The sync itself fails with the same clear reason, and the project is unchanged.
      const before = projectBytesHash(projectPath);
      await expect(call('importPreviewSync', { sourceId: 'statfi-koulut' })).rejects.toMatchObject({ code: 'sourceOffline' });
      expect(projectBytesHash(projectPath)).toBe(before);
    } finally {
      host.dispose();
    }
  });
});
