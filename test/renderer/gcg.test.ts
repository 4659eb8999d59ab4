import { afterEach, describe, expect, it } from 'vitest';
import { gcgExactSize, normalisePercent, percentProblem } from '../../renderer/store/gcg/selectors';
import { waitForState, type StoreHarness } from './helpers/in-process';
import { activityDraft, answerNext, noticeTexts, plannedProject } from './helpers/planning';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

describe('percentages as typed', () => {
  it('up to 100, two decimals at most, a comma read as a point', () => {
    expect(percentProblem('7.25')).toBeNull();
    expect(percentProblem('7,25')).toBeNull();
    expect(normalisePercent(' 7,25 ')).toBe('7.25');
    expect(percentProblem('7.255')).toBe('A percentage has at most two decimals, such as 7.25 (not 7.255).');
    expect(percentProblem('101')).toBe('A percentage cannot be over 100 (101).');
    expect(percentProblem('-1')).toBe('A percentage cannot be negative (-1); use a number from 0 to 100.');
    expect(percentProblem('ten')).toBe('"ten" is not a number; type a percentage such as 5 or 2.5.');
    expect(percentProblem('')).toBe('Type a percentage, such as 5 or 2.5.');
    expect(percentProblem('', { allowEmpty: true })).toBeNull();
  });
});

describe('the global control group in the store, on a real engine', () => {
  it('is formed with a share and a seed; a new share asks first and re-forms it; members page; campaigns can be exempt', async () => {
    const p = await plannedProject(1000);
    harness = p.h;
    const { h, databaseId } = p;
    const s = () => h.store.getState();
    const empty = await s().loadGcg(databaseId);
    expect(empty).toMatchObject({ percent: 0, size: 0, profiles: 1000 });

    // Nobody in it yet: formed without a question.
    expect(await s().setGcg(databaseId, '2.5', 'global')).toBe(true);
    const formed = h.state().gcg[databaseId];
    expect(formed).toMatchObject({ percent: 2.5, seed: 'global', size: 25, profiles: 1000, surplus: 0 });
    expect(formed && gcgExactSize(formed)).toBe(25);
    expect(noticeTexts(h).at(-1)).toBe('Global control group set: 25 profiles of Audience are in the GCG (2.5 %).');

    // The same settings again: nothing to do, nothing asked.
    expect(await s().setGcg(databaseId, '2,50', 'global')).toBe(true);
    expect(h.state().confirm).toBeNull();

    // A new share: asked, declined, unchanged; then accepted.
    const declined = s().setGcg(databaseId, '5', 'global');
    // No active campaign holds it out yet: nothing is said of campaigns following (test/renderer/gcg-follow.test.ts has them).
    const asked = (await waitForState(h.store, (st) => st.confirm !== null)).confirm?.message;
    expect(asked).toBe('A new share or seed re-forms the GCG of Audience from scratch: its 25 members are chosen again.');
    expect(asked).not.toMatch(/until new profiles arrive/);
    expect(await answerNext(h, 'cancel')).toBe('Form the global control group anew?');
    expect(await declined).toBe(false);
    expect(h.state().gcg[databaseId]?.size).toBe(25);
    const accepted = s().setGcg(databaseId, '5', 'global');
    await answerNext(h, 'apply');
    expect(await accepted).toBe(true);
    expect(h.state().gcg[databaseId]).toMatchObject({ percent: 5, size: 50 });

    s().openProfileTable(databaseId, { kind: 'gcg' });
    await waitForState(h.store, (st) => st.profileTable?.total === 50);

    const campaign = await s().createCampaign({
      name: 'Service',
      databaseId,
      segmentId: p.segment.id,
      attributes: {},
      lcg: { percent: null, limit: null, strata: [] },
      seed: 'x',
    });
    if (!campaign) throw new Error(noticeTexts(h).join('; '));
    expect(await s().setGcgExempt(campaign.id, databaseId, true)).toBe(true);
    expect(h.state().gcg[databaseId]?.exemptCampaignIds).toEqual([campaign.id]);
    await waitForState(h.store, (st) => st.campaigns?.find((c) => c.id === campaign.id)?.gcgExempt === true);
    expect(await s().setGcgExempt(campaign.id, databaseId, false)).toBe(true);
    expect(h.state().gcg[databaseId]?.exemptCampaignIds).toEqual([]);

    // Removing it (0 %) asks, in its own words.
    const removing = s().setGcg(databaseId, '0', '');
    expect(await answerNext(h, 'apply')).toBe('Remove the global control group?');
    expect(await removing).toBe(true);
    expect(h.state().gcg[databaseId]).toMatchObject({ percent: 0, size: 0 });
  });
});

describe('exempting an active campaign from the GCG', () => {
  it('asks first, shows the change as running, then the new state; a second request meanwhile is ignored', async () => {
    const p = await plannedProject(1000);
    harness = p.h;
    const { h, databaseId } = p;
    const s = () => h.store.getState();
    expect(await s().setGcg(databaseId, '10', 'global')).toBe(true);
    const campaign = await s().createCampaign({
      name: 'Live',
      databaseId,
      segmentId: p.segment.id,
      attributes: {},
      lcg: { percent: '10', limit: null, strata: [] },
      seed: 'x',
    });
    if (!campaign) throw new Error(noticeTexts(h).join('; '));
    await s().createActivity(databaseId, campaign.id, activityDraft('Mail'));
    expect(await s().activateCampaign(campaign.id)).not.toBeNull();
    expect(h.state().campaignDetails[campaign.id]?.campaign.groups.total).toBe(900);

    // Declined: nothing changes.
    const declined = s().setGcgExempt(campaign.id, databaseId, true);
    expect(await answerNext(h, 'cancel')).toBe('Make "Live" exempt from the global control group?');
    expect(await declined).toBe(false);
    expect(h.state().campaignDetails[campaign.id]?.campaign.gcgExempt).toBe(false);

    // Accepted: running, a second click changes nothing, then the new state and the new audience.
    const accepted = s().setGcgExempt(campaign.id, databaseId, true);
    await answerNext(h, 'apply');
    expect(h.state().gcgExemptChanging).toEqual([campaign.id]);
    expect(await s().setGcgExempt(campaign.id, databaseId, false)).toBe(false);
    expect(h.state().confirm).toBeNull();
    expect(await accepted).toBe(true);
    expect(h.state().gcgExemptChanging).toEqual([]);
    const detail = h.state().campaignDetails[campaign.id]?.campaign;
    expect(detail?.gcgExempt).toBe(true);
    expect(detail?.groups.total).toBe(1000);
    expect(noticeTexts(h).at(-1)).toBe(`Exempt from the global control group: "Live" keeps GCG members in its audience: 1,000 profiles now (${detail?.groups.control.toLocaleString('en-US')} in the LCG).`);

    // Back: asked in its own words.
    const back = s().setGcgExempt(campaign.id, databaseId, false);
    expect(await answerNext(h, 'apply')).toBe('Hold the GCG members out of "Live"?');
    expect(await back).toBe(true);
    expect(h.state().campaignDetails[campaign.id]?.campaign).toMatchObject({ gcgExempt: false, groups: { total: 900 } });
  });
});
