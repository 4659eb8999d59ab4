import { afterEach, describe, expect, it } from 'vitest';
import { attributeValueProblems, cleanAttributeValues } from '../../renderer/store/attributes/selectors';
import { campaignChecks, lcgSummary, scheduleProblem, shareText } from '../../renderer/store/campaigns/selectors';
import { advanceSentence } from '../../renderer/store/clock/selectors';
import { waitForState, type StoreHarness } from './helpers/in-process';
import { answerNext, noticeTexts, plannedProject } from './helpers/planning';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

const NO_LCG = { percent: null, limit: null, strata: [] };

async function withCampaign(count: number) {
  const p = await plannedProject(count);
  harness = p.h;
  const campaign = await p.h.store.getState().createCampaign({
    name: 'Spring sale',
    databaseId: p.databaseId,
    segmentId: p.segment.id,
    attributes: {},
    lcg: { percent: '10', limit: null, strata: [{ kind: 'values', fieldId: p.gender.id }] },
    seed: 'spring',
  });
  if (!campaign) throw new Error(`campaign not created: ${noticeTexts(p.h).join('; ')}`);
  return { ...p, campaign };
}

const stateOf = (h: StoreHarness, id: number) => {
  const c = h.state().campaignDetails[id]?.campaign ?? h.state().campaigns?.find((x) => x.id === id);
  if (!c) throw new Error(`campaign ${id} not in the store`);
  return c;
};

describe('campaign attributes', () => {
  it('are defined with choices, required ones checked as typed, and removed after a question', async () => {
    const p = await plannedProject(5);
    harness = p.h;
    const { h } = p;
    const owner = await h.store.getState().defineAttribute({ name: 'Owner', required: true, choices: [] });
    const channel = await h.store.getState().defineAttribute({ name: 'Channel', required: false, choices: ['email', 'push'] });
    if (!owner || !channel) throw new Error(noticeTexts(h).join('; '));
    await h.store.getState().loadAttributes();
    expect(h.state().attributes?.map((a) => a.name)).toEqual(['Owner', 'Channel']);
    const attributes = h.state().attributes ?? [];
    expect(attributeValueProblems(attributes, {})).toEqual({ [owner.id]: 'Owner is required.' });
    expect(attributeValueProblems(attributes, { [owner.id]: 'Ann', [channel.id]: 'fax' })).toEqual({ [channel.id]: 'Choose one of the values of Channel.' });
    expect(cleanAttributeValues({ [owner.id]: ' Ann ', [channel.id]: '' })).toEqual({ [owner.id]: 'Ann' });

    const created = await h.store.getState().createCampaign({
      name: 'With owner',
      databaseId: p.databaseId,
      segmentId: p.segment.id,
      attributes: { [owner.id]: 'Ann', [channel.id]: 'push' },
      lcg: NO_LCG,
      seed: '',
    });
    expect(created?.attributes).toEqual({ [owner.id]: 'Ann', [channel.id]: 'push' });
    expect(created?.seed.length).toBeGreaterThan(0);
    expect(await h.store.getState().updateCampaign(created?.id ?? 0, { name: 'Renamed', attributes: { [owner.id]: 'Bob' } })).toBe(true);
    expect(stateOf(h, created?.id ?? 0)).toMatchObject({ name: 'Renamed', attributes: { [owner.id]: 'Bob' } });

    const removing = h.store.getState().removeAttribute(channel);
    expect(await answerNext(h, 'remove')).toBe('Remove the attribute "Channel"?');
    expect(await removing).toBe(true);
    expect(h.state().attributes?.map((a) => a.name)).toEqual(['Owner']);
  });
});

