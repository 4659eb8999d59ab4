/**
 * A campaign as the detail page shows it: its strata table, the stratification warning and
 * the history of its split. Before the first build the strata are those the activation
 * would make from today's audience (sizes, and the control counts the quotas would give).
 */
import type { CampaignDetail, LcgSettings } from '../../../shared/contract/campaigns';
import { allocateQuotas } from '../../../shared/split/quotas';
import { ALL_PROFILES } from '../../../shared/split/stratum-scheme';
import { profileTable } from '../databases/profile-table';
import { gcgMembersSql } from '../gcg/membership';
import { KeySet } from '../split/read-profiles';
import type { SqlDb } from '../sqlite/database';
import { readAudienceCodes } from './audience-codes';
import { tallyCodes } from './code-tally';
import { listVersions, toCampaign, type CampaignRecord } from './repository';
import { lcgTotal, stratumRows, violationWarning, type StratumCount } from './split-report';
import { checkStrataCount, compileStrata, type CompiledStrata, type ValuesSource } from './strata';

/** Strata of the current members: sizes and control, as campaign_counts keeps them. */
export function memberStrata(db: SqlDb, campaignId: number): StratumCount[] {
  return db
    .all<{ key: string; label: string; n: number; c: number }>(
      `SELECT s.key, s.label, m.members AS n, m.control AS c
         FROM campaign_counts m JOIN campaign_strata s ON s.campaign_id = m.campaign_id AND s.stratum = m.stratum
        WHERE m.campaign_id = ? ORDER BY m.stratum`,
      [campaignId],
    )
    .map((r) => ({ key: String(r.key), label: String(r.label), size: Number(r.n), control: Number(r.c) }));
}

/** Runs `work` with the rules compiled (`values`: see ValuesSource); drops their temporary tables afterwards. */
export function withStrata<T>(db: SqlDb, databaseId: number, lcg: LcgSettings, work: (strata: CompiledStrata) => T, values: ValuesSource = 'column'): T {
  const strata = compileStrata(db, databaseId, lcg.strata, values);
  try {
    return work(strata);
  } finally {
    strata.dispose();
  }
}

/**
 * The strata the audience has now under `lcg` (segment minus the GCG as it stands), with the
 * control counts a first split would give them. Reads only: the keys and stratum codes in
 * one pass (see readAudienceCodes), the GCG left out and the strata counted in JavaScript.
 */
export function audienceStrata(db: SqlDb, campaign: CampaignRecord, lcg: LcgSettings): StratumCount[] {
  if (lcg.strata.length === 0) return oneStratum(db, campaign, lcg);
  return withStrata(db, campaign.databaseId, lcg, (strata) => {
    const gcg = campaign.gcgExempt ? KeySet.empty() : KeySet.read(db, gcgMembersSql(campaign.databaseId));
    const from = `FROM segment_members sm JOIN ${profileTable(campaign.databaseId)} p ON p.rowid = sm.profile_key WHERE sm.segment_id = ?`;
    const read = readAudienceCodes(db, strata, from, [campaign.segmentId], false);
    const keys = read.keys;
    const bySize = tallyCodes(read.strata ?? new Float64Array(read.count), strata.codes, (row) => !gcg.has(keys[row]!));
    checkStrataCount(bySize.length);
    const sizes = bySize.map(([code, size]) => ({ ...strata.describe(code), size }));
    const n = sizes.reduce((sum, s) => sum + s.size, 0);
    const quotas = allocateQuotas(sizes, lcgTotal(n, lcg), campaign.seed);
    return sizes.map((s, i) => ({ ...s, control: quotas[i]!.control }));
  }, 'listed');
}

/**
 * An unstratified audience is one stratum: its size is a count in SQL (the segment's
 * profiles less the GCG's members), with no pass that reads every key into memory.
 */
function oneStratum(db: SqlDb, campaign: CampaignRecord, lcg: LcgSettings): StratumCount[] {
  const heldOut = campaign.gcgExempt ? '' : ` AND sm.profile_key NOT IN (${gcgMembersSql(campaign.databaseId)})`;
  const size = Number(
    db.scalar(`SELECT COUNT(*) FROM segment_members sm JOIN ${profileTable(campaign.databaseId)} p ON p.rowid = sm.profile_key WHERE sm.segment_id = ?${heldOut}`, [campaign.segmentId]) ?? 0,
  );
  if (size === 0) return [];
  const [quota] = allocateQuotas([{ ...ALL_PROFILES, size }], lcgTotal(size, lcg), campaign.seed);
  return [{ ...ALL_PROFILES, size, control: quota?.control ?? 0 }];
}

export function campaignDetail(db: SqlDb, campaign: CampaignRecord): CampaignDetail {
  const versions = listVersions(db, campaign.id);
  const members = memberStrata(db, campaign.id);
  const latest = versions[0];
  if (members.length === 0 && latest) {
    // Nobody left (completed, or everyone left the segment): the last split, as it was.
    return { campaign: toCampaign(db, campaign), strata: latest.strata, warning: latest.warning, versions };
  }
  const counts = members.length > 0 ? members : audienceStrata(db, campaign, campaign.lcg);
  const audience = counts.reduce((sum, s) => sum + s.size, 0);
  return {
    campaign: toCampaign(db, campaign),
    strata: stratumRows(counts, lcgTotal(audience, campaign.lcg)),
    warning: violationWarning(counts, campaign.lcg, campaign.seed),
    versions,
  };
}
