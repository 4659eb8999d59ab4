/**
 * A campaign's life (DESIGN.md "Campaign", after the guide): create, edit, activate now or
 * at a time on the project clock, deactivate (groups kept), complete (everyone leaves, for
 * good), clone, delete into the recycle bin, restore (as Completed). Every action is first
 * checked against the status machine (checkCampaignAction), which says why it is refused.
 * The transient statuses (Audience building, Audience exclusion) are set inside the
 * action's transaction, so a cancelled or failed action leaves the previous status.
 */
import { endHoldsOnExit, holdsOpen } from '../activities/holds';
import { ACTIVITY_TYPE_LABELS } from '../../../shared/contract/activities';
import type { Campaign, LcgSettings } from '../../../shared/contract/campaigns';
import { NO_LCG } from '../../../shared/contract/campaigns';
import { EngineError } from '../../../shared/contract/errors';
import { formatClock, formatCount } from '../../../shared/format';
import { copyActivities } from '../activities/repository';
import { requireDatabase } from '../databases/repository';
import { readGcgSettings } from '../gcg/membership';
import type { HandlerContext } from '../registry';
import type { SqlDb } from '../sqlite/database';
import { resolveAttributes } from './attributes';
import { buildAudience, type GrowResult } from './audience';
import { recordEvent } from './events';
import { profileEventCodeSql } from './profile-events';
import { groupSizes, recountMembers } from './counts';
import { clockOf, requireAllowed, requireCampaign, segmentInfo, toCampaign, type CampaignRecord } from './repository';
import { usableLcg } from './lcg-check';
import { inTransientStatus } from './work';
import { requireActivationConfirmed } from './activation';

const refuse = (message: string, details?: Record<string, unknown>): never => {
  throw new EngineError('REFUSED', message, details);
};

/** A segment a campaign can use: exists, of the campaign's database (static, updatable or dynamic). */
function requireCampaignSegment(db: SqlDb, databaseId: number, segmentId: number): void {
  const segment = segmentInfo(db, segmentId);
  if (!segment) throw new EngineError('NOT_FOUND', `There is no segment with id ${segmentId}.`, { segmentId });
  if (segment.databaseId !== databaseId) refuse(`The segment "${segment.name}" is of another database; a campaign's segment must be of its own database.`, { segmentId });
}

export interface CreateRequest {
  readonly name: string;
  readonly databaseId: number;
  readonly segmentId: number;
  readonly attributes?: Readonly<Record<string, string>> | undefined;
  readonly lcg?: LcgSettings | undefined;
  readonly seed?: string | undefined;
}

export function createCampaign(ctx: HandlerContext, request: CreateRequest): Campaign {
  const db = ctx.state.requireSession().db;
  requireDatabase(db, request.databaseId);
  requireCampaignSegment(db, request.databaseId, request.segmentId);
  const lcg = usableLcg(db, request.databaseId, request.lcg ?? NO_LCG, request.segmentId);
  const attributes = resolveAttributes(db, {}, request.attributes, true);
  const seed = request.seed ?? ctx.deps.randomId().replace(/[^A-Za-z0-9]/g, '').slice(0, 16);
  const clock = clockOf(db);
  const id = db.transaction(() => {
    db.run(
      `INSERT INTO campaigns (name, database_id, segment_id, status, attributes, seed, lcg, created_at, created_clock)
       VALUES (?, ?, ?, 'inactive', ?, ?, ?, ?, ?)`,
      [request.name, request.databaseId, request.segmentId, JSON.stringify(attributes), seed, JSON.stringify(lcg), ctx.deps.now().toISOString(), clock],
    );
    const campaignId = Number(db.scalar('SELECT last_insert_rowid()'));
    recordEvent(db, campaignId, clock, 'created', `Created on the segment "${segmentInfo(db, request.segmentId)?.name ?? ''}".`);
    return campaignId;
  });
  return toCampaign(db, requireCampaign(db, id));
}

