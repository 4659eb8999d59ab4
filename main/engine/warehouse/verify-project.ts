/**
 * `warehouse/verifyProject`: are the stored groups of every campaign exactly what the rule
 * gives from the recorded settings and history? A file edited by hand or by another
 * program fails, with the campaigns and counts.
 *
 * What is recorded, and so what is checked (per campaign with a split):
 *  - Every build is a split version (split_versions: seed, LCG settings, audience, control
 *    total, per stratum key its size and LCG after the build, shortfall, surplus). Each
 *    version's own figures are recomputed by the rule: the control total from the audience
 *    and the LCG settings (controlTotal), each stratum's quota (allocateQuotas, as
 *    planGrowth does), and the shortfall and surplus they imply.
 *  - Between builds, members change group only by hand ("forced into Test": a per-profile
 *    "moved to Test" event, forced = 1). So the members now, per stratum, must be the last
 *    version's size and LCG, less the LCG members moved to Test by hand since. The counts
 *    the app keeps per stratum (campaign_counts) must be the members' own counts.
 *  - Members: a forced member is in Test; every member's stratum and version are known.
 *  - Who is in the LCG (the hash rule, STATS.md 1.3): the members who joined in one build
 *    and one stratum and were not forced are split by the lowest md5(seed ":" id), then id
 *    (nobody leaving changes that: the rest of a prefix is a prefix). How many of them are
 *    in the LCG now is known exactly: for a build after the first, from each member's
 *    "joined" event (it says the group it joined in); nobody of a build before an LCG
 *    change that moved the whole LCG to Test (LCG removed, other stratification fields);
 *    for the one build of a stratum whose joins are not recorded one by one (the first),
 *    what the stratum's recorded LCG leaves. The expected LCG of each such group is then
 *    chosen by the rule (selectControl) and compared member by member.
 * What cannot be checked, because it is not recorded:
 *  - members who joined before a change of the stratification values (the LCG trimmed,
 *    highest hashes first, over strata recomputed in place: their strata at the build are
 *    overwritten), and a stratum's first-build members when another group of the stratum
 *    cannot be counted (a build of a file written before per-profile event codes);
 *    their stratum's counts are still checked;
 *  - whether a member's stratum is right: strata are computed from profile values at the
 *    build, and values change afterwards;
 *  - members who have left: their strata at the build are not recorded.
 */
import type { LcgSettings } from '../../../shared/contract/campaigns';
import { LcgSettings as LcgSettingsSchema } from '../../../shared/contract/campaigns';
import { EngineError } from '../../../shared/contract/errors';
import type { CampaignRuleCheck, ProjectCheck } from '../../../shared/contract/warehouse';
import { formatCount } from '../../../shared/format';
import { compareText, allocateQuotas } from '../../../shared/split/quotas';
import { selectControl } from '../../../shared/split/select-control';
import { classifyLcgChange } from '../campaigns/lcg-change';
import { lcgTotal } from '../campaigns/split-report';
import { listCampaignRecords, isBuilt, type CampaignRecord } from '../campaigns/repository';
import { poolHash } from '../gcg/membership';
import type { HandlerContext } from '../registry';
import { keyPositions, readIntegers } from '../split/read-profiles';
import type { SqlDb } from '../sqlite/database';
import { storedJson } from '../sqlite/stored-values';
import { fingerprintOf, membersFrom, readCampaignAssignment, type CampaignAssignment } from './fingerprint';
import { z } from 'zod';

/** Wrong members listed per campaign. */
const FIRST_SHOWN = 20;

const StoredRows = z.array(z.object({ key: z.string(), label: z.string(), size: z.number().int(), control: z.number().int() }));

interface Version {
  readonly id: number;
  readonly reason: string;
  readonly seed: string;
  readonly lcg: LcgSettings;
  readonly audience: number;
  readonly total: number;
  readonly strata: z.infer<typeof StoredRows>;
  readonly shortfall: number;
  readonly surplus: number;
  /** After this build, an LCG change moved the whole LCG to Test ('all'), or trimmed it over recomputed strata ('unknown'). */
  movedAfter: 'none' | 'all' | 'unknown';
}

