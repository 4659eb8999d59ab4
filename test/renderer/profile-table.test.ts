import { afterEach, describe, expect, it } from 'vitest';
import type { Field } from '../../shared/contract/index';
import { MAX_CACHED_PAGES, PROFILE_PAGE_SIZE, prunePages, wantedPages } from '../../renderer/store/profiles/page-cache';
import { cachedRowCount, rowAt, shownRowAt, valueOf } from '../../renderer/store/profiles/selectors';
import type { ProfileTableState } from '../../renderer/store/profiles/slice';
import { formatDateText, formatDateTimeText, formatFieldValue, rawFieldValue } from '../../renderer/lib/format-value';
import { startStore, waitForState, type StoreHarness } from './helpers/in-process';
import { seedGenerated } from './helpers/seed';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

describe('the page cache of the profile table', () => {
  it('wants the visible pages first, then one on either side, within the table', () => {
    expect(wantedPages({ first: 0, last: 40 }, null)).toEqual([0]);
    expect(wantedPages({ first: 0, last: 40 }, 0)).toEqual([0]);
    expect(wantedPages({ first: 0, last: 40 }, 1000)).toEqual([0, 1]);
    expect(wantedPages({ first: 590, last: 630 }, 1000)).toEqual([2, 3, 1, 4]);
    expect(wantedPages({ first: 960, last: 1000 }, 1000)).toEqual([4, 3]);
    expect(wantedPages({ first: 5000, last: 5040 }, 1000)).toEqual([]);
  });

  it('keeps at most the pages nearest the visible rows', () => {
    const pages: Record<number, string> = {};
    for (let p = 0; p < 60; p += 1) pages[p] = `page ${p}`;
    const kept = prunePages(pages, { first: 30 * PROFILE_PAGE_SIZE, last: 30 * PROFILE_PAGE_SIZE + 40 });
    const keys = Object.keys(kept).map(Number);
    expect(keys).toHaveLength(MAX_CACHED_PAGES);
    expect(Math.min(...keys)).toBe(30 - MAX_CACHED_PAGES / 2);
    expect(keys).toContain(30);
    expect(prunePages({ 1: 'a' }, { first: 0, last: 10 })).toEqual({ 1: 'a' });
  });
});

describe('values as the table and the card show them', () => {
  it('formats each type readably and keeps the exact value for hover and copy', () => {
    expect(formatFieldValue('number', 1234567.891)).toBe('1,234,567.891');
    expect(formatFieldValue('number', 0.1 + 0.2)).toBe('0.30000000000000004');
    expect(rawFieldValue(1234567.891)).toBe('1234567.891');
    expect(formatFieldValue('boolean', true)).toBe('Yes');
    expect(formatFieldValue('boolean', false)).toBe('No');
    expect(formatFieldValue('date', '2024-03-08')).toBe('8 Mar 2024');
    expect(formatDateText('2024-12-31')).toBe('31 Dec 2024');
    expect(formatFieldValue('datetime', '2024-03-08T10:15:00')).toBe('8 Mar 2024, 10:15');
    expect(formatDateTimeText('2024-03-08T10:15:30')).toBe('8 Mar 2024, 10:15:30');
    expect(formatFieldValue('string', null)).toBe('');
    expect(formatFieldValue('string', '00123')).toBe('00123');
  });
});

interface Seeded {
  readonly h: StoreHarness;
  readonly databaseId: number;
  readonly n: Field;
  readonly city: Field;
}

async function seeded(count: number): Promise<Seeded> {
  harness = await startStore();
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
  h.store.getState().navigate({ page: 'database', databaseId: db.id, tab: 'profiles' });
  // Until the first page of the seeded table arrives, the table shows its previous total.
  await waitForState(h.store, (s) => s.profileTable?.total === count, 20_000);
  return { h, databaseId: db.id, n, city };
}

const table = (h: StoreHarness): ProfileTableState => {
  const t = h.state().profileTable;
  if (!t) throw new Error('no profile table');
  return t;
};

/** Waits until the rows of `first..last` are all loaded. */
const rowsLoaded = (h: StoreHarness, first: number, last: number) =>
  waitForState(h.store, (s) => {
    const t = s.profileTable;
    if (!t || t.total === null) return false;
    for (let i = first; i <= Math.min(last, t.total - 1); i += 1) if (!rowAt(t, i)) return false;
    return true;
  });

