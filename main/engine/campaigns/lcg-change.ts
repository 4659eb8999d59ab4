/**
 * Changing the LCG of a campaign, as the guide says (DESIGN.md "LCG"):
 *  - before the first build: the settings are saved; the split happens at activation;
 *  - percentage or limit only (`quota`): nobody moves now; only new profiles may enter the
 *    LCG later, so a shortfall fills up with them and a surplus stays (sticky);
 *  - LCG removed: every LCG member moves to Test;
 *  - another set of stratification fields (`fields`): the whole LCG moves to Test, strata
 *    are recomputed, and the LCG forms again from new profiles only;
 *  - other values inside the same fields (`values`): strata are recomputed for everyone and
 *    so are their quotas; strata over quota move their excess LCG members to Test, strata
 *    under quota fill from new profiles only (lcg-values.ts); the LCG may no longer be
 *    homogeneous (a warning).
 * A running campaign's audience is rebuilt at once: its broadcasts and regular mailings are
 * paused meanwhile (events), the status is Audience building, then Active again. Each
 * change is a new split version. previewLcg says all of this before anything changes.
 */
import type { LcgChangePreview, LcgSettings } from '../../../shared/contract/campaigns';
import { formatCount } from '../../../shared/format';
import { profileTable } from '../databases/profile-table';
import type { HandlerContext } from '../registry';
import type { SqlDb } from '../sqlite/database';
import { buildAudience } from './audience';
import { clearControl, groupSizes, recountMembers } from './counts';
import { audienceStrata, memberStrata, withStrata } from './detail';
import { recordEvent } from './events';
import { usableLcg } from './lcg-check';
import { afterMoves, movesText, trimOverQuota, type StratumMove } from './lcg-values';
import { clockOf, isBuilt, requireAllowed, requireCampaign, setStatus, type CampaignRecord } from './repository';
import { hasLcg, lcgTotal, stratumRows, violationWarning, type StratumCount } from './split-report';
import { checkStrataCount, sameFieldSet, sameRules, stratumNumbers, writeCodeMap } from './strata';

export type LcgChangeKind = LcgChangePreview['kind'];

const samePercent = (a: LcgSettings['percent'], b: LcgSettings['percent']) => (a === null || b === null ? a === b : Number(a) === Number(b));

export function classifyLcgChange(before: LcgSettings, after: LcgSettings, built: boolean): LcgChangeKind {
  const sameSize = samePercent(before.percent, after.percent) && before.limit === after.limit;
  if (sameSize && sameRules(before.strata, after.strata)) return 'none';
  if (!built) return 'first';
  if (hasLcg(before) && !hasLcg(after)) return 'removed';
  if (!sameFieldSet(before.strata, after.strata)) return 'fields';
  if (!sameRules(before.strata, after.strata)) return 'values';
  return 'quota';
}

export function describeLcg(lcg: LcgSettings, fieldName: (id: number) => string): string {
  if (!hasLcg(lcg)) return 'no LCG';
  const size = [lcg.percent !== null ? `${String(lcg.percent)} %` : null, lcg.limit !== null ? `at most ${formatCount(lcg.limit)} profiles` : null]
    .filter((s) => s !== null)
    .join(', ');
  const strata = lcg.strata.length === 0 ? 'not stratified' : `stratified by ${lcg.strata.map((r) => fieldName(r.fieldId)).join(', ')}`;
  return `${size}, ${strata}`;
}

function fieldNames(db: SqlDb): (id: number) => string {
  return (id) => {
    const name = db.scalar('SELECT name FROM fields WHERE id = ?', [id]);
    return name === undefined || name === null ? `field ${id}` : String(name);
  };
}

/** Members' strata under `lcg`'s rules, with their control count after the change of `kind`. */
function membersUnder(db: SqlDb, campaign: CampaignRecord, lcg: LcgSettings, kind: LcgChangeKind): StratumCount[] {
  const emptied = kind === 'removed' || kind === 'fields';
  if (sameRules(campaign.lcg.strata, lcg.strata)) {
    // The members keep their strata: their counts are known.
    return memberStrata(db, campaign.id).map((s) => (emptied ? { ...s, control: 0 } : s));
  }
  return withStrata(db, campaign.databaseId, lcg, (strata) => {
    const rows = db.all<{ code: number; n: number; c: number }>(
      `SELECT ${strata.codeSql} AS code, COUNT(*) AS n, SUM(m.grp = 'control') AS c
         FROM campaign_members m LEFT JOIN ${profileTable(campaign.databaseId)} p ON p.rowid = m.profile_key
        WHERE m.campaign_id = ? GROUP BY code ORDER BY code`,
      [campaign.id],
    );
    checkStrataCount(rows.length);
    return rows.map((r) => ({ ...strata.describe(Number(r.code)), size: Number(r.n), control: emptied ? 0 : Number(r.c) }));
  });
}

