/**
 * One HTTP + WebSocket server: serves the built renderer and carries the host contract over a WebSocket at
 * /api. The Node host runs one for the facilitator on 127.0.0.1; live sharing runs another for participants
 * on the interface the facilitator picks, with a participant-only call function. Both check the Host and
 * Origin headers (DNS rebinding, foreign pages) and require their own random token.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CallEnvelope } from './dispatch';
import { SECURITY_HEADERS } from './security-headers';

export interface ApiServerOptions {
  /** The interface to listen on; only this address (and localhost for 127.0.0.1) is accepted in Host. */
  address: string;
  port?: number;
  staticRoot: string;
  call(method: unknown, args: unknown): Promise<CallEnvelope>;
  log?: (line: string) => void;
  maxMessageBytes?: number;
  /** Told whenever a page connects or disconnects (the facilitator sees how many participants follow). */
  onClientCountChange?: (count: number) => void;
}

export interface ApiServer {
  readonly port: number;
  readonly token: string;
  /** The page address with the token, e.g. http://127.0.0.1:5173/?token=… */
  readonly url: string;
  broadcast(event: string, payload: unknown): void;
  clientCount(): number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

function tokensMatch(expected: Buffer, given: string | null): boolean {
  if (!given) return false;
  const candidate = Buffer.from(given);
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

function hostPart(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const log = options.log ?? (() => {});
  const staticRoot = path.resolve(options.staticRoot);
  if (!existsSync(path.join(staticRoot, 'index.html'))) {
    throw new Error(`The renderer is not built (${staticRoot}/index.html missing): run npm run build`);
  }
  const token = randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const sockets = new Set<WebSocket>();
  let port = 0;

  const names = () => {
    const list = [`${hostPart(options.address)}:${port}`];
    if (options.address === '127.0.0.1') list.push(`localhost:${port}`);
    return list;
  };
  const allowedHosts = () => new Set(names());
  const allowedOrigins = () => new Set(names().map((name) => `http://${name}`));

  const refuse = (response: ServerResponse, status: number, text: string) => {
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
    response.end(text);
  };

  const serveStatic = (request: IncomingMessage, response: ServerResponse) => {
    if (!allowedHosts().has(request.headers.host ?? '')) return refuse(response, 421, 'Unexpected Host header');
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'Method not allowed');
    const url = new URL(request.url ?? '/', 'http://placeholder');
    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname);
    } catch {
      return refuse(response, 400, 'Bad path');
    }
    if (relative.endsWith('/')) relative += 'index.html';
    const file = path.resolve(staticRoot, `.${relative}`);
    if (!file.startsWith(staticRoot + path.sep) || !existsSync(file) || !statSync(file).isFile()) return refuse(response, 404, 'Not found');
    response.writeHead(200, {
      'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=3600',
      ...SECURITY_HEADERS,
    });
    if (request.method === 'HEAD') return response.end();
    createReadStream(file).pipe(response);
  };

  const server = createServer(serveStatic);
  const webSocketServer = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 1024 * 1024 });

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const reject = (status: number, reason: string) => {
      log(`refused WebSocket: ${reason}`);
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n\r\n`);
    };
    if (url.pathname !== '/api') return reject(404, 'Not Found');
    if (!allowedHosts().has(request.headers.host ?? '')) return reject(421, 'Misdirected Request');
    if (!allowedOrigins().has(request.headers.origin ?? '')) return reject(403, 'Forbidden');
    if (!tokensMatch(tokenBytes, url.searchParams.get('token'))) return reject(401, 'Unauthorized');
    webSocketServer.handleUpgrade(request, socket, head, (webSocket) => {
      sockets.add(webSocket);
      options.onClientCountChange?.(sockets.size);
      webSocket.on('close', () => {
        sockets.delete(webSocket);
        options.onClientCountChange?.(sockets.size);
      });
      // ws reports oversized or invalid frames as an 'error' and then closes the socket; without a
      // listener the error would take the whole host down.
      webSocket.on('error', (error) => log(`WebSocket closed: ${error.message}`));
      webSocket.on('message', async (data, isBinary) => {
        if (isBinary) return webSocket.close(1003, 'text frames only');
        let message: { id?: unknown; method?: unknown; args?: unknown };
        try {
          message = JSON.parse(data.toString()) as typeof message;
        } catch {
          return webSocket.close(1007, 'invalid JSON');
        }
        if (typeof message !== 'object' || message === null || typeof message.id !== 'number') return webSocket.close(1008, 'malformed call');
        const envelope = await options.call(message.method, message.args);
        if (webSocket.readyState === webSocket.OPEN) webSocket.send(JSON.stringify({ id: message.id, ...envelope }));
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.address, () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  log(`listening on http://${hostPart(options.address)}:${port}`);

  return {
    port,
    token,
    url: `http://${hostPart(options.address)}:${port}/?token=${token}`,
    broadcast(event, payload) {
      const frame = JSON.stringify({ event, payload });
      for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(frame);
    },
    clientCount: () => sockets.size,
    async close() {
      for (const socket of sockets) socket.close(1001, 'closing');
      webSocketServer.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}
