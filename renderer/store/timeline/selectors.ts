import { RUN_KIND_LABELS } from '../../../shared/domain/activity-timing';
import { ACTIVITY_TYPE_LABELS, ActivityType } from '../../../shared/contract/index';
import type { TimelinePoint, TimelineRun } from '../../../shared/contract/clock';
import { formatCount } from '../../../shared/format';
import { clockAtMinutes, clockMinutes } from '../../../shared/domain/clock';
import type { AppState } from '../types';
import type { TimelineMomentState, TimelineState } from './slice';

export const selectTimeline =
  (campaignId: number) =>
  (state: AppState): TimelineState | null =>
    state.timeline?.campaignId === campaignId ? state.timeline : null;

export const selectTimelineMoment =
  (campaignId: number) =>
  (state: AppState): TimelineMomentState | null =>
    state.timelineMoment?.campaignId === campaignId ? state.timelineMoment : null;


/** "Regular mailing" for a stored type the app knows; the stored text otherwise. */
export function activityTypeLabel(type: string): string {
  const known = ActivityType.safeParse(type);
  return known.success ? ACTIVITY_TYPE_LABELS[known.data] : type;
}

/** "Test 812, LCG 0 reached". */
export const reachText = (run: TimelineRun) => `Test ${formatCount(run.test)}, LCG ${formatCount(run.control)} reached`;

/** "Weekly digest (Regular mailing), on its schedule: Test 812, LCG 0 reached". */
export const runText = (run: TimelineRun) => `${run.name} (${activityTypeLabel(run.type)}), ${RUN_KIND_LABELS[run.kind].toLowerCase()}: ${reachText(run)}`;

/** One moment of a campaign's time: its audience then, who joined and left, what ran. */
export interface TimelineMoment {
  readonly clock: string;
  readonly test: number;
  readonly control: number;
  readonly joined: number;
  readonly left: number;
  readonly runs: readonly TimelineRun[];
  /** The audience changed at this moment (a point of the timeline); false: only runs happened. */
  readonly changed: boolean;
}

/**
 * Every moment something happened, oldest first: the timeline's points and the times of its
 * runs. The sizes hold from one point to the next, so a moment with runs only has the sizes
 * of the point before it.
 */
export function timelineMoments(points: readonly TimelinePoint[], runs: readonly TimelineRun[]): TimelineMoment[] {
  const byClock = new Map<string, TimelinePoint>(points.map((p) => [p.clock, p]));
  const runsAt = new Map<string, TimelineRun[]>();
  for (const run of runs) runsAt.set(run.clock, [...(runsAt.get(run.clock) ?? []), run]);
  const clocks = [...new Set([...byClock.keys(), ...runsAt.keys()])].sort();
  let sizes = { test: 0, control: 0 };
  return clocks.map((clock) => {
    const point = byClock.get(clock);
    if (point) sizes = { test: point.test, control: point.control };
    return { clock, ...sizes, joined: point?.joined ?? 0, left: point?.left ?? 0, runs: runsAt.get(clock) ?? [], changed: point !== undefined };
  });
}

/** Milliseconds of a naive project-clock time, read as UTC (no zone, no daylight saving): a position on a time axis. */
export const clockMs = (clock: string) => clockMinutes(clock) * 60_000;

/** The project-clock time at a position of the time axis. */
export const msClock = (ms: number) => clockAtMinutes(Math.floor(ms / 60_000));

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 24 * 60 * 60 * 1000;

/** A time-axis tick: "17 Apr" over weeks, "17 Apr 10:00" within a few days, with the year when the span crosses one. */
export function axisTickText(ms: number, spanMs: number, crossesYear: boolean): string {
  const d = new Date(ms);
  const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${crossesYear ? ` ${d.getUTCFullYear()}` : ''}`;
  return spanMs <= 3 * DAY_MS ? `${day} ${d.toISOString().slice(11, 16)}` : day;
}

/** The time axis's range: the first to the last moment (and the clock now), padded so marks at either end show whole. */
export function timeDomain(clocks: readonly string[]): [number, number] {
  const times = clocks.map(clockMs);
  const min = Math.min(...times);
  const max = Math.max(...times);
  const pad = max === min ? DAY_MS : (max - min) * 0.03;
  return [min - pad, max + pad];
}

const HOUR_MS = 60 * 60 * 1000;
/** Tick spacings a time axis may use, shortest first. */
const TICK_STEPS = [HOUR_MS, 3 * HOUR_MS, 6 * HOUR_MS, 12 * HOUR_MS, DAY_MS, 2 * DAY_MS, 7 * DAY_MS, 14 * DAY_MS, 28 * DAY_MS, 91 * DAY_MS, 364 * DAY_MS];
/** 1970-01-01 was a Thursday: weekly ticks fall on Mondays, 4 days on. */
const MONDAY_MS = 4 * DAY_MS;

/**
 * Ticks for a time axis over `domain`: at most `max`, on whole hours, midnights, or Mondays
 * for a week or more apart.
 */
export function timeTicks(domain: readonly [number, number], max = 8): number[] {
  const [from, to] = domain;
  const step = TICK_STEPS.find((s) => (to - from) / s <= max) ?? TICK_STEPS[TICK_STEPS.length - 1]!;
  const anchor = step >= 7 * DAY_MS ? MONDAY_MS : 0;
  const first = Math.ceil((from - anchor) / step) * step + anchor;
  const ticks: number[] = [];
  for (let t = first; t <= to; t += step) ticks.push(t);
  return ticks;
}
