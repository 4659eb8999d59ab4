/**
 * How a launched activity runs on the project clock, for people and for every caller (the
 * engine's refusals and agenda, the CLI, the app's Launch dialog): the kind of timing each
 * type takes, and the timing and a delay in words.
 */
import type { ActivityType } from '../contract/activities';
import type { ActivityTiming, RunKind } from '../contract/clock';
import { formatClock } from '../format';
import { describeSchedule, parseSchedule, type Schedule } from './schedule';

/** The kind of timing each type of activity takes. */
export const TIMING_OF_TYPE: Readonly<Record<ActivityType, ActivityTiming['kind']>> = {
  broadcast: 'once',
  ab_test: 'once',
  regular_mailing: 'schedule',
  triggered_mailing: 'trigger',
  scenario: 'scenario',
  placement: 'while_active',
};

/** The schedule of a regular mailing's timing; null when the stored text does not read (a file from elsewhere). */
export function scheduleOf(timing: ActivityTiming): Schedule | null {
  if (timing.kind !== 'schedule') return null;
  const reading = parseSchedule(timing.schedule);
  return reading.ok ? reading.schedule : null;
}

/** For people: "Once at 10 Apr 2023, 10:00", "Every Monday at 10:00", "On each purchase, 2 hours later". */
export function describeTiming(timing: ActivityTiming): string {
  switch (timing.kind) {
    case 'once':
      return `Once at ${formatClock(timing.at)}`;
    case 'schedule': {
      const schedule = scheduleOf(timing);
      return schedule ? describeSchedule(schedule) : `On the schedule "${timing.schedule}"`;
    }
    case 'trigger':
      return `On each ${timing.eventType} event${timing.delayMinutes > 0 ? `, ${describeDelay(timing.delayMinutes)} later` : ''}`;
    case 'scenario':
      return `Takes in profiles on each ${timing.eventType} event and holds them ${timing.days} day${timing.days === 1 ? '' : 's'}`;
    case 'while_active':
      return 'Shown to the Test group while active';
  }
}

/** 90 → "1 hour 30 minutes"; 2880 → "2 days". */
export function describeDelay(minutes: number): string {
  const parts: string[] = [];
  const units: [number, string][] = [
    [24 * 60, 'day'],
    [60, 'hour'],
    [1, 'minute'],
  ];
  let rest = minutes;
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return parts.length === 0 ? 'no time' : parts.join(' ');
}

/** Why an activity run happened, for people (the runs list, the timeline). */
export const RUN_KIND_LABELS: Readonly<Record<RunKind, string>> = {
  manual: 'By hand',
  launch: 'At launch',
  schedule: 'On schedule',
  trigger: 'On events',
  scenario: 'Scenario entries',
  audience_change: 'After an audience change',
};
