import { MAX_ADVANCE_STEPS, stepMinutes, type ClockItem, type ClockItemKind } from '../../../shared/contract/clock';
import type { ResultOf } from '../../../shared/contract/index';
import { addMinutes, isClockTime, minutesBetween } from '../../../shared/domain/clock';
import { formatCount } from '../../../shared/format';
import { countOf } from '../../lib/text';
import type { AppState } from '../types';

export const selectClock = (state: AppState): string | null => (state.project.open ? state.project.clock : null);
export const selectLastAdvance = (state: AppState) => state.lastAdvance;

/** The clock moved forward by hours or days: a quick choice in the dialog (unchanged when it is not a clock time). */
export function clockPlus(clock: string, minutes: number): string {
  return isClockTime(clock) ? addMinutes(clock, minutes) : clock;
}

export function advanceProblem(to: string, clock: string): string | null {
  if (to.trim() === '') return 'Choose a date and time.';
  if (!isClockTime(to)) return 'Expected a date and time such as 2026-04-10T10:00.';
  if (to <= clock) return 'The project clock only moves forward: choose a later moment. To replay from an earlier one, clone the project.';
  return null;
}

/** The steps the dialog offers: none (one report), or the clock stops after each hour, day or week. */
export const ADVANCE_STEPS: readonly { readonly value: string; readonly label: string }[] = [
  { value: '', label: 'No steps: one report' },
  { value: '1h', label: 'Every hour' },
  { value: '1d', label: 'Every day' },
  { value: '1w', label: 'Every week' },
];

/** How many steps an advance from `clock` to `to` takes (the last one may be shorter); 1 without a step. */
export function stepCount(clock: string, to: string, step: string): number {
  if (step === '') return 1;
  return Math.max(1, Math.ceil(minutesBetween(clock, to) / stepMinutes(step)));
}

/** Why the step cannot be used for that stretch; null when it can. */
export function stepProblem(clock: string, to: string, step: string): string | null {
  if (step === '' || advanceProblem(to, clock) !== null) return null;
  const count = stepCount(clock, to, step);
  return count > MAX_ADVANCE_STEPS
    ? `That is ${formatCount(count)} steps; at most ${formatCount(MAX_ADVANCE_STEPS)} in one advance: choose a longer step or an earlier moment.`
    : null;
}

/** What each kind of thing on the clock is called in a sentence: one, and more than one. */
const CLOCK_ITEM_NOUNS: Readonly<Record<ClockItemKind, readonly [string, string]>> = {
  recalculation: ['segment recalculation', 'segment recalculations'],
  activation: ['activation', 'activations'],
  activity_run: ['activity run', 'activity runs'],
  trigger_run: ['triggered mailing run', 'triggered mailing runs'],
  scenario_entries: ['scenario entry', 'scenario entries'],
  scenario_ends: ['scenario end', 'scenario ends'],
  placement: ['placement update', 'placement updates'],
  skipped: ['thing skipped', 'things skipped'],
};

/** Everything that ran in an advance, over all its steps. */
export function advancedItems(result: ResultOf<'clock/advance'>): ClockItem[] {
  return result.steps.flatMap((s) => s.items);
}

/**
 * "3 things ran on the way (2 segment recalculations, 1 activity run); 1 campaign changed."
 * or "Nothing fell due on the way."
 */
export function advanceSentence(result: ResultOf<'clock/advance'>): string {
  const items = advancedItems(result);
  const changed = new Set(result.steps.flatMap((s) => s.campaigns.map((c) => c.campaignId))).size;
  const tail = changed === 0 ? '' : `; ${countOf(changed, 'campaign')} changed`;
  if (items.length === 0) return `Nothing fell due on the way${tail}.`;
  const byKind = new Map<ClockItemKind, number>();
  for (const item of items) byKind.set(item.kind, (byKind.get(item.kind) ?? 0) + 1);
  const kinds = [...byKind].map(([kind, n]) => countOf(n, ...CLOCK_ITEM_NOUNS[kind])).join(', ');
  return `${countOf(items.length, 'thing')} ran on the way (${kinds})${tail}.`;
}

/** Under the plan: how many things fall due on the way. */
export function planCountText(count: number): string {
  return count === 1 ? '1 thing falls due on the way.' : `${countOf(count, 'thing')} fall due on the way, in time order.`;
}

/**
 * While an advance runs: the step it is at, from the engine's count of steps done (its
 * progress in items; the work inside a step reports its own phase below), "Step 3 of 52".
 */
export function advanceStepText(stepsDone: number, steps: number): string {
  return steps <= 1 ? 'Advancing in one step.' : `Step ${formatCount(Math.min(steps, stepsDone + 1))} of ${formatCount(steps)}.`;
}
