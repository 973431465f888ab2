/**
 * ProjectFile.open on files it must refuse: each refusal is a VerkostoError with the code the user's message
 * is chosen by, and the file is left exactly as it was (same bytes, no new -wal/-shm/-journal beside it).
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ProjectFile } from '../../electron/store/project-file';
import { CURRENT_SCHEMA_VERSION } from '../../electron/store/migrations';
import type { ErrorCode } from '../../shared/errors';
import { VerkostoError } from '../../shared/errors';
import { buildProject, makeTempDir, sha256, sidecars } from '../fixtures/store-helpers';

const DATA = '/work/shared/data';
const tmp = makeTempDir('verkosto-open-errors-');
let project: string;

beforeAll(() => {
  project = tmp.file('valid.gpkg');
  const built = buildProject(project, 3067, { facilities: 40 });
  built.project.runCommand({ type: 'facility.update', fid: 1, changes: { name_fi: 'Muutettu' } });
  built.project.close();
});
afterAll(() => tmp.cleanup());

function copyOfProject(name: string): string {
  const file = tmp.file(name);
  copyFileSync(project, file);
  return file;
}

/** Opens, expects a refusal with `code`, and checks the file and its sidecars are untouched. Returns the error. */
function expectRefusal(file: string, code: ErrorCode): VerkostoError {
  const exists = existsSync(file);
  const isFile = exists && statSync(file).isFile();
  const hashBefore = isFile ? sha256(file) : null;
  const modeBefore = exists ? statSync(file).mode : null;
  const sidecarsBefore = sidecars(file);
  const dirBefore = readdirSync(tmp.dir).sort();

  let caught: unknown;
  try {
    const opened = ProjectFile.open(file);
    opened.close();
  } catch (error) {
    caught = error;
  }
  expect(caught, `ProjectFile.open(${file}) should throw`).toBeInstanceOf(VerkostoError);
  const error = caught as VerkostoError;
  expect({ code: error.code, message: error.message }).toMatchObject({ code });
  expect(error.params.file).toBe(file.split('/').pop());

  expect(existsSync(file)).toBe(exists);
  if (isFile) expect(sha256(file)).toBe(hashBefore);
  if (exists) expect(statSync(file).mode).toBe(modeBefore);
  expect(sidecars(file)).toEqual(sidecarsBefore);
  expect(readdirSync(tmp.dir).sort()).toEqual(dirBefore);
  return error;
}

