import type { RecentProject, RecoveryCopy } from '../../../shared/contract/index';
import type { AppState } from '../types';

export const selectRecent = (state: AppState): readonly RecentProject[] => state.recent;
export const selectRecovery = (state: AppState): readonly RecoveryCopy[] => state.recovery;
export const selectHasRecovery = (state: AppState): boolean => state.recovery.length > 0;

/** "29 Nov 2026, 10:15" in this machine's time zone: wall-clock moments, not the project clock. */
export function formatInstant(instant: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  return date.toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}
