/**
 * Campaign exports by group: Test, LCG, both, and the GCG members of the campaign's audience
 * (its segment's profiles that the global control group holds); nothing before the audience
 * is built.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectEngineError } from '../../../helpers/engine';
import { startCampaignProject } from '../campaigns/helpers';

describe('campaign exports by group', () => {
  it('refuses a campaign whose audience was never built and writes nothing; then exports the GCG of its audience', async () => {
    const t = await startCampaignProject();
    t.generate(100);
    await t.call('gcg/set', { databaseId: t.databaseId, percent: '20', seed: 'global' });
    const half = t.segment('Half', Array.from({ length: 50 }, (_, i) => `p${i + 1}`));
    const id = await t.campaign(half, { percent: 10, limit: null, strata: [] });
    const path = join(t.dir, 'lcg.csv');
    const refused = await expectEngineError(t.call('export/profiles', { databaseId: t.databaseId, path, scope: { kind: 'campaign', campaignId: id, group: 'control' } }), 'REFUSED');
    expect(refused.message).toBe('Export is available after audience building is finished: "Spring" has not been activated yet, so it has no groups.');
    expect(existsSync(path)).toBe(false);
    await expectEngineError(t.call('export/profiles', { databaseId: t.databaseId, path, scope: { kind: 'campaign', campaignId: id, group: 'gcg' } }), 'REFUSED');
    expect(existsSync(path)).toBe(false);

    await t.call('campaign/activate', { campaignId: id });
    const gcgOfDatabase = new Set(
      t.db().all<{ id: string }>(`SELECT p.profile_id AS id FROM gcg_members g JOIN profiles_${t.databaseId} p ON p.rowid = g.profile_key`).map((r) => String(r.id)),
    );
    const heldFromHalf = [...gcgOfDatabase].filter((p) => Number(p.slice(1)) <= 50);
    expect(heldFromHalf.length).toBeGreaterThan(0);
    expect(heldFromHalf.length).toBeLessThan(gcgOfDatabase.size);

    const gcgPath = join(t.dir, 'gcg.csv');
    const result = await t.call('export/profiles', { databaseId: t.databaseId, path: gcgPath, fieldIds: [], scope: { kind: 'campaign', campaignId: id, group: 'gcg' } });
    expect(result.rows).toBe(heldFromHalf.length);
    const lines = readFileSync(gcgPath, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('profile_id,subscription_status,group');
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(heldFromHalf.sort());
    expect(lines.slice(1).every((l) => l.endsWith(',subscribed,gcg'))).toBe(true);
    // None of them is in the campaign; Test and LCG together are the rest of the segment.
    const members = t.groups(id);
    expect(heldFromHalf.some((p) => members.has(p))).toBe(false);
    const all = await t.call('export/profiles', { databaseId: t.databaseId, path: join(t.dir, 'all.csv'), scope: { kind: 'campaign', campaignId: id, group: 'all' } });
    expect(all.rows + heldFromHalf.length).toBe(50);
    // With a limit and a status filter, as any export.
    const limited = await t.call('export/profiles', { databaseId: t.databaseId, path: join(t.dir, 'two.csv'), limit: 2, subscription: ['subscribed'], scope: { kind: 'campaign', campaignId: id, group: 'gcg' } });
    expect(limited.rows).toBe(Math.min(2, heldFromHalf.length));
  });
});
