/**
 * `analytics/run` on a small campaign whose outcomes the test decides: every figure is
 * recounted here from the groups and events the test wrote, then compared with the
 * engine's (the formulas themselves are pinned by test/shared/stats/uplift.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { proportionsUplift, meansUplift, groupMoments, sampleRatioCheck } from '../../../../shared/stats/uplift';
import { expectEngineError } from '../../../helpers/engine';
import { addEvents, setClock } from '../conditions/helpers';
import { startCampaignProject, type CampaignProject } from '../campaigns/helpers';

/** A deterministic share in [0, 1) from a profile number and a salt. */
const rand = (i: number, salt: number) => {
  let h = (i * 2654435761 + salt * 40503) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 2246822507) >>> 0;
  h ^= h >>> 13;
  return h / 2 ** 32;
};

interface Setup {
  t: CampaignProject;
  campaignId: number;
  groups: Map<string, 'test' | 'control'>;
  /** Purchases per profile after entry (the test's own record), and their amounts. */
  bought: Map<string, number[]>;
  before: Map<string, number>;
}

/** 3,000 profiles in two tiers, a 20 % LCG stratified by tier, activated on 5 Jan 2026 10:00; purchases after entry (Test more often) and before it. */
async function campaignWithOutcomes(): Promise<Setup> {
  const t = await startCampaignProject([{ name: 'tier', type: 'enum', enumValues: ['gold', 'silver'] }, { name: 'score', type: 'number' }]);
  t.generate(3000, { values: { tier: "CASE WHEN i % 3 = 0 THEN 'gold' ELSE 'silver' END", score: 'i % 50' } });
  setClock(t.db(), '2026-01-05T10:00');
  const segment = t.segment('All');
  const campaignId = await t.campaign(segment, { percent: '20', limit: null, strata: [{ kind: 'values', fieldId: t.field('tier').id }] });
  await t.call('campaign/activate', { campaignId });
  const groups = t.groups(campaignId);
  const bought = new Map<string, number[]>();
  const before = new Map<string, number>();
  const events: [string, string, string, number | null][] = [];
  for (let i = 1; i <= 3000; i += 1) {
    const id = `p${i}`;
    const rate = (groups.get(id) === 'test' ? 0.3 : 0.2) + (i % 3 === 0 ? 0.1 : 0);
    const amounts: number[] = [];
    if (rand(i, 1) < rate) amounts.push(10 + (i % 7));
    if (rand(i, 2) < rate / 2) amounts.push(5);
    amounts.forEach((amount, k) => events.push([id, 'purchase', `2026-01-0${7 + k}T12:00:00`, amount]));
    if (amounts.length > 0) bought.set(id, amounts);
    // Before entry: more for those who buy after (a useful covariate).
    const pre = rand(i, 3) < 0.2 + 0.4 * (amounts.length > 0 ? 1 : 0) ? 1 : 0;
    if (pre) events.push([id, 'purchase', '2025-12-20T09:00:00', 20]);
    before.set(id, pre * 20);
    // Outside every window: after the 14 days, and of another type.
    events.push([id, 'purchase', '2026-02-01T09:00:00', 1]);
    events.push([id, 'open', '2026-01-08T09:00:00', null]);
  }
  addEvents(t.db(), t.databaseId, events);
  setClock(t.db(), '2026-01-25T10:00');
  return { t, campaignId, groups, bought, before };
}

