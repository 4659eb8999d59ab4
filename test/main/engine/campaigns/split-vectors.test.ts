/** The STATS.md 1.5 vectors, end to end through campaigns. */
import { describe, expect, it } from 'vitest';
import { md5Hex } from '../../../../shared/split/md5';
import { startCampaignProject } from './helpers';

describe('the split of a campaign follows STATS.md 1.5', () => {
  it('strata A=6, B=6, C=8, M=5, seed "s1": control A 1, B 2, C 2 (the tie goes to B by its hash)', async () => {
    const t = await startCampaignProject();
    const letter = t.field('letter').id;
    t.generate(6, { prefix: 'a', values: { letter: "'A'" } });
    t.generate(6, { prefix: 'b', values: { letter: "'B'" } });
    t.generate(8, { prefix: 'c', values: { letter: "'C'" } });
    const segmentId = t.segment('All');
    const id = await t.campaign(segmentId, { percent: null, limit: 5, strata: [{ kind: 'values', fieldId: letter }] }, 's1');
    expect(md5Hex('s1:stratum:B') < md5Hex('s1:stratum:A')).toBe(true);

    const detail = await t.call('campaign/activate', { campaignId: id });
    expect(detail.campaign.status).toBe('active');
    expect(detail.strata.map((s) => [s.key, s.size, s.control])).toEqual([
      ['A', 6, 1],
      ['B', 6, 2],
      ['C', 8, 2],
    ]);
    expect(detail.strata.map((s) => s.quota)).toEqual([1.5, 1.5, 2]);
    expect(detail.campaign.groups).toEqual({ test: 15, control: 5, total: 20 });
    expect(detail.versions).toHaveLength(1);
    expect(detail.versions[0]).toMatchObject({ reason: 'activation', seed: 's1', audience: 20, controlTotal: 5, joined: 20, left: 0, shortfall: 0, surplus: 0 });
    expect(detail.warning).toBeNull();
  });

  it("the guide's example: 100 profiles in strata of 6, 7, 7, 28, 26, 26 at 15 % with a limit of 12 give 1, 1, 1, 3, 3, 3 and a violation warning", async () => {
    const t = await startCampaignProject([{ name: 'segment', type: 'enum', enumValues: ['s1', 's2', 's3', 's4', 's5', 's6'] }]);
    const sizes = [6, 7, 7, 28, 26, 26];
    let from = 1;
    sizes.forEach((size, i) => {
      t.generate(size, { from, values: { segment: `'s${i + 1}'` } });
      from += size;
    });
    const segmentId = t.segment('All');
    const lcg = { percent: 15, limit: 12, strata: [{ kind: 'values' as const, fieldId: t.field('segment').id }] };
    const id = await t.campaign(segmentId, lcg, 'guide');

    // Before activation the warning is there already, naming the strata, suggesting a limit.
    const before = await t.call('campaign/get', { campaignId: id });
    expect(before.warning).not.toBeNull();
    expect(before.strata.map((s) => s.control)).toEqual([1, 1, 1, 3, 3, 3]);

    const detail = await t.call('campaign/activate', { campaignId: id });
    expect(detail.strata.map((s) => [s.key, s.size, s.control])).toEqual([
      ['s1', 6, 1],
      ['s2', 7, 1],
      ['s3', 7, 1],
      ['s4', 28, 3],
      ['s5', 26, 3],
      ['s6', 26, 3],
    ]);
    const warning = detail.warning!;
    expect(warning.suggestedLimit).toBe(17);
    const six = warning.strata.find((s) => s.size === 6)!;
    expect(six).toMatchObject({ key: 's1', label: 'segment = s1' });
    expect(six.expected).toBeCloseTo(0.72, 10);
    expect(warning.message).toContain('segment = s1 (6 profiles, expects 0.72)');
    expect(warning.message).toContain('17');
    // The version keeps it too.
    expect(detail.versions[0]!.warning).toEqual(warning);
  });

  it('md5("abc") is the RFC 1321 value', () => {
    expect(md5Hex('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
  });
});
