import { describe, expect, it } from 'vitest';
import type { SimSource } from '../../../../shared/contract/simulate';
import { contract } from '../../../../shared/contract/index';
import { formatValue } from '../../../../shared/format';
import { gcgMembersSql } from '../../../../main/engine/gcg/membership';
import { loadSimData } from '../../../../main/engine/simulate/scan';
import { quantileValue } from '../../../../main/engine/simulate/metric';
import { directContext } from '../campaigns/helpers';
import { expectEngineError } from '../../../helpers/engine';
import { EngineError } from '../../../../shared/contract/errors';
import { SIM_PROFILES, startSimProject, type SimProject } from './helpers';

const campaignSource = (t: SimProject, metric: SimSource['metric'], extra: Partial<SimSource> = {}): SimSource => ({
  audience: { kind: 'campaign', campaignId: t.campaignId },
  metric,
  ...extra,
});

/** The audience straight from SQL: the segment less the GCG members. */
function audienceSql(t: SimProject): string {
  return `FROM segment_members sm JOIN ${t.table} p ON p.rowid = sm.profile_key
           WHERE sm.segment_id = ${t.segmentId} AND sm.profile_key NOT IN (${gcgMembersSql(t.databaseId)})`;
}

describe('simulate/scan of a campaign', () => {
  it('sums the metric and covariate per stratum of the audience after the GCG, as SQL counts them', async () => {
    const t = await startSimProject({ gcg: '10' });
    const scan = await t.call('simulate/scan', campaignSource(t, { field: 'revenue' }, { covariate: { field: 'spend_before' } }));
    expect(contract['simulate/scan'].result.safeParse(scan).success).toBe(true);
    const held = Number(t.db().scalar(`SELECT COUNT(*) FROM (${gcgMembersSql(t.databaseId)})`));
    expect(held).toBe(200);
    expect(scan.audience).toMatchObject({ kind: 'campaign', label: 'Campaign Spring', size: SIM_PROFILES - held, gcgRemoved: held, campaignId: t.campaignId });
    expect(scan.campaign).toMatchObject({ name: 'Spring', percent: '10', limit: null, seed: 's1', status: 'inactive' });
    expect(scan.strataLabel).toBe('stratified by city');
    const y = `COALESCE(${t.col('revenue')}, 0)`;
    const x = `COALESCE(${t.col('spend_before')}, 0)`;
    const expected = t.db().all<{ city: string | null; n: number; sy: number; syy: number; sx: number; sxx: number; sxy: number }>(
      `SELECT ${t.col('city')} AS city, COUNT(*) AS n, SUM(${y}) AS sy, SUM(${y} * ${y}) AS syy, SUM(${x}) AS sx, SUM(${x} * ${x}) AS sxx, SUM(${x} * ${y}) AS sxy
         ${audienceSql(t)} GROUP BY city ORDER BY city`,
    );
    const byKey = new Map(scan.strata.map((s) => [s.key, s]));
    expect(scan.strata).toHaveLength(4);
    for (const row of expected) {
      const s = byKey.get(row.city ?? '')!;
      expect(s.size).toBe(Number(row.n));
      expect(s.sumY).toBeCloseTo(Number(row.sy), 6);
      expect(s.sumY2).toBeCloseTo(Number(row.syy), 4);
      expect(s.sumX).toBeCloseTo(Number(row.sx), 6);
      expect(s.sumX2).toBeCloseTo(Number(row.sxx), 4);
      expect(s.sumXY).toBeCloseTo(Number(row.sxy), 4);
    }
    expect(byKey.get('')!.label).toBe('city: (no value)');
    expect(byKey.get('Paris')!.label).toBe('city = Paris');
    const missing = Number(t.db().scalar(`SELECT COUNT(*) ${audienceSql(t)} AND ${t.col('revenue')} IS NULL`));
    expect(scan.metric).toEqual({ field: 'revenue', kind: 'continuous', label: 'revenue', missing, capValue: null });
    expect(missing).toBeGreaterThan(0);
    expect(scan.covariate).toMatchObject({ field: 'spend_before', missing: 0 });
    expect(scan.scannedAt).toBe((await t.call('project/state', {})).open && '2026-11-29T10:15');
  });

  it('takes the strata given instead of the campaign’s, and an exempt campaign keeps the GCG’s profiles', async () => {
    const t = await startSimProject({ gcg: '10' });
    await t.call('gcg/exempt', { campaignId: t.campaignId, exempt: true });
    const scan = await t.call('simulate/scan', campaignSource(t, { field: 'bought' }, { strata: [{ fieldId: t.field('tier').id, kind: 'values' }] }));
    expect(scan.audience).toMatchObject({ size: SIM_PROFILES, gcgRemoved: 0 });
    expect(scan.strataLabel).toBe('stratified by tier');
    expect(scan.strata.map((s) => s.label).sort()).toEqual(['tier = bronze', 'tier = gold', 'tier = silver']);
  });

  it('without a GCG says null; a segment is not stratified unless asked', async () => {
    const t = await startSimProject();
    const campaign = await t.call('simulate/scan', campaignSource(t, { field: 'bought' }));
    expect(campaign.audience.gcgRemoved).toBeNull();
    const segment = await t.call('simulate/scan', { audience: { kind: 'segment', segmentId: t.segmentId }, metric: { field: 'bought' } });
    expect(segment.audience).toMatchObject({ kind: 'segment', size: SIM_PROFILES, gcgRemoved: null, campaignId: null });
    expect(segment.campaign).toBeNull();
    expect(segment.strata).toHaveLength(1);
    expect(segment.strata[0]).toMatchObject({ key: '', label: 'All profiles', size: SIM_PROFILES });
    const bought = Number(t.db().scalar(`SELECT COUNT(*) FROM ${t.table} p WHERE ${t.col('bought')} = 1`));
    expect(segment.strata[0]!.sumY).toBe(bought);
    expect(segment.metric).toMatchObject({ kind: 'binary', label: 'bought is yes', missing: SIM_PROFILES / 11 - ((SIM_PROFILES / 11) % 1) });
  });
});

