/**
 * The HTTP client every network source uses: Node's fetch with two timeouts, bounded retries with exponential
 * backoff and full jitter, cancellation, and errors that name the server and the problem in the user's
 * language (VerkostoError codes `source*`).
 *
 * - `connectTimeoutMs`: until the response headers arrive (a server that accepts the connection and never
 *   answers, DNS that hangs, a proxy that stalls). Default 15 s.
 * - `totalTimeoutMs`: the whole exchange including the body. Default 120 s.
 * - Retried: network errors (connection refused/reset, DNS failure), timeouts, HTTP 5xx and 429 (Retry-After
 *   honoured up to `maxDelayMs`). Not retried: other 4xx (the request itself is wrong) and cancellation.
 * - Cancellation: the caller's signal aborts the request and the backoff wait at once, with an AbortError.
 */
import { VerkostoError } from '../../../../../shared/errors';
import type { CancelSignal } from '../../../../../shared/import/feature-source';

export interface HttpOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  signal?: CancelSignal;
  connectTimeoutMs?: number;
  totalTimeoutMs?: number;
  /** Attempts in all (1 = no retry). Default 4. */
  attempts?: number;
  /** First backoff delay; doubles per attempt, with full jitter. Default 400 ms. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Called before each retry (for a progress line such as "retrying in 2 s"). */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

/** Defaults a source configuration may override (options.http). */
export const DEFAULT_HTTP: Required<Pick<HttpOptions, 'connectTimeoutMs' | 'totalTimeoutMs' | 'attempts' | 'baseDelayMs' | 'maxDelayMs'>> = {
  connectTimeoutMs: 15_000,
  totalTimeoutMs: 120_000,
  attempts: 4,
  baseDelayMs: 400,
  maxDelayMs: 8_000,
};

export interface HttpResult {
  url: string;
  status: number;
  contentType: string;
  /** Response headers, names in lower case. */
  headers: Record<string, string>;
  /** Decoded text (charset from Content-Type, the XML declaration, else UTF-8). */
  text: string;
  bytes: number;
}

/** "host:port" of a URL for messages (no query: tokens and keys stay out of messages). */
export function serverName(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 60);
  }
}

export function abortError(signal?: CancelSignal): Error {
  const reason = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const error = new Error('The operation was cancelled');
  error.name = 'AbortError';
  return error;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** Waits `ms`, or rejects with an AbortError when the signal fires. */
export function sleep(ms: number, signal?: CancelSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

type Failure =
  | { kind: 'timeout'; phase: 'connect' | 'total' }
  | { kind: 'network'; code: string; dns: boolean }
  | { kind: 'status'; status: number; retryAfterMs: number | null };

class AttemptFailed extends Error {
  constructor(readonly failure: Failure) {
    super(failure.kind);
  }
}

function networkFailure(error: unknown): Failure {
  // undici: TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' | 'ENOTFOUND' | 'UND_ERR_SOCKET' … } })
  let cause: unknown = error;
  let code = '';
  for (let depth = 0; depth < 4 && cause; depth++) {
    const candidate = (cause as { code?: unknown }).code;
    if (typeof candidate === 'string') {
      code = candidate;
      break;
    }
    cause = (cause as { cause?: unknown }).cause;
  }
  if (!code) code = error instanceof Error ? error.message : String(error);
  return { kind: 'network', code, dns: code === 'ENOTFOUND' || code === 'EAI_AGAIN' };
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}

function charsetOf(contentType: string, head: Uint8Array): string {
  const fromHeader = /charset\s*=\s*"?([\w-]+)"?/i.exec(contentType)?.[1];
  if (fromHeader) return fromHeader.toLowerCase();
  const prolog = new TextDecoder('latin1').decode(head.subarray(0, 200));
  const fromXml = /^<\?xml[^>]*encoding\s*=\s*["']([\w-]+)["']/i.exec(prolog)?.[1];
  return fromXml ? fromXml.toLowerCase() : 'utf-8';
}

/** Decodes a body by the charset it declares; ISO-8859-1 responses exist (Open311 services_sv.json). */
export function decodeBody(bytes: Uint8Array, contentType: string): string {
  const charset = charsetOf(contentType, bytes);
  const declared = /charset\s*=/i.test(contentType) || charset !== 'utf-8';
  if (!declared) {
    // No charset said: UTF-8 if the bytes are valid UTF-8, else ISO-8859-1 (windows-1252), as old services send.
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return new TextDecoder('windows-1252').decode(bytes);
    }
  }
  let text: string;
  try {
    text = new TextDecoder(charset).decode(bytes);
  } catch {
    text = new TextDecoder('utf-8').decode(bytes);
  }
  // A server that says UTF-8 but sends ISO-8859-1 (it happens with old services): read it as what it is.
  if (text.includes('\uFFFD') && /^utf-?8$/.test(charset)) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return new TextDecoder('windows-1252').decode(bytes);
    }
  }
  return text;
}

