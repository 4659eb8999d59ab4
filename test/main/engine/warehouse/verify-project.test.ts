/**
 * warehouse/verifyProject on campaigns with a history made by the real engine (growth
 * after activation, an LCG size change, profiles forced into Test by hand, other
 * stratification values, other fields): the stored groups are what the rule gives. The
 * same file edited with plain SQL (an LCG member put in Test, a Test member swapped into
 * the LCG, both with or without the stored counts) fails, naming the campaign and counts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProjectCheck } from '../../../../shared/contract/warehouse';
import { profileTable } from '../../../../main/engine/databases/profile-table';
import { startTestEngine } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/temp-dir';
import { CAMPAIGNS, editFile, historyProject, type HistoryProject } from './history-project';

let project: HistoryProject;
beforeAll(async () => {
  project = await historyProject();
}, 120_000);

async function verifyFile(path: string): Promise<ProjectCheck> {
  const t = await startTestEngine();
  await t.call('project/open', { path });
  return t.call('warehouse/verifyProject', {}, 'verify-project');
}

/** The first member (by profile ID) of `campaign` in `group`, and its profile key. */
function member(campaignId: number, group: 'test' | 'control', offset = 0): { id: string; key: number } {
  const row = project.t.db().get<{ id: string; k: number }>(
    `SELECT p.profile_id AS id, m.profile_key AS k FROM campaign_members m JOIN ${profileTable(project.t.databaseId)} p ON p.rowid = m.profile_key
      WHERE m.campaign_id = ? AND m.grp = ? AND m.forced = 0 ORDER BY p.profile_id LIMIT 1 OFFSET ?`,
    [campaignId, group, offset],
  )!;
  return { id: String(row.id), key: Number(row.k) };
}

