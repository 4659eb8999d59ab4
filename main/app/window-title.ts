import type { ProjectState } from '../../shared/contract/project';
import { windowTitle } from '../../shared/window-title';

export { windowTitle };

/** The part of BrowserWindow the title updater drives. */
export interface TitledWindow {
  isDestroyed(): boolean;
  setTitle(title: string): void;
  /** macOS: the dot in the close button. */
  setDocumentEdited(edited: boolean): void;
  /** macOS: the file icon in the title bar and its Cmd-click path menu. */
  setRepresentedFilename(path: string): void;
}

/** Shows the project state on the window: title everywhere, document state on macOS. */
export function showProjectState(window: TitledWindow, state: ProjectState, platform: NodeJS.Platform): void {
  if (window.isDestroyed()) return;
  window.setTitle(windowTitle(state));
  if (platform !== 'darwin') return;
  window.setDocumentEdited(state.open && state.dirty);
  window.setRepresentedFilename(state.open ? (state.path ?? '') : '');
}
