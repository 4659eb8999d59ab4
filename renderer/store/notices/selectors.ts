import type { AppState } from '../types';
import type { Notice } from './slice';

export const selectNotices = (state: AppState): readonly Notice[] => state.notices;

/** The latest error-level notice, if any (tests and the window title use it). */
export const selectLatestError = (state: AppState): Notice | null =>
  [...state.notices].reverse().find((n) => n.tone === 'error') ?? null;
