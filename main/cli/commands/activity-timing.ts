/**
 * `cplan activity launch|stop` and how a launched activity runs on the clock, in words:
 * the options each activity type takes (--at, --schedule, --trigger with --delay or
 * --days, nothing for a placement), read into the contract's ActivityTiming.
 */
import { ACTIVITY_TYPE_LABELS, type Activity, type ActivityRun, type ActivityType } from '../../../shared/contract/activities';
import { ActivityTiming, stepMinutes } from '../../../shared/contract/clock';
import { isClockTime } from '../../../shared/domain/clock';
import { formatClock, formatCount, lowerFirst } from '../../../shared/format';
import { describeDelay, describeTiming, RUN_KIND_LABELS, TIMING_OF_TYPE } from '../../../shared/domain/activity-timing';
import type { CliEngine } from '../cli-engine';
import { UsageError, type CommandOutput } from '../command';
import { integerOption, plural, requiredOption, stringOption, type Action, type ActionContext, type Values } from './plan-args';
import { scheduleOption } from './segment-types';

/** The options of `activity launch` that say when it runs. */
export const TIMING_OPTIONS = ['at', 'schedule', 'trigger', 'delay', 'days', 'from'] as const;
type TimingOption = (typeof TIMING_OPTIONS)[number];

/** The options of each kind of timing (the kind of each type is the engine's TIMING_OF_TYPE), and what they are for, for messages. */
const KIND_OPTIONS: Readonly<Record<ActivityTiming['kind'], { options: readonly TimingOption[]; how: string }>> = {
  once: { options: ['at'], how: 'runs once, at a time: give --at TIME' },
  schedule: { options: ['schedule', 'from'], how: "runs on a schedule: give --schedule 'weekly mon 10:00'" },
  trigger: { options: ['trigger', 'delay', 'from'], how: 'runs on each event of a type: give --trigger TYPE (and --delay 2h to send later)' },
  scenario: { options: ['trigger', 'days', 'from'], how: 'takes profiles in on each event of a type and holds them: give --trigger TYPE --days N' },
  while_active: { options: ['from'], how: 'is shown to the Test group while it is active: it takes no timing options' },
};

/** The limits of the contract's own schema (shared/contract/clock.ts), so they have one home. */
const TRIGGER_SHAPE = ActivityTiming.options.find((o) => o.shape.kind.value === 'trigger')!.shape as { delayMinutes: { maxValue: number | null } };
const SCENARIO_SHAPE = ActivityTiming.options.find((o) => o.shape.kind.value === 'scenario')!.shape as { days: { maxValue: number | null } };

/** --at TIME or --from TIME: a clock time, or "now" (the project clock). */
function timeOption(values: Values, name: 'at' | 'from', clock: string): string | undefined {
  const text = stringOption(values, name)?.trim();
  if (text === undefined) return undefined;
  if (/^now$/i.test(text)) return clock;
  if (!isClockTime(text)) throw new UsageError(`--${name} must be a date-time like 2026-04-10T10:00 (or now), not "${text}"`);
  return text;
}

/** --delay 2h: a count and a unit (m, h, d, w), as a step of the clock is written. */
function delayOption(values: Values): number {
  const text = stringOption(values, 'delay');
  if (text === undefined) return 0;
  const minutes = stepMinutes(text);
  if (Number.isNaN(minutes)) throw new UsageError(`--delay must be a count and a unit, such as 30m, 2h or 1d, not "${text}"`);
  const max = TRIGGER_SHAPE.delayMinutes.maxValue ?? Infinity;
  if (minutes > max) throw new UsageError(`--delay can be at most ${describeDelay(max)}, not "${text}"`);
  return minutes;
}

/**
 * The timing `activity launch` gives an activity of `type`, from its options; an option
 * the type does not take, or a missing one, is a usage error naming the type. `clock` is
 * the project clock ("now").
 */
