// Runtime boundaries, checked: shared/ is pure, the host's services never touch Electron, and the renderer
// never reaches into the host. (shared/tsconfig.json also has no DOM or Node types, so tsc enforces part of it.)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');

function sourceFiles(directory: string): string[] {
  const result: string[] = [];
  for (const entry of readdirSync(path.join(root, directory))) {
    const relative = path.join(directory, entry);
    if (statSync(path.join(root, relative)).isDirectory()) result.push(...sourceFiles(relative));
    else if (/\.(ts|tsx)$/.test(entry) && !entry.endsWith('.d.ts')) result.push(relative);
  }
  return result;
}

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm)].map(
    (match) => match[1] ?? match[2] ?? match[3] ?? '',
  );
}

function violations(directory: string, forbidden: (specifier: string, file: string) => boolean): string[] {
  return sourceFiles(directory).flatMap((file) => importsOf(file).filter((specifier) => forbidden(specifier, file)).map((specifier) => `${file} imports ${specifier}`));
}

const nodeBuiltin = (specifier: string) => specifier.startsWith('node:') || ['fs', 'path', 'os', 'child_process', 'http', 'crypto', 'url'].includes(specifier);

describe('layer boundaries', () => {
  it('finds the imports it checks (the scanner itself works)', () => {
    expect(importsOf('electron/main/main.ts')).toContain('electron');
    expect(sourceFiles('shared').length).toBeGreaterThan(5);
  });

  it('shared/ imports no Node, DOM, Electron, SQLite or host/renderer code', () => {
    const bad = violations('shared', (specifier, file) => {
      if (nodeBuiltin(specifier) || ['electron', 'better-sqlite3', 'react', 'react-dom', 'ws'].includes(specifier) || specifier.startsWith('ol')) return true;
      if (!specifier.startsWith('.')) return false;
      const target = path.normalize(path.join(path.dirname(file), specifier));
      return !target.startsWith('shared');
    });
    expect(bad).toEqual([]);
  });

  it('host services, store, transports and CLI never import electron (they run under plain Node)', () => {
    const bad = ['electron/services', 'electron/store', 'electron/cli'].flatMap((directory) => violations(directory, (specifier) => specifier === 'electron'));
    const nodeHost = violations('electron/host', (specifier, file) => specifier === 'electron' && !file.endsWith('ipc-server.ts'));
    expect([...bad, ...nodeHost]).toEqual([]);
  });

  it('the renderer reaches the host only through the contract', () => {
    const bad = violations('renderer', (specifier, file) => {
      if (nodeBuiltin(specifier) || ['electron', 'better-sqlite3', 'ws'].includes(specifier)) return true;
      if (!specifier.startsWith('.')) return false;
      const target = path.normalize(path.join(path.dirname(file), specifier));
      return target.startsWith('electron');
    });
    expect(bad).toEqual([]);
  });
});
