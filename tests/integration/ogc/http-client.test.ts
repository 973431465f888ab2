/**
 * The network sources' HTTP client over real sockets on 127.0.0.1: retries with backoff for 5xx/429 (and
 * only those), Retry-After, cancellation during a request and during the backoff wait, the two timeouts,
 * DNS failure and a closed port as "offline", charset decoding, and OWS exception texts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGmlStream } from '../../../electron/services/import/gml/gml-parser';
import { checkReachable, decodeBody, fetchJson, httpRequest, httpStream, owsExceptionText } from '../../../electron/services/import/readers/network/http-client';
import { closedPort, startLocalServer, type LocalServer } from './local-http-server';

describe('http client', () => {
  let server: LocalServer;
  let flaky = 0;
  let releaseSecondHalf: () => void = () => undefined;
  const secondHalfAsked = new Promise<void>((resolve) => { releaseSecondHalf = resolve; });
  const member = (id: number): string => `<gml:featureMember><a:k fid="k.${id}"><a:g><gml:Point srsName="EPSG:3067"><gml:coordinates>${386000 + id},6672000</gml:coordinates></gml:Point></a:g></a:k></gml:featureMember>`;

  beforeAll(async () => {
    server = await startLocalServer({
      '/flaky': (_request, response) => {
        flaky++;
        if (flaky < 3) response.writeHead(503).end('busy');
        else response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
      },
      '/limited': (_request, response) => { response.writeHead(429, { 'Retry-After': '0.25' }).end(); },
      '/missing': (_request, response) => { response.writeHead(404, { 'Content-Type': 'application/json' }).end('{"code":"NotFound","description":"Invalid collection."}'); },
      '/silent': () => undefined,
      // GML in two parts: the second is sent only after the client has parsed a feature of the first.
      '/gml-in-parts': (_request, response) => {
        response.writeHead(200, { 'Content-Type': 'text/xml' });
        response.write(`<wfs:FeatureCollection>${member(1)}${member(2)}`);
        void secondHalfAsked.then(() => response.end(`${member(3)}</wfs:FeatureCollection>`));
      },
      '/slow-body': (_request, response) => {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.write('{"features": [');
        // …and the rest never comes.
      },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  const count = (path: string): number => server.requests.filter((request) => request.url.pathname === path).length;

  it('retries 503 with backoff and succeeds on the third attempt', async () => {
    const retries: Array<{ attempt: number; delayMs: number; reason: string }> = [];
    const { json } = await fetchJson<{ ok: boolean }>(`${server.base}/flaky`, { attempts: 4, baseDelayMs: 10, maxDelayMs: 40, onRetry: (info) => retries.push(info) });
    expect(json.ok).toBe(true);
    expect(count('/flaky')).toBe(3);
    expect(retries.map((retry) => retry.reason)).toEqual(['HTTP 503', 'HTTP 503']);
    // Full jitter: each wait within [0, min(max, base·2^n)].
    expect(retries[0]!.delayMs).toBeLessThanOrEqual(10);
    expect(retries[1]!.delayMs).toBeLessThanOrEqual(20);
  });

  it('429 honours Retry-After (up to the maximum) and gives up after the attempts with a message naming the server', async () => {
    const retries: number[] = [];
    const error = await httpRequest(`${server.base}/limited`, { attempts: 2, baseDelayMs: 1, maxDelayMs: 400, onRetry: (info) => retries.push(info.delayMs) }).catch((caught: unknown) => caught);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toBeGreaterThanOrEqual(250);
    expect(error).toMatchObject({ code: 'sourceHttpError', params: { server: server.base.replace('http://', ''), status: 429, attempts: 2 } });
  });

  it('a 404 is not retried, and its JSON explanation reaches the message', async () => {
    const before = count('/missing');
    await expect(fetchJson(`${server.base}/missing`, { attempts: 4, baseDelayMs: 1 })).rejects.toMatchObject({ code: 'sourceServiceException', params: { detail: 'HTTP 404: NotFound: Invalid collection.' } });
    expect(count('/missing') - before).toBe(1);
  });

  it('the connect timeout bounds a server that never answers; the total timeout bounds a body that never ends', async () => {
    await expect(httpRequest(`${server.base}/silent`, { attempts: 2, connectTimeoutMs: 200, baseDelayMs: 1 })).rejects.toMatchObject({ code: 'sourceTimeout', params: { seconds: 0.2, attempts: 2 } });
    await expect(httpRequest(`${server.base}/slow-body`, { attempts: 1, connectTimeoutMs: 2_000, totalTimeoutMs: 300 })).rejects.toMatchObject({ code: 'sourceTimeout', params: { seconds: 0.3 } });
  });

  it('cancellation stops a pending request and a backoff wait with an AbortError, without further attempts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(httpRequest(`${server.base}/silent`, { signal: controller.signal, connectTimeoutMs: 10_000 })).rejects.toMatchObject({ name: 'AbortError' });
    const waiting = new AbortController();
    const before = count('/limited');
    const pending = httpRequest(`${server.base}/limited`, { signal: waiting.signal, attempts: 5, baseDelayMs: 5_000, maxDelayMs: 5_000, onRetry: () => waiting.abort() });
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(count('/limited') - before).toBe(1);
  });

  it('a closed port and an unknown host are "offline"; any HTTP answer is "reachable"', async () => {
    const closed = `http://127.0.0.1:${await closedPort()}/`;
    await expect(httpRequest(closed, { attempts: 1 })).rejects.toMatchObject({ code: 'sourceOffline', params: { detail: 'ECONNREFUSED' } });
    // A resolver that is itself unreachable answers EAI_AGAIN only after its own timeout: allow for it.
    const dns = await httpRequest('http://verkosto-test-host.invalid/wfs', { attempts: 1, connectTimeoutMs: 25_000 }).catch((error: unknown) => error);
    expect(dns).toMatchObject({ code: 'sourceOffline' });
    expect(String((dns as { params: { detail: string } }).params.detail)).toMatch(/^DNS /);
    expect(await checkReachable(`${server.base}/missing`)).toEqual({ reachable: true });
    const offline = await checkReachable(closed);
    expect(offline.reachable).toBe(false);
  });

  it('streams: features of a response are parsed before the rest of it has been sent', async () => {
    const stream = await httpStream(`${server.base}/gml-in-parts`, { attempts: 1 });
    const ids: string[] = [];
    for await (const feature of parseGmlStream(stream.chunks, { source: 'parts' })) {
      ids.push(feature.sourceId);
      // Without streaming this loop would never start: the server waits for it.
      if (ids.length === 1) releaseSecondHalf();
    }
    expect(ids).toEqual(['k.1', 'k.2', 'k.3']);
  });

  it('decodes by the declared charset, the XML declaration, or ISO-8859-1 when the bytes are not UTF-8', () => {
    const latin1 = Uint8Array.from(Buffer.from('{"name":"Sanitation kränkning"}', 'latin1'));
    expect(decodeBody(latin1, 'application/json')).toBe('{"name":"Sanitation kränkning"}');
    expect(decodeBody(latin1, 'application/json; charset=ISO-8859-1')).toBe('{"name":"Sanitation kränkning"}');
    // Said to be UTF-8, sent as ISO-8859-1.
    expect(decodeBody(latin1, 'application/json; charset=utf-8')).toBe('{"name":"Sanitation kränkning"}');
    expect(decodeBody(Uint8Array.from(Buffer.from('ä', 'utf8')), 'application/json')).toBe('ä');
    const xml = Uint8Array.from(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>Östersundom</a>', 'latin1'));
    expect(decodeBody(xml, 'text/xml')).toContain('Östersundom');
  });

  it('reads the text of OWS 1.1 and WFS 1.0 exception reports', () => {
    expect(owsExceptionText('<ows:ExceptionReport version="2.0.0"><ows:Exception exceptionCode="InvalidParameterValue" locator="typename"><ows:ExceptionText>TYPENAME &apos;nope&apos; doesn&apos;t exist</ows:ExceptionText></ows:Exception></ows:ExceptionReport>')).toBe("InvalidParameterValue: TYPENAME 'nope' doesn't exist");
    expect(owsExceptionText('<ServiceExceptionReport version="1.2.0"><ServiceException code="InvalidParameterValue">\n Unknown layer\n</ServiceException></ServiceExceptionReport>')).toBe('InvalidParameterValue: Unknown layer');
    expect(owsExceptionText('<wfs:FeatureCollection/>')).toBeNull();
  });
});
