/**
 * The import wizard's Events target in the store, on a real engine: the same file step and
 * reader as profile imports, the columns guessed from the header names, the checks of the
 * mapping, a refused run (a bad time: nothing imported, the problems by row, column and
 * value; an unknown profile reported), then a good file imported.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventsMappingIssues } from '../../renderer/store/import-wizard/events-mapping';
import { stepProblem } from '../../renderer/store/import-wizard/selectors';
import { startStore, waitForState, type StoreHarness } from './helpers/in-process';

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

/** A project with a database "Shop" of profiles C1, C2, C3, and the wizard open on Events. */
async function shop(): Promise<{ h: StoreHarness; databaseId: number; write: (name: string, text: string) => string }> {
  harness = await startStore();
  const h = harness;
  await h.store.getState().newProject();
  const write = (name: string, text: string) => {
    const path = join(h.engine.dir, name);
    writeFileSync(path, text);
    return path;
  };
  const people = write('people.csv', 'id,name\nC1,Ann\nC2,Bob\nC3,Cy\n');
  const imported = await h.engine.client.call('import/run', {
    path: people,
    target: { newDatabase: 'Shop' },
    csv: { encoding: 'utf-8', delimiter: ',', hasHeader: true, decimalSeparator: '.', dateOrder: null },
    mapping: [
      { column: 0, target: { kind: 'profileId' } },
      { column: 1, target: { kind: 'newField', field: { name: 'name', type: 'string' } } },
    ],
    mode: 'add',
    emptyCells: 'keep',
    onBadRows: 'stop',
  });
  await h.store.getState().loadDatabases();
  return { h, databaseId: imported.database!.id, write };
}