interface Opened {
  response: Response;
  timedOut: () => 'connect' | 'total' | null;
  dispose: () => void;
}

/** Sends the request and waits for the headers; 5xx/429 and transport failures become AttemptFailed. */
async function open(url: string, options: HttpOptions, connectMs: number, totalMs: number): Promise<Opened> {
  const controller = new AbortController();
  let timedOut: 'connect' | 'total' | null = null;
  const onAbort = (): void => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const connectTimer = setTimeout(() => { timedOut = 'connect'; controller.abort(); }, connectMs);
  const totalTimer = setTimeout(() => { timedOut = 'total'; controller.abort(); }, totalMs);
  const dispose = (): void => {
    clearTimeout(connectTimer);
    clearTimeout(totalTimer);
    options.signal?.removeEventListener('abort', onAbort);
  };
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers: { 'User-Agent': 'Verkosto (service-network planning)', ...options.headers },
      body: options.body,
      signal: controller.signal,
      redirect: 'follow',
    });
  } catch (error) {
    dispose();
    if (options.signal?.aborted) throw abortError(options.signal);
    if (timedOut) throw new AttemptFailed({ kind: 'timeout', phase: timedOut });
    throw new AttemptFailed(networkFailure(error));
  }
  clearTimeout(connectTimer);
  if (response.status >= 500 || response.status === 429) {
    await response.body?.cancel().catch(() => undefined);
    dispose();
    throw new AttemptFailed({ kind: 'status', status: response.status, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) });
  }
  return { response, timedOut: () => timedOut, dispose };
}

function headersOf(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => { headers[key.toLowerCase()] = value; });
  return headers;
}

async function attempt(url: string, options: HttpOptions, connectMs: number, totalMs: number): Promise<HttpResult> {
  const opened = await open(url, options, connectMs, totalMs);
  try {
    let buffer: ArrayBuffer;
    try {
      buffer = await opened.response.arrayBuffer();
    } catch (error) {
      if (options.signal?.aborted) throw abortError(options.signal);
      const timedOut = opened.timedOut();
      if (timedOut) throw new AttemptFailed({ kind: 'timeout', phase: timedOut });
      throw new AttemptFailed(networkFailure(error));
    }
    const contentType = opened.response.headers.get('content-type') ?? '';
    const bytes = new Uint8Array(buffer);
    return { url: opened.response.url || url, status: opened.response.status, contentType, headers: headersOf(opened.response), text: decodeBody(bytes, contentType), bytes: bytes.byteLength };
  } finally {
    opened.dispose();
  }
}

function failureError(url: string, failure: Failure, attempts: number, options: { connectMs: number; totalMs: number }): VerkostoError {
  const server = serverName(url);
  switch (failure.kind) {
    case 'timeout': {
      const seconds = Math.round((failure.phase === 'connect' ? options.connectMs : options.totalMs) / 100) / 10;
      return new VerkostoError('sourceTimeout', { server, seconds, attempts });
    }
    case 'network':
      return new VerkostoError('sourceOffline', { server, detail: failure.dns ? `DNS ${failure.code}` : failure.code });
    case 'status':
      return new VerkostoError('sourceHttpError', { server, status: failure.status, attempts });
  }
}

/**
 * One request with retries. Returns any response below 500 other than 429 (a 4xx body often carries the
 * service's own explanation, e.g. a WFS ExceptionReport; the caller decides); throws VerkostoError for
 * failures that outlast the retries and an AbortError on cancellation.
 */
