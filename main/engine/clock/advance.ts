/**
 * Advancing the project clock runs the plan (issue 11). The clock moves from moment to
 * moment: a moment is a time at which something falls due (an updatable segment's
 * recalculation, a delayed activation, a broadcast's or A/B test's time, a regular
 * mailing's schedule) or the end of a step. Between two moments nothing changes who is in a
 * campaign, so the activities that run on events (triggered mailings, scenarios) answer the
 * stretch's events with the members as they are (on-events.ts). At a moment, in this order:
 * recalculations (by segment id; the active campaigns on the segment follow), activations
 * (by time, then campaign id), then activity runs (by activity id): those due on their own
 * time, a broadcast whose time has passed once its campaign is active (it waited while the
 * campaign was not: "broadcasts and regular mailings are paused"), and placements after
 * their campaign's audience changed. The clock stands at each moment while its work runs,
 * so every record carries the moment's time.
 *
 * The whole advance is one transaction: a cancel or a failure leaves the project as it was.
 */
import type { CampaignStepChange, ClockAdvanceResult, ClockItem, ClockStepReport } from '../../../shared/contract/clock';
import { MAX_ADVANCE_STEPS, stepMinutes } from '../../../shared/contract/clock';
import { ACTIVITY_TYPE_LABELS } from '../../../shared/contract/activities';
import { EngineError } from '../../../shared/contract/errors';
import { checkCampaignAction } from '../../../shared/domain/campaign-status';
import { addMinutes, isClockTime } from '../../../shared/domain/clock';
import { leftOutText } from '../../../shared/domain/left-out';
import { formatClock, formatCount } from '../../../shared/format';
import { endFinishedHolds, dropTriggerTable, runScenario, runTriggered } from '../activities/on-events';
import { requireCampaign as requireActivityCampaign, type StoredActivity } from '../activities/repository';
import { runActivity } from '../activities/run';
import { followAudienceChange } from '../campaigns/audience';
import { allGroupSizes, groupSizes } from '../campaigns/counts';
import { recordEvent } from '../campaigns/events';
import { activateCampaign } from '../campaigns/lifecycle';
import { campaignFacts, clockOf, requireCampaign } from '../campaigns/repository';
import { writeMeta } from '../project/project-file';
import type { HandlerContext } from '../registry';
import { recalculateSegment } from '../segments/evaluation';
import { refreshDynamic } from '../segments/dynamic';
import type { SqlDb } from '../sqlite/database';
import { databaseBytes, fileRoomLeft, reserveFileRoom } from '../sqlite/file-room';
import { activationsUpTo, activityDueAfter, launchedActivities, nextActivationAfter, nextRecalculationAfter, scheduledSegments } from './due';

const item = (at: string, kind: ClockItem['kind'], title: string, ids: { campaignId?: number; activityId?: number; segmentId?: number }, count: number | null, detail: string): ClockItem => ({
  at,
  kind,
  title,
  campaignId: ids.campaignId ?? null,
  activityId: ids.activityId ?? null,
  segmentId: ids.segmentId ?? null,
  count,
  detail,
});

const activityTitle = (a: StoredActivity) => `${ACTIVITY_TYPE_LABELS[a.type]} "${a.name}"`;

/** The ends of the steps of an advance from `from` to `to` (the last one may be shorter). */
export function stepEnds(from: string, to: string, step: string | undefined): string[] {
  if (step === undefined) return [to];
  const minutes = stepMinutes(step);
  const ends: string[] = [];
  let at = from;
  while (at < to) {
    at = addMinutes(at, minutes);
    if (at > to) at = to;
    ends.push(at);
    if (ends.length > MAX_ADVANCE_STEPS) {
      throw new EngineError('INVALID_ARGUMENT', `Steps of ${step} from ${formatClock(from)} to ${formatClock(to)} are more than ${formatCount(MAX_ADVANCE_STEPS)}: choose a longer step.`, { step });
    }
  }
  return ends;
}

/** Refuses a time before the clock (the clock only moves forward; clone the project to replay). */
export function checkTarget(db: SqlDb, to: string): string {
  if (!isClockTime(to)) throw new EngineError('INVALID_ARGUMENT', `"${to}" is not a valid date and time.`, { to });
  const now = clockOf(db);
  if (to < now) {
    throw new EngineError(
      'REFUSED',
      `The project clock cannot go back: it is at ${formatClock(now)}, and what happened up to then is recorded. Choose a later time; to replay the plan from an earlier moment, work on a copy of the project (Save as) or a clone of the campaign.`,
      { to, clock: now },
    );
  }
  return now;
}

