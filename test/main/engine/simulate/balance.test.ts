import { describe, expect, it } from 'vitest';
import { contract } from '../../../../shared/contract/index';
import { smd } from '../../../../shared/stats/balance';
import { expectEngineError } from '../../../helpers/engine';
import { startSimProject } from './helpers';

describe('simulate/balance', () => {
  it('balances exactly the split the campaign’s activation makes (same seed, LCG and strata)', async () => {
    const t = await startSimProject({ gcg: '10' });
    const source = { audience: { kind: 'campaign' as const, campaignId: t.campaignId }, metric: { field: 'revenue' } };
    const balance = await t.call('simulate/balance', { source, settings: { percent: '10', limit: null, seed: 's1' } });
    expect(contract['simulate/balance'].result.safeParse(balance).success).toBe(true);
    await t.call('campaign/activate', { campaignId: t.campaignId });
    const groups = t.db().all<{ grp: string; n: number; mean: number; sum2: number }>(
      `SELECT m.grp, COUNT(${t.col('revenue')}) AS n, AVG(${t.col('revenue')}) AS mean, SUM(${t.col('revenue')} * ${t.col('revenue')}) AS sum2
         FROM campaign_members m JOIN ${t.table} p ON p.rowid = m.profile_key WHERE m.campaign_id = ? GROUP BY m.grp`,
      [t.campaignId],
    );
    const sizes = t.db().all<{ grp: string; n: number }>('SELECT grp, COUNT(*) AS n FROM campaign_members WHERE campaign_id = ? GROUP BY grp', [t.campaignId]);
    const size = (g: string) => Number(sizes.find((s) => s.grp === g)!.n);
    expect([balance.test, balance.control]).toEqual([size('test'), size('control')]);
    const of = (g: string) => groups.find((r) => r.grp === g)!;
    const variance = (r: { n: number; mean: number; sum2: number }) => (Number(r.sum2) - Number(r.n) * Number(r.mean) ** 2) / (Number(r.n) - 1);
    const row = balance.rows.find((r) => r.field === 'revenue')!;
    expect(row).toMatchObject({ kind: 'number', level: null });
    expect(row.meanTest).toBeCloseTo(Number(of('test').mean), 9);
    expect(row.meanControl).toBeCloseTo(Number(of('control').mean), 9);
    expect(row.smd).toBeCloseTo(smd(Number(of('test').mean), variance(of('test')), Number(of('control').mean), variance(of('control')))!, 9);
    expect(row.flagged).toBe(Math.abs(row.smd!) > 0.1);
  });

  it('compares yes/no fields and every level of a category, with chi-square per category; the strata field is exactly balanced', async () => {
    const t = await startSimProject();
    const source = { audience: { kind: 'campaign' as const, campaignId: t.campaignId }, metric: { field: 'bought' } };
    const balance = await t.call('simulate/balance', { source, settings: { percent: '20', limit: null, seed: 'b2' } });
    expect(balance.rows.filter((r) => r.field === 'bought').map((r) => [r.level, r.kind])).toEqual([['yes', 'binary']]);
    expect(balance.rows.filter((r) => r.field === 'tier').map((r) => r.level)).toEqual(['bronze', 'gold', 'silver']);
    expect(balance.rows.filter((r) => r.field === 'city').map((r) => r.level)).toEqual(['(no value)', 'Berlin', 'Paris', 'Rome']);
    const city = balance.chiSquare.find((c) => c.field === 'city')!;
    expect(city).toMatchObject({ levels: 4, df: 3, valid: true, note: null });
    // Stratified by city with exact quotas: the shares are equal to within one profile per stratum.
    expect(city.chiSquare!).toBeLessThan(0.01);
    expect(city.pValue!).toBeGreaterThan(0.99);
    const tier = balance.chiSquare.find((c) => c.field === 'tier')!;
    expect(tier.pValue).not.toBeNull();
    // Levels as shares of the whole group.
    const levels = balance.rows.filter((r) => r.field === 'city');
    expect(levels.reduce((sum, r) => sum + r.meanTest, 0)).toBeCloseTo(1, 12);
    expect(balance.skipped.map((s) => s.field).sort()).toEqual(['born', 'email']);
  });

  it('gives no p-value when an expected count is below 5, and says so', async () => {
    const t = await startSimProject();
    const source = { audience: { kind: 'segment' as const, segmentId: t.segmentId }, metric: { field: 'bought' } };
    const balance = await t.call('simulate/balance', { source, settings: { percent: null, limit: 12, seed: 'small' } });
    expect(balance.control).toBe(12);
    const tier = balance.chiSquare.find((c) => c.field === 'tier')!;
    expect(tier).toMatchObject({ valid: false, pValue: null });
    expect(tier.chiSquare).not.toBeNull();
    expect(tier.note).toContain('below 5');
  });

  it('refuses a split with nobody in the LCG', async () => {
    const t = await startSimProject();
    const source = { audience: { kind: 'segment' as const, segmentId: t.segmentId }, metric: { field: 'bought' } };
    const error = await expectEngineError(t.call('simulate/balance', { source, settings: { percent: null, limit: null, seed: 'x' } }), 'REFUSED');
    expect(error.message).toContain('nobody in the LCG');
  });
});
