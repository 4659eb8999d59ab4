import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contract, type ArgsOf, type ProfileSortKey } from '../../../../shared/contract/index';
import { expectEngineError } from '../../../helpers/engine';
import { startDatabaseProject, type DatabaseProject, type ProfileDraft } from './helpers';

/** Six profiles with every type, gaps (no value) and ties, in a known order of arrival. */
const PEOPLE: readonly ProfileDraft[] = [
  { id: 'c-03', subscription: 'subscribed', values: { name: 'carol', age: 40, born: '1986-05-01', seen: '2026-11-01T09:00:00', vip: true, tier: 'gold' } },
  { id: 'a-01', subscription: 'bounced', values: { name: 'Alice', age: 25.5, born: '1999-12-31', seen: '2026-10-15T18:30:00', vip: false, tier: 'silver' } },
  { id: '00123', subscription: 'unconfirmed', values: { name: 'Борис', age: -3, born: null, seen: '2026-11-01T09:00:00', vip: null, tier: null } },
  { id: 'b-02', subscription: 'unsubscribed', values: { name: null, age: 40, born: '1970-01-01', seen: null, vip: true, tier: 'bronze' } },
  { id: '123', subscription: 'subscribed', values: { name: 'alice 100%_off', age: null, born: '2001-03-08', seen: '2024-03-08T23:59:59', vip: false, tier: 'gold' } },
  { id: '0019', subscription: 'bounced', values: { name: 'Dave', age: 1000.25, born: '2024-03-08', seen: '2024-03-09T00:00:00', vip: true, tier: 'silver' } },
];

async function people(): Promise<DatabaseProject> {
  const p = await startDatabaseProject();
  p.insert(PEOPLE);
  return p;
}

type ListArgs = Omit<ArgsOf<'profile/list'>, 'databaseId'>;

async function ids(p: DatabaseProject, args: ListArgs = {}): Promise<string[]> {
  const page = await p.call('profile/list', { databaseId: p.databaseId, ...args });
  return page.rows.map((r) => r.profileId);
}

const sortBy = (p: DatabaseProject, by: ProfileSortKey | string, direction: 'asc' | 'desc') =>
  ids(p, { sort: { by: typeof by === 'string' && by !== 'profileId' && by !== 'subscription' ? p.field(by).id : (by as ProfileSortKey), direction } });

describe('profile/list: a page of profiles', () => {
  it('gives profiles in the order they arrived, with every field decoded by its type', async () => {
    const p = await people();
    const page = await p.call('profile/list', { databaseId: p.databaseId });
    expect(contract['profile/list'].result.safeParse(page).success).toBe(true);
    expect(page.total).toBe(6);
    expect(page.offset).toBe(0);
    expect(page.fieldIds).toEqual(['name', 'age', 'born', 'seen', 'vip', 'tier'].map((n) => p.field(n).id));
    expect(page.rows.map((r) => r.profileId)).toEqual(PEOPLE.map((x) => x.id));
    expect(page.rows[0]).toMatchObject({
      profileId: 'c-03',
      subscription: 'subscribed',
      values: ['carol', 40, '1986-05-01', '2026-11-01T09:00:00', true, 'gold'],
    });
    expect(page.rows[2]?.values).toEqual(['Борис', -3, null, '2026-11-01T09:00:00', null, null]);
    expect(page.rows[1]?.values[4]).toBe(false);
    const keys = page.rows.map((r) => r.key);
    expect(new Set(keys).size).toBe(6);
  });

  it('pages with offset and limit; past the end is an empty page with the total', async () => {
    const p = await startDatabaseProject([{ name: 'n', type: 'number' }]);
    p.insert(Array.from({ length: 2_500 }, (_, i) => ({ id: `p${String(i).padStart(5, '0')}`, values: { n: i } })));
    const first = await p.call('profile/list', { databaseId: p.databaseId, limit: 1000 });
    expect(first.rows).toHaveLength(1000);
    expect(first.total).toBe(2_500);
    const deep = await p.call('profile/list', { databaseId: p.databaseId, offset: 2_450, limit: 100 });
    expect(deep.rows.map((r) => r.values[0])).toEqual(Array.from({ length: 50 }, (_, i) => 2_450 + i));
    expect(deep.offset).toBe(2_450);
    const past = await p.call('profile/list', { databaseId: p.databaseId, offset: 5_000 });
    expect(past).toMatchObject({ total: 2_500, rows: [] });
    await expectEngineError(p.call('profile/list', { databaseId: p.databaseId, limit: 1001 }), 'INVALID_ARGUMENT');
    await expectEngineError(p.call('profile/list', { databaseId: p.databaseId, offset: -1 }), 'INVALID_ARGUMENT');
  });
});

