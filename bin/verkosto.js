#!/usr/bin/env node
// The `verkosto` command: runs the bundled CLI (built by `npm run build`, which `npm install` runs too).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli/verkosto.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('verkosto: the CLI is not built yet. Run `npm run build` in the Verkosto folder first.');
  process.exit(2);
}
await import(cli.href);
