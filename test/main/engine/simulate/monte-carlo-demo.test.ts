/**
 * The acceptance on the demo audience (50,000 generated customers), through the
 * engine: a segment of everyone, stratified by city; a yes/no metric (more than 18
 * purchases, about 5 %) and revenue (skewed, capped at its 99th percentile as
 * the simulator advises). The A/A false-positive rate's 99 % interval holds α = 0.05 and
 * 0.01; the empirical power is within 3 points of the closed form at these sizes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimSource } from '../../../../shared/contract/simulate';
import { startTestEngine, type TestEngine } from '../../../helpers/engine';

let t: TestEngine;
let source: (metric: SimSource['metric']) => SimSource;

beforeAll(async () => {
  t = await startTestEngine();
  await t.call('demo/create', {});
  const [database] = await t.call('database/list', {});
  const detail = await t.call('database/get', { databaseId: database!.id });
  const city = detail.fields.find((f) => f.name === 'city')!;
  const { segment } = await t.call('segment/create', { databaseId: database!.id, name: 'Everyone', from: { kind: 'all' } });
  source = (metric) => ({ audience: { kind: 'segment', segmentId: segment.id }, metric, strata: [{ fieldId: city.id, kind: 'values' }] });
});

const run = (metric: SimSource['metric'], alpha: number, effect: number | null, reps: number, percent = '10') =>
  t.call('simulate/monteCarlo', { source: source(metric), settings: { alpha, sided: 'two-sided', percent, limit: null, seed: 's1', effect }, reps });

describe('the Monte Carlo on the demo audience', () => {
  const bought = { field: 'purchases', threshold: 18 };
  const revenue = { field: 'revenue', cap: 0.99 };

  it('uses a yes/no metric of about 5 %', async () => {
    const scan = await t.call('simulate/scan', source(bought));
    const rate = scan.strata.reduce((sum, s) => sum + s.sumY, 0) / scan.audience.size;
    expect(scan.audience.size).toBe(50_000);
    expect(rate).toBeGreaterThan(0.03);
    expect(rate).toBeLessThan(0.08);
  });

  for (const [name, metric] of [
    ['a yes/no metric', bought],
    ['revenue capped at its 99th percentile', revenue],
  ] as const) {
    for (const alpha of [0.05, 0.01]) {
      it(`A/A on ${name}: the false-positive rate's 99 % interval holds α = ${alpha}`, async () => {
        // The default 1,000 replicates. (With ~250 conversions in the LCG the z-test, which
        // has no continuity correction, truly rejects ~1.1 % at α = 1 %: a run of many more
        // replicates shows that, as it should.)
        const result = await run(metric, alpha, null, 1000);
        const [lo, hi] = result.aa.falsePositive.interval99;
        expect(lo).toBeLessThanOrEqual(alpha);
        expect(hi).toBeGreaterThanOrEqual(alpha);
      });
    }
  }

  for (const [name, metric, effect, percent] of [
    ['a yes/no metric', bought, 0.12, '20'],
    ['revenue capped at its 99th percentile', revenue, 0.05, '20'],
  ] as const) {
    it(`with an injected effect on ${name}: the empirical power is within 3 points of the closed form`, async () => {
      const result = await run(metric, 0.05, effect, 2000, percent);
      expect(result.effect!.closedFormPower).toBeGreaterThan(0.3);
      expect(result.effect!.closedFormPower).toBeLessThan(0.95);
      expect(Math.abs(result.effect!.power.rate - result.effect!.closedFormPower)).toBeLessThan(0.03);
    });
  }
});
