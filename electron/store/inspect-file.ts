/**
 * Checks a file before Verkosto opens it for writing, without changing a byte of it: is it there, is it
 * SQLite, is it whole, is it a GeoPackage, is it a Verkosto project, is its schema one this build knows.
 */
import Database from 'better-sqlite3';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
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
    db = new Database(file, { readonly: true, fileMustExist: true });
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
