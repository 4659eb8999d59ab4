/**
 * Building a campaign's audience and splitting it (STATS.md 1.1-1.4), set-based.
 *
 * The audience is the segment's members minus the database's global control group (unless
 * the campaign is exempt). Members are sticky: a build only
 *  - removes the members no longer in the audience ("profile_left" events), and
 *  - splits the new profiles: quotas are recomputed on the grown strata (Hamilton, exact
 *    total), and each stratum's shortfall is filled from its new profiles with the lowest
 *    md5(seed ":" profile_id), then profile_id; nobody already assigned moves.
 * The first build is the same rule from an empty allocation, which is the plain split.
 *
 * Only the new profiles are read out of SQLite (keys, IDs and stratum numbers as typed
 * arrays), hashed in the split worker pool and picked per stratum by quickselect; the
 * groups go back in one INSERT ... SELECT with the control keys as a JSON array.
 */
import type { LcgSettings, SplitVersion } from '../../../shared/contract/campaigns';
import { EngineError } from '../../../shared/contract/errors';
import { formatCount } from '../../../shared/format';
import { compareText } from '../../../shared/split/quotas';
import { selectControl } from '../../../shared/split/select-control';
import { planGrowth, type GrowthStratum } from '../../../shared/split/sticky';
import { ensureGcgCurrent, gcgMembersSql, poolHash } from '../gcg/membership';
import { profileTable } from '../databases/profile-table';
import type { HandlerContext } from '../registry';
import { readKeyedIds, type KeyedIds } from '../split/read-profiles';
import type { SqlDb } from '../sqlite/database';
import { recordEvent } from './events';
import { clockOf, isBuilt, requireCampaign, segmentInfo, type CampaignRecord } from './repository';
import { lcgTotal, stratumRows, violationWarning, type StratumCount } from './split-report';
import { checkStrataCount, compileStrata, stratumNumbers, writeCodeMap, type CompiledStrata } from './strata';

export interface GrowOptions {
  readonly reason: 'activation' | 'growth' | 'lcg_change' | 'manual' | 'expansion';
  /** Profile keys to add to the campaign's static segment first. */
  readonly addToSegment?: readonly number[];
  /** New profiles go to Test (manual addition). */
  readonly forceTest?: boolean;
}

export interface GrowResult {
  readonly joined: number;
  readonly left: number;
  readonly toTest: number;
  readonly toControl: number;
  readonly versionId: number | null;
}

type VersionReason = SplitVersion['reason'];

export interface BuildRequest {
  readonly reason: VersionReason;
  /**
   * Which new profiles join now: the whole audience (`all`: an active campaign, with the
   * leavers going), only the profiles of `addToSegment` (`added`: manual addition to a
   * campaign that is not running), or nobody (`none`: a new version of the allocation as
   * it is, after an LCG change of a campaign that is not running).
   */
  readonly admit: 'all' | 'added' | 'none';
  readonly addToSegment?: readonly number[] | undefined;
  readonly forceTest?: boolean | undefined;
  /** Record a split version even if nobody joined or left. */
  readonly forceVersion?: boolean | undefined;
  /** The LCG settings to split by (the campaign's own by default). */
  readonly lcg?: LcgSettings | undefined;
}

/**
 * Brings a campaign's allocation up to date with its audience (STATS.md 1.4): new profiles
 * are split by the sticky rule, profiles no longer in the audience leave (events); records
 * a split version when anything changed. Inside the caller's transaction; reports progress
 * via ctx; honours cancel via ctx.checkpoint().
 *
 * A running campaign takes its whole audience; one that is not running (inactive, waiting)
 * takes only the profiles of `addToSegment`, which are split now (or forced into Test).
 */
export async function growCampaign(ctx: HandlerContext, campaignId: number, options: GrowOptions): Promise<GrowResult> {
  const db = ctx.state.requireSession().db;
  const campaign = requireCampaign(db, campaignId);
  const running = campaign.status === 'active' || campaign.status === 'audience_building';
  const admit = options.addToSegment !== undefined && !running ? 'added' : 'all';
  return buildAudience(ctx, campaign, { reason: options.reason, admit, addToSegment: options.addToSegment, forceTest: options.forceTest });
}

