/**
 * The Node host: serves the built renderer over HTTP and the host contract over one WebSocket, for a browser
 * on this machine (development, tests, and the workshop facilitator's own screen). It listens on 127.0.0.1
 * only, requires a random per-run token, and refuses requests from foreign origins or unexpected Host names.
 */
import os from 'node:os';
import path from 'node:path';
import { createHost, type Host } from '../services/host';
import { packageVersion, rendererDirectory } from '../services/package-root';
import { startApiServer } from './api-server';
import { dispatchCall } from './dispatch';
import { createLiveShare } from './live-share';

export interface NodeHostOptions {
  /** A project to open at start. */
  projectFile?: string;
  /** 0 or absent: any free port. */
  port?: number;
  /** Recent projects and the built sample live here (default ~/.local/share/verkosto or $VERKOSTO_DATA_DIR). */
  dataDirectory?: string;
  /** Where browser users create and open projects (default <dataDirectory>/projects or $VERKOSTO_PROJECTS_DIR). */
  projectsDirectory?: string;
  /** Built renderer to serve (default dist/renderer). */
  rendererDirectory?: string;
  log?: (line: string) => void;
}

export interface RunningNodeHost {
  url: string;
  token: string;
  port: number;
  host: Host;
  close(): Promise<void>;
}

export function defaultDataDirectory(): string {
  return process.env.VERKOSTO_DATA_DIR ?? path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'verkosto');
}

export async function startNodeHost(options: NodeHostOptions = {}): Promise<RunningNodeHost> {
  const dataDirectory = path.resolve(options.dataDirectory ?? defaultDataDirectory());
  const projectsDirectory = path.resolve(options.projectsDirectory ?? process.env.VERKOSTO_PROJECTS_DIR ?? path.join(dataDirectory, 'projects'));
  const staticRoot = path.resolve(options.rendererDirectory ?? rendererDirectory());
  const allowedRoots = [projectsDirectory, path.join(dataDirectory, 'sample')];
  if (options.projectFile) allowedRoots.push(path.dirname(path.resolve(options.projectFile)));

  // Events go to every connected facilitator page and, while sharing, on to the participants; the servers
  // exist only after the host, hence the indirection.
  let server: Awaited<ReturnType<typeof startApiServer>> | null = null;
  const liveShare = createLiveShare({
    staticRoot,
    host: () => host,
    emit: (event, payload) => server?.broadcast(event, payload),
    ...(options.log ? { log: options.log } : {}),
  });
  const host: Host = createHost({
    kind: 'browser',
    version: packageVersion(),
    dataDirectory,
    projectsDirectory,
    allowedRoots,
    liveShare,
    emit: (event, payload) => {
      server?.broadcast(event, payload);
      liveShare.forward(event, payload);
    },
  });
  if (options.projectFile) await host.openProject({ path: path.resolve(options.projectFile) });
  server = await startApiServer({
    address: '127.0.0.1',
    ...(options.port !== undefined ? { port: options.port } : {}),
    staticRoot,
    call: (method, args) => dispatchCall(host, method, args),
    ...(options.log ? { log: options.log } : {}),
  });
  const running = server;
  return {
    url: running.url,
    token: running.token,
    port: running.port,
    host,
    async close() {
      await liveShare.close();
      await running.close();
      host.dispose();
    },
  };
}
