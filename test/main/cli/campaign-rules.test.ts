/**
 * `cplan campaign` and `cplan activity` on the guide's rules, in process (runCli): the
 * campaign export with the app's options and the GCG group, restore by a name a live
 * campaign shares, --yes before an activation that puts nobody in Test or an expansion that
 * grows other campaigns, forced into Test, and another process's build seen from here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/cplan';
import { pausedActivation, startCampaignProject, type CampaignProject } from '../engine/campaigns/helpers';

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

/** 100 profiles, a GCG of 20 %, the segment "Half" (p1-p50) and "Spring" on it with a broadcast; saved as p.cplan. */
async function project(): Promise<{ t: CampaignProject; file: string; campaignId: number; half: number }> {
  const t = await startCampaignProject();
  t.generate(100, { values: { letter: "CASE WHEN i % 2 = 0 THEN 'even' ELSE 'odd' END" } });
  await t.call('gcg/set', { databaseId: t.databaseId, percent: '20', seed: 'global' });
  const half = t.segment('Half', Array.from({ length: 50 }, (_, i) => `p${i + 1}`));
  const campaignId = await t.campaign(half, { percent: 10, limit: null, strata: [] });
  const file = join(t.dir, 'p.cplan');
  await t.call('project/saveAs', { path: file });
  return { t, file, campaignId, half };
}

const csvLines = (path: string) => readFileSync(path, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');

describe('cplan campaign export', () => {
  it('says that a never-built campaign has nothing to export and writes nothing; then exports by group with statuses, fields and a limit', async () => {
    const { t, file } = await project();
    const out = join(t.dir, 'out.csv');
    const early = await cli('campaign', 'export', file, 'Spring', out);
    expect(early.code).toBe(1);
    expect(early.stderr).toBe('cplan: Export is available after audience building is finished: "Spring" has not been activated yet, so it has no groups.\n');
    expect(existsSync(out)).toBe(false);
    expect((await cli('campaign', 'members', file, 'Spring', '--out', out)).code).toBe(1);
    expect(existsSync(out)).toBe(false);

    expect((await cli('campaign', 'activate', file, 'Spring')).code).toBe(0);
    const gcgPath = join(t.dir, 'gcg.csv');
    const gcg = await cli('campaign', 'export', file, 'Spring', gcgPath, '--group', 'gcg', '--fields', 'letter', '--status', 'subscribed', '--limit', '3');
    expect(gcg.code, gcg.stderr).toBe(0);
    expect(gcg.stdout).toMatch(/^Wrote 3 GCG members of "Spring" to /);
    const lines = csvLines(gcgPath);
    expect(lines[0]).toBe('profile_id,subscription_status,group,letter');
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(['gcg', 'gcg', 'gcg']);

    const lcgPath = join(t.dir, 'lcg.csv');
    const lcg = await cli('campaign', 'members', file, 'Spring', '--out', lcgPath, '--group', 'control', '--limit', '2', '--fields', '');
    expect(lcg.code, lcg.stderr).toBe(0);
    expect(csvLines(lcgPath)).toEqual(['profile_id,subscription_status,group', expect.stringMatching(/,subscribed,control$/), expect.stringMatching(/,subscribed,control$/)]);
    const bounced = await cli('campaign', 'export', file, 'Spring', join(t.dir, 'b.csv'), '--status', 'bounced');
    expect(bounced.stdout).toMatch(/^Wrote 0 members/);

    const screen = await cli('campaign', 'members', file, 'Spring', '--group', 'gcg');
    expect(screen.code).toBe(2);
    expect(screen.stderr).toMatch(/--group gcg goes with --out/);
    expect((await cli('campaign', 'export', file, 'Spring', join(t.dir, 'x.csv'), '--group', 'everyone')).code).toBe(2);
    expect((await cli('campaign', 'export', file, 'Spring', join(t.dir, 'x.csv'), '--status', 'nobody')).code).toBe(2);
  });
});

describe('cplan campaign restore', () => {
  it('a name shared by a live campaign and one in the bin restores the one in the bin; two in the bin are refused with their ids', async () => {
    const { t, file, half } = await project();
    const create = async (name: string) => (await t.call('campaign/create', { name, databaseId: t.databaseId, segmentId: half })).id;
    const binned = await create('Dup');
    await t.call('campaign/delete', { campaignId: binned });
    const live = await create('Dup');
    const [twiceA, twiceB] = [await create('Twice'), await create('Twice')];
    await t.call('campaign/delete', { campaignId: twiceA });
    await t.call('campaign/delete', { campaignId: twiceB });
    await t.call('project/save', {});

    const restored = await cli('campaign', 'restore', file, 'dup');
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(new RegExp(`^Restored "Dup" \\(id ${binned}\\) from the recycle bin, as completed\\. The campaign of that name not in the bin \\(id ${live}\\) is unchanged\\.`));

    const twice = await cli('campaign', 'restore', file, 'Twice');
    expect(twice.code).toBe(2);
    expect(twice.stderr).toBe(`cplan: the recycle bin holds 2 campaigns named "Twice" (ids ${twiceA}, ${twiceB}); give the id of the one to restore\n`);
    expect((await cli('campaign', 'restore', file, String(twiceB))).code).toBe(0);

    const notInBin = await cli('campaign', 'restore', file, 'Spring');
    expect(notInBin.code).toBe(1);
    expect(notInBin.stderr).toMatch(/"Spring" \(id \d+\) is not in the recycle bin: only a campaign in the recycle bin can be restored\./);
  });
});

describe('cplan asks for --yes where the app asks first', () => {
  it('refuses an activation of an empty audience, or one where the LCG takes everyone, without --yes', async () => {
    const { t, file } = await project();
    const empty = t.segment('Nobody', []);
    await t.campaign(empty, { percent: 10, limit: null, strata: [] }, 's', 'Empty');
    await t.call('project/save', {});
    const refused = await cli('campaign', 'activate', file, 'Empty');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('cplan: The audience of "Empty" is empty: its segment "Nobody 2" has no profiles. Activated, the campaign reaches nobody. Add --yes to activate anyway.\n');
    const later = await cli('campaign', 'activate', file, 'Empty', '--at', '2030-01-01T10:00');
    expect(later.stderr).toMatch(/Add --yes to activate anyway\.\n$/);
    const confirmed = await cli('campaign', 'activate', file, 'Empty', '--yes');
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(confirmed.stdout).toMatch(/^Activated "Empty": 0 test, 0 LCG\./);

    await cli('campaign', 'lcg', file, 'Spring', '--percent', '100');
    const all = await cli('campaign', 'activate', file, 'Spring');
    expect(all.code).toBe(1);
    expect(all.stderr).toMatch(/^cplan: The LCG would take the whole audience of "Spring" \(\d+ of \d+ profiles\)/);
  });

  it('refuses a run whose audience expansion grows other active campaigns without --yes, and lists them after it', async () => {
    const { t, file, half, campaignId } = await project();
    const extra = t.segment('Extra', Array.from({ length: 20 }, (_, i) => `p${51 + i}`));
    const other = await t.campaign(half, { percent: 10, limit: null, strata: [] }, 's', 'Other');
    await t.call('activity/create', { databaseId: t.databaseId, campaignId, name: 'Grow', type: 'regular_mailing', segmentId: extra, audienceExpansion: true });
    await t.call('campaign/activate', { campaignId });
    await t.call('campaign/activate', { campaignId: other });
    await t.call('project/save', {});
    const refused = await cli('activity', 'run', file, 'Grow');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Audience expansion adds 20 profiles to the campaign's segment "Half 1".*the active campaign "Other" takes them too\. Add --yes to run it anyway\.\n$/);
    const ran = await cli('activity', 'run', file, 'Grow', '--yes');
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/other campaigns on the segment gained profiles: "Other" \+\d+/);
    expect(ran.stdout).toMatch(/left out: \d+ in the global control group/);

    const marketing = await cli('activity', 'create', file, 'Promo', '--type', 'broadcast', '--campaign', 'Spring', '--ignore-subscription');
    expect(marketing.code).toBe(1);
    expect(marketing.stderr).toMatch(/Only a transactional activity, one that ignores the LCG, can ignore subscription/);
    const receipt = await cli('activity', 'create', file, 'Receipt', '--type', 'triggered', '--campaign', 'Spring', '--ignore-lcg', '--ignore-subscription');
    expect(receipt.stdout).toMatch(/Test and LCG \(ignores the LCG\), every subscription status \(ignores subscription\)/);
    await cli('campaign', 'deactivate', file, 'Spring');
    const list = await cli('activity', 'list', file, '--campaign', 'Spring');
    expect(list.stdout).toMatch(/Grow\s+Regular mailing\s+active, not running: campaign inactive/);
  });
});

