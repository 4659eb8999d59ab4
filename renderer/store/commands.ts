import type { MenuCommandMessage } from '../../shared/bridge';
import type { Platform } from '../client/platform';
import type { AppState, AppStoreApi } from './types';

/**
 * Runs a command of the native menu (Electron) or a keyboard shortcut (browser mode)
 * exactly like the button of the same name.
 */
export function runCommand(state: AppState, message: MenuCommandMessage): Promise<boolean> {
  // A dialog is open: its own keys apply; a second dialog on top of it would confuse.
  if (state.confirm || state.fileBrowser || state.importWizard || state.exportDialog || state.segmentDialog) return Promise.resolve(false);
  switch (message.command) {
    case 'new':
      return state.newProject();
    case 'open':
      return state.openProject();
    case 'openRecent':
      return message.path === undefined ? state.openProject() : state.openProject(message.path);
    case 'save':
      return state.save();
    case 'saveAs':
      return state.saveAs();
    case 'close':
      return state.closeProject();
  }
}

export function connectMenuCommands(store: AppStoreApi, platform: Platform): () => void {
  if (!platform.onMenuCommand) return () => undefined;
  return platform.onMenuCommand((message) => {
    void runCommand(store.getState(), message);
  });
}

/** Browser-mode shortcuts (Electron's menu has its own accelerators, so these would fire twice). */
export function shortcutCommand(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): MenuCommandMessage | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const key = event.key.toLowerCase();
  if (key === 's') return { command: event.shiftKey ? 'saveAs' : 'save' };
  if (key === 'o' && !event.shiftKey) return { command: 'open' };
  return null;
}
