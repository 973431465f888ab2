import { describe, expect, it, vi } from 'vitest';
import { HOST_METHODS } from '../../shared/contract/host-api';
import { VerkostoError } from '../../shared/errors';
import { createHostClient } from './create-host-client';
import type { HostTransport } from './transport';

function transportAnswering(answer: (method: string, args: unknown) => unknown): HostTransport & { emit(event: string, payload: unknown): void } {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  return {
    kind: 'websocket',
    invoke: vi.fn(async (method: string, args: unknown) => answer(method, args) as never),
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return () => listeners.get(event)!.delete(listener);
    },
    onConnectionChange: () => () => {},
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  };
}

describe('createHostClient', () => {
  it('has a function for every contract method', () => {
    const client = createHostClient(transportAnswering(() => ({ ok: true, result: null })));
    for (const method of HOST_METHODS) expect(typeof (client as unknown as Record<string, unknown>)[method], method).toBe('function');
  });

  it('passes method and arguments through and resolves with the result', async () => {
    const transport = transportAnswering((method, args) => ({ ok: true, result: { method, args } }));
    const client = createHostClient(transport);
    await expect(client.getFeature({ layer: 'facilities', fid: 7 })).resolves.toEqual({ method: 'getFeature', args: { layer: 'facilities', fid: 7 } });
    expect(transport.invoke).toHaveBeenCalledWith('getFeature', { layer: 'facilities', fid: 7 });
  });

  it('throws a VerkostoError from an error envelope', async () => {
    const client = createHostClient(transportAnswering(() => ({ ok: false, error: { code: 'fileNotFound', params: { file: 'a.gpkg' }, message: 'gone' } })));
    const error = await client.openProject({ path: 'a.gpkg' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VerkostoError);
    expect(error).toMatchObject({ code: 'fileNotFound', params: { file: 'a.gpkg' } });
  });

  it('maps an unknown error code to internal', async () => {
    const client = createHostClient(transportAnswering(() => ({ ok: false, error: { code: 'somethingNew', params: {}, message: 'x' } })));
    await expect(client.undo({})).rejects.toMatchObject({ code: 'internal' });
  });

  it('delivers host events to subscribers until they unsubscribe', () => {
    const transport = transportAnswering(() => ({ ok: true, result: null }));
    const client = createHostClient(transport);
    const listener = vi.fn();
    const unsubscribe = client.on('projectClosed', listener);
    transport.emit('projectClosed', { path: '/a.gpkg' });
    unsubscribe();
    transport.emit('projectClosed', { path: '/b.gpkg' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith({ path: '/a.gpkg' });
  });
});
