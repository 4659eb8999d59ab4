/**
 * The guide's activity rules where the product used to differ: marketing runs never reach
 * unsubscribed, bounced or unconfirmed profiles (a transactional activity may ignore
 * subscription), runs say who they left out and why, audience expansion says before a run
 * which campaigns share the segment and after it which gained profiles, and the move rule
 * (shared with the app) refuses scenarios with profiles.
 */
import { describe, expect, it } from 'vitest';
import { checkMove } from '../../../../shared/domain/activity-move';
import type { CampaignFacts } from '../../../../shared/domain/campaign-status';
import { copyActivities } from '../../../../main/engine/activities/repository';
import { expectEngineError } from '../../../helpers/engine';
import { recipientsOf, startActivityProject, type ActivityProject } from './helpers';

/** Sets the subscription status of profiles by ID. */
function setStatus(t: ActivityProject, ids: readonly string[], status: string): void {
  t.db().run(`UPDATE profiles_${t.databaseId} SET subscription = ? WHERE profile_id IN (SELECT value FROM json_each(?))`, [status, JSON.stringify(ids)]);
}

describe('subscription and who a run leaves out', () => {
  it('a marketing run reaches subscribed profiles only and counts the others out by reason', async () => {
    const t = await startActivityProject(200);
    await t.call('gcg/set', { databaseId: t.databaseId, percent: '10', seed: 'g' });
    const campaignSegment = await t.segment('Audience', t.ids(1, 100));
    const activitySegment = await t.segment('Moscow', t.ids(41, 140));
    const campaign = await t.campaign('Spring', campaignSegment);
    const mailing = await t.activity('Mailing', { campaignId: campaign.id, segmentId: activitySegment });
    await t.call('campaign/activate', { campaignId: campaign.id });
    const members = await t.members(campaign.id);
    const inSegment = t.ids(41, 100).filter((id) => members.has(id));
    const testInSegment = inSegment.filter((id) => members.get(id) === 'test');
    const [unsub, bounced, unconfirmed] = [testInSegment.slice(0, 3), testInSegment.slice(3, 5), testInSegment.slice(5, 6)];
    setStatus(t, unsub, 'unsubscribed');
    setStatus(t, bounced, 'bounced');
    setStatus(t, unconfirmed, 'unconfirmed');
    // An LCG member that is unsubscribed counts as LCG: the first reason wins.
    setStatus(t, inSegment.filter((id) => members.get(id) === 'control').slice(0, 1), 'unsubscribed');

    const run = await t.call('activity/run', { activityId: mailing.id });
    const reached = testInSegment.length - 6;
    expect(run).toMatchObject({ test: reached, control: 0 });
    const gcgInReach = 60 - inSegment.length; // p41-p100 held by the GCG
    expect(gcgInReach).toBeGreaterThan(0);
    expect(run.leftOut).toEqual({
      gcg: gcgInReach,
      outsideSegment: members.size - inSegment.length,
      lcg: inSegment.length - testInSegment.length,
      unsubscribed: 3,
      bounced: 2,
      unconfirmed: 1,
    });
    // Everyone in the campaign is either reached or counted out once.
    const left = run.leftOut!;
    expect(run.test + run.control + left.outsideSegment + left.lcg + left.unsubscribed + left.bounced + left.unconfirmed).toBe(members.size);
    const recipients = await recipientsOf(t, run.id);
    for (const id of [...unsub, ...bounced, ...unconfirmed]) expect(recipients.has(id)).toBe(false);
    const event = (await t.call('campaign/events', { campaignId: campaign.id, kinds: ['activity_run'] })).events[0]!;
    expect(event.text).toContain(`left out: ${gcgInReach} in the global control group, ${left.outsideSegment} outside the activity's segment, ${left.lcg} in the LCG, 3 unsubscribed, 2 bounced, 1 unconfirmed`);
  });

  it('a transactional activity reaches the LCG, and with ignoreSubscription every status too', async () => {
    const t = await startActivityProject(50);
    const segment = await t.segment('All', t.ids(1, 50));
    const campaign = await t.campaign('Receipts', segment);
    await expectEngineError(t.activity('Marketing', { campaignId: campaign.id, ignoreSubscription: true }), 'REFUSED');
    const receipt = await t.activity('Receipt', { campaignId: campaign.id, type: 'triggered_mailing', ignoreLcg: true, ignoreSubscription: true });
    const lcgOnly = await t.activity('Notice', { campaignId: campaign.id, type: 'triggered_mailing', ignoreLcg: true });
    await t.call('campaign/activate', { campaignId: campaign.id });
    setStatus(t, t.ids(1, 10), 'unsubscribed');
    setStatus(t, t.ids(11, 12), 'bounced');

    const all = await t.call('activity/run', { activityId: receipt.id });
    expect(all.test + all.control).toBe(50);
    expect(all.leftOut).toEqual({ gcg: 0, outsideSegment: 0, lcg: 0, unsubscribed: 0, bounced: 0, unconfirmed: 0 });
    const subscribedOnly = await t.call('activity/run', { activityId: lcgOnly.id });
    expect(subscribedOnly.test + subscribedOnly.control).toBe(38);
    expect(subscribedOnly.leftOut).toMatchObject({ lcg: 0, unsubscribed: 10, bounced: 2 });

    // Turning the LCG back on turns ignoring subscription off with it; asking for both is refused.
    const updated = await t.call('activity/update', { activityId: receipt.id, ignoreLcg: false });
    expect(updated).toMatchObject({ ignoreLcg: false, ignoreSubscription: false });
    await expectEngineError(t.call('activity/update', { activityId: receipt.id, ignoreSubscription: true }), 'REFUSED');
  });
});