const pausable = "type IN ('broadcast', 'regular_mailing') AND status IN ('inactive', 'active')";

export function previewLcg(db: SqlDb, campaignId: number, asked: LcgSettings): LcgChangePreview {
  const campaign = requireCampaign(db, campaignId);
  const lcg = usableLcg(db, campaign.databaseId, asked, campaign.segmentId);
  const built = isBuilt(db, campaignId);
  const kind = classifyLcgChange(campaign.lcg, lcg, built);
  let counts = built ? membersUnder(db, campaign, lcg, kind) : audienceStrata(db, campaign, lcg);
  let moves: StratumMove[] = [];
  if (kind === 'values') ({ strata: counts, moves } = afterMoves(counts, lcg, campaign.seed));
  const audience = counts.reduce((sum, s) => sum + s.size, 0);
  const total = lcgTotal(audience, lcg);
  const control = counts.reduce((sum, s) => sum + s.control, 0);
  const currentControl = groupSizes(db, campaignId).control;
  const consequences: string[] = [];
  const running = campaign.status === 'active';
  switch (kind) {
    case 'none':
      consequences.push('Nothing changes: these are the current settings.');
      break;
    case 'first':
      consequences.push(
        hasLcg(lcg)
          ? `Nobody moves now: the LCG is formed when the campaign is activated (${formatCount(total)} of ${formatCount(audience)} profiles today).`
          : 'Nobody moves now: without an LCG, the whole audience will be in Test.',
      );
      break;
    case 'removed':
      consequences.push(`The LCG is removed: all ${formatCount(currentControl)} LCG profiles move to Test.`);
      break;
    case 'fields':
      consequences.push(`The stratification fields change: the whole LCG (${formatCount(currentControl)} profiles) moves to Test.`);
      consequences.push(`The LCG forms again from new profiles only, by the new strata; it stays empty until new profiles join (target ${formatCount(total)}).`);
      break;
    case 'values':
      consequences.push(
        moves.length === 0
          ? 'The strata and their quotas are recomputed for everyone; no stratum is over its new quota, so nobody changes group.'
          : `The strata and their quotas are recomputed for everyone: ${movesText(moves, 'move')}`,
      );
      consequences.push('Changing values inside the stratification fields may break the homogeneity of the LCG.');
      break;
    case 'quota':
      consequences.push('Nobody moves now: only new profiles may enter the LCG.');
      break;
  }
  if (kind === 'quota' || kind === 'values') {
    if (total > control) consequences.push(`The LCG should have ${formatCount(total)} profiles and has ${formatCount(control)}: ${formatCount(total - control)} more can come only from new profiles.`);
    else if (total < control) consequences.push(`The LCG has ${formatCount(control - total)} profiles more than the new size of ${formatCount(total)}; nobody is moved out of it.`);
  }
  if (running && kind !== 'none' && kind !== 'first') {
    const paused = Number(db.scalar(`SELECT COUNT(*) FROM activities WHERE campaign_id = ? AND ${pausable}`, [campaignId]));
    consequences.push(
      paused > 0
        ? `The audience is rebuilt now; ${paused === 1 ? 'its broadcast or regular mailing pauses' : `${formatCount(paused)} activities (broadcasts and regular mailings) pause`} while it is rebuilt.`
        : 'The audience is rebuilt now.',
    );
  }
  return {
    kind,
    consequences,
    homogeneityWarning: kind === 'values',
    warning: violationWarning(counts, lcg, campaign.seed),
    strata: stratumRows(counts, total),
    moves,
  };
}

