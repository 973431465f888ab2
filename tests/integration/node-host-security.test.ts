// The Node host's security baseline, tested over real loopback sockets: loopback-only, token, origin and
// Host checks, strict headers, no path traversal, bounded and well-formed messages.
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeHost, type RunningNodeHost } from '../../electron/host/node-host';
import { makeTempDirectory } from '../support/temp-directory';

let running: RunningNodeHost;
const temp = makeTempDirectory();

beforeAll(async () => {
  const renderer = path.join(temp.path, 'renderer');
  mkdirSync(renderer, { recursive: true });
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Verkosto</title>');
  writeFileSync(path.join(temp.path, 'secret.txt'), 'not for the browser');
  running = await startNodeHost({ port: 0, dataDirectory: path.join(temp.path, 'data'), rendererDirectory: renderer });
});
afterAll(async () => {
  await running.close();
  temp.remove();
});

function get(requestPath: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port: running.port, path: requestPath, headers: { host: `127.0.0.1:${running.port}`, ...headers } }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

function connect(options: { token?: string | null; origin?: string | null; host?: string }): Promise<{ opened: boolean; status?: number; socket?: WebSocket }> {
  const query = options.token === null ? '' : `?token=${encodeURIComponent(options.token ?? running.token)}`;
  const headers: Record<string, string> = {};
  if (options.host) headers.host = options.host;
  const socket = new WebSocket(`ws://127.0.0.1:${running.port}/api${query}`, {
    ...(options.origin === null ? {} : { origin: options.origin ?? `http://127.0.0.1:${running.port}` }),
    headers,
  });
  return new Promise((resolve) => {
    socket.on('open', () => resolve({ opened: true, socket }));
    socket.on('unexpected-response', (_request, response) => resolve({ opened: false, status: response.statusCode }));
    socket.on('error', () => resolve({ opened: false }));
  });
}

describe('Node host security', () => {
  it('listens on the loopback interface only', () => {
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('serves the renderer with a strict Content-Security-Policy and companion headers', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.body).toContain('<title>Verkosto</title>');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await get('/', { host: 'attacker.example:80' })).status).toBe(421);
  });

  it('does not serve files outside the renderer folder', async () => {
    for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%2f%2e%2e%2fsecret.txt']) {
      const response = await get(attempt);
      expect(response.status, attempt).toBe(404);
      expect(response.body).not.toContain('not for the browser');
    }
  });

  it('refuses a WebSocket without the token, with a wrong token, or from a foreign origin', async () => {
    expect(await connect({ token: null })).toMatchObject({ opened: false, status: 401 });
    expect(await connect({ token: 'x'.repeat(32) })).toMatchObject({ opened: false, status: 401 });
    expect(await connect({ origin: 'http://evil.example' })).toMatchObject({ opened: false, status: 403 });
    expect(await connect({ origin: null })).toMatchObject({ opened: false, status: 403 });
    expect(await connect({ host: 'evil.example' })).toMatchObject({ opened: false, status: 421 });
  });

  it('accepts the app and answers a call, but closes on malformed or oversized frames', async () => {
    const good = await connect({});
    expect(good.opened).toBe(true);
    const answer = await new Promise<string>((resolve) => {
      good.socket!.once('message', (data) => resolve(data.toString()));
      good.socket!.send(JSON.stringify({ id: 1, method: 'getHostInfo', args: {} }));
    });
    expect(JSON.parse(answer)).toMatchObject({ id: 1, ok: true, result: { kind: 'browser' } });

    const unknown = await new Promise<string>((resolve) => {
      good.socket!.once('message', (data) => resolve(data.toString()));
      good.socket!.send(JSON.stringify({ id: 2, method: 'constructor', args: {} }));
    });
    expect(JSON.parse(unknown)).toMatchObject({ id: 2, ok: false, error: { code: 'unknownMethod' } });

    const closedCode = await new Promise<number>((resolve) => {
      good.socket!.once('close', (code) => resolve(code));
      good.socket!.send('{not json');
    });
    expect(closedCode).toBe(1007);

    const big = await connect({});
    const bigClosed = await new Promise<number>((resolve) => {
      big.socket!.once('close', (code) => resolve(code));
      big.socket!.send(JSON.stringify({ id: 3, method: 'getHostInfo', args: { padding: 'x'.repeat(2 * 1024 * 1024) } }));
    });
    expect(bigClosed).toBe(1009);
  });
});
