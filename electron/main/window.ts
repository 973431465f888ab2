/**
 * The workspace window with Electron's security baseline: context isolation, the sandbox, no Node in the
 * renderer, no navigation away from the app, no new windows, no permission prompts granted.
 */
import { BrowserWindow, session, shell, type WebContents } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../host/security-headers';

export function createWorkspaceWindow(options: { preloadFile: string; rendererIndex: string; title: string }): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: options.title,
    show: false,
    webPreferences: {
      preload: options.preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
    },
  });
  const appUrl = pathToFileURL(options.rendererIndex).href;
  lockDown(window.webContents, appUrl);
  window.once('ready-to-show', () => window.show());
  void window.loadFile(options.rendererIndex);
  return window;
}

/** Applies the session-wide policy once: CSP header on every response, and no permissions. */
export function hardenSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function lockDown(contents: WebContents, appUrl: string): void {
  const appDirectory = path.dirname(new URL(appUrl).pathname);
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`file://${appDirectory}`)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links to data sources and licences open in the user's browser, never inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
