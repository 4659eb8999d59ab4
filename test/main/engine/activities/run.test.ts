/**
 * Running activities on the real engine: the guide's intersection examples (a 100-profile
 * campaign, a 60-profile activity segment sharing 40 of them), groups, audience expansion,
 * runs and their events, repeated runs, and the refusals.
 */
import { describe, expect, it } from 'vitest';
import { expectEngineError } from '../../../helpers/engine';
import { recipientsOf, startActivityProject, type ActivityProject } from './helpers';

/** The guide's setup: the campaign on p001-p100, the activity's segment p061-p120 (40 shared), LCG 10 %. */
async function guideSetup(activity: { ignoreLcg?: boolean; audienceExpansion?: boolean; segment?: [number, number] } = {}) {
  const t = await startActivityProject(200);
  const campaignSegment = await t.segment('Campaign audience', t.ids(1, 100));
  const [from, to] = activity.segment ?? [61, 120];
  const activitySegment = await t.segment('Activity segment', t.ids(from, to));
  const campaign = await t.campaign('Spring', campaignSegment);
  const mailing = await t.activity('Mailing', {
    campaignId: campaign.id,
    segmentId: activitySegment,
    ...(activity.ignoreLcg ? { ignoreLcg: true } : {}),
    ...(activity.audienceExpansion ? { audienceExpansion: true } : {}),
  });
  await t.call('campaign/activate', { campaignId: campaign.id });
  return { t, campaign, mailing, members: await t.members(campaign.id) };
}

const count = (members: Map<string, string>, ids: readonly string[], group?: string) =>
  ids.filter((id) => members.has(id) && (group === undefined || members.get(id) === group)).length;

describe("the guide's intersection examples", () => {
  it('a 100-profile campaign and a 60-profile segment sharing 40 reach those 40 when the activity ignores the LCG', async () => {
    const { t, mailing, members } = await guideSetup({ ignoreLcg: true });
    expect(members.size).toBe(100);
    const shared = t.ids(61, 100);
    const run = await t.call('activity/run', { activityId: mailing.id });
    expect(run.test + run.control).toBe(40);
    expect(run.test).toBe(count(members, shared, 'test'));
    expect(run.control).toBe(count(members, shared, 'control'));
    expect(run.expanded).toBe(0);
    const recipients = await recipientsOf(t, run.id);
    expect([...recipients.keys()].sort()).toEqual(shared);
    for (const [id, [group]] of recipients) expect(group).toBe(members.get(id));
  });

  it('with an LCG, only the Test part of the 40 is reached', async () => {
    const { t, mailing, members } = await guideSetup();
    const shared = t.ids(61, 100);
    const inControl = count(members, shared, 'control');
    expect(inControl).toBeGreaterThan(0); // the example means something: some of the 40 are in the LCG
    const run = await t.call('activity/run', { activityId: mailing.id });
    expect(run).toMatchObject({ test: 40 - inControl, control: 0, expanded: 0 });
    const recipients = await recipientsOf(t, run.id);
    expect([...recipients.keys()].sort()).toEqual(shared.filter((id) => members.get(id) === 'test'));
  });

  it('with no overlap, nobody is reached', async () => {
    const { t, mailing } = await guideSetup({ ignoreLcg: true, segment: [101, 160] });
    const run = await t.call('activity/run', { activityId: mailing.id });
    expect(run).toMatchObject({ test: 0, control: 0, expanded: 0 });
    expect((await t.call('activity/recipients', { runId: run.id })).total).toBe(0);
  });

  it('with audience expansion, the other 20 are added to the campaign and split, then reached (their Test part)', async () => {
    const { t, campaign, mailing, members: before } = await guideSetup({ audienceExpansion: true });
    const run = await t.call('activity/run', { activityId: mailing.id });
    const after = await t.members(campaign.id);
    expect(run.expanded).toBe(20);
    expect(after.size).toBe(120);
    // Sticky: nobody already in the campaign moved.
    for (const [id, group] of before) expect(after.get(id)).toBe(group);
    // Split: the LCG is 10 % of the grown audience, the shortfall filled from the 20 new profiles.
    expect(count(after, t.ids(1, 120), 'control')).toBe(12);
    expect(count(after, t.ids(101, 120), 'control')).toBe(12 - count(before, t.ids(1, 100), 'control'));
    const reached = t.ids(61, 120).filter((id) => after.get(id) === 'test');
    expect(run).toMatchObject({ test: reached.length, control: 0 });
    expect([...(await recipientsOf(t, run.id)).keys()].sort()).toEqual(reached);
    const detail = await t.call('campaign/get', { campaignId: campaign.id });
    expect(detail.versions.map((v) => v.reason)).toContain('expansion');
    // The campaign's segment now holds the 20 as well.
    const segment = (await t.call('segment/list', { databaseId: t.databaseId })).find((s) => s.name === 'Campaign audience');
    expect(segment?.size).toBe(120);
  });

  it('expansion with the LCG ignored reaches all 60', async () => {
    const { t, mailing } = await guideSetup({ audienceExpansion: true, ignoreLcg: true });
    const run = await t.call('activity/run', { activityId: mailing.id });
    expect(run.expanded).toBe(20);
    expect(run.test + run.control).toBe(60);
  });
});

