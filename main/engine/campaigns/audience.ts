/**
 * Building a campaign's audience and splitting it (STATS.md 1.1-1.4), set-based.
 *
 * The audience is the segment's members minus the database's global control group (unless
 * the campaign is exempt). Members are sticky: a build only
 *  - removes the members no longer in the audience ("Campaign exit" events), and
 *  - splits the new profiles: quotas are recomputed on the grown strata (Hamilton, exact
 *    total), and each stratum's shortfall is filled from its new profiles with the lowest
 *    md5(seed ":" profile_id), then profile_id; nobody already assigned moves.
 * The first build is the same rule from an empty allocation, which is the plain split.
 *
 * Only the new profiles are read out of SQLite, in one pass (keys, IDs and stratum codes as
 * typed arrays); they are hashed in the split worker pool and picked per stratum
 * (selectControl); the groups go back through SQLite's C API in chunks (the import's bulk
 * writer). The group sizes per stratum (campaign_counts) are written from the same plan, so
 * nobody counts a million rows afterwards.
 */
import { endHoldsOnExit, holdsOpen } from '../activities/holds';
import { VERSION_REASON_LABELS, type LcgSettings, type SplitVersion } from '../../../shared/contract/campaigns';
import { EngineError } from '../../../shared/contract/errors';
import { formatCount } from '../../../shared/format';
import { ID_SEPARATOR } from '../../../shared/split/hash-ids';
import { compareText } from '../../../shared/split/quotas';
import { selectControl } from '../../../shared/split/select-control';
import { planGrowth, type GrowthStratum } from '../../../shared/split/sticky';
import { ensureGcgCurrent, gcgMembersSql, poolHash } from '../gcg/membership';
import { profileTable } from '../databases/profile-table';
import type { HandlerContext } from '../registry';
import { createBulkWriter } from '../import/bulk-writer';
import { refreshDynamic } from '../segments/dynamic';
import { audienceAdditionRefusal } from '../../../shared/domain/campaign-status';
import { KeySet, withoutKeys, type KeyedIds } from '../split/read-profiles';
import type { SqlDb, SqlValue } from '../sqlite/database';
import { groupSizes, strataSizes, subtractMembers, writeStrataSizes } from './counts';
import { recordEvent } from './events';
import { profileEventCode, profileEventCodeSql } from './profile-events';
import { clockOf, isBuilt, requireCampaign, segmentInfo, type CampaignRecord } from './repository';
import { hasLcg, lcgTotal, stratumRows, violationWarning, type StratumCount } from './split-report';
import { checkStrataCount, compileStrata, stratumNumbers, type CompiledStrata } from './strata';
import { distinctCodes, numberRows, tallyCodes } from './code-tally';
import { readAudienceCodes } from './audience-codes';