const NEW = 'temp.campaign_new';
const ADDED = 'temp.campaign_added';
const CODES = 'campaign_code_map';
const CONTROL = 'temp.campaign_control';

function dropTemps(db: SqlDb): void {
  db.exec(`DROP TABLE IF EXISTS ${NEW}; DROP TABLE IF EXISTS ${ADDED}; DROP TABLE IF EXISTS temp.${CODES}; DROP TABLE IF EXISTS ${CONTROL};`);
}

/** SQL condition: the profile `key` is out of the campaign's audience because of the GCG. */
function gcgCondition(campaign: CampaignRecord, key: string): string {
  return campaign.gcgExempt ? '0' : `${key} IN (${gcgMembersSql(campaign.databaseId)})`;
}

/** The audience build itself; see the module comment. */
export async function buildAudience(ctx: HandlerContext, campaign: CampaignRecord, request: BuildRequest): Promise<GrowResult> {
  const db = ctx.state.requireSession().db;
  const lcg = request.lcg ?? campaign.lcg;
  const clock = clockOf(db);
  const table = profileTable(campaign.databaseId);
  const wasBuilt = isBuilt(db, campaign.id);
  const phase = 'Building the audience';
  ctx.progress(phase, 0, null, 'rows');
  dropTemps(db);
  const strata = compileStrata(db, campaign.databaseId, lcg.strata);
  try {
    // 1. Profiles added by hand or by audience expansion go into the static segment first.
    const added = request.addToSegment ?? [];
    if (added.length > 0) {
      const segment = segmentInfo(db, campaign.segmentId);
      if (segment?.kind !== 'static') throw new EngineError('REFUSED', 'Profiles can be added by hand only to a campaign on a static segment.');
      db.exec(`CREATE TEMP TABLE ${ADDED.slice(5)} (k INTEGER PRIMARY KEY)`);
      db.run(`INSERT OR IGNORE INTO ${ADDED} (k) SELECT j.value FROM json_each(?) j JOIN ${table} p ON p.rowid = j.value`, [JSON.stringify(added)]);
      db.run(`INSERT OR IGNORE INTO segment_members (segment_id, profile_key) SELECT ?, k FROM ${ADDED}`, [campaign.segmentId]);
    }

    // 2. The global control group takes its share of new profiles before the campaign does.
    if (request.admit !== 'none' && !campaign.gcgExempt) await ensureGcgCurrent(db, campaign.databaseId, poolHash);
    await ctx.checkpoint();

    // 3. Members no longer in the audience leave (only when the whole audience is taken).
    let left = 0;
    if (request.admit === 'all') left = removeLeavers(db, campaign, clock);

    // 4. The new profiles, with their stratum code.
    db.exec(`CREATE TEMP TABLE ${NEW.slice(5)} (k INTEGER PRIMARY KEY, code INTEGER NOT NULL, forced INTEGER NOT NULL)`);
    if (request.admit !== 'none') findNewProfiles(db, campaign, request, strata, added.length > 0);
    const joined = Number(db.scalar(`SELECT COUNT(*) FROM ${NEW}`));
    ctx.progress(phase, 0, joined, 'rows');
    await ctx.checkpoint();

    // 5. Stratum numbers for the new profiles' codes (stable keys: a known key keeps its number).
    const codes = db.all<{ code: number }>(`SELECT DISTINCT code FROM ${NEW}`).map((r) => Number(r.code));
    const numbers = stratumNumbers(db, campaign.id, strata, codes);
    writeCodeMap(db, CODES, numbers);

    // 6. The plan: quotas on the grown strata, shortfall from the new profiles.
    const census = strataCensus(db, campaign.id);
    const audience = [...census.values()].reduce((sum, s) => sum + s.assigned + s.added, 0);
    checkStrataCount(census.size);
    const total = lcgTotal(audience, lcg);
    const ordered = [...census.values()].filter((s) => s.assigned + s.added > 0);
    const plan = planGrowth(ordered, total, campaign.seed);
    const toControlByStratum = new Map<number, number>();
    ordered.forEach((s, i) => {
      const n = plan[i]!.toControl;
      if (n > 0) toControlByStratum.set(s.stratum, n);
    });

    // 7. Who goes to control: the lowest hashes among each stratum's new profiles.
    const controlKeys = await chooseControl(ctx, db, campaign, table, toControlByStratum);
    const toControl = controlKeys.length;
    db.exec(`CREATE TEMP TABLE ${CONTROL.slice(5)} (k INTEGER PRIMARY KEY)`);
    if (controlKeys.length > 0) db.run(`INSERT INTO ${CONTROL} (k) SELECT value FROM json_each(?)`, [JSON.stringify(controlKeys)]);
    await ctx.checkpoint();

    // 8. The version (kept for the history), then the groups.
    let versionId: number | null = null;
    if (joined > 0 || left > 0 || request.forceVersion === true || !wasBuilt) {
      const counts: StratumCount[] = ordered.map((s, i) => ({
        key: s.key,
        label: s.label,
        size: s.assigned + s.added,
        control: s.control + plan[i]!.toControl,
      }));
      versionId = insertVersion(db, ctx, campaign, lcg, clock, request.reason, {
        audience,
        total,
        joined,
        left,
        counts,
        shortfall: plan.reduce((sum, p) => sum + p.shortfall, 0),
        surplus: plan.reduce((sum, p) => sum + p.surplus, 0),
      });
    }
    if (joined > 0) {
      ctx.progress('Writing the groups', 0, joined, 'rows');
      db.run(
        `INSERT INTO campaign_members (campaign_id, profile_key, grp, stratum, version_id, forced)
         SELECT ?, n.k, CASE WHEN c.k IS NULL THEN 'test' ELSE 'control' END, m.stratum, ?, n.forced
           FROM ${NEW} n JOIN temp.${CODES} m ON m.code = n.code LEFT JOIN ${CONTROL} c ON c.k = n.k
          ORDER BY n.k`,
        [campaign.id, versionId],
      );
      if (wasBuilt) {
        db.run(
          `INSERT INTO campaign_events (campaign_id, clock, kind, profile_key, details)
           SELECT ?, ?, 'profile_joined', profile_key,
                  json_object('text', 'Joined the campaign: ' || CASE grp WHEN 'control' THEN 'LCG' ELSE 'Test' END
                                      || CASE WHEN forced = 1 THEN ' (forced into Test)' ELSE '' END)
             FROM campaign_members WHERE campaign_id = ? AND version_id = ?`,
          [campaign.id, clock, campaign.id, versionId],
        );
      }
      ctx.progress('Writing the groups', joined, joined, 'rows');
    }
    if (versionId !== null) {
      const parts = [`${formatCount(joined - toControl)} to Test`, `${formatCount(toControl)} to the LCG`];
      if (left > 0) parts.push(`${formatCount(left)} left`);
      recordEvent(db, campaign.id, clock, 'audience_built', `Audience built (${reasonText(request.reason)}): ${parts.join(', ')}.`, {
        data: { versionId, joined, left, toControl },
      });
    }
    return { joined, left, toTest: joined - toControl, toControl, versionId };
  } finally {
    strata.dispose();
    dropTemps(db);
  }
}

