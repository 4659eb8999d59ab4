import { describe, expect, it } from 'vitest';
import { contract } from '../../../../shared/contract/index';
import { expectEngineError } from '../../../helpers/engine';
import { startDatabaseProject, type DatabaseProject } from '../databases/helpers';
import { startImportProject, writeCsv } from '../import/helpers';
import { insertActivity, insertCampaign } from './helpers';

const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `p${String(from + i).padStart(4, '0')}`);

async function people(count = 20): Promise<DatabaseProject> {
  const p = await startDatabaseProject([{ name: 'city', type: 'string' }]);
  p.insert(ids(1, count).map((id, i) => ({ id, subscription: i % 4 === 3 ? 'bounced' : 'subscribed', values: { city: i % 2 === 0 ? 'Paris' : 'Пермь' } })));
  return p;
}

async function members(p: DatabaseProject, segmentId: number): Promise<string[]> {
  const page = await p.call('segment/members', { segmentId, limit: 1000 });
  return page.rows.map((r) => r.profileId);
}

describe('segment/create from the database', () => {
  it('takes every profile there is now; profiles added later are not members', async () => {
    const p = await people(20);
    const made = await p.call('segment/create', { databaseId: p.databaseId, name: 'Everyone', from: { kind: 'all' } }, 'op');
    expect(contract['segment/create'].result.safeParse(made).success).toBe(true);
    expect(made).toMatchObject({ changed: 20, unchanged: 0, notFoundCount: 0, notFound: [] });
    expect(made.segment).toMatchObject({
      databaseId: p.databaseId,
      name: 'Everyone',
      kind: 'static',
      source: { kind: 'all' },
      size: 20,
      createdAt: '2026-11-29T10:15:00.000Z',
      usedBy: { campaigns: 0, activities: 0 },
    });
    const state = await p.call('project/state', {});
    expect(state.open && made.segment.createdClock === state.clock).toBe(true);
    p.insert([{ id: 'late' }]);
    expect(await members(p, made.segment.id)).toEqual(ids(1, 20));
    // The source is stored as JSON.
    expect(JSON.parse(String(p.db().scalar('SELECT source FROM segments WHERE id = ?', [made.segment.id])))).toEqual({ kind: 'all' });
  });

  it('makes an empty segment, made by hand', async () => {
    const p = await people(3);
    const made = await p.call('segment/create', { databaseId: p.databaseId, name: 'Hand-picked', from: { kind: 'empty' } });
    expect(made.segment).toMatchObject({ size: 0, source: { kind: 'manual' } });
    expect(made.changed).toBe(0);
  });

  it('takes the profiles an import added or updated, and refuses an import of another database', async () => {
    const t = await startImportProject();
    const first = await t.importFile(writeCsv(t.dir, 'a.csv', 'id,city\na,Paris\nb,Rome\nc,Oslo\n'));
    const databaseId = first.database!.id;
    const second = await t.importFile(writeCsv(t.dir, 'b.csv', 'id,city\nb,Milan\nc,Oslo\nd,Bern\n'), { target: { databaseId } });
    expect(second).toMatchObject({ added: 1, updated: 1, unchanged: 1 });
    const fromSecond = await t.call('segment/create', { databaseId, name: 'Second', from: { kind: 'import', importId: second.importId! } });
    expect(fromSecond.segment).toMatchObject({ size: 2, source: { kind: 'import', importId: second.importId } });
    const page = await t.call('segment/members', { segmentId: fromSecond.segment.id });
    expect(page.rows.map((r) => r.profileId)).toEqual(['b', 'd']);
    const fromFirst = await t.call('segment/create', { databaseId, name: 'First', from: { kind: 'import', importId: first.importId! } });
    expect(fromFirst.segment.size).toBe(3);

    const other = await t.importFile(writeCsv(t.dir, 'c.csv', 'id\nx\n'), { target: { newDatabase: 'Other' } });
    await expectEngineError(t.call('segment/create', { databaseId, name: 'Wrong', from: { kind: 'import', importId: other.importId! } }), 'NOT_FOUND');
    await expectEngineError(t.call('segment/create', { databaseId: 999, name: 'Nowhere', from: { kind: 'all' } }), 'NOT_FOUND');
  });

  it('keeps names unique in a database without regard to case, in any script; other databases may reuse them', async () => {
    const p = await people(2);
    await p.call('segment/create', { databaseId: p.databaseId, name: 'Клиенты', from: { kind: 'empty' } });
    const clash = await expectEngineError(p.call('segment/create', { databaseId: p.databaseId, name: 'КЛИЕНТЫ', from: { kind: 'all' } }), 'ALREADY_EXISTS');
    expect(clash.message).toContain('"Клиенты"');
    await p.call('segment/create', { databaseId: p.databaseId, name: 'VIP', from: { kind: 'empty' } });
    await expectEngineError(p.call('segment/create', { databaseId: p.databaseId, name: ' vip ', from: { kind: 'empty' } }), 'ALREADY_EXISTS');
    await expectEngineError(p.call('segment/create', { databaseId: p.databaseId, name: '  ', from: { kind: 'empty' } }), 'INVALID_ARGUMENT');
    const { id: otherDb } = await p.call('database/create', { name: 'Other' });
    const same = await p.call('segment/create', { databaseId: otherDb, name: 'vip', from: { kind: 'empty' } });
    expect(same.segment.databaseId).toBe(otherDb);
    expect((await p.call('segment/list', {})).map((s) => [s.databaseId, s.name])).toEqual([
      [p.databaseId, 'VIP'],
      [p.databaseId, 'Клиенты'],
      [otherDb, 'vip'],
    ]);
    expect((await p.call('segment/list', { databaseId: otherDb })).map((s) => s.name)).toEqual(['vip']);
  });
});

