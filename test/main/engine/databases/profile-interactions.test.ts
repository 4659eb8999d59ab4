/**
 * `profile/interactions` on a small hand-made project (real engine, real sql.js): a
 * profile's segments, and its campaigns with its group (Test, LCG, GCG, or the audience of
 * a campaign not built yet), with the clock of the split that placed it; a profile that left
 * a campaign is not listed; binned campaigns are not listed.
 */
import { describe, expect, it } from 'vitest';
import { expectEngineError } from '../../../helpers/engine';
import { startCampaignProject, type CampaignProject } from '../campaigns/helpers';

const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `p${from + i}`);
const LCG = { percent: '20', limit: null, strata: [] };

async function project() {
  const t = await startCampaignProject();
  t.generate(60);
  const spring = t.segment('Spring buyers', ids(1, 40));
  const autumn = t.segment('Autumn buyers', ids(30, 60));
  const active = await t.campaign(spring, LCG, 'seed-a', 'Spring sale');
  await t.call('campaign/activate', { campaignId: active });
  const draft = await t.campaign(autumn, LCG, 'seed-b', 'Autumn sale');
  return { t, spring, autumn, active, draft };
}

async function clockOf(t: CampaignProject): Promise<string> {
  const state = await t.call('project/state', {});
  if (!state.open) throw new Error('no project');
  return state.clock;
}

const interactions = (t: CampaignProject, profileId: string) => t.call('profile/interactions', { databaseId: t.databaseId, profileId });

describe('profile/interactions', () => {
  it('lists the segments and the campaigns of a profile with its group and when it was placed', async () => {
    const { t, spring, autumn, active, draft } = await project();
    const groups = t.groups(active);
    const inTest = ids(30, 40).find((p) => groups.get(p) === 'test')!;
    const inLcg = ids(30, 40).find((p) => groups.get(p) === 'control')!;
    const clock = await clockOf(t);

    const test = await interactions(t, inTest);
    expect(test.segments.map((s) => [s.segmentId, s.kind])).toEqual([
      [autumn, 'static'],
      [spring, 'static'],
    ]);
    expect(test.campaigns).toEqual([
      { campaignId: draft, name: 'Autumn sale', status: 'inactive', group: 'audience', since: null, forced: false },
      { campaignId: active, name: 'Spring sale', status: 'active', group: 'test', since: clock, forced: false },
    ]);
    expect((await interactions(t, inLcg)).campaigns.find((c) => c.campaignId === active)).toMatchObject({ group: 'lcg', since: clock });

    // In one segment and its campaign only.
    const p50 = await interactions(t, 'p5');
    expect(p50.segments.map((s) => s.segmentId)).toEqual([spring]);
    expect(p50.campaigns.map((c) => c.campaignId)).toEqual([active]);
    t.generate(1, { from: 61 });
    expect(await interactions(t, 'p61')).toEqual({ databaseId: t.databaseId, profileId: 'p61', segments: [], campaigns: [] });
  });

  it('a profile that left a campaign is not in it; a GCG member is in the GCG of the campaigns whose segment holds it, unless exempt', async () => {
    const { t, spring, active, draft } = await project();
    await t.call('segment/removeProfiles', { segmentId: spring, profileIds: ['p3'] });
    const left = await interactions(t, 'p3');
    expect(left.segments).toEqual([]);
    expect(left.campaigns).toEqual([]);

    await t.call('gcg/set', { databaseId: t.databaseId, percent: '25', seed: 'global' });
    const gcg = new Set(
      t.db().all<{ id: string }>(`SELECT p.profile_id AS id FROM gcg_members g JOIN profiles_${t.databaseId} p ON p.rowid = g.profile_key`).map((r) => String(r.id)),
    );
    const held = ids(30, 40).find((p) => gcg.has(p))!;
    expect(held).toBeDefined();
    expect((await interactions(t, held)).campaigns.map((c) => [c.campaignId, c.group, c.since])).toEqual([
      [draft, 'gcg', null],
      [active, 'gcg', null],
    ]);
    // Outside every campaign's segment, a GCG member or not, p3 is in no campaign.
    expect((await interactions(t, 'p3')).campaigns).toEqual([]);

    await t.call('gcg/exempt', { campaignId: active, exempt: true });
    const exempt = (await interactions(t, held)).campaigns.find((c) => c.campaignId === active);
    expect(exempt?.group).toMatch(/^(test|lcg)$/);
    expect(exempt?.group).toBe(t.groups(active).get(held) === 'control' ? 'lcg' : 'test');
  });

  it('a binned campaign is not listed; an unknown profile is refused by name', async () => {
    const { t, draft } = await project();
    await t.call('campaign/delete', { campaignId: draft });
    expect((await interactions(t, 'p35')).campaigns.map((c) => c.name)).toEqual(['Spring sale']);
    const error = await expectEngineError(interactions(t, 'nobody'), 'NOT_FOUND');
    expect(error.message).toContain('"nobody"');
  });
});
