import WebSocket from 'ws';

/**
 * The `ws` client as a browser-style WebSocket class that sends a given Origin, as a browser would, so the
 * renderer's own WebSocket transport can talk to the Node host from a test.
 */
export function webSocketWithOrigin(origin: string): typeof globalThis.WebSocket {
  class OriginWebSocket extends WebSocket {
    constructor(url: string | URL) {
      super(url, { origin });
    }
  }
  return OriginWebSocket as unknown as typeof globalThis.WebSocket;
}
