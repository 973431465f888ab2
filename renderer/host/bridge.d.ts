/**
 * The bridge the Electron preload exposes with contextBridge.exposeInMainWorld('verkostoHost', ...).
 * It is the renderer's only way into Electron: an allowlisted invoke over the host contract and event
 * subscription. In the browser build the global is absent and the WebSocket transport is used instead.
 */
import type { HostEnvelope } from './transport';

declare global {
  interface VerkostoHostBridge {
    invoke(method: string, args: unknown): Promise<HostEnvelope>;
    on(event: string, listener: (payload: unknown) => void): () => void;
  }

  interface Window {
    verkostoHost?: VerkostoHostBridge;
  }
}

export {};
