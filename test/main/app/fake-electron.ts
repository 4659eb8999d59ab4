/**
 * A stand-in for the 'electron' module, for running the real main-process bundle
 * (dist/main/app.cjs) in plain Node: Electron's binary cannot be downloaded on CI, and
 * `require('electron')` outside Electron tries to. It behaves like Electron where the
 * shell depends on it (event order on close and quit, preventable events, the app
 * protocol serving the page) and records everything else for the test to inspect.
 */
import { EventEmitter } from 'node:events';

type Handler = (...args: never[]) => unknown;
type InvokeHandler = (event: { senderFrame: { url: string; parent: unknown } | null }, ...args: unknown[]) => unknown;

export interface Preventable {
  preventDefault(): void;
}

function preventable(): { event: Preventable; prevented: () => boolean } {
  let prevented = false;
  return { event: { preventDefault: () => (prevented = true) }, prevented: () => prevented };
}

export class FakeWebContents extends EventEmitter {
  readonly sent: [string, unknown][] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;

  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, args[0]]);
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export interface FakeElectron {
  readonly module: Record<string, unknown>;
  readonly app: FakeApp;
  readonly windows: FakeBrowserWindow[];
  readonly ipcHandlers: Map<string, InvokeHandler>;
  readonly privilegedSchemes: unknown[];
  readonly protocolHandlers: Map<string, (request: Request) => Promise<Response>>;
  readonly sessionHandlers: Record<string, Handler>;
  readonly menus: unknown[][];
  /** Answers for dialog.showMessageBox, in order; Cancel (2) when exhausted. */
  readonly messageBoxAnswers: number[];
  readonly messageBoxes: { message?: string; buttons?: string[] }[];
  readonly pageLoads: { url: string; status: number }[];
  /** Every address handed to shell.openExternal, in order. */
  readonly openedExternal: string[];
  ready(): void;
}

