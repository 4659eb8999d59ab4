/** Sticky membership (STATS.md 1.4): new profiles only fill the shortfall; nobody assigned moves. */
import { describe, expect, it } from 'vitest';
import { controlTotal } from '../../../../shared/split/control-total';
import { growCampaign } from '../../../../main/engine/campaigns/audience';
import { directContext, startCampaignProject } from './helpers';

const LETTERS = "CASE WHEN i % 10 < 5 THEN 'A' WHEN i % 10 < 8 THEN 'B' ELSE 'C' END";

describe('sticky growth', () => {
  it('adding profiles moves nobody, fills each stratum from new profiles, and keeps the LCG total exact', async () => {
    const t = await startCampaignProject();
    t.generate(5000, { values: { letter: LETTERS } });
    const segmentId = t.segment('Audience');
    const lcg = { percent: '12.5', limit: null, strata: [{ kind: 'values' as const, fieldId: t.field('letter').id }] };
    const id = await t.campaign(segmentId, lcg, 'grow');
    await t.call('campaign/activate', { campaignId: id });
    const first = t.groups(id);
    expect([...first.values()].filter((g) => g === 'control')).toHaveLength(625);

    // 1,500 new profiles in every stratum join the segment; growth runs as activities run it.
    t.generate(1500, { from: 5001, values: { letter: LETTERS } });
    t.addToSegment(segmentId, Array.from({ length: 1500 }, (_, i) => `p${5001 + i}`));
    const db = t.db();
    const result = await db.transactionAsync(() => growCampaign(directContext(t), id, { reason: 'growth' }));
    expect(result).toMatchObject({ joined: 1500, left: 0 });
    expect(result.toControl + result.toTest).toBe(1500);

    const grown = t.groups(id);
    for (const [profileId, grp] of first) expect(grown.get(profileId)).toBe(grp);
    const control = [...grown.values()].filter((g) => g === 'control').length;
    expect(control).toBe(controlTotal(6500, { percent: '12.5' }));
    const detail = await t.call('campaign/get', { campaignId: id });
    const version = detail.versions[0]!;
    expect(version).toMatchObject({ reason: 'growth', audience: 6500, joined: 1500, surplus: 0, shortfall: 0, controlTotal: control });
    for (const row of detail.strata) expect(Math.abs(row.control - row.quota)).toBeLessThan(1);
    // New control profiles are the lowest hashes among the new ones of their stratum.
    const joinedEvents = await t.call('campaign/events', { campaignId: id, kinds: ['profile_joined'], limit: 1000 });
    expect(joinedEvents.total).toBe(1500);
    expect(joinedEvents.events[0]!.text).toMatch(/^Joined the campaign: (Test|LCG)$/);
  });

  it('re-activation is growth too; profiles that left the segment leave with an event and come back as new ones', async () => {
    const t = await startCampaignProject();
    t.generate(1000, { values: { letter: LETTERS } });
    const segmentId = t.segment('Audience');
    const id = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] }, 'again');
    await t.call('campaign/activate', { campaignId: id });
    const first = t.groups(id);
    await t.call('campaign/deactivate', { campaignId: id });

    // 100 profiles leave the segment, 300 new ones join it.
    const leaving = Array.from({ length: 100 }, (_, i) => `p${i + 1}`);
    t.db().run(
      `DELETE FROM segment_members WHERE segment_id = ? AND profile_key IN (SELECT rowid FROM profiles_${t.databaseId} WHERE profile_id IN (SELECT value FROM json_each(?)))`,
      [segmentId, JSON.stringify(leaving)],
    );
    t.generate(300, { from: 1001 });
    t.addToSegment(segmentId, Array.from({ length: 300 }, (_, i) => `p${1001 + i}`));
    const detail = await t.call('campaign/activate', { campaignId: id });
    const grown = t.groups(id);
    expect(grown.size).toBe(1200);
    for (const [profileId, grp] of first) if (!leaving.includes(profileId)) expect(grown.get(profileId)).toBe(grp);
    expect(detail.versions[0]).toMatchObject({ reason: 'activation', joined: 300, left: 100, audience: 1200 });
    const left = await t.call('campaign/events', { campaignId: id, kinds: ['campaign_exit'] });
    expect(left.total).toBe(100);
    expect(new Set(left.events.map((e) => e.profileId))).toEqual(new Set(leaving));
    const leftControl = leaving.filter((p) => first.get(p) === 'control').length;
    // Control after: the survivors' control plus the shortfall, filled only from new profiles.
    const control = [...grown.values()].filter((g) => g === 'control').length;
    expect(control).toBe(Math.max(100 - leftControl, 120));

    // One of those who left comes back: a new profile again.
    t.addToSegment(segmentId, ['p1']);
    await t.call('campaign/deactivate', { campaignId: id });
    await t.call('campaign/activate', { campaignId: id });
    expect(t.groups(id).has('p1')).toBe(true);
  });

  it('a surplus is reported and kept: nobody moves out of the LCG', async () => {
    const t = await startCampaignProject();
    t.generate(1000);
    const segmentId = t.segment('Audience');
    const id = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] }, 'surplus');
    await t.call('campaign/activate', { campaignId: id });
    const before = t.groups(id);
    const detail = await t.call('campaign/setLcg', { campaignId: id, lcg: { percent: 5, limit: null, strata: [] } });
    expect(t.groups(id)).toEqual(before);
    expect(detail.versions[0]).toMatchObject({ reason: 'lcg_change', controlTotal: 50, surplus: 50, shortfall: 0 });
  });
});
