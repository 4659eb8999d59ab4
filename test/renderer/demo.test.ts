import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_DEFAULT_PROFILES } from '../../shared/contract/index';
import { rowAt } from '../../renderer/store/profiles/selectors';
import { startStore, waitForState, type StoreHarness } from './helpers/in-process';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

describe('the demo project from the start screen', () => {
  it('opens with its database of 50,000 profiles on screen, ready to browse', { timeout: 120_000 }, async () => {
    harness = await startStore();
    const h = harness;
    expect(await h.store.getState().openDemoProject()).toBe(true);
    let s = h.state();
    expect(s.project.open).toBe(true);
    const db = s.databases?.[0];
    expect(db?.profileCount).toBe(DEMO_DEFAULT_PROFILES);
    expect(s.route).toEqual({ page: 'database', databaseId: db?.id, tab: 'profiles' });
    s = await waitForState(h.store, (st) => st.profileTable?.total === DEMO_DEFAULT_PROFILES && rowAt(st.profileTable, 0) !== null, 30_000);
    expect(rowAt(s.profileTable ?? (null as never), 0)?.profileId).toMatch(/^0+1$/);
    expect(s.databaseDetails[db?.id ?? 0]?.fields.length).toBeGreaterThan(3);
    expect(s.operations).toEqual({});
    expect(s.notices).toEqual([]);
  });
});
