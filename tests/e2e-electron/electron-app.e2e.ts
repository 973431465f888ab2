// The same first steps through the real Electron app, with playwright-core's _electron driver. Electron's
// binary is downloaded on first run, which machines without internet cannot do: there the test says so.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makeTempDirectory } from '../support/temp-directory';

function electronBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const packageDirectory = path.dirname(require.resolve('electron/package.json'));
    const pathFile = path.join(packageDirectory, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = path.join(packageDirectory, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) {
  console.log('SKIPPED: Electron end-to-end test — no Electron binary is installed here (it downloads on first run, which needs the internet). Run `npx install-electron` or `npm start` once online, then `npm run test:e2e`.');
}

describe.skipIf(!binary)('desktop app through Electron', () => {
  it('opens the welcome screen with the security baseline and the sample project', async () => {
    const temp = makeTempDirectory('verkosto-electron-');
    const app = await _electron.launch({ executablePath: binary!, args: ['.'], env: { ...process.env, VERKOSTO_DATA_DIR: temp.path } });
    try {
      const window = await app.firstWindow();
      await window.getByTestId('welcome-screen').waitFor();
      const exposure = await window.evaluate(() => ({
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
        bridge: Object.keys((window as unknown as { verkostoHost: object }).verkostoHost).sort(),
      }));
      expect(exposure).toEqual({ require: 'undefined', process: 'undefined', bridge: ['invoke', 'on'] });
      const preferences = await app.evaluate(({ BrowserWindow }) => {
        const contents = BrowserWindow.getAllWindows()[0]!.webContents;
        const web = (contents as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
        return { contextIsolation: web.contextIsolation, sandbox: web.sandbox, nodeIntegration: web.nodeIntegration };
      });
      expect(preferences).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false });
      await window.getByTestId('open-sample').click();
      await window.getByTestId('workspace').waitFor({ timeout: 60_000 });
    } finally {
      await app.close();
      temp.remove();
    }
  });
});
