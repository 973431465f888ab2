import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HostConnectionError, type ConnectionState } from './transport';
import { createWebSocketTransport, takeSessionToken } from './websocket-transport';

/** A stand-in for the browser WebSocket that the test drives by hand. */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static instances: FakeSocket[] = [];
  readyState = FakeSocket.CONNECTING;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }

  send(data: string) {
    this.sent.push(JSON.parse(data));
  }

  close() {
    this.drop();
  }

  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }

  receive(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  drop() {
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.();
  }
}

const latest = () => FakeSocket.instances[FakeSocket.instances.length - 1]!;

describe('createWebSocketTransport', () => {
  beforeEach(() => {
    FakeSocket.instances = [];
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const create = () =>
    createWebSocketTransport({ url: 'ws://host/api?token=abc', webSocketImplementation: FakeSocket as unknown as typeof WebSocket, initialBackoffMs: 100, maxBackoffMs: 400, queueTimeoutMs: 1_000 });

  it('queues calls until the socket opens, then answers them by id', async () => {
    const transport = create();
    const answer = transport.invoke('getHostInfo', {});
    expect(latest().sent).toEqual([]);
    latest().open();
    expect(latest().sent).toEqual([{ id: 1, method: 'getHostInfo', args: {} }]);
    latest().receive({ id: 1, ok: true, result: { kind: 'browser' } });
    await expect(answer).resolves.toEqual({ ok: true, result: { kind: 'browser' } });
  });

  it('passes error envelopes through', async () => {
    const transport = create();
    latest().open();
    const answer = transport.invoke('openProject', { path: 'x' });
    latest().receive({ id: 1, ok: false, error: { code: 'fileNotFound', params: { file: 'x' }, message: 'm' } });
    await expect(answer).resolves.toEqual({ ok: false, error: { code: 'fileNotFound', params: { file: 'x' }, message: 'm' } });
  });

  it('delivers events to listeners', () => {
    const transport = create();
    latest().open();
    const listener = vi.fn();
    transport.on('projectChanged', listener);
    latest().receive({ event: 'projectChanged', payload: { seq: 3 } });
    expect(listener).toHaveBeenCalledWith({ seq: 3 });
  });

  it('rejects calls in flight when the socket drops, then reconnects with backoff', async () => {
    const transport = create();
    const states: ConnectionState[] = [];
    transport.onConnectionChange((state) => states.push(state));
    latest().open();
    const answer = transport.invoke('openSampleProject', {});
    latest().drop();
    const error = await answer.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HostConnectionError);
    expect(error).toMatchObject({ reason: 'lost', method: 'openSampleProject' });
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(200);
    expect(FakeSocket.instances).toHaveLength(2);
    latest().open();
    expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
  });

  it('fails a queued call with "unavailable" when no connection comes', async () => {
    const transport = create();
    const answer = transport.invoke('getHostInfo', {});
    vi.advanceTimersByTime(1_100);
    await expect(answer).rejects.toMatchObject({ reason: 'unavailable' });
  });
});

describe('takeSessionToken', () => {
  it('moves the token from the address into sessionStorage and cleans the address', () => {
    window.history.replaceState(null, '', '/index.html?token=s3cret&x=1#map');
    window.sessionStorage.clear();
    expect(takeSessionToken(window.location, window.sessionStorage, window.history)).toBe('s3cret');
    expect(window.sessionStorage.getItem('verkosto.token')).toBe('s3cret');
    expect(window.location.search).toBe('?x=1');
    expect(window.location.hash).toBe('#map');
    // A reload (no token in the address) still finds it.
    expect(takeSessionToken(window.location, window.sessionStorage, window.history)).toBe('s3cret');
  });
});