export function updateCampaign(
  ctx: HandlerContext,
  campaignId: number,
  change: { name?: string | undefined; attributes?: Readonly<Record<string, string>> | undefined },
): Campaign {
  const db = ctx.state.requireSession().db;
  const campaign = requireCampaign(db, campaignId);
  requireAllowed(db, campaign, 'edit');
  const attributes = change.attributes === undefined ? campaign.attributes : resolveAttributes(db, campaign.attributes, change.attributes, false);
  const clock = clockOf(db);
  db.transaction(() => {
    const name = change.name ?? campaign.name;
    db.run('UPDATE campaigns SET name = ?, attributes = ? WHERE id = ?', [name, JSON.stringify(attributes), campaignId]);
    const said: string[] = [];
    if (name !== campaign.name) said.push(`renamed from "${campaign.name}" to "${name}"`);
    if (JSON.stringify(attributes) !== JSON.stringify(campaign.attributes)) said.push('attributes changed');
    if (said.length > 0) recordEvent(db, campaignId, clock, 'edited', `Edited: ${said.join('; ')}.`);
  });
  return toCampaign(db, requireCampaign(db, campaignId));
}

function groupsText(db: SqlDb, campaignId: number): string {
  const g = groupSizes(db, campaignId);
  return `${formatCount(g.test)} test, ${formatCount(g.control)} LCG`;
}

/**
 * Activates now, inside the caller's transaction: Audience building while the audience is
 * built and split (see work.ts), then Active. Used by campaign/activate and by scheduled
 * activations (`method` says which, for the progress event).
 */
export async function activateCampaign(
  ctx: HandlerContext,
  campaign: CampaignRecord,
  options: { readonly method: string; readonly scheduledFor?: string | null },
): Promise<GrowResult> {
  const db = ctx.state.requireSession().db;
  requireAllowed(db, campaign, 'activate');
  const clock = clockOf(db);
  const segment = segmentInfo(db, campaign.segmentId);
  const profiles = Number(db.scalar('SELECT COUNT(*) FROM segment_members WHERE segment_id = ?', [campaign.segmentId]) ?? 0);
  // Only a database with a global control group holds anyone out (or has anything to be exempt from).
  const gcg = (readGcgSettings(db, campaign.databaseId)?.percentBp ?? 0) > 0;
  const held = !gcg ? '' : campaign.gcgExempt ? ' (exempt from the global control group)' : " (the global control group's members held out)";
  const text = `Audience building: the segment "${segment?.name ?? ''}" has ${formatCount(profiles)} profile${profiles === 1 ? '' : 's'}${held}.`;
  return inTransientStatus(ctx, { method: options.method, campaign, status: 'audience_building', profiles, text }, async () => {
    const result = await buildAudience(ctx, { ...campaign, status: 'audience_building' }, { reason: 'activation', admit: 'all' });
    db.run("UPDATE campaigns SET status = 'active', activated_clock = ?, activate_at = NULL WHERE id = ?", [clock, campaign.id]);
    db.run('DELETE FROM scheduled_activations WHERE campaign_id = ?', [campaign.id]);
    const scheduledFor = options.scheduledFor ?? null;
    const when = scheduledFor === null ? '' : ` (as planned for ${formatClock(scheduledFor)})`;
    recordEvent(db, campaign.id, clock, 'activated', `Activated${when}: ${groupsText(db, campaign.id)}.`, {
      data: { joined: result.joined, left: result.left, toControl: result.toControl },
    });
    return result;
  });
}

/** Plans the activation at a later time on the project clock: the campaign waits for it. */
export function scheduleActivation(ctx: HandlerContext, campaign: CampaignRecord, at: string, confirmed: boolean): void {
  const db = ctx.state.requireSession().db;
  requireAllowed(db, campaign, 'schedule');
  const clock = clockOf(db);
  if (at < clock) {
    refuse(`The activation time ${formatClock(at)} is in the past: the project clock is at ${formatClock(clock)}. Choose a later time, or activate now.`, { at, clock });
  }
  if (at === clock) {
    refuse(`The activation time ${formatClock(at)} is not in the future: it is the project clock's time now. Activate now, or choose a later time.`, { at, clock });
  }
  requireActivationConfirmed(db, campaign, confirmed);
  db.transaction(() => {
    db.run("UPDATE campaigns SET status = 'waiting', activate_at = ? WHERE id = ?", [at, campaign.id]);
    db.run('INSERT INTO scheduled_activations (campaign_id, at) VALUES (?, ?) ON CONFLICT (campaign_id) DO UPDATE SET at = excluded.at', [campaign.id, at]);
    recordEvent(db, campaign.id, clock, 'scheduled', `Waiting: it activates when the project clock reaches ${formatClock(at)}.`, { data: { at } });
  });
}

