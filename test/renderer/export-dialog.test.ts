import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportFieldIds, exportProblem, limitProblem } from '../../renderer/store/export-dialog/selectors';
import { pickInFileBrowser, startInProcessEngine, startStore, waitForState, type StoreHarness } from './helpers/in-process';
import { seedGenerated } from './helpers/seed';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

async function withAudience(count: number, options: { pick?: (kind: string) => string | null } = {}) {
  const engine = await startInProcessEngine();
  harness = await startStore(options.pick ? { engine, pick: (r) => options.pick?.(r.kind) ?? null } : { engine });
  const h = harness;
  await h.store.getState().newProject();
  const db = await h.store.getState().createDatabase('Audience');
  if (!db) throw new Error('not created');
  await h.store.getState().addField(db.id, { name: 'n', type: 'number' });
  await h.store.getState().addField(db.id, { name: 'city', type: 'string' });
  const [n, city] = h.state().databaseDetails[db.id]?.fields ?? [];
  if (!n || !city) throw new Error('fields missing');
  seedGenerated(h.engine, db.id, count, { n: n.id, city: city.id });
  await h.store.getState().loadDatabase(db.id);
  return { h, databaseId: db.id, n, city };
}

const dialog = (h: StoreHarness) => {
  const d = h.state().exportDialog;
  if (!d) throw new Error('the export dialog is closed');
  return d;
};

describe('the export dialog in the store, on a real engine', () => {
  it('a submit of the form while its file browser is open exports nothing and keeps the choice going', async () => {
    const { h, databaseId } = await withAudience(20);
    const { store } = h;
    store.getState().openExportDialog(databaseId);
    const choosing = store.getState().chooseExportPath();
    await waitForState(store, (s) => s.fileBrowser?.kind === 'save-csv');
    // An Enter that reached the export form beneath the browser.
    expect(await store.getState().runExport()).toBeNull();
    expect(h.state().fileBrowser?.kind).toBe('save-csv');
    await pickInFileBrowser(store, h.engine.dir, 'chosen');
    await choosing;
    expect(dialog(h)).toMatchObject({ phase: 'form', path: join(h.engine.dir, 'chosen.csv') });
    expect(existsSync(join(h.engine.dir, 'chosen.csv'))).toBe(false);
  });

  it('all fields and statuses by default, a BOM for Excel; exports through the in-app browser', async () => {
    const { h, databaseId, n, city } = await withAudience(100);
    const { store } = h;
    store.getState().openExportDialog(databaseId);
    expect(dialog(h)).toMatchObject({ phase: 'form', delimiter: ',', bom: true, limitText: '', path: null, fieldIds: null });
    expect(exportFieldIds(h.state())).toEqual([n.id, city.id]);
    expect(dialog(h).statuses).toEqual(['subscribed', 'unsubscribed', 'unconfirmed', 'bounced']);

    // Export without a destination asks for one first: the in-app browser in save mode.
    const running = store.getState().runExport();
    await waitForState(store, (s) => s.fileBrowser?.kind === 'save-csv');
    expect(h.state().fileBrowser?.fileName).toBe('Audience.csv');
    await pickInFileBrowser(store, h.engine.dir, 'all');
    const result = await running;
    const path = join(h.engine.dir, 'all.csv');
    expect(result).toMatchObject({ path, rows: 100 });
    expect(dialog(h)).toMatchObject({ phase: 'done', result: { path, rows: 100 } });
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('profile_id,subscription_status,n,city');
    expect(lines).toHaveLength(101);
    expect(h.state().operations).toEqual({});
    store.getState().closeExportDialog();
    expect(h.state().exportDialog).toBeNull();
  });

  it('chosen fields and statuses, a row limit, semicolons and no BOM; a native save dialog when there is one', async () => {
    let answer: string | null = null;
    const { h, databaseId, city } = await withAudience(100, { pick: () => answer });
    const { store } = h;
    answer = join(h.engine.dir, 'subset');
    store.getState().openExportDialog(databaseId);
    store.getState().toggleExportField(city.id);
    expect(exportFieldIds(h.state())).toHaveLength(1);
    store.getState().toggleExportStatus('subscribed');
    store.getState().toggleExportStatus('bounced');
    expect(dialog(h).statuses).toEqual(['unsubscribed', 'unconfirmed']);
    store.getState().setExportDelimiter(';');
    store.getState().setExportBom(false);

    store.getState().setExportLimit('abc');
    expect(limitProblem('abc')).toMatch(/whole number/);
    expect(exportProblem(h.state())).toMatch(/whole number/);
    expect(await store.getState().runExport()).toBeNull();
    expect(dialog(h).error).toMatch(/whole number/);
    store.getState().setExportLimit(' 5 ');
    expect(exportProblem(h.state())).toBeNull();

    await store.getState().chooseExportPath();
    expect(h.platform.pickRequests.at(-1)).toEqual({ kind: 'save-csv', defaultName: 'Audience.csv' });
    // A native dialog's name gets .csv, and its own question about replacing counts only for the name it returned.
    expect(dialog(h)).toMatchObject({ path: `${answer}.csv`, overwrite: false });
    const result = await store.getState().runExport();
    expect(result?.rows).toBe(5);
    const lines = readFileSync(`${answer}.csv`, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('profile_id;subscription_status;n');
    expect(lines.slice(1).every((l) => /;unsubscribed;|;unconfirmed;/.test(l))).toBe(true);
  });

  it('asks before replacing a file that appeared meanwhile; no status chosen is refused at once', async () => {
    const { h, databaseId } = await withAudience(20);
    const { store } = h;
    const path = join(h.engine.dir, 'taken.csv');
    store.getState().openExportDialog(databaseId);
    const choosing = store.getState().chooseExportPath();
    await pickInFileBrowser(store, h.engine.dir, 'taken.csv');
    await choosing;
    writeFileSync(path, 'old');
    const running = store.getState().runExport();
    const s = await waitForState(store, (st) => st.confirm !== null);
    expect(s.confirm?.title).toBe('Replace the file?');
    s.answerConfirm('replace');
    expect((await running)?.rows).toBe(20);
    expect(readFileSync(path, 'utf8')).not.toBe('old');

    store.getState().closeExportDialog();
    store.getState().openExportDialog(databaseId);
    for (const status of ['subscribed', 'unsubscribed', 'unconfirmed', 'bounced'] as const) store.getState().toggleExportStatus(status);
    expect(await store.getState().runExport()).toBeNull();
    expect(dialog(h).error).toBe('Choose at least one subscription status.');
    expect(h.state().fileBrowser).toBeNull();
  });

  it('cancel: no file is written, and the dialog says so', { timeout: 120_000 }, async () => {
    const { h, databaseId } = await withAudience(400_000);
    const { store } = h;
    store.getState().openExportDialog(databaseId);
    const choosing = store.getState().chooseExportPath();
    await pickInFileBrowser(store, h.engine.dir, 'big.csv');
    await choosing;
    const stop = store.subscribe(
      (s) => Object.values(s.operations).find((o) => o.method === 'export/profiles'),
      (op) => {
        if (op && op.done > 0 && !op.cancelling) void store.getState().cancelExport();
      },
    );
    const result = await store.getState().runExport();
    stop();
    expect(result).toBeNull();
    expect(dialog(h)).toMatchObject({ phase: 'form', cancelled: true, error: null });
    expect(existsSync(join(h.engine.dir, 'big.csv'))).toBe(false);
  });
});