describe('the import wizard, Events target', () => {
  it('guesses the columns, checks the mapping, refuses a file with a bad time, then imports a good one', async () => {
    const { h, databaseId, write } = await shop();
    const { store } = h;
    store.getState().openImportWizard();
    expect(wizard(h).importing).toBe('profiles');
    store.getState().setImportKind('events');
    // Events go into an existing database, never a new one.
    expect(wizard(h)).toMatchObject({ importing: 'events', target: { kind: 'existing', databaseId }, onBadRows: 'stop' });

    const bad = write('bad.csv', 'customer_id,event,ordered_at,total,order_id\nC1,purchase,2026-04-09 10:15,12.5,o-1\nX9,purchase,2026-04-09 11:00,3,o-2\nC2,open,not a time,,\n');
    await store.getState().setImportFile(bad);
    await waitForState(store, (s) => s.importWizard?.step === 'preview');
    await store.getState().goToImportStep('columns');
    expect(wizard(h).step).toBe('columns');
    expect(wizard(h).events).toEqual({ idColumn: 0, typeFrom: 'column', typeColumn: 1, fixedType: '', timeColumn: 2, amountColumn: 3, noteColumn: 4 });
    expect(stepProblem(h.state(), 'columns')).toBeNull();

    // The checks as the user edits: a fixed type needs a name; a column serves one role.
    store.getState().setEventsMapping({ typeFrom: 'fixed' });
    expect(stepProblem(h.state(), 'columns')).toBe('Name the event type (purchase, open, click, ...).');
    store.getState().setEventsMapping({ typeFrom: 'column', noteColumn: 3 });
    expect(eventsMappingIssues(wizard(h).events).noteColumn).toBe('This column is already the Amount column; choose a column for each.');
    store.getState().setEventsMapping({ noteColumn: 4, timeColumn: null });
    expect(stepProblem(h.state(), 'columns')).toMatch(/date or date-time/);
    await store.getState().goToImportStep('options');
    expect(wizard(h).step).toBe('columns');
    store.getState().setEventsMapping({ timeColumn: 2 });

    await store.getState().goToImportStep('options');
    expect(wizard(h).step).toBe('options');
    await store.getState().runImport();
    const refused = wizard(h);
    expect(refused.step).toBe('result');
    expect(refused.eventsResult).toMatchObject({ outcome: 'stopped', imported: 0, importId: null, problemCount: 1 });
    expect(refused.eventsResult?.problems.map((p) => [p.row, p.column, p.value])).toEqual([[4, 'ordered_at', 'not a time']]);
    expect((await h.engine.client.call('events/list', { databaseId })).total).toBe(0);
    await store.getState().downloadImportReport();
    expect(h.platform.downloads[0]?.text).toMatch(/not a time/);

    // Back to the options, another file: imported, the unknown profile reported, not invented.
    await store.getState().goToImportStep('file');
    const good = write('good.csv', 'customer_id,event,ordered_at,total,order_id\nC1,purchase,2026-04-09 10:15,12.5,o-1\nX9,purchase,2026-04-09 11:00,3,o-2\nC2,open,2026-04-10,,\n');
    await store.getState().setImportFile(good);
    await waitForState(store, (s) => s.importWizard?.step === 'preview');
    await store.getState().goToImportStep('options');
    expect(wizard(h).step).toBe('options');
    await store.getState().runImport();
    const done = wizard(h).eventsResult;
    expect(done).toMatchObject({ outcome: 'imported', rowsRead: 3, imported: 2, skipped: 0, unknownProfiles: { rows: 1, ids: 1, first: [{ row: 3, profileId: 'X9' }] } });
    const listed = await h.engine.client.call('events/list', { databaseId });
    expect(listed.events.map((e) => [e.profileId, e.type, e.at, e.amount, e.note])).toEqual([
      ['C2', 'open', '2026-04-10T00:00:00', null, null],
      ['C1', 'purchase', '2026-04-09T10:15:00', 12.5, 'o-1'],
    ]);
    expect((await h.engine.client.call('database/get', { databaseId })).profileCount).toBe(3);
    expect(h.state().operations).toEqual({});
  });

  it('one fixed type for every row, with the date order of the preview', async () => {
    const { h, databaseId, write } = await shop();
    const { store } = h;
    store.getState().openImportWizard({ importing: 'events', databaseId });
    await store.getState().setImportFile(write('visits.csv', 'id;when\nC3;31.12.2025 23:59\nC1;01.02.2026\n'));
    await waitForState(store, (s) => s.importWizard?.step === 'preview');
    await store.getState().setCsvOption('dateOrder', 'dmy');
    await store.getState().goToImportStep('columns');
    expect(wizard(h).events).toMatchObject({ idColumn: 0, typeFrom: 'fixed', timeColumn: 1 });
    store.getState().setEventsMapping({ fixedType: ' visit ' });
    await store.getState().goToImportStep('options');
    await store.getState().runImport();
    expect(wizard(h).eventsResult).toMatchObject({ outcome: 'imported', imported: 2 });
    const listed = await h.engine.client.call('events/list', { databaseId });
    expect(listed.events.map((e) => [e.profileId, e.type, e.at])).toEqual([
      ['C1', 'visit', '2026-02-01T00:00:00'],
      ['C3', 'visit', '2025-12-31T23:59:00'],
    ]);
  });

  it('Cancel during the run imports nothing', { timeout: 120_000 }, async () => {
    const { h, databaseId, write } = await shop();
    const { store } = h;
    const rows = Array.from({ length: 300_000 }, (_, i) => `C${(i % 3) + 1},purchase,2026-01-${String((i % 28) + 1).padStart(2, '0')} 10:00,${i % 100}`);
    store.getState().openImportWizard({ importing: 'events', databaseId });
    await store.getState().setImportFile(write('big.csv', `id,event,at,amount\n${rows.join('\n')}\n`));
    await store.getState().goToImportStep('options');
    expect(wizard(h).step).toBe('options');
    const stop = store.subscribe(
      (s) => Object.values(s.operations).find((o) => o.method === 'events/import'),
      (op) => {
        if (op && op.done > 0 && !op.cancelling) void store.getState().cancelImport();
      },
    );
    await store.getState().runImport();
    stop();
    expect(wizard(h)).toMatchObject({ step: 'result', cancelled: true, eventsResult: null });
    expect((await h.engine.client.call('events/list', { databaseId })).total).toBe(0);
  });
});
