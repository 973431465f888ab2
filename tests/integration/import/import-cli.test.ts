/**
 * The built CLI: `verkosto import`, `verkosto sync` (a dry run first, then --yes) and `verkosto export`,
 * in child processes, with messages in English and Finnish and usage errors with exit code 2.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectFile } from '../../../electron/store/project-file';
import { makeTempDir } from '../../fixtures/store-helpers';
import { assertCliBuilt, runCli } from '../cli-helpers';
import { SCHOOLS, writeSchoolsGeoJson } from './import-helpers';

const temp = makeTempDir('verkosto-import-cli-');
beforeAll(() => assertCliBuilt());
afterAll(() => temp.cleanup());

describe('verkosto import / sync / export', () => {
  it('imports a CSV with a saved mapping, syncs after a change, and exports', () => {
    const cwd = temp.dir;
    expect(runCli(['new', 'p.gpkg'], { cwd }).status).toBe(0);
    const csv = (schools: typeof SCHOOLS) => ['code;name_fi;language;lat;lon', ...schools.map((s) => `${s.code};${s.name};${s.language === 'suomi' ? 'fi' : 'sv'};${s.lat};${s.lon}`)].join('\n');
    writeFileSync(temp.file('koulut.csv'), csv(SCHOOLS));
    const imported = runCli(['import', 'p.gpkg', 'koulut.csv', '--as', 'facilities', '--mapping', 'koulut', '--licence', 'CC BY 4.0'], { cwd });
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    expect(imported.stdout).toContain('Imported 3 features from koulut.csv into facilities (source koulut, EPSG:4326)');

    writeFileSync(temp.file('koulut.csv'), csv([{ ...SCHOOLS[0]!, name: 'Käpylän koulu' }, SCHOOLS[1]!]));
    const dry = runCli(['sync', 'p.gpkg'], { cwd });
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('koulut: 0 added, 1 changed, 1 removed, 0 conflicts');
    expect(dry.stdout).toContain('Nothing was changed');
    let project = ProjectFile.open(temp.file('p.gpkg'));
    expect(project.readFeatures('facilities').features).toHaveLength(3);
    project.close();

    const applied = runCli(['sync', 'p.gpkg', '--source', 'koulut', '--yes'], { cwd, env: { VERKOSTO_LANG: 'fi' } });
    expect(applied.status).toBe(0);
    expect(applied.stdout).toContain('synkronointi tehty yhtenä kumottavana muutoksena');
    project = ProjectFile.open(temp.file('p.gpkg'));
    expect(project.readFeatures('facilities').features.map((f) => f.properties.name_fi).sort()).toEqual(['Käpylän koulu', 'Åshöjdens grundskola']);
    project.close();

    const exported = runCli(['export', 'p.gpkg', 'facilities', 'out.zip'], { cwd });
    expect(exported.status).toBe(0);
    expect(exported.stdout).toContain('Exported 2 features of facilities to out.zip (EPSG:3067)');
    expect(runCli(['export', 'p.gpkg', 'facilities', 'out.zip'], { cwd }).errorLines).toEqual(['verkosto: out.zip already exists. Choose another name.']);
  });

  it('reports usage errors with exit code 2 and import problems with exit code 1', () => {
    const cwd = temp.dir;
    runCli(['new', 'q.gpkg'], { cwd });
    writeSchoolsGeoJson(temp.file('s.geojson'));
    const noLayer = runCli(['import', 'q.gpkg', 's.geojson'], { cwd });
    expect(noLayer.status).toBe(2);
    expect(noLayer.errorLines[0]).toContain('Name the target layer');
    const badLayer = runCli(['import', 'q.gpkg', 's.geojson', '--as', 'schools'], { cwd });
    expect(badLayer.status).toBe(2);
    writeFileSync(temp.file('broken.geojson'), '{"type": "FeatureCollection", "features": [');
    const broken = runCli(['import', 'q.gpkg', 'broken.geojson', '--as', 'facilities'], { cwd });
    expect(broken.status).toBe(1);
    expect(broken.errorLines).toHaveLength(1);
    expect(broken.errorLines[0]).toMatch(/^verkosto: The source broken\.geojson cannot be read: .*the project was not changed\.$/);
    expect(runCli(['sync', 'q.gpkg', '--source', 'nope'], { cwd }).errorLines).toEqual(['verkosto: The project has no source nope.']);
  });
});
