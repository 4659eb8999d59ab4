/**
 * The guide's campaign rules as the window shows them, through store actions on a real
 * engine: Audience building shown while the build runs, an activation that puts nobody in
 * Test asked first, the Move dialog's destinations (what the engine allows), a run's
 * left-out counts, audience expansion asked first and its gained campaigns, Campaign exit
 * labels, forced into Test, clone with activities.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { moveChoices, moveRefusal } from '../../renderer/store/activities/selectors';
import { runSentence } from '../../renderer/store/activities/slice';
import { EVENT_KIND_LABELS, audienceExportable } from '../../renderer/store/campaigns/selectors';
import { activityDraft, answerNext, noticeTexts, plannedProject, type Planned } from './helpers/planning';
import { waitForState, type StoreHarness } from './helpers/in-process';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

const draft = activityDraft;

async function campaignWithActivity(p: Planned, name: string, segmentId = p.segment.id, percent = '10') {
  const s = () => p.h.store.getState();
  const campaign = await s().createCampaign({ name, databaseId: p.databaseId, segmentId, attributes: {}, lcg: { percent, limit: null, strata: [] }, seed: name });
  if (!campaign) throw new Error(noticeTexts(p.h).join('; '));
  const activity = await s().createActivity(p.databaseId, campaign.id, draft(`${name} mail`));
  if (!activity) throw new Error(noticeTexts(p.h).join('; '));
  return { campaign, activity };
}

describe('campaign rules in the window', () => {
  it('shows Audience building while the build runs, then Active', async () => {
    const p = await plannedProject(2000);
    harness = p.h;
    const s = () => p.h.store.getState();
    const { campaign } = await campaignWithActivity(p, 'Spring');
    await s().loadCampaign(campaign.id);
    const seen: string[] = [];
    const stop = p.h.store.subscribe((state) => {
      const status = state.campaignDetails[campaign.id]?.campaign.status;
      if (status && seen[seen.length - 1] !== status) seen.push(status);
    });
    const activating = s().activateCampaign(campaign.id);
    await waitForState(p.h.store, (state) => state.campaignDetails[campaign.id]?.campaign.status === 'audience_building');
    expect(s().campaigns?.find((c) => c.id === campaign.id)?.status).toBe('audience_building');
    await activating;
    stop();
    expect(seen).toEqual(['inactive', 'audience_building', 'active']);
  });

  it('asks before an activation that puts nobody in Test, and activates only when confirmed', async () => {
    const p = await plannedProject(50);
    harness = p.h;
    const s = () => p.h.store.getState();
    const { campaign } = await campaignWithActivity(p, 'All in LCG', p.segment.id, '100');
    const preview = await s().previewActivation(campaign.id);
    expect(preview?.problems.map((x) => x.kind)).toEqual(['lcg_takes_all']);
    expect(await s().activateCampaign(campaign.id)).toBeNull();
    expect(noticeTexts(p.h).join(' ')).toMatch(/The LCG would take the whole audience of "All in LCG" \(50 of 50 profiles\)/);
    const detail = await s().activateCampaign(campaign.id, { confirmed: true });
    expect(detail?.campaign.groups).toEqual({ test: 0, control: 50, total: 50 });
  });

  it('offers every destination the engine allows (active campaigns too), and says why the others are not offered', async () => {
    const p = await plannedProject(40);
    harness = p.h;
    const s = () => p.h.store.getState();
    const from = await campaignWithActivity(p, 'From');
    const active = await campaignWithActivity(p, 'Running');
    const done = await campaignWithActivity(p, 'Done');
    await s().activateCampaign(active.campaign.id);
    await s().activateCampaign(done.campaign.id);
    await s().loadCampaigns();
    const completing = s().completeCampaign(done.campaign.id);
    await answerNext(p.h, 'complete');
    await completing;
    const extra = await s().createActivity(p.databaseId, from.campaign.id, draft('Second'));
    if (!extra) throw new Error('no activity');
    await s().loadCampaigns();
    const campaigns = s().campaigns ?? [];
    const source = campaigns.find((c) => c.id === from.campaign.id)!;
    const choices = moveChoices(extra, source, campaigns.filter((c) => c.id !== source.id));
    expect(choices.allowed.map((c) => c.name)).toEqual(['Running']);
    expect(choices.refused.map((r) => r.reason)).toEqual(['"Second" cannot go to "Done": the campaign is completed: activities cannot be added to it.']);
    expect(moveRefusal(extra, source)).toBeNull();
    expect(await s().moveActivity(extra, active.campaign.id)).toBe(true);
  });

  it('asks before a run whose expansion grows other campaigns; the run says who it left out and which campaigns gained', async () => {
    const p = await plannedProject(120);
    harness = p.h;
    const s = () => p.h.store.getState();
    const half = await s().createSegment({ databaseId: p.databaseId, name: 'Half', from: { kind: 'empty' } });
    const extra = await s().createSegment({ databaseId: p.databaseId, name: 'Extra', from: { kind: 'empty' } });
    if (!half || !extra) throw new Error('segments');
    const db = p.h.engine.engine.state.requireSession().db;
    db.run(`INSERT INTO segment_members (segment_id, profile_key) SELECT ?, rowid FROM profiles_${p.databaseId} WHERE rowid <= 60`, [half.segment.id]);
    db.run(`INSERT INTO segment_members (segment_id, profile_key) SELECT ?, rowid FROM profiles_${p.databaseId} WHERE rowid BETWEEN 51 AND 80`, [extra.segment.id]);
    db.run(`UPDATE profiles_${p.databaseId} SET subscription = 'unsubscribed' WHERE rowid BETWEEN 51 AND 58`);
    const spring = await campaignWithActivity(p, 'Spring', half.segment.id);
    const summer = await campaignWithActivity(p, 'Summer', half.segment.id);
    await s().activateCampaign(spring.campaign.id);
    await s().activateCampaign(summer.campaign.id);
    const grow = await s().createActivity(p.databaseId, spring.campaign.id, draft('Grow', { type: 'regular_mailing', segmentId: extra.segment.id, audienceExpansion: true }));
    if (!grow) throw new Error(noticeTexts(p.h).join('; '));

    // Cancelled at the question: nothing runs.
    const declined = s().runActivity(grow);
    expect(await answerNext(p.h, 'cancel')).toBe('Run "Grow" with audience expansion?');
    expect(await declined).toBeNull();
    const runs = await p.h.engine.client.call('activity/list', { campaignId: spring.campaign.id });
    expect(runs.find((a) => a.id === grow.id)?.runs).toEqual([]);

    const running = s().runActivity(grow);
    const question = await waitForState(p.h.store, (st) => st.confirm !== null);
    expect(question.confirm?.message).toBe(
      'Audience expansion adds 20 profiles to the campaign\'s segment "Half" (that is why it works only on a static segment). The segment is shared: the active campaign "Summer" takes them too.',
    );
    question.answerConfirm('run');
    const run = await running;
    expect(run?.gainedCampaigns).toEqual([{ campaignId: summer.campaign.id, name: 'Summer', joined: 20 }]);
    const unsubscribedInTest = Number(
      db.scalar(
        `SELECT COUNT(*) FROM campaign_members m JOIN profiles_${p.databaseId} p ON p.rowid = m.profile_key
          WHERE m.campaign_id = ? AND m.grp = 'test' AND p.subscription = 'unsubscribed' AND m.profile_key BETWEEN 51 AND 80`,
        [spring.campaign.id],
      ),
    );
    expect(unsubscribedInTest).toBeGreaterThan(0);
    expect(run?.leftOut?.unsubscribed).toBe(unsubscribedInTest);
    expect(runSentence(run!)).toMatch(new RegExp(`left out: .*${unsubscribedInTest} unsubscribed(, [^;]*)?; 20 profiles added by audience expansion; "Summer" gained 20 profiles too\\.$`));
    // Summer, shown elsewhere, is read again: it has the new profiles.
    expect(s().campaigns?.find((c) => c.id === summer.campaign.id)?.groups.total).toBe(80);
  });

  it('labels leavers "Campaign exit", reports profiles moved from the LCG, copies activities in a clone, and exports only once built', async () => {
    const p = await plannedProject(30);
    harness = p.h;
    const s = () => p.h.store.getState();
    expect(EVENT_KIND_LABELS.campaign_exit).toBe('Campaign exit');
    expect(EVENT_KIND_LABELS.audience_building).toBe('Audience building');
    const { campaign } = await campaignWithActivity(p, 'Spring', p.segment.id, '20');
    expect(audienceExportable(s().campaigns!.find((c) => c.id === campaign.id)!)).toBe(false);
    const clone = await s().cloneCampaign(campaign.id, { name: 'Copy' });
    expect(clone?.activityCount).toBe(1);
    await s().loadActivities(clone!.id);
    expect(s().activitiesByCampaign[clone!.id]?.map((a) => [a.name, a.launched])).toEqual([['Spring mail', false]]);

    await s().activateCampaign(campaign.id);
    const lcgMember = (await p.h.engine.client.call('campaign/members', { campaignId: campaign.id, group: 'control', offset: 0, limit: 1 })).rows[0]!.profileId;
    const added = await s().addCampaignProfiles(campaign.id, [lcgMember], true);
    expect(added).toMatchObject({ movedToTest: 1, alreadyIn: 0 });
    expect(audienceExportable(s().campaigns!.find((c) => c.id === campaign.id)!)).toBe(true);
  });
});
