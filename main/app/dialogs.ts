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
export const CSV_FILE_FILTER: FileFilter = { name: 'CSV files', extensions: ['csv', 'tsv', 'txt'] };
export const HTML_FILE_FILTER: FileFilter = { name: 'HTML reports', extensions: ['html', 'htm'] };
export const SQL_FILE_FILTER: FileFilter = { name: 'SQL queries', extensions: ['sql'] };

/** What each kind of file dialog shows and which extension a saved name gets. */
const FILE_KINDS = {
  project: { filter: PROJECT_FILE_FILTER, extension: PROJECT_EXTENSION, open: 'Open Project', save: 'Save Project' },
  csv: { filter: CSV_FILE_FILTER, extension: '.csv', open: 'Import CSV File', save: 'Export to CSV' },
  html: { filter: HTML_FILE_FILTER, extension: '.html', open: 'Open HTML Report', save: 'Export HTML Report' },
  sql: { filter: SQL_FILE_FILTER, extension: '.sql', open: 'Open SQL Query', save: 'Save SQL Query' },
} as const;
export type FileKind = keyof typeof FILE_KINDS;

/** Adds the kind's extension unless the name already ends with an accepted one (any case). */
export function withExtension(path: string, kind: FileKind): string {
  const { filter, extension } = FILE_KINDS[kind];
  const lower = path.toLowerCase();
  return filter.extensions.some((e) => lower.endsWith(`.${e}`)) ? path : `${path}${extension}`;
}

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
  return withExtension(path, 'project');
}

/**
 * A file name made from a project name: characters no file system accepts are replaced,
 * and the result always ends in `.cplan`.
 */
export function suggestedFileName(name: string | undefined, kind: FileKind = 'project'): string {
  const cleaned = (name ?? '')
    .replace(/[\\/:*?"<>|\u0000-\u001f]/g, ' ')
    .replace(/\s+/g, ' ')
    // No hidden files and no names made only of dots.
    .replace(/^[.\s]+/, '')
    .slice(0, 120)
    .trim();
  return withExtension(cleaned === '' ? 'Untitled' : cleaned, kind);
}

export async function pickOpenPath<W>(
  dialog: DialogLike<W>,
  window: W,
  defaults: DialogDefaults = {},
  kind: FileKind = 'project',
): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: FILE_KINDS[kind].open,
    properties: ['openFile'],
    filters: [FILE_KINDS[kind].filter],
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
  kind: FileKind = 'project',
): Promise<PickedSavePath | null> {
  const fileName = suggestedFileName(defaultName, kind);
  const result = await dialog.showSaveDialog(window, {
    title: FILE_KINDS[kind].save,
    defaultPath: defaults.defaultDir === undefined ? fileName : join(defaults.defaultDir, fileName),
    filters: [FILE_KINDS[kind].filter],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  });
  if (result.canceled || !result.filePath) return null;
  const path = withExtension(result.filePath, kind);
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
  const kind: FileKind = request.kind.endsWith('-csv') ? 'csv' : request.kind.endsWith('-html') ? 'html' : request.kind.endsWith('-sql') ? 'sql' : 'project';
  if (request.kind.startsWith('open-')) return pickOpenPath(dialog, window, defaults, kind);
  const picked = await pickSavePath(dialog, window, request.defaultName, defaults, kind);
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
