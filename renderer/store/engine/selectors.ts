import type { AppState } from '../types';
import type { RestartNotice } from './slice';

export const CONNECTION_LABELS = {
  connecting: 'Connecting…',
  connected: 'Connected',
  lost: 'Connection lost — reconnecting…',
} as const;

export const selectConnectionLabel = (state: AppState): string => CONNECTION_LABELS[state.connection];

/** The sentences of the banner shown after an engine restart. */
export function restartMessage(restart: RestartNotice): { title: string; detail: string } {
  const title = `The engine stopped unexpectedly (${restart.reason}) and was restarted.`;
  if (restart.restoredName === null) {
    return {
      title,
      detail: restart.lostUnsavedChanges
        ? 'The project could not be reopened, and its unsaved changes were lost. Open it again from its file.'
        : 'No project was reopened.',
    };
  }
  const from = restart.restoredFromRecovery ? 'from its recovery copy' : 'from its file';
  return {
    title,
    detail: restart.lostUnsavedChanges
      ? `"${restart.restoredName}" was reopened ${from}; changes made after its last save were lost.`
      : `"${restart.restoredName}" was reopened ${from}; no unsaved changes were lost.`,
  };
}