describe('the profile table in the store, on a real engine', () => {
  it('pages: a total, the first rows, then any range the user scrolls to', async () => {
    const { h, n } = await seeded(1000);
    await rowsLoaded(h, 0, 60);
    let t = table(h);
    expect(t.total).toBe(1000);
    expect(rowAt(t, 0)?.profileId).toBe('P0000001');
    expect(rowAt(t, 0)?.subscription).toBe('subscribed');
    expect(valueOf(t, rowAt(t, 2) ?? (null as never), n.id)).toBe((3 * 7919) % 100003);

    h.store.getState().showProfileRows({ first: 650, last: 690 });
    await rowsLoaded(h, 650, 690);
    t = table(h);
    expect(rowAt(t, 650)?.profileId).toBe('P0000651');
    expect(rowAt(t, 9)?.subscription).toBe('unsubscribed');
    // The pages on either side come next, ready for more scrolling.
    t = (await waitForState(h.store, (st) => Object.keys(st.profileTable?.pages ?? {}).length === 5)).profileTable ?? t;
    expect(Object.keys(t.pages).map(Number).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps a bounded cache however far the user scrolls', async () => {
    const { h } = await seeded(12_000);
    for (let first = 0; first < 12_000; first += 500) {
      h.store.getState().showProfileRows({ first, last: first + 40 });
      await rowsLoaded(h, first, first + 40);
    }
    const t = table(h);
    expect(Object.keys(t.pages).length).toBeLessThanOrEqual(MAX_CACHED_PAGES);
    expect(cachedRowCount(t)).toBeLessThanOrEqual(MAX_CACHED_PAGES * PROFILE_PAGE_SIZE);
    expect(rowAt(t, 11_540)?.profileId).toBe('P0011541');
    expect(rowAt(t, 0)).toBeNull();
  });

  it('sorts by a header: ascending, then reversed; empty values stay last', async () => {
    const { h, n, city } = await seeded(1000);
    await rowsLoaded(h, 0, 10);
    h.store.getState().toggleProfileSort('profileId');
    expect(table(h).sort).toEqual({ by: 'profileId', direction: 'asc' });
    h.store.getState().toggleProfileSort('profileId');
    expect(table(h).sort).toEqual({ by: 'profileId', direction: 'desc' });
    await rowsLoaded(h, 0, 10);
    expect(rowAt(table(h), 0)?.profileId).toBe('P0001000');

    h.store.getState().toggleProfileSort(n.id);
    await rowsLoaded(h, 0, 60);
    let t = table(h);
    const values = Array.from({ length: 60 }, (_, i) => valueOf(t, rowAt(t, i) ?? (null as never), n.id) as number);
    expect(values).toEqual([...values].sort((a, b) => a - b));

    h.store.getState().setProfileSort({ by: city.id, direction: 'desc' });
    h.store.getState().showProfileRows({ first: 960, last: 999 });
    await rowsLoaded(h, 960, 999);
    t = table(h);
    expect(valueOf(t, rowAt(t, 999) ?? (null as never), city.id)).toBeNull();
    h.store.getState().showProfileRows({ first: 0, last: 40 });
    await rowsLoaded(h, 0, 0);
    expect(valueOf(table(h), rowAt(table(h), 0) ?? (null as never), city.id)).toBe('Moscow');
  });

  it('a new sort keeps the rows of the old order on screen until the first page of the new order comes', async () => {
    const { h, n } = await seeded(1000);
    await rowsLoaded(h, 0, 60);
    h.store.getState().toggleProfileSort(n.id);
    let t = table(h);
    // At once: the order asked for, the old rows still shown, the total kept; nothing of the new order yet.
    expect(t.sort).toEqual({ by: n.id, direction: 'asc' });
    expect(t.total).toBe(1000);
    expect(t.previousPages).not.toBeNull();
    expect(shownRowAt(t, 0)?.profileId).toBe('P0000001');
    expect(rowAt(t, 0)).toBeNull();
    // A second sort before the first answers still shows those rows.
    h.store.getState().toggleProfileSort(n.id);
    expect(shownRowAt(table(h), 5)?.profileId).toBe('P0000006');
    await rowsLoaded(h, 0, 60);
    t = table(h);
    expect(t.previousPages).toBeNull();
    const values = Array.from({ length: 60 }, (_, i) => valueOf(t, shownRowAt(t, i) ?? (null as never), n.id) as number);
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });

  it('searches by ID prefix, in every text field, and in one field; a refused search says why', async () => {
    const { h, n, city } = await seeded(1000);
    await rowsLoaded(h, 0, 10);
    const { store } = h;
    store.getState().searchProfiles({ text: 'P000010', in: 'profileId' });
    await waitForState(store, (s) => s.profileTable?.total === 10);
    expect(rowAt(table(h), 0)?.profileId).toBe('P0000100');

    store.getState().searchProfiles({ text: 'kaz', in: 'any' });
    await waitForState(store, (s) => s.profileTable?.total === 334);
    store.getState().searchProfiles({ text: 'Mos', in: city.id });
    await waitForState(store, (s) => s.profileTable?.total === 333);

    store.getState().searchProfiles({ text: 'abc', in: n.id });
    const s = await waitForState(store, (st) => st.profileTable?.error != null);
    expect(s.profileTable?.error).toBe('"abc" is not a number.');
    expect(s.profileTable?.total).toBe(0);

    // Empty text is no search at all.
    store.getState().searchProfiles({ text: '   ', in: 'any' });
    await waitForState(store, (st) => st.profileTable?.total === 1000 && st.profileTable.search === null);
    expect(table(h).error).toBeNull();
  });

  it('opens the card of a profile with all its fields, and refreshes after a field is added', async () => {
    const { h, databaseId, n, city } = await seeded(30);
    await rowsLoaded(h, 0, 29);
    const { store } = h;
    await store.getState().openProfileCard('P0000004');
    let card = h.state().profileCard;
    expect(card).toMatchObject({ databaseId, profileId: 'P0000004', loading: false, error: null });
    expect(card?.card?.values).toEqual([
      { fieldId: n.id, value: (4 * 7919) % 100003 },
      { fieldId: city.id, value: 'Kazan' },
    ]);
    expect(card?.card?.addedByImport).toBeNull();

    await store.getState().openProfileCard('nobody');
    card = h.state().profileCard;
    expect(card?.error).toBe('No profile with ID "nobody" in this database.');
    store.getState().closeProfileCard();
    expect(h.state().profileCard).toBeNull();

    await store.getState().addField(databaseId, { name: 'vip', type: 'boolean' });
    await rowsLoaded(h, 0, 29);
    expect(table(h).fieldIds).toHaveLength(3);
    expect(h.state().databaseDetails[databaseId]?.fields.map((f) => f.name)).toEqual(['n', 'city', 'vip']);
  });
});