function reasonText(reason: VersionReason): string {
  switch (reason) {
    case 'activation':
      return 'activation';
    case 'growth':
      return 'new profiles';
    case 'lcg_change':
      return 'LCG change';
    case 'manual':
      return 'profiles added by hand';
    case 'expansion':
      return 'audience expansion';
  }
}

/** Members out of the segment, or now in the GCG, leave: a "profile_left" event each. */
function removeLeavers(db: SqlDb, campaign: CampaignRecord, clock: string): number {
  const outside = `m.campaign_id = ? AND (NOT EXISTS (SELECT 1 FROM segment_members sm WHERE sm.segment_id = ? AND sm.profile_key = m.profile_key)
                   OR ${gcgCondition(campaign, 'm.profile_key')})`;
  const left = Number(db.scalar(`SELECT COUNT(*) FROM campaign_members m WHERE ${outside}`, [campaign.id, campaign.segmentId]));
  if (left === 0) return 0;
  db.run(
    `INSERT INTO campaign_events (campaign_id, clock, kind, profile_key, details)
     SELECT m.campaign_id, ?, 'profile_left', m.profile_key,
            json_object('text', 'Left the campaign: no longer in its audience (was in ' || CASE m.grp WHEN 'control' THEN 'the LCG' ELSE 'Test' END || ')')
       FROM campaign_members m WHERE ${outside}`,
    [clock, campaign.id, campaign.segmentId],
  );
  db.run(`DELETE FROM campaign_members AS m WHERE ${outside}`, [campaign.id, campaign.segmentId]);
  return left;
}

