import type { ResultOf } from '../../../shared/contract/index';
import { formatClock } from '../../../shared/format';
import { countOf, listText } from '../../lib/text';
import { isCancelled } from '../notices/messages';
import type { SliceCreator, StoreDeps } from '../types';

export type ClockAdvance = ResultOf<'clock/advance'>;

export interface ClockSlice {
  /** What the last advance of the clock did (the dialog shows it); null before any. */
  lastAdvance: ClockAdvance | null;
  /**
   * Moves the project clock forward to `to`; delayed activations that fall due fire in
   * order. Resolves with what fired, or null when it failed or was cancelled.
   */
  advanceClock(to: string): Promise<ClockAdvance | null>;
  forgetClockAdvance(): void;
}

export const createClockSlice =
  (_deps: StoreDeps): SliceCreator<ClockSlice> =>
  (set, get) => ({
    lastAdvance: null,

    async advanceClock(to) {
      try {
        const result = await get().runOperation('clock/advance', { to }, `Advancing the clock to ${formatClock(to)}`);
        set({ lastAdvance: result });
        get().notify({ tone: result.fired.length > 0 ? 'success' : 'info', title: `The clock is at ${formatClock(result.clock)}`, message: firedSentence(result) });
        // Activations change campaigns, their groups, events and the audiences on screen.
        const { route } = get();
        await Promise.all([
          get().loadCampaigns(),
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

/** "2 scheduled activations fired: "Spring" at Mon 6 Apr 2026, 10:00 (activated), ..." */
export function firedSentence(result: ClockAdvance): string {
  if (result.fired.length === 0) return 'No scheduled activation fell due.';
  const items = result.fired.map((f) => `"${f.name}" at ${formatClock(f.at)} (${f.outcome})`);
  return `${countOf(result.fired.length, 'scheduled activation')} fired: ${listText(items)}.`;
}
