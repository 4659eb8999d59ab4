/**
 * Looking ahead on the clock without running anything: what an advance to a time would run
 * on the way (`clock/plan`), and what is scheduled next (`clock/agenda`). Both read the due
 * times from due.ts, as the advance does. Counts are given where they are known before the
 * run: the events that will trigger an activity (they are in the file already), the
 * profiles a scenario holds that will finish; a recalculation's or a run's reach depends
 * on what happens before it, so it is not guessed.
 */
import type { AgendaItem, ClockItem } from '../../../shared/contract/clock';
import { ACTIVITY_TYPE_LABELS } from '../../../shared/contract/activities';
import { describeSchedule, dueBetween } from '../../../shared/domain/schedule';
import { isClockTime } from '../../../shared/domain/clock';
import { formatClock, formatCount, lowerFirst } from '../../../shared/format';
import { describeTiming } from '../../../shared/domain/activity-timing';
import type { StoredActivity } from '../activities/repository';
import { clockLimit } from '../events/clock';
import { eventsTable } from '../events/table';
import type { SqlDb } from '../sqlite/database';
import { clockOf } from '../campaigns/repository';
import { activityDueAfter, launchedActivities, nextRecalculationAfter, scheduledSegments } from './due';
import { checkTarget } from './advance';

/** Most items a plan lists (a year of hourly runs would be thousands). */
const PLAN_ITEMS = 500;

const title = (a: StoredActivity) => `${ACTIVITY_TYPE_LABELS[a.type]} "${a.name}"`;

interface CampaignRow {
  readonly id: number;
  readonly name: string;
  readonly databaseId: number;
  readonly segmentId: number;
  readonly status: string;
}

function campaignsById(db: SqlDb): Map<number, CampaignRow> {
  const rows = db.all<{ id: number; name: string; database_id: number; segment_id: number; status: string }>('SELECT id, name, database_id, segment_id, status FROM campaigns WHERE deleted_at IS NULL');
  return new Map(rows.map((r) => [Number(r.id), { id: Number(r.id), name: String(r.name), databaseId: Number(r.database_id), segmentId: Number(r.segment_id), status: String(r.status) }]));
}

const ORDER: Readonly<Record<ClockItem['kind'], number>> = {
  recalculation: 0,
  activation: 1,
  scenario_ends: 2,
  trigger_run: 2,
  scenario_entries: 2,
  activity_run: 3,
  placement: 3,
  skipped: 3,
};

/** What advancing the clock to `to` would run, in time order (at most PLAN_ITEMS). */
export function planAdvance(db: SqlDb, to: string): { from: string; to: string; items: ClockItem[]; truncated: boolean } {
  const from = checkTarget(db, to);
  const items: ClockItem[] = [];
  const campaigns = campaignsById(db);
  const limit = PLAN_ITEMS + 1;
  for (const segment of scheduledSegments(db)) {
    const size = Number(db.scalar('SELECT COUNT(*) FROM segment_members WHERE segment_id = ?', [segment.segmentId]) ?? 0);
    const following = [...campaigns.values()].filter((c) => c.segmentId === segment.segmentId && c.status === 'active').map((c) => `"${c.name}"`);
    for (const at of dueBetween(segment.schedule.schedule, from, to, segment.anchor, limit)) {
      items.push({
        at,
        kind: 'recalculation',
        title: `Recalculate "${segment.name}"`,
        campaignId: null,
        activityId: null,
        segmentId: segment.segmentId,
        // Its size now: what the recalculation will give depends on the events by then.
        count: size,
        detail: `${describeSchedule(segment.schedule.schedule)}; ${formatCount(size)} member${size === 1 ? '' : 's'} now${following.length > 0 ? `; followed by ${following.join(', ')}` : ''}`,
      });
    }
  }
  for (const row of db.all<{ campaign_id: number; at: string }>('SELECT campaign_id, at FROM scheduled_activations WHERE at <= ? ORDER BY at, campaign_id', [to])) {
    const campaign = campaigns.get(Number(row.campaign_id));
    if (!campaign) continue;
    const size = Number(db.scalar('SELECT COUNT(*) FROM segment_members WHERE segment_id = ?', [campaign.segmentId]) ?? 0);
    const at = String(row.at) < from ? from : String(row.at);
    items.push({ at, kind: 'activation', title: `Activate "${campaign.name}"`, campaignId: campaign.id, activityId: null, segmentId: campaign.segmentId, count: size, detail: `Its segment has ${formatCount(size)} profile${size === 1 ? '' : 's'} now` });
  }
  for (const activity of launchedActivities(db)) {
    const campaign = campaigns.get(activity.campaignId!);
    if (!campaign) continue;
    const timing = activity.timing!;
    const ids = { campaignId: campaign.id, activityId: activity.id, segmentId: activity.segmentId };
    const waits = campaign.status === 'active' ? '' : ` (runs only while "${campaign.name}" is active)`;
    if (timing.kind === 'once' || timing.kind === 'schedule') {
      let after = from;
      for (let n = 0; n < limit; n += 1) {
        const due = activityDueAfter(db, activity, after);
        if (due === null || due > to) break;
        const at = due < from ? from : due;
        items.push({ at, kind: 'activity_run', title: title(activity), ...ids, count: null, detail: `${describeTiming(timing)}${waits}` });
        if (timing.kind === 'once') break;
        after = due;
      }
    } else if (timing.kind === 'trigger' || timing.kind === 'scenario') {
      const start = activity.launchAt! > from ? activity.launchAt! : from;
      if (start >= to) continue;
      const events = Number(
        db.scalar(`SELECT COUNT(*) FROM ${eventsTable(campaign.databaseId)} WHERE type = ? AND at > ? AND at <= ?`, [timing.eventType, clockLimit(start), clockLimit(to)]) ?? 0,
      );
      if (events > 0) {
        items.push({
          at: to,
          kind: timing.kind === 'trigger' ? 'trigger_run' : 'scenario_entries',
          title: title(activity),
          ...ids,
          count: events,
          detail: `${formatCount(events)} ${timing.eventType} event${events === 1 ? '' : 's'} from ${formatClock(start)} to ${formatClock(to)} in the file; ${lowerFirst(describeTiming(timing))}${waits}`,
        });
      }
      if (timing.kind === 'scenario') {
        const ending = db.get<{ n: number; first: string | null }>('SELECT COUNT(*) AS n, MIN(until) AS first FROM scenario_holds WHERE activity_id = ? AND ended IS NULL AND until <= ?', [activity.id, to]);
        const n = Number(ending?.n ?? 0);
        // A file comes from someone else: a time this version would not write is not shown.
        if (n > 0 && isClockTime(String(ending!.first))) items.push({ at: String(ending!.first), kind: 'scenario_ends', title: title(activity), ...ids, count: n, detail: `${formatCount(n)} held profile${n === 1 ? '' : 's'} finish the scenario by ${formatClock(to)}` });
      }
    } else if (timing.kind === 'while_active') {
      items.push({ at: from, kind: 'placement', title: title(activity), ...ids, count: null, detail: `${describeTiming(timing)}; shown anew after each change of the audience${waits}` });
    }
  }
  items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : ORDER[a.kind] - ORDER[b.kind]));
  return { from, to, items: items.slice(0, PLAN_ITEMS), truncated: items.length > PLAN_ITEMS };
}