/** Fills the temporary table of new profiles: in the audience (or added by hand), not yet members. */
function findNewProfiles(db: SqlDb, campaign: CampaignRecord, request: BuildRequest, strata: CompiledStrata, hasAdded: boolean): void {
  const table = profileTable(campaign.databaseId);
  const forced = request.forceTest === true && hasAdded ? `(sm.profile_key IN (SELECT k FROM ${ADDED}))` : '0';
  const onlyAdded = request.admit === 'added' ? `AND sm.profile_key IN (SELECT k FROM ${ADDED})` : '';
  if (request.admit === 'added' && !hasAdded) return;
  db.run(
    `INSERT INTO ${NEW} (k, code, forced)
     SELECT sm.profile_key, ${strata.codeSql}, ${forced}
       FROM segment_members sm JOIN ${table} p ON p.rowid = sm.profile_key
      WHERE sm.segment_id = ? ${onlyAdded}
        AND NOT EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = ? AND m.profile_key = sm.profile_key)
        AND NOT ${gcgCondition(campaign, 'sm.profile_key')}`,
    [campaign.segmentId, campaign.id],
  );
}

interface CensusStratum extends GrowthStratum {
  readonly stratum: number;
  readonly label: string;
}

/**
 * Per stratum: members now (assigned, of them control) and new profiles (added; forced ones
 * count as assigned Test, since they may not enter the LCG).
 */
function strataCensus(db: SqlDb, campaignId: number): Map<number, CensusStratum> {
  const names = new Map(
    db
      .all<{ stratum: number; key: string; label: string }>('SELECT stratum, key, label FROM campaign_strata WHERE campaign_id = ?', [campaignId])
      .map((r) => [Number(r.stratum), { key: String(r.key), label: String(r.label) }]),
  );
  const census = new Map<number, { assigned: number; control: number; added: number }>();
  const entry = (stratum: number) => {
    let e = census.get(stratum);
    if (!e) {
      e = { assigned: 0, control: 0, added: 0 };
      census.set(stratum, e);
    }
    return e;
  };
  for (const r of db.all<{ s: number; n: number; c: number }>(
    `SELECT stratum AS s, COUNT(*) AS n, SUM(grp = 'control') AS c FROM campaign_members WHERE campaign_id = ? GROUP BY stratum`,
    [campaignId],
  )) {
    const e = entry(Number(r.s));
    e.assigned += Number(r.n);
    e.control += Number(r.c);
  }
  for (const r of db.all<{ s: number; n: number; f: number }>(
    `SELECT m.stratum AS s, COUNT(*) AS n, SUM(n.forced) AS f FROM ${NEW} n JOIN temp.${CODES} m ON m.code = n.code GROUP BY m.stratum`,
  )) {
    const e = entry(Number(r.s));
    e.assigned += Number(r.f);
    e.added += Number(r.n) - Number(r.f);
  }
  const out = new Map<number, CensusStratum>();
  for (const [stratum, e] of [...census].sort((a, b) => a[0] - b[0])) {
    const name = names.get(stratum) ?? { key: String(stratum), label: String(stratum) };
    out.set(stratum, { stratum, key: name.key, label: name.label, assigned: e.assigned, control: e.control, added: e.added });
  }
  return out;
}