describe('profile/list: sorting', () => {
  it('sorts by the profile ID and by the status, both ways', async () => {
    const p = await people();
    // Text order, character by character: "00123" < "0019" < "123".
    expect(await sortBy(p, 'profileId', 'asc')).toEqual(['00123', '0019', '123', 'a-01', 'b-02', 'c-03']);
    expect(await sortBy(p, 'profileId', 'desc')).toEqual(['c-03', 'b-02', 'a-01', '123', '0019', '00123']);
    // Ties keep the order of arrival, in both directions.
    expect(await sortBy(p, 'subscription', 'asc')).toEqual(['a-01', '0019', 'c-03', '123', '00123', 'b-02']);
    expect(await sortBy(p, 'subscription', 'desc')).toEqual(['b-02', '00123', 'c-03', '123', 'a-01', '0019']);
  });

  it('sorts numbers as numbers, with profiles without a value last both ways', async () => {
    const p = await people();
    expect(await sortBy(p, 'age', 'asc')).toEqual(['00123', 'a-01', 'c-03', 'b-02', '0019', '123']);
    expect(await sortBy(p, 'age', 'desc')).toEqual(['0019', 'c-03', 'b-02', 'a-01', '00123', '123']);
  });

  it('sorts text, dates, date-times, yes/no and enum fields, empty last', async () => {
    const p = await people();
    // SQLite's binary order: capitals before lower case, Cyrillic after Latin.
    expect(await sortBy(p, 'name', 'asc')).toEqual(['a-01', '0019', '123', 'c-03', '00123', 'b-02']);
    expect(await sortBy(p, 'name', 'desc')).toEqual(['00123', 'c-03', '123', '0019', 'a-01', 'b-02']);
    expect(await sortBy(p, 'born', 'asc')).toEqual(['b-02', 'c-03', 'a-01', '123', '0019', '00123']);
    expect(await sortBy(p, 'born', 'desc')).toEqual(['0019', '123', 'a-01', 'c-03', 'b-02', '00123']);
    expect(await sortBy(p, 'seen', 'asc')).toEqual(['123', '0019', 'a-01', 'c-03', '00123', 'b-02']);
    expect(await sortBy(p, 'seen', 'desc')).toEqual(['c-03', '00123', 'a-01', '0019', '123', 'b-02']);
    expect(await sortBy(p, 'vip', 'asc')).toEqual(['a-01', '123', 'c-03', 'b-02', '0019', '00123']);
    expect(await sortBy(p, 'vip', 'desc')).toEqual(['c-03', 'b-02', '0019', 'a-01', '123', '00123']);
    expect(await sortBy(p, 'tier', 'asc')).toEqual(['b-02', 'c-03', '123', 'a-01', '0019', '00123']);
  });

  it('refuses to sort by a field of another database', async () => {
    const p = await people();
    const other = await p.call('database/create', { name: 'Other', fields: [{ name: 'x', type: 'string' }] });
    await expectEngineError(
      p.call('profile/list', { databaseId: p.databaseId, sort: { by: other.fields[0]!.id, direction: 'asc' } }),
      'NOT_FOUND',
    );
  });
});

