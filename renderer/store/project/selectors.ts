import { formatClock } from '../../../shared/format';
import { windowTitle } from '../../../shared/window-title';
import type { OpenProjectState } from '../../../shared/contract/index';
import type { AppState } from '../types';

export type SaveState = 'saved' | 'unsaved' | 'recovered' | 'new';

export const selectOpenProject = (state: AppState): OpenProjectState | null =>
  state.project.open ? state.project : null;

export const selectIsProjectOpen = (state: AppState): boolean => state.project.open;

/**
 * Saved: matches its file. Unsaved: changes since. Recovered: opened from a recovery copy
 * and not saved since. New: never saved and not changed (nothing to lose yet).
 */
export function saveStateOf(project: OpenProjectState): SaveState {
  if (project.recovered) return 'recovered';
  if (project.dirty) return 'unsaved';
  return project.path === null ? 'new' : 'saved';
}

export const SAVE_STATE_LABELS: Readonly<Record<SaveState, string>> = {
  saved: 'Saved',
  unsaved: 'Unsaved changes',
  recovered: 'Recovered — not saved yet',
  new: 'No changes',
};

export const selectSaveState = (state: AppState): SaveState | null =>
  state.project.open ? saveStateOf(state.project) : null;

export const selectSaveStateLabel = (state: AppState): string | null => {
  const saveState = selectSaveState(state);
  return saveState === null ? null : SAVE_STATE_LABELS[saveState];
};

export const selectFileLabel = (state: AppState): string | null =>
  state.project.open ? (state.project.fileName ?? 'Not saved yet') : null;

export const selectClockLabel = (state: AppState): string | null =>
  state.project.open ? formatClock(state.project.clock) : null;

/** The tab title in browser mode, the same as the desktop window's (shared/window-title.ts). */
export const selectWindowTitle = (state: AppState): string => windowTitle(state.project);
