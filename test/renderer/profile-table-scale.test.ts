/**
 * The profile table with a million profiles: after the engine has built a sorted view
 * once, any page, however deep, comes back at once, so scrolling stays smooth.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rowAt } from '../../renderer/store/profiles/selectors';
import { startStore, waitForState, type StoreHarness } from './helpers/in-process';
import { seedGenerated } from './helpers/seed';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

const MILLION = 1_000_000;

async function timeToRows(h: StoreHarness, first: number, last: number): Promise<number> {
  const started = performance.now();
  h.store.getState().showProfileRows({ first, last });
  await waitForState(
    h.store,
    (s) => {
      const t = s.profileTable;
      if (!t) return false;
      for (let i = first; i <= last; i += 1) if (!rowAt(t, i)) return false;
      return true;
    },
    60_000,
  );
  return performance.now() - started;
}

describe('a million profiles', () => {
  it('page anywhere quickly, sorted or not', { timeout: 180_000 }, async () => {
    harness = await startStore();
    const h = harness;
    await h.store.getState().newProject();
    const db = await h.store.getState().createDatabase('Million');
    if (!db) throw new Error('not created');
    await h.store.getState().addField(db.id, { name: 'n', type: 'number' });
    await h.store.getState().addField(db.id, { name: 'city', type: 'string' });
    const [n, city] = h.state().databaseDetails[db.id]?.fields ?? [];
    if (!n || !city) throw new Error('fields missing');
    seedGenerated(h.engine, db.id, MILLION, { n: n.id, city: city.id });
    h.store.getState().navigate({ page: 'database', databaseId: db.id, tab: 'profiles' });
    await waitForState(h.store, (s) => s.profileTable?.total === MILLION, 60_000);

    const jumps = [999_950, 500_000, 123_456, 10, 777_777];
    const times: number[] = [];
    for (const first of jumps) times.push(await timeToRows(h, first, first + 40));
    expect(rowAt(h.state().profileTable ?? (null as never), 999_950)?.profileId).toBe('P0999951');

    h.store.getState().setProfileSort({ by: n.id, direction: 'desc' });
    const firstSorted = await timeToRows(h, 0, 40);
    const sortedTimes: number[] = [];
    for (const first of jumps) sortedTimes.push(await timeToRows(h, first, first + 40));
    console.log(
      `1M profiles: jumps ${times.map((t) => t.toFixed(0)).join(', ')} ms; sort by a number field ${firstSorted.toFixed(0)} ms, then jumps ${sortedTimes.map((t) => t.toFixed(0)).join(', ')} ms`,
    );
    // Generous bounds for a busy CI box; typical figures are a few milliseconds a page.
    expect(Math.max(...times.slice(1))).toBeLessThan(1000);
    // The first pages of a new sort come without ordering every row; the first jump deeper orders them all.
    expect(Math.max(...sortedTimes.slice(1))).toBeLessThan(1000);
  });
});