describe('profile/list: searching', () => {
  it('finds profile IDs starting with the text, exactly as typed', async () => {
    const p = await people();
    expect(await ids(p, { search: { in: 'profileId', text: '001' } })).toEqual(['00123', '0019']);
    expect(await ids(p, { search: { in: 'profileId', text: '00123' } })).toEqual(['00123']);
    expect(await ids(p, { search: { in: 'profileId', text: '12' } })).toEqual(['123']);
    expect(await ids(p, { search: { in: 'profileId', text: 'A-' } })).toEqual([]);
    const page = await p.call('profile/list', { databaseId: p.databaseId, search: { in: 'profileId', text: '0' } });
    expect(page.total).toBe(2);
  });

  it('finds text and enum values containing the text, ignoring the case of Latin letters, with % and _ as plain characters', async () => {
    const p = await people();
    const name = p.field('name').id;
    expect(await ids(p, { search: { in: name, text: 'ALICE' } })).toEqual(['a-01', '123']);
    expect(await ids(p, { search: { in: name, text: '100%_' } })).toEqual(['123']);
    expect(await ids(p, { search: { in: name, text: '%' } })).toEqual(['123']);
    expect(await ids(p, { search: { in: name, text: '_' } })).toEqual(['123']);
    expect(await ids(p, { search: { in: name, text: 'бор' } })).toEqual([]);
    expect(await ids(p, { search: { in: name, text: 'Бор' } })).toEqual(['00123']);
    expect(await ids(p, { search: { in: p.field('tier').id, text: 'ILV' } })).toEqual(['a-01', '0019']);
  });

  it('finds numbers and yes/no by equality, dates and date-times by prefix', async () => {
    const p = await people();
    expect(await ids(p, { search: { in: p.field('age').id, text: '40' } })).toEqual(['c-03', 'b-02']);
    expect(await ids(p, { search: { in: p.field('age').id, text: '1 000,25' } })).toEqual(['0019']);
    expect(await ids(p, { search: { in: p.field('age').id, text: '-3' } })).toEqual(['00123']);
    await expectEngineError(p.call('profile/list', { databaseId: p.databaseId, search: { in: p.field('age').id, text: 'forty' } }), 'INVALID_ARGUMENT');
    expect(await ids(p, { search: { in: p.field('vip').id, text: 'yes' } })).toEqual(['c-03', 'b-02', '0019']);
    expect(await ids(p, { search: { in: p.field('vip').id, text: 'нет' } })).toEqual(['a-01', '123']);
    await expectEngineError(p.call('profile/list', { databaseId: p.databaseId, search: { in: p.field('vip').id, text: 'maybe' } }), 'INVALID_ARGUMENT');
    expect(await ids(p, { search: { in: p.field('born').id, text: '19' } })).toEqual(['c-03', 'a-01', 'b-02']);
    expect(await ids(p, { search: { in: p.field('born').id, text: '2024-03' } })).toEqual(['0019']);
    expect(await ids(p, { search: { in: p.field('seen').id, text: '2024-03-08' } })).toEqual(['123']);
    expect(await ids(p, { search: { in: p.field('seen').id, text: '2026-11-01T09' } })).toEqual(['c-03', '00123']);
  });

  it('searches anywhere: the ID and every text field, and sorts what it finds', async () => {
    const p = await people();
    expect(await ids(p, { search: { in: 'any', text: 'a' } })).toEqual(['c-03', 'a-01', '123', '0019']);
    expect(await ids(p, { search: { in: 'any', text: '12' } })).toEqual(['00123', '123']);
    expect(await ids(p, { search: { in: 'any', text: 'gold' } })).toEqual(['c-03', '123']);
    const sorted = await p.call('profile/list', {
      databaseId: p.databaseId,
      search: { in: 'any', text: 'a' },
      sort: { by: p.field('age').id, direction: 'desc' },
      limit: 2,
      offset: 1,
    });
    expect(sorted.total).toBe(4);
    expect(sorted.rows.map((r) => r.profileId)).toEqual(['c-03', 'a-01']);
  });

  it('refuses an empty search and a field of another database', async () => {
    const p = await people();
    await expectEngineError(p.call('profile/list', { databaseId: p.databaseId, search: { in: 'any', text: '   ' } }), 'INVALID_ARGUMENT');
    await expectEngineError(p.call('profile/list', { databaseId: p.databaseId, search: { in: 9999, text: 'x' } }), 'NOT_FOUND');
  });
});

describe('profile/list: the cached order stays true to the data', () => {
  it('shows profiles added, changed and removed since the last page, with the same sort', async () => {
    const p = await people();
    const sort = { by: p.field('age').id, direction: 'asc' as const };
    expect(await ids(p, { sort })).toEqual(['00123', 'a-01', 'c-03', 'b-02', '0019', '123']);
    p.insert([{ id: 'new', values: { age: 0 } }]);
    expect(await ids(p, { sort })).toEqual(['00123', 'new', 'a-01', 'c-03', 'b-02', '0019', '123']);
    p.db().run(`UPDATE profiles_${p.databaseId} SET f_${p.field('age').id} = 99 WHERE profile_id = 'a-01'`);
    expect(await ids(p, { sort })).toEqual(['00123', 'new', 'c-03', 'b-02', 'a-01', '0019', '123']);
    p.db().run(`DELETE FROM profiles_${p.databaseId} WHERE profile_id = 'new'`);
    const page = await p.call('profile/list', { databaseId: p.databaseId, sort });
    expect(page.total).toBe(6);
    expect(page.rows.map((r) => r.profileId)).toEqual(['00123', 'c-03', 'b-02', 'a-01', '0019', '123']);
  });

  it('follows field changes: an added field appears, a removed one goes, a sort by it is refused', async () => {
    const p = await people();
    const age = p.field('age').id;
    await ids(p, { sort: { by: age, direction: 'desc' } });
    const added = await p.call('field/add', { databaseId: p.databaseId, field: { name: 'extra', type: 'string' } });
    expect((await p.call('profile/list', { databaseId: p.databaseId })).fieldIds).toContain(added.id);
    await p.call('field/remove', { fieldId: age });
    const page = await p.call('profile/list', { databaseId: p.databaseId });
    expect(page.fieldIds).not.toContain(age);
    await expectEngineError(p.call('profile/list', { databaseId: p.databaseId, sort: { by: age, direction: 'desc' } }), 'NOT_FOUND');
  });

  it('keeps working across saves and after a database is deleted and another created', async () => {
    const p = await people();
    const sort = { by: 'profileId' as const, direction: 'desc' as const };
    const before = await ids(p, { sort });
    await p.call('project/saveAs', { path: join(p.dir, 'p.cplan') });
    expect(await ids(p, { sort })).toEqual(before);
    await p.call('database/delete', { databaseId: p.databaseId });
    const again = await p.call('database/create', { name: 'Again', fields: [{ name: 'n', type: 'number' }] });
    p.insert([{ id: 'z' }, { id: 'y' }], again.id);
    const page = await p.call('profile/list', { databaseId: again.id, sort });
    expect(page.rows.map((r) => r.profileId)).toEqual(['z', 'y']);
  });

  it('keeps several sorted views of one database apart', async () => {
    const p = await people();
    const views: ListArgs[] = [
      { sort: { by: 'profileId', direction: 'asc' } },
      { sort: { by: 'profileId', direction: 'desc' } },
      { sort: { by: p.field('age').id, direction: 'asc' } },
      { search: { in: 'any', text: 'a' } },
      { sort: { by: p.field('name').id, direction: 'desc' } },
    ];
    const first = [];
    for (const view of views) first.push(await ids(p, view));
    for (const [i, view] of views.entries()) expect(await ids(p, view)).toEqual(first[i]);
  });
});

