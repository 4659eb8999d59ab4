/**
 * Statistical sanity of the split over many seeds: every profile lands in the LCG about as
 * often as the share says (within binomial error), and membership does not follow the
 * order of the IDs. The seeds are fixed, so the test is deterministic.
 */
import { describe, expect, it } from 'vitest';
import { startCampaignProject } from './helpers';

const SEEDS = 200;
const PROFILES = 1000;
const SHARE = 0.1;

describe('the split over many seeds', () => {
  it('puts each profile in the LCG with frequency ≈ 10 %, uncorrelated with ID order', async () => {
    const t = await startCampaignProject();
    // IDs 1..1000 as text: their order is the profile's rank.
    t.db().exec(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${PROFILES})
                 INSERT INTO profiles_${t.databaseId} (profile_id) SELECT CAST(i AS TEXT) FROM c`);
    const segmentId = t.segment('All');
    const counts = new Float64Array(PROFILES + 1);
    // Pearson correlation of rank and membership, pooled over all seeds.
    let sumXY = 0;
    let sumY = 0;
    const perSeedCorrelations: number[] = [];
    for (let s = 0; s < SEEDS; s += 1) {
      const id = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] }, `seed-${s}`, `Run ${s}`);
      await t.call('campaign/activate', { campaignId: id });
      const groups = t.groups(id);
      let xy = 0;
      for (const [profileId, grp] of groups) {
        if (grp !== 'control') continue;
        const rank = Number(profileId);
        counts[rank]! += 1;
        xy += rank;
      }
      expect([...groups.values()].filter((g) => g === 'control')).toHaveLength(100);
      sumXY += xy;
      sumY += 100;
      // Per seed: corr(rank, member) with exactly 100 members.
      const meanX = (PROFILES + 1) / 2;
      const varX = (PROFILES * PROFILES - 1) / 12;
      const p = 100 / PROFILES;
      const cov = xy / PROFILES - meanX * p;
      perSeedCorrelations.push(cov / Math.sqrt(varX * p * (1 - p)));
    }

    const expected = SEEDS * SHARE;
    const sd = Math.sqrt(SEEDS * SHARE * (1 - SHARE));
    let maxZ = 0;
    let chiSquare = 0;
    for (let rank = 1; rank <= PROFILES; rank += 1) {
      const z = (counts[rank]! - expected) / sd;
      maxZ = Math.max(maxZ, Math.abs(z));
      chiSquare += z * z;
    }
    // 1,000 profiles: the largest |z| of 1,000 near-normal draws is about 3.2; 5 is far out.
    expect(maxZ).toBeLessThan(5);
    // Sum of 1,000 squared z-scores: chi-square with about 1,000 degrees of freedom (sd ≈ 45).
    expect(chiSquare).toBeGreaterThan(1000 - 4 * 45);
    expect(chiSquare).toBeLessThan(1000 + 4 * 45);

    // Pooled correlation of rank and membership: its standard error is 1/√(200,000) ≈ 0.0022.
    const n = SEEDS * PROFILES;
    const meanX = (PROFILES + 1) / 2;
    const varX = (PROFILES * PROFILES - 1) / 12;
    const p = sumY / n;
    const pooled = (sumXY / n - meanX * p) / Math.sqrt(varX * p * (1 - p));
    expect(Math.abs(pooled)).toBeLessThan(0.01);
    // Per seed the standard error is about 1/√1000 ≈ 0.032.
    expect(Math.max(...perSeedCorrelations.map(Math.abs))).toBeLessThan(0.15);
    const meanCorrelation = perSeedCorrelations.reduce((a, b) => a + b, 0) / SEEDS;
    expect(Math.abs(meanCorrelation)).toBeLessThan(0.01);
  }, 120_000);
});
