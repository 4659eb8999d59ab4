import { describe, expect, it } from 'vitest';
import { contract } from '../../../../shared/contract/index';
import { MAX_FIELDS_PER_DATABASE } from '../../../../shared/domain/profiles';
import { expectEngineError } from '../../../helpers/engine';
import { startDatabaseProject, type DatabaseProject } from './helpers';

async function filled(): Promise<DatabaseProject> {
  const p = await startDatabaseProject();
  p.insert([
    { id: '1', values: { name: 'Ann', age: 31, born: '1995-02-03', seen: '2026-11-01T10:15:00', vip: true, tier: 'gold' } },
    { id: '2', values: { name: 'Bob', age: 45, tier: 'silver' } },
    { id: '3', values: { name: 'Cid' } },
  ]);
  return p;
}

const valuesOf = async (p: DatabaseProject, profileId: string) => {
  const card = await p.call('profile/get', { databaseId: p.databaseId, profileId });
  return Object.fromEntries(card.values.map((v) => [(p.db().scalar('SELECT name FROM fields WHERE id = ?', [v.fieldId]) as string), v.value]));
};

describe('adding a field to a filled database', () => {
  it('adds a typed column: existing profiles have no value, new ones can have one', async () => {
    const p = await filled();
    const field = await p.call('field/add', { databaseId: p.databaseId, field: { name: 'score', type: 'number' } });
    expect(contract['field/add'].result.safeParse(field).success).toBe(true);
    expect(field).toMatchObject({ name: 'score', type: 'number', position: 7, databaseId: p.databaseId, enumValues: [] });
    expect(await valuesOf(p, '1')).toMatchObject({ name: 'Ann', age: 31, score: null });
    p.insert([{ id: '4', values: { name: 'Dee', score: 9.5 } }]);
    expect(await valuesOf(p, '4')).toMatchObject({ name: 'Dee', score: 9.5 });
    expect((await p.call('database/get', { databaseId: p.databaseId })).fieldCount).toBe(7);
    const type = p.db().scalar(`SELECT type FROM pragma_table_info('profiles_${p.databaseId}') WHERE name = 'f_${field.id}'`);
    expect(type).toBe('REAL');
  });

  it('refuses a name in use (any case) or a system name, and an unknown database', async () => {
    const p = await filled();
    await expectEngineError(p.call('field/add', { databaseId: p.databaseId, field: { name: 'NAME', type: 'string' } }), 'ALREADY_EXISTS');
    await expectEngineError(p.call('field/add', { databaseId: p.databaseId, field: { name: 'profile_id', type: 'string' } }), 'INVALID_ARGUMENT');
    await expectEngineError(p.call('field/add', { databaseId: 999, field: { name: 'x', type: 'string' } }), 'NOT_FOUND');
    expect((await p.call('database/get', { databaseId: p.databaseId })).fieldCount).toBe(6);
  });

  it(`refuses more than ${MAX_FIELDS_PER_DATABASE} fields`, async () => {
    const p = await startDatabaseProject([]);
    const fields = Array.from({ length: MAX_FIELDS_PER_DATABASE }, (_, i) => ({ name: `f${i}`, type: 'string' as const }));
    const { id } = await p.call('database/create', { name: 'Wide', fields });
    const error = await expectEngineError(p.call('field/add', { databaseId: id, field: { name: 'one more', type: 'string' } }), 'REFUSED');
    expect(error.message).toContain(String(MAX_FIELDS_PER_DATABASE));
  });
});

