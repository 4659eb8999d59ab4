import { MAX_SEED, type GcgState } from '../../../shared/contract/index';
import { tooLongProblem } from '../../lib/text';
import { controlTotal } from '../../../shared/split/control-total';
import type { AppState } from '../types';

export const selectGcg =
  (databaseId: number) =>
  (state: AppState): GcgState | null =>
    state.gcg[databaseId] ?? null;

const PERCENT = /^\d{1,3}(\.\d{1,2})?$/;

/** A percentage as typed ("7,5" is read as 7.5); the problem, or null when it is fine. */
export function percentProblem(text: string, options: { allowEmpty?: boolean } = {}): string | null {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return options.allowEmpty ? null : 'Type a percentage, such as 5 or 2.5.';
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return 'A percentage is a number, such as 5 or 2.5.';
  if (!PERCENT.test(trimmed)) return 'At most two decimals, such as 7.25.';
  if (Number(trimmed) > 100) return 'At most 100 %.';
  return null;
}

/** "7,50" -> "7.50": what the engine reads. */
export const normalisePercent = (text: string): string => text.trim().replace(',', '.');

/** The exact share of a database's profiles (round half up, STATS.md 1.1), for "size vs exact share". */
export function gcgExactSize(gcg: GcgState): number {
  if (gcg.percent <= 0) return 0;
  return controlTotal(gcg.profiles, { percent: Math.round(gcg.percent * 100) / 100 });
}

/** The seed of a split as typed (a campaign's or the GCG's); empty means a random one. */
export function seedProblem(text: string): string | null {
  return tooLongProblem(text, MAX_SEED);
}
