/**
 * The renderer's typed proxy over the host contract. Every method in HOST_METHODS becomes a function that
 * sends its arguments through the transport and resolves with the result, or throws a VerkostoError built
 * from the host's error envelope. Components use this client only; they never see IPC or sockets.
 */
import type { HostClient, HostEventName, HostEvents } from '../../shared/contract/host-api';
// The zod-free name list: the renderer never validates (the host does), so zod stays out of its bundle.
import { HOST_METHOD_NAMES } from '../../shared/contract/method-names';
import { fromErrorPayload } from '../../shared/errors';
import type { HostTransport } from './transport';

export function createHostClient(transport: HostTransport): HostClient {
  const client: Record<string, unknown> = {};
  for (const method of HOST_METHOD_NAMES) {
    client[method] = async (args?: unknown) => {
      const envelope = await transport.invoke(method, args ?? {});
      if (!envelope.ok) throw fromErrorPayload(envelope.error);
      return envelope.result;
    };
  }
  client.on = <E extends HostEventName>(event: E, listener: (payload: HostEvents[E]) => void) =>
    transport.on(event, (payload) => listener(payload as HostEvents[E]));
  return client as unknown as HostClient;
}