export async function advanceClock(ctx: HandlerContext, to: string, step?: string): Promise<ClockAdvanceResult> {
  const db = ctx.state.requireSession().db;
  const from = checkTarget(db, to);
  const ends = stepEnds(from, to, step);
  return db.transactionAsync(async () => {
    const advance = new Advance(ctx, db, from);
    const steps: ClockStepReport[] = [];
    const bytesBefore = databaseBytes(db);
    try {
      for (const [index, end] of ends.entries()) {
        ctx.progress(`Advancing the clock to ${formatClock(end)}`, index, ends.length, 'items');
        steps.push(await advance.step(end));
        // The file grows with every step's records. Room for the rest of the advance is made
        // ahead, twice what the steps so far suggest (room never written costs no memory),
        // whenever less than two steps' worth is left (file-room.ts): otherwise the in-memory
        // file is copied each time it outgrows its buffer, seconds for a big project, with the
        // old and the new copy in memory at once.
        const perStep = (databaseBytes(db) - bytesBefore) / (index + 1);
        const left = ends.length - index - 1;
        if (left > 0 && fileRoomLeft(db) < perStep * 2) reserveFileRoom(db, perStep * left * 2);
      }
    } finally {
      dropTriggerTable(db);
    }
    writeMeta(db, { clock: to });
    ctx.progress('Advancing the clock', ends.length, ends.length, 'items');
    return { from, clock: to, steps };
  });
}

class Advance {
  private items: ClockItem[] = [];
  private joined = new Map<number, number>();
  private left = new Map<number, number>();

  constructor(
    private readonly ctx: HandlerContext,
    private readonly db: SqlDb,
    private cursor: string,
  ) {}

  async step(end: string): Promise<ClockStepReport> {
    const from = this.cursor;
    this.items = [];
    this.joined = new Map();
    this.left = new Map();
    const before = allGroupSizes(this.db);
    for (;;) {
      const t = this.nextMoment(end) ?? end;
      await this.stretch(t);
      writeMeta(this.db, { clock: t });
      const previous = this.cursor;
      this.cursor = t;
      await this.moment(previous, t);
      await this.ctx.checkpoint();
      if (t >= end) break;
    }
    const after = allGroupSizes(this.db);
    const campaigns: CampaignStepChange[] = [];
    const ids = new Set([...before.keys(), ...after.keys(), ...this.joined.keys(), ...this.left.keys()]);
    for (const id of [...ids].sort((a, b) => a - b)) {
      const was = before.get(id) ?? { test: 0, control: 0, total: 0 };
      const now = after.get(id) ?? { test: 0, control: 0, total: 0 };
      const joined = this.joined.get(id) ?? 0;
      const left = this.left.get(id) ?? 0;
      if (was.test === now.test && was.control === now.control && joined === 0 && left === 0) continue;
      const name = String(this.db.scalar('SELECT name FROM campaigns WHERE id = ?', [id]) ?? `#${id}`);
      campaigns.push({ campaignId: id, name, test: now.test, control: now.control, joined, left });
    }
    return { from, to: end, items: this.items, campaigns };
  }

  /** The first time after the cursor, up to `end`, at which something falls due on its own time. */
  private nextMoment(end: string): string | null {
    const after = this.cursor;
    let next: string | null = null;
    const consider = (t: string | null) => {
      if (t !== null && t > after && t <= end && (next === null || t < next)) next = t;
    };
    for (const segment of scheduledSegments(this.db)) consider(nextRecalculationAfter(segment, after));
    consider(nextActivationAfter(this.db, after));
    for (const activity of launchedActivities(this.db)) consider(activityDueAfter(this.db, activity, after));
    return next;
  }

  /** The activities that run on events answer the events of (cursor, t]; scenario holds whose time is up end. */
  private async stretch(t: string): Promise<void> {
    const db = this.db;
    for (const activity of launchedActivities(db)) {
      const timing = activity.timing!;
      if (timing.kind !== 'trigger' && timing.kind !== 'scenario') continue;
      const start = activity.launchAt! > this.cursor ? activity.launchAt! : this.cursor;
      if (start >= t) continue;
      const campaign = requireActivityCampaign(db, activity.campaignId!);
      if (timing.kind === 'scenario') {
        const ended = endFinishedHolds(db, activity.id, t);
        if (ended > 0) this.items.push(item(t, 'scenario_ends', activityTitle(activity), { campaignId: campaign.id, activityId: activity.id }, ended, `${formatCount(ended)} profile${ended === 1 ? '' : 's'} finished the scenario`));
      }
      if (campaign.facts.status !== 'active' || activity.status === 'paused') continue;
      // Dynamic segments are evaluated at each use.
      if (campaign.facts.segmentKind === 'dynamic') this.followed(await followAudienceChange(this.ctx, { campaignId: campaign.id }, null, 'recalculation'));
      if (activity.segmentId !== null) refreshDynamic(db, activity.segmentId);
      const result = timing.kind === 'trigger' ? runTriggered(db, activity, campaign, timing, start, t) : runScenario(db, activity, campaign, timing, start, t);
      if (result.runId === null) continue;
      const window = `from ${formatClock(start)} to ${formatClock(t)}`;
      this.items.push(
        item(t, timing.kind === 'trigger' ? 'trigger_run' : 'scenario_entries', activityTitle(activity), { campaignId: campaign.id, activityId: activity.id }, result.test + result.control, `${result.text} (${formatCount(result.events)} ${timing.eventType} event${result.events === 1 ? '' : 's'} ${window})`),
      );
      await this.ctx.checkpoint();
    }
  }

