/**
 * An active campaign follows its audience (DESIGN.md "Audience and groups"): profiles added
 * to its static segment by hand are split at once (sticky), removed ones leave with an
 * event; a GCG formed on the database takes its members out, an exemption brings them back.
 */
import { describe, expect, it } from 'vitest';
import { startCampaignProject } from './helpers';

describe('an active campaign follows its audience', () => {
  it('through segment edits, the GCG and an exemption', async () => {
    const t = await startCampaignProject();
    t.generate(1200);
    const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `p${from + i}`);
    const segmentId = t.segment('Audience', ids(1, 1000));
    const id = await t.campaign(segmentId, { percent: '10', limit: null, strata: [] }, 'follow');
    const inactive = await t.call('campaign/create', { name: 'Not running', databaseId: t.databaseId, segmentId, lcg: { percent: '10', limit: null, strata: [] }, seed: 'x' });
    await t.call('campaign/activate', { campaignId: id });
    const before = t.groups(id);
    expect(before.size).toBe(1000);

    const added = await t.call('segment/addProfiles', { segmentId, profileIds: ids(1001, 1200) });
    expect(added.changed).toBe(200);
    const grown = t.groups(id);
    expect(grown.size).toBe(1200);
    for (const [profileId, group] of before) expect(grown.get(profileId)).toBe(group); // nobody moved
    expect([...grown.values()].filter((g) => g === 'control')).toHaveLength(120);
    expect(t.groups(inactive.id).size).toBe(0); // only active campaigns follow

    await t.call('segment/removeProfiles', { segmentId, profileIds: ids(1, 50) });
    expect(t.groups(id).size).toBe(1150);
    const left = await t.call('campaign/events', { campaignId: id, kinds: ['campaign_exit'], offset: 0, limit: 100 });
    expect(left.total).toBe(50);
    const joined = await t.call('campaign/events', { campaignId: id, kinds: ['profile_joined'], offset: 0, limit: 10 });
    expect(joined.total).toBe(200);

    const gcg = await t.call('gcg/set', { databaseId: t.databaseId, percent: '10', seed: 'global' });
    const gcgMembers = new Set(t.db().all<{ id: string }>(`SELECT p.profile_id AS id FROM gcg_members g JOIN profiles_${t.databaseId} p ON p.rowid = g.profile_key`).map((r) => r.id));
    expect(gcgMembers.size).toBe(gcg.size);
    const withGcg = t.groups(id);
    expect([...withGcg.keys()].some((p) => gcgMembers.has(p))).toBe(false);
    const expected = ids(51, 1200).filter((p) => !gcgMembers.has(p)).length;
    expect(withGcg.size).toBe(expected);
    expect((await t.call('campaign/get', { campaignId: id })).campaign.groups.total).toBe(expected);

    await t.call('gcg/exempt', { campaignId: id, exempt: true });
    expect(t.groups(id).size).toBe(1150);
  });
});