describe('segment/addProfiles and segment/removeProfiles', () => {
  it('adds by profile ID, counting what was already there and what is not in the database', async () => {
    const p = await people(10);
    const { segment } = await p.call('segment/create', { databaseId: p.databaseId, name: 'Picked', from: { kind: 'empty' } });
    const added = await p.call('segment/addProfiles', { segmentId: segment.id, profileIds: ['p0003', ' p0001 ', 'nobody', 'p0003', 'ghost'] });
    expect(contract['segment/addProfiles'].result.safeParse(added).success).toBe(true);
    expect(added).toMatchObject({ changed: 2, unchanged: 0, notFoundCount: 2, notFound: ['nobody', 'ghost'], segment: { size: 2 } });
    const again = await p.call('segment/addProfiles', { segmentId: segment.id, profileIds: ['p0001', 'p0002'] });
    expect(again).toMatchObject({ changed: 1, unchanged: 1, notFoundCount: 0, segment: { size: 3 } });
    // Members list in the order the profiles arrived in the database.
    expect(await members(p, segment.id)).toEqual(['p0001', 'p0002', 'p0003']);
    expect(added.segment.source).toEqual({ kind: 'manual' });
  });

  it('removes by profile ID; IDs that were not members are unchanged', async () => {
    const p = await people(10);
    const { segment } = await p.call('segment/create', { databaseId: p.databaseId, name: 'All', from: { kind: 'all' } });
    const removed = await p.call('segment/removeProfiles', { segmentId: segment.id, profileIds: ['p0002', 'p0004', 'zzz'] });
    expect(removed).toMatchObject({ changed: 2, unchanged: 0, notFoundCount: 1, notFound: ['zzz'], segment: { size: 8 } });
    const twice = await p.call('segment/removeProfiles', { segmentId: segment.id, profileIds: ['p0002', 'p0005'] });
    expect(twice).toMatchObject({ changed: 1, unchanged: 1, segment: { size: 7 } });
    expect(await members(p, segment.id)).toEqual(['p0001', 'p0003', 'p0006', 'p0007', 'p0008', 'p0009', 'p0010']);
    expect((await p.call('profile/list', { databaseId: p.databaseId })).total).toBe(10);
  });

  it('shows at most 100 IDs not found, and counts them all', async () => {
    const p = await people(5);
    const { segment } = await p.call('segment/create', { databaseId: p.databaseId, name: 'Some', from: { kind: 'empty' } });
    const missing = Array.from({ length: 250 }, (_, i) => `missing-${i}`);
    const result = await p.call('segment/addProfiles', { segmentId: segment.id, profileIds: [...missing, 'p0001'] });
    expect(result.notFoundCount).toBe(250);
    expect(result.notFound).toEqual(missing.slice(0, 100));
    expect(result.changed).toBe(1);
    await expectEngineError(p.call('segment/addProfiles', { segmentId: 999, profileIds: ['p0001'] }), 'NOT_FOUND');
    await expectEngineError(p.call('segment/addProfiles', { segmentId: segment.id, profileIds: [] }), 'INVALID_ARGUMENT');
  });
});