/** Recomputes every member's stratum under new rules (groups kept); unused strata go. */
function restratifyMembers(db: SqlDb, campaign: CampaignRecord, lcg: LcgSettings): void {
  withStrata(db, campaign.databaseId, lcg, (strata) => {
    db.exec('DROP TABLE IF EXISTS temp.campaign_recode; CREATE TEMP TABLE campaign_recode (k INTEGER PRIMARY KEY, code INTEGER NOT NULL)');
    try {
      db.run(
        `INSERT INTO temp.campaign_recode (k, code)
         SELECT m.profile_key, ${strata.codeSql} FROM campaign_members m LEFT JOIN ${profileTable(campaign.databaseId)} p ON p.rowid = m.profile_key
          WHERE m.campaign_id = ?`,
        [campaign.id],
      );
      const codes = db.all<{ code: number }>('SELECT DISTINCT code FROM temp.campaign_recode').map((r) => Number(r.code));
      checkStrataCount(codes.length);
      writeCodeMap(db, 'campaign_recode_map', stratumNumbers(db, campaign.id, strata, codes));
      db.run(
        `UPDATE campaign_members SET stratum = (SELECT cm.stratum FROM temp.campaign_recode r JOIN temp.campaign_recode_map cm ON cm.code = r.code
                                                 WHERE r.k = campaign_members.profile_key)
          WHERE campaign_id = ?`,
        [campaign.id],
      );
      recountMembers(db, campaign.id);
      db.run('DELETE FROM campaign_strata WHERE campaign_id = ? AND stratum NOT IN (SELECT stratum FROM campaign_counts WHERE campaign_id = ?)', [
        campaign.id,
        campaign.id,
      ]);
    } finally {
      db.exec('DROP TABLE IF EXISTS temp.campaign_recode; DROP TABLE IF EXISTS temp.campaign_recode_map');
    }
  });
}

/** Applies a change of LCG settings, inside the caller's transaction; see the module comment. */
export async function changeLcg(ctx: HandlerContext, campaignId: number, asked: LcgSettings): Promise<LcgChangeKind> {
  const db = ctx.state.requireSession().db;
  const before = requireCampaign(db, campaignId);
  requireAllowed(db, before, 'changeLcg');
  const lcg = usableLcg(db, before.databaseId, asked, before.segmentId);
  const built = isBuilt(db, campaignId);
  const kind = classifyLcgChange(before.lcg, lcg, built);
  if (kind === 'none') return kind;
  const clock = clockOf(db);
  db.run('UPDATE campaigns SET lcg = ? WHERE id = ?', [JSON.stringify(lcg), campaignId]);
  const names = fieldNames(db);
  recordEvent(db, campaignId, clock, 'lcg_changed', `LCG changed from ${describeLcg(before.lcg, names)} to ${describeLcg(lcg, names)}.`, { data: { kind } });
  if (!built) return kind;

  const running = before.status === 'active';
  let paused: { id: number; status: string }[] = [];
  if (running) {
    setStatus(db, campaignId, 'audience_building');
    paused = db.all<{ id: number; status: string }>(`SELECT id, status FROM activities WHERE campaign_id = ? AND ${pausable} ORDER BY id`, [campaignId]);
    if (paused.length > 0) {
      db.run(`UPDATE activities SET status = 'paused' WHERE campaign_id = ? AND ${pausable}`, [campaignId]);
      recordEvent(db, campaignId, clock, 'activities_paused', `${formatCount(paused.length)} broadcast and regular mailing activit${paused.length === 1 ? 'y' : 'ies'} paused while the audience is rebuilt.`, {
        data: { count: paused.length },
      });
    }
  }
  if (kind === 'removed' || kind === 'fields') {
    const moved = db.run("UPDATE campaign_members SET grp = 'test' WHERE campaign_id = ? AND grp = 'control'", [campaignId]);
    clearControl(db, campaignId);
    if (moved > 0) {
      const why = kind === 'removed' ? 'the LCG was removed' : 'the stratification fields changed; the LCG forms again from new profiles';
      recordEvent(db, campaignId, clock, 'moved_to_test', `${formatCount(moved)} LCG profile${moved === 1 ? '' : 's'} moved to Test: ${why}.`, { data: { count: moved } });
    }
  }
  if (!sameRules(before.lcg.strata, lcg.strata)) restratifyMembers(db, before, lcg);
  if (kind === 'values') trimOverQuota(db, before, lcg, clock);
  const after = requireCampaign(db, campaignId);
  await buildAudience(ctx, after, { reason: 'lcg_change', admit: running ? 'all' : 'none', forceVersion: true, lcg });
  if (running) {
    for (const activity of paused) db.run('UPDATE activities SET status = ? WHERE id = ?', [activity.status, activity.id]);
    if (paused.length > 0) {
      recordEvent(db, campaignId, clock, 'activities_resumed', `${formatCount(paused.length)} broadcast and regular mailing activit${paused.length === 1 ? 'y' : 'ies'} resumed: the audience is rebuilt.`, {
        data: { count: paused.length },
      });
    }
    setStatus(db, campaignId, 'active');
  }
  return kind;
}