describe('the metric', () => {
  it('is binary for an enum value, a number above a threshold, or the no of a yes/no field', async () => {
    const t = await startSimProject();
    const segment = { kind: 'segment' as const, segmentId: t.segmentId };
    const count = (where: string) => Number(t.db().scalar(`SELECT COUNT(*) FROM ${t.table} p WHERE ${where}`));
    const paris = await t.call('simulate/scan', { audience: segment, metric: { field: 'CITY', value: 'Paris' } });
    expect(paris.metric).toMatchObject({ field: 'city', kind: 'binary', label: 'city is Paris', missing: count(`${t.col('city')} IS NULL`) });
    expect(paris.strata[0]!.sumY).toBe(count(`${t.col('city')} = 'Paris'`));
    const big = await t.call('simulate/scan', { audience: segment, metric: { field: 'revenue', threshold: 50 } });
    expect(big.metric).toMatchObject({ kind: 'binary', label: 'revenue above 50' });
    expect(big.strata[0]!.sumY).toBe(count(`${t.col('revenue')} > 50`));
    expect(big.strata[0]!.sumY2).toBe(big.strata[0]!.sumY);
    const no = await t.call('simulate/scan', { audience: segment, metric: { field: 'bought', value: 'no' } });
    expect(no.strata[0]!.sumY).toBe(count(`${t.col('bought')} = 0`));
  });

  it('caps a number at the quantile: the smallest value with at least cap·n values at or below it', async () => {
    const t = await startSimProject();
    const scan = await t.call('simulate/scan', { audience: { kind: 'segment', segmentId: t.segmentId }, metric: { field: 'revenue', cap: 0.95 } });
    const values = t
      .db()
      .all<{ v: number }>(`SELECT COALESCE(${t.col('revenue')}, 0) AS v FROM ${t.table} p`)
      .map((r) => Number(r.v))
      .sort((a, b) => a - b);
    const k = Math.ceil(0.95 * values.length);
    const cap = values[k - 1]!;
    expect(values.filter((v) => v <= cap).length).toBeGreaterThanOrEqual(0.95 * values.length);
    expect(values.filter((v) => v < cap).length).toBeLessThan(0.95 * values.length);
    expect(scan.metric.capValue).toBe(cap);
    expect(scan.metric.label).toBe(`revenue, capped at the 95th percentile (${formatValue(cap)})`);
    expect(scan.strata[0]!.sumY).toBe(values.reduce((sum, v) => sum + Math.min(v, cap), 0));
  });

  it('quantileValue is the k-th smallest value, k = ceil(cap·n), exact for shares like 0.07', () => {
    const hundred = Float64Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(quantileValue(hundred, 0.07)).toBe(7);
    expect(quantileValue(hundred, 0.99)).toBe(99);
    expect(quantileValue(hundred, 1)).toBe(100);
    expect(quantileValue(hundred, 0.001)).toBe(1);
    expect(quantileValue(Float64Array.of(4, 1, 3, 2), 0.5)).toBe(2);
    expect(quantileValue(Float64Array.of(4, 1, 3, 2), 0.51)).toBe(3);
  });

  it('refuses with a clear reason: an unknown field, text without a value, text as a number, no values at all', async () => {
    const t = await startSimProject();
    const audience = { kind: 'segment' as const, segmentId: t.segmentId };
    const unknown = await expectEngineError(t.call('simulate/scan', { audience, metric: { field: 'profit' } }), 'NOT_FOUND');
    expect(unknown.message).toContain('"profit" is not a field of Segment Everyone');
    expect(unknown.details).toMatchObject({ reason: 'unknown_field' });
    const text = await expectEngineError(t.call('simulate/scan', { audience, metric: { field: 'tier' } }), 'INVALID_ARGUMENT');
    expect(text.details).toMatchObject({ reason: 'needs_value' });
    expect(text.message).toContain('give the value that counts as yes');
    const asNumber = await expectEngineError(t.call('simulate/scan', { audience, metric: { field: 'tier', threshold: 3 } }), 'INVALID_ARGUMENT');
    expect(asNumber.details).toMatchObject({ reason: 'not_a_number' });
    const covariate = await expectEngineError(t.call('simulate/scan', { audience, metric: { field: 'bought' }, covariate: { field: 'email' } }), 'INVALID_ARGUMENT');
    expect(covariate.message).toContain('The covariate "email" holds text');
    const date = await expectEngineError(t.call('simulate/scan', { audience, metric: { field: 'born' } }), 'INVALID_ARGUMENT');
    expect(date.message).toContain('holds dates');
    t.db().exec(`UPDATE ${t.table} SET ${t.col('revenue').slice(2)} = NULL`);
    const empty = await expectEngineError(t.call('simulate/scan', { audience, metric: { field: 'revenue' } }), 'REFUSED');
    expect(empty.details).toMatchObject({ reason: 'no_values' });
    expect(empty.message).toContain('has no values in 2,000 profiles');
  });
});

