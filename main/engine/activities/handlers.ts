/**
 * Activities: created inside a campaign or in a database's external list, attached, moved
 * and detached under the guide's rules (rules.ts), run at the project clock's time
 * (run.ts), their recipients paged (recipients.ts). Every change to a campaign's activities
 * is an event of that campaign.
 */
import { ACTIVITY_TYPE_LABELS } from '../../../shared/contract/activities';
import { EngineError } from '../../../shared/contract/errors';
import { checkCampaignAction } from '../../../shared/domain/campaign-status';
import { recordEvent } from '../campaigns/events';
import { requireDatabase } from '../databases/repository';
import { readMeta } from '../project/project-file';
import { defineHandlers } from '../registry';
import type { SqlDb } from '../sqlite/database';
import { recipientsPage } from './recipients';
import {
  databaseName,
  findCampaign,
  listActivities,
  requireActivity,
  requireCampaign,
  requireSegment,
  toActivity,
  type CampaignInfo,
} from './repository';
import { checkExpansion, checkIgnoreSubscription, checkMove, checkVariants, type Variant } from './rules';
import { previewRun, runActivity } from './run';
import { launchActivity, stopActivity } from './timing';
import { describeTiming } from '../../../shared/domain/activity-timing';
import { formatClock, lowerFirst } from '../../../shared/format';

function refuse(reason: string, details?: Record<string, unknown>): never {
  throw new EngineError('REFUSED', reason, details);
}

/** The activity's own segment must be of its database. */
function checkSegment(db: SqlDb, segmentId: number | null, databaseId: number): void {
  if (segmentId === null) return;
  const segment = requireSegment(db, segmentId);
  if (segment.databaseId !== databaseId) {
    refuse(
      `The segment "${segment.name}" is of the database "${databaseName(db, segment.databaseId)}"; an activity's segment must be of its own database ("${databaseName(db, databaseId)}").`,
      { segmentId },
    );
  }
}

function variantsOrRefuse(type: Parameters<typeof checkVariants>[0], variants: readonly Variant[] | undefined): Variant[] {
  const checked = checkVariants(type, variants);
  if ('refused' in checked) throw new EngineError('INVALID_ARGUMENT', checked.refused);
  return checked.variants;
}

const clockOf = (db: SqlDb) => readMeta(db).clock;
const describe = (a: { type: keyof typeof ACTIVITY_TYPE_LABELS; name: string }) => `${ACTIVITY_TYPE_LABELS[a.type]} "${a.name}"`;

