import { isAbsolute, join, resolve, sep } from 'node:path';

/** Files the shell needs, relative to the directory of the running bundle (dist/main). */
export interface AppPaths {
  readonly preload: string;
  /** Worker threads cannot read from app.asar, so the packaged worker is unpacked. */
  readonly engineWorker: string;
  readonly renderer: string;
  /** The window icon (Linux task bars; the packaged app carries its own elsewhere). */
  readonly icon: string;
}

export function appPaths(mainDir: string): AppPaths {
  return {
    preload: join(mainDir, 'preload.cjs'),
    engineWorker: unpackedPath(join(mainDir, 'engine-worker.cjs')),
    renderer: join(mainDir, '..', 'renderer'),
    icon: join(mainDir, '..', '..', 'assets', 'icon.png'),
  };
}

/**
 * The same file in app.asar.unpacked (electron-builder's asarUnpack puts it there). Only
 * a whole `app.asar` path segment is replaced, never a folder that merely contains it.
 */
export function unpackedPath(path: string): string {
  const segment = `${sep}app.asar${sep}`;
  const at = path.indexOf(segment);
  if (at < 0) return path;
  return `${path.slice(0, at)}${sep}app.asar.unpacked${sep}${path.slice(at + segment.length)}`;
}

/**
 * The project file a launch asks to open (double-click on Windows and Linux, `cplan
 * plan.cplan`, a second instance): the last argument naming a .cplan file. Switches are
 * skipped, including Chromium's, which may carry paths of their own.
 */
export function projectPathFromArgv(argv: readonly string[], cwd: string): string | null {
  for (let i = argv.length - 1; i >= 1; i -= 1) {
    const arg = argv[i];
    if (arg === undefined || arg.startsWith('-')) continue;
    if (!arg.toLowerCase().endsWith('.cplan')) continue;
    return isAbsolute(arg) ? arg : resolve(cwd, arg);
  }
  return null;
}

export interface DeliveryQueue<T> {
  /** Delivered now if the window's page is ready, else as soon as it is. */
  push(item: T): void;
  /** The window's page has loaded: deliver what waited, and deliver later items at once. */
  attach(deliver: (item: T) => void): void;
  /** The window is gone: hold items again until the next page loads. */
  detach(): void;
}

/**
 * Menu commands and files to open that arrive before there is a page to run them:
 * macOS sends 'open-file' before the app is even ready, a second instance may knock
 * while the window is still loading, and on macOS File > New can come with no window.
 */
export function createDeliveryQueue<T>(): DeliveryQueue<T> {
  const waiting: T[] = [];
  let deliver: ((item: T) => void) | null = null;
  return {
    push(item) {
      if (deliver) deliver(item);
      else waiting.push(item);
    },
    attach(next) {
      deliver = next;
      for (const item of waiting.splice(0)) next(item);
    },
    detach() {
      deliver = null;
    },
  };
}

/** The part of Electron's `app` the quit sequence uses. */
export interface QuittingApp {
  on(event: 'will-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

/**
 * Holds the quit until `tasks` finish: the engine writes its recovery copy and stops, and
 * the window state reaches the disk. Electron does not wait for promises in 'will-quit',
 * so the first quit is prevented, and quit is called again once the work is done.
 */
export function finishBeforeQuit(app: QuittingApp, tasks: () => Promise<void>, log?: (line: string) => void): void {
  let finished = false;
  let running = false;
  app.on('will-quit', (event) => {
    if (finished) return;
    event.preventDefault();
    if (running) return;
    running = true;
    tasks()
      .catch((error: unknown) => log?.(`quit: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        finished = true;
        app.quit();
      });
  });
}
