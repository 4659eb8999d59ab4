import { MAX_SEED, type GcgState } from '../../../shared/contract/index';
import { tooLongProblem } from '../../lib/text';
import { controlTotal } from '../../../shared/split/control-total';
import { parsePercent, percentProblem } from '../../../shared/split/percent';
import type { AppState } from '../types';

export const selectGcg =
  (databaseId: number) =>
  (state: AppState): GcgState | null =>
    state.gcg[databaseId] ?? null;

export { percentProblem };

/** "7,50" -> "7.5": what the engine reads (the text as typed when it is not a percentage). */
export function normalisePercent(text: string): string {
  const reading = parsePercent(text);
  return reading.ok ? reading.text : text.trim();
}

/** The exact share of a database's profiles (round half up, STATS.md 1.1), for "size vs exact share". */
export function gcgExactSize(gcg: GcgState): number {
  if (gcg.percent <= 0) return 0;
  return controlTotal(gcg.profiles, { percent: Math.round(gcg.percent * 100) / 100 });
}

/** The seed of a split as typed (a campaign's or the GCG's); empty means a random one. */
export function seedProblem(text: string): string | null {
  return tooLongProblem(text, MAX_SEED);
}
