/**
 * Crash safety: a process that is killed in the middle of an editing burst loses no acknowledged edit,
 * and the file reopens whole with its undo history. The child runs our ProjectFile code for real
 * (bundled with esbuild), not a mock.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ProjectFile } from '../../electron/store/project-file';
import { CURRENT_SCHEMA_VERSION, MIGRATIONS } from '../../electron/store/migrations';
import { buildProject, fileAtVersion, makeTempDir, sidecars, snapshot } from '../fixtures/store-helpers';
import type { ProjectSnapshot } from '../fixtures/store-helpers';

const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = makeTempDir('verkosto-crash-');
let childScript: string;

beforeAll(async () => {
  // Bundle the child with everything of ours inlined; better-sqlite3 (native) stays an import, by absolute
  // path so that the bundle can live in the temp dir, far from node_modules.
  const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  childScript = tmp.file('edit-burst-child.mjs');
  await build({
    entryPoints: [path.join(here, '../fixtures/edit-burst-child.ts')],
    outfile: childScript,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    plugins: [{ name: 'native-external', setup(b) { b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: betterSqlite, external: true })); } }],
  });
});
afterAll(() => tmp.cleanup());

interface Burst {
  acks: { seq: number; value: string }[];
  signal: NodeJS.Signals | null;
  finished: boolean;
  stderr: string;
}

/** Runs a burst and SIGKILLs the child once `killAfter` acks have been read. */
function burst(file: string, fid: number, first: number, count: number, killAfter: number, pauseMs: number): Promise<Burst> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, file, String(fid), String(first), String(count), String(pauseMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Burst['acks'] = [];
    let finished = false;
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const match = /^ack (\d+) (\S+)$/.exec(line);
        if (match) acks.push({ seq: Number(match[1]), value: match[2]! });
        if (line === 'done') finished = true;
        if (acks.length === killAfter && !child.killed) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ acks, signal, finished, stderr }));
  });
}

