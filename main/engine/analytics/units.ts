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
import { readIntegers } from '../split/read-profiles';
import type { SqlDb } from '../sqlite/database';

export const TEST = 0;
export const LCG = 1;
export const GCG = 2;
/** The stratum of profiles that left the campaign (their stratum is not kept). */
export const LEFT_STRATUM = -1;
export const LEFT_LABEL = 'Left the campaign';

const UNITS = 'temp.analysis_units';

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

/** Reads the analysed profiles of a campaign (see the module comment). */
export function readUnits(db: SqlDb, campaign: CampaignRecord): Units {
  const firstBuild = db.scalar('SELECT clock FROM split_versions WHERE campaign_id = ? ORDER BY id LIMIT 1', [campaign.id]);
  if (firstBuild === null || firstBuild === undefined) {
    throw new EngineError('REFUSED', `The campaign "${campaign.name}" has never been activated: it has no Test or LCG to compare yet. Activate it (and let it run) first.`, {
      reason: 'not_built',
    });
  }
  db.exec(`DROP TABLE IF EXISTS ${UNITS}; DROP TABLE IF EXISTS temp.analysis_joins`);
  db.exec(`CREATE TABLE ${UNITS} (profile_key INTEGER PRIMARY KEY, grp INTEGER NOT NULL, stratum INTEGER NOT NULL, entry TEXT)`);
  try {
    const forcedNow = Number(db.scalar('SELECT COUNT(*) FROM campaign_members WHERE campaign_id = ? AND forced = 1', [campaign.id]) ?? 0);
    db.run(
      `INSERT INTO ${UNITS} SELECT m.profile_key, CASE m.grp WHEN 'control' THEN ${LCG} ELSE ${TEST} END, m.stratum, v.clock
         FROM campaign_members m JOIN split_versions v ON v.id = m.version_id
        WHERE m.campaign_id = ? AND m.forced = 0`,
      [campaign.id],
    );
    // Leavers: the latest exit of each profile that is not a member now (codes: campaigns/profile-events.ts; 1 = LCG, 2 = forced).
    db.run(
      `CREATE TABLE temp.analysis_joins AS SELECT profile_key, id, clock FROM campaign_events
        WHERE campaign_id = ? AND kind = 'profile_joined' AND profile_key IS NOT NULL`,
      [campaign.id],
    );
    db.exec('CREATE INDEX temp.analysis_joins_key ON analysis_joins (profile_key, id)');
    const exits = `SELECT profile_key, code, MAX(id) AS id FROM campaign_events
                    WHERE campaign_id = ? AND kind = 'campaign_exit' AND profile_key IS NOT NULL AND code IS NOT NULL GROUP BY profile_key`;
    const forcedLeft = Number(
      db.scalar(
        `SELECT COUNT(*) FROM (${exits}) x WHERE (x.code & 2) <> 0 AND NOT EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = ? AND m.profile_key = x.profile_key)`,
        [campaign.id, campaign.id],
      ) ?? 0,
    );
    db.run(
      `INSERT INTO ${UNITS}
       SELECT x.profile_key, CASE WHEN (x.code & 1) <> 0 THEN ${LCG} ELSE ${TEST} END, ${LEFT_STRATUM},
              COALESCE((SELECT j.clock FROM temp.analysis_joins j WHERE j.profile_key = x.profile_key AND j.id < x.id ORDER BY j.id DESC LIMIT 1), ?)
         FROM (${exits}) x
        WHERE (x.code & 2) = 0 AND NOT EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = ? AND m.profile_key = x.profile_key)`,
      [String(firstBuild), campaign.id, campaign.id],
    );
    const gcg = readGcgSettings(db, campaign.databaseId);
    if (gcg !== null && gcg.percentBp > 0 && !campaign.gcgExempt) {
      db.run(
        `INSERT OR IGNORE INTO ${UNITS} SELECT profile_key, ${GCG}, ${LEFT_STRATUM}, NULL FROM segment_members
          WHERE segment_id = ? AND profile_key IN (${gcgMembersSql(campaign.databaseId)})`,
        [campaign.segmentId],
      );
    }
    const keys = readIntegers(db, `SELECT profile_key FROM ${UNITS} ORDER BY profile_key`);
    const groups = readIntegers(db, `SELECT grp FROM ${UNITS} ORDER BY profile_key`);
    const strata = readIntegers(db, `SELECT stratum FROM ${UNITS} ORDER BY profile_key`);
    // Entries in minutes (-1: none); clock texts are ours, checked when written.
    const entries = readIntegers(db, `SELECT COALESCE(unixepoch(entry) / 60, -1) FROM ${UNITS} ORDER BY profile_key`);
    const count = keys.length;
    const group = new Uint8Array(count);
    const stratum = new Int32Array(count);
    const entry = new Float64Array(count);
    for (let i = 0; i < count; i += 1) {
      group[i] = groups[i]!;
      stratum[i] = strata[i]!;
      entry[i] = entries[i]! < 0 ? Number.NaN : entries[i]!;
    }
    return { count, keys, group, stratum, entry, forced: forcedNow + forcedLeft };
  } finally {
    db.exec(`DROP TABLE IF EXISTS ${UNITS}; DROP TABLE IF EXISTS temp.analysis_joins`);
  }
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
  const runs = readIntegers(db, `SELECT unixepoch(clock) / 60 FROM activity_runs WHERE campaign_id = ? AND kind IN ${AUDIENCE_RUNS} ORDER BY clock`, [campaign.id]);
  for (let i = 0; i < units.count; i += 1) {
    const from = units.group[i] === GCG ? activation : units.entry[i]!;
    out[i] = Number.isNaN(from) ? Number.NaN : firstAtOrAfter(runs, from);
  }
  return out;
}

/** The first value of the sorted `values` at or after `t` (NaN: none). */
function firstAtOrAfter(values: Float64Array, t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo < values.length ? values[lo]! : Number.NaN;
}
