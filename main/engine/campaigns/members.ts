/**
 * The campaign's audience, profile by profile: a page of members with their group and
 * stratum, and manual addition by profile ID (static segments only): the profiles go into
 * the campaign's segment and are split at once (or forced into Test), or, before the first
 * build, simply wait in the segment for the activation.
 */
import type { ProfilePage, ProfileSearch } from '../../../shared/contract/profiles';
import type { Campaign } from '../../../shared/contract/campaigns';
import { profileTable } from '../databases/profile-table';
import { profileViews } from '../databases/handlers';
import type { HandlerContext } from '../registry';
import { gcgMembersSql } from '../gcg/membership';
import { trimCell, unescapeFormulaGuard } from '../import/convert';
import { buildAudience, followAudienceChange } from './audience';
import { recountMembers } from './counts';
import { profileEventCodeSql } from './profile-events';
import { clockOf, isBuilt, requireAllowed, requireCampaign, toCampaign } from './repository';
import type { SqlDb } from '../sqlite/database';

type Group = 'test' | 'control';

export function memberPage(
  ctx: HandlerContext,
  campaignId: number,
  options: { group?: Group | undefined; offset: number; limit: number; search?: ProfileSearch | undefined },
): ProfilePage & { groups: Group[]; strata: string[] } {
  const session = ctx.state.requireSession();
  const db = session.db;
  const campaign = requireCampaign(db, campaignId);
  // Our own integers and a fixed literal: no user text reaches this SQL.
  const group = options.group === 'control' ? " AND grp = 'control'" : options.group === 'test' ? " AND grp = 'test'" : '';
  const within = `SELECT profile_key FROM campaign_members WHERE campaign_id = ${campaign.id}${group}`;
  const page = profileViews(session).page({ databaseId: campaign.databaseId, search: options.search, within }, options.offset, options.limit);
  const keys = page.rows.map((r) => r.key);
  const info = new Map(
    db
      .all<{ k: number; grp: Group; label: string }>(
        `SELECT m.profile_key AS k, m.grp, s.label FROM campaign_members m
           JOIN campaign_strata s ON s.campaign_id = m.campaign_id AND s.stratum = m.stratum
          WHERE m.campaign_id = ? AND m.profile_key IN (SELECT value FROM json_each(?))`,
        [campaign.id, JSON.stringify(keys)],
      )
      .map((r) => [Number(r.k), { grp: r.grp, label: String(r.label) }]),
  );
  return {
    ...page,
    groups: keys.map((k) => info.get(k)?.grp ?? 'test'),
    strata: keys.map((k) => info.get(k)?.label ?? ''),
  };
}

const NOT_FOUND_LISTED = 100;

/**
 * Members forced into Test: those in the LCG move (a "Moved to Test" event each), and all
 * of them are marked forced, so no later rebuild puts them in the LCG. Returns how many moved.
 */
function forceIntoTest(db: SqlDb, campaignId: number, keys: readonly number[]): number {
  const list = JSON.stringify(keys);
  db.run(
    `INSERT INTO campaign_events (campaign_id, clock, kind, profile_key, code)
     SELECT m.campaign_id, ?, 'moved_to_test', m.profile_key, ${profileEventCodeSql('m', 'byHand')}
       FROM json_each(?) j CROSS JOIN campaign_members m ON m.campaign_id = ? AND m.profile_key = j.value AND m.grp = 'control'
      ORDER BY m.profile_key`,
    [clockOf(db), list, campaignId],
  );
  const moved = db.run(
    "UPDATE campaign_members SET grp = 'test', forced = 1 WHERE campaign_id = ? AND grp = 'control' AND profile_key IN (SELECT value FROM json_each(?))",
    [campaignId, list],
  );
  db.run('UPDATE campaign_members SET forced = 1 WHERE campaign_id = ? AND profile_key IN (SELECT value FROM json_each(?))', [campaignId, list]);
  if (moved > 0) recountMembers(db, campaignId);
  return moved;
}

export interface AddProfilesResult {
  readonly campaign: Campaign;
  readonly added: number;
  readonly toTest: number;
  readonly toControl: number;
  /** Already members, left where they were (in Test, or in the LCG without forceTest). */
  readonly alreadyIn: number;
  /** LCG members forced into Test. */
  readonly movedToTest: number;
  /** Profiles of the global control group (the campaign is not exempt): they cannot join. */
  readonly inGcg: number;
  readonly notFoundCount: number;
  readonly notFound: string[];
}

