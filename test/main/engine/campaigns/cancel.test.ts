/** A cancelled build leaves the campaign exactly as it was, in its previous status. */
import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../../shared/contract/events';
import { expectEngineError } from '../../../helpers/engine';
import { startCampaignProject, type CampaignProject } from './helpers';

const PROFILES = 200_000;

/** Everything of a campaign a build could change, to compare before and after. */
function snapshot(t: CampaignProject, campaignId: number): unknown {
  const db = t.db();
  const one = (sql: string) => db.all(sql, [campaignId]);
  return {
    campaign: one('SELECT * FROM campaigns WHERE id = ?'),
    members: one('SELECT COUNT(*) AS n, SUM(grp = \'control\') AS c, SUM(stratum), SUM(profile_key * (grp = \'control\')) AS k FROM campaign_members WHERE campaign_id = ?'),
    strata: one('SELECT * FROM campaign_strata WHERE campaign_id = ? ORDER BY stratum'),
    versions: one('SELECT COUNT(*) AS n FROM split_versions WHERE campaign_id = ?'),
    events: one('SELECT COUNT(*) AS n FROM campaign_events WHERE campaign_id = ?'),
    activities: one('SELECT id, status FROM activities WHERE campaign_id = ? ORDER BY id'),
    segment: db.all('SELECT COUNT(*) AS n FROM segment_members'),
  };
}

/** Starts a long call, cancels it at its first progress event of `phase` (any phase without one), and expects CANCELLED. */
async function cancelAtProgress(t: CampaignProject, operationId: string, start: () => Promise<unknown>, phase?: string): Promise<void> {
  const seen = t.events.length;
  const running = start();
  const progressed = () =>
    t.events
      .slice(seen)
      .some((e) => e.event === 'progress' && (e.payload as ProgressEvent).operationId === operationId && (phase === undefined || (e.payload as ProgressEvent).phase === phase));
  while (!progressed()) await new Promise((resolve) => setImmediate(resolve));
  expect(await t.call('operation/cancel', { operationId })).toEqual({ cancelled: true });
  await expectEngineError(running, 'CANCELLED');
}

describe('cancelling an audience build', () => {
  it('an activation of 200,000 profiles, cancelled, leaves the campaign inactive and unsplit; it then activates normally', async () => {
    const t = await startCampaignProject();
    t.generate(PROFILES, { values: { letter: "CASE WHEN i % 3 = 0 THEN 'x' ELSE 'y' END" } });
    const segmentId = t.segment('All');
    const id = await t.campaign(segmentId, { percent: 10, limit: null, strata: [{ kind: 'values', fieldId: t.field('letter').id }] }, 'cancel');
    const before = snapshot(t, id);
    // Cancelled while the IDs are hashed in the worker pool, deep inside the build.
    await cancelAtProgress(t, 'activate-big', () => t.call('campaign/activate', { campaignId: id }, 'activate-big'), 'Hashing profile IDs');
    expect(snapshot(t, id)).toEqual(before);
    expect((await t.call('campaign/get', { campaignId: id })).campaign.status).toBe('inactive');

    const detail = await t.call('campaign/activate', { campaignId: id }, 'activate-again');
    expect(detail.campaign).toMatchObject({ status: 'active', groups: { total: PROFILES, control: PROFILES / 10 } });
  });

  it('a GCG formed while a campaign is active, cancelled as the campaign follows, leaves both as they were', async () => {
    const t = await startCampaignProject();
    t.generate(PROFILES);
    const segmentId = t.segment('All');
    const id = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] }, 'cancel-gcg');
    await t.call('campaign/activate', { campaignId: id });
    const before = snapshot(t, id);
    await cancelAtProgress(t, 'gcg-big', () => t.call('gcg/set', { databaseId: t.databaseId, percent: '20', seed: 'g' }, 'gcg-big'), 'Building the audience');
    expect(snapshot(t, id)).toEqual(before);
    expect(await t.call('gcg/get', { databaseId: t.databaseId })).toMatchObject({ percent: 0, size: 0 });
  });

  it('an LCG rebuild of an active campaign, cancelled, leaves it active with its groups, activities not paused', async () => {
    const t = await startCampaignProject();
    t.generate(PROFILES, { values: { letter: "CASE WHEN i % 3 = 0 THEN 'x' ELSE 'y' END" } });
    const segmentId = t.segment('All');
    const id = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] }, 'cancel-lcg');
    t.activity(id, 'regular_mailing');
    await t.call('campaign/activate', { campaignId: id });
    // New profiles, so the rebuild has real work to do.
    t.generate(50_000, { from: PROFILES + 1 });
    t.db().run(`INSERT INTO segment_members (segment_id, profile_key) SELECT ?, rowid FROM profiles_${t.databaseId} WHERE rowid > ?`, [segmentId, PROFILES]);
    const before = snapshot(t, id);
    await cancelAtProgress(t, 'lcg-big', () =>
      t.call('campaign/setLcg', { campaignId: id, lcg: { percent: 20, limit: null, strata: [] } }, 'lcg-big'),
    );
    expect(snapshot(t, id)).toEqual(before);
    expect((await t.call('campaign/get', { campaignId: id })).campaign.status).toBe('active');
  });
});
