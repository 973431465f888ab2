/**
 * Live sharing for workshops: the facilitator starts a second server, for participants, on the interface
 * they pick, with a fresh token. Participants see the facilitator's map follow along and may leave comment
 * pins when allowed; every other method is refused for them. Stopping ends every participant session.
 */
import os from 'node:os';
import QRCode from 'qrcode';
import type { HostApi, HostEventName, HostEvents, LiveView, ShareAddress, SharingStatus } from '../../shared/contract/host-api';
import { PARTICIPANT_METHOD_NAMES } from '../../shared/contract/method-names';
import { toErrorPayload, VerkostoError } from '../../shared/errors';
import type { LiveShareMethods } from '../services/host';
import { startApiServer, type ApiServer } from './api-server';
import { dispatchCall, type CallEnvelope } from './dispatch';


export interface LiveShare extends LiveShareMethods {
  /** Passes a host event on to the participants (project changes, the live view, comments). */
  forward<E extends HostEventName>(event: E, payload: HostEvents[E]): void;
  close(): Promise<void>;
}

/** Events participants receive: what they see changes; nothing about files or sharing internals. */
const PARTICIPANT_EVENTS = new Set<HostEventName>(['projectOpened', 'projectClosed', 'projectChanged', 'liveViewChanged', 'commentsChanged', 'scenariosChanged']);
const PARTICIPANT_METHODS = new Set<string>(PARTICIPANT_METHOD_NAMES);

const STOPPED: SharingStatus = { active: false, url: null, qrSvg: null, address: null, allowComments: false, participants: 0 };

export interface LiveShareOptions {
  staticRoot: string;
  /** The host that participants' allowed calls go to (set once the host exists). */
  host: () => HostApi;
  /** Tells the facilitator's pages about sharing changes. */
  emit: <E extends HostEventName>(event: E, payload: HostEvents[E]) => void;
  log?: (line: string) => void;
}

/** This machine's IPv4 interfaces, loopback first: the facilitator picks the one the room's network reaches. */
export function shareAddresses(): ShareAddress[] {
  const found: ShareAddress[] = [{ address: '127.0.0.1', interfaceName: 'lo', loopback: true }];
  for (const [name, entries] of Object.entries(os.networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.family === 'IPv4' && !entry.internal) found.push({ address: entry.address, interfaceName: name, loopback: false });
    }
  }
  return found;
}

export function createLiveShare(options: LiveShareOptions): LiveShare {
  let server: ApiServer | null = null;
  let status: SharingStatus = STOPPED;
  let liveView: LiveView | null = null;

  const publishStatus = (next: SharingStatus) => {
    status = next;
    options.emit('sharingChanged', status);
  };

  async function participantCall(method: unknown, args: unknown): Promise<CallEnvelope> {
    if (typeof method !== 'string' || !PARTICIPANT_METHODS.has(method)) return { ok: false, error: toErrorPayload(new VerkostoError('forbidden')) };
    if (method === 'postComment' && !status.allowComments) return { ok: false, error: toErrorPayload(new VerkostoError('forbidden')) };
    // Participants never see hidden comments or anything about the facilitator's files.
    const effectiveArgs = method === 'listComments' ? { includeHidden: false } : args;
    const envelope = await dispatchCall(options.host(), method, effectiveArgs);
    if (method === 'getHostInfo' && envelope.ok) {
      return { ok: true, result: { ...(envelope.result as object), kind: 'participant', nativeFileDialogs: false, projectsDirectory: null, commentsAllowed: status.allowComments } };
    }
    if (method === 'getProjectSummary' && envelope.ok && envelope.result) {
      return { ok: true, result: { ...(envelope.result as object), path: '' } };
    }
    return envelope;
  }

  async function stop(): Promise<SharingStatus> {
    const running = server;
    server = null;
    if (running) await running.close();
    publishStatus(STOPPED);
    return status;
  }

  return {
    async listShareAddresses() {
      return shareAddresses();
    },

    async startSharing({ address, allowComments, port }) {
      if (!shareAddresses().some((candidate) => candidate.address === address)) {
        throw new VerkostoError('invalidArgument', { detail: `startSharing: ${address} is not an address of this machine` });
      }
      // A fresh token every time: a URL from an earlier session never works again.
      await stop();
      server = await startApiServer({
        address,
        ...(port !== undefined ? { port } : {}),
        staticRoot: options.staticRoot,
        call: participantCall,
        ...(options.log ? { log: options.log } : {}),
        onClientCountChange: (participants) => {
          if (status.active) publishStatus({ ...status, participants });
        },
      });
      const qrSvg = await QRCode.toString(server.url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
      publishStatus({ active: true, url: server.url, qrSvg, address, allowComments, participants: 0 });
      return status;
    },

    stopSharing: () => stop(),

    async getSharingStatus() {
      return status;
    },

    async publishView(view) {
      liveView = view;
      server?.broadcast('liveViewChanged', view);
    },

    async getLiveView() {
      return liveView;
    },

    forward(event, payload) {
      if (server && PARTICIPANT_EVENTS.has(event)) {
        // Participants do not learn the facilitator's file paths.
        const visible = event === 'projectOpened' ? { ...(payload as object), path: '' } : payload;
        server.broadcast(event, visible);
      }
    },

    async close() {
      await stop();
    },
  };
}