describe('ProjectFile.open refuses files that are not Verkosto projects it can write', () => {
  test('a text file → notAGeoPackage', () => {
    const file = tmp.file('notes.gpkg');
    writeFileSync(file, 'Tämä ei ole GeoPackage vaan muistiinpano.\n'.repeat(20));
    expectRefusal(file, 'notAGeoPackage');
  });

  test('an empty file → notAGeoPackage', () => {
    const file = tmp.file('empty.gpkg');
    writeFileSync(file, '');
    expectRefusal(file, 'notAGeoPackage');
  });

  test('a PNG → notAGeoPackage', () => {
    const file = tmp.file('map.gpkg');
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('0000000d49484452000000100000001008060000001ff3ff61', 'hex'),
      Buffer.alloc(200, 7),
    ]);
    writeFileSync(file, png);
    expectRefusal(file, 'notAGeoPackage');
  });

  test('a plain SQLite database without the GeoPackage application_id → notAGeoPackage', () => {
    const file = tmp.file('plain.sqlite');
    const db = new Database(file);
    db.exec("CREATE TABLE verkosto_schema (version INTEGER); INSERT INTO verkosto_schema VALUES (3); CREATE TABLE t (a); INSERT INTO t VALUES ('x')");
    db.close();
    expectRefusal(file, 'notAGeoPackage');
  });

  test('a project cut in half → corruptFile', () => {
    const file = copyOfProject('truncated.gpkg');
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(64 * 1024);
    truncateSync(file, Math.floor(size / 2));
    const error = expectRefusal(file, 'corruptFile');
    expect(String(error.params.detail)).toContain(`of ${size} bytes`);
  });

  test('a project whose first page is intact but the rest is garbage → an error, never a crash', () => {
    const file = copyOfProject('garbage.gpkg');
    const bytes = readFileSync(file);
    for (let i = 4096; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    writeFileSync(file, bytes);
    expectRefusal(file, 'corruptFile');
  });

  test('a project of a newer Verkosto (schema version 99) → newerSchema with both versions', () => {
    const file = copyOfProject('newer.gpkg');
    const db = new Database(file);
    db.prepare('INSERT INTO verkosto_schema (version, name, applied_at) VALUES (99, ?, ?)').run('from-the-future', '2031-01-01T00:00:00Z');
    db.close();
    const error = expectRefusal(file, 'newerSchema');
    expect(error.params).toMatchObject({ fileVersion: 99, supportedVersion: CURRENT_SCHEMA_VERSION });
  });

  test('a newer project left in WAL mode by its app → newerSchema, and no -wal/-shm is created by the check', () => {
    const file = copyOfProject('newer-wal.gpkg');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.prepare('INSERT INTO verkosto_schema (version, name, applied_at) VALUES (99, ?, ?)').run('from-the-future', '2031-01-01T00:00:00Z');
    db.close();
    expect(readFileSync(file)[18]).toBe(2); // WAL in the header, no -wal file
    expect(sidecars(file)).toEqual([]);
    expectRefusal(file, 'newerSchema');
  });

  test('a read-only project (mode 0444) → fileReadOnly', () => {
    const file = copyOfProject('readonly.gpkg');
    chmodSync(file, 0o444);
    try {
      expectRefusal(file, 'fileReadOnly');
    } finally {
      chmodSync(file, 0o644);
    }
  });

  test('a GeoPackage written by GDAL from GeoJSON → notAVerkostoProject', () => {
    const file = tmp.file('helsinki_boundary.gpkg');
    execFileSync('ogr2ogr', ['-f', 'GPKG', file, `${DATA}/helsinki-boundary/helsinki_boundary_tm35.geojson`], { stdio: 'pipe' });
    expectRefusal(file, 'notAVerkostoProject');
  });

  test('the national municipalities GeoPackage (a copy) → notAVerkostoProject', () => {
    const file = tmp.file('finland_municipalities_2021.gpkg');
    copyFileSync(`${DATA}/finland-municipalities/finland_municipalities_2021.gpkg`, file);
    chmodSync(file, 0o644);
    expectRefusal(file, 'notAVerkostoProject');
  });

  test('a GeoPackage that QGIS left in WAL mode → notAVerkostoProject, and no -wal/-shm is created by the check', () => {
    const file = tmp.file('qgis-wal.gpkg');
    execFileSync('ogr2ogr', ['-f', 'GPKG', file, `${DATA}/helsinki-boundary/helsinki_boundary_tm35.geojson`], { stdio: 'pipe' });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.close();
    expect(readFileSync(file)[19]).toBe(2);
    expectRefusal(file, 'notAVerkostoProject');
  });

  test('a missing file → fileNotFound, and nothing is created', () => {
    const file = tmp.file('does-not-exist.gpkg');
    expectRefusal(file, 'fileNotFound');
    expect(existsSync(file)).toBe(false);
  });

  test('a directory → notAGeoPackage', () => {
    const dir = tmp.file('folder.gpkg');
    mkdirSync(dir);
    writeFileSync(`${dir}/inside.txt`, 'x');
    expectRefusal(dir, 'notAGeoPackage');
    expect(readdirSync(dir)).toEqual(['inside.txt']);
  });

  test('the valid project these files were made from still opens (the checks above are not vacuous)', () => {
    const file = copyOfProject('valid-copy.gpkg');
    const opened = ProjectFile.open(file);
    try {
      expect(opened.readFeatures('facilities').features).toHaveLength(40);
      expect(opened.readFeature('facilities', 1)?.properties.name_fi).toBe('Muutettu');
    } finally {
      opened.close();
    }
  });
});