describe('segment/members', () => {
  it('pages through the members, searched like the profile table', async () => {
    const p = await people(30);
    const { segment } = await p.call('segment/create', { databaseId: p.databaseId, name: 'All', from: { kind: 'all' } });
    await p.call('segment/removeProfiles', { segmentId: segment.id, profileIds: ids(1, 10) });
    const page = await p.call('segment/members', { segmentId: segment.id, offset: 5, limit: 3 });
    expect(contract['segment/members'].result.safeParse(page).success).toBe(true);
    expect(page).toMatchObject({ databaseId: p.databaseId, total: 20, offset: 5, fieldIds: [p.field('city').id] });
    expect(page.rows.map((r) => r.profileId)).toEqual(['p0016', 'p0017', 'p0018']);
    expect(page.rows[0]).toMatchObject({ subscription: 'bounced', values: ['Пермь'] });
    const byId = await p.call('segment/members', { segmentId: segment.id, search: { text: 'p001', in: 'profileId' } });
    expect(byId.rows.map((r) => r.profileId)).toEqual(ids(11, 19));
    const byCity = await p.call('segment/members', { segmentId: segment.id, search: { text: 'пермь', in: 'any' } });
    expect(byCity.total).toBe(0); // LIKE ignores case for ASCII letters only, as in the profile table
    const perm = await p.call('segment/members', { segmentId: segment.id, search: { text: 'Пермь', in: p.field('city').id } });
    expect(perm.total).toBe(10);
    // A change shows at once.
    await p.call('segment/addProfiles', { segmentId: segment.id, profileIds: ['p0001'] });
    expect((await p.call('segment/members', { segmentId: segment.id, limit: 1 })).rows[0]?.profileId).toBe('p0001');
  });
});