async function withRetries<T>(url: string, options: HttpOptions, run: (connectMs: number, totalMs: number) => Promise<T>): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? DEFAULT_HTTP.attempts);
  const connectMs = options.connectTimeoutMs ?? DEFAULT_HTTP.connectTimeoutMs;
  const totalMs = options.totalTimeoutMs ?? DEFAULT_HTTP.totalTimeoutMs;
  const baseDelay = options.baseDelayMs ?? DEFAULT_HTTP.baseDelayMs;
  const maxDelay = options.maxDelayMs ?? DEFAULT_HTTP.maxDelayMs;
  for (let index = 1; ; index++) {
    if (options.signal?.aborted) throw abortError(options.signal);
    try {
      return await run(connectMs, totalMs);
    } catch (error) {
      if (!(error instanceof AttemptFailed)) throw error;
      const failure = error.failure;
      if (index >= attempts) throw failureError(url, failure, index, { connectMs, totalMs });
      // Full jitter (AWS architecture blog): a random wait in [0, min(max, base·2^n)].
      const ceiling = Math.min(maxDelay, baseDelay * 2 ** (index - 1));
      let delay = Math.random() * ceiling;
      if (failure.kind === 'status' && failure.retryAfterMs !== null) delay = Math.min(maxDelay, Math.max(delay, failure.retryAfterMs));
      options.onRetry?.({ attempt: index, delayMs: Math.round(delay), reason: failure.kind === 'status' ? `HTTP ${failure.status}` : failure.kind === 'timeout' ? 'timeout' : failure.code });
      await sleep(delay, options.signal);
    }
  }
}

/**
 * One request with retries. Returns any response below 500 other than 429 (a 4xx body often carries the
 * service's own explanation, e.g. a WFS ExceptionReport; the caller decides); throws VerkostoError for
 * failures that outlast the retries and an AbortError on cancellation.
 */
export async function httpRequest(url: string, options: HttpOptions = {}): Promise<HttpResult> {
  return withRetries(url, options, (connectMs, totalMs) => attempt(url, options, connectMs, totalMs));
}

export interface HttpStream {
  url: string;
  status: number;
  contentType: string;
  headers: Record<string, string>;
  /** The body as it arrives; the total timeout and the caller's signal still apply. Read it once. */
  chunks: AsyncIterable<Uint8Array>;
  /** Stops reading (e.g. after a parse error); safe to call twice. */
  close(): void;
}

/**
 * Like httpRequest, but hands over the body as a stream once the headers are in (retries cover everything
 * up to the headers; a failure in the middle of the body is reported, not retried). For large responses:
 * the GML parser consumes it in constant memory.
 */
export async function httpStream(url: string, options: HttpOptions = {}): Promise<HttpStream> {
  return withRetries(url, options, async (connectMs, totalMs) => {
    const opened = await open(url, options, connectMs, totalMs);
    const reader = opened.response.body?.getReader();
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      void reader?.cancel().catch(() => undefined);
      opened.dispose();
    };
    async function* chunks(): AsyncGenerator<Uint8Array> {
      if (!reader) return;
      try {
        for (;;) {
          let next: ReadableStreamReadResult<Uint8Array>;
          try {
            next = await reader.read();
          } catch (error) {
            if (options.signal?.aborted) throw abortError(options.signal);
            const timedOut = opened.timedOut();
            throw failureError(url, timedOut ? { kind: 'timeout', phase: timedOut } : networkFailure(error), 1, { connectMs, totalMs });
          }
          if (next.done) return;
          yield next.value;
        }
      } finally {
        close();
      }
    }
    return { url: opened.response.url || url, status: opened.response.status, contentType: opened.response.headers.get('content-type') ?? '', headers: headersOf(opened.response), chunks: chunks(), close };
  });
}

export function looksLikeHtml(text: string, contentType: string): boolean {
  if (/text\/html/i.test(contentType)) return true;
  const head = text.slice(0, 300).trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}

export function describeContent(contentType: string, text: string): string {
  if (looksLikeHtml(text, contentType)) return 'HTML';
  const type = contentType.split(';')[0]?.trim();
  return type || 'text';
}

