/**
 * Rules found in review: campaigns sharing a segment follow each other's additions; deleting
 * an Inactive campaign frees its activities; GCG members are reported, not added; an
 * impossible activation date is refused; 0 % is no LCG; an activity of a completed campaign
 * can be renamed only; IDs from a spreadsheet export match.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectEngineError } from '../../../helpers/engine';
import { startCampaignProject } from './helpers';

const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `p${from + i}`);

describe('review rules', () => {
  it('a profile added by hand to one campaign reaches the other active campaigns on its segment', async () => {
    const t = await startCampaignProject();
    t.generate(60);
    const segmentId = t.segment('Shared', ids(1, 50));
    const a = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] }, 'a', 'A');
    const b = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] }, 'b', 'B');
    await t.call('campaign/activate', { campaignId: a });
    await t.call('campaign/activate', { campaignId: b });
    const added = await t.call('campaign/addProfiles', { campaignId: a, profileIds: ['p51', 'p52'] });
    expect(added.added).toBe(2);
    const sizes = Object.fromEntries((await t.call('campaign/list', {})).map((c) => [c.name, c.groups.total]));
    expect(sizes).toEqual({ A: 52, B: 52 });
  });

  it('deleting an Inactive campaign moves its activities to the external list, free to be attached elsewhere', async () => {
    const t = await startCampaignProject();
    t.generate(10);
    const segmentId = t.segment('All');
    const doomed = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] }, 'd', 'Doomed');
    const other = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] }, 'o', 'Other');
    const [activity] = await t.call('activity/list', { campaignId: doomed });
    await t.call('campaign/delete', { campaignId: doomed });
    const external = await t.call('activity/list', { databaseId: t.databaseId, external: true });
    expect(external.map((x) => x.id)).toContain(activity!.id);
    await t.call('activity/move', { activityId: activity!.id, campaignId: other, attach: true });
    const events = await t.call('campaign/events', { campaignId: doomed, kinds: ['deleted'], offset: 0, limit: 5 });
    expect(events.events[0]?.text).toMatch(/moved to the external list/);
  });

  it('says how many profiles added by hand are in the GCG, and adds none of them', async () => {
    const t = await startCampaignProject();
    t.generate(200);
    const segmentId = t.segment('Half', ids(1, 100));
    await t.call('gcg/set', { databaseId: t.databaseId, percent: '50', seed: 'g' });
    const inGcg = t.db().all<{ id: string }>(`SELECT p.profile_id AS id FROM gcg_members g JOIN profiles_${t.databaseId} p ON p.rowid = g.profile_key WHERE p.rowid > 100 ORDER BY p.rowid LIMIT 3`).map((r) => r.id);
    const outside = t.db().all<{ id: string }>(`SELECT p.profile_id AS id FROM profiles_${t.databaseId} p WHERE p.rowid NOT IN (SELECT profile_key FROM gcg_members) AND p.rowid > 100 ORDER BY p.rowid LIMIT 2`).map((r) => r.id);
    const id = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] });
    await t.call('campaign/activate', { campaignId: id });
    const result = await t.call('campaign/addProfiles', { campaignId: id, profileIds: [...inGcg, ...outside] });
    expect(result).toMatchObject({ added: 2, inGcg: 3 });
    const inSegment = Number(t.db().scalar(`SELECT COUNT(*) FROM segment_members sm JOIN profiles_${t.databaseId} p ON p.rowid = sm.profile_key WHERE sm.segment_id = ? AND p.profile_id IN (SELECT value FROM json_each(?))`, [segmentId, JSON.stringify(inGcg)]));
    expect(inSegment).toBe(0);
  });

  it('refuses an activation time that does not exist', async () => {
    const t = await startCampaignProject();
    t.generate(5);
    const id = await t.campaign(t.segment('All'), { percent: 10, limit: null, strata: [] });
    await expectEngineError(t.call('campaign/activate', { campaignId: id, at: '2099-02-30T25:99' }), 'INVALID_ARGUMENT');
    await expectEngineError(t.call('campaign/activate', { campaignId: id, at: '2099-02-29T10:00' }), 'INVALID_ARGUMENT');
    expect((await t.call('campaign/get', { campaignId: id })).campaign.status).toBe('inactive');
  });

  it('takes 0 % as no LCG: an active campaign moves everyone to Test', async () => {
    const t = await startCampaignProject();
    t.generate(100);
    const id = await t.campaign(t.segment('All'), { percent: 10, limit: null, strata: [] });
    await t.call('campaign/activate', { campaignId: id });
    const preview = await t.call('campaign/previewLcg', { campaignId: id, lcg: { percent: '0', limit: null, strata: [] } });
    expect(preview.kind).toBe('removed');
    await t.call('campaign/setLcg', { campaignId: id, lcg: { percent: '0', limit: null, strata: [] } });
    expect((await t.call('campaign/get', { campaignId: id })).campaign.groups).toEqual({ test: 100, control: 0, total: 100 });
  });

  it('an activity of a completed campaign can be renamed, not changed', async () => {
    const t = await startCampaignProject();
    t.generate(10);
    const segmentId = t.segment('All');
    const id = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] });
    await t.call('campaign/activate', { campaignId: id });
    await t.call('campaign/complete', { campaignId: id });
    const [activity] = await t.call('activity/list', { campaignId: id });
    expect((await t.call('activity/update', { activityId: activity!.id, name: 'Spring mail (done)' })).name).toBe('Spring mail (done)');
    await expectEngineError(t.call('activity/update', { activityId: activity!.id, ignoreLcg: true }), 'REFUSED');
  });

  it("finds IDs written by a spreadsheet export (formula guard) in a CSV segment and by hand", async () => {
    const t = await startCampaignProject();
    t.generate(3, { prefix: '+7916' });
    const path = join(t.dir, 'ids.csv');
    writeFileSync(path, "customer_id\n'+79161\n'+79162\n");
    const { segment } = await t.call('segment/create', { databaseId: t.databaseId, name: 'From export', from: { kind: 'csv', path } });
    expect(segment.size).toBe(2);
    const changed = await t.call('segment/addProfiles', { segmentId: segment.id, profileIds: ["'+79163"] });
    expect(changed.changed).toBe(1);
  });
});
