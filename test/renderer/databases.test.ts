import { afterEach, describe, expect, it } from 'vitest';
import { deletionSentence } from '../../renderer/store/databases/slice';
import { databaseNameProblem, enumValuesProblem, fieldNameProblem, parseEnumValues } from '../../renderer/store/databases/validation';
import { selectDatabases } from '../../renderer/store/databases/selectors';
import { startStore, waitForState, type StoreHarness } from './helpers/in-process';
import { seedImportRecord, seedProfiles } from './helpers/seed';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

async function projectWithStore(): Promise<StoreHarness> {
  harness = await startStore();
  await harness.store.getState().newProject();
  await waitForState(harness.store, (s) => s.databases !== null);
  return harness;
}

describe('profile databases in the store, on a real engine', () => {
  it('a new project lists no databases; the Databases page loads them', async () => {
    const h = await projectWithStore();
    expect(h.state().databases).toEqual([]);
    expect(h.state().route).toEqual({ page: 'overview' });
    h.store.getState().navigate({ page: 'databases' });
    expect(h.state().route).toEqual({ page: 'databases' });
  });

  it('create -> page of the new database; a taken name is refused with the engine sentence', async () => {
    const h = await projectWithStore();
    const created = await h.store.getState().createDatabase('  Customers ');
    expect(created?.name).toBe('Customers');
    let s = h.state();
    expect(selectDatabases(s)).toMatchObject([{ name: 'Customers', profileCount: 0, fieldCount: 0 }]);
    expect(s.route).toEqual({ page: 'database', databaseId: created?.id, tab: 'fields' });
    expect(s.databaseDetails[created?.id ?? 0]?.fields).toEqual([]);
    expect(s.project.open && s.project.dirty).toBe(true);
    await waitForState(h.store, (st) => st.info?.databases.length === 1);

    // The form checks as the user types, as the engine would.
    expect(databaseNameProblem('customers', selectDatabases(s))).toBe('A database named "Customers" already exists.');
    expect(databaseNameProblem('  ', [])).toBe('The database name cannot be empty.');
    expect(databaseNameProblem('x'.repeat(101), [])).toBe('At most 100 characters; this has 101 (1 too many).');
    expect(await h.store.getState().createDatabase('CUSTOMERS')).toBeNull();
    s = h.state();
    expect(s.notices.at(-1)).toMatchObject({ code: 'ALREADY_EXISTS', message: 'A database named "Customers" already exists.' });
    expect(selectDatabases(s)).toHaveLength(1);
  });

  it('renames a database everywhere it shows', async () => {
    const h = await projectWithStore();
    const db = await h.store.getState().createDatabase('Customers');
    if (!db) throw new Error('not created');
    await h.store.getState().createDatabase('Leads');
    expect(await h.store.getState().renameDatabase(db.id, 'Clients')).toBe(true);
    let s = h.state();
    expect(selectDatabases(s).map((d) => d.name)).toEqual(['Clients', 'Leads']);
    expect(s.databaseDetails[db.id]?.name).toBe('Clients');
    await waitForState(h.store, (st) => st.info?.databases.some((d) => d.name === 'Clients') === true);
    expect(databaseNameProblem('leads', selectDatabases(s), db.id)).toMatch(/already exists/);
    expect(databaseNameProblem('clients', selectDatabases(s), db.id)).toBeNull();
    // The same name is no change at all.
    expect(await h.store.getState().renameDatabase(db.id, 'Clients')).toBe(true);
    expect(await h.store.getState().renameDatabase(db.id, 'leads')).toBe(false);
    s = h.state();
    expect(s.notices.at(-1)?.code).toBe('ALREADY_EXISTS');
  });

  it('delete asks first, saying how many profiles, fields and imports go; Cancel keeps it', async () => {
    const h = await projectWithStore();
    const db = await h.store.getState().createDatabase('Customers');
    if (!db) throw new Error('not created');
    await h.store.getState().addField(db.id, { name: 'city', type: 'string' });
    await h.store.getState().addField(db.id, { name: 'age', type: 'number' });
    seedProfiles(h.engine, db.id, [{ profileId: '001' }, { profileId: '002' }, { profileId: '003' }]);
    seedImportRecord(h.engine, db.id, 'a.csv');
    seedImportRecord(h.engine, db.id, 'b.csv');
    h.store.getState().navigate({ page: 'database', databaseId: db.id, tab: 'profiles' });
    await waitForState(h.store, (s) => s.profileTable?.total === 3);

    let deleting = h.store.getState().deleteDatabase(db.id);
    let s = await waitForState(h.store, (st) => st.confirm !== null);
    expect(s.confirm?.title).toBe('Delete "Customers"?');
    expect(s.confirm?.message).toBe('Deletes 3 profiles, 2 fields and 2 imports. This cannot be undone once the project is saved.');
    expect(s.confirm?.defaultChoice).toBe('cancel');
    s.answerConfirm('cancel');
    expect(await deleting).toBe(false);
    expect(selectDatabases(h.state())).toHaveLength(1);

    deleting = h.store.getState().deleteDatabase(db.id);
    await waitForState(h.store, (st) => st.confirm !== null);
    h.store.getState().answerConfirm('delete');
    expect(await deleting).toBe(true);
    s = h.state();
    expect(s.databases).toEqual([]);
    expect(s.databaseDetails[db.id]).toBeUndefined();
    expect(s.profileTable).toBeNull();
    expect(s.route).toEqual({ page: 'databases' });
    expect(s.notices.at(-1)).toMatchObject({ tone: 'success', message: '"Customers" was deleted.' });
  });

  it('the deletion sentence reads naturally for one and for none', () => {
    const base = { databaseId: 1, name: 'x', campaigns: 0 };
    expect(deletionSentence({ ...base, profiles: 50_000, fields: 8, imports: 2 })).toBe('Deletes 50,000 profiles, 8 fields and 2 imports.');
    expect(deletionSentence({ ...base, profiles: 1, fields: 1, imports: 0 })).toBe('Deletes 1 profile, 1 field and no imports.');
  });

  it('fields: add, rename, edit enum values, and the refusals name what is wrong', async () => {
    const h = await projectWithStore();
    const db = await h.store.getState().createDatabase('Customers');
    if (!db) throw new Error('not created');
    const { store } = h;
    expect(await store.getState().addField(db.id, { name: 'city', type: 'string' })).toBe(true);
    expect(await store.getState().addField(db.id, { name: 'tier', type: 'enum', enumValues: ['gold', 'silver'] })).toBe(true);
    let fields = h.state().databaseDetails[db.id]?.fields ?? [];
    expect(fields.map((f) => [f.name, f.type, f.enumValues])).toEqual([
      ['city', 'string', []],
      ['tier', 'enum', ['gold', 'silver']],
    ]);
    expect(selectDatabases(h.state())[0]?.fieldCount).toBe(2);

    // Checked as typed, like the engine.
    expect(fieldNameProblem('City', ['city'])).toBe('There is already a field named "city".');
    expect(fieldNameProblem('profile_id', [])).toMatch(/system field/);
    expect(fieldNameProblem('', [])).toBe('The field name cannot be empty.');
    expect(parseEnumValues(' gold \n\nsilver\n')).toEqual(['gold', 'silver']);
    expect(enumValuesProblem(['a', 'a'])).toBe('"a" is listed twice.');
    expect(enumValuesProblem([])).toMatch(/at least one value/);
    expect(await store.getState().addField(db.id, { name: 'CITY', type: 'number' })).toBe(false);
    expect(h.state().notices.at(-1)).toMatchObject({ code: 'ALREADY_EXISTS', message: 'The database already has a field named "city".' });

    const [city, tier] = fields;
    if (!city || !tier) throw new Error('fields missing');
    seedProfiles(h.engine, db.id, [
      { profileId: '1', values: { [city.id]: 'Kazan', [tier.id]: 'gold' } },
      { profileId: '2', values: { [tier.id]: 'gold' } },
    ]);
    expect(await store.getState().updateField(city, { name: 'town' })).toBe(true);
    expect(await store.getState().updateField(tier, { enumValues: ['gold', 'silver', 'bronze'] })).toBe(true);
    fields = h.state().databaseDetails[db.id]?.fields ?? [];
    expect(fields.map((f) => f.name)).toEqual(['town', 'tier']);
    expect(fields[1]?.enumValues).toEqual(['gold', 'silver', 'bronze']);
    // Nothing to change: no call, no notice.
    expect(await store.getState().updateField(fields[0] ?? city, { name: 'town' })).toBe(true);

    // A value in use cannot go; the engine says which and how many.
    expect(await store.getState().updateField(fields[1] ?? tier, { enumValues: ['silver'] })).toBe(false);
    expect(h.state().notices.at(-1)).toMatchObject({ code: 'REFUSED', message: 'These values are in use and cannot be removed: "gold" (2 profiles).' });
    expect(h.state().databaseDetails[db.id]?.fields[1]?.enumValues).toEqual(['gold', 'silver', 'bronze']);
  });

  it('removing a field says how many stored values go, found on the sorted table', async () => {
    const h = await projectWithStore();
    const db = await h.store.getState().createDatabase('Customers');
    if (!db) throw new Error('not created');
    const { store } = h;
    await store.getState().addField(db.id, { name: 'city', type: 'string' });
    await store.getState().addField(db.id, { name: 'note', type: 'string' });
    const [city, note] = h.state().databaseDetails[db.id]?.fields ?? [];
    if (!city || !note) throw new Error('fields missing');
    seedProfiles(
      h.engine,
      db.id,
      Array.from({ length: 57 }, (_, i) => ({ profileId: String(i).padStart(3, '0'), values: i % 3 === 0 ? {} : { [city.id]: `c${i}` } })),
    );
    await store.getState().loadDatabase(db.id);

    let removing = store.getState().removeField(city);
    let s = await waitForState(store, (st) => st.confirm !== null);
    expect(s.confirm?.title).toBe('Remove the field "city"?');
    expect(s.confirm?.message).toBe('Removes 38 stored values: the field\'s value in 38 profiles. This cannot be undone once the project is saved.');
    s.answerConfirm('cancel');
    expect(await removing).toBe(false);

    removing = store.getState().removeField(note);
    s = await waitForState(store, (st) => st.confirm !== null);
    expect(s.confirm?.message).toBe('No profile has a value in this field, so no data goes with it.');
    s.answerConfirm('remove');
    expect(await removing).toBe(true);

    // The table was sorted by the field, and searched in it: both end with it.
    store.getState().navigate({ page: 'database', databaseId: db.id, tab: 'profiles' });
    store.getState().setProfileSort({ by: city.id, direction: 'desc' });
    store.getState().searchProfiles({ text: 'c1', in: city.id });
    await waitForState(store, (st) => st.profileTable?.total === 8);
    removing = store.getState().removeField(city);
    await waitForState(store, (st) => st.confirm !== null);
    store.getState().answerConfirm('remove');
    expect(await removing).toBe(true);
    await waitForState(store, (st) => st.profileTable?.total === 57 && st.profileTable.error === null);
    expect(h.state().profileTable).toMatchObject({ sort: null, search: null });
    s = h.state();
    expect(s.databaseDetails[db.id]?.fields).toEqual([]);
    expect(selectDatabases(s)[0]).toMatchObject({ fieldCount: 0, profileCount: 57 });
  });

  it('another project replaces every page and list of the previous one', async () => {
    const h = await projectWithStore();
    const db = await h.store.getState().createDatabase('Customers');
    if (!db) throw new Error('not created');
    h.store.getState().navigate({ page: 'database', databaseId: db.id, tab: 'profiles' });
    h.store.getState().openImportWizard({ databaseId: db.id });
    expect(h.state().importWizard).not.toBeNull();
    const closing = h.store.getState().closeProject();
    await waitForState(h.store, (s) => s.confirm !== null);
    h.store.getState().answerConfirm('discard');
    expect(await closing).toBe(true);
    const s = await waitForState(h.store, (st) => !st.project.open);
    expect(s.route).toEqual({ page: 'overview' });
    expect(s.databases).toBeNull();
    expect(s.databaseDetails).toEqual({});
    expect(s.profileTable).toBeNull();
    expect(s.importWizard).toBeNull();
  });
});
