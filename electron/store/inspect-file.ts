/**
 * Checks a file before Verkosto opens it for writing, without changing a byte of it: is it there, is it
 * SQLite, is it whole, is it a GeoPackage, is it a Verkosto project, is its schema one this build knows.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { VerkostoError } from '../../shared/errors';
import { GEOPACKAGE_APPLICATION_ID } from './geopackage-ddl';
import { CURRENT_SCHEMA_VERSION } from './migrations';

const SQLITE_HEADER = 'SQLite format 3\u0000';

export interface FileInspection {
  schemaVersion: number;
  sizeBytes: number;
  writable: boolean;
}

function readHeader(file: string): Buffer {
  const handle = openSync(file, 'r');
  try {
    const header = Buffer.alloc(100);
    const bytesRead = readSync(handle, header, 0, 100, 0);
    return header.subarray(0, bytesRead);
  } finally {
    closeSync(handle);
  }
}

/**
 * A connection that reads the file without leaving anything behind. Usually a read-only one, but SQLite's
 * read-only connections have two blind spots, and there a read-write connection that runs no writing
 * statement (query_only) is the one that leaves the file as it was:
 * - a file whose header says WAL (bytes 18/19 = 2) but has no -wal beside it (closed by QGIS or another
 *   tool in WAL mode): a read-only connection creates -wal and -shm and cannot remove them on close, while
 *   a read-write one, as the last connection, removes both and writes nothing to the file;
 * - a rollback journal left by a crash (a "hot" -journal): a read-only connection refuses the file
 *   (SQLITE_READONLY_ROLLBACK) where any SQLite reader with write access rolls the journal back, which is
 *   the recovery of a write that never committed, not a change of the data.
 * When the file's permission bits deny writing, SQLite falls back to read-only by itself.
 */
function openForInspection(file: string, header: Buffer): Database.Database {
  const walHeader = header[18] === 2 || header[19] === 2;
  const needsWriter = (walHeader && !existsSync(`${file}-wal`)) || existsSync(`${file}-journal`);
  if (!needsWriter) return new Database(file, { readonly: true, fileMustExist: true });
  const db = new Database(file, { fileMustExist: true });
  db.pragma('query_only = 1');
  return db;
}

/** Inspects a project file read-only and throws a VerkostoError that names the problem. */
export function inspectProjectFile(file: string): FileInspection {
  const name = path.basename(file);
  let stat;
  try {
    stat = statSync(file);
  } catch {
    throw new VerkostoError('fileNotFound', { file: name });
  }
  if (!stat.isFile()) throw new VerkostoError('notAGeoPackage', { file: name });
  const header = readHeader(file);
  if (header.length < 100 || header.subarray(0, 16).toString('latin1') !== SQLITE_HEADER) {
    throw new VerkostoError('notAGeoPackage', { file: name });
  }
  // The header records the database size in pages (valid when the version-valid-for number matches the
  // change counter); a shorter file was cut off in a copy or a download.
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pageCount = header.readUInt32BE(28);
  const sizeIsValid = header.readUInt32BE(92) === header.readUInt32BE(24);
  if (sizeIsValid && pageCount > 0 && stat.size < pageSize * pageCount) {
    throw new VerkostoError('corruptFile', { file: name, detail: `${stat.size} of ${pageSize * pageCount} bytes` });
  }
  let db: Database.Database | undefined;
  try {
    db = openForInspection(file, header);
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    if (applicationId !== GEOPACKAGE_APPLICATION_ID) throw new VerkostoError('notAGeoPackage', { file: name });
    const hasSchemaTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'verkosto_schema'").get();
    if (!hasSchemaTable) throw new VerkostoError('notAVerkostoProject', { file: name });
    const row = db.prepare('SELECT MAX(version) AS version FROM verkosto_schema').get() as { version: number | null };
    const schemaVersion = row.version ?? 0;
    if (schemaVersion > CURRENT_SCHEMA_VERSION) {
      throw new VerkostoError('newerSchema', { file: name, fileVersion: schemaVersion, supportedVersion: CURRENT_SCHEMA_VERSION });
    }
    // Root may write anywhere, so the permission bits, not access(2), say whether the user meant it read-only.
    const writable = (stat.mode & 0o222) !== 0;
    return { schemaVersion, sizeBytes: stat.size, writable };
  } catch (error) {
    if (error instanceof VerkostoError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    if (/not a database|file is encrypted/i.test(detail)) throw new VerkostoError('notAGeoPackage', { file: name });
    throw new VerkostoError('corruptFile', { file: name, detail });
  } finally {
    db?.close();
  }
}
