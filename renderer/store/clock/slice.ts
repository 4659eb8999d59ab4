import type { ResultOf } from '../../../shared/contract/index';
import { formatClock } from '../../../shared/format';
import { countOf } from '../../lib/text';
import { isCancelled } from '../notices/messages';
import type { SliceCreator, StoreDeps } from '../types';

export type ClockAdvance = ResultOf<'clock/advance'>;

export interface ClockSlice {
  /** What the last advance of the clock did (the dialog shows it); null before any. */
  lastAdvance: ClockAdvance | null;
  /**
   * Moves the project clock forward to `to`; delayed activations that fall due fire in
   * order. Resolves with what fired, or null when it failed or was cancelled. A notice
   * tells what fired unless `shownByCaller` says the caller displays the result itself
   * (the advance-clock dialog), so the same news does not appear twice.
   */
  advanceClock(to: string, options?: { readonly shownByCaller?: boolean }): Promise<ClockAdvance | null>;
  forgetClockAdvance(): void;
}

export const createClockSlice =
  (_deps: StoreDeps): SliceCreator<ClockSlice> =>
  (set, get) => ({
    lastAdvance: null,

    async advanceClock(to, options = {}) {
      try {
        const result = await get().runOperation('clock/advance', { to }, `Advancing the clock to ${formatClock(to)}`);
        set({ lastAdvance: result });
        if (!options.shownByCaller) {
          get().notify({ tone: result.fired.length > 0 ? 'success' : 'info', title: `The clock is at ${formatClock(result.clock)}`, message: firedSentence(result) });
        }
        // Activations change campaigns, their groups, events and the audiences on screen.
        const { route } = get();
        await Promise.all([
          get().loadCampaigns(),
          // An updatable segment's next recalculation is the first due time after the clock.
          get().loadSegments(),
          route.page === 'campaign' ? get().campaignChanged(route.campaignId) : Promise.resolve(),
          ...result.fired.filter((f) => !(route.page === 'campaign' && route.campaignId === f.campaignId)).map((f) => get().loadCampaign(f.campaignId)),
        ]);
        return result;
      } catch (error) {
        if (isCancelled(error)) get().notify({ tone: 'info', title: 'Cancelled', message: 'The clock was left where it was.' });
        else get().reportError(error);
        return null;
      }
    },

    forgetClockAdvance() {
      set({ lastAdvance: null });
    },
  });

/**
 * "2 scheduled activations fired: "Spring" at Mon 6 Apr 2026, 10:00 — Activated: 900 test,
 * 100 LCG; "Autumn" at …". Outcomes are sentences of their own with commas inside, so the
 * items are joined with semicolons and their closing full stops dropped.
 */
export function firedSentence(result: ClockAdvance): string {
  if (result.fired.length === 0) return 'No scheduled activation fell due.';
  const items = result.fired.map((f) => `"${f.name}" at ${formatClock(f.at)} — ${f.outcome.replace(/[.\s]+$/, '')}`);
  return `${countOf(result.fired.length, 'scheduled activation')} fired: ${items.join('; ')}.`;
}
