/**
 * Activities that run on profile events, for a stretch of the clock in which nothing else
 * changes the campaign (the clock cuts its advance at every recalculation, activation and
 * scheduled run, so the members during a stretch are the members now):
 *
 * - a triggered mailing reaches, for each event of its trigger type in the stretch, the
 *   event's profile if the activity would reach it now (a campaign member, in Test unless it
 *   ignores the LCG, in the activity's own segment, subscribed unless transactional): one
 *   message per event, sent `delayMinutes` after the event; one run per stretch records the
 *   recipients (with their message counts) and who the events' profiles left out, and why;
 * - a scenario takes in, on its trigger, the profiles it would reach that it does not hold,
 *   from their first such event, for `days` days; holds end when their time is up (or when
 *   the profile leaves the campaign: holds.ts). One run per stretch records who entered.
 *
 * Events are read "as of" the clock (events/clock.ts): those of the stretch are the events
 * after the clock's minute at its start, up to the minute at its end.
 */
import { ACTIVITY_TYPE_LABELS } from '../../../shared/contract/activities';
import type { ActivityTiming } from '../../../shared/contract/clock';
import { formatCount } from '../../../shared/format';
import { leftOutText } from '../../../shared/domain/left-out';
import { recordEvent } from '../campaigns/events';
import { profileTable } from '../databases/profile-table';
import { clockLimit } from '../events/clock';
import { eventsTable } from '../events/table';
import type { SqlDb } from '../sqlite/database';
import type { CampaignInfo, StoredActivity } from './repository';
import { countLeftOut, markRan, reachSql } from './run';

/**
 * The profiles of a stretch's trigger events (ours; emptied for each activity). The queries
 * start from it (CROSS JOIN keeps it the outer loop: a lookup per event's profile, not a
 * scan of the campaign's members for each stretch).
 */
const TRIGGERED = 'temp.clock_triggered';

export interface EventRunResult {
  readonly runId: number | null;
  /** Profiles reached (entered, for a scenario), per group. */
  readonly test: number;
  readonly control: number;
  /** Messages: events answered (triggered mailing) or profiles taken in (scenario). */
  readonly messages: number;
  /** Events of the trigger type in the stretch, reached or not. */
  readonly events: number;
  readonly text: string;
}

