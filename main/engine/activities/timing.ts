/**
 * How a launched activity runs on the project clock (the guide: activating a campaign does
 * not start its activities; an activity is launched, now or at a time, and then runs by its
 * type). The timing each type takes, launching and stopping, and when it runs next. The
 * clock (main/engine/clock/advance.ts) runs what falls due.
 */
import { ACTIVITY_TYPE_LABELS } from '../../../shared/contract/activities';
import type { ActivityTiming } from '../../../shared/contract/clock';
import { EngineError } from '../../../shared/contract/errors';
import { formatClock, lowerFirst } from '../../../shared/format';
import { nextDue, parseSchedule, printSchedule } from '../../../shared/domain/schedule';
import { describeTiming, scheduleOf, TIMING_OF_TYPE } from '../../../shared/domain/activity-timing';
import { readMeta } from '../project/project-file';
import type { SqlDb } from '../sqlite/database';
import type { StoredActivity } from './repository';

const refuse = (reason: string, details?: Record<string, unknown>): never => {
  throw new EngineError('REFUSED', reason, details);
};

/** The timing as stored: a regular mailing's schedule in its canonical text. Refused when it does not fit the type. */
export function checkTiming(activity: StoredActivity, timing: ActivityTiming, clock: string): ActivityTiming {
  const wanted = TIMING_OF_TYPE[activity.type];
  const label = ACTIVITY_TYPE_LABELS[activity.type].toLowerCase();
  if (timing.kind !== wanted) {
    const how: Record<ActivityTiming['kind'], string> = {
      once: 'once at a time',
      schedule: 'on a schedule',
      trigger: 'on each event of a type, with an optional delay',
      scenario: 'on events of a type, holding profiles for a number of days',
      while_active: 'while it is active, with no time to give',
    };
    return refuse(`"${activity.name}" is a ${label}: it runs ${how[wanted]}.`, { activityId: activity.id, timing: timing.kind });
  }
  if (timing.kind === 'once' && timing.at < clock) {
    return refuse(`${formatClock(timing.at)} is before the project clock (${formatClock(clock)}): launch "${activity.name}" now or at a later time.`, { at: timing.at });
  }
  if (timing.kind === 'schedule') {
    const reading = parseSchedule(timing.schedule);
    if (!reading.ok) return refuse(`The schedule "${timing.schedule}" does not read: ${reading.problem}`, { schedule: timing.schedule, at: reading.at });
    return { kind: 'schedule', schedule: printSchedule(reading.schedule) };
  }
  return timing;
}

/**
 * Launches an activity: from `from` (default: the clock) it runs by its timing. Refused for
 * an activity outside a campaign, a completed one, one already launched and still running,
 * or a timing that does not fit its type. Nothing runs here: the clock runs what falls due
 * (a broadcast at the clock's own time runs on the next advance, or by "Run now").
 */
export function launchActivity(db: SqlDb, activity: StoredActivity, asked: ActivityTiming, from: string | undefined): void {
  const clock = readMeta(db).clock;
  if (activity.campaignId === null) refuse(`"${activity.name}" is in the external list: attach it to a campaign to launch it.`, { activityId: activity.id });
  if (activity.status === 'completed') refuse(`"${activity.name}" is completed and runs no more.`, { activityId: activity.id });
  const campaign = db.get<{ status: string; deleted_at: string | null }>('SELECT status, deleted_at FROM campaigns WHERE id = ?', [activity.campaignId]);
  if (!campaign || campaign.deleted_at !== null || campaign.status === 'completed') refuse(`The campaign of "${activity.name}" is completed: its activities run no more.`);
  if (activity.timing !== null && activity.launchAt !== null) {
    refuse(`"${activity.name}" is already launched (${lowerFirst(describeTiming(activity.timing))}). Stop it first to launch it with other settings.`, { activityId: activity.id });
  }
  const start = asked.kind === 'once' ? asked.at : (from ?? clock);
  if (start < clock) refuse(`${formatClock(start)} is before the project clock (${formatClock(clock)}): launch "${activity.name}" now or later.`, { from: start });
  const timing = checkTiming(activity, asked, clock);
  db.run("UPDATE activities SET timing = ?, launch_at = ?, done_until = ?, status = CASE status WHEN 'inactive' THEN 'active' ELSE status END WHERE id = ?", [
    JSON.stringify(timing),
    start,
    start,
    activity.id,
  ]);
}

/**
 * Stops a launched activity: it runs no more on the clock (it may be launched again, with
 * other settings); a scenario lets the profiles it holds go. Its runs stay.
 */
export function stopActivity(db: SqlDb, activity: StoredActivity): void {
  if (activity.timing === null || activity.launchAt === null) refuse(`"${activity.name}" is not launched: there is nothing to stop.`, { activityId: activity.id });
  if (activity.status === 'completed') refuse(`"${activity.name}" is completed already.`, { activityId: activity.id });
  const clock = readMeta(db).clock;
  db.run("UPDATE scenario_holds SET ended = ?, reason = 'stopped' WHERE activity_id = ? AND ended IS NULL", [clock, activity.id]);
  db.run("UPDATE activities SET timing = NULL, launch_at = NULL, done_until = NULL, status = CASE launched WHEN 1 THEN status ELSE 'inactive' END WHERE id = ?", [activity.id]);
}

/** When a launched activity runs next on the clock; null when it runs on events, by hand, or no more. */
export function nextRunOf(db: SqlDb, activity: StoredActivity): string | null {
  const { timing, launchAt } = activity;
  if (timing === null || launchAt === null || activity.status === 'completed') return null;
  const clock = readMeta(db).clock;
  if (timing.kind === 'once') return oncePending(db, activity) ? (timing.at < clock ? clock : timing.at) : null;
  const schedule = scheduleOf(timing);
  if (!schedule) return null;
  return nextDue(schedule, launchAt > clock ? launchAt : clock, launchAt);
}

/** A launched broadcast or A/B test that has not had its run on the clock yet (a run by hand does not count). */
export function oncePending(db: SqlDb, activity: StoredActivity): boolean {
  if (activity.timing?.kind !== 'once' || activity.launchAt === null || activity.status === 'completed') return false;
  return db.scalar("SELECT 1 FROM activity_runs WHERE activity_id = ? AND kind IN ('launch', 'schedule') AND clock >= ? LIMIT 1", [activity.id, activity.launchAt]) === undefined;
}

/** Profiles a scenario holds now. */
export function holdingNow(db: SqlDb, activityId: number): number {
  return Number(db.scalar('SELECT COUNT(*) FROM scenario_holds WHERE activity_id = ? AND ended IS NULL', [activityId]) ?? 0);
}
