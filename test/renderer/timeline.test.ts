/**
 * The Timeline tab's store and rules: the moments (points and run times, sizes held from one
 * point to the next), the time axis's ticks, and loading a campaign's timeline and one
 * moment's events from a real engine, kept across a reload and dropped with the project.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TimelinePoint, TimelineRun } from '../../shared/contract/clock';
import { axisTickText, clockMs, msClock, runText, timeTicks, timelineMoments } from '../../renderer/store/timeline/selectors';
import type { StoreHarness } from './helpers/in-process';
import { answerNext, plannedProject } from './helpers/planning';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

const point = (clock: string, test: number, control: number, joined = 0, left = 0): TimelinePoint => ({ clock, test, control, joined, left });
const run = (clock: string, runId: number, kind: TimelineRun['kind'] = 'schedule'): TimelineRun => ({
  runId,
  activityId: 7,
  name: 'Weekly digest',
  type: 'regular_mailing',
  kind,
  clock,
  test: 812,
  control: 0,
});

describe('timeline moments and axis', () => {
  it('merges points and run times in order; a run between points has the sizes of the point before it', () => {
    const moments = timelineMoments(
      [point('2023-04-10T10:00', 90, 10, 100), point('2023-04-17T10:00', 80, 9, 0, 11)],
      [run('2023-04-11T09:00', 1), run('2023-04-17T10:00', 2, 'audience_change'), run('2023-04-11T09:00', 3, 'trigger')],
    );
    expect(moments.map((m) => [m.clock, m.test, m.control, m.joined, m.left, m.runs.map((r) => r.runId), m.changed])).toEqual([
      ['2023-04-10T10:00', 90, 10, 100, 0, [], true],
      ['2023-04-11T09:00', 90, 10, 0, 0, [1, 3], false],
      ['2023-04-17T10:00', 80, 9, 0, 11, [2], true],
    ]);
    expect(runText(run('2023-04-11T09:00', 1))).toBe('Weekly digest (Regular mailing), on schedule: Test 812, LCG 0 reached');
  });

  it('ticks on Mondays over weeks, on midnights over days, on hours within one; the clock reads back', () => {
    const weeks = timeTicks([clockMs('2023-04-06T09:00'), clockMs('2023-05-20T00:00')]);
    expect(weeks.map(msClock)).toEqual(['2023-04-10T00:00', '2023-04-17T00:00', '2023-04-24T00:00', '2023-05-01T00:00', '2023-05-08T00:00', '2023-05-15T00:00']);
    expect(timeTicks([clockMs('2023-04-06T09:00'), clockMs('2023-04-11T12:00')]).map(msClock)).toEqual(['2023-04-07T00:00', '2023-04-08T00:00', '2023-04-09T00:00', '2023-04-10T00:00', '2023-04-11T00:00']);
    expect(timeTicks([clockMs('2023-04-06T09:30'), clockMs('2023-04-06T13:00')]).map(msClock)).toEqual(['2023-04-06T10:00', '2023-04-06T11:00', '2023-04-06T12:00', '2023-04-06T13:00']);
    expect(axisTickText(clockMs('2023-04-17T10:00'), 30 * 86_400_000, false)).toBe('17 Apr');
    expect(axisTickText(clockMs('2023-04-17T10:00'), 86_400_000, false)).toBe('17 Apr 10:00');
    expect(axisTickText(clockMs('2024-01-01T00:00'), 90 * 86_400_000, true)).toBe('1 Jan 2024');
  });
});

describe('the timeline in the store', () => {
  it("loads a campaign's points and a moment's events; a reload keeps the moment; another project drops both", async () => {
    const p = await plannedProject(40);
    harness = p.h;
    const { client } = p.h.engine;
    const s = () => p.h.store.getState();
    const campaign = await client.call('campaign/create', { name: 'Spring', databaseId: p.databaseId, segmentId: p.segment.id, seed: 'tl', lcg: { percent: '10', limit: null, strata: [] } });
    await client.call('activity/create', { databaseId: p.databaseId, campaignId: campaign.id, type: 'broadcast', name: 'Hello' });

    await s().loadTimeline(campaign.id);
    expect(s().timeline).toMatchObject({ campaignId: campaign.id, points: [], runs: [], loading: false, error: null });

    await client.call('campaign/activate', { campaignId: campaign.id });
    await s().loadTimeline(campaign.id);
    const [first] = s().timeline?.points ?? [];
    expect(first).toMatchObject({ test: 36, control: 4, joined: 40, left: 0 });
    await s().pickTimelineMoment(campaign.id, first!.clock);
    const moment = s().timelineMoment;
    expect(moment?.loading).toBe(false);
    expect(moment?.events.length).toBeGreaterThan(0);
    expect(moment?.events.every((e) => e.clock === first!.clock)).toBe(true);
    expect(moment?.events.map((e) => e.kind)).toContain('activated');

    // A day later three profiles leave the segment: a second point; the picked moment stays, read again.
    const later = msClock(clockMs(first!.clock) + 86_400_000);
    await client.call('clock/advance', { to: later });
    await client.call('segment/removeProfiles', { segmentId: p.segment.id, profileIds: ['P0000001', 'P0000002', 'P0000003'] });
    await s().loadTimeline(campaign.id);
    expect(s().timeline?.points.map((pt) => [pt.clock, pt.test + pt.control, pt.left])).toEqual([
      [first!.clock, 40, 0],
      [later, 37, 3],
    ]);
    expect(s().timelineMoment).toMatchObject({ campaignId: campaign.id, clock: first!.clock, loading: false });

    const closing = s().newProject();
    await answerNext(p.h, 'discard');
    await closing;
    expect(s().timeline).toBeNull();
    expect(s().timelineMoment).toBeNull();
  });
});
