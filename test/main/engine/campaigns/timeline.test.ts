/**
 * A campaign's timeline (issue 11): every change of its groups is logged on the project
 * clock (campaign_sizes), one row per moment; `campaign/timeline` gives the sizes, the
 * profiles that joined and left at each moment and the activity runs; `campaign/events`
 * with a clock lists one moment's events. Files without the log fall back to the sizes
 * after the first build and now.
 */
import { describe, expect, it } from 'vitest';
import { contract } from '../../../../shared/contract/index';
import { addEvents, setClock } from '../conditions/helpers';
import { startCampaignProject, type CampaignProject } from './helpers';

const BUYERS = 'event purchase in last 7 days';
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `p${from + i}`);

/** 40 profiles on Monday 2023-04-10 10:00; p1-p20 bought on Sunday 9 April; a campaign (LCG 50 %) on "bought in the last 7 days". */
async function shop(): Promise<{ t: CampaignProject; campaignId: number; segmentId: number }> {
  const t = await startCampaignProject();
  t.generate(40);
  setClock(t.db(), '2023-04-10T10:00');
  addEvents(t.db(), t.databaseId, range(1, 20).map((id) => [id, 'purchase', '2023-04-09T12:00:00'] as [string, string, string]));
  const { segment } = await t.call('segment/create', { databaseId: t.databaseId, name: 'Buyers', type: 'updatable', schedule: 'weekly mon 10:00', from: { kind: 'condition', where: BUYERS } });
  const campaignId = await t.campaign(segment.id, { percent: '50', limit: null, strata: [] });
  return { t, campaignId, segmentId: segment.id };
}

/** Monday 17 April 10:00: p1-p5 bought again on Sunday, p21-p24 for the first time; the segment is recalculated (the campaign follows). */
async function nextWeek(t: CampaignProject, segmentId: number) {
  setClock(t.db(), '2023-04-17T10:00');
  addEvents(t.db(), t.databaseId, [...range(1, 5), ...range(21, 24)].map((id) => [id, 'purchase', '2023-04-16T08:00:00'] as [string, string, string]));
  return t.call('segment/recalculate', { segmentId });
}

const sizesLog = (t: CampaignProject, campaignId: number) =>
  t.db().all<{ seq: number; clock: string; test: number; control: number }>('SELECT seq, clock, test, control FROM campaign_sizes WHERE campaign_id = ? ORDER BY seq', [campaignId]);

async function groups(t: CampaignProject, campaignId: number) {
  const { test, control } = (await t.call('campaign/get', { campaignId })).campaign.groups;
  return { test, control };
}

describe('the sizes log', () => {
  it('has a row per moment the groups changed: activation, a recalculation follow-up with joined and left, completion', async () => {
    const { t, campaignId, segmentId } = await shop();
    expect(sizesLog(t, campaignId)).toEqual([]);
    await t.call('campaign/activate', { campaignId });
    expect(sizesLog(t, campaignId)).toEqual([{ seq: 1, clock: '2023-04-10T10:00', test: 10, control: 10 }]);

    // A week on: p1-p5 bought again, p21-p24 are new buyers; p6-p20 leave, p21-p24 join.
    const followed = await nextWeek(t, segmentId);
    expect(followed.campaigns).toEqual([{ campaignId, name: 'Spring', joined: 4, left: 15 }]);
    const after = await groups(t, campaignId);
    expect(after.test + after.control).toBe(9);
    // Leavers taken off, then newcomers added: one row for the moment, with its last totals.
    expect(sizesLog(t, campaignId)).toEqual([
      { seq: 1, clock: '2023-04-10T10:00', test: 10, control: 10 },
      { seq: 2, clock: '2023-04-17T10:00', ...after },
    ]);

    // Nothing changes at the next recalculation: no row.
    setClock(t.db(), '2023-04-17T12:00');
    await t.call('segment/recalculate', { segmentId });
    expect(sizesLog(t, campaignId)).toHaveLength(2);

    setClock(t.db(), '2023-04-18T09:00');
    await t.call('campaign/complete', { campaignId });
    expect(sizesLog(t, campaignId)).toEqual([
      { seq: 1, clock: '2023-04-10T10:00', test: 10, control: 10 },
      { seq: 2, clock: '2023-04-17T10:00', ...after },
      { seq: 3, clock: '2023-04-18T09:00', test: 0, control: 0 },
    ]);
  });

  it('logs an LCG removal (everyone to Test) and a manual addition on a static segment', async () => {
    const t = await startCampaignProject();
    t.generate(30);
    setClock(t.db(), '2023-05-01T09:00');
    const segmentId = t.segment('Static', range(1, 20));
    const campaignId = await t.campaign(segmentId, { percent: '25', limit: null, strata: [] });
    await t.call('campaign/activate', { campaignId });
    setClock(t.db(), '2023-05-02T09:00');
    await t.call('campaign/addProfiles', { campaignId, profileIds: range(21, 24) });
    const added = await groups(t, campaignId);
    setClock(t.db(), '2023-05-03T09:00');
    await t.call('campaign/setLcg', { campaignId, lcg: { percent: null, limit: null, strata: [] } });
    expect(sizesLog(t, campaignId).map(({ clock, test, control }) => ({ clock, test, control }))).toEqual([
      { clock: '2023-05-01T09:00', test: 15, control: 5 },
      { clock: '2023-05-02T09:00', ...added },
      { clock: '2023-05-03T09:00', test: 24, control: 0 },
    ]);
    expect(added.test + added.control).toBe(24);
  });
});