describe('analytics/run', () => {
  it('recounts groups, the uplift, the SRM check, strata, CUPED and the daily chart', async () => {
    const { t, campaignId, groups, bought, before } = await campaignWithOutcomes();
    const { id, result } = await t.call('analytics/run', {
      campaignId,
      metric: { kind: 'event', measure: 'converted', eventType: 'purchase', days: 14 },
      covariate: { kind: 'event', measure: 'sum', eventType: 'purchase', days: 30, period: 'before' },
    });
    expect(id).not.toBeNull();
    const n = { test: 0, control: 0 };
    const k = { test: 0, control: 0 };
    for (const [pid, grp] of groups) {
      n[grp] += 1;
      if (bought.has(pid)) k[grp] += 1;
    }
    const [test, lcg] = result.groups;
    expect(test).toMatchObject({ group: 'test', profiles: n.test, withOutcome: n.test, missing: 0, partial: 0, sum: k.test });
    expect(lcg).toMatchObject({ group: 'lcg', profiles: n.control, withOutcome: n.control, sum: k.control });
    expect(result.groups).toHaveLength(2);
    const expected = proportionsUplift(k.test, n.test, k.control, n.control)!;
    expect(result.uplift!.absolute.estimate).toBeCloseTo(expected.absolute.estimate, 12);
    expect(result.uplift!.absolute.low).toBeCloseTo(expected.absolute.low, 12);
    expect(result.uplift!.absolute.p).toBeCloseTo(expected.absolute.p!, 12);
    expect(result.uplift!.relative!.estimate).toBeCloseTo(expected.relative!.estimate, 12);
    expect(result.uplift!.incremental.estimate).toBeCloseTo(expected.absolute.estimate * n.test, 9);
    expect(result.uplift!.absolute.low).toBeGreaterThan(0);
    expect(result.summary).toMatch(/^Test converted at .* The campaign raised/);

    expect(result.plannedLcgShare).toBeCloseTo(0.2, 3);
    const srm = sampleRatioCheck([n.test, n.control], [0.8, 0.2])!;
    expect(result.srm).toMatchObject({ observed: [n.test, n.control], mismatch: false });
    expect(result.srm!.chiSquare).toBeCloseTo(srm.chiSquare, 12);

    expect(result.strata.map((s) => s.label).sort()).toEqual(['tier = gold', 'tier = silver']);
    expect(result.strata.reduce((s, r) => s + r.testProfiles + r.lcgProfiles, 0)).toBe(3000);
    expect(result.postStratified).not.toBeNull();
    expect(result.cuped).not.toBeNull();
    expect(result.cuped!.rho).toBeGreaterThan(0.2);
    expect(result.cuped!.estimate.se).toBeLessThan(result.uplift!.absolute.se);

    // The last day's cumulative uplift is the final one (every window has ended by then).
    const last = result.daily[result.daily.length - 1]!;
    expect(last.day).toBe('2026-01-25');
    expect(result.daily[0]!.day).toBe('2026-01-05');
    expect(last.uplift!.estimate).toBeCloseTo(result.uplift!.absolute.estimate, 12);
    // Before the purchases of 7 January nobody had converted.
    expect(result.daily[1]!.uplift).toBeNull();
    // The always-valid interval, tuned for the last look, holds the plain one at every look.
    for (const look of result.daily.filter((d) => d.uplift)) {
      expect(look.sequential![0]).toBeLessThan(look.uplift!.low);
      expect(look.sequential![1]).toBeGreaterThan(look.uplift!.high);
    }
    expect(result.warnings.find((w) => w.kind === 'peeking')!.text).toMatch(/times as wide: .* points instead of /);
    expect(result.warnings.map((w) => w.kind)).not.toContain('partial');

    // The amount: Welch on the sums the test wrote.
    const amount = await t.call('analytics/run', { campaignId, metric: { kind: 'event', measure: 'sum', eventType: 'purchase', days: 14 }, save: false });
    expect(amount.id).toBeNull();
    const sums = { test: { n: 0, s: 0, q: 0 }, control: { n: 0, s: 0, q: 0 } };
    for (const [pid, grp] of groups) {
      const y = (bought.get(pid) ?? []).reduce((a, b) => a + b, 0);
      sums[grp].n += 1;
      sums[grp].s += y;
      sums[grp].q += y * y;
    }
    const welch = meansUplift(groupMoments(false, sums.test.n, sums.test.s, sums.test.q), groupMoments(false, sums.control.n, sums.control.s, sums.control.q))!;
    expect(amount.result.binary).toBe(false);
    expect(amount.result.uplift!.test).toBe('t');
    expect(amount.result.uplift!.absolute.estimate).toBeCloseTo(welch.absolute.estimate, 9);
    expect(amount.result.uplift!.df).toBeCloseTo(welch.df, 6);
    expect(before.size).toBe(3000);

    // Kept with the campaign: listed, read back whole, deleted.
    const list = await t.call('analytics/list', { campaignId });
    expect(list).toHaveLength(1);
    expect(list[0]!.metricLabel).toBe('converted: at least one purchase in the 2 weeks after entry');
    const got = await t.call('analytics/get', { id: list[0]!.id });
    expect(got.result).toEqual(result);
    expect(await t.call('analytics/delete', { id: list[0]!.id })).toEqual({ deleted: true });
    expect(await t.call('analytics/list', { campaignId })).toHaveLength(0);
  });

  it('says the result is partial when windows end after the clock, and counts events up to the clock only', async () => {
    const { t, campaignId, groups, bought } = await campaignWithOutcomes();
    setClock(t.db(), '2026-01-07T18:00');
    const { result } = await t.call('analytics/run', { campaignId, metric: { kind: 'event', measure: 'count', eventType: 'purchase', days: 14 }, save: false });
    expect(result.groups[0]!.partial).toBe(result.groups[0]!.profiles);
    expect(result.warnings.find((w) => w.kind === 'partial')!.text).toMatch(/^Results are partial/);
    // Only the purchases of 7 January exist yet.
    let count = 0;
    for (const [pid] of groups) count += (bought.get(pid)?.length ?? 0) > 0 ? 1 : 0;
    expect(result.groups[0]!.sum + result.groups[1]!.sum).toBe(count);
  });

  it('reads events the same way when profile keys are too large to pack with their times', async () => {
    const { t, campaignId } = await campaignWithOutcomes();
    const metric = { kind: 'event', measure: 'sum', eventType: 'purchase', days: 14 } as const;
    const packed = (await t.call('analytics/run', { campaignId, metric, save: false })).result;
    t.db().run(`INSERT INTO profiles_${t.databaseId} (rowid, profile_id) VALUES (?, 'far')`, [2 ** 24 + 1]);
    const unpacked = (await t.call('analytics/run', { campaignId, metric, save: false })).result;
    expect(unpacked.groups).toEqual(packed.groups);
    expect(unpacked.daily).toEqual(packed.daily);
  });

  it('is not thrown by values a damaged file may hold: a stratum out of range, an event time that is no time', async () => {
    const { t, campaignId } = await campaignWithOutcomes();
    const metric = { kind: 'event', measure: 'count', eventType: 'purchase', days: 14 } as const;
    const before = (await t.call('analytics/run', { campaignId, metric, save: false })).result;
    const db = t.db();
    db.run(`UPDATE campaign_members SET stratum = ${2 ** 40} WHERE campaign_id = ? AND profile_key = 1`, [campaignId]);
    db.run(`INSERT INTO events_${t.databaseId} (profile_key, type, at, amount, seq) VALUES (2, 'purchase', '2026-01-08Tnoon', NULL, 999999)`);
    const after = (await t.call('analytics/run', { campaignId, metric, save: false })).result;
    expect(after.groups.map((g) => [g.profiles, g.sum])).toEqual(before.groups.map((g) => [g.profiles, g.sum]));
    expect(after.strata.map((s) => s.label)).toContain('Stratum 1048574');
  });

  it('keeps profiles that left in the group they were assigned to', async () => {
    const { t, campaignId } = await campaignWithOutcomes();
    const metric = { kind: 'event', measure: 'converted', eventType: 'purchase', days: 14 } as const;
    const before = (await t.call('analytics/run', { campaignId, metric, save: false })).result;
    await t.call('campaign/complete', { campaignId });
    const after = (await t.call('analytics/run', { campaignId, metric, save: false })).result;
    expect(after.groups.map((g) => [g.profiles, g.sum])).toEqual(before.groups.map((g) => [g.profiles, g.sum]));
    expect(after.uplift!.absolute.estimate).toBeCloseTo(before.uplift!.absolute.estimate, 12);
    expect(after.strata.map((s) => s.label)).toEqual(['Left the campaign']);
  });

  it('measures a column of the outcome file', async () => {
    const { t, campaignId, groups } = await campaignWithOutcomes();
    const db = t.db();
    db.run(
      `INSERT INTO outcome_files (campaign_id, file_name, imported_at, rows_read, unknown_profiles, unknown_examples, columns)
       VALUES (?, 'o.csv', '2026-01-25T10:00:00Z', 10, 2, '[]', '[{"name":"Revenue","binary":false,"values":10}]')`,
      [campaignId],
    );
    db.run(`INSERT INTO outcome_values (campaign_id, column_index, profile_key, value) SELECT ?, 0, rowid, rowid % 10 FROM profiles_${t.databaseId} WHERE rowid <= 1000`, [campaignId]);
    const { result } = await t.call('analytics/run', { campaignId, metric: { kind: 'outcome', column: 'revenue' }, save: false });
    expect(result.groups[0]!.withOutcome + result.groups[1]!.withOutcome).toBe(1000);
    expect(result.groups[0]!.missing + result.groups[1]!.missing).toBe(groups.size - 1000);
    expect(result.daily).toEqual([]);
    expect(result.warnings.map((w) => w.kind)).toEqual(expect.arrayContaining(['missing_outcomes', 'unknown_profiles']));
    await expectEngineError(t.call('analytics/run', { campaignId, metric: { kind: 'outcome', column: 'margin' } }), 'REFUSED');
  });

  it('refuses a campaign that was never activated, and says a metric with no variance cannot show a difference', async () => {
    const t = await startCampaignProject();
    t.generate(100);
    const campaignId = await t.campaign(t.segment('All'), { percent: '50', limit: null, strata: [] });
    const refused = await expectEngineError(t.call('analytics/run', { campaignId, metric: { kind: 'event', measure: 'converted', eventType: 'purchase', days: 7 } }), 'REFUSED');
    expect(refused.message).toMatch(/never been activated/);
    await t.call('campaign/activate', { campaignId });
    const { result } = await t.call('analytics/run', { campaignId, metric: { kind: 'event', measure: 'converted', eventType: 'purchase', days: 7 }, save: false });
    expect(result.uplift).toBeNull();
    expect(result.warnings.map((w) => w.kind)).toContain('no_variance');
    expect(result.summary).toMatch(/^No uplift yet/);
  });
});
