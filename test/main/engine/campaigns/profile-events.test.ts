/**
 * Per-profile campaign events are stored as a code (format 11, campaigns/profile-events.ts)
 * and read as the sentences version 10 stored; a format-10 file still reads its own.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CampaignEvent } from '../../../../shared/contract/campaigns';
import { profileEventCodeSql, profileEventText } from '../../../../main/engine/campaigns/profile-events';
import { LATEST_SCHEMA_VERSION } from '../../../../main/engine/project/schema';
import { alterProject } from '../../../helpers/bad-files';
import { TO_V10 } from '../segments/v7-file';
import { startCampaignProject } from './helpers';

const SCENARIOS = ' All active campaign scenarios for this profile are deactivated.';

describe('per-profile campaign events', () => {
  it('read as the sentences earlier versions stored, for every member a code is made of', async () => {
    const t = await startCampaignProject();
    const db = t.db();
    // Members in each group, forced or not; one held by a scenario of their campaign (#7, not made here: no foreign keys).
    db.exec(`
      PRAGMA foreign_keys = OFF;
      CREATE TEMP TABLE m (campaign_id INTEGER, profile_key INTEGER, grp TEXT, forced INTEGER);
      INSERT INTO m VALUES (7, 1, 'test', 0), (7, 2, 'control', 0), (7, 3, 'test', 1), (7, 4, 'test', 0);
      INSERT INTO activities (id, database_id, campaign_id, type, name, status, created_at) VALUES (70, ${t.databaseId}, 7, 'scenario', 'Welcome', 'active', '2026-01-01T00:00:00Z');
      INSERT INTO scenario_holds (activity_id, profile_key, entered, until) VALUES (70, 4, '2026-01-01T00:00', '2026-01-08T00:00');
    `);
    const texts = (kind: CampaignEvent['kind'], why: Parameters<typeof profileEventCodeSql>[1], held = false) =>
      db
        .all<{ code: number }>(`SELECT ${profileEventCodeSql('m', why, { held })} AS code FROM temp.m m ORDER BY profile_key`)
        .map((r) => profileEventText(kind, Number(r.code)));
    expect(texts('profile_joined', 'none')).toEqual(['Joined the campaign: Test', 'Joined the campaign: LCG', 'Joined the campaign: Test (forced into Test)', 'Joined the campaign: Test']);
    expect(texts('campaign_exit', 'outOfSegment', true)).toEqual([
      'Campaign exit: no longer in the segment (was in Test)',
      'Campaign exit: no longer in the segment (was in the LCG)',
      'Campaign exit: no longer in the segment (was in Test)',
      `Campaign exit: no longer in the segment (was in Test).${SCENARIOS}`,
    ]);
    expect(texts('campaign_exit', 'intoGcg', true)[1]).toBe('Campaign exit: now in the global control group (was in the LCG)');
    expect(texts('campaign_exit', 'none', true)).toEqual(['Campaign exit', 'Campaign exit', 'Campaign exit', `Campaign exit.${SCENARIOS}`]);
    expect(texts('moved_to_test', 'byHand')[1]).toBe('Moved to Test from the LCG: added by hand, forced into Test');
    // A code from someone else's file reads as some sentence, never an error.
    for (const code of [-1, 2 ** 40, 255]) expect(profileEventText('campaign_exit', code)).toMatch(/^Campaign exit/);
  });

  it('are stored as a code, not a sentence; a format-10 file reads the sentences it stored', async () => {
    const t = await startCampaignProject();
    t.generate(400);
    const segmentId = t.segment('Audience');
    const id = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] }, 'codes');
    await t.call('campaign/activate', { campaignId: id });
    await t.call('campaign/deactivate', { campaignId: id });
    // 40 leave the segment, 60 new ones join it: an event each at the next activation.
    t.db().run(`DELETE FROM segment_members WHERE segment_id = ? AND profile_key <= 40`, [segmentId]);
    t.generate(60, { from: 401 });
    t.addToSegment(segmentId, Array.from({ length: 60 }, (_, i) => `p${401 + i}`));
    await t.call('campaign/activate', { campaignId: id });

    const stored = t.db().all<{ details: string; code: number | null }>('SELECT details, code FROM campaign_events WHERE profile_key IS NOT NULL');
    expect(stored).toHaveLength(100);
    expect(stored.every((r) => r.details === '{}' && r.code !== null)).toBe(true);
    const read = await t.call('campaign/events', { campaignId: id, limit: 1000 });
    const perProfile = read.events.filter((e) => e.profileId !== null);
    expect(perProfile.filter((e) => /^Campaign exit: no longer in the segment \(was in (Test|the LCG)\)$/.test(e.text))).toHaveLength(40);
    expect(perProfile.filter((e) => /^Joined the campaign: (Test|LCG)$/.test(e.text))).toHaveLength(60);

    // The same project as version 10 wrote it: each per-profile event's sentence in its details.
    const latest = join(t.dir, 'latest.cplan');
    await t.call('project/saveAs', { path: latest });
    const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;
    const v10 = await alterProject(
      latest,
      join(t.dir, 'v10.cplan'),
      `${perProfile.map((e) => `UPDATE campaign_events SET details = json_object('text', ${quoted(e.text)}) WHERE id = ${e.id};`).join('\n')} ${TO_V10}`,
    );
    await t.call('project/open', { path: v10, discard: true });
    expect((await t.call('project/info', {})).fileSchemaVersion).toBe(10);
    expect((await t.call('campaign/events', { campaignId: id, limit: 1000 })).events).toEqual(read.events);
    // TO_V10 undoes formats 11 to 13 (toV11, toV12); a newer format must be undone there too.
    expect(LATEST_SCHEMA_VERSION).toBe(13);
  });
});
