import { join } from 'node:path';
import type {
  FileFilter,
  MessageBoxOptions,
  OpenDialogOptions,
  OpenDialogReturnValue,
  SaveDialogOptions,
  SaveDialogReturnValue,
} from 'electron';
import type { PathPickRequest } from '../../shared/bridge';

export const PROJECT_EXTENSION = '.cplan';
export const PROJECT_FILE_FILTER: FileFilter = { name: 'Campaign Planner project', extensions: ['cplan'] };

/** Electron's `dialog`, narrowed to the window-modal calls used here. */
export interface DialogLike<W> {
  showOpenDialog(window: W, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  showSaveDialog(window: W, options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
}

export interface DialogDefaults {
  /** Where dialogs start when nothing better is known (the Documents folder). */
  readonly defaultDir?: string;
}

export interface PickedSavePath {
  readonly path: string;
  /**
   * The dialog itself asked "replace the existing file?" for exactly this path. False when
   * `.cplan` was appended afterwards: that file was never confirmed, so it must not be
   * overwritten without asking.
   */
  readonly overwriteConfirmed: boolean;
}

/** Adds `.cplan` unless the name already ends with it (any case). */
export function withProjectExtension(path: string): string {
  return path.toLowerCase().endsWith(PROJECT_EXTENSION) ? path : `${path}${PROJECT_EXTENSION}`;
}

/**
 * A file name made from a project name: characters no file system accepts are replaced,
 * and the result always ends in `.cplan`.
 */
export function suggestedFileName(name: string | undefined): string {
  const cleaned = (name ?? '')
    .replace(/[\\/:*?"<>|\u0000-\u001f]/g, ' ')
    .replace(/\s+/g, ' ')
    // No hidden files and no names made only of dots.
    .replace(/^[.\s]+/, '')
    .slice(0, 120)
    .trim();
  return withProjectExtension(cleaned === '' ? 'Untitled' : cleaned);
}

export async function pickOpenPath<W>(
  dialog: DialogLike<W>,
  window: W,
  defaults: DialogDefaults = {},
): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: 'Open Project',
    properties: ['openFile'],
    filters: [PROJECT_FILE_FILTER],
  };
  if (defaults.defaultDir !== undefined) options.defaultPath = defaults.defaultDir;
  const result = await dialog.showOpenDialog(window, options);
  if (result.canceled) return null;
  return result.filePaths[0] ?? null;
}

export async function pickSavePath<W>(
  dialog: DialogLike<W>,
  window: W,
  defaultName: string | undefined,
  defaults: DialogDefaults = {},
): Promise<PickedSavePath | null> {
  const fileName = suggestedFileName(defaultName);
  const result = await dialog.showSaveDialog(window, {
    title: 'Save Project',
    defaultPath: defaults.defaultDir === undefined ? fileName : join(defaults.defaultDir, fileName),
    filters: [PROJECT_FILE_FILTER],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  });
  if (result.canceled || !result.filePath) return null;
  const path = withProjectExtension(result.filePath);
  return { path, overwriteConfirmed: path === result.filePath };
}

/**
 * Answers the renderer's `pickPath` bridge call: the chosen path, or null if cancelled.
 * The bridge answers with the path alone, so whether the dialog already confirmed
 * replacing a file is not passed on; the renderer decides about saveAs `overwrite`.
 */
export async function pickPath<W>(
  dialog: DialogLike<W>,
  window: W,
  request: PathPickRequest,
  defaults: DialogDefaults = {},
): Promise<string | null> {
  if (request.kind === 'open-project') return pickOpenPath(dialog, window, defaults);
  const picked = await pickSavePath(dialog, window, request.defaultName, defaults);
  return picked?.path ?? null;
}

export interface AboutInfo {
  readonly appName: string;
  readonly appVersion: string;
  /** process.versions: electron, chrome, node. */
  readonly versions: Readonly<Partial<Record<'electron' | 'chrome' | 'node', string>>>;
}

/** The About box for Windows and Linux (macOS shows its native About panel). */
export function aboutBox(info: AboutInfo): MessageBoxOptions {
  const runtime = (['electron', 'chrome', 'node'] as const)
    .filter((name) => info.versions[name] !== undefined)
    .map((name) => `${name === 'chrome' ? 'Chromium' : name === 'node' ? 'Node.js' : 'Electron'} ${info.versions[name]}`)
    .join(', ');
  return {
    type: 'info',
    title: `About ${info.appName}`,
    message: `${info.appName} ${info.appVersion}`,
    detail: `Plan marketing campaigns offline, with exact, reproducible control groups.${runtime ? `\n\n${runtime}` : ''}`,
    buttons: ['OK'],
    noLink: true,
  };
}
