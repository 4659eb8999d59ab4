/**
 * The group sizes kept per stratum (campaign_counts) always equal a count of the members,
 * through every change of the members: activation, growth with leavers, a manual addition
 * forced into Test, LCG changes (share, fields, removal) and completion.
 */
import { describe, expect, it } from 'vitest';
import { growCampaign } from '../../../../main/engine/campaigns/audience';
import { directContext, startCampaignProject, type CampaignProject } from './helpers';


/** Kept counts and a fresh count of the members, per stratum, both as "stratum:members:control". */
function counts(t: CampaignProject, campaignId: number): { kept: string[]; counted: string[] } {
  const db = t.db();
  const rows = (sql: string) => db.all<{ s: number; n: number; c: number }>(sql, [campaignId]).map((r) => `${r.s}:${r.n}:${r.c}`);
  return {
    kept: rows('SELECT stratum AS s, members AS n, control AS c FROM campaign_counts WHERE campaign_id = ? ORDER BY stratum'),
    counted: rows("SELECT stratum AS s, COUNT(*) AS n, SUM(grp = 'control') AS c FROM campaign_members WHERE campaign_id = ? GROUP BY stratum ORDER BY stratum"),
  };
}

async function expectCountsRight(t: CampaignProject, campaignId: number): Promise<void> {
  const { kept, counted } = counts(t, campaignId);
  expect(kept).toEqual(counted);
  const groups = t.groups(campaignId);
  const control = [...groups.values()].filter((g) => g === 'control').length;
  const detail = await t.call('campaign/get', { campaignId });
  expect(detail.campaign.groups).toEqual({ test: groups.size - control, control, total: groups.size });
  expect(detail.strata.reduce((sum, s) => sum + s.size, 0)).toBe(groups.size);
  const listed = (await t.call('campaign/list', {})).find((c) => c.id === campaignId);
  expect(listed?.groups).toEqual(detail.campaign.groups);
}

const LETTERS = "CASE WHEN i % 10 < 5 THEN 'A' WHEN i % 10 < 8 THEN 'B' ELSE 'C' END";

describe('group sizes kept with the members', () => {
  it('match a fresh count after every kind of change', async () => {
    const t = await startCampaignProject();
    t.generate(3000, { values: { letter: LETTERS } });
    const segmentId = t.segment('Audience', Array.from({ length: 2000 }, (_, i) => `p${i + 1}`));
    const letter = t.field('letter').id;
    const id = await t.campaign(segmentId, { percent: '10', limit: null, strata: [{ kind: 'values', fieldId: letter }] }, 'counts');
    await t.call('campaign/activate', { campaignId: id });
    await expectCountsRight(t, id);

    // Growth: 300 leave the segment, 500 join it.
    const db = t.db();
    db.run(`DELETE FROM segment_members WHERE segment_id = ? AND profile_key IN (SELECT rowid FROM profiles_${t.databaseId} WHERE rowid % 6 = 0 AND rowid <= 2000 LIMIT 300)`, [segmentId]);
    t.addToSegment(segmentId, Array.from({ length: 500 }, (_, i) => `p${2001 + i}`));
    const grown = await db.transactionAsync(() => growCampaign(directContext(t), id, { reason: 'growth' }));
    expect(grown).toMatchObject({ joined: 500, left: 300 });
    await expectCountsRight(t, id);

    // By hand, forced into Test.
    const added = await t.call('campaign/addProfiles', { campaignId: id, profileIds: ['p2600', 'p2601', 'p2602'], forceTest: true });
    expect(added).toMatchObject({ added: 3, toControl: 0 });
    await expectCountsRight(t, id);

    // LCG changes: the share, the fields (everyone to Test), removal.
    await t.call('campaign/setLcg', { campaignId: id, lcg: { percent: '20', limit: null, strata: [{ kind: 'values', fieldId: letter }] } });
    await expectCountsRight(t, id);
    await t.call('campaign/setLcg', { campaignId: id, lcg: { percent: '20', limit: null, strata: [] } });
    await expectCountsRight(t, id);
    await t.call('campaign/setLcg', { campaignId: id, lcg: { percent: null, limit: null, strata: [] } });
    await expectCountsRight(t, id);
    expect((await t.call('campaign/get', { campaignId: id })).campaign.groups.control).toBe(0);

    await t.call('campaign/complete', { campaignId: id });
    expect(counts(t, id)).toEqual({ kept: [], counted: [] });
    expect((await t.call('campaign/get', { campaignId: id })).campaign.groups).toEqual({ test: 0, control: 0, total: 0 });
  });
});
