import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../renderer/store/commands';
import { compactCount, countOf, listText } from '../../renderer/lib/text';
import { baseNameOf, safeFileName, withCsvExtension, withHtmlExtension, withSqlExtension } from '../../renderer/lib/paths';
import { startStore, waitForState, type StoreHarness } from './helpers/in-process';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

describe('pages of an open project', () => {
  it('a database page loads the database and its profile table; other pages keep them', async () => {
    harness = await startStore();
    const { store } = harness;
    await store.getState().newProject();
    const db = await store.getState().createDatabase('Customers');
    if (!db) throw new Error('not created');
    store.getState().navigate({ page: 'overview' });
    store.getState().navigate({ page: 'database', databaseId: db.id, tab: 'imports' });
    const s = await waitForState(store, (st) => st.databaseDetails[db.id]?.imports !== undefined);
    expect(s.route).toEqual({ page: 'database', databaseId: db.id, tab: 'imports' });
    expect(s.databaseDetails[db.id]?.imports).toEqual([]);
    expect(s.profileTable).toBeNull(); // the table loads when its tab is shown
    store.getState().navigate({ page: 'database', databaseId: db.id, tab: 'profiles' });
    const shown = await waitForState(store, (st) => st.profileTable?.total === 0);
    expect(shown.profileTable?.databaseId).toBe(db.id);
    expect(shown.profileTable?.source).toEqual({ kind: 'database' });
  });

  it('menu commands and shortcuts wait while the import wizard or the export dialog is open', async () => {
    harness = await startStore();
    const { store } = harness;
    await store.getState().newProject();
    const db = await store.getState().createDatabase('Customers');
    store.getState().openImportWizard();
    expect(await runCommand(store.getState(), { command: 'save' })).toBe(false);
    store.getState().closeImportWizard();
    store.getState().openExportDialog(db?.id ?? 0);
    expect(await runCommand(store.getState(), { command: 'close' })).toBe(false);
    store.getState().closeExportDialog();
    expect(harness.state().exportDialog).toBeNull();
  });

  it('the import wizard starts in the database shown, or in a new one named after the file', async () => {
    harness = await startStore();
    const { store } = harness;
    await store.getState().newProject();
    const db = await store.getState().createDatabase('Customers');
    store.getState().openImportWizard();
    expect(harness.state().importWizard?.target).toEqual({ kind: 'existing', databaseId: db?.id });
    store.getState().navigate({ page: 'databases' });
    store.getState().openImportWizard();
    expect(harness.state().importWizard?.target).toEqual({ kind: 'new', name: '', nameFromFile: true });
    store.getState().openImportWizard({ newDatabaseName: ' Leads ' });
    expect(harness.state().importWizard?.target).toEqual({ kind: 'new', name: 'Leads', nameFromFile: false });
  });
});

describe('small text helpers', () => {
  it('counts, lists and file names read naturally', () => {
    expect(countOf(1, 'profile')).toBe('1 profile');
    expect(countOf(50_000, 'profile')).toBe('50,000 profiles');
    expect(countOf(2, 'problem was', 'problems were')).toBe('2 problems were');
    expect(listText(['a', 'b', 'c'])).toBe('a, b and c');
    expect(compactCount(950)).toBe('950');
    expect(compactCount(1500)).toBe('1.5k');
    expect(compactCount(50_000)).toBe('50k');
    expect(compactCount(1_000_000)).toBe('1M');
    expect(compactCount(1_250_000)).toBe('1.3M');
    expect(withCsvExtension('people')).toBe('people.csv');
    expect(withCsvExtension('people.TSV')).toBe('people.TSV');
    expect(withHtmlExtension('Spring analysis')).toBe('Spring analysis.html');
    expect(withHtmlExtension('report.HTM')).toBe('report.HTM');
    expect(withSqlExtension('spring.duckdb')).toBe('spring.duckdb.sql');
    expect(withSqlExtension('split.SQL')).toBe('split.SQL');
    expect(safeFileName('a/b:c', 'x')).toBe('a-b-c');
    expect(baseNameOf('/tmp/dir/customers.2024.csv')).toBe('customers.2024');
  });
});
