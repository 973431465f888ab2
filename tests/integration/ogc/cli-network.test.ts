/**
 * The command line with a network source, end to end against MapServer: `verkosto import FILE wfs:URL
 * --layer … --as …` stores the source in the project, `verkosto sync FILE` reads the service again and
 * reports, `--yes` applies. Runs the BUILT CLI (npm test builds first).
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectFile } from '../../../electron/store/project-file';
import { assertCliBuilt, runCli } from '../cli-helpers';
import { makeTempDir } from '../../fixtures/store-helpers';
import { ogcServerUnavailableReason, startOgcServer, type OgcServer } from '../../support/mapserver/ogc-server';

const unavailable = ogcServerUnavailableReason();

describe.skipIf(unavailable !== null)('verkosto import/sync with a WFS source', () => {
  const temp = makeTempDir('verkosto-cli-wfs-');
  let server: OgcServer;

  beforeAll(async () => {
    assertCliBuilt();
    server = await startOgcServer();
  });
  afterAll(async () => {
    await server?.stop();
    temp.cleanup();
  });

  it('imports from wfs:URL, syncs a change from the server, and says which layer is missing', async () => {
    const file = temp.file('cli.gpkg');
    ProjectFile.create(file, { epsg: 3879, name: 'CLI WFS' }).close();

    const noLayer = runCli(['import', file, `wfs:${server.wfs}`, '--as', 'municipality'], { cwd: temp.dir });
    expect(noLayer.status).toBe(2);
    expect(noLayer.stderr).toContain('--layer');
    expect(noLayer.stderr).toContain('ms:osaalueet');

    const imported = runCli(['import', file, `wfs:${server.wfs}`, '--layer', 'ms:osaalueet', '--as', 'municipality', '--id', 'osa', '--licence', 'CC BY 4.0'], { cwd: temp.dir });
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    expect(imported.stdout).toContain('148');
    expect(imported.stdout).toContain('EPSG:3879');

    const served = new Database(server.gpkg);
    served.prepare("UPDATE osaalueet SET nimi_fi = 'Kruununhaka (uusi nimi)' WHERE tunnus = '010'").run();
    served.close();

    const dryRun = runCli(['sync', file, '--source', 'osa'], { cwd: temp.dir });
    expect(dryRun.status).toBe(0);
    const project = ProjectFile.open(file);
    const names = (): string[] => project.readFeatures('municipality').features.map((feature) => String(feature.properties.name_fi));
    expect(names()).toContain('Kruununhaka');
    expect(names()).not.toContain('Kruununhaka (uusi nimi)');
    project.close();

    const applied = runCli(['sync', file, '--source', 'osa', '--yes'], { cwd: temp.dir });
    expect(applied.status).toBe(0);
    expect(applied.stdout).not.toBe(dryRun.stdout);
    const after = ProjectFile.open(file);
    const namesAfter = after.readFeatures('municipality').features.map((feature) => String(feature.properties.name_fi));
    expect(namesAfter).toContain('Kruununhaka (uusi nimi)');
    expect(namesAfter).toHaveLength(148);
    after.close();
  });
});
