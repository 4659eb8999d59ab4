/**
 * The stand-alone split is the campaign split: a CSV of a campaign's profile IDs and field
 * values, split with the campaign's seed, LCG and strata, gives every ID the group the
 * campaign gave it, with the same strata (keys, sizes, control counts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../main/engine/demo/random';
import { startDatabaseProject } from '../databases/helpers';

describe('split/csv and the campaign split', () => {
  it('give the same groups and strata for the same IDs, strata and seed', async () => {
    const t = await startDatabaseProject([
      { name: 'gender', type: 'string' },
      { name: 'age', type: 'number' },
    ]);
    const random = new SeededRandom('same-split');
    const profiles = Array.from({ length: 5000 }, (_, i) => ({
      id: i % 9 === 0 ? `Клиент-${i}` : String(100_000 + i * 37),
      values: {
        gender: random.int(0, 20) === 0 ? null : random.int(0, 2) === 0 ? 'male' : 'female',
        age: random.int(0, 30) === 0 ? null : random.int(16, 80),
      },
    }));
    t.insert(profiles);
    const segment = await t.call('segment/create', { databaseId: t.databaseId, name: 'All', from: { kind: 'all' } });
    const gender = t.field('gender').id;
    const age = t.field('age').id;
    const campaign = await t.call('campaign/create', {
      name: 'Stratified',
      databaseId: t.databaseId,
      segmentId: segment.segment.id,
      seed: 'same-as-csv',
      lcg: {
        percent: '7.5',
        limit: null,
        strata: [
          { kind: 'ranges', fieldId: age, bounds: [30, 50] },
          { kind: 'values', fieldId: gender },
        ],
      },
    });
    await t.call('activity/create', { databaseId: t.databaseId, campaignId: campaign.id, name: 'Mail', type: 'broadcast' });
    const detail = await t.call('campaign/activate', { campaignId: campaign.id });
    const groups = new Map<string, string>();
    for (let offset = 0; offset < 5000; offset += 1000) {
      const page = await t.call('campaign/members', { campaignId: campaign.id, offset, limit: 1000 });
      page.rows.forEach((row, i) => groups.set(row.profileId, page.groups[i]!));
    }
    expect(groups.size).toBe(5000);

    const input = join(t.dir, 'audience.csv');
    const cell = (v: string | number | null) => (v === null ? '' : String(v));
    writeFileSync(input, `profile_id,gender,age\n${profiles.map((p) => `${p.id},${cell(p.values.gender)},${cell(p.values.age)}`).join('\n')}\n`);
    const output = join(t.dir, 'groups.csv');
    const result = await t.call('split/csv', {
      input,
      output,
      seed: 'same-as-csv',
      percent: '7.5',
      strata: [
        { kind: 'ranges', column: 'age', bounds: [30, 50] },
        { kind: 'values', column: 'gender' },
      ],
    });

    const lines = readFileSync(output, 'utf8').slice(1).trimEnd().split('\r\n').slice(1);
    expect(lines).toHaveLength(5000);
    let control = 0;
    for (const line of lines) {
      const [id, group] = line.split(',');
      expect(group, id).toBe(groups.get(id!));
      if (group === 'control') control += 1;
    }
    expect(control).toBe(detail.campaign.groups.control);
    expect(result.control).toBe(control);
    const simple = (rows: readonly { key: string; label: string; size: number; control: number }[]) =>
      rows.map((r) => [r.key, r.label, r.size, r.control]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(simple(result.strata)).toEqual(simple(detail.strata));
  });
});