export interface GrowOptions {
  readonly reason: 'activation' | 'growth' | 'lcg_change' | 'manual' | 'expansion' | 'recalculation';
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

const ADDED = 'temp.campaign_added';
/** The members leaving in a build, with their rows (ours). */
const LEAVERS = 'temp.campaign_leavers';

function dropTemps(db: SqlDb): void {
  db.exec(`DROP TABLE IF EXISTS ${ADDED}; DROP TABLE IF EXISTS ${LEAVERS}`);
}

/** The profiles joining now: keys, IDs, stratum numbers, forced into Test. */
interface Joining {
  readonly count: number;
  readonly keys: Float64Array;
  readonly packed: Uint8Array;
  readonly stratum: Int32Array;
  readonly forced: Uint8Array;
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
  // A dynamic segment is evaluated at each use: the audience is what its condition gives now.
  refreshDynamic(db, campaign.segmentId);
  const strata = compileStrata(db, campaign.databaseId, lcg.strata, 'listed');
  try {
    // 1. Profiles added by hand or by audience expansion go into the static segment first.
    const added = request.addToSegment ?? [];
    if (added.length > 0) {
      const refusal = audienceAdditionRefusal(segmentInfo(db, campaign.segmentId)?.kind ?? 'static', request.reason === 'expansion' ? 'expansion' : 'addProfiles');
      if (refusal !== null) throw new EngineError('REFUSED', refusal);
      db.exec(`CREATE TEMP TABLE ${ADDED.slice(5)} (k INTEGER PRIMARY KEY)`);
      db.run(`INSERT OR IGNORE INTO ${ADDED} (k) SELECT j.value FROM json_each(?) j JOIN ${table} p ON p.rowid = j.value`, [JSON.stringify(added)]);
      db.run(`INSERT OR IGNORE INTO segment_members (segment_id, profile_key) SELECT ?, k FROM ${ADDED}`, [campaign.segmentId]);
    }

    // 2. The global control group takes its share of new profiles before the campaign does.
    if (request.admit !== 'none' && !campaign.gcgExempt) await ensureGcgCurrent(db, campaign.databaseId, poolHash(ctx.deps.splitPool));
    await ctx.checkpoint();

    // 3. Members no longer in the audience leave (only when the whole audience is taken).
    const hadMembers = groupSizes(db, campaign.id).total > 0;
    let left = 0;
    const sets = audienceSets(db, campaign, hadMembers);
    if (request.admit === 'all' && hadMembers) left = removeLeavers(db, campaign, clock, sets);

    // 4. The new profiles, with their stratum numbers (stable keys: a known key keeps its number).
    // With rules on text columns, the IDs go to the worker pool as soon as they are read, and
    // are hashed while this thread classifies the texts (text-codes.ts); see chooseControl.
    let hashing: Promise<Uint32Array> | null = null;
    const hashEarly = (ids: KeyedIds) => {
      hashing ??= poolHash(ctx.deps.splitPool)(campaign.seed, ids.packed, ids.count);
      hashing.catch(() => undefined); // awaited in chooseControl; a build that stops before leaves it
    };
    const joining = readJoining(db, campaign, request, strata, added.length > 0, sets, hasLcg(lcg) ? hashEarly : undefined);
    const joined = joining.count;
    ctx.progress(phase, 0, joined, 'rows');
    await ctx.checkpoint();

    // 5. The plan: quotas on the grown strata, shortfall from the new profiles.
    const census = strataCensus(db, campaign.id, joining);
    const audience = census.reduce((sum, s) => sum + s.assigned + s.added, 0);
    checkStrataCount(census.length);
    const total = lcgTotal(audience, lcg);
    const plan = planGrowth(census, total, campaign.seed);
    const toControlByStratum = new Map<number, number>();
    census.forEach((s, i) => {
      const n = plan[i]!.toControl;
      if (n > 0) toControlByStratum.set(s.stratum, n);
    });

    // 6. Who goes to control: the lowest hashes among each stratum's new profiles.
    const control = await chooseControl(ctx, campaign, joining, toControlByStratum, hashing);
    const toControl = plan.reduce((sum, p) => sum + p.toControl, 0);
    await ctx.checkpoint();

    // 7. The version (kept for the history), the groups, their sizes.
    const counts: StratumCount[] = census.map((s, i) => ({
      key: s.key,
      label: s.label,
      size: s.assigned + s.added,
      control: s.control + plan[i]!.toControl,
    }));
    let versionId: number | null = null;
    if (joined > 0 || left > 0 || request.forceVersion === true || !wasBuilt) {
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
    if (joined > 0) await writeMembers(ctx, db, campaign.id, versionId ?? 0, clock, joining, control, wasBuilt);
    db.run(
      `DELETE FROM campaign_forced_test AS f WHERE f.campaign_id = ?
          AND EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = f.campaign_id AND m.profile_key = f.profile_key)`,
      [campaign.id],
    );
    writeStrataSizes(db, campaign.id, new Map(census.map((s, i) => [s.stratum, { members: counts[i]!.size, control: counts[i]!.control }])));
    if (versionId !== null) {
      const parts = [`${formatCount(joined - toControl)} to Test`, `${formatCount(toControl)} to the LCG`];
      if (left > 0) parts.push(`${formatCount(left)} left`);
      recordEvent(db, campaign.id, clock, 'audience_built', `Audience built (${VERSION_REASON_LABELS[request.reason]}): ${parts.join(', ')}.`, {
        data: { versionId, joined, left, toControl },
      });
    }
    return { joined, left, toTest: joined - toControl, toControl, versionId };
  } finally {
    strata.dispose();
    dropTemps(db);
  }
}


/**
 * The key sets a build compares, each read once (one pass in SQL) when first needed: the
 * GCG's members (after it took its share of new profiles), the campaign's members before
 * the build, the segment's members.
 */
interface AudienceSets {
  readonly gcg: () => KeySet;
  readonly members: () => KeySet;
  readonly segment: () => KeySet;
}

function audienceSets(db: SqlDb, campaign: CampaignRecord, hadMembers: boolean): AudienceSets {
  const once = (read: () => KeySet) => {
    let set: KeySet | null = null;
    return () => (set ??= read());
  };
  return {
    gcg: once(() => (campaign.gcgExempt ? KeySet.empty() : KeySet.read(db, gcgMembersSql(campaign.databaseId)))),
    members: once(() => (hadMembers ? KeySet.read(db, 'SELECT profile_key FROM campaign_members WHERE campaign_id = ?', [campaign.id]) : KeySet.empty())),
    segment: once(() => KeySet.read(db, 'SELECT profile_key FROM segment_members WHERE segment_id = ?', [campaign.segmentId])),
  };
}

/**
 * Members out of the segment, or now in the GCG, leave: a "Campaign exit" event each. The
 * leavers are found in JavaScript from three key sets (one pass each in SQL), not with a
 * lookup per member in SQL; their rows are then looked up once (LEAVERS), and their
 * events, the counts and the holds they leave are taken from there.
 */
function removeLeavers(db: SqlDb, campaign: CampaignRecord, clock: string, sets: AudienceSets): number {
  const inSegment = sets.segment();
  const gcg = sets.gcg();
  const members = sets.members().keys;
  // Each leaver's event says why: out of the segment, or (still in it) taken by the GCG.
  const outOfSegment: number[] = [];
  const intoGcg: number[] = [];
  for (const key of members) {
    if (!inSegment.has(key)) outOfSegment.push(key);
    else if (gcg.has(key)) intoGcg.push(key);
  }
  const count = outOfSegment.length + intoGcg.length;
  if (count === 0) return 0;
  db.exec(`CREATE TEMP TABLE ${LEAVERS.slice(5)} (profile_key INTEGER PRIMARY KEY, campaign_id INTEGER, grp TEXT, stratum INTEGER, forced INTEGER, why TEXT)`);
  const held = holdsOpen(db, campaign.id);
  for (const [keys, why] of [
    [outOfSegment, 'outOfSegment'],
    [intoGcg, 'intoGcg'],
  ] as const) {
    if (keys.length === 0) continue;
    // CROSS JOIN keeps the listed keys as the outer loop (a primary-key lookup each); with a
    // plain JOIN SQLite scans the campaign's members once per key: 15 s for 2,500 of 47,500.
    db.run(
      `INSERT INTO ${LEAVERS} (profile_key, campaign_id, grp, stratum, forced, why)
       SELECT m.profile_key, m.campaign_id, m.grp, m.stratum, m.forced, ? FROM json_each(?) j CROSS JOIN campaign_members m ON m.campaign_id = ? AND m.profile_key = j.value`,
      [why, JSON.stringify(keys), campaign.id],
    );
    db.run(
      `INSERT INTO campaign_events (campaign_id, clock, kind, profile_key, code)
       SELECT l.campaign_id, ?, 'campaign_exit', l.profile_key, ${profileEventCodeSql('l', why, { held })} FROM ${LEAVERS} l WHERE l.why = ?`,
      [clock, why],
    );
  }
  const keys = `SELECT profile_key FROM ${LEAVERS}`;
  if (held) endHoldsOnExit(db, campaign.id, keys, clock);
  subtractMembers(db, campaign.id, LEAVERS);
  db.run(`DELETE FROM campaign_members WHERE campaign_id = ? AND profile_key IN (${keys})`, [campaign.id]);
  return count;
}

/** An active campaign brought up to date by followAudienceChange: how many profiles joined and left it. */
export interface FollowedCampaign {
  readonly campaignId: number;
  readonly name: string;
  readonly joined: number;
  readonly left: number;
}

/**
 * Brings the active campaigns whose audience just changed up to date (sticky: new profiles
 * are split, leavers leave with an event): those on a segment edited by hand, or of a
 * database whose GCG changed, or one whose GCG exemption changed; `except` is one that was
 * just rebuilt (`reason`: the split version says it followed a segment's recalculation).
 * Inside the caller's transaction. Returns each campaign rebuilt, with what
 * changed in it.
 */
export async function followAudienceChange(
  ctx: HandlerContext,
  where: { readonly segmentId: number } | { readonly databaseId: number } | { readonly campaignId: number },
  except: number | null = null,
  reason: 'growth' | 'recalculation' = 'growth',
): Promise<FollowedCampaign[]> {
  const db = ctx.state.requireSession().db;
  const [column, value] = 'segmentId' in where ? ['segment_id', where.segmentId] : 'databaseId' in where ? ['database_id', where.databaseId] : ['id', where.campaignId];
  const rows = db.all<{ id: number; name: string }>(
    `SELECT id, name FROM campaigns WHERE status = 'active' AND deleted_at IS NULL AND ${column} = ? AND id IS NOT ? ORDER BY id`,
    [value, except],
  );
  const followed: FollowedCampaign[] = [];
  for (const { id, name } of rows) {
    const result = await growCampaign(ctx, Number(id), { reason });
    followed.push({ campaignId: Number(id), name: String(name), joined: result.joined, left: result.left });
  }
  return followed;
}

/**
 * Reads the profiles joining now, in one pass: in the audience (or added by hand), not yet
 * members; with their stratum numbers and whether they are forced into Test.
 */
function readJoining(
  db: SqlDb,
  campaign: CampaignRecord,
  request: BuildRequest,
  strata: CompiledStrata,
  hasAdded: boolean,
  sets: AudienceSets,
  onIds?: (joining: KeyedIds) => void,
): Joining {
  const none: Joining = { count: 0, keys: new Float64Array(0), packed: new Uint8Array(0), stratum: new Int32Array(0), forced: new Uint8Array(0) };
  if (request.admit === 'none' || (request.admit === 'added' && !hasAdded)) return none;
  const table = profileTable(campaign.databaseId);
  // The GCG and the members (before this build: a leaver is in neither the segment nor the
  // audience) are left out here, not in SQL: a lookup per row costs a microsecond there.
  const outside = [sets.gcg(), sets.members()];
  let from = `FROM segment_members sm JOIN ${table} p ON p.rowid = sm.profile_key WHERE sm.segment_id = ?`;
  const params: SqlValue[] = [campaign.segmentId];
  if (request.admit === 'added') {
    from += ` AND sm.profile_key IN (SELECT k FROM ${ADDED})`;
  } else if (outside[1]!.size > 0) {
    // A campaign that follows its audience: only the segment's profiles that are neither
    // members nor held by the GCG are read with their IDs and strata (the few that join),
    // not the whole segment; they are segment members (read just now), so only their profiles are looked up.
    from = `FROM (SELECT value AS profile_key FROM json_each(?)) sm CROSS JOIN ${table} p ON p.rowid = sm.profile_key`;
    params[0] = JSON.stringify(Array.from(sets.segment().keys.filter((k) => !outside.some((set) => set.has(k)))));
  }
  const everyone = readAudienceCodes(db, strata, from, params, true, onIds && ((ids) => onIds(withoutKeys(ids, outside))));
  const read = withoutKeys(everyone, outside);
  let stratum = new Int32Array(read.count);
  if (read.strata) {
    const codes = read.strata;
    stratum = numberRows(codes, strata.codes, stratumNumbers(db, campaign.id, strata, distinctCodes(codes, strata.codes)));
  } else if (read.count > 0) {
    stratum.fill(stratumNumbers(db, campaign.id, strata, [0]).get(0)!);
  }
  // Forced into Test: added by hand now with forceTest, or before the campaign was first built.
  const forced = new Uint8Array(read.count);
  const byHand = request.forceTest === true && hasAdded ? KeySet.read(db, `SELECT k FROM ${ADDED}`) : KeySet.empty();
  const waiting = KeySet.read(db, 'SELECT profile_key FROM campaign_forced_test WHERE campaign_id = ?', [campaign.id]);
  if (byHand.size > 0 || waiting.size > 0) {
    for (let i = 0; i < read.count; i += 1) if (byHand.has(read.keys[i]!) || waiting.has(read.keys[i]!)) forced[i] = 1;
  }
  return { count: read.count, keys: read.keys, packed: read.packed, stratum, forced };
}

interface CensusStratum extends GrowthStratum {
  readonly stratum: number;
  readonly label: string;
}

/**
 * Per stratum, in stratum order: members now (assigned, of them control) and new profiles
 * (added; forced ones count as assigned Test, since they may not enter the LCG).
 */
function strataCensus(db: SqlDb, campaignId: number, joining: Joining): CensusStratum[] {
  const names = new Map(
    db
      .all<{ stratum: number; key: string; label: string }>('SELECT stratum, key, label FROM campaign_strata WHERE campaign_id = ?', [campaignId])
      .map((r) => [Number(r.stratum), { key: String(r.key), label: String(r.label) }]),
  );
  const census = new Map<number, { assigned: number; control: number; added: number }>();
  for (const [stratum, size] of strataSizes(db, campaignId)) census.set(stratum, { assigned: size.members, control: size.control, added: 0 });
  // The new profiles counted by stratum number in one pass each (code-tally.ts), not a Map lookup each.
  const bound = stratumBound(joining);
  const tally = (forced: boolean) => tallyCodes(joining.stratum, bound, (i) => (joining.forced[i] === 1) === forced);
  const entry = (s: number) => census.get(s) ?? census.set(s, { assigned: 0, control: 0, added: 0 }).get(s)!;
  for (const [s, n] of tally(true)) entry(s).assigned += n;
  for (const [s, n] of tally(false)) entry(s).added += n;
  return [...census]
    .filter(([, e]) => e.assigned + e.added > 0)
    .sort((a, b) => a[0] - b[0])
    .map(([stratum, e]) => {
      const name = names.get(stratum) ?? { key: String(stratum), label: String(stratum) };
      return { stratum, key: name.key, label: name.label, assigned: e.assigned, control: e.control, added: e.added };
    });
}

/**
 * Hashes the joining profiles' IDs in the worker pool and picks each stratum's lowest
 * hashes (ties: profile_id in UTF-8 byte order); forced profiles are never picked.
 * Returns 1 per joining profile that goes to control. `early`: the same IDs' hashes, started
 * while they were read (see buildAudience).
 */
async function chooseControl(
  ctx: HandlerContext,
  campaign: CampaignRecord,
  joining: Joining,
  toControl: ReadonlyMap<number, number>,
  early: Promise<Uint32Array> | null,
): Promise<Uint8Array> {
  if (toControl.size === 0) return new Uint8Array(joining.count);
  ctx.progress('Hashing profile IDs', 0, joining.count, 'rows');
  const started = early === null ? null : await early;
  const hashes = started?.length === joining.count * 4 ? started : await poolHash(ctx.deps.splitPool)(campaign.seed, joining.packed, joining.count);
  ctx.progress('Hashing profile IDs', joining.count, joining.count, 'rows');
  await ctx.checkpoint();
  ctx.progress('Choosing the LCG', 0, joining.count, 'rows');
  // Dense stratum indices; the strata that take nobody, and the forced profiles, share the last one (quota 0).
  const taking = [...toControl.keys()];
  const nobody = taking.length;
  const dense = new Map(taking.map((s, i) => [s, i]));
  const bound = stratumBound(joining);
  const indices = numberRows(joining.stratum, bound, new Map(distinctCodes(joining.stratum, bound).map((s) => [s, dense.get(s) ?? nobody])));
  const stratumOf = new Uint32Array(indices.buffer);
  for (let i = 0; i < joining.count; i += 1) if (joining.forced[i] === 1) stratumOf[i] = nobody;
  return selectControl(stratumOf, hashes, [...taking.map((s) => toControl.get(s)!), 0], idTieBreak(joining));
}

/** One more than the largest stratum number of the joining profiles (a bound for code-tally.ts). */
function stratumBound(joining: Joining): number {
  let top = 0;
  for (let i = 0; i < joining.count; i += 1) top = Math.max(top, joining.stratum[i]!);
  return top + 1;
}

/** Orders two profiles of a read by profile_id (UTF-8 bytes); the offsets are built on first use (exact md5 ties are rare). */
export function idTieBreak(read: { readonly count: number; readonly packed: Uint8Array }): (a: number, b: number) => number {
  let starts: Int32Array | null = null;
  const decoder = new TextDecoder();
  const idAt = (i: number): string => {
    if (!starts) {
      starts = new Int32Array(read.count + 1);
      let k = 1;
      for (let b = 0; b < read.packed.length && k < read.count; b += 1) if (read.packed[b] === ID_SEPARATOR) starts[k++] = b + 1;
      starts[read.count] = read.packed.length + 1;
    }
    return decoder.decode(read.packed.subarray(starts[i]!, starts[i + 1]! - 1));
  };
  return (a, b) => compareText(idAt(a), idAt(b)) || a - b;
}

/** Members written between two progress reports (and cancel checks). */
const WRITE_CHUNK = 100_000;

/**
 * Writes the joining profiles as members through SQLite's C API (the import's bulk writer:
 * numbers bound straight from typed arrays, many rows per statement), WRITE_CHUNK at a
 * time; a "profile_joined" event each when the campaign was built before.
 */
async function writeMembers(
  ctx: HandlerContext,
  db: SqlDb,
  campaignId: number,
  versionId: number,
  clock: string,
  joining: Joining,
  control: Uint8Array,
  withEvents: boolean,
): Promise<void> {
  const phase = 'Writing the groups';
  ctx.progress(phase, 0, joining.count, 'rows');
  // Our own integers in the SQL; the numbers of each row are bound: key, control, stratum, forced, and the code of its "joined" event.
  const numbers = (slots: readonly number[]) => slots.map((slot) => ({ from: 'number', slot, integer: true }) as const);
  const writer = createBulkWriter(ctx.deps.sql, db, {
    insert: {
      head: 'INSERT INTO campaign_members (campaign_id, profile_key, grp, stratum, version_id, forced) VALUES',
      row: `(${Math.trunc(campaignId)}, ?, CASE ? WHEN 1 THEN 'control' ELSE 'test' END, ?, ${Math.trunc(versionId)}, ?)`,
    },
    sources: numbers([0, 1, 2, 3]),
    textSlots: 0,
    numberSlots: 5,
  });
  // The "joined" events, from the same numbers (the clock is a quoted literal: a text from the file, quoted as SQL quotes).
  const events = withEvents
    ? createBulkWriter(ctx.deps.sql, db, {
        insert: {
          head: 'INSERT INTO campaign_events (campaign_id, clock, kind, profile_key, code) VALUES',
          row: `(${Math.trunc(campaignId)}, '${clock.replace(/'/g, "''")}', 'profile_joined', ?, ?)`,
        },
        sources: numbers([0, 4]),
        textSlots: 0,
        numberSlots: 5,
      })
    : null;
  try {
    for (let start = 0; start < joining.count; start += WRITE_CHUNK) {
      const end = Math.min(joining.count, start + WRITE_CHUNK);
      const rows = new Float64Array((end - start) * 5);
      for (let i = start; i < end; i += 1) {
        const at = (i - start) * 5;
        rows[at] = joining.keys[i]!;
        rows[at + 1] = control[i]!;
        rows[at + 2] = joining.stratum[i]!;
        rows[at + 3] = joining.forced[i]!;
        rows[at + 4] = profileEventCode({ lcg: control[i] === 1, forced: joining.forced[i] === 1 });
      }
      const batch = { rows: end - start, text: new Uint8Array(0), textStart: new Int32Array(0), textLength: new Int32Array(0), numbers: rows };
      writer.write(batch);
      events?.write(batch);
      ctx.progress(phase, end, joining.count, 'rows');
      await ctx.checkpoint();
    }
  } finally {
    writer.close();
    events?.close();
  }
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
