/**
 * The transport of the browser build: one WebSocket to the Node host at /api.
 *
 * Wire protocol (JSON text frames):
 *   request  {id, method, args}
 *   response {id, ok: true, result} | {id, ok: false, error: ErrorPayload}
 *   event    {event, payload}
 *
 * Invariants:
 * - A call made while the socket is not open waits in a queue (up to `queueTimeoutMs`) and is sent on open.
 * - A call already sent when the socket drops is rejected with HostConnectionError('lost'), never resent:
 *   the host may have run it, and commands are not idempotent.
 * - After a drop the transport reconnects with exponential backoff; event listeners stay subscribed.
 */
import type { ErrorPayload } from '../../shared/errors';
import type { ConnectionState, HostEnvelope, HostTransport } from './transport';
import { HostConnectionError } from './transport';

const TOKEN_STORAGE_KEY = 'verkosto.token';

/**
 * Takes the access token from the page address (`?token=...`), keeps it in sessionStorage so a reload
 * still works, and removes it from the address bar so it does not end up in screenshots or bookmarks.
 */
export function takeSessionToken(location: Location, storage: Storage, history: History): string | null {
  const url = new URL(location.href);
  const fromAddress = url.searchParams.get('token');
  if (fromAddress) {
    try {
      storage.setItem(TOKEN_STORAGE_KEY, fromAddress);
    } catch {
      // Storage may be disabled; the token still works for this page load.
    }
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromAddress;
  }
  try {
    return storage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

export interface WebSocketTransportOptions {
  url: string;
  /** Injected by tests; the browser's WebSocket otherwise. */
  webSocketImplementation?: typeof WebSocket;
  /** First reconnect delay; doubles per failed attempt up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a call may wait for a connection before it fails with 'unavailable'. */
  queueTimeoutMs?: number;
}

interface PendingCall {
  method: string;
  resolve: (envelope: HostEnvelope) => void;
  reject: (error: Error) => void;
}

interface QueuedCall extends PendingCall {
  id: number;
  args: unknown;
  timer: ReturnType<typeof setTimeout>;
}

type IncomingMessage =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: ErrorPayload }
  | { event: string; payload: unknown };

export function createWebSocketTransport(options: WebSocketTransportOptions): HostTransport & { close(): void } {
  const WebSocketImplementation = options.webSocketImplementation ?? WebSocket;
  const initialBackoffMs = options.initialBackoffMs ?? 250;
  const maxBackoffMs = options.maxBackoffMs ?? 5_000;
  const queueTimeoutMs = options.queueTimeoutMs ?? 15_000;

  let socket: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let failedAttempts = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let closedByUser = false;
  let nextId = 1;
  const inFlight = new Map<number, PendingCall>();
  const queue: QueuedCall[] = [];
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();

  function setState(next: ConnectionState): void {
    if (state === next) return;
    state = next;
    for (const listener of connectionListeners) listener(next);
  }

  function send(call: PendingCall & { id: number; args: unknown }): void {
    inFlight.set(call.id, { method: call.method, resolve: call.resolve, reject: call.reject });
    socket!.send(JSON.stringify({ id: call.id, method: call.method, args: call.args }));
  }

  function handleMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: IncomingMessage;
    try {
      message = JSON.parse(data) as IncomingMessage;
    } catch {
      console.warn('verkosto: ignored a malformed host message');
      return;
    }
    if ('event' in message && typeof message.event === 'string') {
      for (const listener of eventListeners.get(message.event) ?? []) {
        try {
          listener(message.payload);
        } catch (error) {
          console.error(error);
        }
      }
      return;
    }
    if ('id' in message && typeof message.id === 'number') {
      const pending = inFlight.get(message.id);
      if (!pending) return;
      inFlight.delete(message.id);
      pending.resolve(message.ok ? { ok: true, result: message.result } : { ok: false, error: message.error });
    }
  }

  function connect(): void {
    reconnectTimer = null;
    const current = new WebSocketImplementation(options.url);
    socket = current;
    current.onopen = () => {
      if (socket !== current) return;
      failedAttempts = 0;
      setState('connected');
      for (const call of queue.splice(0)) {
        clearTimeout(call.timer);
        send(call);
      }
    };
    current.onmessage = (event: MessageEvent) => {
      if (socket === current) handleMessage(event.data);
    };
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      for (const [id, pending] of inFlight) {
        inFlight.delete(id);
        pending.reject(new HostConnectionError('lost', pending.method));
      }
      if (closedByUser) return;
      setState('reconnecting');
      const delay = Math.min(maxBackoffMs, initialBackoffMs * 2 ** failedAttempts);
      failedAttempts += 1;
      reconnectTimer = setTimeout(connect, delay * (0.8 + Math.random() * 0.4));
    };
    // An error is always followed by close, where the cleanup happens.
    current.onerror = () => {};
  }

  connect();

  return {
    kind: 'websocket',
    invoke(method, args) {
      return new Promise<HostEnvelope>((resolve, reject) => {
        const id = nextId++;
        if (socket && socket.readyState === WebSocketImplementation.OPEN) {
          send({ id, method, args, resolve, reject });
          return;
        }
        if (closedByUser) {
          reject(new HostConnectionError('unavailable', method));
          return;
        }
        const call: QueuedCall = {
          id,
          method,
          args,
          resolve,
          reject,
          timer: setTimeout(() => {
            const index = queue.indexOf(call);
            if (index >= 0) queue.splice(index, 1);
            reject(new HostConnectionError('unavailable', method));
          }, queueTimeoutMs),
        };
        queue.push(call);
      });
    },
    on(event, listener) {
      let listeners = eventListeners.get(event);
      if (!listeners) {
        listeners = new Set();
        eventListeners.set(event, listeners);
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onConnectionChange(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => connectionListeners.delete(listener);
    },
    close() {
      closedByUser = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      for (const call of queue.splice(0)) {
        clearTimeout(call.timer);
        call.reject(new HostConnectionError('unavailable', call.method));
      }
      socket?.close();
    },
  };
}
