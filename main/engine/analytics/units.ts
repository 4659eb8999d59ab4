/**
 * Who a campaign's analysis counts, and from when (README "Campaign analytics"):
 * - everyone the campaign assigned at random: its members now, and those who left it, each
 *   by its latest assignment (intention to treat: leaving may itself be an effect of the
 *   campaign, so leavers stay in the group they were assigned to);
 * - not the profiles forced into Test by hand: they were not assigned at random;
 * - with the GCG members of the campaign's segment as a third group, when the database has
 *   a GCG and the campaign is not exempt from it.
 * Each profile's entry is when it was assigned: its split version's clock (members), or its
 * last "joined" event before it left (leavers; the first build's clock when it joined then).
 * Leavers keep no stratum: they make a stratum of their own, "Left the campaign".
 */
import { EngineError } from '../../../shared/contract/errors';
import type { MetricAnchor } from '../../../shared/contract/analytics';
import { clockMinutes } from '../../../shared/domain/clock';
import type { CampaignRecord } from '../campaigns/repository';
import { gcgMembersSql, readGcgSettings } from '../gcg/membership';
import { lowerBound, readIntegers } from '../split/read-profiles';
import type { SqlDb, SqlValue } from '../sqlite/database';

export const TEST = 0;
export const LCG = 1;
export const GCG = 2;
/** The stratum of profiles that left the campaign (their stratum is not kept). */
export const LEFT_STRATUM = -1;
export const LEFT_LABEL = 'Left the campaign';

/** The analysed profiles, sorted by key, as parallel arrays. */
export interface Units {
  readonly count: number;
  readonly keys: Float64Array;
  /** TEST, LCG or GCG. */
  readonly group: Uint8Array;
  readonly stratum: Int32Array;
  /** Entry on the project clock, in minutes since 1970 (NaN: none, a GCG member). */
  readonly entry: Float64Array;
  /** Profiles forced into Test by hand, left out. */
  readonly forced: number;
}

/**
 * Packs a profile's group, stratum (-1 and up; a number from a file is kept in range, so a
 * damaged one cannot spill into the other parts) and entry (an index into `entries`) into
 * one integer, read in one pass.
 */
const PACK = (group: string, stratum: string, entry: string) => `((${entry}) * 1048576 + (MIN(MAX(${stratum}, -1), 1048574) + 1)) * 4 + (${group})`;

/** SQL mapping `expr`'s values (SQL literals of ours) to integers, `otherwise` for any other. */
function caseOf(expr: string, pairs: readonly (readonly [string, number])[], otherwise: number): string {
  return pairs.length === 0 ? String(otherwise) : `CASE ${expr} ${pairs.map(([value, to]) => `WHEN ${value} THEN ${to}`).join(' ')} ELSE ${otherwise} END`;
}

interface Part {
  readonly keys: Float64Array;
  readonly packed: Float64Array;
}

function readPart(db: SqlDb, from: string, key: string, packed: string, params: SqlValue[]): Part {
  return { keys: readIntegers(db, `SELECT ${key} ${from}`, params), packed: readIntegers(db, `SELECT ${packed} ${from}`, params) };
}