  /** Everything due at `t` (the clock stands there), in the module's order. */
  private async moment(previous: string, t: string): Promise<void> {
    const { db, ctx } = this;
    const changed = new Set<number>();
    for (const segment of scheduledSegments(db)) {
      if (nextRecalculationAfter(segment, previous) !== t) continue;
      const done = await recalculateSegment(ctx, segment.segmentId, 'schedule');
      const r = done.recalculation;
      const follow = done.campaigns.map((c) => `"${c.name}" +${formatCount(c.joined)} / −${formatCount(c.left)}`).join(', ');
      this.items.push(
        item(t, 'recalculation', `Recalculate "${segment.name}"`, { segmentId: segment.segmentId }, r.size, `${formatCount(r.size)} member${r.size === 1 ? '' : 's'}: ${formatCount(r.joined)} joined, ${formatCount(r.left)} left${follow ? `; campaigns followed: ${follow}` : ''}`),
      );
      this.followed(done.campaigns);
      for (const c of done.campaigns) changed.add(c.campaignId);
      await ctx.checkpoint();
    }
    for (const due of activationsUpTo(db, t)) {
      const campaign = requireCampaign(db, due.campaignId);
      const check = checkCampaignAction('activate', campaignFacts(db, campaign));
      if (check.allowed) {
        const result = await activateCampaign(ctx, campaign, { method: 'clock/advance', scheduledFor: due.at });
        const g = groupSizes(db, campaign.id);
        this.joined.set(campaign.id, (this.joined.get(campaign.id) ?? 0) + result.joined);
        changed.add(campaign.id);
        this.items.push(item(t, 'activation', `Activate "${campaign.name}"`, { campaignId: campaign.id }, g.total, `Activated: ${formatCount(g.test)} test, ${formatCount(g.control)} LCG.`));
      } else {
        db.run("UPDATE campaigns SET status = 'inactive', activate_at = NULL WHERE id = ?", [campaign.id]);
        db.run('DELETE FROM scheduled_activations WHERE campaign_id = ?', [campaign.id]);
        recordEvent(db, campaign.id, t, 'deactivated', `The activation planned for ${formatClock(due.at)} did not happen: ${check.reason}`);
        this.items.push(item(t, 'skipped', `Activate "${campaign.name}"`, { campaignId: campaign.id }, null, `Not activated: ${check.reason}`));
      }
      await ctx.checkpoint();
    }
    for (const activity of launchedActivities(db)) {
      const timing = activity.timing!;
      const campaign = requireActivityCampaign(db, activity.campaignId!);
      const runnable = campaign.facts.status === 'active' && activity.status !== 'paused';
      if (timing.kind === 'once' || timing.kind === 'schedule') {
        const due = activityDueAfter(db, activity, previous);
        const isDue = timing.kind === 'once' ? due !== null && due <= t : due === t;
        if (!isDue) continue;
        if (!runnable) {
          // A broadcast waits for its campaign; a regular mailing's occurrence is missed, and said so.
          if (timing.kind === 'schedule') this.items.push(item(t, 'skipped', activityTitle(activity), { campaignId: campaign.id, activityId: activity.id }, null, `Not run: ${whyNot(campaign.facts.status, activity.status)}`));
          continue;
        }
        await this.run(activity, t, 'schedule');
      } else if (timing.kind === 'while_active' && runnable && activity.launchAt! <= t) {
        const shown = db.scalar("SELECT 1 FROM activity_runs WHERE activity_id = ? AND kind IN ('launch', 'audience_change') AND clock >= ? LIMIT 1", [activity.id, activity.launchAt!]) !== undefined;
        if (!shown) await this.run(activity, t, 'launch');
        else if (changed.has(campaign.id)) await this.run(activity, t, 'audience_change');
      }
    }
  }

  private async run(activity: StoredActivity, t: string, kind: 'schedule' | 'launch' | 'audience_change'): Promise<void> {
    const run = await runActivity(this.ctx, this.db, activity.id, kind);
    const left = run.leftOut ? leftOutText(run.leftOut) : '';
    const variants = Object.entries(run.variants).map(([name, n]) => `variant ${name} ${formatCount(n)}`);
    const reached = [`${formatCount(run.test)} in Test`, ...(activity.ignoreLcg ? [`${formatCount(run.control)} in the LCG`] : []), ...variants].join(', ');
    this.items.push(item(t, kind === 'schedule' ? 'activity_run' : 'placement', activityTitle(activity), { campaignId: run.campaignId, activityId: activity.id }, run.test + run.control, `Reached ${reached}${left ? `; left out: ${left}` : ''}`));
    await this.ctx.checkpoint();
  }

  private followed(campaigns: readonly { campaignId: number; joined: number; left: number }[]): void {
    for (const c of campaigns) {
      this.joined.set(c.campaignId, (this.joined.get(c.campaignId) ?? 0) + c.joined);
      this.left.set(c.campaignId, (this.left.get(c.campaignId) ?? 0) + c.left);
    }
  }
}

function whyNot(campaignStatus: string, activityStatus: string): string {
  if (activityStatus === 'paused') return "paused while the campaign's audience is rebuilt.";
  return `the campaign is ${campaignStatus.replace('_', ' ')}, not active.`;
}
