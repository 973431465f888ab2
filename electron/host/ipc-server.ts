/**
 * The Electron transport: one ipcMain handler per contract method on the channel `host:<method>`, each
 * validated by dispatchCall, and events pushed on `host:event`. Calls from any frame but the app's own
 * top-level page are refused.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { HOST_METHODS, type HostApi, type HostEventName, type HostEvents } from '../../shared/contract/host-api';
import { toErrorPayload, VerkostoError } from '../../shared/errors';
import { dispatchCall } from './dispatch';

export const CHANNEL_PREFIX = 'host:';
export const EVENT_CHANNEL = 'host:event';

export function registerIpcHost(host: HostApi, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): () => void {
  for (const method of HOST_METHODS) {
    ipcMain.handle(`${CHANNEL_PREFIX}${method}`, async (event, args: unknown) => {
      if (!isTrustedSender(event)) return { ok: false, error: toErrorPayload(new VerkostoError('forbidden')) };
      return dispatchCall(host, method, args);
    });
  }
  return () => {
    for (const method of HOST_METHODS) ipcMain.removeHandler(`${CHANNEL_PREFIX}${method}`);
  };
}

/** Sends a host event to one window's renderer. */
export function sendHostEvent<E extends HostEventName>(contents: WebContents, event: E, payload: HostEvents[E]): void {
  if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, { event, payload });
}
