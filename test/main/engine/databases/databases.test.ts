import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { profileTable } from '../../../../main/engine/databases/profile-table';
import { contract } from '../../../../shared/contract/index';
import { expectEngineError } from '../../../helpers/engine';
import { ALL_TYPES, startDatabaseProject } from './helpers';

describe('profile databases: create, list, get', () => {
  it('creates a database with typed fields, each in a real column of its own table', async () => {
    const p = await startDatabaseProject();
    const detail = await p.call('database/get', { databaseId: p.databaseId });
    expect(contract['database/get'].result.safeParse(detail).success).toBe(true);
    expect(detail).toMatchObject({ name: 'Customers', profileCount: 0, fieldCount: ALL_TYPES.length, imports: [] });
    expect(detail.subscriptionCounts).toEqual({ subscribed: 0, unsubscribed: 0, unconfirmed: 0, bounced: 0 });
    expect(detail.fields.map((f) => [f.name, f.type, f.position])).toEqual([
      ['name', 'string', 1],
      ['age', 'number', 2],
      ['born', 'date', 3],
      ['seen', 'datetime', 4],
      ['vip', 'boolean', 5],
      ['tier', 'enum', 6],
    ]);
    expect(detail.fields.find((f) => f.name === 'tier')?.enumValues).toEqual(['gold', 'silver', 'bronze']);
    expect(detail.fields.find((f) => f.name === 'name')?.enumValues).toEqual([]);

    const columns = p.db().all<{ name: string; type: string }>(`SELECT name, type FROM pragma_table_info('profiles_${p.databaseId}')`);
    const typeOf = (fieldName: string) => columns.find((c) => c.name === `f_${p.field(fieldName).id}`)?.type;
    expect(columns.slice(0, 2).map((c) => c.name)).toEqual(['profile_id', 'subscription']);
    expect([typeOf('name'), typeOf('age'), typeOf('born'), typeOf('seen'), typeOf('vip'), typeOf('tier')]).toEqual([
      'TEXT',
      'REAL',
      'TEXT',
      'TEXT',
      'INTEGER',
      'TEXT',
    ]);
  });

  it('keeps the profile ID exactly as given, unique, and makes "subscribed" the default status', async () => {
    const p = await startDatabaseProject([]);
    p.insert([{ id: '00123' }, { id: '123' }, { id: ' 7 ' }]);
    const card = await p.call('profile/get', { databaseId: p.databaseId, profileId: '00123' });
    expect(card).toMatchObject({ profileId: '00123', subscription: 'subscribed' });
    expect((await p.call('profile/get', { databaseId: p.databaseId, profileId: ' 7 ' })).profileId).toBe(' 7 ');
    expect(() => p.insert([{ id: '00123' }])).toThrow(/UNIQUE/);
    p.db().run(`INSERT INTO profiles_${p.databaseId} (profile_id) VALUES ('no-status')`);
    expect((await p.call('profile/get', { databaseId: p.databaseId, profileId: 'no-status' })).subscription).toBe('subscribed');
    expect(() => p.db().run(`INSERT INTO profiles_${p.databaseId} (profile_id, subscription) VALUES ('x', 'gone')`)).toThrow(/CHECK/);
  });

  it('lists databases by name with their profile and field counts; get counts statuses', async () => {
    const p = await startDatabaseProject();
    const other = await p.call('database/create', { name: 'archive' });
    p.insert([
      { id: 'a', subscription: 'subscribed' },
      { id: 'b', subscription: 'bounced' },
      { id: 'c', subscription: 'bounced' },
      { id: 'd', subscription: 'unconfirmed' },
    ]);
    const list = await p.call('database/list', {});
    expect(contract['database/list'].result.safeParse(list).success).toBe(true);
    expect(list.map((d) => [d.name, d.profileCount, d.fieldCount])).toEqual([
      ['archive', 0, 0],
      ['Customers', 4, 6],
    ]);
    expect(list[0]?.id).toBe(other.id);
    const detail = await p.call('database/get', { databaseId: p.databaseId });
    expect(detail.subscriptionCounts).toEqual({ subscribed: 1, unsubscribed: 0, unconfirmed: 1, bounced: 2 });
  });

  it('counts statuses again only after a change of the data: a second get reads no profile (sorted pages between), any change is seen', async () => {
    const p = await startDatabaseProject();
    p.insert([
      { id: 'a', subscription: 'subscribed' },
      { id: 'b', subscription: 'bounced' },
    ]);
    const counted = () => p.call('database/get', { databaseId: p.databaseId }).then((d) => d.subscriptionCounts);
    expect(await counted()).toMatchObject({ subscribed: 1, bounced: 1 });
    // A sorted page fills temporary tables of its own: no change of the data.
    await p.call('profile/list', { databaseId: p.databaseId, offset: 0, limit: 10, sort: { by: 'profileId', direction: 'desc' } });
    await p.call('profile/list', { databaseId: p.databaseId, offset: 1000, limit: 10, sort: { by: 'profileId', direction: 'asc' } });
    const all = vi.spyOn(p.db(), 'all');
    expect(await counted()).toMatchObject({ subscribed: 1, bounced: 1 });
    expect(all.mock.calls.filter(([sql]) => /GROUP BY subscription/.test(String(sql)))).toEqual([]);
    // Any change of a row counts again.
    p.db().run(`UPDATE ${profileTable(p.databaseId)} SET subscription = 'unsubscribed' WHERE profile_id = 'a'`);
    expect(await counted()).toMatchObject({ subscribed: 0, unsubscribed: 1, bounced: 1 });
    p.insert([{ id: 'c', subscription: 'bounced' }]);
    expect(await counted()).toMatchObject({ subscribed: 0, unsubscribed: 1, bounced: 2 });
    all.mockRestore();
  });

  it('trims names and refuses empty or overlong ones', async () => {
    const p = await startDatabaseProject([]);
    expect((await p.call('database/create', { name: '  Sales  ' })).name).toBe('Sales');
    await expectEngineError(p.call('database/create', { name: '   ' }), 'INVALID_ARGUMENT');
    await expectEngineError(p.call('database/create', { name: 'x'.repeat(101) }), 'INVALID_ARGUMENT');
  });

  it('refuses a second database of the same name in any case, Cyrillic too', async () => {
    const p = await startDatabaseProject([]);
    await expectEngineError(p.call('database/create', { name: 'CUSTOMERS' }), 'ALREADY_EXISTS');
    await p.call('database/create', { name: 'Клиенты' });
    const error = await expectEngineError(p.call('database/create', { name: 'КЛИЕНТЫ' }), 'ALREADY_EXISTS');
    expect(error.message).toContain('Клиенты');
    await expectEngineError(p.call('database/create', { name: 'клиенты' }), 'ALREADY_EXISTS');
    // Different letters are different names, even when they look alike (Latin "e", Cyrillic "е").
    await p.call('database/create', { name: 'Сustomers' });
    expect((await p.call('database/list', {})).map((d) => d.name)).toHaveLength(3);
  });

  it('refuses system field names and duplicate field names, and then creates nothing', async () => {
    const p = await startDatabaseProject([]);
    await p.call('project/saveAs', { path: join(p.dir, 'saved.cplan') });
    for (const name of ['profile_id', 'Profile ID', 'SUBSCRIPTION_STATUS', 'subscription status']) {
      await expectEngineError(p.call('database/create', { name: 'Bad', fields: [{ name, type: 'string' }] }), 'INVALID_ARGUMENT');
    }
    await expectEngineError(
      p.call('database/create', { name: 'Bad', fields: [{ name: 'City', type: 'string' }, { name: 'city', type: 'enum', enumValues: ['x'] }] }),
      'ALREADY_EXISTS',
    );
    await expectEngineError(
      p.call('database/create', { name: 'Bad', fields: [{ name: 'Город', type: 'string' }, { name: 'ГОРОД', type: 'string' }] }),
      'ALREADY_EXISTS',
    );
    expect((await p.call('database/list', {})).map((d) => d.name)).toEqual(['Customers']);
    expect(p.db().scalar("SELECT COUNT(*) FROM sqlite_schema WHERE name LIKE 'profiles_%' AND type = 'table'")).toBe(1);
    // A refused change leaves the project saved.
    expect(await p.call('project/state', {})).toMatchObject({ dirty: false });
  });

  it('checks field drafts: enum fields need values, other types take none, values are distinct', async () => {
    const p = await startDatabaseProject([]);
    await expectEngineError(p.call('database/create', { name: 'A', fields: [{ name: 'tier', type: 'enum' }] }), 'INVALID_ARGUMENT');
    await expectEngineError(p.call('database/create', { name: 'A', fields: [{ name: 'tier', type: 'enum', enumValues: [] }] }), 'INVALID_ARGUMENT');
    await expectEngineError(p.call('database/create', { name: 'A', fields: [{ name: 'n', type: 'number', enumValues: ['1'] }] }), 'INVALID_ARGUMENT');
    await expectEngineError(p.call('database/create', { name: 'A', fields: [{ name: 'tier', type: 'enum', enumValues: ['a', 'a'] }] }), 'INVALID_ARGUMENT');
    await expectEngineError(p.call('database/create', { name: 'A', fields: [{ name: 'bad\u0007', type: 'string' }] }), 'INVALID_ARGUMENT');
    expect((await p.call('database/list', {})).map((d) => d.name)).toEqual(['Customers']);
  });

  it('says NOT_FOUND for a database that does not exist', async () => {
    const p = await startDatabaseProject([]);
    await expectEngineError(p.call('database/get', { databaseId: 999 }), 'NOT_FOUND');
    await expectEngineError(p.call('database/rename', { databaseId: 999, name: 'X' }), 'NOT_FOUND');
    await expectEngineError(p.call('database/deletionImpact', { databaseId: 999 }), 'NOT_FOUND');
    await expectEngineError(p.call('database/delete', { databaseId: 999 }), 'NOT_FOUND');
    await expectEngineError(p.call('profile/list', { databaseId: 999 }), 'NOT_FOUND');
  });

  it('needs an open project', async () => {
    const p = await startDatabaseProject([]);
    await p.call('project/close', { discard: true });
    await expectEngineError(p.call('database/list', {}), 'NO_PROJECT');
    await expectEngineError(p.call('database/create', { name: 'X' }), 'NO_PROJECT');
  });
});

