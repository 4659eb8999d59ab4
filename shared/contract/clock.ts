/**
 * The project clock runs the plan (issue 11): advancing it runs, in time order, everything
 * that falls due on the way (updatable segments' recalculations and the campaigns that
 * follow them, delayed activations, activities by their own timing), each at its own time.
 * `clock/plan` says what an advance would run before it does; `clock/agenda` what is
 * scheduled next; `campaign/timeline` a campaign's audience over time with its runs.
 */
import { z } from 'zod';
import { ClockTime } from './common';
import { Id } from './databases';
import { method } from './method';
import { MAX_EVENT_TYPE } from './profile-events';

/** Longest an advance may cover in one call, in steps (a year of hours, with room). */
export const MAX_ADVANCE_STEPS = 10_000;

/**
 * A step of an advance: the clock stops after each one (a report per step). `1h`, `6h`,
 * `1d`, `1w`, or any count of minutes (m), hours (h), days (d) or weeks (w), from 1 minute
 * to 52 weeks.
 */
export const ClockStep = z
  .string()
  .trim()
  .regex(/^\d{1,6}[mhdw]$/, 'Write a step as a count and a unit: 30m, 1h, 1d or 1w.')
  .refine((s) => {
    const minutes = stepMinutes(s);
    return minutes >= 1 && minutes <= 52 * 7 * 24 * 60;
  }, 'A step is from 1 minute to 52 weeks.');

const UNIT_MINUTES: Readonly<Record<string, number>> = { m: 1, h: 60, d: 24 * 60, w: 7 * 24 * 60 };

/** The minutes of a step such as "1d" (NaN when it is not one). */
export function stepMinutes(step: string): number {
  const match = /^(\d{1,6})([mhdw])$/.exec(step.trim());
  return match ? Number(match[1]) * UNIT_MINUTES[match[2]!]! : Number.NaN;
}

/**
 * How a launched activity runs by its type (the guide): a broadcast or an A/B test once at
 * its time; a regular mailing on its schedule (shared/domain/schedule.ts: daily, weekly on
 * weekdays, monthly, every N hours); a triggered mailing for each event of its trigger type
 * while it is active (recipients as of the event's time, once per event, sent after the
 * delay); a scenario takes profiles in on its trigger and holds them for `days`; a
 * placement is shown to the Test group while it is active (a run when launched and after
 * each change of the campaign's audience).
 */
export const ActivityTiming = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('once'), at: ClockTime }),
  z.strictObject({ kind: z.literal('schedule'), schedule: z.string().trim().min(1).max(100) }),
  z.strictObject({ kind: z.literal('trigger'), eventType: z.string().trim().min(1).max(MAX_EVENT_TYPE), delayMinutes: z.number().int().min(0).max(365 * 24 * 60) }),
  z.strictObject({ kind: z.literal('scenario'), eventType: z.string().trim().min(1).max(MAX_EVENT_TYPE), days: z.number().int().min(1).max(3650) }),
  z.strictObject({ kind: z.literal('while_active') }),
]);
export type ActivityTiming = z.infer<typeof ActivityTiming>;

/** Why an activity run happened. */
export const RUN_KINDS = ['manual', 'launch', 'schedule', 'trigger', 'scenario', 'audience_change'] as const;
export const RunKind = z.enum(RUN_KINDS);
export type RunKind = z.infer<typeof RunKind>;

/** One thing that happened (or will happen) on the clock. */
export const CLOCK_ITEM_KINDS = [
  'recalculation',
  'activation',
  'activity_run',
  'trigger_run',
  'scenario_entries',
  'scenario_ends',
  'placement',
  'skipped',
] as const;
export const ClockItemKind = z.enum(CLOCK_ITEM_KINDS);
export type ClockItemKind = z.infer<typeof ClockItemKind>;