export function deactivateCampaign(ctx: HandlerContext, campaignId: number): Campaign {
  const db = ctx.state.requireSession().db;
  const campaign = requireCampaign(db, campaignId);
  requireAllowed(db, campaign, 'deactivate');
  const clock = clockOf(db);
  db.transaction(() => {
    db.run("UPDATE campaigns SET status = 'inactive', activate_at = NULL WHERE id = ?", [campaignId]);
    db.run('DELETE FROM scheduled_activations WHERE campaign_id = ?', [campaignId]);
    const text =
      campaign.status === 'waiting' && campaign.activateAt !== null
        ? `Deactivated: the activation planned for ${formatClock(campaign.activateAt)} is cancelled.`
        : `Deactivated: the groups are kept (${groupsText(db, campaignId)}).`;
    recordEvent(db, campaignId, clock, 'deactivated', text);
  });
  return toCampaign(db, requireCampaign(db, campaignId));
}

/**
 * Completes for good: every member leaves with a "Campaign exit" event (one row each, one
 * INSERT ... SELECT), the activities complete, and the campaign never runs again.
 */
export async function completeCampaign(ctx: HandlerContext, campaignId: number): Promise<Campaign> {
  const db = ctx.state.requireSession().db;
  const campaign = requireCampaign(db, campaignId);
  requireAllowed(db, campaign, 'complete');
  const clock = clockOf(db);
  const members = groupSizes(db, campaignId).total;
  const text = `Audience exclusion: ${formatCount(members)} profile${members === 1 ? '' : 's'} leave the campaign.`;
  await db.transactionAsync(() =>
    inTransientStatus(ctx, { method: 'campaign/complete', campaign, status: 'audience_exclusion', profiles: members, text }, async () => {
      ctx.progress('Removing profiles from the campaign', 0, members, 'rows');
      await ctx.checkpoint();
      db.run(
        `INSERT INTO campaign_events (campaign_id, clock, kind, profile_key, code)
         SELECT campaign_id, ?, 'campaign_exit', profile_key, ${profileEventCodeSql('m', 'none', { held: holdsOpen(db, campaignId) })} FROM campaign_members m WHERE campaign_id = ? ORDER BY profile_key`,
        [clock, campaignId],
      );
      endHoldsOnExit(db, campaignId, null, clock);
      await ctx.checkpoint();
      db.run('DELETE FROM campaign_members WHERE campaign_id = ?', [campaignId]);
      recountMembers(db, campaignId);
      const activities = db.run("UPDATE activities SET status = 'completed' WHERE campaign_id = ? AND status <> 'completed'", [campaignId]);
      db.run('DELETE FROM scheduled_activations WHERE campaign_id = ?', [campaignId]);
      db.run("UPDATE campaigns SET status = 'completed', completed_clock = ?, activate_at = NULL WHERE id = ?", [clock, campaignId]);
      const said =
        `Completed: ${formatCount(members)} profile${members === 1 ? '' : 's'} left the campaign (Campaign exit)` +
        (activities > 0 ? `; ${formatCount(activities)} activit${activities === 1 ? 'y' : 'ies'} completed.` : '.');
      recordEvent(db, campaignId, clock, 'completed', said, { data: { members, activities } });
      ctx.progress('Removing profiles from the campaign', members, members, 'rows');
    }),
  );
  return toCampaign(db, requireCampaign(db, campaignId));
}

/**
 * An Inactive copy with the same settings and seed, and a copy of each of its activities
 * (new, never launched: the guide's "full copy with all activities and settings"); its
 * segment may change (not its database).
 */
