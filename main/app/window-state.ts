import { dirname, join } from 'node:path';
import { z } from 'zod';
import { MIN_WINDOW_SIZE } from './window-options';

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 800 } as const;

/** What is remembered between runs: the normal (unmaximised) bounds, and maximised or not. */
export const WindowState = z.object({
  x: z.number().int().min(-100_000).max(100_000),
  y: z.number().int().min(-100_000).max(100_000),
  width: z.number().int().min(1).max(100_000),
  height: z.number().int().min(1).max(100_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowState>;

export interface Area {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The part of Electron's Display this module reads: the area not covered by task bars. */
export interface DisplayLike {
  readonly workArea: Area;
}

export interface RestoredWindow {
  readonly bounds: Area;
  readonly maximized: boolean;
}

/**
 * Where to open the window. The saved bounds are used when the window would be reachable
 * on a display that exists now; otherwise (first run, a broken file, a monitor since
 * unplugged) the window opens at the default size, centred on the primary display. The
 * size never exceeds the display it lands on, and never goes below the minimum.
 */
export function restoreBounds(
  saved: unknown,
  displays: readonly DisplayLike[],
  primary: DisplayLike | undefined = displays[0],
): RestoredWindow {
  const parsed = WindowState.safeParse(saved);
  if (parsed.success) {
    const state = parsed.data;
    const home = displays.find((display) => isReachable(state, display.workArea));
    if (home) return { bounds: fitInto(state, home.workArea), maximized: state.maximized };
  }
  const area = primary?.workArea ?? { x: 0, y: 0, ...DEFAULT_WINDOW_SIZE };
  return { bounds: centred(DEFAULT_WINDOW_SIZE, area), maximized: false };
}

/**
 * Reachable = the title bar can be grabbed: a good part of the window overlaps the work
 * area and its top edge is inside it. A little slack, because Windows reports bounds of
 * maximised or snapped windows a few pixels outside the screen.
 */
function isReachable(window: Area, area: Area): boolean {
  const slack = 16;
  const overlapX = Math.min(window.x + window.width, area.x + area.width) - Math.max(window.x, area.x);
  const overlapY = Math.min(window.y + window.height, area.y + area.height) - Math.max(window.y, area.y);
  const topInside = window.y >= area.y - slack && window.y <= area.y + area.height - 40;
  return overlapX >= Math.min(100, window.width) && overlapY >= Math.min(50, window.height) && topInside;
}

function fitInto(window: Area, area: Area): Area {
  const width = clampSize(window.width, MIN_WINDOW_SIZE.width, area.width);
  const height = clampSize(window.height, MIN_WINDOW_SIZE.height, area.height);
  const x = Math.min(Math.max(window.x, area.x - 16), area.x + area.width - Math.min(width, 100));
  const y = Math.min(Math.max(window.y, area.y - 16), area.y + area.height - 40);
  return { x, y, width, height };
}

function centred(size: { width: number; height: number }, area: Area): Area {
  const width = clampSize(size.width, MIN_WINDOW_SIZE.width, area.width);
  const height = clampSize(size.height, MIN_WINDOW_SIZE.height, area.height);
  return {
    x: Math.round(area.x + (area.width - width) / 2),
    y: Math.round(area.y + (area.height - height) / 2),
    width,
    height,
  };
}

/** Within [min, available]; on a display smaller than the minimum, the display wins. */
function clampSize(value: number, min: number, available: number): number {
  return Math.max(Math.min(value, available), Math.min(min, available));
}

/** The file operations this module needs (node:fs/promises has them all). */
export interface WindowStateFs {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  writeFile(path: string, data: string, encoding: 'utf8'): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
}

export function windowStatePath(userDataDir: string): string {
  return join(userDataDir, WINDOW_STATE_FILE);
}

/**
 * The saved state, or null when there is none or it cannot be used. Never throws: a
 * window that cannot remember its place still has to open.
 */
export async function loadWindowState(fs: Pick<WindowStateFs, 'readFile'>, file: string): Promise<WindowState | null> {
  try {
    const parsed = WindowState.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

let tempCounter = 0;

/**
 * Writes via a temp file and rename, so a crash mid-write leaves the old file whole. Each
 * write has its own temp name: two closes in a row (the first held by the unsaved-changes
 * question) must not rename each other's file away.
 */
export async function saveWindowState(fs: WindowStateFs, file: string, state: WindowState): Promise<void> {
  await fs.mkdir(dirname(file), { recursive: true });
  tempCounter += 1;
  const temp = `${file}.${process.pid}-${tempCounter}.tmp`;
  await fs.writeFile(temp, `${JSON.stringify(state, null, 2)}\n`, 'utf8');
  await fs.rename(temp, file);
}

/** The part of BrowserWindow read when saving. */
export interface MeasurableWindow {
  getNormalBounds(): Area;
  isMaximized(): boolean;
}

export function captureWindowState(window: MeasurableWindow): WindowState {
  const bounds = window.getNormalBounds();
  return {
    x: Math.round(bounds.x),
    y: Math.round(bounds.y),
    width: Math.round(bounds.width),
    height: Math.round(bounds.height),
    maximized: window.isMaximized(),
  };
}
