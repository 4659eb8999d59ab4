/**
 * Same seed, same data, same split: after save and reopen, in a copy of the campaign, and
 * as the SQL of STATS.md 1.6 run on the project's own tables (md5 registered in sql.js),
 * profile by profile. 30,000 profiles, so the IDs are hashed in the worker pool.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LcgSettings } from '../../../../shared/contract/campaigns';
import { profileTable } from '../../../../main/engine/databases/profile-table';
import { startCampaignProject, stats16Sql, type CampaignProject } from './helpers';

const PROFILES = 30_000;

async function project(): Promise<CampaignProject> {
  const t = await startCampaignProject([
    { name: 'city', type: 'string' },
    { name: 'age', type: 'number' },
  ]);
  // Uneven strata, some without a value, IDs that do not sort like numbers.
  t.generate(PROFILES, {
    prefix: 'id-',
    values: {
      city: "CASE WHEN i % 11 = 0 THEN NULL WHEN i % 3 = 0 THEN 'Москва' WHEN i % 5 = 0 THEN 'Berlin' ELSE 'Paris' END",
      age: 'CASE WHEN i % 13 = 0 THEN NULL ELSE 15 + (i * 7919) % 60 END',
    },
  });
  return t;
}

function sqlAssignment(t: CampaignProject, campaignId: number, seed: string, m: number): Map<string, string> {
  t.registerMd5();
  const audience = `SELECT p.profile_id, s.key AS stratum_key FROM campaign_members cm
      JOIN ${profileTable(t.databaseId)} p ON p.rowid = cm.profile_key
      JOIN campaign_strata s ON s.campaign_id = cm.campaign_id AND s.stratum = cm.stratum
     WHERE cm.campaign_id = ${campaignId}`;
  const rows = t.db().all<{ profile_id: string; grp: string }>(stats16Sql(audience), { ':seed': seed, ':m': m });
  return new Map(rows.map((r) => [String(r.profile_id), String(r.grp)]));
}

describe('a reproducible split', () => {
  it('gives the same groups after save and reopen, in a copy with the same seed, and as the STATS.md 1.6 SQL', async () => {
    const t = await project();
    const lcg: LcgSettings = {
      percent: '7.25',
      limit: null,
      strata: [
        { kind: 'values', fieldId: t.field('city').id },
        { kind: 'ranges', fieldId: t.field('age').id, bounds: [25, 40, 60] },
      ],
    };
    const segmentId = t.segment('All');
    const id = await t.campaign(segmentId, lcg, 'repro-seed');
    const built = await t.call('campaign/activate', { campaignId: id }, 'activate-1');
    const m = built.versions[0]!.controlTotal;
    expect(m).toBe(Math.floor((PROFILES * 725 + 5000) / 10000));
    expect(built.campaign.groups.control).toBe(m);
    expect(built.strata.length).toBe(4 * 5);
    expect(built.strata.map((s) => s.key)).toContain(JSON.stringify(['', '']));
    expect(built.strata.map((s) => s.label)).toContain('city = Москва · age 25 to under 40');
    const original = t.groups(id);
    expect(original.size).toBe(PROFILES);

    // The warehouse's way: STATS.md 1.6 on the project's own tables.
    const bySql = sqlAssignment(t, id, 'repro-seed', m);
    expect(bySql.size).toBe(PROFILES);
    let differences = 0;
    for (const [profileId, grp] of original) if (bySql.get(profileId) !== grp) differences += 1;
    expect(differences).toBe(0);

    // Saved and reopened: the same groups; a copy with the same seed splits the same.
    const path = join(t.dir, 'repro.cplan');
    await t.call('project/saveAs', { path });
    await t.call('project/close', {});
    await t.call('project/open', { path });
    expect(t.groups(id)).toEqual(original);
    const copy = await t.call('campaign/clone', { campaignId: id });
    expect(copy).toMatchObject({ status: 'inactive', seed: 'repro-seed', clonedFrom: id, groups: { total: 0 } });
    t.activity(copy.id);
    await t.call('campaign/activate', { campaignId: copy.id });
    expect(t.groups(copy.id)).toEqual(original);
    expect(t.strata(copy.id)).toEqual(t.strata(id));

    // Another seed gives another LCG of the same size.
    const other = await t.campaign(segmentId, lcg, 'another-seed');
    await t.call('campaign/activate', { campaignId: other });
    const otherGroups = t.groups(other);
    const overlap = [...original].filter(([pid, g]) => g === 'control' && otherGroups.get(pid) === 'control').length;
    expect([...otherGroups.values()].filter((g) => g === 'control').length).toBe(m);
    expect(overlap).toBeLessThan(m / 4);
  });

  it('without stratification, matches the SQL with one stratum', async () => {
    const t = await project();
    const id = await t.campaign(t.segment('All'), { percent: 10, limit: 2500, strata: [] }, 'plain');
    const built = await t.call('campaign/activate', { campaignId: id });
    expect(built.campaign.groups.control).toBe(2500);
    expect(built.strata).toHaveLength(1);
    expect(built.strata[0]).toMatchObject({ key: '', label: 'All profiles', size: PROFILES, control: 2500 });
    const bySql = sqlAssignment(t, id, 'plain', 2500);
    expect(t.groups(id)).toEqual(bySql);
  });
});