describe('renaming a field and changing enum values on a filled database', () => {
  it('renames a field and keeps every value', async () => {
    const p = await filled();
    const age = p.field('age');
    const renamed = await p.call('field/update', { fieldId: age.id, name: 'Age in years' });
    expect(renamed).toMatchObject({ id: age.id, name: 'Age in years', type: 'number', position: age.position });
    expect(await valuesOf(p, '1')).toMatchObject({ 'Age in years': 31 });
    expect(await valuesOf(p, '2')).toMatchObject({ 'Age in years': 45 });
    // Its own name in another case is fine; another field's name or a system name is not.
    expect((await p.call('field/update', { fieldId: age.id, name: 'AGE IN YEARS' })).name).toBe('AGE IN YEARS');
    await expectEngineError(p.call('field/update', { fieldId: age.id, name: 'Name' }), 'ALREADY_EXISTS');
    await expectEngineError(p.call('field/update', { fieldId: age.id, name: 'Subscription_Status' }), 'INVALID_ARGUMENT');
    await expectEngineError(p.call('field/update', { fieldId: 999, name: 'x' }), 'NOT_FOUND');
    await expectEngineError(p.call('field/update', { fieldId: age.id }), 'INVALID_ARGUMENT');
  });

  it('adds, reorders and removes unused enum values', async () => {
    const p = await filled();
    const tier = p.field('tier');
    expect((await p.call('field/update', { fieldId: tier.id, enumValues: ['silver', 'gold', 'bronze', 'platinum'] })).enumValues).toEqual([
      'silver',
      'gold',
      'bronze',
      'platinum',
    ]);
    expect((await p.call('field/update', { fieldId: tier.id, enumValues: ['gold', 'silver'] })).enumValues).toEqual(['gold', 'silver']);
    expect(await valuesOf(p, '2')).toMatchObject({ tier: 'silver' });
  });

  it('refuses to remove enum values that profiles hold, and says which and how many', async () => {
    const p = await filled();
    p.insert([{ id: '4', values: { tier: 'gold' } }]);
    const tier = p.field('tier');
    const error = await expectEngineError(p.call('field/update', { fieldId: tier.id, enumValues: ['bronze'] }), 'REFUSED');
    expect(error.message).toContain('"gold" (2 profiles)');
    expect(error.message).toContain('"silver" (1 profile)');
    // Nothing changed, not even a rename asked for at the same time.
    await expectEngineError(p.call('field/update', { fieldId: tier.id, name: 'level', enumValues: ['bronze'] }), 'REFUSED');
    expect(p.field('tier').enumValues).toEqual(['gold', 'silver', 'bronze']);
  });

  it('refuses values for a field that is not an enum, and an empty list of values', async () => {
    const p = await filled();
    await expectEngineError(p.call('field/update', { fieldId: p.field('name').id, enumValues: ['a'] }), 'INVALID_ARGUMENT');
    await expectEngineError(p.call('field/update', { fieldId: p.field('tier').id, enumValues: [] }), 'INVALID_ARGUMENT');
    await expectEngineError(p.call('field/update', { fieldId: p.field('tier').id, enumValues: ['a', 'a'] }), 'INVALID_ARGUMENT');
  });
});

describe('removing a field from a filled database', () => {
  it('drops the column and its values, says how many values went, and keeps the other fields', async () => {
    const p = await filled();
    const age = p.field('age');
    expect(await p.call('field/usage', { fieldId: age.id })).toEqual({ fieldId: age.id, valuesStored: 2 });
    const removed = await p.call('field/remove', { fieldId: age.id });
    expect(removed).toEqual({ fieldId: age.id, valuesRemoved: 2 });
    const columns = p.db().all<{ name: string }>(`SELECT name FROM pragma_table_info('profiles_${p.databaseId}')`).map((c) => c.name);
    expect(columns).not.toContain(`f_${age.id}`);
    expect(await valuesOf(p, '1')).toEqual({ name: 'Ann', born: '1995-02-03', seen: '2026-11-01T10:15:00', vip: true, tier: 'gold' });
    const page = await p.call('profile/list', { databaseId: p.databaseId });
    expect(page.fieldIds).not.toContain(age.id);
    expect(page.rows[0]?.values).toEqual(['Ann', '1995-02-03', '2026-11-01T10:15:00', true, 'gold']);
    await expectEngineError(p.call('field/remove', { fieldId: age.id }), 'NOT_FOUND');
    // The name can be used again, for a field of another type.
    await p.call('field/add', { databaseId: p.databaseId, field: { name: 'age', type: 'string' } });
    expect(await valuesOf(p, '2')).toMatchObject({ age: null });
  });

  it('counts no values for a field nobody has', async () => {
    const p = await filled();
    const extra = await p.call('field/add', { databaseId: p.databaseId, field: { name: 'extra', type: 'date' } });
    expect(await p.call('field/remove', { fieldId: extra.id })).toEqual({ fieldId: extra.id, valuesRemoved: 0 });
  });
});

describe('listing the fields of a database', () => {
  it('gives the fields of database/get, in order, without reading the profiles; an unknown database is NOT_FOUND', async () => {
    const p = await filled();
    const fields = await p.call('field/list', { databaseId: p.databaseId });
    expect(contract['field/list'].result.safeParse(fields).success).toBe(true);
    expect(fields).toEqual((await p.call('database/get', { databaseId: p.databaseId })).fields);
    await expectEngineError(p.call('field/list', { databaseId: 999 }), 'NOT_FOUND');
  });
});
