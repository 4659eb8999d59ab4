/**
 * The stand-alone split is the campaign split: a CSV of a campaign's profile IDs and field
 * values, split with the campaign's seed, LCG and strata, gives every ID the group the
 * campaign gave it, with the same strata (keys, sizes, control counts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../main/engine/demo/random';
import { startDatabaseProject, type DatabaseProject } from '../databases/helpers';

/** Every member's group, paged as a user would read them. */
async function memberGroups(t: DatabaseProject, campaignId: number, count: number): Promise<Map<string, string>> {
  const groups = new Map<string, string>();
  for (let offset = 0; offset < count; offset += 1000) {
    const page = await t.call('campaign/members', { campaignId, offset, limit: 1000 });
    page.rows.forEach((row, i) => groups.set(row.profileId, page.groups[i]!));
  }
  return groups;
}

/** Strata rows comparable across the two splits: key, label, size, control, by key. */
const simple = (rows: readonly { key: string; label: string; size: number; control: number }[]) =>
  rows.map((r) => [r.key, r.label, r.size, r.control]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));

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
    const groups = await memberGroups(t, campaign.id, 5000);
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
    expect(simple(result.strata)).toEqual(simple(detail.strata));
  });

  it('agree for chosen values, named date intervals and ages (the file writes dates 31.12.1999 style; ages on the clock date)', async () => {
    const t = await startDatabaseProject([
      { name: 'city', type: 'string' },
      { name: 'born', type: 'date' },
      { name: 'since', type: 'date' },
    ]);
    const random = new SeededRandom('same-kinds');
    const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    const profiles = Array.from({ length: 3000 }, (_, i) => ({
      id: `K-${i * 13}`,
      values: {
        city: random.int(0, 9) === 0 ? null : ['Moscow', 'Kazan', 'Omsk', 'Tver'][random.int(0, 3)]!,
        born: random.int(0, 15) === 0 ? null : iso(random.int(1940, 2015), random.int(1, 12), random.int(1, 28)),
        since: iso(random.int(2018, 2025), random.int(1, 12), random.int(1, 28)),
      },
    }));
    t.insert(profiles);
    const segment = await t.call('segment/create', { databaseId: t.databaseId, name: 'All', from: { kind: 'all' } });
    const rules = {
      city: { kind: 'subset' as const, values: ['Moscow', 'Kazan'] },
      born: { kind: 'age' as const, intervals: [{ from: 18, to: 30 }, { from: 31, to: 50 }, { from: 65, to: null }] },
      since: { kind: 'intervals' as const, intervals: [{ label: 'Early', from: '01.01.2018', to: '31.12.2019' }, { label: 'Recent', from: '01.01.2023', to: '31.12.2025' }] },
    };
    const campaign = await t.call('campaign/create', {
      name: 'Kinds',
      databaseId: t.databaseId,
      segmentId: segment.segment.id,
      seed: 'kinds',
      lcg: {
        percent: '12.5',
        limit: null,
        strata: [
          { ...rules.since, fieldId: t.field('since').id },
          { ...rules.city, fieldId: t.field('city').id },
          { ...rules.born, fieldId: t.field('born').id },
        ],
      },
    });
    await t.call('activity/create', { databaseId: t.databaseId, campaignId: campaign.id, name: 'Mail', type: 'broadcast' });
    const detail = await t.call('campaign/activate', { campaignId: campaign.id });
    const groups = await memberGroups(t, campaign.id, 3000);
    const today = (await t.call('project/info', {})).clock.slice(0, 10);

    const local = (date: string | null) => (date === null ? '' : `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`);
    const input = join(t.dir, 'kinds.csv');
    writeFileSync(input, `id;city;born;since\n${profiles.map((p) => `${p.id};${p.values.city ?? ''};${local(p.values.born)};${local(p.values.since)}`).join('\n')}\n`);
    const output = join(t.dir, 'kinds-groups.csv');
    const result = await t.call('split/csv', {
      input,
      output,
      seed: 'kinds',
      percent: '12.5',
      today,
      options: { dateOrder: 'dmy' },
      strata: [
        { ...rules.since, column: 'since' },
        { ...rules.city, column: 'city' },
        { ...rules.born, column: 'born' },
      ],
    });
    const lines = readFileSync(output, 'utf8').slice(1).trimEnd().split('\r\n').slice(1);
    let differences = 0;
    for (const line of lines) {
      const [id, group] = line.split(',');
      if (groups.get(id!) !== group) differences += 1;
    }
    expect(lines).toHaveLength(3000);
    expect(differences).toBe(0);
    expect(simple(result.strata)).toEqual(simple(detail.strata));
    expect(result.strata.length).toBeGreaterThan(30);
  });
});