describe('segment/rename and segment/delete', () => {
  it('renames, refusing a name another segment of the database has', async () => {
    const p = await people(2);
    const a = await p.call('segment/create', { databaseId: p.databaseId, name: 'A', from: { kind: 'empty' } });
    await p.call('segment/create', { databaseId: p.databaseId, name: 'B', from: { kind: 'empty' } });
    expect(await p.call('segment/rename', { segmentId: a.segment.id, name: 'Renamed' })).toMatchObject({ id: a.segment.id, name: 'Renamed' });
    expect(await p.call('segment/rename', { segmentId: a.segment.id, name: 'RENAMED' })).toMatchObject({ name: 'RENAMED' });
    await expectEngineError(p.call('segment/rename', { segmentId: a.segment.id, name: 'b' }), 'ALREADY_EXISTS');
    await expectEngineError(p.call('segment/rename', { segmentId: 404, name: 'X' }), 'NOT_FOUND');
  });

  it('a rename passes over the members once (to say how many there are), not twice', async () => {
    const p = await people(5);
    const { segment } = await p.call('segment/create', { databaseId: p.databaseId, name: 'All', from: { kind: 'all' } });
    const db = p.db();
    const scalar = db.scalar.bind(db);
    let counted = 0;
    db.scalar = ((sql: string, params?: never) => {
      if (sql.includes('FROM segment_members')) counted += 1;
      return scalar(sql, params);
    }) as typeof db.scalar;
    expect(await p.call('segment/rename', { segmentId: segment.id, name: 'Everyone' })).toMatchObject({ name: 'Everyone', size: 5 });
    expect(counted).toBe(1);
  });

  it('refuses to delete a segment a campaign or an activity uses, naming them; counts the users', async () => {
    const p = await people(5);
    const { segment } = await p.call('segment/create', { databaseId: p.databaseId, name: 'Used', from: { kind: 'all' } });
    const db = p.db();
    const spring = insertCampaign(db, { name: 'Spring sale', databaseId: p.databaseId, segmentId: segment.id });
    insertCampaign(db, { name: 'Autumn', databaseId: p.databaseId, segmentId: segment.id });
    insertActivity(db, { name: 'Welcome mail', databaseId: p.databaseId, segmentId: segment.id, campaignId: spring });
    const [listed] = await p.call('segment/list', { databaseId: p.databaseId });
    expect(listed?.usedBy).toEqual({ campaigns: 2, activities: 1 });
    const refused = await expectEngineError(p.call('segment/delete', { segmentId: segment.id }), 'REFUSED');
    expect(refused.message).toBe('"Used" is used by campaigns "Spring sale" and "Autumn" and activity "Welcome mail"; it cannot be deleted while they use it.');
    expect(refused.details).toMatchObject({ campaigns: ['Spring sale', 'Autumn'], activities: ['Welcome mail'] });
    expect((await p.call('segment/list', {})).length).toBe(1);
  });

  it('keeps a segment a campaign in the recycle bin belongs to, saying why; usedBy counts live campaigns only', async () => {
    const p = await people(5);
    const { segment } = await p.call('segment/create', { databaseId: p.databaseId, name: 'Binned', from: { kind: 'all' } });
    insertCampaign(p.db(), { name: 'Old one', databaseId: p.databaseId, segmentId: segment.id, deleted: true });
    expect((await p.call('segment/list', {}))[0]?.usedBy).toEqual({ campaigns: 0, activities: 0 });
    const refused = await expectEngineError(p.call('segment/delete', { segmentId: segment.id }), 'REFUSED');
    expect(refused.message).toContain('campaign "Old one" in the recycle bin');
  });

  it('deletes an unused segment with its members; the profiles stay', async () => {
    const p = await people(7);
    const { segment } = await p.call('segment/create', { databaseId: p.databaseId, name: 'Spare', from: { kind: 'all' } });
    expect(await p.call('segment/delete', { segmentId: segment.id })).toEqual({ segmentId: segment.id, members: 7 });
    expect(await p.call('segment/list', { databaseId: p.databaseId })).toEqual([]);
    expect(Number(p.db().scalar('SELECT COUNT(*) FROM segment_members'))).toBe(0);
    expect((await p.call('profile/list', { databaseId: p.databaseId })).total).toBe(7);
    await expectEngineError(p.call('segment/delete', { segmentId: segment.id }), 'NOT_FOUND');
    await expectEngineError(p.call('segment/members', { segmentId: segment.id }), 'NOT_FOUND');
  });

  it('goes with its database', async () => {
    const p = await people(3);
    await p.call('segment/create', { databaseId: p.databaseId, name: 'All', from: { kind: 'all' } });
    await p.call('database/delete', { databaseId: p.databaseId });
    expect(await p.call('segment/list', {})).toEqual([]);
    expect(Number(p.db().scalar('SELECT COUNT(*) FROM segment_members'))).toBe(0);
  });
});
