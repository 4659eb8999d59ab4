import { afterEach, describe, expect, it } from 'vitest';
import { waitForState, type StoreHarness } from './helpers/in-process';
import { plannedProject } from './helpers/planning';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

describe('the profile card', () => {
  it('belongs to the table and the page it was opened on: another page or another table closes it', async () => {
    const p = await plannedProject(50);
    harness = p.h;
    const { h, databaseId, segment } = p;
    const s = () => h.store.getState();
    const openCard = async () => {
      s().navigate({ page: 'database', databaseId, tab: 'profiles' });
      await waitForState(h.store, (st) => st.profileTable?.databaseId === databaseId && st.profileTable.source.kind === 'database' && st.profileTable.pages[0] !== undefined);
      const first = h.state().profileTable?.pages[0]?.[0];
      if (!first) throw new Error('no rows loaded');
      await s().openProfileCard(first.profileId);
      expect(h.state().profileCard).toMatchObject({ databaseId, profileId: first.profileId, loading: false });
    };

    // Another page.
    await openCard();
    s().navigate({ page: 'segments' });
    expect(h.state().profileCard).toBeNull();

    // Another tab of the same page.
    await openCard();
    s().navigate({ page: 'database', databaseId, tab: 'fields' });
    expect(h.state().profileCard).toBeNull();

    // The same route again (a refresh) keeps it.
    await openCard();
    s().navigate({ page: 'database', databaseId, tab: 'profiles' });
    expect(h.state().profileCard).not.toBeNull();

    // Another table of the same database (a segment of it, empty or not).
    s().openProfileTable(databaseId, { kind: 'segment', segmentId: segment.id });
    expect(h.state().profileCard).toBeNull();
  });
});