function readVersions(db: SqlDb, campaign: CampaignRecord): Version[] {
  const rows = db.all('SELECT id, reason, seed, lcg, audience, control_total, strata, shortfall, surplus FROM split_versions WHERE campaign_id = ? ORDER BY id', [campaign.id]);
  const versions: Version[] = rows.map((r) => ({
    id: Number(r.id),
    reason: String(r.reason),
    seed: String(r.seed),
    lcg: storedJson(LcgSettingsSchema, r.lcg, `the LCG settings of split version ${Number(r.id)}`),
    audience: Number(r.audience),
    total: Number(r.control_total),
    strata: storedJson(StoredRows, r.strata, `the strata of split version ${Number(r.id)}`),
    shortfall: Number(r.shortfall),
    surplus: Number(r.surplus),
    movedAfter: 'none',
  }));
  // An LCG change is a version whose settings differ from the one before; replay them backwards.
  let after: Version['movedAfter'] = 'none';
  for (let v = versions.length - 1; v >= 0; v -= 1) {
    versions[v]!.movedAfter = after;
    const previous = versions[v - 1];
    if (!previous) break;
    const kind = classifyLcgChange(previous.lcg, versions[v]!.lcg, true);
    if (kind === 'removed' || kind === 'fields') after = 'all';
    else if (kind === 'values' && after === 'none') after = 'unknown';
  }
  return versions;
}

/** The version's own figures against the rule: control total, quotas, shortfall and surplus. */
function versionProblems(version: Version, number: number, seed: string): string[] {
  const problems: string[] = [];
  const name = `Build ${number} (split version ${version.id})`;
  if (version.seed !== seed) problems.push(`${name} was split with the seed "${version.seed}", not the campaign's "${seed}".`);
  const audience = version.strata.reduce((sum, s) => sum + s.size, 0);
  if (audience !== version.audience) problems.push(`${name} records an audience of ${formatCount(version.audience)}, but its strata add up to ${formatCount(audience)}.`);
  const total = lcgTotal(audience, version.lcg);
  if (total !== version.total) problems.push(`${name} records an LCG target of ${formatCount(version.total)}; its settings give ${formatCount(total)} of ${formatCount(audience)}.`);
  const quotas = allocateQuotas(version.strata.map((s) => ({ key: s.key, size: s.size })), Math.min(total, audience), seed);
  let shortfall = 0;
  let surplus = 0;
  version.strata.forEach((s, i) => {
    shortfall += Math.max(0, quotas[i]!.control - s.control);
    surplus += Math.max(0, s.control - quotas[i]!.control);
  });
  if (shortfall !== version.shortfall || surplus !== version.surplus) {
    problems.push(`${name}: its strata's LCG against their quotas leave a shortfall of ${formatCount(shortfall)} and a surplus of ${formatCount(surplus)}, but it records ${formatCount(version.shortfall)} and ${formatCount(version.surplus)}.`);
  }
  return problems;
}

/** Per member (in `members` order): version_id * 2 + forced. */
function readVersionAndForced(db: SqlDb, campaign: CampaignRecord): Float64Array {
  return readIntegers(db, `SELECT m.version_id * 2 + m.forced ${membersFrom(campaign)}`, [campaign.id]);
}

/** The group each member joined in, by its latest "joined" event: 1 LCG, 0 Test, -1 not recorded. */
function joinedGroups(db: SqlDb, campaignId: number, members: CampaignAssignment): Int8Array {
  const joined = new Int8Array(members.keys.length).fill(-1);
  const codes = readIntegers(
    db,
    "SELECT profile_key * 2 + (code & 1) FROM campaign_events WHERE campaign_id = ? AND kind = 'profile_joined' AND profile_key IS NOT NULL AND code IS NOT NULL ORDER BY id",
    [campaignId],
  );
  const at = keyPositions(members.keys);
  for (const code of codes) {
    const lcg = code % 2;
    const i = at((code - lcg) / 2);
    if (i >= 0) joined[i] = lcg;
  }
  return joined;
}

/** "1 member is" / "3 members are". */
const membersText = (n: number, one: string, many: string) => `${formatCount(n)} member${n === 1 ? ` ${one}` : `s ${many}`}`;

