import type { EngineEventMessage, EngineRequest, Envelope } from './contract/index';

/** File dialogs the desktop shell shows natively (browser mode uses the in-app browser). */
export const PATH_PICK_KINDS = ['open-project', 'save-project', 'open-csv', 'save-csv', 'save-html', 'save-sql'] as const;
export type PathPickKind = (typeof PATH_PICK_KINDS)[number];

export interface PathPickRequest {
  readonly kind: PathPickKind;
  /** Suggested file name for a save dialog. */
  readonly defaultName?: string;
}

/** Commands sent by the native menu; the renderer runs them like its own buttons. */
export const MENU_COMMANDS = [
  'new',
  'open',
  'save',
  'saveAs',
  'close',
  'openRecent',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export interface MenuCommandMessage {
  readonly command: MenuCommand;
  /** For openRecent: the file to open. */
  readonly path?: string;
}

/**
 * The one narrow object the Electron preload exposes as `window.cplan`. Everything else in
 * Electron stays out of the page's reach.
 */
export interface CplanBridge {
  readonly platform: 'electron';
  invoke(request: EngineRequest): Promise<Envelope<unknown>>;
  onEvent(listener: (message: EngineEventMessage) => void): () => void;
  pickPath(request: PathPickRequest): Promise<string | null>;
  /** The path of a file dropped on the window (Electron's webUtils.getPathForFile). */
  pathForFile(file: File): string;
  onMenuCommand(listener: (message: MenuCommandMessage) => void): () => void;
}

/** IPC channel names; main and preload both use these constants. */
export const IPC_CHANNELS = {
  invoke: 'cplan:invoke',
  event: 'cplan:event',
  pickPath: 'cplan:pick-path',
  menuCommand: 'cplan:menu-command',
} as const;
