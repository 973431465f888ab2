/**
 * Starts the real Node host as a user would (`verkosto serve`), in its own process with its own data folder,
 * and reads the URL with its token from what it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface HostProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

export async function startHostProcess(options: { dataDirectory: string; projectFile?: string; env?: Record<string, string> }): Promise<HostProcess> {
  const cli = path.resolve('bin', 'verkosto.js');
  if (!existsSync(path.resolve('dist', 'cli', 'verkosto.js'))) throw new Error('dist/ is missing: run `npm run build` before the end-to-end tests');
  const args = [cli, 'serve', ...(options.projectFile ? [options.projectFile] : []), '--port', '0'];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, VERKOSTO_DATA_DIR: options.dataDirectory, VERKOSTO_LANG: 'en', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`verkosto serve printed no URL in 20 s:\n${output}`)), 20_000);
    const check = () => {
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`verkosto serve exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
