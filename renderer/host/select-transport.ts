/** Picks the transport for where the renderer runs: the Electron bridge when present, else the WebSocket host. */
import { createElectronTransport } from './electron-transport';
import type { HostTransport } from './transport';
import { createWebSocketTransport, takeSessionToken } from './websocket-transport';

export function selectTransport(): HostTransport {
  if (window.verkostoHost) return createElectronTransport(window.verkostoHost);
  const token = takeSessionToken(window.location, window.sessionStorage, window.history);
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${window.location.host}/api?token=${encodeURIComponent(token ?? '')}`;
  return createWebSocketTransport({ url });
}