/** Checks one campaign; see the module comment. */
async function checkCampaign(ctx: HandlerContext, db: SqlDb, campaign: CampaignRecord): Promise<CampaignRuleCheck> {
  const problems: string[] = [];
  const members = readCampaignAssignment(db, campaign);
  const count = members.ids.length;
  const result = (wrong: { stored: number; expected: number; i: number }[]): CampaignRuleCheck => {
    const toTest = wrong.filter((w) => w.stored === 1).length;
    return {
      campaignId: campaign.id,
      name: campaign.name,
      status: campaign.status,
      members: count + members.missingProfiles,
      ok: wrong.length === 0 && problems.length === 0,
      wrong: wrong.length,
      storedControlShouldBeTest: toTest,
      storedTestShouldBeControl: wrong.length - toTest,
      first: wrong
        .map((w) => ({ id: members.ids[w.i]!, stored: w.stored === 1 ? ('control' as const) : ('test' as const), expected: w.expected === 1 ? ('control' as const) : ('test' as const) }))
        .sort((a, b) => compareText(a.id, b.id))
        .slice(0, FIRST_SHOWN),
      problems,
      fingerprint: fingerprintOf(members),
    };
  };
  if (members.missingProfiles > 0) problems.push(`${membersText(members.missingProfiles, 'names', 'name')} no profile of the database.`);
  const versions = readVersions(db, campaign);
  versions.forEach((v, n) => problems.push(...versionProblems(v, n + 1, campaign.seed)));
  const versionAt = new Map(versions.map((v, n) => [v.id, n]));
  const last = versions[versions.length - 1]!;
  const flags = readVersionAndForced(db, campaign);

  // Counts per stratum key now, against the last build less the moves by hand since, and against campaign_counts.
  const now = new Map<string, { size: number; control: number }>();
  const byNumber = new Map<number, { size: number; control: number }>();
  let forcedInLcg = 0;
  let unknownVersion = 0;
  let unknownStratum = 0;
  for (let i = 0; i < count; i += 1) {
    const number = members.stratumNumber[i]!;
    if (!members.strata.has(number)) unknownStratum += 1;
    const key = members.stratumKeys[members.stratumOf[i]!]!;
    const entry = now.get(key) ?? { size: 0, control: 0 };
    entry.size += 1;
    entry.control += members.control[i]!;
    now.set(key, entry);
    const counted = byNumber.get(number) ?? { size: 0, control: 0 };
    counted.size += 1;
    counted.control += members.control[i]!;
    byNumber.set(number, counted);
    if (flags[i]! % 2 === 1 && members.control[i] === 1) forcedInLcg += 1;
    if (!versionAt.has(Math.floor(flags[i]! / 2))) unknownVersion += 1;
  }
  if (forcedInLcg > 0) problems.push(`${membersText(forcedInLcg, 'is', 'are')} in the LCG though forced into Test.`);
  if (unknownVersion > 0) problems.push(`${membersText(unknownVersion, 'names', 'name')} a build (split version) the campaign does not have.`);
  if (unknownStratum > 0) problems.push(`${membersText(unknownStratum, 'is', 'are')} in a stratum the campaign does not have.`);
  for (const row of db.all('SELECT stratum, members, control FROM campaign_counts WHERE campaign_id = ?', [campaign.id])) {
    const actual = byNumber.get(Number(row.stratum)) ?? { size: 0, control: 0 };
    byNumber.delete(Number(row.stratum));
    if (actual.size !== Number(row.members) || actual.control !== Number(row.control)) {
      const label = members.strata.get(Number(row.stratum))?.label ?? `stratum ${Number(row.stratum)}`;
      problems.push(`${label}: the stored counts say ${formatCount(Number(row.members))} members, ${formatCount(Number(row.control))} in the LCG; the members are ${formatCount(actual.size)}, ${formatCount(actual.control)} in the LCG.`);
    }
  }
  if ([...byNumber.values()].some((c) => c.size > 0)) problems.push('Some members are in a stratum without stored counts.');

  const expected = new Map<string, { size: number; control: number; label: string }>();
  if (campaign.status !== 'completed') for (const s of last.strata) expected.set(s.key, { size: s.size, control: s.control, label: s.label });
  const movedByHand = readIntegers(
    db,
    `SELECT e.profile_key FROM campaign_events e WHERE e.campaign_id = ? AND e.kind = 'moved_to_test' AND e.profile_key IS NOT NULL
        AND e.id > (SELECT COALESCE(MAX(id), 0) FROM campaign_events WHERE campaign_id = ? AND kind = 'audience_built') ORDER BY e.profile_key`,
    [campaign.id, campaign.id],
  );
  const at = keyPositions(members.keys);
  for (const key of movedByHand) {
    const i = at(key);
    const entry = i >= 0 ? expected.get(members.stratumKeys[members.stratumOf[i]!]!) : undefined;
    if (entry) entry.control -= 1;
  }
  const labelOf = new Map([...members.strata.values()].map((s) => [s.key, s.label]));
  for (const key of new Set([...expected.keys(), ...now.keys()])) {
    const want = expected.get(key) ?? { size: 0, control: 0, label: labelOf.get(key) ?? key };
    const have = now.get(key) ?? { size: 0, control: 0 };
    if (want.size !== have.size || want.control !== have.control) {
      problems.push(
        `${want.label}: the record gives ${formatCount(want.size)} members, ${formatCount(want.control)} in the LCG; the file holds ${formatCount(have.size)}, ${formatCount(have.control)} in the LCG.`,
      );
    }
  }
  await ctx.checkpoint();
  if (count === 0) return result([]);

  // The hash rule, per build and stratum: how many of its members are in the LCG, where that is known.
  const joined = joinedGroups(db, campaign.id, members);
  const groupOf = new Map<string, number>();
  const groups: { version: number; key: string; size: number; known: number | null; checked: boolean }[] = [];
  const memberGroup = new Int32Array(count).fill(-1);
  for (let i = 0; i < count; i += 1) {
    const n = versionAt.get(Math.floor(flags[i]! / 2));
    if (n === undefined || flags[i]! % 2 === 1 || !members.strata.has(members.stratumNumber[i]!)) continue;
    const key = members.stratumKeys[members.stratumOf[i]!]!;
    const name = `${n}\u0000${key}`;
    let g = groupOf.get(name);
    if (g === undefined) {
      const moved = versions[n]!.movedAfter;
      g = groups.length;
      groupOf.set(name, g);
      groups.push({ version: n, key, size: 0, known: moved === 'all' ? 0 : n > 0 ? 0 : null, checked: moved !== 'unknown' });
    }
    memberGroup[i] = g;
    const group = groups[g]!;
    group.size += 1;
    if (group.known !== null && versions[n]!.movedAfter === 'none') {
      if (joined[i] === -1) group.known = null;
      else group.known += joined[i]!;
    }
  }
  // A stratum's one group whose LCG is not known one by one takes what the stratum's LCG leaves.
  const quota = groups.map((g) => g.known ?? 0);
  for (const key of new Set(groups.map((g) => g.key))) {
    const inStratum = groups.map((g, i) => ({ g, i })).filter(({ g }) => g.key === key);
    const open = inStratum.filter(({ g }) => g.known === null || !g.checked);
    const wanted = expected.get(key)?.control;
    if (open.length === 1 && open[0]!.g.checked && wanted !== undefined) {
      const rest = wanted - inStratum.reduce((sum, { g }) => sum + (g.known ?? 0), 0);
      if (rest >= 0 && rest <= open[0]!.g.size) {
        open[0]!.g.known = rest;
        quota[open[0]!.i] = rest;
      }
    }
  }
  const checkedGroup = groups.map((g) => g.checked && g.known !== null);
  // Members outside the checked groups share the last group, of quota 0, and are not compared.
  const outside = groups.length;
  const stratumOf = Uint32Array.from(memberGroup, (g) => (g >= 0 && checkedGroup[g] ? g : outside));
  await ctx.checkpoint();
  const hashes = await poolHash(ctx.deps.splitPool)(campaign.seed, members.packed, count);
  await ctx.checkpoint();
  const quotas = [...groups.map((g, i) => (checkedGroup[i] ? Math.min(quota[i]!, g.size) : 0)), 0];
  const rule = selectControl(stratumOf, hashes, quotas, (a, b) => compareText(members.ids[a]!, members.ids[b]!) || a - b);
  const wrong: { stored: number; expected: number; i: number }[] = [];
  for (let i = 0; i < count; i += 1) {
    if (stratumOf[i] === outside) continue;
    if (rule[i] !== members.control[i]) wrong.push({ stored: members.control[i]!, expected: rule[i]!, i });
  }
  return result(wrong);
}

