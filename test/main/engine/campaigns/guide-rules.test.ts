/**
 * The guide's campaign rules where the product used to differ: a clone copies the
 * activities, "send to Test even if in the control group" moves an LCG member, a profile
 * leaving gets "Campaign exit", Audience building / Audience exclusion are real statuses
 * (events, progress, a note for other processes), activation asks before putting nobody in
 * Test, and activities of a deactivated campaign say that they do not run.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workNotePath } from '../../../../main/engine/campaigns/work';
import { expectEngineError, startTestEngine } from '../../../helpers/engine';
import { pausedActivation, startCampaignProject } from './helpers';

const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `p${from + i}`);

describe('clone: a full copy with all activities and settings', () => {
  it('copies every activity of the campaign as a new, never-launched activity of the clone', async () => {
    const t = await startCampaignProject();
    t.generate(100);
    const all = t.segment('All');
    const vip = t.segment('VIP', ids(1, 10));
    const id = await t.call('campaign/create', { name: 'Spring', databaseId: t.databaseId, segmentId: all, lcg: { percent: 10, limit: null, strata: [] }, seed: 's' }).then((c) => c.id);
    const mail = await t.call('activity/create', { databaseId: t.databaseId, campaignId: id, name: 'Mail', type: 'broadcast' });
    await t.call('activity/create', {
      databaseId: t.databaseId,
      campaignId: id,
      name: 'Receipt',
      type: 'ab_test',
      segmentId: vip,
      ignoreLcg: true,
      ignoreSubscription: true,
      audienceExpansion: true,
      variants: [{ name: 'A', percent: 30 }, { name: 'B', percent: 70 }],
    });
    await t.call('campaign/activate', { campaignId: id });
    await t.call('activity/run', { activityId: mail.id });

    const copy = await t.call('campaign/clone', { campaignId: id, name: 'Autumn' });
    expect(copy.activityCount).toBe(2);
    const copied = await t.call('activity/list', { campaignId: copy.id });
    expect(copied.map((a) => ({ name: a.name, type: a.type, segmentId: a.segmentId, ignoreLcg: a.ignoreLcg, ignoreSubscription: a.ignoreSubscription, audienceExpansion: a.audienceExpansion, variants: a.variants }))).toEqual([
      { name: 'Mail', type: 'broadcast', segmentId: null, ignoreLcg: false, ignoreSubscription: false, audienceExpansion: false, variants: [] },
      {
        name: 'Receipt',
        type: 'ab_test',
        segmentId: vip,
        ignoreLcg: true,
        ignoreSubscription: true,
        audienceExpansion: true,
        variants: [{ name: 'A', percent: 30 }, { name: 'B', percent: 70 }],
      },
    ]);
    // New activities: never launched, no runs, their own ids; the source keeps its own.
    expect(copied.every((a) => !a.launched && a.runs.length === 0 && a.status === 'inactive' && a.campaignId === copy.id)).toBe(true);
    expect(copied[0]!.id).not.toBe(mail.id);
    expect((await t.call('activity/list', { campaignId: id })).find((a) => a.id === mail.id)).toMatchObject({ launched: true, status: 'completed' });
    const events = await t.call('campaign/events', { campaignId: copy.id });
    expect(events.events.map((e) => e.text)).toEqual([
      'A/B test "Receipt" copied from "Spring"',
      'Broadcast "Mail" copied from "Spring"',
      'Created as a copy of "Spring" with its 2 activities.',
    ]);
    // The copy can be activated at once: it has its activities.
    expect((await t.call('campaign/activate', { campaignId: copy.id })).campaign.status).toBe('active');
  });
});

describe('"send profile to test group even if it is in the control group"', () => {
  it('moves an LCG member to Test, with a "Moved to Test" event, and keeps it there', async () => {
    const t = await startCampaignProject();
    t.generate(50);
    const segmentId = t.segment('All');
    const id = await t.campaign(segmentId, { percent: 20, limit: null, strata: [] });
    await t.call('campaign/activate', { campaignId: id });
    const lcg = [...t.groups(id)].filter(([, g]) => g === 'control').map(([p]) => p);
    expect(lcg).toHaveLength(10);
    const result = await t.call('campaign/addProfiles', { campaignId: id, profileIds: [lcg[0]!, lcg[1]!, 'p51-none'], forceTest: true });
    expect(result).toMatchObject({ added: 0, alreadyIn: 0, movedToTest: 2, notFoundCount: 1 });
    expect(result.campaign.groups).toEqual({ test: 42, control: 8, total: 50 });
    expect(t.groups(id).get(lcg[0]!)).toBe('test');
    const moved = await t.call('campaign/events', { campaignId: id, kinds: ['moved_to_test'] });
    expect(moved.events.map((e) => [e.profileId, e.text]).sort()).toEqual(
      [lcg[0]!, lcg[1]!].sort().map((p) => [p, 'Moved to Test from the LCG: added by hand, forced into Test']),
    );
    // Without forceTest an LCG member stays where it is.
    const again = await t.call('campaign/addProfiles', { campaignId: id, profileIds: [lcg[2]!] });
    expect(again).toMatchObject({ alreadyIn: 1, movedToTest: 0 });
    expect(t.groups(id).get(lcg[2]!)).toBe('control');
    // A later rebuild keeps the forced ones in Test.
    t.generate(10, { from: 51 });
    t.addToSegment(segmentId, ids(51, 60));
    await t.call('campaign/deactivate', { campaignId: id });
    await t.call('campaign/activate', { campaignId: id });
    expect(t.groups(id).get(lcg[0]!)).toBe('test');
  });
});

describe('Campaign exit', () => {
  it('members the global control group takes leave with an event that says so', async () => {
    const t = await startCampaignProject();
    t.generate(40);
    const id = await t.campaign(t.segment('All'), { percent: 10, limit: null, strata: [] });
    await t.call('campaign/activate', { campaignId: id });
    const gcg = await t.call('gcg/set', { databaseId: t.databaseId, percent: '20', seed: 'g' });
    const exits = await t.call('campaign/events', { campaignId: id, kinds: ['campaign_exit'] });
    expect(exits.events).toHaveLength(gcg.size);
    for (const e of exits.events) expect(e.text).toMatch(/^Campaign exit: now in the global control group \(was in (Test|the LCG)\)$/);
  });

  it('a profile that leaves the segment gets "Campaign exit"; a file of the previous version still reads its "profile_left" events', async () => {
    const t = await startCampaignProject();
    t.generate(20);
    const segmentId = t.segment('All');
    const id = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] });
    await t.call('campaign/activate', { campaignId: id });
    await t.call('segment/removeProfiles', { segmentId, profileIds: ['p3'] });
    const exits = await t.call('campaign/events', { campaignId: id, kinds: ['campaign_exit'] });
    expect(exits.events).toMatchObject([{ kind: 'campaign_exit', profileId: 'p3' }]);
    expect(exits.events[0]!.text).toMatch(/^Campaign exit: no longer in the segment \(was in (Test|the LCG)\)$/);

    // As an earlier version wrote it.
    t.db().run(
      `INSERT INTO campaign_events (campaign_id, clock, kind, profile_key, details)
       SELECT ?, '2026-01-02T00:00', 'profile_left', rowid, '{"text":"Left the campaign: no longer in its audience (was in Test)"}' FROM profiles_${t.databaseId} WHERE profile_id = 'p4'`,
      [id],
    );
    const read = await t.call('campaign/events', { campaignId: id, kinds: ['campaign_exit'] });
    expect(read.events.map((e) => [e.kind, e.profileId])).toEqual([
      ['campaign_exit', 'p4'],
      ['campaign_exit', 'p3'],
    ]);
    const all = await t.call('campaign/events', { campaignId: id });
    expect(all.events[0]).toMatchObject({ kind: 'campaign_exit', profileId: 'p4' });
  });
});

describe('Audience building and Audience exclusion', () => {
  it('are recorded as events with their counts, and the progress says which campaign is in which status', async () => {
    const t = await startCampaignProject();
    t.generate(300);
    const segmentId = t.segment('All');
    const id = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] });
    await t.call('campaign/activate', { campaignId: id }, 'op-activate');
    const carried = t.events.flatMap((e) => (e.event === 'progress' && e.payload.campaign ? [e.payload] : []));
    expect(carried).toEqual([
      expect.objectContaining({ operationId: 'op-activate', method: 'campaign/activate', phase: 'Audience building', total: 300, campaign: { campaignId: id, status: 'audience_building' } }),
    ]);
    await t.call('campaign/complete', { campaignId: id }, 'op-complete');
    const exclusion = t.events.flatMap((e) => (e.event === 'progress' && e.payload.campaign?.status === 'audience_exclusion' ? [e.payload] : []));
    expect(exclusion).toEqual([expect.objectContaining({ operationId: 'op-complete', total: 300, campaign: { campaignId: id, status: 'audience_exclusion' } })]);
    const events = await t.call('campaign/events', { campaignId: id, kinds: ['audience_building', 'audience_exclusion'] });
    expect(events.events.map((e) => [e.kind, e.text])).toEqual([
      ['audience_exclusion', 'Audience exclusion: 300 profiles leave the campaign.'],
      ['audience_building', 'Audience building: the segment "All 1" has 300 profiles.'],
    ]);
    // With a global control group, the event says that its members are held out (or that the campaign is exempt).
    await t.call('gcg/set', { databaseId: t.databaseId, percent: '10', seed: 'g' });
    const held = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] }, 'held', 'Held');
    const exempt = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] }, 'exempt', 'Exempt');
    await t.call('gcg/exempt', { campaignId: exempt, exempt: true });
    for (const [campaignId, words] of [
      [held, "(the global control group's members held out)"],
      [exempt, '(exempt from the global control group)'],
    ] as const) {
      await t.call('campaign/activate', { campaignId });
      const built = await t.call('campaign/events', { campaignId, kinds: ['audience_building'] });
      expect(built.events.map((e) => e.text)).toEqual([`Audience building: the segment "All 1" has 300 profiles ${words}.`]);
    }
  });

  it('another engine on the same file sees the campaign in Audience building while the build runs, until the result is saved', async () => {
    const t = await startCampaignProject();
    t.generate(200);
    const segmentId = t.segment('All');
    const id = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] });
    const path = join(t.dir, 'shared.cplan');
    await t.call('project/saveAs', { path });

    // The build stops at its first checkpoint until the other side has looked.
    const build = pausedActivation(t, id);
    await build.paused;
    expect(existsSync(workNotePath(path))).toBe(true);

    const other = await startTestEngine();
    await other.call('project/open', { path });
    const seen = await other.call('campaign/get', { campaignId: id });
    expect(seen.campaign).toMatchObject({ status: 'audience_building', workElsewhere: { status: 'audience_building', pid: process.pid } });
    expect((await other.call('campaign/list', {}))[0]).toMatchObject({ id, status: 'audience_building' });
    // The building engine itself reads the file's own status (it is the one at work).
    expect(seen.campaign.workElsewhere?.finishedAt).toBeNull();
    build.release();
    await build.done;
    expect((await t.call('campaign/get', { campaignId: id })).campaign.status).toBe('active');
    // Built, not saved yet: the file still says Inactive, so the note stays, marked finished.
    const built = (await other.call('campaign/get', { campaignId: id })).campaign;
    expect(built).toMatchObject({ status: 'audience_building', workElsewhere: { finishedAt: expect.stringMatching(/^\d{4}-/) } });
    // Saved: the file holds the result and the note goes. The copy opened during the build
    // still predates the result, and says so; one opened now has the result.
    await t.call('project/save', {});
    expect(existsSync(workNotePath(path))).toBe(false);
    expect((await other.call('campaign/get', { campaignId: id })).campaign.status).toBe('audience_building');
    const reopened = await startTestEngine();
    await reopened.call('project/open', { path });
    const after = (await reopened.call('campaign/get', { campaignId: id })).campaign;
    expect(after.status).toBe('active');
    expect(after.workElsewhere).toBeUndefined();
  });

  it('a note left by a process that is gone is ignored, and so is one whose finished work the file already holds', async () => {
    const other = await startTestEngine({ isProcessAlive: () => false });
    const t = await startCampaignProject();
    t.generate(5);
    const id = await t.campaign(t.segment('All'), { percent: 10, limit: null, strata: [] });
    const path = join(t.dir, 'stale.cplan');
    await t.call('project/saveAs', { path });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(workNotePath(path), JSON.stringify({ sessionId: 'gone', pid: 999_999, since: '2026-01-01T00:00:00Z', finishedAt: null, campaignId: id, status: 'audience_building' }));
    await other.call('project/open', { path });
    expect((await other.call('campaign/get', { campaignId: id })).campaign.status).toBe('inactive');
    // Alive, but finished before the file was last saved (a crash between the save and the note's removal).
    const alive = await startTestEngine();
    writeFileSync(workNotePath(path), JSON.stringify({ sessionId: 'old', pid: process.pid, since: '2020-01-01T00:00:00Z', finishedAt: '2020-01-01T00:01:00Z', campaignId: id, status: 'audience_building' }));
    await alive.call('project/open', { path });
    expect((await alive.call('campaign/get', { campaignId: id })).campaign.status).toBe('inactive');
    writeFileSync(workNotePath(path), JSON.stringify({ sessionId: 'old', pid: process.pid, since: '2020-01-01T00:00:00Z', finishedAt: null, campaignId: id, status: 'audience_building' }));
    expect((await alive.call('campaign/get', { campaignId: id })).campaign.status).toBe('audience_building');
  });
});

describe('activation that puts nobody in Test', () => {
  it('previews an empty audience and an LCG that takes everyone, and activates only when confirmed', async () => {
    const t = await startCampaignProject();
    t.generate(30);
    const empty = await t.campaign(t.segment('Nobody', []), { percent: 10, limit: null, strata: [] }, 's', 'Empty');
    const preview = await t.call('campaign/previewActivation', { campaignId: empty });
    expect(preview).toEqual({
      audience: 0,
      control: 0,
      test: 0,
      problems: [{ kind: 'empty_audience', message: 'The audience of "Empty" is empty: its segment "Nobody 1" has no profiles. Activated, the campaign reaches nobody.' }],
    });
    const refused = await expectEngineError(t.call('campaign/activate', { campaignId: empty }), 'REFUSED');
    expect(refused.message).toMatch(/is empty: .* Confirm to activate anyway\.$/);
    expect(refused.details).toMatchObject({ needsConfirmation: true, problems: ['empty_audience'] });
    await expectEngineError(t.call('campaign/activate', { campaignId: empty, at: '2027-01-01T10:00' }), 'REFUSED');
    expect((await t.call('campaign/get', { campaignId: empty })).campaign.status).toBe('inactive');
    expect((await t.call('campaign/activate', { campaignId: empty, confirmed: true })).campaign.status).toBe('active');

    // A limit at least the audience, and no percentage: the LCG is everyone.
    const all = t.segment('All');
    const whole = await t.campaign(all, { percent: null, limit: 50, strata: [] }, 's', 'Whole');
    expect(await t.call('campaign/previewActivation', { campaignId: whole })).toMatchObject({
      audience: 30,
      control: 30,
      test: 0,
      problems: [{ kind: 'lcg_takes_all', message: expect.stringMatching(/^The LCG would take the whole audience of "Whole" \(30 of 30 profiles\): nobody would be in Test.* Give a percentage, or a limit below the audience\.$/) }],
    });
    await expectEngineError(t.call('campaign/activate', { campaignId: whole }), 'REFUSED');
    expect((await t.call('campaign/activate', { campaignId: whole, confirmed: true })).campaign.groups).toEqual({ test: 0, control: 30, total: 30 });

    // Everyone in the GCG is an empty audience too; an ordinary campaign has nothing to confirm.
    await t.call('gcg/set', { databaseId: t.databaseId, percent: '100', seed: 'g' });
    const held = await t.campaign(all, { percent: 10, limit: null, strata: [] }, 's', 'Held');
    expect((await t.call('campaign/previewActivation', { campaignId: held })).problems[0]!.message).toMatch(/all 30 profiles of its segment "All 2" are in the global control group/);
    await t.call('gcg/set', { databaseId: t.databaseId, percent: '0', seed: 'g' });
    expect(await t.call('campaign/previewActivation', { campaignId: held })).toEqual({ audience: 30, control: 3, test: 27, problems: [] });
    expect((await t.call('campaign/activate', { campaignId: held })).campaign.status).toBe('active');
  });
});

describe('activities of a campaign that is not active', () => {
  it('say that they do not run: deactivated, waiting, not yet activated', async () => {
    const t = await startCampaignProject();
    t.generate(20);
    const id = await t.campaign(t.segment('All'), { percent: 10, limit: null, strata: [] });
    const notRunning = async () => (await t.call('activity/list', { campaignId: id })).map((a) => a.notRunning);
    expect(await notRunning()).toEqual(['It does not run until the campaign is activated.']);
    await t.call('campaign/activate', { campaignId: id });
    expect(await notRunning()).toEqual([null]);
    await t.call('campaign/deactivate', { campaignId: id });
    expect(await notRunning()).toEqual(['It does not run: the campaign is deactivated. Activate the campaign to run it again.']);
    await t.call('campaign/activate', { campaignId: id, at: '2027-03-01T09:00' });
    expect(await notRunning()).toEqual(['It does not run until the campaign starts at Mon 1 Mar 2027, 09:00.']);
    await t.call('campaign/deactivate', { campaignId: id });
    await t.call('campaign/complete', { campaignId: id });
    expect(await t.call('activity/list', { campaignId: id })).toMatchObject([{ status: 'completed', notRunning: null }]);
  });
});
