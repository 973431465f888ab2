/**
 * A real HTTP server on 127.0.0.1 for the JSON APIs that cannot be reached from the test machine (the
 * service registers, Open311, PxWeb): each route answers with a response written from the service's
 * documented format. Also the misbehaving servers of the bad-input corpus (HTTP 500, HTML, truncated body,
 * a server that accepts and never answers). OGC services are NOT imitated here: they run on MapServer.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: URL;
  body: string;
}

export type Route = (request: RecordedRequest, response: http.ServerResponse) => void;

export interface LocalServer {
  base: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startLocalServer(routes: Record<string, Route>): Promise<LocalServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const request = { method: incoming.method ?? 'GET', url, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      const route = routes[url.pathname];
      if (!route) {
        response.writeHead(404, { 'Content-Type': 'application/json' }).end('{"detail":"Not found."}');
        return;
      }
      route(request, response);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

export const json = (body: unknown, status = 200, contentType = 'application/json; charset=utf-8'): Route => (_request, response) => {
  response.writeHead(status, { 'Content-Type': contentType }).end(typeof body === 'string' ? body : JSON.stringify(body));
};

/** A port on 127.0.0.1 that nothing listens on (taken and released; fetch refuses "bad ports" such as 9). */
export async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
