import type { Recalculation, ResultOf } from '../../../shared/contract/index';
import { formatClock, formatCount } from '../../../shared/format';
import { countOf } from '../../lib/text';
import { describeError, isCancelled } from '../notices/messages';
import type { SliceCreator, StoreDeps } from '../types';

export type RecalculateResult = ResultOf<'segment/recalculate'>;

/** "Recalculate now" of an updatable segment: running, then what it did (or why not). */
export interface SegmentRecalcState {
  readonly segmentId: number;
  readonly running: boolean;
  readonly result: RecalculateResult | null;
  readonly error: string | null;
}

/** A segment's recalculations, newest first; null while loading. */
export interface SegmentHistoryState {
  readonly segmentId: number;
  readonly rows: readonly Recalculation[] | null;
  readonly error: string | null;
}

export interface SegmentRecalcSlice {
  segmentRecalc: SegmentRecalcState | null;
  segmentHistory: SegmentHistoryState | null;
  /** Recalculates an updatable segment now, on the project clock; the campaigns on it follow. */
  recalculateSegment(segmentId: number): Promise<RecalculateResult | null>;
  dismissSegmentRecalc(): void;
  loadSegmentHistory(segmentId: number): Promise<void>;
  resetSegmentRecalc(): void;
}

/** "14,088 profiles, 14,088 joined, 0 left": what one recalculation gave. */
export function recalcSummary(r: Recalculation): string {
  return `${countOf(r.size, 'profile')}, ${formatCount(r.joined)} joined, ${formatCount(r.left)} left`;
}

/** "Recalculation 2 on Mon 10 Apr 2023, 10:00: 4 profiles, 1 joined, 0 left." */
export function recalcHead(result: RecalculateResult): string {
  const r = result.recalculation;
  return `Recalculation ${r.number} on ${formatClock(r.clock)}: ${recalcSummary(r)}.`;
}

/** The head, and the campaigns that followed. */
export function recalcSentence(result: RecalculateResult): string {
  const head = recalcHead(result);
  if (result.campaigns.length === 0) return head;
  const followed = result.campaigns.map((c) => `"${c.name}" (${formatCount(c.joined)} joined, ${formatCount(c.left)} left)`).join(', ');
  return `${head} ${result.campaigns.length === 1 ? 'The campaign' : 'The campaigns'} ${followed} followed.`;
}

export const createSegmentRecalcSlice =
  (deps: StoreDeps): SliceCreator<SegmentRecalcSlice> =>
  (set, get) => {
    const { client } = deps;
    // An answer for a project closed meanwhile is dropped.
    let epoch = 0;

    return {
      segmentRecalc: null,
      segmentHistory: null,

      async recalculateSegment(segmentId) {
        if (get().segmentRecalc?.running) return null;
        const at = epoch;
        const name = get().segments?.find((s) => s.id === segmentId)?.name ?? 'the segment';
        set({ segmentRecalc: { segmentId, running: true, result: null, error: null } });
        try {
          const result = await get().runOperation('segment/recalculate', { segmentId }, `Recalculating "${name}"`, { inline: true });
          if (at !== epoch) return null;
          set({ segmentRecalc: { segmentId, running: false, result, error: null } });
          get().notify({ tone: 'success', title: 'Segment recalculated', message: recalcSentence(result) });
          // Its members, its history, and the campaigns that followed it all changed.
          await Promise.all([
            get().segmentChanged(result.segment),
            get().loadSegmentHistory(segmentId),
            get().loadCampaigns(),
            ...result.campaigns.map((c) => get().campaignChanged(c.campaignId)),
          ]);
          return result;
        } catch (error) {
          if (at !== epoch) return null;
          set({ segmentRecalc: { segmentId, running: false, result: null, error: isCancelled(error) ? 'Cancelled: the segment was not recalculated.' : describeError(error).message } });
          return null;
        }
      },

      dismissSegmentRecalc() {
        if (!get().segmentRecalc?.running) set({ segmentRecalc: null });
      },

      async loadSegmentHistory(segmentId) {
        const at = epoch;
        const current = get().segmentHistory;
        set({ segmentHistory: { segmentId, rows: current?.segmentId === segmentId ? current.rows : null, error: null } });
        try {
          const rows = await client.call('segment/history', { segmentId });
          if (at === epoch && get().segmentHistory?.segmentId === segmentId) set({ segmentHistory: { segmentId, rows, error: null } });
        } catch (error) {
          if (at === epoch && get().segmentHistory?.segmentId === segmentId) set({ segmentHistory: { segmentId, rows: [], error: describeError(error).message } });
        }
      },

      resetSegmentRecalc() {
        epoch += 1;
        set({ segmentRecalc: null, segmentHistory: null });
      },
    };
  };
