import type { ProjectState } from '../../shared/contract/project';
import { APP_NAME } from '../../shared/version';

/**
 * The window title for a project state: "Spring plan — spring.cplan • (unsaved) — Campaign
 * Planner". The app name stays at the end so task bars and window switchers, which cut
 * long titles, still show the project first.
 */
export function windowTitle(state: ProjectState, appName: string = APP_NAME): string {
  if (!state.open) return appName;
  let title = `${state.name} — ${state.fileName ?? 'not saved yet'}`;
  if (state.recovered) title += ' (recovered)';
  if (state.dirty) title += ' • (unsaved)';
  return `${title} — ${appName}`;
}

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