describe('the audience in memory', () => {
  it('has every field for the balance table: numbers, yes/no and categories; dates and long text left out with a reason', async () => {
    const t = await startSimProject();
    const data = await loadSimData(directContext(t), campaignSource(t, { field: 'revenue' }));
    expect(data.columns.map((c) => [c.field, c.kind])).toEqual([
      ['revenue', 'number'],
      ['bought', 'binary'],
      ['city', 'categorical'],
      ['tier', 'categorical'],
      ['spend_before', 'number'],
    ]);
    const city = data.columns[2]!;
    expect(city.kind === 'categorical' && city.levels).toEqual(['Berlin', 'Paris', 'Rome']);
    const tier = data.columns[3]!;
    expect(tier.kind === 'categorical' && tier.levels).toEqual(['bronze', 'gold', 'silver']);
    expect(data.skipped).toEqual([
      { field: 'born', reason: expect.stringContaining('a date') },
      { field: 'email', reason: 'text with more than 50 different values' },
    ]);
    const revenue = data.columns[0]!;
    expect(revenue.kind === 'number' && revenue.values.filter(Number.isNaN).length).toBe(Math.floor(SIM_PROFILES / 7));
    expect(data.strataKeys).toEqual(['', 'Berlin', 'Paris', 'Rome'].sort());
  });

  it('is read once per source until the project changes', async () => {
    const t = await startSimProject();
    const ctx = directContext(t);
    const source = campaignSource(t, { field: 'revenue' });
    const first = await loadSimData(ctx, source);
    expect(await loadSimData(ctx, source)).toBe(first);
    const other = await loadSimData(ctx, campaignSource(t, { field: 'bought' }));
    // Another metric of the same audience: the IDs and balance columns are not read again.
    expect(other.columns).toBe(first.columns);
    expect(other.packed).toBe(first.packed);
    expect(await loadSimData(ctx, campaignSource(t, { field: 'bought' }))).toBe(other);
    expect(await loadSimData(ctx, source)).toBe(first);
    // A third source pushes out the least recently used.
    await loadSimData(ctx, campaignSource(t, { field: 'revenue', cap: 0.9 }));
    expect(await loadSimData(ctx, source)).toBe(first);
    expect(await loadSimData(ctx, campaignSource(t, { field: 'bought' }))).not.toBe(other);
    // Any change of the project: read again, and see the change.
    await t.call('project/update', { name: 'Renamed' });
    const again = await loadSimData(ctx, source);
    expect(again).not.toBe(first);
    expect(Array.from(again.y)).toEqual(Array.from(first.y));
  });

  it('reports progress and stops at a cancel between its reads, keeping nothing half-read', async () => {
    const t = await startSimProject();
    const phases: string[] = [];
    let checkpoints = 0;
    const cancelling = {
      ...directContext(t),
      progress: (phase: string) => void phases.push(phase),
      checkpoint: async () => {
        checkpoints += 1;
        if (checkpoints === 2) throw new EngineError('CANCELLED', 'Cancelled; nothing was changed.');
      },
    };
    const source = campaignSource(t, { field: 'revenue' });
    await expectEngineError(loadSimData(cancelling, source), 'CANCELLED');
    expect(phases[0]).toBe('Reading the audience');
    // Not cached: the next read is whole.
    const data = await loadSimData(directContext(t), source);
    expect(data.count).toBe(SIM_PROFILES);
  });
});
