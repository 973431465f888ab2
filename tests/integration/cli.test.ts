/**
 * The built `verkosto` command as a user runs it: exit codes, one-line errors in the user's language,
 * `new` in two coordinate systems, `info` (text and JSON) without changing the file.
 * Needs dist/ (npm test builds first; or `node scripts/build.mjs`).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION } from '../../electron/store/migrations';
import { assertCliBuilt, CLI_BIN, ogrSummary, REPO_ROOT, run, runCli, temporaryDirectory, validateGeoPackage } from './cli-helpers';

const workspace = temporaryDirectory('verkosto-cli-');
const cwd = workspace.path;
const fileHash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

beforeAll(() => assertCliBuilt());
afterAll(() => workspace.remove());

describe('verkosto help and version', () => {
  it('--version prints the package version', () => {
    const result = runCli(['--version'], { cwd });
    expect(result.status).toBe(0);
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(result.stdout.trim()).toBe(version);
  });

  it('help lists every command and exits 0', () => {
    for (const flag of ['help', '--help']) {
      const result = runCli([flag], { cwd });
      expect(result.status).toBe(0);
      for (const command of ['new', 'sample', 'info', 'synth', 'serve']) expect(result.stdout).toContain(`verkosto ${command} `);
    }
  });

  it('no command, an unknown command, a missing file and an unknown option are usage errors (exit 2, one line)', () => {
    const cases: [string[], RegExp][] = [
      [[], /No command given\. Usage: verkosto /],
      [['frobnicate'], /Unknown command “frobnicate”\. Usage: verkosto /],
      [['info'], /The project file is missing\. Usage: verkosto info FILE \[--json\]/],
      [['info', 'a.gpkg', '--colour'], /Unknown option --colour\. Usage: verkosto info /],
      [['info', 'a.gpkg', 'b.gpkg'], /Unexpected argument “b\.gpkg”/],
      [['new', 'x.gpkg', '--crs'], /Option --crs needs a value/],
      [['synth', 'x.gpkg', '--units', '12k'], /--units must be a whole number from 1 to 2000000 \(got “12k”\)/],
      [['serve', '--host', '0.0.0.0'], /listens on 127\.0\.0\.1 only/],
    ];
    for (const [args, expected] of cases) {
      const result = runCli(args, { cwd });
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.errorLines, args.join(' ')).toHaveLength(1);
      expect(result.errorLines[0]).toMatch(/^verkosto: /);
      expect(result.errorLines[0]).toMatch(expected);
      expect(result.stdout).toBe('');
    }
    expect(existsSync(path.join(cwd, 'x.gpkg'))).toBe(false);
  });
});

describe('verkosto new', () => {
  it('creates an empty EPSG:3067 project by default that GDAL opens and validates', () => {
    const result = runCli(['new', 'default.gpkg'], { cwd });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('EPSG:3067');
    const file = path.join(cwd, 'default.gpkg');
    const layers = ogrSummary(file);
    expect(layers.filter((layer) => layer.geometry !== 'None').map((layer) => [layer.name, layer.geometry, layer.featureCount, layer.epsg])).toEqual([
      ['facilities', 'Point', 0, 3067],
      ['catchments', 'Multi Polygon', 0, 3067],
      ['demand_units', 'Multi Polygon', 0, 3067],
      ['municipality', 'Multi Polygon', 0, 3067],
      ['comments', 'Point', 0, 3067],
      ['feedback', 'Point', 0, 3067],
      ['residential_points', 'Point', 0, 3067],
    ]);
    expect(validateGeoPackage(file).status).toBe(0);
  });

  it('--crs EPSG:3879 --name sets the coordinate system and the project name', () => {
    const result = runCli(['new', 'gk25.gpkg', '--crs', 'EPSG:3879', '--name', 'Espoo & Vantaa'], { cwd });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('EPSG:3879');
    const file = path.join(cwd, 'gk25.gpkg');
    expect(ogrSummary(file).filter((layer) => layer.geometry !== 'None').every((layer) => layer.epsg === 3879)).toBe(true);
    const info = JSON.parse(runCli(['info', 'gk25.gpkg', '--json'], { cwd }).stdout) as { name: string; crs: { epsg: number; name: string } };
    expect(info.name).toBe('Espoo & Vantaa');
    expect(info.crs).toEqual({ epsg: 3879, name: 'ETRS89 / GK25FIN' });
  });

  it('an unsupported --crs fails with one line naming it (exit 1) and leaves no file', () => {
    const result = runCli(['new', 'bad.gpkg', '--crs', 'EPSG:9999'], { cwd });
    expect(result.status).toBe(1);
    expect(result.errorLines).toEqual(['verkosto: The coordinate system EPSG:9999 is not supported. Use EPSG:3067, EPSG:3873–3885 or EPSG:4326.']);
    expect(existsSync(path.join(cwd, 'bad.gpkg'))).toBe(false);
    const words = runCli(['new', 'bad.gpkg', '--crs', 'tm35'], { cwd });
    expect(words.status).toBe(1);
    expect(words.errorLines[0]).toContain('tm35');
  });

  it('refuses to overwrite an existing file and to write into a missing folder', () => {
    const before = fileHash(path.join(cwd, 'default.gpkg'));
    const again = runCli(['new', 'default.gpkg'], { cwd });
    expect(again.status).toBe(1);
    expect(again.errorLines).toEqual(['verkosto: default.gpkg already exists. Choose another name.']);
    expect(fileHash(path.join(cwd, 'default.gpkg'))).toBe(before);
    const missing = runCli(['new', path.join('no-such-folder', 'p.gpkg')], { cwd });
    expect(missing.status).toBe(1);
    expect(missing.errorLines).toHaveLength(1);
    expect(missing.errorLines[0]).toContain('no-such-folder');
  });
});

describe('verkosto info', () => {
  it('prints layers, CRS, schema version, unit kinds and years, and --json has the same facts', () => {
    const text = runCli(['info', 'default.gpkg'], { cwd });
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('EPSG:3067 — ETRS89 / TM35FIN(E,N)');
    expect(text.stdout).toMatch(/facilities\s+POINT\s+0 features/);
    expect(text.stdout).toMatch(/municipality\s+MULTIPOLYGON\s+0 features/);

    const json = runCli(['info', 'default.gpkg', '--json'], { cwd });
    expect(json.status).toBe(0);
    const info = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(Object.keys(info).sort()).toEqual(['crs', 'demandUnitKinds', 'file', 'layers', 'name', 'populationYears', 'schemaVersion', 'sizeBytes', 'tables']);
    expect(info.name).toBe('default');
    expect(info.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
    expect(info.crs).toEqual({ epsg: 3067, name: 'ETRS89 / TM35FIN(E,N)' });
    expect(info.layers).toEqual([
      { name: 'facilities', geometryType: 'POINT', featureCount: 0, extent: null, srsId: 3067 },
      { name: 'catchments', geometryType: 'MULTIPOLYGON', featureCount: 0, extent: null, srsId: 3067 },
      { name: 'demand_units', geometryType: 'MULTIPOLYGON', featureCount: 0, extent: null, srsId: 3067 },
      { name: 'municipality', geometryType: 'MULTIPOLYGON', featureCount: 0, extent: null, srsId: 3067 },
      { name: 'comments', geometryType: 'POINT', featureCount: 0, extent: null, srsId: 3067 },
      { name: 'feedback', geometryType: 'POINT', featureCount: 0, extent: null, srsId: 3067 },
      { name: 'residential_points', geometryType: 'POINT', featureCount: 0, extent: null, srsId: 3067 },
    ]);
    expect(info.demandUnitKinds).toEqual({});
    expect(info.populationYears).toEqual([]);
    expect((info.tables as { name: string }[]).map((table) => table.name)).toContain('demand_population');
  });

  it('does not change a byte of the file it reports on', () => {
    const file = path.join(cwd, 'default.gpkg');
    const before = fileHash(file);
    expect(runCli(['info', 'default.gpkg'], { cwd }).status).toBe(0);
    expect(runCli(['info', 'default.gpkg', '--json'], { cwd }).status).toBe(0);
    expect(fileHash(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(existsSync(`${file}-shm`)).toBe(false);
  });

  it('a missing file: exit 1, one line naming it', () => {
    const result = runCli(['info', 'missing.gpkg'], { cwd });
    expect(result.status).toBe(1);
    expect(result.errorLines).toEqual(['verkosto: missing.gpkg was not found. Check the path or choose the file again.']);
    expect(result.stdout).toBe('');
  });

  it('a file that is not a GeoPackage, and a GeoPackage that is not a Verkosto project: exit 1, one line each', () => {
    writeFileSync(path.join(cwd, 'notes.gpkg'), 'just some text, not SQLite\n'.repeat(10));
    const text = runCli(['info', 'notes.gpkg'], { cwd });
    expect(text.status).toBe(1);
    expect(text.errorLines).toHaveLength(1);
    expect(text.errorLines[0]).toMatch(/^verkosto: notes\.gpkg is not a GeoPackage file\./);

    const foreign = path.join(cwd, 'foreign.gpkg');
    const converted = run('ogr2ogr', ['-f', 'GPKG', foreign, path.join(REPO_ROOT, 'resources', 'sample-data', 'helsinki_boundary_tm35.geojson')]);
    expect(converted.status).toBe(0);
    const result = runCli(['info', 'foreign.gpkg'], { cwd });
    expect(result.status).toBe(1);
    expect(result.errorLines).toHaveLength(1);
    expect(result.errorLines[0]).toMatch(/^verkosto: foreign\.gpkg is a GeoPackage but not a Verkosto project\./);
  });

  it('speaks Finnish and Swedish: VERKOSTO_LANG first, then LANG', () => {
    const finnish = runCli(['info', 'missing.gpkg'], { cwd, env: { VERKOSTO_LANG: 'fi' } });
    expect(finnish.errorLines).toEqual(['verkosto: Tiedostoa missing.gpkg ei löydy. Tarkista polku tai valitse tiedosto uudelleen.']);
    const swedish = runCli(['info', 'missing.gpkg'], { cwd, env: { VERKOSTO_LANG: undefined, LC_ALL: undefined, LANG: 'sv_FI.UTF-8' } });
    expect(swedish.errorLines).toEqual(['verkosto: Filen missing.gpkg hittades inte. Kontrollera sökvägen eller välj filen på nytt.']);
    const usage = runCli(['info'], { cwd, env: { VERKOSTO_LANG: 'fi' } });
    expect(usage.status).toBe(2);
    expect(usage.errorLines).toEqual(['verkosto: Projektitiedosto puuttuu. Käyttö: verkosto info TIEDOSTO [--json]']);
  });
});

describe('verkosto serve', () => {
  it('prints the URL with its token on one line and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI_BIN, 'serve', 'default.gpkg', '--port', '0'], {
      cwd,
      env: { ...process.env, VERKOSTO_LANG: 'en', VERKOSTO_DATA_DIR: path.join(cwd, 'data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within 20 s; stderr: ${stderr}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /^Verkosto: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)$/m.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.on('exit', () => reject(new Error(`serve exited early; stderr: ${stderr}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a missing project file before starting (exit 1, one line)', () => {
    const result = runCli(['serve', 'missing.gpkg'], { cwd });
    expect(result.status).toBe(1);
    expect(result.errorLines).toEqual(['verkosto: missing.gpkg was not found. Check the path or choose the file again.']);
  });
});