export function timingFromOptions(type: ActivityType, values: Values, clock: string): { timing: ActivityTiming; from?: string } {
  const label = ACTIVITY_TYPE_LABELS[type];
  const kind = TIMING_OF_TYPE[type];
  const { options, how } = KIND_OPTIONS[kind];
  for (const option of TIMING_OPTIONS) {
    if (values[option] !== undefined && !options.includes(option)) throw new UsageError(`--${option} does not go with a ${label.toLowerCase()}: it ${how}`);
  }
  const need = (option: TimingOption, what: string) => {
    if (values[option] === undefined) throw new UsageError(`a ${label.toLowerCase()} ${how}; --${option} ${what} is missing`);
  };
  const from = timeOption(values, 'from', clock);
  const start = from === undefined ? {} : { from };
  switch (kind) {
    case 'once':
      need('at', 'TIME');
      return { timing: { kind, at: timeOption(values, 'at', clock)! } };
    case 'schedule':
      need('schedule', 'WHEN');
      return { timing: { kind, schedule: scheduleOption(values)! }, ...start };
    case 'trigger':
      need('trigger', 'TYPE');
      return { timing: { kind, eventType: requiredOption(values, 'trigger', 'TYPE'), delayMinutes: delayOption(values) }, ...start };
    case 'scenario': {
      need('trigger', 'TYPE');
      need('days', 'N');
      const days = integerOption(values, 'days', 1)!;
      const max = SCENARIO_SHAPE.days.maxValue ?? Infinity;
      if (days > max) throw new UsageError(`--days can be at most ${formatCount(max)}, not ${days}`);
      return { timing: { kind, eventType: requiredOption(values, 'trigger', 'TYPE'), days }, ...start };
    }
    case 'while_active':
      return { timing: { kind }, ...start };
  }
}

/** The Timing column of `activity list`: "once", "weekly mon 10:00", "on purchase +2 hours", "on purchase, 30 days", "while active". */
export function timingShort(timing: ActivityTiming): string {
  switch (timing.kind) {
    case 'once':
      return 'once';
    case 'schedule':
      return timing.schedule;
    case 'trigger':
      return `on ${timing.eventType}${timing.delayMinutes === 0 ? '' : ` +${describeDelay(timing.delayMinutes)}`}`;
    case 'scenario':
      return `on ${timing.eventType}, ${plural(timing.days, 'day')}`;
    case 'while_active':
      return 'while active';
  }
}

/** The lines of `activity show` about the clock: timing, launch, next run, profiles held. */
export function clockLines(activity: Activity): string[] {
  if (activity.timing === null) return ['  timing      not launched: it runs only by hand (activity run) until it is launched'];
  const lines = [`  timing      ${lowerFirst(describeTiming(activity.timing))}${activity.timing.kind === 'schedule' ? ` (${activity.timing.schedule})` : ''}`];
  if (activity.launchAt !== null) lines.push(`  launched    ${formatClock(activity.launchAt)}`);
  const next = activity.nextRun !== null ? formatClock(activity.nextRun) : activity.timing.kind === 'trigger' || activity.timing.kind === 'scenario' ? 'on each event' : 'none';
  lines.push(`  next run    ${next}`);
  if (activity.type === 'scenario') lines.push(`  holding     ${plural(activity.holding, 'profile')}`);
  return lines;
}

/** "on events 2023-04-09 12:00 to 2023-04-10 10:00, 3 messages" */
export function runClockText(run: ActivityRun): string {
  const parts = [lowerFirst(RUN_KIND_LABELS[run.kind])];
  if (run.window !== null) parts[0] += ` ${run.window.from.replace('T', ' ')} to ${run.window.to.replace('T', ' ')}`;
  parts.push(plural(run.messages, 'message'));
  return parts.join(', ');
}

/**
 * `activity launch` and `activity stop`, for the activity command: `onActivity` makes an
 * action on its ACTIVITY argument, `describe` says what the activity is now.
 */
export function launchActions(
  onActivity: (run: (context: ActionContext, activity: Activity) => Promise<CommandOutput>, options?: readonly string[], args?: string) => Action,
  describe: (engine: CliEngine, activity: Activity) => Promise<string>,
): Record<string, Action> {
  return {
    launch: onActivity(
      async (context, activity) => {
        const { engine, values } = context;
        const state = await engine.call('project/state', {});
        const { timing, from } = timingFromOptions(activity.type, values, state.open ? state.clock : '');
        const launched = await engine.call('activity/launch', { activityId: activity.id, timing, ...(from === undefined ? {} : { from }) });
        await context.save();
        const label = ACTIVITY_TYPE_LABELS[launched.type].toLowerCase();
        const waits = launched.notRunning === null ? '' : ` Nothing runs yet: ${lowerFirst(launched.notRunning)}`;
        return { data: launched, text: `Launched the ${label} "${launched.name}": ${lowerFirst(describeTiming(launched.timing ?? timing))}.${waits}\n\n${await describe(engine, launched)}` };
      },
      TIMING_OPTIONS,
      'ACTIVITY [--at TIME | --schedule WHEN | --trigger TYPE [--delay D | --days N]] [--from TIME]',
    ),
    stop: onActivity(async (context, activity) => {
      const stopped = await context.engine.call('activity/stop', { activityId: activity.id });
      await context.save();
      return { data: stopped, text: `Stopped the ${ACTIVITY_TYPE_LABELS[stopped.type].toLowerCase()} "${stopped.name}": it runs no more.\n\n${await describe(context.engine, stopped)}` };
    }),
  };
}
