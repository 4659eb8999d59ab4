/**
 * What falls due on the project clock, read from the file: updatable segments'
 * recalculations (their schedules), delayed activations, and launched activities (a
 * broadcast or A/B test once at its time, a regular mailing on its schedule; those that run
 * on events have no time of their own). The advance, its plan and the agenda all read it
 * here, so they agree on what runs when.
 */
import { parseSchedule, nextDue } from '../../../shared/domain/schedule';
import { isClockTime } from '../../../shared/domain/clock';
import { findActivity, type StoredActivity } from '../activities/repository';
import { oncePending } from '../activities/timing';
import { scheduleOf } from '../../../shared/domain/activity-timing';
import type { SqlDb } from '../sqlite/database';

export interface DueRecalculation {
  readonly segmentId: number;
  readonly name: string;
  readonly schedule: ReturnType<typeof parseSchedule> & { ok: true };
  readonly anchor: string;
}

/** Updatable segments with a schedule that reads (a file from elsewhere may hold one that does not: it never runs). */
export function scheduledSegments(db: SqlDb): DueRecalculation[] {
  const rows = db.all<{ id: number; name: string; schedule: string | null; schedule_anchor: string | null }>(
    "SELECT id, name, schedule, schedule_anchor FROM segments WHERE kind = 'updatable' ORDER BY id",
  );
  const found: DueRecalculation[] = [];
  for (const row of rows) {
    if (row.schedule === null || row.schedule_anchor === null || !isClockTime(String(row.schedule_anchor))) continue;
    const schedule = parseSchedule(String(row.schedule));
    if (schedule.ok) found.push({ segmentId: Number(row.id), name: String(row.name), schedule, anchor: String(row.schedule_anchor) });
  }
  return found;
}

/** When a segment is recalculated next after `after`. */
export const nextRecalculationAfter = (segment: DueRecalculation, after: string): string => nextDue(segment.schedule.schedule, after, segment.anchor);

/** Launched activities of campaigns that are not completed or deleted, that have not been stopped. */
export function launchedActivities(db: SqlDb): StoredActivity[] {
  const ids = db.all<{ id: number }>(
    `SELECT a.id FROM activities a JOIN campaigns c ON c.id = a.campaign_id
      WHERE a.timing IS NOT NULL AND a.launch_at IS NOT NULL AND a.status <> 'completed' AND c.status <> 'completed' AND c.deleted_at IS NULL
      ORDER BY a.id`,
  );
  return ids.map((r) => findActivity(db, Number(r.id))).filter((a): a is StoredActivity => a !== null && a.timing !== null && a.launchAt !== null);
}

/**
 * When a launched activity runs next after `after` by its own time (null: it runs on events,
 * or no more). A broadcast planned for a time already passed (its campaign was not active
 * then) is due at once: it runs as soon as its campaign is.
 */
export function activityDueAfter(db: SqlDb, activity: StoredActivity, after: string): string | null {
  const { timing, launchAt } = activity;
  if (timing === null || launchAt === null) return null;
  if (timing.kind === 'once') return oncePending(db, activity) ? timing.at : null;
  const schedule = scheduleOf(timing);
  if (!schedule) return null;
  return nextDue(schedule, launchAt > after ? launchAt : after, launchAt);
}

/** Delayed activations planned up to `to`, in time order (ties by campaign id). */
export function activationsUpTo(db: SqlDb, to: string): { campaignId: number; at: string }[] {
  return db
    .all<{ campaign_id: number; at: string }>('SELECT campaign_id, at FROM scheduled_activations WHERE at <= ? ORDER BY at, campaign_id', [to])
    .map((r) => ({ campaignId: Number(r.campaign_id), at: String(r.at) }));
}

/** The next activation after `after`, if any. */
export function nextActivationAfter(db: SqlDb, after: string): string | null {
  const at = db.scalar('SELECT MIN(at) FROM scheduled_activations WHERE at > ?', [after]);
  return typeof at === 'string' ? at : null;
}
