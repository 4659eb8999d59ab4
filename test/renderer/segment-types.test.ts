import { afterEach, describe, expect, it } from 'vitest';
import { campaignChecks } from '../../renderer/store/campaigns/selectors';
import { membershipEditCheck, scheduleWords, segmentDialogProblem } from '../../renderer/store/segments/selectors';
import { recalcSentence, recalcSummary } from '../../renderer/store/segments/recalc-slice';
import { waitForState, type StoreHarness } from './helpers/in-process';
import { plannedProject } from './helpers/planning';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

describe('updatable and dynamic segments through the store, on a real engine', () => {
  it('the dialog creates an updatable segment with the schedule of its controls; Recalculate now and the History follow', async () => {
    const p = await plannedProject(120);
    harness = p.h;
    const { h } = p;
    const s = () => h.store.getState();

    s().openSegmentDialog({ databaseId: p.databaseId });
    s().setSegmentDraft({ name: 'Big n', type: 'updatable', schedule: { kind: 'weekly', hours: '6', time: '09:30', weekdays: [], day: '1' } });
    s().setConditionMode('text');
    s().setConditionText('n > 100');
    expect(segmentDialogProblem(h.state())).toBe('Tick at least one weekday.');
    s().setSegmentDraft({ schedule: { kind: 'weekly', hours: '6', time: '09:30', weekdays: ['thu', 'mon'], day: '1' } });
    expect(segmentDialogProblem(h.state())).toBeNull();
    const size = (await h.engine.client.call('segment/preview', { databaseId: p.databaseId, where: 'n > 100', limit: 0 })).total;
    const change = await s().createSegmentFromDialog();
    const segment = change!.segment;
    expect(segment).toMatchObject({ kind: 'updatable', where: 'n > 100', schedule: 'weekly mon,thu 09:30', size, lastRecalculation: { number: 1, reason: 'created' } });
    expect(scheduleWords(segment.schedule!)).toBe('Every Monday and Thursday at 09:30');
    expect(membershipEditCheck(segment)).toMatchObject({ allowed: false, reason: expect.stringMatching(/cannot be edited by hand/) });

    const result = await s().recalculateSegment(segment.id);
    expect(result?.recalculation).toMatchObject({ number: 2, reason: 'manual', size, joined: 0, left: 0 });
    expect(recalcSentence(result!)).toMatch(new RegExp(`^Recalculation 2 on .*: ${size.toLocaleString('en-US')} profiles, 0 joined, 0 left\\.$`));
    expect(h.state().segmentRecalc).toMatchObject({ segmentId: segment.id, running: false, error: null });
    const history = await waitForState(h.store, (st) => st.segmentHistory?.rows?.length === 2);
    expect(history.segmentHistory?.rows?.map((r) => [r.number, r.reason])).toEqual([
      [2, 'manual'],
      [1, 'created'],
    ]);

    // The clock moves past the next due time: the next recalculation shown moves with it.
    const next = segment.nextRecalculation!;
    await s().advanceClock(next);
    expect(h.state().segments!.find((x) => x.id === segment.id)!.nextRecalculation! > next).toBe(true);

    // A campaign on it: manual addition refused by the shared status machine, with the guide's reason.
    const campaign = await s().createCampaign({ name: 'On big n', databaseId: p.databaseId, segmentId: segment.id, attributes: {}, lcg: { percent: '10', limit: null, strata: [] }, seed: 's' });
    await s().loadSegments();
    const stored = h.state().segments!.find((x) => x.id === segment.id)!;
    expect(campaignChecks(campaign!, stored).addProfiles).toMatchObject({ allowed: false, reason: expect.stringMatching(/updatable segment/) });
  });

  it('a dynamic segment from the dialog, refused hand edits', async () => {
    const p = await plannedProject(60);
    harness = p.h;
    const { h } = p;
    const s = () => h.store.getState();
    s().openSegmentDialog({ databaseId: p.databaseId });
    s().setSegmentDraft({ name: 'Kazan', type: 'dynamic' });
    expect(segmentDialogProblem(h.state())).toMatch(/Add a condition/);
    s().setConditionMode('text');
    s().setConditionText('city is "Kazan"');
    const change = await s().createSegmentFromDialog();
    expect(change?.segment).toMatchObject({ kind: 'dynamic', where: 'city is "Kazan"', schedule: null });
    expect(membershipEditCheck(change!.segment)).toMatchObject({ allowed: false, reason: expect.stringMatching(/dynamic segment/) });
  });
});

describe('a recalculation in words', () => {
  it('gives its counts with thousands separators, and one profile in the singular', () => {
    const r = { number: 1, clock: '2026-12-05T01:58', at: '2026-12-05T01:58:00.000Z', reason: 'created', size: 14088, joined: 14088, left: 1200 } as const;
    expect(recalcSummary(r)).toBe('14,088 profiles, 14,088 joined, 1,200 left');
    expect(recalcSummary({ ...r, size: 1, joined: 1, left: 0 })).toBe('1 profile, 1 joined, 0 left');
  });
});