describe('campaign/timeline', () => {
  it('gives a point per moment with the sizes then and who joined and left, and the runs of its activities', async () => {
    const { t, campaignId, segmentId } = await shop();
    expect(await t.call('campaign/timeline', { campaignId })).toEqual({ points: [], runs: [] });
    await t.call('campaign/activate', { campaignId });
    await nextWeek(t, segmentId);
    const week2 = await groups(t, campaignId);
    setClock(t.db(), '2023-04-18T09:00');
    await t.call('campaign/complete', { campaignId });

    // Runs: one recorded by hand before format 10 (kind defaults to manual), one on a schedule.
    const activityId = Number(t.db().scalar('SELECT id FROM activities WHERE campaign_id = ?', [campaignId]));
    t.db().run("INSERT INTO activity_runs (activity_id, campaign_id, clock, test, control, expanded) VALUES (?, ?, '2023-04-10T12:00', 10, 0, 0)", [activityId, campaignId]);
    t.db().run("INSERT INTO activity_runs (activity_id, campaign_id, clock, test, control, expanded, kind) VALUES (?, ?, '2023-04-17T10:00', 5, 0, 0, 'schedule')", [activityId, campaignId]);

    const timeline = await t.call('campaign/timeline', { campaignId });
    expect(contract['campaign/timeline'].result.parse(timeline)).toEqual(timeline);
    expect(timeline.points).toEqual([
      { clock: '2023-04-10T10:00', test: 10, control: 10, joined: 20, left: 0 },
      { clock: '2023-04-17T10:00', ...week2, joined: 4, left: 15 },
      { clock: '2023-04-18T09:00', test: 0, control: 0, joined: 0, left: 9 },
    ]);
    expect(timeline.runs.map(({ activityId: a, name, type, kind, clock, test, control }) => ({ a, name, type, kind, clock, test, control }))).toEqual([
      { a: activityId, name: `broadcast of ${campaignId}`, type: 'broadcast', kind: 'manual', clock: '2023-04-10T12:00', test: 10, control: 0 },
      { a: activityId, name: `broadcast of ${campaignId}`, type: 'broadcast', kind: 'schedule', clock: '2023-04-17T10:00', test: 5, control: 0 },
    ]);
  });

  it('campaign/events with a clock lists only that moment\'s events', async () => {
    const { t, campaignId, segmentId } = await shop();
    await t.call('campaign/activate', { campaignId });
    await nextWeek(t, segmentId);

    const moment = await t.call('campaign/events', { campaignId, clock: '2023-04-17T10:00', offset: 0, limit: 100 });
    expect(moment.events.every((e) => e.clock === '2023-04-17T10:00')).toBe(true);
    expect(moment.events.filter((e) => e.kind === 'profile_joined').map((e) => e.profileId).sort()).toEqual(range(21, 24).sort());
    expect(moment.events.filter((e) => e.kind === 'campaign_exit').map((e) => e.profileId).sort()).toEqual(range(6, 20).sort());
    const all = await t.call('campaign/events', { campaignId, offset: 0, limit: 1000 });
    expect(moment.total).toBe(all.events.filter((e) => e.clock === '2023-04-17T10:00').length);
    expect(moment.total).toBeLessThan(all.total);

    const exits = await t.call('campaign/events', { campaignId, clock: '2023-04-17T10:00', kinds: ['campaign_exit'], offset: 0, limit: 5 });
    expect(exits.total).toBe(15);
    expect(exits.events).toHaveLength(5);
    expect((await t.call('campaign/events', { campaignId, clock: '2023-04-11T10:00', offset: 0, limit: 10 })).total).toBe(0);
  });

  it('without a sizes log (a file written before format 10): the sizes each build left, and now', async () => {
    const { t, campaignId, segmentId } = await shop();
    await t.call('campaign/activate', { campaignId });
    await nextWeek(t, segmentId);
    const now = await groups(t, campaignId);
    setClock(t.db(), '2023-04-20T08:00');
    t.db().run('DELETE FROM campaign_sizes');

    expect((await t.call('campaign/timeline', { campaignId })).points).toEqual([
      { clock: '2023-04-10T10:00', test: 10, control: 10, joined: 20, left: 0 },
      { clock: '2023-04-17T10:00', ...now, joined: 4, left: 15 },
      { clock: '2023-04-20T08:00', ...now, joined: 0, left: 0 },
    ]);
    // Completed: the last point is the completion, everyone gone.
    setClock(t.db(), '2023-04-21T08:00');
    await t.call('campaign/complete', { campaignId });
    t.db().run('DELETE FROM campaign_sizes');
    expect((await t.call('campaign/timeline', { campaignId })).points.slice(2)).toEqual([{ clock: '2023-04-21T08:00', test: 0, control: 0, joined: 0, left: 9 }]);
  });

  it('played forward on the clock: a point at each recalculation the campaign followed, each run at its own time', async () => {
    const t = await startCampaignProject();
    t.generate(10);
    setClock(t.db(), '2023-04-06T09:00');
    addEvents(t.db(), t.databaseId, [
      ['p2', 'purchase', '2023-04-05T10:00:00'],
      ['p1', 'purchase', '2023-04-09T12:00:00'],
      ['p1', 'purchase', '2023-04-20T10:00:00'],
    ]);
    const { segment } = await t.call('segment/create', { databaseId: t.databaseId, name: 'Buyers', type: 'updatable', schedule: 'weekly mon 10:00', from: { kind: 'condition', where: BUYERS } });
    const campaign = await t.call('campaign/create', { name: 'Spring', databaseId: t.databaseId, segmentId: segment.id, seed: 'april', lcg: { percent: '10', limit: null, strata: [] } });
    const weekly = await t.call('activity/create', { databaseId: t.databaseId, campaignId: campaign.id, type: 'regular_mailing', name: 'Weekly digest' });
    await t.call('campaign/activate', { campaignId: campaign.id });
    await t.call('activity/launch', { activityId: weekly.id, timing: { kind: 'schedule', schedule: 'weekly tue 09:00' } });
    await t.call('clock/advance', { to: '2023-04-25T00:00', step: '1w' });

    const timeline = await t.call('campaign/timeline', { campaignId: campaign.id });
    expect(timeline.points).toEqual([
      { clock: '2023-04-06T09:00', test: 1, control: 0, joined: 1, left: 0 },
      { clock: '2023-04-10T10:00', test: 2, control: 0, joined: 1, left: 0 },
      { clock: '2023-04-17T10:00', test: 0, control: 0, joined: 0, left: 2 },
      { clock: '2023-04-24T10:00', test: 1, control: 0, joined: 1, left: 0 },
    ]);
    const runs = timeline.runs.filter((r) => r.activityId === weekly.id);
    expect(runs.every((r) => r.kind === 'schedule' && r.name === 'Weekly digest' && r.type === 'regular_mailing')).toBe(true);
    expect(runs.find((r) => r.clock === '2023-04-11T09:00')).toMatchObject({ test: 2, control: 0 });
    const joined = await t.call('campaign/events', { campaignId: campaign.id, clock: '2023-04-24T10:00', kinds: ['profile_joined'], offset: 0, limit: 10 });
    expect(joined.events.map((e) => e.profileId)).toEqual(['p1']);
  });
});
