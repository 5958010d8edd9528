/**
 * The Electron main process: a thin shell around the core.
 *
 * It starts the same core as `trainyard serve` and the CLI (`createApp`), with workers and the GPU
 * probe as Electron `utilityProcess`es and SQLite's driver built for Electron's ABI, and shows the renderer in a locked-down window: context isolation, sandbox,
 * no Node in the page, a strict CSP, files served through the `app://trainyard/` protocol (never
 * `file://`), no remote content, navigation and new windows refused, and one MessagePort as the only
 * way to the core (see bridge.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, Menu, protocol, session, shell, type MenuItemConstructorOptions } from 'electron';
import { createApp } from '../core/app';
import { safeStorageSecrets } from './safe-storage-secrets';
import { bridgeWindow, type CoreFace } from './bridge';
import { APP_ENTRY, APP_SCHEME, isAppUrl, serveRendererRequest } from './renderer-files';
import { checkedNativeBinding, nativeBindingPath } from './native-binding';
import { utilityLauncher, utilityProbe } from './worker-launcher';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '..', 'renderer');
/** electron-vite writes the preload as CommonJS (sandboxed preloads cannot be ES modules). */
const preloadPath = ['index.cjs', 'index.js', 'index.mjs']
  .map((name) => path.join(here, '..', 'preload', name))
  .find((file) => existsSync(file));

/** `electron-vite dev` serves the renderer from a dev server; only then is that origin trusted. */
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const devOrigin = devServerUrl ? new URL(devServerUrl).origin : null;

function isTrustedUrl(url: string): boolean {
  return isAppUrl(url) || (devOrigin !== null && originOf(url) === devOrigin);
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

// A data directory for this run (tests, a second profile); otherwise Electron's per-user folder.
if (process.env.TRAINYARD_DATA_DIR) app.setPath('userData', path.resolve(process.env.TRAINYARD_DATA_DIR));

// The app protocol must be declared before the app is ready: a standard, secure origin of its own.
protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true, codeCache: true },
  },
]);

// One instance per data directory: only one process may write the database.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start();
}

/** The better-sqlite3 binary built for this Electron's ABI (see native-binding.ts); throws with what to do when it is missing or stale. */
function electronSqliteBinding(): string {
  const abi = Number(process.versions.modules);
  const file = nativeBindingPath({
    packaged: app.isPackaged,
    appRoot: app.getAppPath(),
    resourcesPath: process.resourcesPath,
    target: { abi, platform: process.platform, arch: process.arch },
  });
  return checkedNativeBinding(file, abi, app.isPackaged);
}

function start(): void {
  let mainWindow: BrowserWindow | null = null;
  let core: Awaited<ReturnType<typeof createApp>> | null = null;
  let coreClosed = false;
  let shuttingDown = false;

  const coreReady: Promise<CoreFace> = app.whenReady().then(async () => {
    const dataDir = app.getPath('userData');
    core = await createApp({
      dataDir,
      launcher: utilityLauncher,
      probeProcess: utilityProbe,
      nativeBinding: electronSqliteBinding(),
      secrets: safeStorageSecrets(dataDir) ?? undefined,
    });
    return core;
  });
  coreReady.catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    dialog.showErrorBox('Trainyard could not start', `The Trainyard engine failed to start:\n\n${message}`);
    coreClosed = true;
    app.exit(1);
  });

  const createWindow = () => {
    const win = new BrowserWindow({
      width: 1360,
      height: 860,
      minWidth: 900,
      minHeight: 600,
      show: false,
      title: 'Trainyard',
      backgroundColor: '#0f1115',
      webPreferences: {
        preload: preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
      },
    });
    win.once('ready-to-show', () => win.show());
    bridgeWindow(win, coreReady, isTrustedUrl);
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = null;
    });
    void win.loadURL(devServerUrl ?? APP_ENTRY);
    mainWindow = win;
    return win;
  };

  app.on('second-instance', () => {
    if (!app.isReady()) return;
    if (!mainWindow) return void createWindow();
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Every web contents, ours or not: no navigation away, no new windows, no <webview>.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => {
      if (!isTrustedUrl(event.url)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => {
      if (!isTrustedUrl(event.url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // A plain web link (documentation, a dataset's source) opens in the user's browser.
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });

  app.on('window-all-closed', () => {
    // On macOS the app (and any training in progress) stays until the user quits it.
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) createWindow();
  });

  // Close the core before quitting: workers are stopped and the database is closed cleanly.
  app.on('before-quit', (event) => {
    if (coreClosed) return;
    event.preventDefault();
    if (shuttingDown) return;
    shuttingDown = true;
    const closing = core ? core.close() : Promise.resolve();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref());
    void Promise.race([closing.catch(() => undefined), timeout]).then(() => {
      coreClosed = true;
      app.quit();
    });
  });

  void app.whenReady().then(() => {
    lockDownSession();
    protocol.handle(APP_SCHEME, (request) => serveRendererRequest(rendererDir, request));
    Menu.setApplicationMenu(buildMenu());
    createWindow();
  });
}

/** No remote content, no permissions beyond writing to the clipboard. */
function lockDownSession(): void {
  const ses = session.defaultSession;
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (details, callback) => {
    callback({ cancel: !(devOrigin !== null && isTrustedUrl(details.url.replace(/^ws/, 'http'))) });
  });
  ses.setPermissionRequestHandler((wc, permission, callback) => {
    callback(permission === 'clipboard-sanitized-write' && isTrustedUrl(wc.getURL()));
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => {
    return permission === 'clipboard-sanitized-write' && isTrustedUrl(requestingOrigin);
  });
}

function buildMenu(): Menu {
  const isMac = process.platform === 'darwin';
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    { role: 'forceReload' },
    ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
