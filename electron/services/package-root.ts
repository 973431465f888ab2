/**
 * Finds Verkosto's own folder (the one with package.json named "verkosto") from wherever this code runs:
 * the TypeScript sources under vitest, the esbuild bundles in dist/, or an Electron app.asar.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

export function packageRoot(): string {
  if (cached) return cached;
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(directory, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'verkosto') return (cached = directory);
      } catch {
        // not ours; keep walking up
      }
    }
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error('Verkosto package root not found');
    directory = parent;
  }
}

/** The version in package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Where the built renderer (dist/renderer) is. */
export function rendererDirectory(): string {
  return path.join(packageRoot(), 'dist', 'renderer');
}