/** What is scheduled next: one entry per segment, activation and launched activity, timed ones first, in time order. */
export function agenda(db: SqlDb, limit: number): { clock: string; items: AgendaItem[] } {
  const clock = clockOf(db);
  const campaigns = campaignsById(db);
  const items: AgendaItem[] = [];
  for (const segment of scheduledSegments(db)) {
    items.push({
      at: nextRecalculationAfter(segment, clock),
      kind: 'recalculation',
      title: `Recalculate "${segment.name}"`,
      campaignId: null,
      activityId: null,
      segmentId: segment.segmentId,
      detail: describeSchedule(segment.schedule.schedule),
    });
  }
  for (const row of db.all<{ campaign_id: number; at: string }>('SELECT campaign_id, at FROM scheduled_activations ORDER BY at, campaign_id')) {
    const campaign = campaigns.get(Number(row.campaign_id));
    if (campaign) items.push({ at: String(row.at), kind: 'activation', title: `Activate "${campaign.name}"`, campaignId: campaign.id, activityId: null, segmentId: campaign.segmentId, detail: 'A delayed activation' });
  }
  for (const activity of launchedActivities(db)) {
    const campaign = campaigns.get(activity.campaignId!);
    if (!campaign) continue;
    const timing = activity.timing!;
    const ids = { campaignId: campaign.id, activityId: activity.id, segmentId: activity.segmentId };
    const waits = campaign.status === 'active' ? '' : ` — runs only while "${campaign.name}" is active`;
    if (timing.kind === 'once' || timing.kind === 'schedule') {
      const due = activityDueAfter(db, activity, clock);
      if (due !== null) items.push({ at: due < clock ? clock : due, kind: 'activity_run', title: title(activity), ...ids, detail: `${describeTiming(timing)}${waits}` });
    } else {
      const kind = timing.kind === 'trigger' ? 'trigger_run' : timing.kind === 'scenario' ? 'scenario_entries' : 'placement';
      items.push({ at: null, kind, title: title(activity), ...ids, detail: `${describeTiming(timing)}${waits}` });
      if (timing.kind === 'scenario') {
        const next = db.get<{ n: number; first: string | null }>('SELECT COUNT(*) AS n, MIN(until) AS first FROM scenario_holds WHERE activity_id = ? AND ended IS NULL', [activity.id]);
        if (next && next.first !== null && isClockTime(String(next.first))) {
          items.push({ at: String(next.first), kind: 'scenario_ends', title: title(activity), ...ids, detail: `Holds ${formatCount(Number(next.n))} profile${Number(next.n) === 1 ? '' : 's'}; the first finishes then` });
        }
      }
    }
  }
  items.sort((a, b) => (a.at === b.at ? ORDER[a.kind] - ORDER[b.kind] : a.at === null ? 1 : b.at === null ? -1 : a.at < b.at ? -1 : 1));
  return { clock, items: items.slice(0, limit) };
}