describe('cplan campaign add-profiles --force-test', () => {
  it('moves an LCG member to Test and says so', async () => {
    const { t, file, campaignId } = await project();
    await t.call('campaign/activate', { campaignId });
    const lcg = [...t.groups(campaignId)].find(([, g]) => g === 'control')![0];
    await t.call('project/save', {});
    const moved = await cli('campaign', 'add-profiles', file, 'Spring', lcg, '--force-test');
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toContain('Moved 1 profile from the LCG to Test (forced into Test; a "Moved to Test" event each).');
    const events = await cli('campaign', 'events', file, 'Spring', '--kind', 'moved_to_test');
    expect(events.stdout).toContain(lcg);
    // The kind of an earlier version's leavers is still understood, as Campaign exit.
    expect((await cli('campaign', 'events', file, 'Spring', '--kind', 'profile_left')).code).toBe(0);
  });
});

describe('cplan campaign show while another process builds the audience', () => {
  it('shows Audience building, and which process is at it', async () => {
    const { t, file, campaignId } = await project();
    const build = pausedActivation(t, campaignId);
    await build.paused;
    const shown = await cli('campaign', 'show', file, 'Spring');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^"Spring" \(id \d+\): Audience building\n {2}now {9}another process \(pid \d+\) has been building its audience since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect((await cli('campaign', 'list', file)).stdout).toMatch(/Spring\s+Audience building/);
    build.release();
    await build.done;
    // Built, not saved yet.
    expect((await cli('campaign', 'show', file, 'Spring')).stdout).toMatch(/^"Spring" \(id \d+\): Audience building\n {2}now {9}another process \(pid \d+\) built its audience at .* and has not saved it yet/);
    await t.call('project/save', {});
    expect((await cli('campaign', 'show', file, 'Spring')).stdout).toMatch(/^"Spring" \(id \d+\): Active\n/);
  });
});
