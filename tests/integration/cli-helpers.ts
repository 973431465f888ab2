/**
 * Helpers for the integration tests that run the BUILT command line (dist/cli/verkosto.js through
 * bin/verkosto.js) and GDAL's tools as child processes. `npm test` runs `npm run build` first; when
 * running vitest alone, build once with `node scripts/build.mjs`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI_BIN = path.join(REPO_ROOT, 'bin', 'verkosto.js');
export const CLI_BUNDLE = path.join(REPO_ROOT, 'dist', 'cli', 'verkosto.js');
/** Debian's python3-gdal; the python3 first on PATH may have no GDAL module (shared/TOOLCHAIN.md). */
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const VALIDATE_GPKG = '/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py';

export function assertCliBuilt(): void {
  if (!existsSync(CLI_BUNDLE)) throw new Error(`${CLI_BUNDLE} is missing: run \`node scripts/build.mjs\` (npm test does it first)`);
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stderr split into non-empty lines. */
  errorLines: string[];
}

/** Runs `verkosto ARGS` in cwd with English messages unless env says otherwise. */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): RunResult {
  const environment: NodeJS.ProcessEnv = { ...process.env, VERKOSTO_LANG: 'en', ...options.env };
  for (const [key, value] of Object.entries(environment)) if (value === undefined) delete environment[key];
  const result = spawnSync(process.execPath, [CLI_BIN, ...args], { cwd: options.cwd, env: environment, encoding: 'utf8', timeout: 120_000 });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    errorLines: result.stderr.split('\n').filter((line) => line.trim() !== ''),
  };
}

export function run(command: string, args: string[], cwd?: string): RunResult {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, errorLines: result.stderr.split('\n').filter(Boolean) };
}

export interface OgrLayer {
  name: string;
  geometry: string;
  featureCount: number;
  epsg: number | null;
}

/** Parses `ogrinfo -so -al FILE`: one entry per layer with its geometry type, feature count and EPSG code. */
export function ogrSummary(file: string): OgrLayer[] {
  const result = run('ogrinfo', ['-so', '-al', file]);
  if (result.status !== 0) throw new Error(`ogrinfo failed: ${result.stderr}`);
  const blocks = result.stdout.split(/\n(?=Layer name: )/).slice(1);
  return blocks.map((block) => {
    // The layer CRS's own ID is the last top-level ID[...] of the WKT2 (inner ones belong to parameters).
    const ids = [...block.matchAll(/\n {0,4}ID\["EPSG",(\d+)\]\]/g)].map((match) => Number(match[1]));
    return {
      name: /^Layer name: (.+)$/m.exec(block)![1]!.trim(),
      geometry: /^Geometry: (.+)$/m.exec(block)?.[1]?.trim() ?? 'None',
      featureCount: Number(/^Feature Count: (\d+)$/m.exec(block)?.[1] ?? NaN),
      epsg: ids.length ? ids[ids.length - 1]! : null,
    };
  });
}

export function validateGeoPackage(file: string): RunResult {
  return run(SYSTEM_PYTHON, [VALIDATE_GPKG, '--extra', '--warning-as-error', file]);
}

export function temporaryDirectory(prefix: string): { path: string; remove(): void } {
  const directory = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { path: directory, remove: () => rmSync(directory, { recursive: true, force: true }) };
}