export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  title = '';
  shown = false;
  maximized = false;
  destroyed = false;
  url: string | null = null;

  constructor(
    readonly options: Record<string, unknown>,
    private readonly electron: FakeElectron,
  ) {
    super();
    electron.windows.push(this);
    electron.app.emit('web-contents-created', {}, this.webContents);
  }

  /** Loads the page through the registered app protocol, as Chromium would. */
  async loadURL(url: string): Promise<void> {
    this.url = url;
    const scheme = url.slice(0, url.indexOf(':'));
    const handler = this.electron.protocolHandlers.get(scheme);
    const status = handler ? (await handler(new Request(url))).status : 0;
    this.electron.pageLoads.push({ url, status });
    this.emit('ready-to-show');
    this.webContents.emit('did-finish-load');
  }

  show(): void {
    this.shown = true;
  }
  maximize(): void {
    this.maximized = true;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {}
  reload(): void {}
  setTitle(title: string): void {
    this.title = title;
  }
  setDocumentEdited(): void {}
  setRepresentedFilename(): void {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getNormalBounds() {
    const o = this.options as { x?: number; y?: number; width: number; height: number };
    return { x: o.x ?? 0, y: o.y ?? 0, width: o.width, height: o.height };
  }

  /** Like BrowserWindow.close: a preventable 'close', then 'closed' and window-all-closed. */
  close(): void {
    if (this.destroyed) return;
    const { event, prevented } = preventable();
    this.emit('close', event);
    if (prevented()) return;
    this.destroyed = true;
    this.emit('closed');
    const app = this.electron.app;
    if (this.electron.windows.every((w) => w.destroyed) && !app.quitting) app.emit('window-all-closed');
  }
}

export class FakeApp extends EventEmitter {
  isPackaged = false;
  name = 'Electron';
  hasLock = true;
  quitting = false;
  exited = false;
  isReady = false;
  readonly paths = new Map<string, string>();
  readonly recentDocuments: string[] = [];
  private resolveReady: () => void = () => undefined;
  private readonly readyPromise = new Promise<void>((resolve) => (this.resolveReady = resolve));

  constructor(private readonly windows: () => FakeBrowserWindow[]) {
    super();
  }

  markReady(): void {
    this.isReady = true;
    this.resolveReady();
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  setName(name: string): void {
    this.name = name;
  }
  setPath(name: string, path: string): void {
    this.paths.set(name, path);
  }
  getPath(name: string): string {
    const path = this.paths.get(name);
    if (!path) throw new Error(`fake app: no path "${name}"`);
    return path;
  }
  requestSingleInstanceLock(): boolean {
    return this.hasLock;
  }
  setAboutPanelOptions(): void {}
  addRecentDocument(path: string): void {
    this.recentDocuments.push(path);
  }
  clearRecentDocuments(): void {
    this.recentDocuments.length = 0;
  }

  /** Electron's order: before-quit, every window closes (a held close cancels), will-quit. */
  quit(): void {
    this.quitting = true;
    this.emit('before-quit', preventable().event);
    for (const window of this.windows()) window.close();
    if (this.windows().some((w) => !w.destroyed)) {
      this.quitting = false;
      return;
    }
    const { event, prevented } = preventable();
    this.emit('will-quit', event);
    if (prevented()) return;
    this.exited = true;
    this.emit('quit');
  }
}

export function createFakeElectron(options: { userData: string; documents: string }): FakeElectron {
  const windows: FakeBrowserWindow[] = [];
  const app = new FakeApp(() => windows);
  app.paths.set('userData', options.userData);
  app.paths.set('documents', options.documents);
  const ipcHandlers = new Map<string, InvokeHandler>();
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const privilegedSchemes: unknown[] = [];
  const sessionHandlers: Record<string, Handler> = {};
  const menus: unknown[][] = [];
  const messageBoxAnswers: number[] = [];
  const messageBoxes: { message?: string; buttons?: string[] }[] = [];
  const record = (name: string) => (handler: Handler) => {
    sessionHandlers[name] = handler;
  };

  const fake: FakeElectron = {
    app,
    windows,
    ipcHandlers,
    privilegedSchemes,
    protocolHandlers,
    sessionHandlers,
    menus,
    messageBoxAnswers,
    messageBoxes,
    pageLoads: [],
    openedExternal: [],
    ready: () => app.markReady(),
    module: {},
  };

  class BrowserWindow extends FakeBrowserWindow {
    constructor(windowOptions: Record<string, unknown>) {
      super(windowOptions, fake);
    }
  }

  Object.assign(fake.module, {
    app,
    BrowserWindow,
    ipcMain: {
      handle(channel: string, listener: InvokeHandler) {
        if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        ipcHandlers.set(channel, listener);
      },
      removeHandler(channel: string) {
        ipcHandlers.delete(channel);
      },
    },
    protocol: {
      registerSchemesAsPrivileged(schemes: unknown[]) {
        if (app.isReady) throw new Error('registerSchemesAsPrivileged must be called before app is ready');
        privilegedSchemes.push(...schemes);
      },
      handle(scheme: string, handler: (request: Request) => Promise<Response>) {
        protocolHandlers.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: record('headers'), onBeforeRequest: record('request') },
        setPermissionRequestHandler: record('permissionRequest'),
        setPermissionCheckHandler: record('permissionCheck'),
        setDevicePermissionHandler: record('device'),
      },
    },
    Menu: {
      buildFromTemplate: (template: unknown[]) => template,
      setApplicationMenu: (menu: unknown[]) => menus.push(menu),
    },
    dialog: {
      async showMessageBox(...args: unknown[]) {
        const box = (args.length > 1 ? args[1] : args[0]) as { message?: string; buttons?: string[] };
        messageBoxes.push(box);
        return { response: messageBoxAnswers.shift() ?? 2, checkboxChecked: false };
      },
      async showOpenDialog() {
        return { canceled: true, filePaths: [] };
      },
      async showSaveDialog() {
        return { canceled: true };
      },
    },
    nativeTheme: { shouldUseDarkColors: false },
    screen: {
      getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
      getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
    },
    shell: {
      async openExternal(url: string) {
        fake.openedExternal.push(url);
      },
    },
  });
  return fake;
}
