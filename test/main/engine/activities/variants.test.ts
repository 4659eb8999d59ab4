/** A/B variants: exact counts by largest remainder, md5 order, reproducible across projects. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPackedIds, packIds } from '../../../../shared/split/hash-ids';
import { compareText } from '../../../../shared/split/quotas';
import { assignVariants, orderByHash, variantCounts, variantSeed } from '../../../../main/engine/activities/variants';
import { recipientsOf, startActivityProject } from './helpers';

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

describe('variant counts', () => {
  it('are the largest-remainder shares: exact total, each within one of its share, ties to the earlier variant', () => {
    expect(variantCounts(100, [50, 30, 20])).toEqual([50, 30, 20]);
    expect(variantCounts(10, [33.34, 33.33, 33.33])).toEqual([4, 3, 3]);
    expect(variantCounts(7, [50, 50])).toEqual([4, 3]);
    expect(variantCounts(0, [50, 50])).toEqual([0, 0]);
    expect(variantCounts(3, ['12.5', '87.5'])).toEqual([0, 3]); // 0.375 and 2.625
    for (let n = 0; n < 200; n += 7) {
      const counts = variantCounts(n, [10, 20.5, 69.5]);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
      counts.forEach((c, i) => expect(Math.abs(c - (n * [10, 20.5, 69.5][i]!) / 100)).toBeLessThan(1));
    }
    expect(() => variantCounts(10, [50, 40])).toThrow(/100 %/);
  });
});

describe('variant order', () => {
  it('orders by md5(seed ":" id) as lowercase hex, then by ID, like a full sort of the digests', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => (i % 4 === 0 ? `Ид-${i}` : String(i).padStart(6, '0')));
    const seed = variantSeed('campaign-seed', 42);
    const hashes = hashPackedIds(seed, packIds(ids), ids.length);
    const order = orderByHash(hashes, ids.length, (i) => ids[i]!);
    const expected = ids.map((id, i) => ({ i, h: md5(`campaign-seed:ab:42:${id}`), id })).sort((a, b) => compareText(a.h, b.h) || compareText(a.id, b.id));
    expect(Array.from(order)).toEqual(expected.map((e) => e.i));
  });

  it('sorts equal first words by the rest of the digest, and exact ties by ID', () => {
    // Three digests with the same first word; two of them equal in full.
    const hashes = new Uint32Array([7, 2, 0, 0, 7, 1, 0, 0, 7, 2, 0, 0, 3, 9, 9, 9]);
    const ids = ['b', 'x', 'a', 'z'];
    expect(Array.from(orderByHash(hashes, 4, (i) => ids[i]!))).toEqual([3, 1, 2, 0]);
  });

  it('cuts the ordered recipients into consecutive blocks of the counts', () => {
    const hashes = new Uint32Array([4, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0]);
    expect(Array.from(assignVariants(hashes, 4, [1, 2, 1], String))).toEqual([2, 0, 1, 1]);
  });
});

describe('A/B test runs', () => {
  async function abRun() {
    const t = await startActivityProject(150);
    const campaign = await t.campaign('AB', await t.segment('All', t.ids(1, 150)));
    const ab = await t.activity('Subject', {
      campaignId: campaign.id,
      type: 'ab_test',
      ignoreLcg: true,
      variants: [{ name: 'Short', percent: 50 }, { name: 'Long', percent: 33.33 }, { name: 'Emoji', percent: 16.67 }],
    });
    await t.call('campaign/activate', { campaignId: campaign.id });
    const run = await t.call('activity/run', { activityId: ab.id });
    return { t, run, seed: campaign.seed, activityId: ab.id };
  }

  it('records exact counts per variant, gives each recipient its variant by md5 order, and reproduces them', async () => {
    const first = await abRun();
    // 150 recipients: 75, 49.995 -> 50, 25.005 -> 25.
    expect(first.run.variants).toEqual({ Short: 75, Long: 50, Emoji: 25 });
    const recipients = await recipientsOf(first.t, first.run.id);
    const byMd5 = [...recipients.keys()].sort((a, b) => compareText(md5(`${first.seed}:ab:${first.activityId}:${a}`), md5(`${first.seed}:ab:${first.activityId}:${b}`)));
    const expected = new Map(byMd5.map((id, k) => [id, k < 75 ? 'Short' : k < 125 ? 'Long' : 'Emoji']));
    for (const [id, [, variant]] of recipients) expect(variant).toBe(expected.get(id));

    const second = await abRun();
    expect(second.run.variants).toEqual(first.run.variants);
    expect(await recipientsOf(second.t, second.run.id)).toEqual(recipients);
  });
});