/**
 * Adds profiles by ID to a campaign on a static segment: into its segment, and
 *  - a running or built campaign splits them now (or puts them in Test when forced), and the
 *    other active campaigns on the segment follow; forced, a member of the LCG moves to Test
 *    (the guide's "send profile to test group even if it is in the control group"), with a
 *    "Moved to Test" event;
 *  - a campaign never built keeps them waiting in the segment for its activation, the
 *    forced ones remembered (campaign_forced_test) so that the activation puts them in Test.
 * IDs are taken as the import takes them (trimmed, a spreadsheet's formula guard removed).
 * GCG members are neither added nor split: they are counted in `inGcg`.
 */
export async function addProfiles(ctx: HandlerContext, campaignId: number, profileIds: readonly string[], forceTest: boolean): Promise<AddProfilesResult> {
  const db = ctx.state.requireSession().db;
  const campaign = requireCampaign(db, campaignId);
  requireAllowed(db, campaign, 'addProfiles');
  const table = profileTable(campaign.databaseId);
  const ids = JSON.stringify([...new Set(profileIds.map((id) => unescapeFormulaGuard(trimCell(id))).filter((id) => id !== ''))]);
  const built = isBuilt(db, campaign.id);
  const running = campaign.status === 'active';
  const gcg = campaign.gcgExempt ? '0' : `p.rowid IN (${gcgMembersSql(campaign.databaseId)})`;
  const found = db.all<{ k: number; member: number; gcg: number }>(
    `SELECT p.rowid AS k, ${gcg} AS gcg,
            ${built || running ? 'EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = ? AND m.profile_key = p.rowid)' : 'EXISTS (SELECT 1 FROM segment_members s WHERE s.segment_id = ? AND s.profile_key = p.rowid)'} AS member
       FROM json_each(?) j JOIN ${table} p ON p.profile_id = j.value`,
    [built || running ? campaign.id : campaign.segmentId, ids],
  );
  const missing = db.all<{ id: string }>(`SELECT j.value AS id FROM json_each(?) j WHERE NOT EXISTS (SELECT 1 FROM ${table} p WHERE p.profile_id = j.value)`, [ids]);
  const inGcg = found.filter((f) => Number(f.gcg) === 1).length;
  const eligible = found.filter((f) => Number(f.gcg) === 0);
  const members = eligible.filter((f) => Number(f.member) === 1).map((f) => Number(f.k));
  const keys = eligible.filter((f) => Number(f.member) === 0).map((f) => Number(f.k));
  let movedToTest = 0;
  let added = 0;
  let toTest = 0;
  let toControl = 0;
  await db.transactionAsync(async () => {
    if ((built || running) && forceTest && members.length > 0) movedToTest = forceIntoTest(db, campaign.id, members);
    if (!built && !running) {
      // Not split yet: the profiles wait in the segment for the activation.
      added = db.run('INSERT OR IGNORE INTO segment_members (segment_id, profile_key) SELECT ?, value FROM json_each(?)', [campaign.segmentId, JSON.stringify(keys)]);
      if (forceTest) {
        const all = eligible.map((f) => Number(f.k));
        db.run('INSERT OR IGNORE INTO campaign_forced_test (campaign_id, profile_key) SELECT ?, value FROM json_each(?)', [campaign.id, JSON.stringify(all)]);
      }
    } else if (keys.length > 0) {
      await buildAudience(ctx, campaign, { reason: 'manual', admit: running ? 'all' : 'added', addToSegment: keys, forceTest });
      const counts = db.get<{ n: number; c: number }>(
        `SELECT COUNT(*) AS n, COALESCE(SUM(grp = 'control'), 0) AS c FROM campaign_members
          WHERE campaign_id = ? AND profile_key IN (SELECT value FROM json_each(?))`,
        [campaign.id, JSON.stringify(keys)],
      );
      added = Number(counts?.n ?? 0);
      toControl = Number(counts?.c ?? 0);
      toTest = added - toControl;
    }
    if (keys.length > 0) await followAudienceChange(ctx, { segmentId: campaign.segmentId }, running || built ? campaign.id : null);
  });
  return {
    campaign: toCampaign(db, requireCampaign(db, campaign.id)),
    added,
    toTest,
    toControl,
    alreadyIn: members.length - movedToTest,
    movedToTest,
    inGcg,
    notFoundCount: missing.length,
    notFound: missing.slice(0, NOT_FOUND_LISTED).map((m) => String(m.id)),
  };
}
