/**
 * What a host client needs from a transport: one call per contract method answered by an envelope, and
 * event subscription. Electron IPC and the WebSocket both implement it, so the client cannot tell them apart.
 */
import type { ErrorPayload } from '../../shared/errors';

/** The answer to one call: a result, or an error in its wire shape (turned into a VerkostoError by the client). */
export type HostEnvelope = { ok: true; result: unknown } | { ok: false; error: ErrorPayload };

/** Where the connection to the host stands; the Electron bridge is always `connected`. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

export interface HostTransport {
  readonly kind: 'electron' | 'websocket';
  invoke(method: string, args: unknown): Promise<HostEnvelope>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** Reports connection changes (immediately with the current state); returns an unsubscribe function. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
}

/** Why a call failed without an answer from the host: the renderer shows `connection.<reason>`. */
export type HostConnectionFailure = 'lost' | 'unavailable';

/**
 * A call the transport could not complete (the socket dropped, the host never answered). Unlike a
 * VerkostoError it carries no host error code: the renderer shows `connection.<reason>`.
 */
export class HostConnectionError extends Error {
  readonly reason: HostConnectionFailure;
  readonly method: string;

  constructor(reason: HostConnectionFailure, method: string) {
    super(`Host call ${method} failed: connection ${reason}`);
    this.name = 'HostConnectionError';
    this.reason = reason;
    this.method = method;
  }
}