describe('runs', () => {
  it('without a segment, an activity reaches the whole campaign audience (Test only)', async () => {
    const t = await startActivityProject(50);
    const campaign = await t.campaign('All', await t.segment('All', t.ids(1, 50)));
    const activity = await t.activity('Newsletter', { campaignId: campaign.id, type: 'regular_mailing' });
    await t.call('campaign/activate', { campaignId: campaign.id });
    const run = await t.call('activity/run', { activityId: activity.id });
    expect(run).toMatchObject({ test: 45, control: 0 });
  });

  it('records each run with its counts and the clock, as an event too; a broadcast runs once, a mailing again', async () => {
    const t = await startActivityProject(50);
    const campaign = await t.campaign('C', await t.segment('All', t.ids(1, 50)));
    const broadcast = await t.activity('Once', { campaignId: campaign.id, type: 'broadcast' });
    const mailing = await t.activity('Weekly', { campaignId: campaign.id, type: 'regular_mailing', ignoreLcg: true });
    await t.call('campaign/activate', { campaignId: campaign.id });
    const clock = (await t.call('project/state', {})) as { clock: string };

    const first = await t.call('activity/run', { activityId: broadcast.id });
    expect(first).toMatchObject({ activityId: broadcast.id, campaignId: campaign.id, clock: clock.clock, test: 45, control: 0, variants: {} });
    const [done] = (await t.call('activity/list', { campaignId: campaign.id })).filter((a) => a.id === broadcast.id);
    expect(done).toMatchObject({ status: 'completed', launched: true, runs: [first] });
    const again = await expectEngineError(t.call('activity/run', { activityId: broadcast.id }), 'REFUSED');
    expect(again.message).toBe('"Once" is a broadcast and has already been sent: a broadcast runs once.');

    await t.call('clock/advance', { to: '2027-01-04T09:00' });
    const w1 = await t.call('activity/run', { activityId: mailing.id });
    await t.call('clock/advance', { to: '2027-01-11T09:00' });
    const w2 = await t.call('activity/run', { activityId: mailing.id });
    expect([w1.clock, w2.clock]).toEqual(['2027-01-04T09:00', '2027-01-11T09:00']);
    expect([w1.test + w1.control, w2.test + w2.control]).toEqual([50, 50]);
    const weekly = (await t.call('activity/list', { campaignId: campaign.id })).find((a) => a.id === mailing.id)!;
    expect(weekly).toMatchObject({ status: 'active', launched: true });
    expect(weekly.runs.map((r) => r.id)).toEqual([w1.id, w2.id]);

    const events = await t.call('campaign/events', { campaignId: campaign.id, kinds: ['activity_run'] });
    expect(events.total).toBe(3);
    expect(events.events[0]).toMatchObject({ clock: '2027-01-11T09:00', kind: 'activity_run' });
    expect(events.events[0]!.text).toBe('Regular mailing "Weekly" ran: 45 test, 5 LCG');
  });

  it('runs only in an active campaign, and not from the external list', async () => {
    const t = await startActivityProject(20);
    const campaign = await t.campaign('C', await t.segment('All', t.ids(1, 20)));
    const activity = await t.activity('A', { campaignId: campaign.id });
    expect((await expectEngineError(t.call('activity/run', { activityId: activity.id }), 'REFUSED')).message).toBe('Activities run only while the campaign is active.');
    const external = await t.activity('Loose', {});
    expect((await expectEngineError(t.call('activity/run', { activityId: external.id }), 'REFUSED')).message).toMatch(/external list: attach it to a campaign/);
    await t.call('campaign/activate', { campaignId: campaign.id });
    await t.call('campaign/deactivate', { campaignId: campaign.id });
    await expectEngineError(t.call('activity/run', { activityId: activity.id }), 'REFUSED');
    await t.call('campaign/activate', { campaignId: campaign.id });
    await t.call('campaign/complete', { campaignId: campaign.id });
    expect((await expectEngineError(t.call('activity/run', { activityId: activity.id }), 'REFUSED')).message).toMatch(/completed and can never run again/);
    expect((await t.call('activity/list', { campaignId: campaign.id }))[0]!.status).toBe('completed');
  });

  it('refuses a paused activity, and expansion in a run when it cannot apply', async () => {
    const t = await startActivityProject(20);
    const campaign = await t.campaign('C', await t.segment('All', t.ids(1, 20)));
    const activity = await t.activity('A', { campaignId: campaign.id, type: 'regular_mailing' });
    await t.call('campaign/activate', { campaignId: campaign.id });
    // The campaign engine pauses it while an active campaign's audience is rebuilt.
    t.db().run("UPDATE activities SET status = 'paused' WHERE id = ?", [activity.id]);
    expect((await expectEngineError(t.call('activity/run', { activityId: activity.id }), 'REFUSED')).message).toMatch(/paused while the campaign's audience is rebuilt/);
  });

  it('a failed run changes nothing', async () => {
    const t = await startActivityProject(20);
    const campaign = await t.campaign('C', await t.segment('All', t.ids(1, 20)));
    const activity = await t.activity('A', { campaignId: campaign.id });
    await t.call('campaign/activate', { campaignId: campaign.id });
    // The A/B variants of a broadcast would be refused at creation; force a broken row to make the run fail midway.
    t.db().run("UPDATE activities SET type = 'ab_test', variants = '[{\"name\":\"A\",\"percent\":70}]' WHERE id = ?", [activity.id]);
    await expect(t.call('activity/run', { activityId: activity.id })).rejects.toThrow(/100 %/);
    expect(Number(t.db().scalar('SELECT COUNT(*) FROM activity_runs'))).toBe(0);
    expect(Number(t.db().scalar('SELECT COUNT(*) FROM activity_recipients'))).toBe(0);
    expect(Number(t.db().scalar('SELECT launched FROM activities WHERE id = ?', [activity.id]))).toBe(0);
  });
});

describe('recipients', () => {
  it('pages through a run with each recipient\'s group, and exports the run to CSV', async () => {
    const t: ActivityProject = await startActivityProject(30);
    const campaign = await t.campaign('C', await t.segment('All', t.ids(1, 30)));
    const activity = await t.activity('Receipt', { campaignId: campaign.id, ignoreLcg: true });
    await t.call('campaign/activate', { campaignId: campaign.id });
    const run = await t.call('activity/run', { activityId: activity.id });
    const page = await t.call('activity/recipients', { runId: run.id, offset: 10, limit: 5 });
    expect(page).toMatchObject({ databaseId: t.databaseId, total: 30, offset: 10 });
    expect(page.rows.map((r) => r.profileId)).toEqual(t.ids(11, 15));
    expect(page.groups).toHaveLength(5);
    expect(page.variants).toEqual([null, null, null, null, null]);
    expect(page.fieldIds).toEqual([t.field('gender').id]);
    await expectEngineError(t.call('activity/recipients', { runId: 999 }), 'NOT_FOUND');

    const path = `${t.dir}/run.csv`;
    const exported = await t.call('export/profiles', { databaseId: t.databaseId, path, scope: { kind: 'run', runId: run.id } });
    expect(exported.rows).toBe(30);
  });
});
