/**
 * How an activity runs on the project clock, for people: why each run happened, the facts
 * of a launched one, and the Launch dialog's draft read into the contract's ActivityTiming
 * (the contract's own schema decides the limits, so the dialog accepts what the engine
 * accepts; the timing in words is shared/domain/activity-timing.ts, as the engine says it).
 */
import { ActivityTiming } from '../../../shared/contract/clock';
import type { Activity, ActivityType } from '../../../shared/contract/index';
import { isClockTime } from '../../../shared/domain/clock';
import { describeDelay, describeTiming, TIMING_OF_TYPE } from '../../../shared/domain/activity-timing';
import { parseSchedule, printSchedule } from '../../../shared/domain/schedule';
import { formatClock, formatCount } from '../../../shared/format';
import { countOf } from '../../lib/text';
import { scheduleFromDraft, DEFAULT_SCHEDULE, type ScheduleDraft } from '../segments/schedule-draft';

const DELAY_UNITS = { minutes: 1, hours: 60, days: 24 * 60 } as const;
export type DelayUnit = keyof typeof DELAY_UNITS;
export const DELAY_UNIT_LABELS: Readonly<Record<DelayUnit, string>> = { minutes: 'minutes', hours: 'hours', days: 'days' };

/** The facts under an activity's timing on its row: launched at, next run, profiles held. */
export function timingFacts(activity: Pick<Activity, 'type' | 'timing' | 'launchAt' | 'nextRun' | 'holding'>, clock: string): string[] {
  const facts: string[] = [];
  // A one-time run's launchAt (and next run) is its own time, which "Once at …" already says;
  // a start still ahead of the clock has not been launched yet.
  if (activity.launchAt !== null && activity.timing?.kind !== 'once') {
    facts.push(`${activity.launchAt > clock ? 'Starts' : 'Launched'} ${formatClock(activity.launchAt)}`);
  }
  const once = activity.timing?.kind === 'once' ? activity.timing.at : null;
  if (activity.nextRun !== null && activity.nextRun !== once) facts.push(`Next run ${formatClock(activity.nextRun)}`);
  if (activity.type === 'scenario' && activity.timing !== null) facts.push(`Holds ${countOf(activity.holding, 'profile')}`);
  return facts;
}

/** The Launch dialog's controls, as typed. */
export interface LaunchDraft {
  /** Broadcast, A/B test: when it runs. */
  readonly at: string;
  /** Regular mailing: built with controls, or typed in the schedule language. */
  readonly scheduleMode: 'pick' | 'type';
  readonly schedule: ScheduleDraft;
  readonly scheduleText: string;
  /** Triggered mailing, scenario. */
  readonly eventType: string;
  readonly delay: string;
  readonly delayUnit: DelayUnit;
  readonly days: string;
  /** Regular mailing, triggered mailing, scenario: when it starts (the clock's time: now). */
  readonly from: string;
}

export function newLaunchDraft(clock: string): LaunchDraft {
  return { at: clock, scheduleMode: 'pick', schedule: DEFAULT_SCHEDULE, scheduleText: printSchedule({ kind: 'weekly', weekdays: ['mon'], time: '10:00' }), eventType: '', delay: '0', delayUnit: 'hours', days: '14', from: clock };
}

export type LaunchReading = { readonly timing: ActivityTiming; readonly from?: string; readonly words: string } | { readonly problem: string };

/** The schedule the draft gives (pickers or text), read by the one schedule reader; its refusal says where. */
export function draftSchedule(draft: LaunchDraft): { text: string } | { problem: string } {
  if (draft.scheduleMode === 'pick') {
    const read = scheduleFromDraft(draft.schedule);
    return 'problem' in read ? read : { text: read.text };
  }
  const read = parseSchedule(draft.scheduleText);
  if (!read.ok) return { problem: draft.scheduleText.trim() === '' ? read.problem : `${read.problem} (at character ${read.at + 1})` };
  return { text: printSchedule(read.schedule) };
}

const wholeNumber = (text: string): number => (/^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN);

/** A moment on the clock from now on: the clock's own time is allowed (it is "now"). */
function momentProblem(at: string, clock: string, what: string): string | null {
  if (at.trim() === '') return `Choose ${what}.`;
  if (!isClockTime(at)) return 'Expected a date and time such as 2026-04-10T10:00.';
  if (at < clock) return `That moment has passed on the project clock (now ${formatClock(clock)}): choose now or later.`;
  return null;
}

/** The draft as the engine takes it, or what is wrong with it in words. */
export function launchFromDraft(type: ActivityType, draft: LaunchDraft, clock: string): LaunchReading {
  const kind = TIMING_OF_TYPE[type];
  let candidate: unknown;
  if (kind === 'once') {
    const problem = momentProblem(draft.at, clock, 'when it runs');
    if (problem) return { problem };
    candidate = { kind, at: draft.at };
  } else if (kind === 'while_active') {
    candidate = { kind };
  } else {
    const problem = momentProblem(draft.from, clock, 'when it starts');
    if (problem) return { problem };
    if (kind === 'schedule') {
      const read = draftSchedule(draft);
      if ('problem' in read) return read;
      candidate = { kind, schedule: read.text };
    } else {
      if (draft.eventType.trim() === '') return { problem: 'Choose the event type that starts it.' };
      if (kind === 'trigger') {
        const delay = wholeNumber(draft.delay);
        if (Number.isNaN(delay)) return { problem: 'The delay is a whole number (0 sends at once).' };
        candidate = { kind, eventType: draft.eventType.trim(), delayMinutes: delay * DELAY_UNITS[draft.delayUnit] };
      } else {
        const days = wholeNumber(draft.days);
        if (Number.isNaN(days)) return { problem: 'The length is a whole number of days.' };
        candidate = { kind, eventType: draft.eventType.trim(), days };
      }
    }
  }
  // The contract's schema holds the limits (event type length, longest delay, days).
  const parsed = ActivityTiming.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? '');
    const bound = issue && 'maximum' in issue ? Number(issue.maximum) : issue && 'minimum' in issue ? Number(issue.minimum) : null;
    const limit = issue?.code === 'too_big' ? `at most ${bound === null ? '' : formatLimit(field, bound)}` : `at least ${bound === null ? '' : formatLimit(field, bound)}`;
    return { problem: `${FIELD_NAMES[field] ?? 'The timing'} is out of range: ${limit}.` };
  }
  const timing = parsed.data;
  const from = kind === 'once' || kind === 'while_active' || draft.from === clock ? undefined : draft.from;
  const words = `${describeTiming(timing)}${from ? `, from ${formatClock(from)}` : ''}.`;
  return from ? { timing, from, words } : { timing, words };
}

const FIELD_NAMES: Readonly<Record<string, string>> = { eventType: 'The event type', delayMinutes: 'The delay', days: 'The length' };

function formatLimit(field: string, bound: number): string {
  if (field === 'delayMinutes') return describeDelay(bound);
  if (field === 'days') return countOf(bound, 'day');
  if (field === 'eventType') return `${formatCount(bound)} characters`;
  return formatCount(bound);
}