export function cloneCampaign(ctx: HandlerContext, campaignId: number, options: { name?: string | undefined; segmentId?: number | undefined }): Campaign {
  const db = ctx.state.requireSession().db;
  const source = requireCampaign(db, campaignId);
  requireAllowed(db, source, 'clone');
  const segmentId = options.segmentId ?? source.segmentId;
  requireCampaignSegment(db, source.databaseId, segmentId);
  // Another segment may cut the same rules into more strata than a split can use.
  if (segmentId !== source.segmentId) usableLcg(db, source.databaseId, source.lcg, segmentId);
  const clock = clockOf(db);
  const name = options.name ?? `${source.name} (copy)`;
  const id = db.transaction(() => {
    db.run(
      `INSERT INTO campaigns (name, database_id, segment_id, status, attributes, seed, lcg, gcg_exempt, created_at, created_clock, cloned_from)
       VALUES (?, ?, ?, 'inactive', ?, ?, ?, ?, ?, ?, ?)`,
      [
        name,
        source.databaseId,
        segmentId,
        JSON.stringify(source.attributes),
        source.seed,
        JSON.stringify(source.lcg),
        source.gcgExempt ? 1 : 0,
        ctx.deps.now().toISOString(),
        clock,
        source.id,
      ],
    );
    const newId = Number(db.scalar('SELECT last_insert_rowid()'));
    const segmentNote = segmentId === source.segmentId ? '' : ` on the segment "${segmentInfo(db, segmentId)?.name ?? ''}"`;
    const copied = copyActivities(db, source.id, newId, {
      segmentKind: segmentInfo(db, segmentId)?.kind ?? 'static',
      createdAt: ctx.deps.now().toISOString(),
    });
    const activities = copied.length === 0 ? '' : ` with its ${copied.length === 1 ? 'activity' : `${formatCount(copied.length)} activities`}`;
    recordEvent(db, newId, clock, 'created', `Created as a copy of "${source.name}"${activities}${segmentNote}.`, {
      data: { clonedFrom: source.id, activities: copied.length },
    });
    for (const activity of copied) {
      const off = activity.expansionOff ? ' (audience expansion off: it needs a campaign on a static segment)' : '';
      recordEvent(db, newId, clock, 'activity_added', `${ACTIVITY_TYPE_LABELS[activity.type]} "${activity.name}" copied from "${source.name}"${off}`, {
        data: { activityId: activity.id, copiedFrom: activity.copiedFrom },
      });
    }
    return newId;
  });
  return toCampaign(db, requireCampaign(db, id));
}

/** Into the recycle bin: only a Completed campaign, or an Inactive one with nobody allocated. */
export function deleteCampaign(ctx: HandlerContext, campaignId: number): Campaign {
  const db = ctx.state.requireSession().db;
  const campaign = requireCampaign(db, campaignId);
  requireAllowed(db, campaign, 'delete');
  db.transaction(() => {
    db.run('UPDATE campaigns SET deleted_at = ? WHERE id = ?', [ctx.deps.now().toISOString(), campaignId]);
    db.run('DELETE FROM scheduled_activations WHERE campaign_id = ?', [campaignId]);
    db.run('DELETE FROM campaign_forced_test WHERE campaign_id = ?', [campaignId]);
    // The activities of an Inactive campaign (none ever ran) go to the external list, free to
    // be attached elsewhere; in the bin (and after a restore, as Completed) they could never be used.
    const freeing = campaign.status === 'inactive' ? 'campaign_id = ? AND launched = 0' : '0 AND ?';
    const freed = db.all<{ name: string }>(`SELECT name FROM activities WHERE ${freeing} ORDER BY id`, [campaignId]).map((r) => String(r.name));
    db.run(`UPDATE activities SET campaign_id = NULL, status = 'inactive' WHERE ${freeing}`, [campaignId]);
    const moved = freed.length > 0 ? ` ${freed.length === 1 ? 'Its activity' : `Its ${formatCount(freed.length)} activities`} ${freed.map((n) => `"${n}"`).join(', ')} moved to the external list.` : '';
    recordEvent(db, campaignId, clockOf(db), 'deleted', `Moved to the recycle bin.${moved}`, { data: { freedActivities: freed.length } });
  });
  return toCampaign(db, requireCampaign(db, campaignId));
}

/** Back from the recycle bin, as Completed (it never runs again; clone it to run it again). */
export function restoreCampaign(ctx: HandlerContext, campaignId: number): Campaign {
  const db = ctx.state.requireSession().db;
  const campaign = requireCampaign(db, campaignId);
  requireAllowed(db, campaign, 'restore');
  const clock = clockOf(db);
  db.transaction(() => {
    db.run("UPDATE campaigns SET deleted_at = NULL, status = 'completed', completed_clock = COALESCE(completed_clock, ?), activate_at = NULL WHERE id = ?", [clock, campaignId]);
    db.run("UPDATE activities SET status = 'completed' WHERE campaign_id = ? AND status <> 'completed'", [campaignId]);
    recordEvent(db, campaignId, clock, 'restored', 'Restored from the recycle bin as Completed.');
  });
  return toCampaign(db, requireCampaign(db, campaignId));
}
