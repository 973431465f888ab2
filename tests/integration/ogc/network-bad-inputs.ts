/**
 * The network rows of the bad-input corpus (tests/integration/import-bad-inputs.test.ts runs them): each
 * must fail with its own clear message and leave the project byte-identical.
 *
 * OGC faults come from the real MapServer (an ExceptionReport, a layer whose data is in another CRS than
 * it declares); transport faults (HTTP 500, a server that never answers, an HTML login page, a body cut
 * short, a closed port) from a plain HTTP server on 127.0.0.1 that misbehaves on purpose. Both start on
 * first use and stop after the file's tests.
 */
import { afterAll } from 'vitest';
import type { FieldMapping } from '../../../shared/import/types';
import type { HttpOptions } from '../../../electron/services/import/readers/network/http-client';
import { OgcApiSource } from '../../../electron/services/import/readers/network/ogcapi-source';
import { ServiceMapSource, TprSource } from '../../../electron/services/import/readers/network/register-sources';
import { WfsSource } from '../../../electron/services/import/readers/network/wfs-source';
import { ogcServerUnavailableReason, startOgcServer, type OgcServer } from '../../support/mapserver/ogc-server';
import type { BadInputCase } from '../import-bad-inputs.test';
import { closedPort, startLocalServer, type LocalServer } from './local-http-server';

/** Short timeouts and backoff so the corpus stays quick; the limits themselves are what is tested. */
const FAST: HttpOptions = { attempts: 2, baseDelayMs: 20, maxDelayMs: 50, connectTimeoutMs: 400, totalTimeoutMs: 2_000 };

let mapserver: Promise<OgcServer> | null = null;
let faulty: Promise<LocalServer> | null = null;

function ogc(): Promise<OgcServer> {
  mapserver ??= startOgcServer();
  return mapserver;
}

const LOGIN_PAGE = '<!DOCTYPE html><html><head><title>Kirjaudu</title></head><body><form action="/login"><input name="user"></form></body></html>';

function faultServer(): Promise<LocalServer> {
  faulty ??= startLocalServer({
    '/error/wfs': (_request, response) => { response.writeHead(500, { 'Content-Type': 'text/html' }).end('<h1>Internal Server Error</h1>'); },
    // Accepts the connection, never sends a byte (the request stays open until the client gives up).
    '/silent/wfs': () => undefined,
    '/login/wfs': (_request, response) => { response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(LOGIN_PAGE); },
    '/login/unit/': (_request, response) => { response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(LOGIN_PAGE); },
    '/cut/servicemap/v2/unit/': (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"count": 2, "next": null, "results": [{"id": 1, "name": {"fi": "Aleksis Kiven peruskoulu"}, "location": {"type": "Point", "coordinates": [24.95, 60.1');
    },
    '/unavailable/ogcapi': (_request, response) => { response.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '0' }).end('maintenance'); },
  });
  return faulty;
}

afterAll(async () => {
  await Promise.all([mapserver?.then((server) => server.stop()).catch(() => undefined), faulty?.then((server) => server.close())]);
});

/** MapServer's schools mapped to facilities (the layer's own field names). */
const KOULUT_MAPPING: FieldMapping = { name: 'koulut', targetLayer: 'facilities', fields: { code: { source: 'tunn' }, name_fi: { source: 'onimi' } } };

const mapserverMissing = ogcServerUnavailableReason();

const rows: BadInputCase[] = [
  {
    name: 'network: HTTP 500 from the WFS endpoint (retried, then a message naming the server)',
    code: 'sourceHttpError',
    layer: 'ms:koulut',
    open: async () => new WfsSource({ url: `${(await faultServer()).base}/error/wfs`, http: FAST }),
  },
  {
    name: 'network: a server that never answers (bounded by the timeout)',
    code: 'sourceTimeout',
    layer: 'ms:koulut',
    open: async () => new WfsSource({ url: `${(await faultServer()).base}/silent/wfs`, http: FAST }),
  },
  {
    name: 'network: an HTML login page instead of WFS XML',
    code: 'sourceNotXml',
    layer: 'ms:koulut',
    open: async () => new WfsSource({ url: `${(await faultServer()).base}/login/wfs`, http: FAST }),
  },
  {
    name: 'network: an HTML page instead of register JSON',
    code: 'sourceNotJson',
    layer: 'ontologyword=601',
    open: async () => new TprSource({ url: `${(await faultServer()).base}/login/unit/`, query: 'ontologyword=601', http: FAST }),
  },
  {
    name: 'network: a JSON body cut short',
    code: 'sourceBadResponse',
    layer: 'service_node=1087',
    open: async () => new ServiceMapSource({ url: `${(await faultServer()).base}/cut/servicemap/v2/unit/`, query: 'service_node=1087', http: FAST }),
  },
  {
    name: 'network: HTTP 503 with Retry-After, still down after the retries',
    code: 'sourceHttpError',
    layer: 'koulut',
    open: async () => new OgcApiSource({ url: `${(await faultServer()).base}/unavailable/ogcapi`, http: FAST }),
  },
  {
    name: 'network: cancelled by the user while the server is still silent',
    code: 'importCancelled',
    layer: 'ms:koulut',
    // Long timeouts: only the cancellation can end this read.
    signal: () => AbortSignal.timeout(300),
    open: async () => new WfsSource({ url: `${(await faultServer()).base}/silent/wfs`, http: { connectTimeoutMs: 60_000, totalTimeoutMs: 60_000, attempts: 4 } }),
  },
  {
    name: 'network: nothing listening on the port (offline)',
    code: 'sourceOffline',
    layer: 'ms:koulut',
    // A released port on 127.0.0.1: connection refused at once.
    open: async () => new WfsSource({ url: `http://127.0.0.1:${await closedPort()}/wfs`, http: FAST }),
  },
];

if (!mapserverMissing) {
  rows.push(
    {
      name: 'network: a WFS ExceptionReport from MapServer (a CRS the server does not offer)',
      code: 'sourceServiceException',
      layer: 'ms:koulut',
      mapping: KOULUT_MAPPING,
      open: async () => new WfsSource({ url: (await ogc()).wfs, epsg: 3877, outputFormat: 'gml', http: FAST }),
      messageContains: 'SRS',
    },
    {
      name: 'network: the wrong CRS in the response (MapServer layer declares GK25, data is TM35FIN)',
      code: 'sourceCrsMismatch',
      layer: 'ms:koulut_vaara_crs',
      mapping: KOULUT_MAPPING,
      open: async () => new WfsSource({ url: (await ogc()).wfs, epsg: 3879, http: FAST }),
      messageContains: 'EPSG:3067',
    },
  );
}

export const NETWORK_BAD_INPUTS: BadInputCase[] = rows;