/** Reads the analysed profiles of a campaign (see the module comment). */
export function readUnits(db: SqlDb, campaign: CampaignRecord): Units {
  // The clocks profiles entered at: each split version's, and each "joined" moment of a leaver (by index).
  const versions = db.all<{ id: number; clock: string }>('SELECT id, clock FROM split_versions WHERE campaign_id = ? ORDER BY id', [campaign.id]);
  const firstBuild = versions[0]?.clock;
  if (firstBuild === undefined) {
    throw new EngineError('REFUSED', `The campaign "${campaign.name}" has never been activated: it has no Test or LCG to compare yet. Activate it (and let it run) first.`, {
      reason: 'not_built',
    });
  }
  const entries: number[] = [];
  const entryIndex = new Map<string, number>();
  const entryOf = (clock: string) => {
    let i = entryIndex.get(clock);
    if (i === undefined) {
      entryIndex.set(clock, (i = entries.length));
      entries.push(clockMinutes(clock));
    }
    return i;
  };
  const versionEntry = caseOf('m.version_id', versions.map((v) => [String(Math.trunc(Number(v.id))), entryOf(String(v.clock))]), entryOf(String(firstBuild)));
  // Members now (in key order: the table's own), but those forced into Test.
  const members = readPart(
    db,
    'FROM campaign_members m WHERE m.campaign_id = ? AND m.forced = 0 ORDER BY m.profile_key',
    'm.profile_key',
    PACK(`CASE m.grp WHEN 'control' THEN ${LCG} ELSE ${TEST} END`, 'm.stratum', versionEntry),
    [campaign.id],
  );
  const forcedNow = Number(db.scalar('SELECT COUNT(*) FROM campaign_members WHERE campaign_id = ? AND forced = 1', [campaign.id]) ?? 0);

  // Leavers: the latest exit of each profile that is not a member now (codes: campaigns/profile-events.ts; 1 = LCG, 2 = forced),
  // entered at its last "joined" event before that exit, or at the first build.
  const exits = `SELECT profile_key, code, MAX(id) AS id FROM campaign_events
                  WHERE campaign_id = ? AND kind = 'campaign_exit' AND profile_key IS NOT NULL AND code IS NOT NULL GROUP BY profile_key`;
  let leavers: Part = { keys: new Float64Array(0), packed: new Float64Array(0) };
  let forcedLeft = 0;
  const anyExit = db.get("SELECT 1 FROM campaign_events WHERE campaign_id = ? AND kind = 'campaign_exit' AND profile_key IS NOT NULL LIMIT 1", [campaign.id]) !== undefined;
  if (anyExit) {
    db.exec('DROP TABLE IF EXISTS temp.analysis_leavers; DROP TABLE IF EXISTS temp.analysis_joins');
    try {
      // Every "joined" moment, looked up by profile (one pass over the campaign's events).
      db.run("CREATE TABLE temp.analysis_joins AS SELECT profile_key, id, clock FROM campaign_events WHERE campaign_id = ? AND kind = 'profile_joined' AND profile_key IS NOT NULL", [campaign.id]);
      db.exec('CREATE INDEX temp.analysis_joins_key ON analysis_joins (profile_key, id)');
      db.run(
        `CREATE TABLE temp.analysis_leavers AS
         SELECT x.profile_key, x.code,
                (SELECT j.clock FROM temp.analysis_joins j WHERE j.profile_key = x.profile_key AND j.id < x.id ORDER BY j.id DESC LIMIT 1) AS joined
           FROM (${exits}) x
          WHERE NOT EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = ? AND m.profile_key = x.profile_key)`,
        [campaign.id, campaign.id],
      );
      forcedLeft = Number(db.scalar('SELECT COUNT(*) FROM temp.analysis_leavers WHERE (code & 2) <> 0') ?? 0);
      const joinedAt = db.all<{ joined: string }>('SELECT DISTINCT joined FROM temp.analysis_leavers WHERE joined IS NOT NULL');
      const joinedEntry = caseOf('joined', joinedAt.map((r) => [`'${String(r.joined).replace(/'/g, "''")}'`, entryOf(String(r.joined))]), entryOf(String(firstBuild)));
      leavers = readPart(
        db,
        'FROM temp.analysis_leavers WHERE (code & 2) = 0 ORDER BY profile_key',
        'profile_key',
        PACK(`CASE WHEN (code & 1) <> 0 THEN ${LCG} ELSE ${TEST} END`, String(LEFT_STRATUM), joinedEntry),
        [],
      );
    } finally {
      db.exec('DROP TABLE IF EXISTS temp.analysis_leavers; DROP TABLE IF EXISTS temp.analysis_joins');
    }
  }

  // The GCG members of the campaign's segment.
  const gcg = readGcgSettings(db, campaign.databaseId);
  const held =
    gcg !== null && gcg.percentBp > 0 && !campaign.gcgExempt
      ? readIntegers(db, `SELECT profile_key FROM segment_members WHERE segment_id = ? AND profile_key IN (${gcgMembersSql(campaign.databaseId)}) ORDER BY profile_key`, [campaign.segmentId])
      : new Float64Array(0);

  // Merged in key order; a key already taken (a member, then a leaver) is not taken again.
  const total = members.keys.length + leavers.keys.length + held.length;
  const keys = new Float64Array(total);
  const group = new Uint8Array(total);
  const stratum = new Int32Array(total);
  const entry = new Float64Array(total);
  const parts = [members, leavers, { keys: held, packed: null }] as const;
  const at = [0, 0, 0];
  let count = 0;
  for (;;) {
    let next = -1;
    for (let p = 0; p < 3; p += 1) {
      const k = parts[p]!.keys[at[p]!];
      if (k !== undefined && (next < 0 || k < parts[next]!.keys[at[next]!]!)) next = p;
    }
    if (next < 0) break;
    const i = at[next]!++;
    const key = parts[next]!.keys[i]!;
    if (count > 0 && keys[count - 1] === key) continue;
    keys[count] = key;
    const packed = parts[next]!.packed?.[i];
    if (packed === undefined) {
      group[count] = GCG;
      stratum[count] = LEFT_STRATUM;
      entry[count] = Number.NaN;
    } else {
      group[count] = packed % 4;
      const rest = Math.floor(packed / 4);
      stratum[count] = (rest % 1048576) - 1;
      entry[count] = entries[Math.floor(rest / 1048576)]!;
    }
    count += 1;
  }
  return { count, keys: keys.subarray(0, count), group: group.subarray(0, count), stratum: stratum.subarray(0, count), entry: entry.subarray(0, count), forced: forcedNow + forcedLeft };
}

/** The kinds of activity runs that reach the campaign's whole audience (not one profile's event). */
const AUDIENCE_RUNS = "('manual', 'launch', 'schedule', 'audience_change')";

/**
 * Each profile's anchor in minutes (NaN: none yet): its entry; the campaign's activation; or
 * the first run of the campaign that reaches its whole audience (a broadcast, a regular
 * mailing, a placement) at or after its entry — the moment Test was reached and the LCG
 * would have been. GCG members count from the activation (entry) or the first run.
 */
export function anchorsOf(db: SqlDb, campaign: CampaignRecord, units: Units, anchor: MetricAnchor): Float64Array {
  const out = new Float64Array(units.count);
  const activation = campaign.activatedClock === null ? Number.NaN : clockMinutes(campaign.activatedClock);
  if (anchor === 'activation') {
    out.fill(activation);
    return out;
  }
  if (anchor === 'entry') {
    for (let i = 0; i < units.count; i += 1) out[i] = units.group[i] === GCG ? activation : units.entry[i]!;
    return out;
  }
  const runs = readIntegers(db, `SELECT unixepoch(clock) / 60 FROM activity_runs WHERE campaign_id = ? AND kind IN ${AUDIENCE_RUNS} AND unixepoch(clock) IS NOT NULL ORDER BY clock`, [campaign.id]);
  for (let i = 0; i < units.count; i += 1) {
    const from = units.group[i] === GCG ? activation : units.entry[i]!;
    const at = lowerBound(runs, from);
    out[i] = Number.isNaN(from) || at === runs.length ? Number.NaN : runs[at]!;
  }
  return out;
}
