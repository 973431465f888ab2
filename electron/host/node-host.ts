/**
 * The Node host: serves the built renderer over HTTP and the host contract over one WebSocket, for a browser
 * on this machine (development, tests, and later the workshop's live view). It listens on 127.0.0.1 only,
 * requires a random per-run token, and refuses requests from foreign origins or unexpected Host names.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { type HostEventName, type HostEvents } from '../../shared/contract/host-api';
import { createHost, type Host } from '../services/host';
import { packageVersion, rendererDirectory } from '../services/package-root';
import { dispatchCall } from './dispatch';
import { SECURITY_HEADERS } from './security-headers';

export interface NodeHostOptions {
  /** A project to open at start. */
  projectFile?: string;
  /** 0 or absent: any free port. */
  port?: number;
  /** Recent projects and the built sample live here (default ~/.local/share/verkosto or $VERKOSTO_DATA_DIR). */
  dataDirectory?: string;
  /** Where browser users create and open projects (default <dataDirectory>/projects or $VERKOSTO_PROJECTS_DIR). */
  projectsDirectory?: string;
  /** Built renderer to serve (default dist/renderer). */
  rendererDirectory?: string;
  log?: (line: string) => void;
}

export interface RunningNodeHost {
  url: string;
  token: string;
  port: number;
  host: Host;
  close(): Promise<void>;
}

const LISTEN_ADDRESS = '127.0.0.1';
const MAX_MESSAGE_BYTES = 1024 * 1024;

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

export function defaultDataDirectory(): string {
  return process.env.VERKOSTO_DATA_DIR ?? path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'verkosto');
}

function tokensMatch(expected: Buffer, given: string | null): boolean {
  if (!given) return false;
  const candidate = Buffer.from(given);
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

export async function startNodeHost(options: NodeHostOptions = {}): Promise<RunningNodeHost> {
  const log = options.log ?? (() => {});
  const dataDirectory = path.resolve(options.dataDirectory ?? defaultDataDirectory());
  const projectsDirectory = path.resolve(options.projectsDirectory ?? process.env.VERKOSTO_PROJECTS_DIR ?? path.join(dataDirectory, 'projects'));
  const staticRoot = path.resolve(options.rendererDirectory ?? rendererDirectory());
  if (!existsSync(path.join(staticRoot, 'index.html'))) {
    throw new Error(`The renderer is not built (${staticRoot}/index.html missing): run npm run build`);
  }
  const token = randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const allowedRoots = [projectsDirectory, path.join(dataDirectory, 'sample')];
  if (options.projectFile) allowedRoots.push(path.dirname(path.resolve(options.projectFile)));

  const sockets = new Set<WebSocket>();
  const broadcast = <E extends HostEventName>(event: E, payload: HostEvents[E]) => {
    const frame = JSON.stringify({ event, payload });
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(frame);
  };
  const host = createHost({
    kind: 'browser',
    version: packageVersion(),
    dataDirectory,
    projectsDirectory,
    allowedRoots,
    emit: broadcast,
  });
  if (options.projectFile) await host.openProject({ path: path.resolve(options.projectFile) });

  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const refuse = (response: ServerResponse, status: number, text: string) => {
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
    response.end(text);
  };

  const serveStatic = (request: IncomingMessage, response: ServerResponse) => {
    if (!allowedHosts().has(request.headers.host ?? '')) return refuse(response, 421, 'Unexpected Host header');
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'Method not allowed');
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname);
    } catch {
      return refuse(response, 400, 'Bad path');
    }
    if (relative.endsWith('/')) relative += 'index.html';
    const file = path.resolve(staticRoot, `.${relative}`);
    if (!file.startsWith(staticRoot + path.sep) || !existsSync(file) || !statSync(file).isFile()) return refuse(response, 404, 'Not found');
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    response.writeHead(200, {
      'Content-Type': type,
      'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=3600',
      ...SECURITY_HEADERS,
    });
    if (request.method === 'HEAD') return response.end();
    createReadStream(file).pipe(response);
  };

  const server = createServer(serveStatic);
  const webSocketServer = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

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
      webSocket.on('close', () => sockets.delete(webSocket));
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
        const envelope = await dispatchCall(host, message.method, message.args);
        if (webSocket.readyState === webSocket.OPEN) webSocket.send(JSON.stringify({ id: message.id, ...envelope }));
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LISTEN_ADDRESS, () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}/?token=${token}`;
  log(`listening on http://127.0.0.1:${port}`);

  return {
    url,
    token,
    port,
    host,
    async close() {
      for (const socket of sockets) socket.close(1001, 'host closing');
      webSocketServer.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      host.dispose();
    },
  };
}