/** Collects the trigger events of the stretch (from, to] per profile into TRIGGERED. */
function collectTriggers(db: SqlDb, campaign: CampaignInfo, eventType: string, from: string, to: string): number {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS clock_triggered (profile_key INTEGER PRIMARY KEY, events INTEGER NOT NULL, first_at TEXT NOT NULL); DELETE FROM ${TRIGGERED};`);
  db.run(
    `INSERT INTO ${TRIGGERED} (profile_key, events, first_at)
     SELECT e.profile_key, COUNT(*), MIN(e.at) FROM ${eventsTable(campaign.databaseId)} e
      WHERE e.type = ? AND e.at > ? AND e.at <= ? GROUP BY e.profile_key`,
    [eventType, clockLimit(from), clockLimit(to)],
  );
  return Number(db.scalar(`SELECT COALESCE(SUM(events), 0) FROM ${TRIGGERED}`) ?? 0);
}

/** Drops the working table of the stretches (at the end of an advance). */
export function dropTriggerTable(db: SqlDb): void {
  db.exec('DROP TABLE IF EXISTS temp.clock_triggered');
}

function insertRun(db: SqlDb, activity: StoredActivity, campaign: CampaignInfo, kind: 'trigger' | 'scenario', from: string, to: string): number {
  db.run(
    `INSERT INTO activity_runs (activity_id, campaign_id, clock, test, control, expanded, variants, kind, window_from, window_to)
     VALUES (?, ?, ?, 0, 0, 0, '{}', ?, ?, ?)`,
    [activity.id, campaign.id, to, kind, from, to],
  );
  return Number(db.scalar('SELECT last_insert_rowid()'));
}

const NOTHING = (events: number): EventRunResult => ({ runId: null, test: 0, control: 0, messages: 0, events, text: '' });

/** Fills in a run's counts and left-out, records its campaign event; returns the result. */
function finishRun(db: SqlDb, activity: StoredActivity, campaign: CampaignInfo, runId: number, to: string, events: number, what: string): EventRunResult {
  const counts = { test: 0, control: 0, messages: 0 };
  for (const row of db.all<{ grp: string; n: number; m: number }>(
    'SELECT grp, COUNT(*) AS n, SUM(COALESCE(messages, 1)) AS m FROM activity_recipients WHERE run_id = ? GROUP BY grp',
    [runId],
  )) {
    if (row.grp === 'test' || row.grp === 'control') counts[row.grp] = Number(row.n);
    counts.messages += Number(row.m);
  }
  const leftOut = countLeftOut(db, campaign, activity, runId, TRIGGERED);
  // Events of profiles the campaign neither holds nor holds out are none of its business: no run.
  if (counts.test + counts.control === 0 && Object.values(leftOut).every((n) => n === 0)) {
    db.run('DELETE FROM activity_runs WHERE id = ?', [runId]);
    return NOTHING(events);
  }
  db.run('UPDATE activity_runs SET test = ?, control = ?, messages = ?, left_out = ?, gained_campaigns = ? WHERE id = ?', [
    counts.test,
    counts.control,
    counts.messages,
    JSON.stringify(leftOut),
    '[]',
    runId,
  ]);
  markRan(db, activity);
  const groups = `${formatCount(counts.test)} in Test${activity.ignoreLcg ? `, ${formatCount(counts.control)} in the LCG` : ''}`;
  const left = leftOutText(leftOut);
  const text = `${what}: ${groups}${left ? `; left out: ${left}` : ''}`;
  recordEvent(db, campaign.id, to, 'activity_run', `${ACTIVITY_TYPE_LABELS[activity.type]} "${activity.name}" ran on ${formatCount(events)} ${activity.timing && 'eventType' in activity.timing ? activity.timing.eventType : ''} event${events === 1 ? '' : 's'}: ${text}`, {
    data: { activityId: activity.id, runId, test: counts.test, control: counts.control, messages: counts.messages },
  });
  return { runId, test: counts.test, control: counts.control, messages: counts.messages, events, text };
}


/** A triggered mailing over the stretch (from, to]; no run is recorded when no event of its type happened. */
export function runTriggered(db: SqlDb, activity: StoredActivity, campaign: CampaignInfo, timing: Extract<ActivityTiming, { kind: 'trigger' }>, from: string, to: string): EventRunResult {
  const events = collectTriggers(db, campaign, timing.eventType, from, to);
  if (events === 0) return NOTHING(0);
  const runId = insertRun(db, activity, campaign, 'trigger', from, to);
  const reach = reachSql(activity);
  db.run(
    `INSERT INTO activity_recipients (run_id, profile_key, grp, messages)
     SELECT ?, cm.profile_key, cm.grp, t.events FROM ${TRIGGERED} t
       CROSS JOIN campaign_members cm ON cm.campaign_id = ? AND cm.profile_key = t.profile_key ${reach.join}
       JOIN ${profileTable(campaign.databaseId)} p ON p.rowid = cm.profile_key
      WHERE 1 ${reach.where}`,
    [runId, campaign.id, ...reach.joinParams, ...reach.whereParams],
  );
  const delay = timing.delayMinutes > 0 ? `, each sent ${timing.delayMinutes} minute${timing.delayMinutes === 1 ? '' : 's'} after its event` : '';
  const sent = Number(db.scalar('SELECT COALESCE(SUM(messages), 0) FROM activity_recipients WHERE run_id = ?', [runId]) ?? 0);
  return finishRun(db, activity, campaign, runId, to, events, `${formatCount(sent)} message${sent === 1 ? '' : 's'}${delay}`);
}

/** Ends the holds of a scenario whose time is up by `to` (each at its own time). Returns how many ended. */
export function endFinishedHolds(db: SqlDb, activityId: number, to: string): number {
  return db.run("UPDATE scenario_holds SET ended = until, reason = 'finished' WHERE activity_id = ? AND ended IS NULL AND until <= ?", [activityId, to]);
}

/**
 * A scenario over the stretch (from, to]: profiles it would reach with an event of its
 * trigger type after their last hold's end are taken in from their first such event.
 */
export function runScenario(db: SqlDb, activity: StoredActivity, campaign: CampaignInfo, timing: Extract<ActivityTiming, { kind: 'scenario' }>, from: string, to: string): EventRunResult {
  const events = collectTriggers(db, campaign, timing.eventType, from, to);
  if (events === 0) return NOTHING(0);
  const reach = reachSql(activity);
  // The first trigger event after the profile's last hold ended (a held profile has none: its hold ends later).
  const entries = db.all<{ k: number; grp: string; first: string }>(
    `SELECT t.profile_key AS k, cm.grp AS grp,
            (SELECT MIN(e.at) FROM ${eventsTable(campaign.databaseId)} e
              WHERE e.type = ? AND e.profile_key = t.profile_key AND e.at > ? AND e.at <= ?
                AND e.at >= COALESCE((SELECT MAX(COALESCE(h.ended, h.until)) FROM scenario_holds h WHERE h.activity_id = ? AND h.profile_key = t.profile_key), '')) AS first
       FROM ${TRIGGERED} t CROSS JOIN campaign_members cm ON cm.campaign_id = ? AND cm.profile_key = t.profile_key ${reach.join}
       JOIN ${profileTable(campaign.databaseId)} p ON p.rowid = cm.profile_key
      WHERE 1 ${reach.where}
        AND NOT EXISTS (SELECT 1 FROM scenario_holds h WHERE h.activity_id = ? AND h.profile_key = t.profile_key AND h.ended IS NULL)`,
    [timing.eventType, clockLimit(from), clockLimit(to), activity.id, campaign.id, ...reach.joinParams, ...reach.whereParams, activity.id],
  );
  const entering = entries.filter((e) => e.first !== null);
  const runId = insertRun(db, activity, campaign, 'scenario', from, to);
  for (let i = 0; i < entering.length; i += 5000) {
    const chunk = JSON.stringify(entering.slice(i, i + 5000).map((e) => [Number(e.k), String(e.first).slice(0, 16), String(e.grp)]));
    db.run(
      `INSERT INTO scenario_holds (activity_id, profile_key, entered, until)
       SELECT ?, j.value ->> 0, j.value ->> 1, strftime('%Y-%m-%dT%H:%M', j.value ->> 1, ?) FROM json_each(?) j`,
      [activity.id, `+${timing.days} days`, chunk],
    );
    db.run('INSERT INTO activity_recipients (run_id, profile_key, grp) SELECT ?, j.value ->> 0, j.value ->> 2 FROM json_each(?) j', [runId, chunk]);
  }
  // A hold shorter than the stretch may end inside it.
  endFinishedHolds(db, activity.id, to);
  return finishRun(db, activity, campaign, runId, to, events, `${formatCount(entering.length)} profile${entering.length === 1 ? '' : 's'} taken in for ${timing.days} day${timing.days === 1 ? '' : 's'}`);
}
