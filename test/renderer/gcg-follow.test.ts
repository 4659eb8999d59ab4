/**
 * The global control group changes live audiences: the active campaigns of its database that
 * hold it out follow at once. Found in the app: forming it with four active campaigns asked
 * nothing (each lost its GCG members, with a "Campaign exit" each), and re-forming it said
 * campaigns "keep their audiences until new profiles arrive" while they changed at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { waitForState, type StoreHarness } from './helpers/in-process';
import { activityDraft, plannedProject } from './helpers/planning';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

describe('forming, re-forming and removing the GCG with active campaigns', () => {
  it('asks first, naming the active campaigns that follow, and says what happens to them', async () => {
    const p = await plannedProject(1000);
    harness = p.h;
    const { h, databaseId } = p;
    const s = () => h.store.getState();
    const campaign = await s().createCampaign({ name: 'Spring', databaseId, segmentId: p.segment.id, attributes: {}, lcg: { percent: '10', limit: null, strata: [] }, seed: 's' });
    if (!campaign) throw new Error('campaign not created');
    await s().createActivity(databaseId, campaign.id, activityDraft('News'));
    await s().activateCampaign(campaign.id);
    await s().loadCampaigns();
    const total = () => h.state().campaigns?.find((c) => c.id === campaign.id)?.groups.total;
    expect(total()).toBe(1000);

    const ask = async (percent: string, seed: string, answer: string) => {
      const setting = s().setGcg(databaseId, percent, seed);
      const asked = await waitForState(h.store, (st) => st.confirm !== null);
      const question = { title: asked.confirm?.title, message: asked.confirm?.message };
      asked.answerConfirm(answer);
      return { question, done: await setting };
    };

    const declined = await ask('5', 'g', 'cancel');
    expect(declined.done).toBe(false);
    expect(declined.question).toEqual({
      title: 'Form the global control group?',
      message:
        '5 % of the profiles of Audience join the GCG now, and leave the active campaigns that hold it out ("Spring"), each with a "Campaign exit" event.',
    });
    expect(h.state().gcg[databaseId]?.size ?? 0).toBe(0);

    expect((await ask('5', 'g', 'apply')).done).toBe(true);
    await s().loadCampaigns();
    expect(total()).toBe(950);

    const reform = await ask('5', 'other', 'apply');
    expect(reform.question.message).toBe(
      'A new share or seed re-forms the GCG of Audience from scratch: its 50 members are chosen again. The active campaigns that hold it out ("Spring") follow at once: the new members leave them, and former members join them as new profiles.',
    );
    const removal = await ask('0', '', 'apply');
    expect(removal.question.message).toBe(
      'All 50 members of the GCG of Audience go back into campaign audiences: the active campaigns that held them out ("Spring") take them at once, as new profiles.',
    );
    await s().loadCampaigns();
    expect(total()).toBe(1000);
  });
});
