/**
 * Other values inside the same stratification fields ("adding new cities, expanding age
 * ranges"): the guide says proportions change and some current members may move to the
 * test group. So, after every member's stratum is recomputed under the new rules, the quotas
 * are recomputed on the current members (STATS.md 1.2, with the new control total); a
 * stratum over its quota moves its excess LCG members to Test, those with the highest
 * md5(seed ":" profile_id) first (it keeps the ones the split would have chosen: the lowest);
 * a stratum under its quota fills from new profiles only, as any shortfall does (sticky
 * growth, STATS.md 1.4).
 */
import type { LcgSettings } from '../../../shared/contract/campaigns';
import { formatCount } from '../../../shared/format';
import { hashPackedIds, packIds } from '../../../shared/split/hash-ids';
import { allocateQuotas, compareText } from '../../../shared/split/quotas';
import { selectControl } from '../../../shared/split/select-control';
import { profileTable } from '../databases/profile-table';
import type { SqlDb } from '../sqlite/database';
import { recountMembers } from './counts';
import { recordEvent } from './events';
import type { CampaignRecord } from './repository';
import { lcgTotal, type StratumCount } from './split-report';

export interface StratumMove {
  readonly key: string;
  readonly label: string;
  /** LCG members that move to Test. */
  readonly count: number;
}

/** Per stratum (of `strata`, in order): how many LCG members are above the quota the settings give the members now. */
export function overQuota(strata: readonly StratumCount[], lcg: LcgSettings, seed: string): number[] {
  const audience = strata.reduce((sum, s) => sum + s.size, 0);
  const quotas = allocateQuotas(strata.map((s) => ({ key: s.key, size: s.size })), lcgTotal(audience, lcg), seed);
  return strata.map((s, i) => Math.max(0, s.control - quotas[i]!.control));
}

const movesOf = (strata: readonly StratumCount[], excess: readonly number[]): StratumMove[] =>
  strata.flatMap((s, i) => (excess[i]! > 0 ? [{ key: s.key, label: s.label, count: excess[i]! }] : []));

/** The strata after the moves (control down to the quota), and the moves themselves. */
export function afterMoves(strata: readonly StratumCount[], lcg: LcgSettings, seed: string): { strata: StratumCount[]; moves: StratumMove[] } {
  const excess = overQuota(strata, lcg, seed);
  return { strata: strata.map((s, i) => ({ ...s, control: s.control - excess[i]! })), moves: movesOf(strata, excess) };
}

/** "12 LCG profiles move to Test from the strata over their new quota: city: Other (8), city = Kazan (4)." */
export function movesText(moves: readonly StratumMove[], tense: 'move' | 'moved'): string {
  const total = moves.reduce((sum, m) => sum + m.count, 0);
  const shown = moves.slice(0, 10).map((m) => `${m.label} (${formatCount(m.count)})`);
  const more = moves.length > 10 ? `, and ${formatCount(moves.length - 10)} more strata` : '';
  return `${formatCount(total)} LCG profile${total === 1 ? '' : 's'} ${tense} to Test from the strata over their new quota: ${shown.join(', ')}${more}.`;
}

/**
 * Moves the excess LCG members of each stratum over its quota to Test (highest hash first),
 * inside the caller's transaction, with a "moved_to_test" event; returns the moves.
 * The members' strata must already be the new rules' (restratified).
 */
export function trimOverQuota(db: SqlDb, campaign: CampaignRecord, lcg: LcgSettings, clock: string): StratumMove[] {
  const rows = db.all<{ stratum: number; key: string; label: string; n: number; c: number }>(
    `SELECT m.stratum, s.key, s.label, m.members AS n, m.control AS c
       FROM campaign_counts m JOIN campaign_strata s ON s.campaign_id = m.campaign_id AND s.stratum = m.stratum
      WHERE m.campaign_id = ? ORDER BY m.stratum`,
    [campaign.id],
  );
  const strata = rows.map((r) => ({ key: String(r.key), label: String(r.label), size: Number(r.n), control: Number(r.c) }));
  const excess = overQuota(strata, lcg, campaign.seed);
  const over = rows.flatMap((r, i) => (excess[i]! > 0 ? [{ stratum: Number(r.stratum), keep: Number(r.c) - excess[i]! }] : []));
  if (over.length === 0) return [];

  // The LCG members of those strata; the lowest hashes stay (STATS.md 1.3), the rest move.
  const dense = new Map(over.map((o, i) => [o.stratum, i]));
  const members = db.all<{ k: number; id: string; stratum: number }>(
    `SELECT m.profile_key AS k, p.profile_id AS id, m.stratum FROM campaign_members m JOIN ${profileTable(campaign.databaseId)} p ON p.rowid = m.profile_key
      WHERE m.campaign_id = ? AND m.grp = 'control' AND m.stratum IN (SELECT value FROM json_each(?)) ORDER BY m.profile_key`,
    [campaign.id, JSON.stringify(over.map((o) => o.stratum))],
  );
  const ids = members.map((m) => String(m.id));
  const kept = selectControl(
    Uint32Array.from(members, (m) => dense.get(Number(m.stratum))!),
    hashPackedIds(campaign.seed, packIds(ids), ids.length),
    over.map((o) => o.keep),
    (a, b) => compareText(ids[a]!, ids[b]!),
  );
  const moving = members.flatMap((m, i) => (kept[i] === 1 ? [] : [Number(m.k)]));
  db.run("UPDATE campaign_members SET grp = 'test' WHERE campaign_id = ? AND profile_key IN (SELECT value FROM json_each(?))", [campaign.id, JSON.stringify(moving)]);
  recountMembers(db, campaign.id);
  const moves = movesOf(strata, excess);
  recordEvent(db, campaign.id, clock, 'moved_to_test', `${movesText(moves, 'moved')} The stratification values changed.`, {
    data: { count: moving.length, strata: moves.length },
  });
  return moves;
}