describe('renaming a database', () => {
  it('renames, may change only the case of its own name, and refuses another database\'s name', async () => {
    const p = await startDatabaseProject([]);
    await p.call('database/create', { name: 'Archive' });
    expect((await p.call('database/rename', { databaseId: p.databaseId, name: 'customers' })).name).toBe('customers');
    expect((await p.call('database/rename', { databaseId: p.databaseId, name: 'Clients' })).name).toBe('Clients');
    await expectEngineError(p.call('database/rename', { databaseId: p.databaseId, name: 'ARCHIVE' }), 'ALREADY_EXISTS');
    expect((await p.call('database/list', {})).map((d) => d.name)).toEqual(['Archive', 'Clients']);
  });

  it('marks the project unsaved, and the new name survives saving and reopening with the profiles', async () => {
    const p = await startDatabaseProject();
    p.insert([{ id: '00123', values: { name: 'Ann', age: 31, vip: true } }]);
    const path = join(p.dir, 'renamed.cplan');
    await p.call('project/saveAs', { path });
    expect(await p.call('project/state', {})).toMatchObject({ dirty: false });
    await p.call('database/rename', { databaseId: p.databaseId, name: 'Clients' });
    expect(await p.call('project/state', {})).toMatchObject({ dirty: true });
    await p.call('project/save', {});
    await p.call('project/close', {});
    await p.call('project/open', { path });
    const [database] = await p.call('database/list', {});
    expect(database).toMatchObject({ name: 'Clients', profileCount: 1, fieldCount: 6 });
    const card = await p.call('profile/get', { databaseId: database!.id, profileId: '00123' });
    expect(card.values.map((v) => v.value)).toEqual(['Ann', 31, null, null, true, null]);
  });
});

