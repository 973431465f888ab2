/**
 * The Electron main process: a thin composition root. It creates the host services (the same code the Node
 * host and the CLI run), connects them to the window through the IPC transport, and owns native dialogs.
 */
import { app, BrowserWindow, dialog, Menu, type IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createHost } from '../services/host';
import { packageVersion, rendererDirectory } from '../services/package-root';
import { registerIpcHost, sendHostEvent } from '../host/ipc-server';
import { createLiveShare } from '../host/live-share';
import { createWorkspaceWindow, hardenSession } from './window';

const here = path.dirname(fileURLToPath(import.meta.url));
let mainWindow: BrowserWindow | null = null;

async function chooseFile(purpose: 'open' | 'create' | 'saveAs'): Promise<string | null> {
  const filters = [{ name: 'Verkosto / GeoPackage', extensions: ['gpkg'] }];
  if (purpose === 'open') {
    const result = mainWindow
      ? await dialog.showOpenDialog(mainWindow, { properties: ['openFile'], filters })
      : await dialog.showOpenDialog({ properties: ['openFile'], filters });
    return result.canceled ? null : (result.filePaths[0] ?? null);
  }
  const result = mainWindow ? await dialog.showSaveDialog(mainWindow, { filters }) : await dialog.showSaveDialog({ filters });
  return result.canceled ? null : (result.filePath ?? null);
}

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || !mainWindow || event.sender !== mainWindow.webContents) return false;
  return frame.url.startsWith(pathToFileURL(rendererDirectory()).href);
}

async function start(): Promise<void> {
  app.enableSandbox();
  await app.whenReady();
  hardenSession();
  Menu.setApplicationMenu(null);
  // The desktop app can share its workspace with a room too: participants use their browsers.
  const liveShare = createLiveShare({
    staticRoot: rendererDirectory(),
    host: () => host,
    emit: (event, payload) => {
      if (mainWindow) sendHostEvent(mainWindow.webContents, event, payload);
    },
  });
  const host = createHost({
    kind: 'electron',
    version: packageVersion(),
    // VERKOSTO_DATA_DIR lets tests and portable installs keep recent projects and the sample elsewhere.
    dataDirectory: process.env.VERKOSTO_DATA_DIR ?? app.getPath('userData'),
    projectsDirectory: path.join(app.getPath('documents'), 'Verkosto'),
    allowedRoots: null,
    chooseFile,
    liveShare,
    emit: (event, payload) => {
      if (mainWindow) sendHostEvent(mainWindow.webContents, event, payload);
      liveShare.forward(event, payload);
    },
  });
  registerIpcHost(host, isTrustedSender);
  const open = () => {
    mainWindow = createWorkspaceWindow({
      preloadFile: path.join(here, 'preload.cjs'),
      rendererIndex: path.join(rendererDirectory(), 'index.html'),
      title: 'Verkosto',
    });
    mainWindow.on('closed', () => (mainWindow = null));
  };
  open();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
  app.on('window-all-closed', () => {
    void liveShare.close();
    host.dispose();
    if (process.platform !== 'darwin') app.quit();
  });
}

// One instance per user: a second start focuses the first window.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => mainWindow?.focus());
  void start();
}
