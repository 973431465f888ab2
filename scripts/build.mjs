// Builds everything that runs outside vitest: the renderer (Vite) and the host-side entry points (esbuild):
// the Electron main process, the sandboxed preload (one CommonJS file, as sandboxed preloads require),
// the CLI and the benchmark. Runtime packages stay external; better-sqlite3 is a native module.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const quiet = process.argv.includes('--quiet');
const started = Date.now();

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', absWorkingDir: root };

await Promise.all([
  esbuild({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'dist/electron/main.js', format: 'esm', packages: 'external' }),
  esbuild({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] }),
  esbuild({ ...common, entryPoints: ['electron/cli/verkosto.ts'], outfile: 'dist/cli/verkosto.js', format: 'esm', packages: 'external' }),
  esbuild({ ...common, entryPoints: ['tests/bench/bench.ts'], outfile: 'dist/bench/bench.js', format: 'esm', packages: 'external' }),
]);
await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: quiet ? 'warn' : 'warn' });
console.log(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