describe('deleting a database', () => {
  it('says what would go, then deletes the table, its fields and its import history', async () => {
    const p = await startDatabaseProject();
    p.insert([{ id: '1' }, { id: '2' }, { id: '3' }]);
    await p.call('project/saveAs', { path: join(p.dir, 'saved.cplan') });
    p.db().run(
      `INSERT INTO imports (database_id, file_name, imported_at, clock, mode, rows_read, added, updated, unchanged, skipped)
       VALUES (?, 'people.csv', '2026-11-29T10:00:00Z', '2026-11-29T10:00', 'add', 3, 3, 0, 0, 0)`,
      [p.databaseId],
    );
    const impact = await p.call('database/deletionImpact', { databaseId: p.databaseId });
    expect(impact).toEqual({ databaseId: p.databaseId, name: 'Customers', profiles: 3, fields: 6, imports: 1, campaigns: 0 });
    expect(await p.call('project/state', {})).toMatchObject({ dirty: false });

    const deleted = await p.call('database/delete', { databaseId: p.databaseId });
    expect(deleted).toEqual(impact);
    expect(await p.call('database/list', {})).toEqual([]);
    const db = p.db();
    expect(db.scalar(`SELECT COUNT(*) FROM sqlite_schema WHERE name = 'profiles_${p.databaseId}'`)).toBe(0);
    expect(db.scalar('SELECT COUNT(*) FROM fields')).toBe(0);
    expect(db.scalar('SELECT COUNT(*) FROM imports')).toBe(0);
    expect(await p.call('project/state', {})).toMatchObject({ dirty: true });
    // The name is free again.
    await p.call('database/create', { name: 'customers' });
  });

  it('refuses while campaigns use the database, and keeps everything', async () => {
    const p = await startDatabaseProject([]);
    p.insert([{ id: '1' }]);
    await p.call('project/saveAs', { path: join(p.dir, 'saved.cplan') });
    for (const name of ['Spring sale', 'Welcome']) {
      p.db().run("INSERT INTO segments (database_id, name, kind, source, created_at, created_clock) VALUES (?, ?, 'static', '{\"kind\":\"all\"}', 'x', '2026-11-29T10:00')", [p.databaseId, name]);
      p.db().run("INSERT INTO campaigns (name, database_id, segment_id, status, seed, lcg, created_at, created_clock) VALUES (?, ?, last_insert_rowid(), 'inactive', 's', '{}', '2026-11-29T10:00:00Z', '2026-11-29T10:00')", [
        name,
        p.databaseId,
      ]);
    }
    expect(await p.call('database/deletionImpact', { databaseId: p.databaseId })).toMatchObject({ campaigns: 2, profiles: 1 });
    const error = await expectEngineError(p.call('database/delete', { databaseId: p.databaseId }), 'REFUSED');
    expect(error.message).toMatch(/2 campaigns/);
    expect(error.details).toMatchObject({ campaigns: 2 });
    expect(await p.call('database/list', {})).toMatchObject([{ name: 'Customers', profileCount: 1 }]);
    expect(await p.call('project/state', {})).toMatchObject({ dirty: false });

    p.db().run('DELETE FROM campaigns');
    await p.call('database/delete', { databaseId: p.databaseId });
    expect(await p.call('database/list', {})).toEqual([]);
  });
});
