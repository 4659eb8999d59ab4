/**
 * A campaign's page before its first build shows the strata its activation would make. An
 * unstratified one is counted in SQL (issue 14, item 6: its page after "Create" must not read
 * every key of a million profiles): the segment's profiles less the GCG's members, or all of
 * them when the campaign is exempt, with the control count the activation gives.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { gcgMembersSql } from '../../../../main/engine/gcg/membership';
import { startCampaignProject, type CampaignProject } from './helpers';

let t: CampaignProject | null = null;
afterEach(async () => {
  await t?.engine.dispose();
  t = null;
});

const counts = (detail: { strata: readonly { key: string; label: string; size: number; control: number }[] }) =>
  detail.strata.map((s) => ({ key: s.key, label: s.label, size: s.size, control: s.control }));

describe('an unstratified campaign before its build', () => {
  it('shows the size and LCG its activation gives: the GCG held out, or not when exempt', async () => {
    t = await startCampaignProject();
    const project = t;
    project.generate(500);
    await project.call('gcg/set', { databaseId: project.databaseId, percent: '20', seed: 'g' });
    // A segment of part of the database: only the GCG members in it are held out.
    const segmentId = project.segment('Part', Array.from({ length: 200 }, (_, i) => `p${i * 2 + 1}`));
    const inGcg = Number(
      project
        .db()
        .scalar(`SELECT COUNT(*) FROM segment_members WHERE segment_id = ? AND profile_key IN (${gcgMembersSql(project.databaseId)})`, [segmentId]),
    );
    expect(inGcg).toBeGreaterThan(0);
    const held = await project.campaign(segmentId, { percent: '15', limit: null, strata: [] }, 'held', 'Held');
    const exempt = await project.campaign(segmentId, { percent: '15', limit: 7, strata: [] }, 'exempt', 'Exempt');
    await project.call('gcg/exempt', { campaignId: exempt, exempt: true });

    const before = { held: counts(await project.call('campaign/get', { campaignId: held })), exempt: counts(await project.call('campaign/get', { campaignId: exempt })) };
    expect(before.held).toEqual([{ key: '', label: 'All profiles', size: 200 - inGcg, control: expect.any(Number) }]);
    expect(before.exempt).toEqual([{ key: '', label: 'All profiles', size: 200, control: 7 }]);

    await project.call('campaign/activate', { campaignId: held });
    await project.call('campaign/activate', { campaignId: exempt });
    expect(counts(await project.call('campaign/get', { campaignId: held }))).toEqual(before.held);
    expect(counts(await project.call('campaign/get', { campaignId: exempt }))).toEqual(before.exempt);
  });

  it('an audience all in the GCG has no strata', async () => {
    t = await startCampaignProject();
    t.generate(20);
    await t.call('gcg/set', { databaseId: t.databaseId, percent: '100', seed: 'g' });
    const id = await t.campaign(t.segment('All'), { percent: '10', limit: null, strata: [] });
    expect((await t.call('campaign/get', { campaignId: id })).strata).toEqual([]);
  });
});
