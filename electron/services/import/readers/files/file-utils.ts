/**
 * Helpers every file reader shares: size limits, text decoding (UTF-8, with a fallback to Windows-1252 /
 * ISO-8859-1 for the Excel and old GIS exports Finnish cities still produce), zip extraction guarded
 * against zip bombs, field type inference and the AbortError readers throw.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { createReadStream } from 'node:fs';
import { VerkostoError } from '../../../../../shared/errors';
import type { CancelSignal, SourceField } from '../../../../../shared/import/feature-source';

/** Formats read whole into memory (XLSX, KML, GML parsed as a tree) refuse files above this. */
export const MAX_IN_MEMORY_BYTES = 256 * 1024 * 1024;
/** A zip may unpack to at most this much, and at most this many times its own size (zip bomb guard). */
export const MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024;
export const MAX_ZIP_RATIO = 200;

export function abortError(signal?: CancelSignal): Error {
  const error = new Error(signal?.reason instanceof Error ? signal.reason.message : 'The read was cancelled');
  error.name = 'AbortError';
  return error;
}

export function checkAborted(signal?: CancelSignal): void {
  if (signal?.aborted) throw abortError(signal);
}

export function fileLabel(file: string): string {
  return path.basename(file);
}

/** Stats a file: a missing file or an empty one gets its own message. */
export function fileSize(file: string): number {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new VerkostoError('fileNotFound', { file: fileLabel(file) });
    size = stat.size;
  } catch (error) {
    if (error instanceof VerkostoError) throw error;
    throw new VerkostoError('fileNotFound', { file: fileLabel(file) });
  }
  if (size === 0) throw new VerkostoError('importEmpty', { source: fileLabel(file) });
  return size;
}

export function requireInMemorySize(file: string, size = fileSize(file)): number {
  if (size > MAX_IN_MEMORY_BYTES) throw new VerkostoError('importTooLarge', { source: fileLabel(file), limit: `${MAX_IN_MEMORY_BYTES / 1024 / 1024} MB` });
  return size;
}

/** The first bytes of a file, for format sniffing. */
export function readHead(file: string, length = 4096): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** True when the bytes are all NUL (a sparse or zero-filled file). */
export function allZero(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== 0) return false;
  return true;
}

/** Normalises an encoding label from a .cpg file or an option: "8859_1", "ISO-8859-1", "1252", "UTF-8". */
export function normaliseEncoding(label: string | null | undefined): string | null {
  if (!label) return null;
  const text = label.trim().toLowerCase().replace(/^cp/, '').replace(/^ansi[_ ]?/, '');
  if (/^(utf-?8|65001)$/.test(text)) return 'utf-8';
  if (/^(8859[_-]?1|iso[_-]?8859[_-]?1|latin-?1|iso-?88591)$/.test(text)) return 'iso-8859-1';
  if (/^(1252|windows-?1252)$/.test(text)) return 'windows-1252';
  if (/^(8859[_-]?15|iso[_-]?8859[_-]?15)$/.test(text)) return 'iso-8859-15';
  try {
    return new TextDecoder(text).encoding;
  } catch {
    return null;
  }
}

/** Decodes bytes: a BOM or the given encoding wins; otherwise UTF-8, falling back to Windows-1252 when the bytes are not valid UTF-8. */
export function decodeText(bytes: Uint8Array, encoding: string | null): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  if (encoding) return { text: new TextDecoder(encoding).decode(bytes), encoding };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

/** Infers a field type from sample values. */
export function inferType(values: unknown[]): SourceField['type'] {
  let type: SourceField['type'] | null = null;
  for (const value of values) {
    if (value == null || value === '') continue;
    let t: SourceField['type'];
    if (typeof value === 'boolean') t = 'boolean';
    else if (typeof value === 'number') t = Number.isInteger(value) ? 'integer' : 'number';
    else if (value instanceof Date) t = 'date';
    else if (typeof value === 'string') {
      const s = value.trim().replace(/[\s\u00a0]/g, '').replace(',', '.');
      if (/^[-+]?\d+$/.test(s) && s.length < 16) t = 'integer';
      else if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) t = 'number';
      else if (/^\d{4}-\d{2}-\d{2}/.test(value)) t = 'date';
      else t = 'string';
    } else t = 'unknown';
    if (type === null) type = t;
    else if (type !== t) {
      if ((type === 'integer' && t === 'number') || (type === 'number' && t === 'integer')) type = 'number';
      else return 'string';
    }
  }
  return type ?? 'string';
}

export function inferFields(rows: Record<string, unknown>[], names?: string[]): SourceField[] {
  const keys = names ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return keys.map((name) => ({ name, type: inferType(rows.map((row) => row[name])) }));
}

/**
 * Unzips the entries whose names pass `want` into memory, refusing a zip bomb: more than
 * MAX_UNZIPPED_BYTES in total or more than MAX_ZIP_RATIO times the zip's size (once past 10 MB).
 */
export async function unzipEntries(file: string, want: (name: string) => boolean, signal?: CancelSignal): Promise<Map<string, Uint8Array>> {
  const zipSize = fileSize(file);
  const entries = new Map<string, Uint8Array>();
  let total = 0;
  let failure: Error | null = null;
  const limit = Math.min(MAX_UNZIPPED_BYTES, Math.max(10 * 1024 * 1024, zipSize * MAX_ZIP_RATIO));
  const unzip = new Unzip((entry: UnzipFile) => {
    if (!want(entry.name) || entry.name.startsWith('__MACOSX/')) return;
    const chunks: Uint8Array[] = [];
    entry.ondata = (error, data, final) => {
      if (failure) return;
      if (error) {
        failure = error;
        return;
      }
      total += data.length;
      if (total > limit) {
        failure = new VerkostoError('importZipBomb', { source: fileLabel(file), limit: `${Math.round(limit / 1024 / 1024)} MB` });
        entry.terminate();
        return;
      }
      chunks.push(data);
      if (final) entries.set(entry.name, Buffer.concat(chunks));
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
    stream.on('data', (chunk) => {
      if (signal?.aborted) {
        stream.destroy();
        reject(abortError(signal));
        return;
      }
      try {
        unzip.push(chunk as Buffer);
      } catch (error) {
        stream.destroy();
        reject(error);
        return;
      }
      if (failure) {
        stream.destroy();
        reject(failure);
      }
    });
    stream.on('end', () => {
      try {
        unzip.push(new Uint8Array(0), true);
      } catch (error) {
        reject(error);
        return;
      }
      if (failure) reject(failure);
      else resolve();
    });
    stream.on('error', reject);
  });
  return entries;
}
