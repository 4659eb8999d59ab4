import type { ResultOf } from '../../../shared/contract/index';
import { formatClock } from '../../../shared/format';
import { describeError, isCancelled } from '../notices/messages';
import type { SliceCreator, StoreDeps } from '../types';
import { advanceSentence } from './selectors';

export type ClockAdvance = ResultOf<'clock/advance'>;
export type ClockPlan = ResultOf<'clock/plan'>;

/** How an advance ended: what it did, cancelled (nothing changed), or failed (the reason was reported). */
export type AdvanceOutcome = { readonly kind: 'done'; readonly result: ClockAdvance } | { readonly kind: 'cancelled' } | { readonly kind: 'failed' };

export interface AdvanceOptions {
  /** "1h", "1d", "1w": the clock stops after each step, with a report per step. */
  readonly step?: string;
  /**
   * The advance-clock dialog shows the progress (with Cancel) and the report itself: no
   * progress panel, and no notice repeating the news.
   */
  readonly shownByCaller?: boolean;
}

export interface ClockSlice {
  /** What the last advance of the clock did; null before any. */
  lastAdvance: ClockAdvance | null;
  /** What advancing to `to` would run on the way; a refusal comes back as its message. */
  planClock(to: string): Promise<{ readonly plan: ClockPlan } | { readonly problem: string }>;
  /**
   * Moves the project clock forward to `to` (in steps if asked); everything that falls due on
   * the way runs in time order. Then everything shown that depends on the clock is loaded again.
   */
  advanceClock(to: string, options?: AdvanceOptions): Promise<AdvanceOutcome>;
  /** Cancels the advance under way: the engine leaves the project as it was before it. */
  cancelClockAdvance(): Promise<void>;
  /** Loads again what shows the project at the clock's time: campaigns, activities, segments, the open page, the agenda. */
  refreshAfterClock(): Promise<void>;
  forgetClockAdvance(): void;
}

export const createClockSlice =
  (deps: StoreDeps): SliceCreator<ClockSlice> =>
  (set, get) => ({
    lastAdvance: null,

    async planClock(to) {
      try {
        return { plan: await deps.client.call('clock/plan', { to }) };
      } catch (error) {
        return { problem: describeError(error).message };
      }
    },

    async advanceClock(to, options = {}) {
      const { step, shownByCaller = false } = options;
      try {
        const label = `Advancing the clock to ${formatClock(to)}${step ? ` in steps of ${step}` : ''}`;
        const result = await get().runOperation('clock/advance', step ? { to, step } : { to }, label, { inline: shownByCaller });
        set({ lastAdvance: result });
        if (!shownByCaller) get().notify({ tone: 'success', title: `The clock is at ${formatClock(result.clock)}`, message: advanceSentence(result) });
        await get().refreshAfterClock();
        return { kind: 'done', result };
      } catch (error) {
        if (isCancelled(error)) {
          if (!shownByCaller) get().notify({ tone: 'info', title: 'Cancelled', message: 'The advance was cancelled: the clock and the project are as they were before it.' });
          return { kind: 'cancelled' };
        }
        get().reportError(error);
        return { kind: 'failed' };
      }
    },

    async cancelClockAdvance() {
      const op = Object.values(get().operations).find((o) => o.method === 'clock/advance');
      if (op) await get().cancelOperation(op.id);
    },

    async refreshAfterClock() {
      // Recalculations, activations and runs change campaigns, their groups and events,
      // activities' runs and next times, segments' sizes and next recalculations; events
      // after the old clock now exist, so the profile table and the agenda change too.
      const s = get();
      const { route } = s;
      const shownCampaign = route.page === 'campaign' ? route.campaignId : null;
      const tasks: Promise<unknown>[] = [s.loadCampaigns(), s.loadSegments(), s.refreshInfo()];
      if (shownCampaign !== null) tasks.push(s.campaignChanged(shownCampaign));
      for (const id of Object.keys(s.campaignDetails).map(Number)) if (id !== shownCampaign) tasks.push(s.loadCampaign(id));
      for (const id of Object.keys(s.activitiesByCampaign).map(Number)) if (id !== shownCampaign) tasks.push(s.loadActivities(id));
      for (const id of Object.keys(s.externalActivities).map(Number)) tasks.push(s.loadExternalActivities(id));
      if (s.agenda !== null) tasks.push(s.loadAgenda());
      if (route.page === 'database') s.refreshProfileTable(route.databaseId);
      if (route.page === 'segment' && s.segmentHistory?.segmentId === route.segmentId) tasks.push(s.loadSegmentHistory(route.segmentId));
      await Promise.all(tasks);
    },

    forgetClockAdvance() {
      set({ lastAdvance: null });
    },
  });