describe('profile/list: the first pages of a new order', () => {
  it('come without ordering every profile, in the order the whole view gives, ties in arrival order; deeper pages build the view', async () => {
    const p = await startDatabaseProject();
    const many: ProfileDraft[] = Array.from({ length: 1500 }, (_, i) => ({
      id: `p${String(i).padStart(5, '0')}`,
      values: { name: i % 7 === 0 ? null : `n${(i * 7919) % 50}`, age: i % 11 === 0 ? null : (i * 31) % 97 },
    }));
    p.insert(many);
    const tempTables = () => Number(p.db().scalar("SELECT COUNT(*) FROM temp.sqlite_schema WHERE type = 'table'"));
    const before = tempTables();
    const sorts: ListArgs['sort'][] = [
      { by: p.field('name').id, direction: 'asc' },
      { by: p.field('age').id, direction: 'desc' },
      { by: 'profileId', direction: 'desc' },
    ];
    const quick: string[][] = [];
    for (const sort of sorts) {
      const first = await p.call('profile/list', { databaseId: p.databaseId, sort, offset: 0, limit: 200 });
      const second = await p.call('profile/list', { databaseId: p.databaseId, sort, offset: 200, limit: 200 });
      expect(first.total).toBe(1500);
      expect(second.total).toBe(1500);
      quick.push([...first.rows, ...second.rows].map((r) => r.profileId));
    }
    // Nothing was ordered in full for those pages.
    expect(tempTables()).toBe(before);
    for (const [i, sort] of sorts.entries()) {
      const deep = await p.call('profile/list', { databaseId: p.databaseId, sort, offset: 1400, limit: 200 });
      expect(deep.rows).toHaveLength(100);
      const top = await p.call('profile/list', { databaseId: p.databaseId, sort, offset: 0, limit: 400 });
      expect(top.rows.map((r) => r.profileId)).toEqual(quick[i]);
    }
    expect(tempTables()).toBe(before + sorts.length);
  });
});

describe('profile/get: the profile card', () => {
  it('gives every field of a profile found by its exact ID', async () => {
    const p = await people();
    const card = await p.call('profile/get', { databaseId: p.databaseId, profileId: '00123' });
    expect(contract['profile/get'].result.safeParse(card).success).toBe(true);
    expect(card).toMatchObject({ databaseId: p.databaseId, profileId: '00123', subscription: 'unconfirmed', addedByImport: null, updatedByImport: null });
    expect(card.values).toEqual([
      { fieldId: p.field('name').id, value: 'Борис' },
      { fieldId: p.field('age').id, value: -3 },
      { fieldId: p.field('born').id, value: null },
      { fieldId: p.field('seen').id, value: '2026-11-01T09:00:00' },
      { fieldId: p.field('vip').id, value: null },
      { fieldId: p.field('tier').id, value: null },
    ]);
    const page = await p.call('profile/list', { databaseId: p.databaseId, search: { in: 'profileId', text: '00123' } });
    expect(page.rows[0]?.key).toBe(card.key);
  });

  it('says NOT_FOUND for an ID that is not there, even one that differs only in leading zeros or case', async () => {
    const p = await people();
    await expectEngineError(p.call('profile/get', { databaseId: p.databaseId, profileId: '0123' }), 'NOT_FOUND');
    await expectEngineError(p.call('profile/get', { databaseId: p.databaseId, profileId: 'A-01' }), 'NOT_FOUND');
    await expectEngineError(p.call('profile/get', { databaseId: 999, profileId: 'a-01' }), 'NOT_FOUND');
  });
});
