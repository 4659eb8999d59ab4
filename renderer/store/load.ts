import type { ErrorCode } from '../../shared/contract/errors';
import { hasCode } from './notices/messages';
import type { AppState } from './types';

/**
 * Loads something of the open project into a slice: nothing without a project; the result is
 * dropped when the slice was reset meanwhile (its epoch moved on: another project); errors
 * are reported, except "no project" (it was closed meanwhile) and the codes in `quiet`.
 */
export async function loadForProject<T>(
  get: () => AppState,
  epoch: () => number,
  fetch: () => Promise<T>,
  apply: (value: T) => void,
  quiet: readonly ErrorCode[] = [],
): Promise<void> {
  if (!get().project.open) return;
  const at = epoch();
  try {
    const value = await fetch();
    if (at === epoch()) apply(value);
  } catch (error) {
    if (at === epoch() && !hasCode(error, 'NO_PROJECT') && !quiet.some((code) => hasCode(error, code))) get().reportError(error);
  }
}