describe('a campaign through its life, in the store on a real engine', () => {
  it('created Inactive; activation needs an activity (the status machine and the engine both say so)', async () => {
    const { h, campaign, segment } = await withCampaign(200);
    expect(h.state().route).toEqual({ page: 'campaign', campaignId: campaign.id, tab: 'overview' });
    expect(campaign).toMatchObject({ status: 'inactive', segmentName: 'Everyone', activityCount: 0, groups: { test: 0, control: 0, total: 0 } });
    expect(h.state().campaigns?.map((c) => c.name)).toEqual(['Spring sale']);
    const checks = campaignChecks(campaign, segment);
    expect(checks.activate).toEqual({ allowed: false, reason: 'Add at least one activity before activating the campaign.' });
    expect(checks.delete.allowed).toBe(true);
    expect(lcgSummary(campaign.lcg, () => 'gender')).toBe('10 % · stratified by gender');

    // The engine refuses too, in its own words, as a notice.
    expect(await h.store.getState().activateCampaign(campaign.id)).toBeNull();
    const refusal = h.state().notices.at(-1);
    expect(refusal?.code).toBe('REFUSED');
    expect(refusal?.message).toMatch(/activit/i);
    expect(stateOf(h, campaign.id).status).toBe('inactive');
  });

  it('activates with a broadcast: exact groups, strata, a version, events; deactivation keeps the groups', async () => {
    const { h, campaign, databaseId } = await withCampaign(200);
    const activity = await h.store.getState().createActivity(databaseId, campaign.id, {
      name: 'Newsletter',
      type: 'broadcast',
      segmentId: null,
      ignoreLcg: false,
      ignoreSubscription: false,
      audienceExpansion: false,
      variants: [],
    });
    expect(activity).toMatchObject({ campaignId: campaign.id, type: 'broadcast', launched: false });
    await waitForState(h.store, (s) => s.activitiesByCampaign[campaign.id]?.length === 1 && stateOf(h, campaign.id).activityCount === 1);

    const detail = await h.store.getState().activateCampaign(campaign.id);
    expect(detail?.campaign).toMatchObject({ status: 'active', groups: { test: 180, control: 20, total: 200 } });
    expect(shareText(20, 200)).toBe('10.00 %');
    expect(detail?.strata.map((s) => s.size).sort((a, b) => a - b)).toEqual([20, 80, 100]);
    expect(detail?.strata.reduce((n, s) => n + s.control, 0)).toBe(20);
    for (const s of detail?.strata ?? []) expect(Math.abs(s.deviation)).toBeLessThan(1);
    expect(detail?.versions).toHaveLength(1);
    expect(detail?.versions[0]).toMatchObject({ reason: 'activation', audience: 200, controlTotal: 20 });
    expect(noticeTexts(h)).toContain('Campaign activated: "Spring sale": 180 in Test, 20 in the LCG.');
    expect(h.state().operations).toEqual({});

    // The audience table: each profile's group and stratum; filtered to the LCG.
    h.store.getState().openProfileTable(databaseId, { kind: 'campaign', campaignId: campaign.id, group: 'control' });
    const table = (await waitForState(h.store, (s) => s.profileTable?.total === 20)).profileTable;
    expect(table?.pages[0]?.every((r) => r.group === 'control' && typeof r.stratum === 'string')).toBe(true);

    await h.store.getState().loadCampaignEvents(campaign.id);
    const events = h.state().campaignEvents;
    expect(events?.total).toBeGreaterThan(0);
    expect(events?.events.map((e) => e.kind)).toContain('activated');
    await h.store.getState().loadCampaignEvents(campaign.id, { kinds: ['created'] });
    expect(h.state().campaignEvents).toMatchObject({ kinds: ['created'], offset: 0, total: 1 });

    expect(await h.store.getState().deactivateCampaign(campaign.id)).toBe(true);
    expect(stateOf(h, campaign.id)).toMatchObject({ status: 'inactive', groups: { test: 180, control: 20 } });
    // Inactive with people allocated: not deletable, and the status machine says why.
    expect(campaignChecks(stateOf(h, campaign.id), null).delete).toEqual({
      allowed: false,
      reason: '200 profiles are allocated to this campaign: complete it first, then delete it.',
    });
  });

  it('an LCG change of an active campaign shows its consequences and asks before rebuilding', async () => {
    const { h, campaign, databaseId } = await withCampaign(200);
    await h.store.getState().createActivity(databaseId, campaign.id, { name: 'B', type: 'broadcast', segmentId: null, ignoreLcg: false, ignoreSubscription: false, audienceExpansion: false, variants: [] });
    await h.store.getState().activateCampaign(campaign.id);

    const bigger = { percent: '20', limit: null, strata: campaign.lcg.strata };
    const preview = await h.store.getState().previewLcg(campaign.id, bigger);
    expect(preview?.kind).toBe('quota');
    expect(preview?.consequences.length).toBeGreaterThan(0);

    // Cancelled: nothing changes.
    const first = h.store.getState().changeLcg(campaign.id, bigger);
    const asked = await waitForState(h.store, (s) => s.confirm !== null);
    expect(asked.confirm?.title).toBe('Change the LCG of "Spring sale"?');
    expect(asked.confirm?.details).toEqual(expect.arrayContaining(preview?.consequences ?? []));
    asked.answerConfirm('cancel');
    expect(await first).toBe(false);
    expect(stateOf(h, campaign.id).lcg.percent).toBe('10');

    // Other values inside the same field: the homogeneity warning is said once, not twice.
    const chosen = { percent: '10', limit: null, strata: [{ kind: 'subset' as const, fieldId: campaign.lcg.strata[0]!.fieldId, values: ['female'] }] };
    const regrouping = h.store.getState().changeLcg(campaign.id, chosen);
    const askedAgain = await waitForState(h.store, (s) => s.confirm !== null);
    const details = askedAgain.confirm?.details ?? [];
    expect(details.filter((d) => /homogeneity/.test(d))).toHaveLength(1);
    expect(new Set(details).size).toBe(details.length);
    askedAgain.answerConfirm('cancel');
    expect(await regrouping).toBe(false);

    // Removing the LCG moves everyone to Test.
    const removing = h.store.getState().changeLcg(campaign.id, NO_LCG);
    await answerNext(h, 'apply');
    expect(await removing).toBe(true);
    const after = stateOf(h, campaign.id);
    expect(after.groups).toEqual({ test: 200, control: 0, total: 200 });
    expect(h.state().campaignDetails[campaign.id]?.versions.length).toBe(2);
  });

  it('schedules at a later moment (a past one is refused), and the clock fires it when passing', async () => {
    const { h, campaign, databaseId } = await withCampaign(100);
    const project = h.state().project;
    if (!project.open) throw new Error('closed');
    const clock = project.clock;
    expect(scheduleProblem('2000-01-01T00:00', clock)).toMatch(/^That moment has passed on the project clock/);
    expect(scheduleProblem('', clock)).toBe('Choose a date and time on the project clock.');

    await h.store.getState().createActivity(databaseId, campaign.id, { name: 'B', type: 'broadcast', segmentId: null, ignoreLcg: false, ignoreSubscription: false, audienceExpansion: false, variants: [] });
    expect(await h.store.getState().scheduleCampaign(campaign.id, '2000-01-01T00:00')).toBeNull();
    expect(h.state().notices.at(-1)?.code).toBe('REFUSED');

    const later = `${String(Number(clock.slice(0, 4)) + 1)}${clock.slice(4)}`;
    const scheduled = await h.store.getState().scheduleCampaign(campaign.id, later);
    expect(scheduled?.campaign).toMatchObject({ status: 'waiting', activateAt: later });
    // Before it runs, the plan of the advance lists the activation at its time.
    const plan = await h.store.getState().planClock(later);
    expect('plan' in plan && plan.plan.items.map((i) => [i.kind, i.at, i.campaignId])).toEqual([['activation', later, campaign.id]]);

    const outcome = await h.store.getState().advanceClock(later);
    if (outcome.kind !== 'done') throw new Error(`not advanced: ${noticeTexts(h).join('; ')}`);
    const result = outcome.result;
    expect(result.clock).toBe(later);
    expect(result.steps.flatMap((step) => step.items).filter((i) => i.kind === 'activation')).toEqual([
      expect.objectContaining({ campaignId: campaign.id, at: later, kind: 'activation' }),
    ]);
    expect(advanceSentence(result)).toMatch(/^1 thing ran on the way \(1 activation\); 1 campaign changed\.$/);
    expect(h.state().notices.at(-1)?.message).toBe(advanceSentence(result));
    await waitForState(h.store, (s) => s.project.open && s.project.clock === later);
    expect(stateOf(h, campaign.id)).toMatchObject({ status: 'active', groups: { control: 10, total: 100 } });
    expect(h.state().lastAdvance).toEqual(result);

    // The advance-clock dialog shows the result itself: no notice repeats it.
    const notices = h.state().notices.length;
    const evenLater = `${String(Number(clock.slice(0, 4)) + 2)}${clock.slice(4)}`;
    expect(await h.store.getState().advanceClock(evenLater, { shownByCaller: true })).toMatchObject({ kind: 'done', result: { clock: evenLater } });
    expect(h.state().notices.length).toBe(notices);
  });

  it('complete needs the name typed; then delete to the recycle bin and restore as Completed', async () => {
    const { h, campaign, databaseId } = await withCampaign(50);
    await h.store.getState().createActivity(databaseId, campaign.id, { name: 'B', type: 'broadcast', segmentId: null, ignoreLcg: false, ignoreSubscription: false, audienceExpansion: false, variants: [] });
    await h.store.getState().activateCampaign(campaign.id);
    const completing = h.store.getState().completeCampaign(campaign.id);
    const asked = await waitForState(h.store, (s) => s.confirm !== null);
    expect(asked.confirm?.typeToConfirm).toEqual({ label: 'Type the campaign name to confirm', expected: 'Spring sale', choice: 'complete' });
    expect(asked.confirm?.message).toMatch(/can never be undone.*All 50 profiles leave it, each with a "Campaign exit" event/);
    asked.answerConfirm('complete');
    expect(await completing).toBe(true);
    expect(stateOf(h, campaign.id).status).toBe('completed');
    expect(campaignChecks(stateOf(h, campaign.id), null).activate.allowed).toBe(false);
    await h.store.getState().loadCampaignEvents(campaign.id, { kinds: ['campaign_exit'] });
    expect(h.state().campaignEvents?.total).toBe(50);

    const deleting = h.store.getState().deleteCampaign(campaign.id);
    await answerNext(h, 'delete');
    expect(await deleting).toBe(true);
    expect(h.state().campaigns).toEqual([]);
    await waitForState(h.store, (s) => s.recycleBin?.length === 1);
    expect(h.state().recycleBin?.[0]).toMatchObject({ id: campaign.id, deleted: true });

    expect(await h.store.getState().restoreCampaign(campaign.id)).toBe(true);
    expect(stateOf(h, campaign.id)).toMatchObject({ deleted: false, status: 'completed' });
    await waitForState(h.store, (s) => s.recycleBin?.length === 0);
  });

  it('deleting an Inactive campaign says first that its activities go to the external list', async () => {
    const { h, campaign, databaseId } = await withCampaign(10);
    await h.store.getState().createActivity(databaseId, campaign.id, { name: 'B', type: 'broadcast', segmentId: null, ignoreLcg: false, ignoreSubscription: false, audienceExpansion: false, variants: [] });
    await waitForState(h.store, (s) => s.campaigns?.find((c) => c.id === campaign.id)?.activityCount === 1);
    const deleting = h.store.getState().deleteCampaign(campaign.id);
    const asked = await waitForState(h.store, (s) => s.confirm !== null);
    expect(asked.confirm?.message).toMatch(/Its activity moves to the external list of .*, free to be attached to another campaign\.$/);
    asked.answerConfirm('delete');
    expect(await deleting).toBe(true);
    expect((await h.store.getState().loadExternalActivities(databaseId), h.state().externalActivities[databaseId])?.map((a) => a.name)).toEqual(['B']);
  });

  it('clone takes another segment of the same database and starts Inactive', async () => {
    const { h, campaign, databaseId } = await withCampaign(30);
    const half = await h.store.getState().createSegment({ databaseId, name: 'Half', from: { kind: 'empty' } });
    await h.store.getState().addSegmentProfiles(half?.segment.id ?? 0, ['P0000001', 'P0000002']);
    const clone = await h.store.getState().cloneCampaign(campaign.id, { name: 'Spring sale again', segmentId: half?.segment.id ?? 0 });
    expect(clone).toMatchObject({ name: 'Spring sale again', status: 'inactive', segmentName: 'Half', clonedFrom: campaign.id, seed: 'spring' });
    expect(h.state().route).toEqual({ page: 'campaign', campaignId: clone?.id, tab: 'overview' });
  });

  it('profiles added by hand join the static segment, forced into Test on request', async () => {
    const { h, campaign, databaseId } = await withCampaign(40);
    const small = await h.store.getState().createSegment({ databaseId, name: 'Few', from: { kind: 'empty' } });
    await h.store.getState().addSegmentProfiles(small?.segment.id ?? 0, ['P0000001', 'P0000002', 'P0000003']);
    const c = await h.store.getState().cloneCampaign(campaign.id, { name: 'Few', segmentId: small?.segment.id ?? 0 });
    const id = c?.id ?? 0;
    await h.store.getState().createActivity(databaseId, id, { name: 'B', type: 'broadcast', segmentId: null, ignoreLcg: false, ignoreSubscription: false, audienceExpansion: false, variants: [] });
    await h.store.getState().activateCampaign(id);
    const result = await h.store.getState().addCampaignProfiles(id, ['P0000010', 'P0000001', 'ghost'], true);
    expect(result).toMatchObject({ added: 1, toTest: 1, toControl: 0, alreadyIn: 1, notFoundCount: 1, notFound: ['ghost'] });
    expect(stateOf(h, id).groups.total).toBe(4);
  });

  it('a cancelled activation leaves the campaign as it was', { timeout: 120_000 }, async () => {
    const { h, campaign, databaseId } = await withCampaign(300_000);
    await h.store.getState().createActivity(databaseId, campaign.id, { name: 'B', type: 'broadcast', segmentId: null, ignoreLcg: false, ignoreSubscription: false, audienceExpansion: false, variants: [] });
    const stop = h.store.subscribe(
      (s) => Object.values(s.operations).find((o) => o.method === 'campaign/activate'),
      (op) => {
        if (op && op.phase !== null && !op.cancelling) void h.store.getState().cancelOperation(op.id);
      },
    );
    const detail = await h.store.getState().activateCampaign(campaign.id);
    stop();
    expect(detail).toBeNull();
    expect(noticeTexts(h).at(-1)).toBe('Cancelled: The activation of "Spring sale" was cancelled; the campaign is as it was.');
    expect(stateOf(h, campaign.id)).toMatchObject({ status: 'inactive', groups: { total: 0 } });
  });
});
