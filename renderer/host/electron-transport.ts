/** The transport inside Electron: the preload's allowlisted bridge (window.verkostoHost). */
import type { ConnectionState, HostTransport } from './transport';

export function createElectronTransport(bridge: VerkostoHostBridge): HostTransport {
  return {
    kind: 'electron',
    invoke: (method, args) => bridge.invoke(method, args),
    on: (event, listener) => bridge.on(event, listener),
    onConnectionChange(listener: (state: ConnectionState) => void) {
      // IPC to the main process cannot drop while the window exists.
      listener('connected');
      return () => {};
    },
  };
}