describe('checking every campaign against the rule', () => {
  it('a project built by the engine holds exactly the rule’s groups', async () => {
    const check = await project.t.call('warehouse/verifyProject', {});
    for (const c of check.campaigns) expect({ name: c.name, problems: c.problems, wrong: c.wrong }).toEqual({ name: c.name, problems: [], wrong: 0 });
    expect(check.ok).toBe(true);
    expect(check.campaigns.map((c) => c.name)).toEqual([...CAMPAIGNS]);
    // The history is there: several builds, joins recorded, a member forced into Test.
    const byHand = project.ids['By hand'];
    expect(project.t.db().scalar('SELECT COUNT(*) FROM split_versions WHERE campaign_id = ?', [byHand])).toBeGreaterThanOrEqual(3);
    expect(project.t.db().scalar("SELECT COUNT(*) FROM campaign_members WHERE campaign_id = ? AND forced = 1", [byHand])).toBe(6);
    for (const c of check.campaigns) {
      const fingerprint = await project.t.call('warehouse/fingerprint', { campaignId: c.campaignId });
      expect(c.fingerprint).toBe(fingerprint.fingerprint);
    }
    // The saved file too.
    const copy = join(tempDir(), 'copy.cplan');
    writeFileSync(copy, project.bytes);
    expect((await verifyFile(copy)).ok).toBe(true);
  });

  it('an LCG member put in Test with plain SQL fails, naming the campaign and counts', async () => {
    const id = project.ids.Stratified;
    const edited = member(id, 'control');
    const out = join(tempDir(), 'one-to-test.cplan');
    await editFile(project.bytes, out, `UPDATE campaign_members SET grp = 'test' WHERE campaign_id = ${id} AND profile_key = ${edited.key}`);
    const check = await verifyFile(out);
    expect(check.ok).toBe(false);
    const bad = check.campaigns.filter((c) => !c.ok);
    expect(bad.map((c) => c.name)).toEqual(['Stratified']);
    expect(bad[0]).toMatchObject({ wrong: 1, storedControlShouldBeTest: 0, storedTestShouldBeControl: 1, first: [{ id: edited.id, stored: 'test', expected: 'control' }] });
    expect(bad[0]!.problems.join(' ')).toMatch(/the stored counts say .* members, \d+ in the LCG; the members are .*/);
  });

  it('an LCG member put in Test with its stored counts edited too fails, in every kind of history', async () => {
    for (const name of CAMPAIGNS) {
      const id = project.ids[name];
      const edited = member(id, 'control');
      const out = join(tempDir(), `counts-too-${id}.cplan`);
      await editFile(
        project.bytes,
        out,
        `UPDATE campaign_members SET grp = 'test' WHERE campaign_id = ${id} AND profile_key = ${edited.key};
         UPDATE campaign_counts SET control = control - 1 WHERE campaign_id = ${id} AND stratum = (SELECT stratum FROM campaign_members WHERE campaign_id = ${id} AND profile_key = ${edited.key})`,
      );
      const check = await verifyFile(out);
      const bad = check.campaigns.filter((c) => !c.ok);
      expect(bad.map((c) => c.name), name).toEqual([name]);
      // The record's LCG of the member's stratum is one more than the file holds.
      expect(bad[0]!.problems, name).toEqual([expect.stringMatching(/: the record gives [\d,]+ members, [\d,]+ in the LCG; the file holds [\d,]+, [\d,]+ in the LCG\.$/)]);
      // And the member is named, except where its build's strata were recomputed since (other values: not recorded).
      expect(bad[0]!.wrong, name).toBe(name === 'Other values' ? 0 : 1);
    }
  });

  it('a Test member swapped into the LCG (counts kept) fails with both members named', async () => {
    const id = project.ids.Stratified;
    // Two members of the first build in one stratum: the LCG one goes to Test, a Test one to the LCG.
    const rows = project.t.db().all<{ k: number; grp: string; s: number; v: number }>(
      'SELECT profile_key AS k, grp, stratum AS s, version_id AS v FROM campaign_members WHERE campaign_id = ? AND forced = 0 ORDER BY profile_key',
      [id],
    );
    const lcg = rows.find((r) => r.grp === 'control')!;
    const test = rows.find((r) => r.grp === 'test' && r.s === lcg.s && r.v === lcg.v)!;
    const out = join(tempDir(), 'swapped.cplan');
    await editFile(
      project.bytes,
      out,
      `UPDATE campaign_members SET grp = CASE grp WHEN 'control' THEN 'test' ELSE 'control' END WHERE campaign_id = ${id} AND profile_key IN (${lcg.k}, ${test.k})`,
    );
    const check = await verifyFile(out);
    const bad = check.campaigns.find((c) => c.campaignId === id)!;
    expect(check.ok).toBe(false);
    expect(bad).toMatchObject({ ok: false, wrong: 2, storedControlShouldBeTest: 1, storedTestShouldBeControl: 1, problems: [] });
    expect(check.campaigns.filter((c) => !c.ok)).toHaveLength(1);
  });

  it('a member forced into Test put back in the LCG fails, saying so', async () => {
    const id = project.ids['By hand'];
    const out = join(tempDir(), 'forced.cplan');
    await editFile(
      project.bytes,
      out,
      `UPDATE campaign_members SET grp = 'control' WHERE campaign_id = ${id} AND profile_key = (SELECT MIN(profile_key) FROM campaign_members WHERE campaign_id = ${id} AND forced = 1)`,
    );
    const bad = (await verifyFile(out)).campaigns.find((c) => c.campaignId === id)!;
    expect(bad.ok).toBe(false);
    expect(bad.problems).toContain('1 member is in the LCG though forced into Test.');
  });

  it('a campaign whose build record another program damaged fails, saying so; the others are still checked', async () => {
    const id = project.ids['By hand'];
    const out = join(tempDir(), 'damaged.cplan');
    await editFile(project.bytes, out, `UPDATE split_versions SET strata = '[{"size":"many"}]' WHERE campaign_id = ${id}`);
    const check = await verifyFile(out);
    expect(check.ok).toBe(false);
    expect(check.campaigns.filter((c) => !c.ok).map((c) => c.name)).toEqual(['By hand']);
    expect(check.campaigns.find((c) => c.campaignId === id)!.problems[0]).toMatch(/^The project is damaged: the strata of split version \d+ cannot be read/);
  });

  it('a member who joined in a later build, moved into the LCG with its counts, fails', async () => {
    const id = project.ids['Bigger LCG'];
    const later = project.t.db().get<{ k: number; s: number }>(
      `SELECT profile_key AS k, stratum AS s FROM campaign_members WHERE campaign_id = ? AND grp = 'test' AND forced = 0
          AND version_id = (SELECT MAX(version_id) FROM campaign_members WHERE campaign_id = ?) ORDER BY profile_key DESC LIMIT 1`,
      [id, id],
    )!;
    const out = join(tempDir(), 'later.cplan');
    await editFile(
      project.bytes,
      out,
      `UPDATE campaign_members SET grp = 'control' WHERE campaign_id = ${id} AND profile_key = ${later.k};
       UPDATE campaign_counts SET control = control + 1 WHERE campaign_id = ${id} AND stratum = ${later.s};`,
    );
    const bad = (await verifyFile(out)).campaigns.find((c) => c.campaignId === id)!;
    expect(bad.ok).toBe(false);
    expect(bad.storedControlShouldBeTest).toBeGreaterThanOrEqual(1);
  });
});
