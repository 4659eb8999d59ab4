import type { TimelinePoint, TimelineRun } from '../../../shared/contract/clock';
import type { CampaignEvent } from '../../../shared/contract/index';
import { hasCode } from '../notices/messages';
import type { SliceCreator, StoreDeps } from '../types';

/** A campaign's timeline as the engine gave it (campaign/timeline). */
export interface TimelineState {
  readonly campaignId: number;
  readonly points: readonly TimelinePoint[];
  readonly runs: readonly TimelineRun[];
  readonly loading: boolean;
  readonly error: string | null;
}

/** The moment of the timeline the user picked, with a page of its events (campaign/events with its clock). */
export interface TimelineMomentState {
  readonly campaignId: number;
  readonly clock: string;
  readonly offset: number;
  readonly total: number | null;
  readonly events: readonly CampaignEvent[];
  readonly loading: boolean;
  readonly error: string | null;
}

export const MOMENT_EVENTS_PAGE = 50;

export interface TimelineSlice {
  timeline: TimelineState | null;
  timelineMoment: TimelineMomentState | null;
  /** Loads (again) a campaign's timeline; the picked moment's events load again with it. */
  loadTimeline(campaignId: number): Promise<void>;
  /** Picks a moment (null: none) and loads a page of its events. */
  pickTimelineMoment(campaignId: number, clock: string | null, offset?: number): Promise<void>;
  resetTimeline(): void;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const createTimelineSlice =
  (deps: StoreDeps): SliceCreator<TimelineSlice> =>
  (set, get) => {
    const { client } = deps;
    // Another project (a reset) or a newer request makes an answer stale.
    let epoch = 0;
    let request = 0;
    let momentRequest = 0;

    return {
      timeline: null,
      timelineMoment: null,

      async loadTimeline(campaignId) {
        if (!get().project.open) return;
        const at = epoch;
        const mine = ++request;
        const previous = get().timeline;
        const same = previous?.campaignId === campaignId;
        set({ timeline: { campaignId, points: same ? previous.points : [], runs: same ? previous.runs : [], loading: true, error: null } });
        if (!same) set({ timelineMoment: null });
        const current = () => at === epoch && mine === request;
        try {
          const { points, runs } = await client.call('campaign/timeline', { campaignId });
          if (current()) set({ timeline: { campaignId, points, runs, loading: false, error: null } });
        } catch (error) {
          if (!current() || hasCode(error, 'NO_PROJECT')) return;
          const shown = get().timeline;
          if (shown) set({ timeline: { ...shown, loading: false, error: messageOf(error) } });
        }
        const moment = get().timelineMoment;
        if (current() && moment?.campaignId === campaignId) await get().pickTimelineMoment(campaignId, moment.clock, moment.offset);
      },

      async pickTimelineMoment(campaignId, clock, offset = 0) {
        const mine = ++momentRequest;
        if (clock === null) {
          set({ timelineMoment: null });
          return;
        }
        const at = epoch;
        const previous = get().timelineMoment;
        const same = previous?.campaignId === campaignId && previous.clock === clock;
        set({
          timelineMoment: { campaignId, clock, offset, total: same ? previous.total : null, events: same ? previous.events : [], loading: true, error: null },
        });
        const current = () => at === epoch && mine === momentRequest;
        try {
          const page = await client.call('campaign/events', { campaignId, clock, offset, limit: MOMENT_EVENTS_PAGE });
          if (current()) set({ timelineMoment: { campaignId, clock, offset, total: page.total, events: page.events, loading: false, error: null } });
        } catch (error) {
          const shown = get().timelineMoment;
          if (current() && shown && !hasCode(error, 'NO_PROJECT')) set({ timelineMoment: { ...shown, loading: false, error: messageOf(error) } });
        }
      },

      resetTimeline() {
        epoch += 1;
        set({ timeline: null, timelineMoment: null });
      },
    };
  };