describe('audience expansion writes into the shared static segment', () => {
  it('says before the run which other active campaigns take the added profiles, and lists after it those that gained', async () => {
    const t = await startActivityProject(200);
    const shared = await t.segment('Shared', t.ids(1, 100));
    const extra = await t.segment('Extra', t.ids(81, 150));
    const spring = await t.campaign('Spring', shared);
    const summer = await t.campaign('Summer', shared);
    const idle = await t.campaign('Idle', shared);
    const expander = await t.activity('Expander', { campaignId: spring.id, segmentId: extra, audienceExpansion: true });
    await t.activity('Summer mail', { campaignId: summer.id });
    await t.activity('Idle mail', { campaignId: idle.id });
    await t.call('campaign/activate', { campaignId: spring.id });
    await t.call('campaign/activate', { campaignId: summer.id });

    const preview = await t.call('activity/previewRun', { activityId: expander.id });
    expect(preview).toEqual({
      expansion: { adding: 50, segmentName: 'Shared', sharedWith: [{ campaignId: summer.id, name: 'Summer' }] },
      warning:
        'Audience expansion adds 50 profiles to the campaign\'s segment "Shared" (that is why it works only on a static segment). The segment is shared: the active campaign "Summer" takes them too.',
    });
    const run = await t.call('activity/run', { activityId: expander.id });
    expect(run.expanded).toBe(50);
    expect(run.gainedCampaigns).toEqual([{ campaignId: summer.id, name: 'Summer', joined: 50 }]);
    expect((await t.members(summer.id)).size).toBe(150);
    expect((await t.members(idle.id)).size).toBe(0); // not active: it takes them when it is activated
    const again = await t.call('activity/previewRun', { activityId: expander.id });
    expect(again).toMatchObject({ expansion: { adding: 0 }, warning: null });
    const plain = await t.activity('Plain', { campaignId: spring.id });
    expect(await t.call('activity/previewRun', { activityId: plain.id })).toEqual({ expansion: null, warning: null });
  });
});

describe('moving activities: one rule for the engine and the app', () => {
  const facts = (over: Partial<CampaignFacts> = {}): CampaignFacts => ({ status: 'inactive', deleted: false, activityCount: 2, allocated: 0, segmentKind: 'static' as const, ...over });
  const side = (id: number, over: Partial<CampaignFacts> = {}) => ({ id, name: `C${id}`, databaseId: 1, facts: facts(over) });
  const move = (type: 'scenario' | 'broadcast', launched: boolean, to = side(2)) =>
    checkMove({ activity: { name: 'A', type, databaseId: 1, campaignId: 1, status: 'paused', launched }, from: side(1), to, attach: false, databaseName: () => 'Customers' });

  it('allows an active campaign as the destination; refuses a completed one, and a scenario with profiles', () => {
    expect(move('broadcast', false, side(2, { status: 'active' }))).toEqual({ allowed: true });
    expect(move('broadcast', false, side(2, { status: 'completed' }))).toEqual({ allowed: false, reason: '"A" cannot go to "C2": the campaign is completed: activities cannot be added to it.' });
    expect(move('scenario', true)).toEqual({ allowed: false, reason: '"A" is a scenario with profiles in it: a scenario that holds profiles cannot be moved.' });
    expect(move('broadcast', true)).toMatchObject({ allowed: false, reason: expect.stringMatching(/launched before/) });
  });

  it('the engine refuses to move a scenario that has run, in those words', async () => {
    const t = await startActivityProject(20);
    const segment = await t.segment('All', t.ids(1, 20));
    const a = await t.campaign('A', segment);
    const b = await t.campaign('B', segment);
    const scenario = await t.activity('Journey', { campaignId: a.id, type: 'scenario' });
    await t.activity('Keep', { campaignId: a.id });
    await t.call('campaign/activate', { campaignId: a.id });
    await t.call('activity/run', { activityId: scenario.id });
    await t.call('campaign/deactivate', { campaignId: a.id });
    t.db().run("UPDATE activities SET status = 'paused' WHERE id = ?", [scenario.id]);
    const refused = await expectEngineError(t.call('activity/move', { activityId: scenario.id, campaignId: b.id }), 'REFUSED');
    expect(refused.message).toBe('"Journey" is a scenario with profiles in it: a scenario that holds profiles cannot be moved.');
  });

  it('a clone into a campaign that is not on a static segment copies an expansion activity with expansion off', async () => {
    const t = await startActivityProject(10);
    const segment = await t.segment('All', t.ids(1, 10));
    const vip = await t.segment('VIP', t.ids(1, 3));
    const a = await t.campaign('A', segment);
    const b = await t.campaign('B', segment);
    await t.activity('Grow', { campaignId: a.id, segmentId: vip, audienceExpansion: true });
    const copied = copyActivities(t.db(), a.id, b.id, { segmentKind: 'updatable' as const, createdAt: '2026-01-01T00:00:00Z' });
    expect(copied).toMatchObject([{ name: 'Grow', expansionOff: true }]);
    expect((await t.call('activity/list', { campaignId: b.id }))[0]).toMatchObject({ name: 'Grow', audienceExpansion: false, segmentId: vip });
  });
});
