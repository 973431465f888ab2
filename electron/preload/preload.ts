/**
 * The preload: the only bridge between the sandboxed renderer and the main process. It exposes two functions
 * through contextBridge — invoke an allowlisted contract method, listen to host events — never ipcRenderer.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { HOST_EVENT_NAMES, HOST_METHOD_NAMES } from '../../shared/contract/method-names';

const methods = new Set<string>(HOST_METHOD_NAMES);
const events = new Set<string>(HOST_EVENT_NAMES);

contextBridge.exposeInMainWorld('verkostoHost', {
  invoke(method: string, args: unknown): Promise<unknown> {
    if (!methods.has(method)) return Promise.resolve({ ok: false, error: { code: 'unknownMethod', params: { method: String(method) }, message: 'unknown method' } });
    return ipcRenderer.invoke(`host:${method}`, args);
  },
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (!events.has(event)) return () => {};
    const handler = (_: IpcRendererEvent, message: { event: string; payload: unknown }) => {
      if (message?.event === event) listener(message.payload);
    };
    ipcRenderer.on('host:event', handler);
    return () => ipcRenderer.removeListener('host:event', handler);
  },
});
