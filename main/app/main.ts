// The Electron entry: lifecycle only. Everything with logic lives in its own module and
// receives the Electron objects it needs, so it can be tested without Electron.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeTheme,
  protocol,
  screen,
  session,
  shell,
} from 'electron';
import * as fs from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MenuCommandMessage } from '../../shared/bridge';
import { EXTERNAL_LINKS } from '../../shared/external-links';
import { APP_NAME, APP_VERSION } from '../../shared/version';
import { defaultDataDir } from '../engine/data-dir';
import { EngineHost } from '../host/engine-host';
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol';
import { aboutBox, pickPath, pickSavePath } from './dialogs';
import { registerBridge, sendMenuCommand } from './ipc-bridge';
import { appPaths, createDeliveryQueue, finishBeforeQuit, projectPathFromArgv } from './lifecycle';
import { openMainWindow } from './main-window';
import { createMenuController } from './menu';
import { applySessionSecurity, hardenWebContents, isTrustedSender } from './security';
import { createWindowOptions } from './window-options';
import { loadWindowState, restoreBounds, saveWindowState, windowStatePath } from './window-state';
import { windowTitle } from './window-title';

const log = (line: string): void => console.log(`[cplan] ${line}`);
const paths = appPaths(dirname(fileURLToPath(import.meta.url)));
const isDevelopment = !app.isPackaged;

// Same data folder as browser mode and the CLI (recent list, recovery copies), whatever
// name the binary was started under.
app.setName(APP_NAME);
app.setPath('userData', defaultDataDir());
// Must happen before 'ready' (Electron's rule for privileged schemes).
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  // Another instance runs; it gets our arguments through 'second-instance'.
  app.quit();
} else {
  run();
}

function run(): void {
  let window: BrowserWindow | null = null;
  let quitRequested = false;
  let stateSaved: Promise<void> = Promise.resolve();
  const commands = createDeliveryQueue<MenuCommandMessage>();
  const openFile = (path: string): void => commands.push({ command: 'openRecent', path });

  const initial = projectPathFromArgv(process.argv, process.cwd());
  if (initial) openFile(initial);
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openFile(path);
  });
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const path = projectPathFromArgv(argv, workingDirectory);
    if (path) openFile(path);
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, {
      appOrigin: APP_ORIGIN,
      externalLinks: EXTERNAL_LINKS,
      openExternal: (url) => shell.openExternal(url),
      log,
    });
  });
  app.on('before-quit', () => {
    quitRequested = true;
  });

  void app.whenReady().then(async () => {
    protocol.handle(APP_SCHEME, createAppProtocolHandler(paths.renderer));
    applySessionSecurity(session.defaultSession, { appOrigin: APP_ORIGIN, allowDevTools: isDevelopment, log });
    app.setAboutPanelOptions({ applicationName: APP_NAME, applicationVersion: APP_VERSION });

    const host = new EngineHost({ workerPath: paths.engineWorker, config: { dataDir: app.getPath('userData') }, log, freshThreadAfterClose: true });
    host.start().catch((error: unknown) => log(`engine did not start: ${String(error)}`));
    // The engine writes its recovery copy as it stops; the window state must reach disk.
    finishBeforeQuit(app, async () => {
      await Promise.allSettled([host.stop(), stateSaved]);
    }, log);

    const defaults = { defaultDir: app.getPath('documents') };
    registerBridge({
      ipcMain,
      host,
      getWindow: () => window,
      isTrustedSender: (frame) => isTrustedSender(frame, APP_ORIGIN),
      pickPath: (request) => (window ? pickPath(dialog, window, request, defaults) : Promise.resolve(null)),
      log,
    });

    const stateFile = windowStatePath(app.getPath('userData'));
    let savedState = await loadWindowState(fs, stateFile);

    const menu = createMenuController({
      menu: Menu,
      host,
      input: {
        platform: process.platform,
        appName: APP_NAME,
        isDevelopment,
        homeDir: homedir(),
        send: (message) => {
          // macOS keeps running without a window; a command brings one back first.
          if (!sendMenuCommand(window, message)) {
            commands.push(message);
            if (!window) createWindow();
          }
        },
        showAbout: () => {
          const box = aboutBox({ appName: APP_NAME, appVersion: APP_VERSION, versions: process.versions });
          void (window ? dialog.showMessageBox(window, box) : dialog.showMessageBox(box));
        },
      },
      addRecentDocument: (path) => app.addRecentDocument(path),
      clearRecentDocuments: () => app.clearRecentDocuments(),
      log,
    });
    host.subscribe((message) => {
      if (message.event === 'project/changed') menu.showProject(message.payload);
      if (message.event === 'engine/restarted') menu.showProject(message.payload.restored);
    });
    menu.showProject(host.projectState);

    function createWindow(): void {
      const restored = restoreBounds(savedState, screen.getAllDisplays(), screen.getPrimaryDisplay());
      const options = createWindowOptions({
        preloadPath: paths.preload,
        bounds: restored.bounds,
        dark: nativeTheme.shouldUseDarkColors,
        title: windowTitle(host.projectState),
        ...(process.platform === 'linux' ? { iconPath: paths.icon } : {}),
      });
      window = openMainWindow({
        BrowserWindow,
        options,
        maximized: restored.maximized,
        url: APP_ENTRY_URL,
        platform: process.platform,
        host,
        closeGuard: {
          ask: async (box) => (window ? (await dialog.showMessageBox(window, box)).response : 2),
          showError: async (message, detail) => {
            if (window) await dialog.showMessageBox(window, { type: 'error', message, detail, buttons: ['OK'] });
          },
          pickSavePath: (name) => (window ? pickSavePath(dialog, window, name, defaults) : Promise.resolve(null)),
          onCancelled: () => {
            quitRequested = false;
          },
          log,
        },
        saveState: (state) => {
          savedState = state;
          // One write at a time, in order, so the last state is the one on disk.
          stateSaved = stateSaved.catch(() => undefined).then(() => saveWindowState(fs, stateFile, state));
          return stateSaved;
        },
        onLoaded: (loaded) => commands.attach((message) => sendMenuCommand(loaded, message)),
        onClosed: () => {
          window = null;
          commands.detach();
        },
        log,
      });
    }

    createWindow();
    app.on('activate', () => {
      if (!window) createWindow();
    });
    app.on('window-all-closed', () => {
      // macOS apps stay in the Dock without windows, unless the user asked to quit.
      if (process.platform !== 'darwin' || quitRequested) app.quit();
    });
  });
}