/**
 * Reads the new (not forced) profiles of the strata that take control profiles, hashes
 * their IDs in the worker pool and picks each stratum's lowest hashes (ties: profile_id
 * in UTF-8 byte order). Returns the chosen profile keys.
 */
async function chooseControl(
  ctx: HandlerContext,
  db: SqlDb,
  campaign: CampaignRecord,
  table: string,
  toControl: ReadonlyMap<number, number>,
): Promise<number[]> {
  if (toControl.size === 0) return [];
  const strata = [...toControl.keys()];
  ctx.progress('Reading profiles', 0, null, 'rows');
  const read = readKeyedIds(
    db,
    `SELECT n.k, p.profile_id, m.stratum FROM ${NEW} n JOIN temp.${CODES} m ON m.code = n.code JOIN ${table} p ON p.rowid = n.k
      WHERE n.forced = 0 AND m.stratum IN (SELECT value FROM json_each(?)) ORDER BY n.k`,
    [JSON.stringify(strata)],
    true,
  );
  await ctx.checkpoint();
  ctx.progress('Hashing profile IDs', 0, read.count, 'rows');
  const hashes = await poolHash(campaign.seed, read.packed, read.count);
  ctx.progress('Hashing profile IDs', read.count, read.count, 'rows');
  await ctx.checkpoint();
  ctx.progress('Choosing the LCG', 0, read.count, 'rows');
  const dense = new Map(strata.map((s, i) => [s, i]));
  const stratumOf = new Uint32Array(read.count);
  const numbers = read.strata as Int32Array;
  for (let i = 0; i < read.count; i += 1) stratumOf[i] = dense.get(numbers[i]!)!;
  const flags = selectControl(stratumOf, hashes, strata.map((s) => toControl.get(s)!), idTieBreak(read));
  const keys: number[] = [];
  for (let i = 0; i < read.count; i += 1) if (flags[i] === 1) keys.push(read.keys[i]!);
  return keys;
}

/** Orders two profiles of a read by profile_id (UTF-8 bytes); the offsets are built on first use (exact md5 ties are rare). */
export function idTieBreak(read: KeyedIds): (a: number, b: number) => number {
  let starts: Int32Array | null = null;
  const decoder = new TextDecoder();
  const idAt = (i: number): string => {
    if (!starts) {
      starts = new Int32Array(read.count + 1);
      let k = 1;
      for (let b = 0; b < read.packed.length && k < read.count; b += 1) if (read.packed[b] === 0x1f) starts[k++] = b + 1;
      starts[read.count] = read.packed.length + 1;
    }
    return decoder.decode(read.packed.subarray(starts[i]!, starts[i + 1]! - 1));
  };
  return (a, b) => compareText(idAt(a), idAt(b)) || a - b;
}

interface VersionFacts {
  readonly audience: number;
  readonly total: number;
  readonly joined: number;
  readonly left: number;
  readonly counts: readonly StratumCount[];
  readonly shortfall: number;
  readonly surplus: number;
}

function insertVersion(
  db: SqlDb,
  ctx: HandlerContext,
  campaign: CampaignRecord,
  lcg: LcgSettings,
  clock: string,
  reason: VersionReason,
  facts: VersionFacts,
): number {
  const rows = stratumRows(facts.counts, facts.total);
  const warning = violationWarning(facts.counts, lcg, campaign.seed);
  db.run(
    `INSERT INTO split_versions (campaign_id, clock, built_at, reason, seed, lcg, audience, control_total, joined, left_count, strata, warning, shortfall, surplus)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      campaign.id,
      clock,
      ctx.deps.now().toISOString(),
      reason,
      campaign.seed,
      JSON.stringify(lcg),
      facts.audience,
      facts.total,
      facts.joined,
      facts.left,
      JSON.stringify(rows),
      warning === null ? null : JSON.stringify(warning),
      facts.shortfall,
      facts.surplus,
    ],
  );
  return Number(db.scalar('SELECT last_insert_rowid()'));
}