/** A campaign whose record cannot be read (damaged by another program) fails the check, saying what; the others are still checked. */
function unreadable(campaign: CampaignRecord, error: unknown): CampaignRuleCheck {
  if (!(error instanceof EngineError) || error.code !== 'CORRUPT_FILE') throw error;
  return {
    campaignId: campaign.id,
    name: campaign.name,
    status: campaign.status,
    members: 0,
    ok: false,
    wrong: 0,
    storedControlShouldBeTest: 0,
    storedTestShouldBeControl: 0,
    first: [],
    problems: [error.message],
    fingerprint: null,
  };
}

export async function verifyProject(ctx: HandlerContext): Promise<ProjectCheck> {
  const db = ctx.state.requireSession().db;
  const campaigns = listCampaignRecords(db, { includeDeleted: true }).filter((c) => isBuilt(db, c.id));
  const phase = 'Checking the campaigns';
  const checks: CampaignRuleCheck[] = [];
  for (const [n, campaign] of campaigns.entries()) {
    ctx.progress(phase, n, campaigns.length, 'items');
    checks.push(await checkCampaign(ctx, db, campaign).catch((error: unknown) => unreadable(campaign, error)));
    await ctx.checkpoint();
  }
  ctx.progress(phase, campaigns.length, campaigns.length, 'items');
  return { ok: checks.every((c) => c.ok), campaigns: checks };
}