export const activityHandlers = defineHandlers({
  'activity/list': (args, ctx) => {
    const { db } = ctx.state.requireSession();
    if ('campaignId' in args) {
      requireCampaign(db, args.campaignId);
      return listActivities(db, { campaignId: args.campaignId });
    }
    requireDatabase(db, args.databaseId);
    return listActivities(db, { databaseId: args.databaseId });
  },

  'activity/create': (args, ctx) => {
    const { db } = ctx.state.requireSession();
    requireDatabase(db, args.databaseId);
    let campaign: CampaignInfo | null = null;
    if (args.campaignId !== undefined) {
      campaign = requireCampaign(db, args.campaignId);
      const check = checkCampaignAction('addActivity', campaign.facts);
      if (!check.allowed) refuse(check.reason, { campaignId: campaign.id });
      if (campaign.databaseId !== args.databaseId) {
        refuse(
          `"${campaign.name}" is a campaign of the database "${databaseName(db, campaign.databaseId)}": its activities must be of that database, not of "${databaseName(db, args.databaseId)}".`,
          { campaignId: campaign.id },
        );
      }
    }
    const segmentId = args.segmentId ?? null;
    checkSegment(db, segmentId, args.databaseId);
    const variants = variantsOrRefuse(args.type, args.variants);
    const audienceExpansion = args.audienceExpansion === true;
    if (audienceExpansion) {
      const check = checkExpansion(segmentId, campaign);
      if (!check.allowed) refuse(check.reason);
    }
    const ignoreLcg = args.ignoreLcg === true;
    const ignoreSubscription = args.ignoreSubscription === true;
    const subscription = checkIgnoreSubscription(ignoreLcg, ignoreSubscription);
    if (!subscription.allowed) refuse(subscription.reason);
    const id = db.transaction(() => {
      db.run(
        `INSERT INTO activities (database_id, campaign_id, name, type, segment_id, ignore_lcg, ignore_subscription, audience_expansion, variants, status, launched, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'inactive', 0, ?)`,
        [
          args.databaseId,
          campaign?.id ?? null,
          args.name,
          args.type,
          segmentId,
          ignoreLcg ? 1 : 0,
          ignoreSubscription ? 1 : 0,
          audienceExpansion ? 1 : 0,
          JSON.stringify(variants),
          ctx.deps.now().toISOString(),
        ],
      );
      const created = Number(db.scalar('SELECT last_insert_rowid()'));
      if (campaign) {
        recordEvent(db, campaign.id, clockOf(db), 'activity_added', `${describe({ type: args.type, name: args.name })} added`, { data: { activityId: created } });
      }
      return created;
    });
    return toActivity(db, requireActivity(db, id));
  },

  'activity/update': (args, ctx) => {
    const { db } = ctx.state.requireSession();
    const stored = requireActivity(db, args.activityId);
    const shown = toActivity(db, stored);
    const campaign = stored.campaignId === null ? null : findCampaign(db, stored.campaignId);
    const settingsChange =
      args.segmentId !== undefined || args.ignoreLcg !== undefined || args.ignoreSubscription !== undefined || args.audienceExpansion !== undefined || args.variants !== undefined;
    // A name is a label: it may change in a completed campaign too; settings follow the campaign's rules.
    if (campaign && (settingsChange || campaign.facts.status !== 'completed' || campaign.facts.deleted)) {
      const check = checkCampaignAction('edit', campaign.facts);
      if (!check.allowed) refuse(check.reason, { campaignId: campaign.id });
    }
    if (settingsChange && shown.status === 'completed') {
      refuse(`"${stored.name}" is completed: only its name can change.`, { activityId: stored.id });
    }
    if (args.variants !== undefined && stored.launched) {
      refuse(`"${stored.name}" has run: its variants cannot change, or its runs could not be compared. Create a new A/B test instead.`, { activityId: stored.id });
    }
    const segmentId = args.segmentId === undefined ? stored.segmentId : args.segmentId;
    checkSegment(db, segmentId, stored.databaseId);
    const variants = args.variants === undefined ? stored.variants : variantsOrRefuse(stored.type, args.variants);
    const audienceExpansion = args.audienceExpansion ?? stored.audienceExpansion;
    if (audienceExpansion) {
      const check = checkExpansion(segmentId, campaign);
      if (!check.allowed) refuse(check.reason);
    }
    const ignoreLcg = args.ignoreLcg ?? stored.ignoreLcg;
    // Ignoring subscription goes with ignoring the LCG: turning the LCG back on turns it off.
    const ignoreSubscription = args.ignoreSubscription ?? (ignoreLcg && stored.ignoreSubscription);
    const subscription = checkIgnoreSubscription(ignoreLcg, ignoreSubscription);
    if (!subscription.allowed) refuse(subscription.reason);
    db.run('UPDATE activities SET name = ?, segment_id = ?, ignore_lcg = ?, ignore_subscription = ?, audience_expansion = ?, variants = ? WHERE id = ?', [
      args.name ?? stored.name,
      segmentId,
      ignoreLcg ? 1 : 0,
      ignoreSubscription ? 1 : 0,
      audienceExpansion ? 1 : 0,
      JSON.stringify(variants),
      stored.id,
    ]);
    return toActivity(db, requireActivity(db, stored.id));
  },

  'activity/move': (args, ctx) => {
    const { db } = ctx.state.requireSession();
    const stored = requireActivity(db, args.activityId);
    const shown = toActivity(db, stored);
    const from = stored.campaignId === null ? null : requireCampaign(db, stored.campaignId);
    const to = args.campaignId === null ? null : requireCampaign(db, args.campaignId);
    if ((from?.id ?? null) === (to?.id ?? null)) {
      // Already where it was asked to go: nothing changes.
      ctx.unchanged?.();
      return shown;
    }
    const check = checkMove({
      activity: { name: stored.name, type: stored.type, databaseId: stored.databaseId, campaignId: stored.campaignId, status: shown.status, launched: stored.launched },
      from,
      to,
      attach: args.attach === true,
      databaseName: (id) => databaseName(db, id),
    });
    if (!check.allowed) refuse(check.reason, { activityId: stored.id });
    if (to && stored.audienceExpansion) {
      const expansion = checkExpansion(stored.segmentId, to);
      if (!expansion.allowed) refuse(expansion.reason, { activityId: stored.id });
    }
    db.transaction(() => {
      db.run('UPDATE activities SET campaign_id = ? WHERE id = ?', [to?.id ?? null, stored.id]);
      const clock = clockOf(db);
      const what = describe(stored);
      if (from) {
        recordEvent(db, from.id, clock, 'activity_removed', to ? `${what} moved to the campaign "${to.name}"` : `${what} moved to the external list`, {
          data: { activityId: stored.id, to: to?.id ?? null },
        });
      }
      if (to) {
        recordEvent(db, to.id, clock, 'activity_added', from ? `${what} moved here from the campaign "${from.name}"` : `${what} attached from the external list`, {
          data: { activityId: stored.id, from: from?.id ?? null },
        });
      }
    });
    return toActivity(db, requireActivity(db, stored.id));
  },

  'activity/delete': (args, ctx) => {
    const { db } = ctx.state.requireSession();
    const stored = requireActivity(db, args.activityId);
    if (stored.launched) {
      refuse(`"${stored.name}" has run: its runs are part of its campaign's history, so it cannot be deleted.`, { activityId: stored.id });
    }
    const campaign = stored.campaignId === null ? null : requireCampaign(db, stored.campaignId);
    if (campaign) {
      const check = checkCampaignAction('removeActivity', campaign.facts);
      if (!check.allowed) refuse(check.reason, { campaignId: campaign.id });
    }
    db.transaction(() => {
      db.run('DELETE FROM activities WHERE id = ?', [stored.id]);
      if (campaign) recordEvent(db, campaign.id, clockOf(db), 'activity_removed', `${describe(stored)} deleted`, { data: { activityId: stored.id } });
    });
    return { activityId: stored.id };
  },

  'activity/previewRun': (args, ctx) => previewRun(ctx.state.requireSession().db, args.activityId),

  'activity/run': async (args, ctx) => {
    const { db } = ctx.state.requireSession();
    return db.transactionAsync(() => runActivity(ctx, db, args.activityId));
  },

  'activity/launch': async ({ activityId, timing, from }, ctx) => {
    const { db } = ctx.state.requireSession();
    return db.transactionAsync(async () => {
      launchActivity(db, requireActivity(db, activityId), timing, from);
      const launched = requireActivity(db, activityId);
      const campaign = requireCampaign(db, launched.campaignId!);
      // Launched "now": a broadcast at the clock's time and a placement run at once when the campaign is active.
      const now = readMeta(db).clock;
      const dueNow = (timing.kind === 'once' && timing.at <= now) || (timing.kind === 'while_active' && launched.launchAt! <= now);
      if (dueNow && checkCampaignAction('runActivity', campaign.facts).allowed) await runActivity(ctx, db, activityId, 'launch');
      recordEvent(db, campaign.id, now, 'edited', `${ACTIVITY_TYPE_LABELS[launched.type]} "${launched.name}" launched: ${lowerFirst(describeTiming(launched.timing!))}${launched.launchAt! > now ? `, from ${formatClock(launched.launchAt!)}` : ''}.`, {
        data: { activityId },
      });
      return toActivity(db, requireActivity(db, activityId));
    });
  },

  'activity/stop': ({ activityId }, { state }) => {
    const db = state.requireSession().db;
    return db.transaction(() => {
      const activity = requireActivity(db, activityId);
      stopActivity(db, activity);
      if (activity.campaignId !== null) {
        recordEvent(db, activity.campaignId, readMeta(db).clock, 'edited', `${ACTIVITY_TYPE_LABELS[activity.type]} "${activity.name}" stopped: it runs no more.`, { data: { activityId } });
      }
      return toActivity(db, requireActivity(db, activityId));
    });
  },

  'activity/recipients': (args, ctx) => {
    const { db } = ctx.state.requireSession();
    return recipientsPage(db, args.runId, args.offset, args.limit);
  },
});