function integrity(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

describe('a crash in the middle of an editing burst', () => {
  test('every acknowledged edit survives SIGKILL, three times, and the history undoes to the start', async () => {
    const file = tmp.file('burst.gpkg');
    const { project, facilityFids } = buildProject(file, 3067, { facilities: 3 });
    const fid = facilityFids[1]!;
    const initial: ProjectSnapshot = snapshot(project);
    project.close();

    let expectedEntries = 0;
    let next = 0;
    // With a 1 ms pause the kill tends to land between commands; without one, inside a commit.
    for (const { killAfter, pauseMs } of [{ killAfter: 300, pauseMs: 1 }, { killAfter: 150, pauseMs: 1 }, { killAfter: 100, pauseMs: 0 }]) {
      const result = await burst(file, fid, next, 1000, killAfter, pauseMs);
      expect(result.stderr).toBe('');
      expect(result.signal).toBe('SIGKILL');
      expect(result.finished).toBe(false);
      expect(result.acks.length).toBeGreaterThanOrEqual(killAfter);
      expect(result.acks.length).toBeLessThan(1000);
      // Killed with the WAL still beside the file: the reopen below is a real recovery.
      expect(sidecars(file)).toContain('-wal');

      const reopened = ProjectFile.open(file);
      try {
        expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
        const lastAck = result.acks[result.acks.length - 1]!;
        const stored = reopened.readFeature('facilities', fid)!.properties;
        // The child may have committed more edits than the parent read before the kill landed, never fewer.
        const storedIndex = Number(String(stored.name_fi).slice(1));
        if (process.env.VERKOSTO_DEBUG) console.log({ killAfter, acks: result.acks.length, lastAck, storedIndex, next });
        expect(storedIndex).toBeGreaterThanOrEqual(Number(lastAck.value.slice(1)));
        expect(stored.floor_area_m2).toBe(storedIndex);
        const log = reopened.db.prepare('SELECT COUNT(*) AS n, MAX(fid) AS last FROM verkosto_edit_log WHERE undone = 0').get() as { n: number; last: number };
        const committed = storedIndex - next + 1;
        expect(log.n).toBe(expectedEntries + committed);
        expect(log.n).toBeGreaterThanOrEqual(expectedEntries + result.acks.length);
        expect(log.last).toBeGreaterThanOrEqual(lastAck.seq);
        // Each acked seq is in the log with the value it acknowledged.
        const bySeq = reopened.db.prepare('SELECT command FROM verkosto_edit_log WHERE fid = ?');
        for (const ack of [result.acks[0]!, result.acks[Math.floor(result.acks.length / 2)]!, lastAck]) {
          expect(JSON.parse((bySeq.get(ack.seq) as { command: string }).command).changes.name_fi).toBe(ack.value);
        }
        // Undo still works and steps back exactly one edit; redo restores it.
        reopened.undo();
        expect(storedIndex).toBeGreaterThan(next);
        expect(reopened.readFeature('facilities', fid)!.properties.name_fi).toBe(`v${storedIndex - 1}`);
        reopened.redo();
        expect(reopened.readFeature('facilities', fid)!.properties.name_fi).toBe(`v${storedIndex}`);
        expectedEntries = log.n;
        next = storedIndex + 1;
      } finally {
        reopened.close();
      }
      expect(sidecars(file)).toEqual([]);
      expect(integrity(file)).toBe('ok');
    }

    // Both bursts' history undoes back to the project as it was built.
    const reopened = ProjectFile.open(file);
    try {
      for (let i = 0; i < expectedEntries; i++) reopened.undo();
      expect(reopened.historyState()).toEqual({ canUndo: false, canRedo: true });
      expect(snapshot(reopened)).toEqual(initial);
    } finally {
      reopened.close();
    }
  });

  test('a crash during a migration (a hot rollback journal) is rolled back on the next open, which migrates again', async () => {
    const file = tmp.file('migrating.gpkg');
    const db = await fileAtVersion(file, 2);
    const insert = db.prepare('INSERT INTO facilities (name_fi) VALUES (?)');
    for (let i = 0; i < 50; i++) insert.run(`Koulu ${i}`);
    db.prepare('INSERT INTO verkosto_settings (key, value) VALUES (?, ?)').run('project.name', '"Ennen"');
    const facilitiesBefore = db.prepare('SELECT * FROM facilities ORDER BY fid').all();

    // Migration 3 runs (as ProjectFile.open runs it: rollback journal, before the switch to WAL); the
    // process "dies" with the transaction open and pages already spilled into the file: copy file + journal.
    db.pragma('cache_size = 2');
    db.exec('BEGIN');
    MIGRATIONS.find((m) => m.version === 3)!.up(db, { epsg: 3067 });
    db.prepare('INSERT INTO verkosto_schema (version, name, applied_at) VALUES (3, ?, ?)').run('edit-log', new Date().toISOString());
    db.prepare("UPDATE facilities SET name_fi = name_fi || ' (kesken)'").run();
    const crashed = tmp.file('crashed.gpkg');
    expect(existsSync(`${file}-journal`)).toBe(true);
    copyFileSync(file, crashed);
    copyFileSync(`${file}-journal`, `${crashed}-journal`);
    db.exec('ROLLBACK');
    db.close();

    const project = ProjectFile.open(crashed);
    try {
      expect(project.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
      expect(project.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(project.db.prepare('SELECT * FROM facilities ORDER BY fid').all()).toEqual(facilitiesBefore);
      expect(project.settings()['project.name']).toBe('Ennen');
      expect(project.db.prepare('SELECT version FROM verkosto_schema ORDER BY version').all()).toEqual(MIGRATIONS.map((migration) => ({ version: migration.version })));
      expect(existsSync(`${crashed}-journal`)).toBe(false);
    } finally {
      project.close();
    }
  });
});
