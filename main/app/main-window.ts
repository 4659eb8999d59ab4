import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import type { EngineEventMessage } from '../../shared/contract/events';
import type { EngineHost } from '../host/engine-host';
import { guardWindowClose, type CloseGuardDeps } from './close-guard';
import { showProjectState } from './window-title';
import { captureWindowState, type WindowState } from './window-state';

export interface MainWindowDeps {
  /** Electron's BrowserWindow class, passed in so this module never loads 'electron'. */
  readonly BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  readonly options: BrowserWindowConstructorOptions;
  readonly maximized: boolean;
  readonly url: string;
  readonly platform: NodeJS.Platform;
  readonly host: Pick<EngineHost, 'projectState' | 'invoke' | 'subscribe'>;
  /** The unsaved-changes flow, minus the host (given above). */
  readonly closeGuard: Omit<CloseGuardDeps, 'host'>;
  readonly saveState: (state: WindowState) => Promise<void>;
  /** The page has loaded (and its preload listens): files waiting to open can be sent. */
  readonly onLoaded: (window: BrowserWindow) => void;
  readonly onClosed: () => void;
  readonly log: (line: string) => void;
}

/**
 * Opens the app's one window: hidden until its first paint, its title following the
 * project, its place remembered, and its close held while there are unsaved changes.
 */
export function openMainWindow(deps: MainWindowDeps): BrowserWindow {
  const { host, log } = deps;
  const window = new deps.BrowserWindow(deps.options);

  window.once('ready-to-show', () => {
    if (deps.maximized) window.maximize();
    window.show();
  });
  // The page's own <title> would otherwise replace the project title set below.
  window.on('page-title-updated', (event) => event.preventDefault());

  showProjectState(window, host.projectState, deps.platform);
  const unsubscribe = host.subscribe((message: EngineEventMessage) => {
    if (message.event === 'project/changed') showProjectState(window, message.payload, deps.platform);
    if (message.event === 'engine/restarted') showProjectState(window, message.payload.restored, deps.platform);
  });

  guardWindowClose(window, { ...deps.closeGuard, host });
  // Registered after the guard: runs on every close attempt, harmless if it is held.
  window.on('close', () => {
    deps.saveState(captureWindowState(window)).catch((error: unknown) => {
      log(`window state not saved: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  window.on('closed', () => {
    unsubscribe();
    deps.onClosed();
  });

  window.webContents.on('did-finish-load', () => deps.onLoaded(window));
  // A crashed page comes back (the engine and the project live on in this process), but
  // not in a loop: at most one reload every 10 seconds.
  let lastReload = 0;
  window.webContents.on('render-process-gone', (_event, details) => {
    log(`renderer process gone: ${details.reason}`);
    if (details.reason === 'clean-exit' || window.isDestroyed() || Date.now() - lastReload < 10_000) return;
    lastReload = Date.now();
    window.reload();
  });
  window.loadURL(deps.url).catch((error: unknown) => {
    log(`could not load ${deps.url}: ${error instanceof Error ? error.message : String(error)}`);
  });
  return window;
}
