import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeDemoCsv } from '../../main/engine/demo/demo-csv';
import { nothingImported } from '../../shared/import-summary';
import { mappingIssues, targetOf, valuesOutsideDraftList, type TargetChoice } from '../../renderer/store/import-wizard/mapping';
import { needsDateOrder, stepProblem, targetFields } from '../../renderer/store/import-wizard/selectors';
import { pickInFileBrowser, startStore, waitForState, type StoreHarness } from './helpers/in-process';
import { PEOPLE_GOOD_COUNT, writePeopleCsv } from './helpers/people-csv';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

const wizard = (h: StoreHarness) => {
  const w = h.state().importWizard;
  if (!w) throw new Error('the import wizard is closed');
  return w;
};

const columnIndex = (h: StoreHarness, name: string): number => {
  const c = wizard(h).columns.find((d) => d.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c.index;
};

async function openWithPeople(): Promise<{ h: StoreHarness; path: string }> {
  harness = await startStore();
  const h = harness;
  await h.store.getState().newProject();
  const path = writePeopleCsv(h.engine.dir);
  h.store.getState().openImportWizard();
  const choosing = h.store.getState().chooseImportFile();
  // Browser mode: the in-app file browser, showing CSV files.
  await waitForState(h.store, (s) => s.fileBrowser?.kind === 'open-csv');
  await pickInFileBrowser(h.store, h.engine.dir, 'people.csv');
  await choosing;
  await waitForState(h.store, (s) => s.importWizard?.step === 'preview');
  return { h, path };
}

describe('the import wizard in the store, on a real engine', () => {
  it('file -> preview: detected encoding, BOM, delimiter, header and line endings, and a name from the file', async () => {
    const { h, path } = await openWithPeople();
    const w = wizard(h);
    expect(w.path).toBe(path);
    expect(w.target).toEqual({ kind: 'new', name: 'people', nameFromFile: true });
    expect(w.preview?.options).toMatchObject({ encoding: 'utf-8', delimiter: ';', hasHeader: true });
    expect(w.preview?.bom).toBe(true);
    expect(w.preview?.lineEnding).toBe('crlf');
    expect(w.preview?.columns.map((c) => c.name)).toEqual(['customer_id', 'name', 'age', 'signup_date', 'vip', 'subscription_status']);
    expect(w.preview?.rows[0]).toEqual(['00123', 'Анна', '34', '2024-03-08', 'yes', 'subscribed']);
    expect(needsDateOrder(w)).toBe(false);

    // Another delimiter reads other columns: the mapping starts again from the suggestions.
    await h.store.getState().setCsvOption('delimiter', ',');
    expect(wizard(h).preview?.columns).toHaveLength(1);
    expect(wizard(h).columns).toHaveLength(1);
    await h.store.getState().setCsvOption('delimiter', ';');
    expect(wizard(h).columns).toHaveLength(6);
    expect(wizard(h).overrides).toEqual({ delimiter: ';' });
  });

  it('columns: suggestions, inline problems, a changed type; then import skipping bad rows', async () => {
    const { h } = await openWithPeople();
    const { store } = h;
    await store.getState().goToImportStep('columns');
    let w = wizard(h);
    expect(w.step).toBe('columns');
    const choices = Object.fromEntries(w.columns.map((c) => [c.name, c.choice]));
    expect(choices).toEqual({
      customer_id: 'profileId',
      name: 'newField',
      age: 'newField',
      signup_date: 'newField',
      vip: 'newField',
      subscription_status: 'subscription',
    });
    const types = Object.fromEntries(w.columns.map((c) => [c.name, c.newType]));
    expect(types).toMatchObject({ name: 'string', signup_date: 'date', vip: 'boolean' });
    // "abc" among the ages: the sample suggests text; the user knows better.
    expect(types.age).toBe('string');

    // Two profile ID columns, and a duplicate new field name, are flagged where they are.
    const age = columnIndex(h, 'age');
    const name = columnIndex(h, 'name');
    store.getState().setColumnChoice(name, 'profileId');
    let issues = mappingIssues(wizard(h).columns, []);
    expect(issues.columns[name]).toBe('Only one column can hold the profile ID.');
    expect(stepProblem(h.state(), 'columns')).toBe('Fix the columns marked below.');
    await store.getState().goToImportStep('options');
    expect(wizard(h).step).toBe('columns');
    store.getState().setColumnChoice(name, 'newField');
    store.getState().setNewField(age, { name: 'NAME' });
    issues = mappingIssues(wizard(h).columns, []);
    expect(issues.columns[age]).toBe('There is already a field named "name".');
    store.getState().setNewField(age, { name: 'age', type: 'number' });
    store.getState().setColumnChoice(columnIndex(h, 'customer_id'), 'skip');
    expect(mappingIssues(wizard(h).columns, []).general).toEqual(['Choose the column that holds the profile ID.']);
    store.getState().setColumnChoice(columnIndex(h, 'customer_id'), 'profileId');
    expect(stepProblem(h.state(), 'columns')).toBeNull();
    expect(targetOf(wizard(h).columns.find((c) => c.index === age) ?? (null as never))).toEqual({
      kind: 'newField',
      field: { name: 'age', type: 'number' },
    });

    await store.getState().goToImportStep('options');
    expect(wizard(h).step).toBe('options');
    store.getState().setOnBadRows('skip');
    const result = await store.getState().runImport();
    w = wizard(h);
    expect(w.step).toBe('result');
    expect(result).toMatchObject({ outcome: 'imported', rowsRead: 12, added: PEOPLE_GOOD_COUNT, updated: 0, skipped: 2, problemCount: 2 });
    expect(result?.problems.map((p) => [p.row, p.column, p.value, p.code])).toEqual([
      [4, 'age', 'abc', 'not_a_number'],
      [10, 'customer_id', '00124', 'duplicate_id'],
    ]);
    expect(result?.database?.name).toBe('people');

    // The new database shows everywhere at once.
    const s = h.state();
    expect(s.databases?.map((d) => [d.name, d.profileCount, d.fieldCount])).toEqual([['people', 10, 4]]);
    expect(s.operations).toEqual({});

    // The error report, downloaded as a file.
    await store.getState().downloadImportReport();
    expect(h.platform.downloads).toHaveLength(1);
    const report = h.platform.downloads[0];
    expect(report?.fileName).toMatch(/\.csv$/);
    expect(report?.mimeType).toBe('text/csv;charset=utf-8');
    expect(report?.text).toMatch(/abc/);
    expect(report?.text).toMatch(/00124/);
    expect(wizard(h).reportSaved).toBe(report?.fileName);

    store.getState().viewImportedProfiles();
    const after = await waitForState(store, (st) => st.profileTable?.total === 10);
    expect(after.importWizard).toBeNull();
    expect(after.route).toMatchObject({ page: 'database', tab: 'profiles', databaseId: result?.database?.id });
    expect(after.databaseDetails[result?.database?.id ?? 0]?.imports).toHaveLength(1);
    await store.getState().openProfileCard('00123');
    const card = h.state().profileCard?.card;
    expect(card?.subscription).toBe('subscribed');
    expect(card?.values.map((v) => v.value)).toEqual(['Анна', 34, '2024-03-08', true]);
    expect(card?.addedByImport).toBe(result?.importId);
  });

  it('stop on bad rows: nothing is imported, and the setup can be changed and run again', async () => {
    const { h } = await openWithPeople();
    const { store } = h;
    await store.getState().goToImportStep('columns');
    store.getState().setNewField(columnIndex(h, 'age'), { type: 'number' });
    await store.getState().goToImportStep('options');
    store.getState().setOnBadRows('stop');
    const result = await store.getState().runImport();
    expect(result).toMatchObject({ outcome: 'stopped', added: 0, importId: null });
    expect(h.state().databases).toEqual([]);
    await store.getState().goToImportStep('options');
    expect(wizard(h)).toMatchObject({ step: 'options', result: null });
    store.getState().setOnBadRows('skip');
    expect((await store.getState().runImport())?.added).toBe(PEOPLE_GOOD_COUNT);
  });

  it('into an existing database: suggestions use its fields; update mode updates, keeping empty cells', async () => {
    const { h } = await openWithPeople();
    const { store } = h;
    await store.getState().goToImportStep('columns');
    store.getState().setNewField(columnIndex(h, 'age'), { type: 'number' });
    await store.getState().goToImportStep('options');
    const first = await store.getState().runImport();
    const databaseId = first?.database?.id ?? 0;
    store.getState().closeImportWizard();

    store.getState().navigate({ page: 'database', databaseId, tab: 'profiles' });
    store.getState().openImportWizard();
    expect(wizard(h).target).toEqual({ kind: 'existing', databaseId });
    const picking = store.getState().chooseImportFile();
    await pickInFileBrowser(store, h.engine.dir, 'people.csv');
    await picking;
    await store.getState().goToImportStep('columns');
    const fields = h.state().databaseDetails[databaseId]?.fields ?? [];
    const ageField = fields.find((f) => f.name === 'age');
    expect(wizard(h).columns.find((c) => c.name === 'age')?.choice).toBe(`field:${ageField?.id}`);
    await store.getState().goToImportStep('options');
    store.getState().setImportMode('update');
    const second = await store.getState().runImport();
    // Nothing to change, and two bad rows: nothing is imported (no record), and the result says why.
    expect(second).toMatchObject({ outcome: 'stopped', importId: null, added: 0, updated: 0, unchanged: PEOPLE_GOOD_COUNT, skipped: 2 });
    expect(nothingImported(second!)).toBe(`Nothing was imported: 2 rows have problems, and of the others ${PEOPLE_GOOD_COUNT} profiles already held these values.`);
    expect(h.state().databases?.[0]?.profileCount).toBe(PEOPLE_GOOD_COUNT);
  });

  it('a dropped file is handed over (uploaded in browser mode) and previewed', async () => {
    harness = await startStore();
    const h = harness;
    await h.store.getState().newProject();
    const bytes = readFileSync(writePeopleCsv(h.engine.dir, 'dropped.csv'));
    await h.store.getState().importDroppedFile(new File([bytes], 'dropped.csv', { type: 'text/csv' }));
    const w = wizard(h);
    expect(w.step).toBe('preview');
    expect(w.upload).toBeNull();
    expect(w.path?.endsWith('dropped.csv')).toBe(true);
    expect(w.target).toMatchObject({ kind: 'new', name: 'dropped' });
    expect(w.preview?.sizeBytes).toBe(bytes.length);
  });

  it('a file that cannot be read says why, on the file step', async () => {
    harness = await startStore();
    const h = harness;
    await h.store.getState().newProject();
    h.store.getState().openImportWizard();
    await h.store.getState().setImportFile(join(h.engine.dir, 'missing.csv'));
    const w = wizard(h);
    expect(w.step).toBe('file');
    expect(w.fileError).toMatch(/missing\.csv/);
    expect(stepProblem(h.state(), 'preview')).toBe(w.fileError);
    // Next stays disabled: it would only read the same file again.
    expect(stepProblem(h.state(), 'file')).toBe('Choose another file: this one cannot be imported.');
  });

  it('cancel during the run: "nothing was imported", and the project is exactly as before', { timeout: 120_000 }, async () => {
    harness = await startStore();
    const h = harness;
    const { store } = h;
    await store.getState().newProject();
    const path = join(h.engine.dir, 'big.csv');
    await writeDemoCsv(path, { count: 300_000, seed: 'cancel', today: '2026-11-29' });
    store.getState().openImportWizard();
    await store.getState().setImportFile(path);
    await store.getState().goToImportStep('options');
    expect(wizard(h).step).toBe('options');
    const before = h.state().project;
    const dirtyBefore = before.open && before.dirty;

    const stop = store.subscribe(
      (s) => Object.values(s.operations).find((o) => o.method === 'import/run'),
      (op) => {
        if (op && op.done > 0 && !op.cancelling) void store.getState().cancelImport();
      },
    );
    const result = await store.getState().runImport();
    stop();
    expect(result).toBeNull();
    const s = h.state();
    expect(s.importWizard).toMatchObject({ step: 'result', cancelled: true, result: null });
    expect(s.databases).toEqual([]);
    expect((await h.engine.client.call('database/list', {})).length).toBe(0);
    expect(s.project.open && s.project.dirty).toBe(dirtyBefore);
    expect(existsSync(path)).toBe(true);
  });
});

describe('columns that go to a list (enum) field', () => {
  it('shows the values the list lacks and adds them in the import when asked', async () => {
    harness = await startStore();
    const h = harness;
    const { store } = h;
    await store.getState().newProject();
    const db = await h.engine.client.call('database/create', { name: 'Customers', fields: [{ name: 'tier', type: 'enum', enumValues: ['gold', 'silver'] }] });
    await store.getState().loadDatabases();
    writeFileSync(join(h.engine.dir, 'tiers.csv'), `id,tier\n${Array.from({ length: 30 }, (_, i) => `${i + 1},${['platinum', 'bronze'][i % 2]}`).join('\n')}\n`);
    store.getState().openImportWizard({ databaseId: db.id });
    const picking = store.getState().chooseImportFile();
    await pickInFileBrowser(store, h.engine.dir, 'tiers.csv');
    await picking;
    await store.getState().goToImportStep('columns');
    await waitForState(store, (s) => s.databaseDetails[db.id] !== undefined);
    const tier = wizard(h).columns.find((c) => c.name === 'tier')!;
    const column = wizard(h).preview!.columns[tier.index]!;
    const fields = targetFields(h.state());
    expect(tier).toMatchObject({ choice: `field:${db.fields[0]!.id}`, addEnumValues: false });
    expect(valuesOutsideDraftList(tier, column, fields)).toEqual([
      { value: 'bronze', count: 15 },
      { value: 'platinum', count: 15 },
    ]);
    // Not added: the rows are problems, and nothing is imported.
    await store.getState().goToImportStep('options');
    const refused = await store.getState().runImport();
    expect(refused).toMatchObject({ outcome: 'stopped', added: 0, skipped: 30 });

    await store.getState().goToImportStep('columns');
    store.getState().setAddEnumValues(tier.index, true);
    expect(targetOf(wizard(h).columns.find((c) => c.index === tier.index)!, fields)).toEqual({ kind: 'field', fieldId: db.fields[0]!.id, addEnumValues: true });
    // Only list targets carry it.
    expect(targetOf({ ...tier, choice: 'newField', newType: 'string', addEnumValues: true }, fields)).toEqual({ kind: 'newField', field: { name: 'tier', type: 'string' } });
    await store.getState().goToImportStep('options');
    const result = await store.getState().runImport();
    expect(result).toMatchObject({ outcome: 'imported', added: 30, enumValuesAdded: [{ field: 'tier', values: ['platinum', 'bronze'] }] });
    expect(h.state().databaseDetails[db.id]?.fields[0]?.enumValues).toEqual(['gold', 'silver', 'platinum', 'bronze']);
  });

  it('checks 500 columns by name lookups: every repeated new field name is flagged, and only those', () => {
    const drafts = Array.from({ length: 500 }, (_, i) => ({
      index: i,
      name: `c${i}`,
      choice: (i === 0 ? 'profileId' : 'newField') as TargetChoice,
      // Columns 400-499 repeat the names of 300-399 in another case.
      newName: i >= 400 ? `FIELD ${i - 100}` : `field ${i}`,
      newType: 'string' as const,
      enumText: '',
      addEnumValues: false,
    }));
    const issues = mappingIssues(drafts, [{ id: 7, databaseId: 1, name: 'Field 5', type: 'number', enumValues: [], position: 0 }]);
    expect(issues.general).toEqual([]);
    const flagged = Object.keys(issues.columns).map(Number);
    expect(flagged).toEqual([5, ...Array.from({ length: 100 }, (_, i) => 300 + i), ...Array.from({ length: 100 }, (_, i) => 400 + i)]);
    expect(issues.columns[5]).toBe('The database already has a field named "Field 5"; choose it as the target instead.');
    expect(issues.columns[300]).toBe('There is already a field named "FIELD 300".');
    expect(issues.columns[400]).toBe('There is already a field named "field 300".');
  });
});
