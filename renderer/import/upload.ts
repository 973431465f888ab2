/**
 * Sends a file to the host in bounded base64 chunks over the contract (the browser cannot hand the host a
 * path on the user's disk; the desktop uses the same way). Stops between chunks when cancelled.
 */
import type { HostApi } from '../../shared/contract/host-api';
import { UPLOAD_CHUNK_BYTES } from '../../shared/import/contract';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}

export async function uploadBytes(
  host: Pick<HostApi, 'importBeginUpload' | 'importAppendUpload'>,
  name: string,
  bytes: Uint8Array,
  options: { onProgress?: (sent: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<string> {
  const { uploadId } = await host.importBeginUpload({ name, size: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += UPLOAD_CHUNK_BYTES) {
    if (options.signal?.aborted) throw new DOMException('cancelled', 'AbortError');
    const chunk = bytes.subarray(offset, offset + UPLOAD_CHUNK_BYTES);
    await host.importAppendUpload({ uploadId, offset, data: toBase64(chunk) });
    options.onProgress?.(Math.min(bytes.length, offset + chunk.length), bytes.length);
  }
  options.onProgress?.(bytes.length, bytes.length);
  return uploadId;
}