/**
 * GET/POST expecting JSON: refuses HTML (a login or error page) and any 4xx, and names a truncated or
 * damaged body. `allowStatus` lets OGC API callers read a JSON error body of a 400/404.
 */
export async function fetchJson<T = unknown>(url: string, options: HttpOptions & { allowStatus?: number[] } = {}): Promise<{ json: T; result: HttpResult }> {
  const result = await httpRequest(url, { ...options, headers: { Accept: 'application/json, application/geo+json;q=0.9, */*;q=0.1', ...options.headers } });
  const server = serverName(url);
  if (result.status >= 400 && !options.allowStatus?.includes(result.status)) {
    const detail = jsonErrorDetail(result.text);
    if (detail) throw new VerkostoError('sourceServiceException', { server, detail: `HTTP ${result.status}: ${detail}` });
    throw new VerkostoError('sourceHttpError', { server, status: result.status, attempts: 1 });
  }
  const trimmed = result.text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) {
    throw new VerkostoError('sourceNotJson', { server, received: describeContent(result.contentType, result.text) });
  }
  try {
    return { json: JSON.parse(result.text) as T, result };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new VerkostoError('sourceBadResponse', { server, detail: `JSON: ${message}; ${result.bytes} B` });
  }
}

function jsonErrorDetail(text: string): string | null {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const parts = [body.code, body.description ?? body.detail ?? body.message ?? body.error].filter((part) => typeof part === 'string');
    return parts.length > 0 ? parts.join(': ') : null;
  } catch {
    return null;
  }
}

/** The text of an OWS/WFS ExceptionReport (or WFS 1.0 ServiceExceptionReport), or null when the body is not one. */
export function owsExceptionText(text: string): string | null {
  const head = text.slice(0, 2000);
  if (!/<(?:\w+:)?(?:ExceptionReport|ServiceExceptionReport)\b/.test(head)) return null;
  const texts: string[] = [];
  const pattern = /<(?:\w+:)?(?:ExceptionText|ServiceException)\b([^>]*)>([\s\S]*?)<\/(?:\w+:)?(?:ExceptionText|ServiceException)>/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const body = (match[2] ?? '').replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&').trim();
    if (body) texts.push(body);
  }
  const code = /exceptionCode="([^"]+)"/.exec(text)?.[1] ?? /code="([^"]+)"/.exec(text)?.[1];
  const joined = texts.join(' / ') || code || 'ExceptionReport';
  return (code && !joined.includes(code) ? `${code}: ${joined}` : joined).slice(0, 500);
}

/** GET/POST expecting XML: refuses HTML, turns an OWS ExceptionReport (any status) into its own message. */
export async function fetchXml(url: string, options: HttpOptions = {}): Promise<HttpResult> {
  const result = await httpRequest(url, { ...options, headers: { Accept: 'application/xml, text/xml;q=0.9, */*;q=0.1', ...options.headers } });
  const server = serverName(url);
  const exception = owsExceptionText(result.text);
  if (exception) throw new VerkostoError('sourceServiceException', { server, detail: exception });
  if (result.status >= 400) throw new VerkostoError('sourceHttpError', { server, status: result.status, attempts: 1 });
  if (!result.text.trimStart().startsWith('<') || looksLikeHtml(result.text, result.contentType)) {
    throw new VerkostoError('sourceNotXml', { server, received: describeContent(result.contentType, result.text) });
  }
  return result;
}

/**
 * Whether a server answers at all (any HTTP status counts as reachable). Used to disable sync with the
 * reason while offline: `{ reachable: false, error }` carries the sourceOffline/sourceTimeout message.
 */
export async function checkReachable(url: string, options: { timeoutMs?: number; signal?: CancelSignal } = {}): Promise<{ reachable: true } | { reachable: false; error: VerkostoError }> {
  try {
    await httpRequest(url, { attempts: 1, connectTimeoutMs: options.timeoutMs ?? 5_000, totalTimeoutMs: options.timeoutMs ?? 5_000, signal: options.signal });
    return { reachable: true };
  } catch (error) {
    if (error instanceof VerkostoError && error.code === 'sourceHttpError') return { reachable: true };
    if (error instanceof VerkostoError) return { reachable: false, error };
    throw error;
  }
}
