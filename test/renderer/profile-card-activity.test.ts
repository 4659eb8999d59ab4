/**
 * The profile card's events (newest first, a page at a time, none after the project clock)
 * and interactions (segments, campaigns with the profile's group), in the store on a real
 * engine.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CARD_EVENTS_PAGE } from '../../renderer/store/profiles/slice';
import { waitForState, type StoreHarness } from './helpers/in-process';
import { plannedProject } from './helpers/planning';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

describe('the profile card: events and interactions', () => {
  it('shows the events newest first a page at a time, and the segments and campaigns with the group', async () => {
    const p = await plannedProject(30);
    harness = p.h;
    const { h, databaseId, segment } = p;
    const s = () => h.store.getState();
    const state = await h.engine.client.call('project/state', {});
    if (!state.open) throw new Error('no project');
    // 25 purchases of P0000001, one a day up to the day before the clock, and one after it.
    const day = (i: number) => new Date(Date.parse(`${state.clock.slice(0, 10)}T00:00:00Z`) - i * 86_400_000).toISOString().slice(0, 10);
    const rows = Array.from({ length: 25 }, (_, i) => `P0000001,purchase,${day(i + 1)} 09:30,${i + 1}`);
    rows.push(`P0000001,purchase,${day(-2)} 09:30,99`, 'P0000002,open,2020-01-01,');
    const path = join(h.engine.dir, 'events.csv');
    writeFileSync(path, `id,type,at,amount\n${rows.join('\n')}\n`);
    await h.engine.client.call('events/import', {
      databaseId,
      path,
      csv: { encoding: 'utf-8', delimiter: ',', hasHeader: true, decimalSeparator: '.', dateOrder: null },
      mapping: { idColumn: 0, type: { kind: 'column', column: 1 }, timeColumn: 2, amountColumn: 3 },
    });
    const campaign = await h.engine.client.call('campaign/create', { name: 'Spring', databaseId, segmentId: segment.id });

    s().navigate({ page: 'database', databaseId, tab: 'profiles' });
    await waitForState(h.store, (st) => st.profileTable?.pages[0] !== undefined);
    await s().openProfileCard('P0000001');
    const card = h.state().profileCard;
    expect(card?.events?.total).toBe(25);
    expect(card?.events?.items).toHaveLength(CARD_EVENTS_PAGE);
    expect(card?.events?.items.slice(0, 2).map((e) => [e.at, e.amount])).toEqual([
      [`${day(1)}T09:30:00`, 1],
      [`${day(2)}T09:30:00`, 2],
    ]);
    await s().loadMoreProfileEvents();
    const all = h.state().profileCard?.events?.items ?? [];
    expect(all.map((e) => e.amount)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    await s().loadMoreProfileEvents();
    expect(h.state().profileCard?.events?.items).toHaveLength(25);

    expect(card?.interactions?.segments.map((x) => x.name)).toEqual(['Everyone']);
    expect(card?.interactions?.campaigns).toEqual([
      { campaignId: campaign.id, name: 'Spring', status: 'inactive', group: 'audience', since: null, forced: false },
    ]);

    // Another profile: its own events only.
    await s().openProfileCard('P0000002');
    expect(h.state().profileCard?.events?.items.map((e) => [e.profileId, e.type])).toEqual([['P0000002', 'open']]);
  });
});