export const ClockItem = z.object({
  /** When it falls (fell) due; for events-driven items, the end of the stretch they cover. */
  at: ClockTime,
  kind: ClockItemKind,
  /** For people: "Recalculate "Buyers, last 7 days"", "Weekly digest (regular mailing)". */
  title: z.string(),
  campaignId: Id.nullable(),
  activityId: Id.nullable(),
  segmentId: Id.nullable(),
  /**
   * A count where it is known: planned — the events that will trigger, the segment's current
   * size; done — the recipients or the profiles that changed. Null when not known ahead.
   */
  count: z.number().int().nullable(),
  /** What it did, or will do: "Test 812, LCG 0 reached; 45 left out (LCG 40, unsubscribed 5)". */
  detail: z.string(),
});
export type ClockItem = z.infer<typeof ClockItem>;

/** How one campaign changed during a step. */
export const CampaignStepChange = z.object({
  campaignId: Id,
  name: z.string(),
  test: z.number().int(),
  control: z.number().int(),
  joined: z.number().int(),
  left: z.number().int(),
});
export type CampaignStepChange = z.infer<typeof CampaignStepChange>;

export const ClockStepReport = z.object({
  from: ClockTime,
  to: ClockTime,
  /** What ran, in time order. */
  items: z.array(ClockItem),
  /** Campaigns whose audience changed in the step, with their sizes at its end. */
  campaigns: z.array(CampaignStepChange),
});
export type ClockStepReport = z.infer<typeof ClockStepReport>;

export const ClockAdvanceResult = z.object({
  from: ClockTime,
  clock: ClockTime,
  steps: z.array(ClockStepReport),
});
export type ClockAdvanceResult = z.infer<typeof ClockAdvanceResult>;

export const AgendaItem = z.object({
  /** When it falls due next; null for what runs on events (a triggered mailing, a scenario's entries). */
  at: ClockTime.nullable(),
  kind: ClockItemKind,
  title: z.string(),
  campaignId: Id.nullable(),
  activityId: Id.nullable(),
  segmentId: Id.nullable(),
  /** "Every Monday at 10:00", "On each purchase, 2 hours later", "Holds 214 profiles until ...". */
  detail: z.string(),
});
export type AgendaItem = z.infer<typeof AgendaItem>;

export const TimelinePoint = z.object({
  clock: ClockTime,
  test: z.number().int(),
  control: z.number().int(),
  /** Profiles that joined / left the campaign at this moment. */
  joined: z.number().int(),
  left: z.number().int(),
});
export type TimelinePoint = z.infer<typeof TimelinePoint>;

export const TimelineRun = z.object({
  runId: Id,
  activityId: Id,
  name: z.string(),
  type: z.string(),
  kind: RunKind,
  clock: ClockTime,
  test: z.number().int(),
  control: z.number().int(),
});
export type TimelineRun = z.infer<typeof TimelineRun>;

export const clockMethods = {
  'clock/plan': method({
    doc: 'What advancing the clock to a time would run on the way, in time order, with counts where they are known.',
    args: z.strictObject({ to: ClockTime }),
    result: z.object({ from: ClockTime, to: ClockTime, items: z.array(ClockItem), truncated: z.boolean() }),
  }),
  'clock/advance': method({
    doc: 'Move the project clock forward, in steps if asked; everything that falls due on the way runs in time order. Cancelled, nothing changes.',
    args: z.strictObject({ to: ClockTime, step: ClockStep.optional() }),
    result: ClockAdvanceResult,
    mutates: true,
    long: true,
  }),
  'clock/agenda': method({
    doc: 'What is scheduled next, across segments, campaigns and activities, in time order.',
    args: z.strictObject({ limit: z.number().int().min(1).max(1000).default(100) }),
    result: z.object({ clock: ClockTime, items: z.array(AgendaItem) }),
  }),
  'campaign/timeline': method({
    doc: "A campaign's audience over time (Test, LCG, joined, left at each moment it changed) and its activities' runs.",
    args: z.strictObject({ campaignId: Id }),
    result: z.object({ points: z.array(TimelinePoint), runs: z.array(TimelineRun) }),
  }),
} as const;
