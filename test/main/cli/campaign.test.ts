/** `cplan campaign` as a real process on real files. */
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Campaign, CampaignAttribute, CampaignDetail, CampaignEvent, LcgChangePreview } from '../../../shared/contract/campaigns';
import type { ProfilePage } from '../../../shared/contract/profiles';
import { expectOneLineError, parseJson, useDemoWorkspace, type CplanWorkspace, type JsonFailure } from '../../helpers/cplan-process';
import { startTestEngine } from '../../helpers/engine';

const LONG = 180_000;
// One demo project with a segment of everyone, copied for each test.
const workspace = useDemoWorkspace(1000, 'campaigns', async (t) => {
  expect((await t.run('segment', 'create', 'demo.cplan', 'Everyone', '--database', 'Customers', '--from', 'all')).code).toBe(0);
});
let w: CplanWorkspace;
beforeEach(() => {
  w = workspace();
});

const ok = async (...args: string[]) => {
  const run = await w.run(...args);
  expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
  return run;
};
const json = async <T>(...args: string[]) => parseJson<T>((await ok(...args, '--json')).stdout);

describe('cplan campaign', () => {
  it('creates a stratified campaign, shows it, activates it and pages its groups', async () => {
    const created = await json<Campaign>(
      'campaign', 'create', 'p.cplan', 'Spring sale', '--database', 'Customers', '--segment', 'everyone',
      '--percent', '10', '--stratum', 'gender', '--stratum', 'purchases:ranges:2,5', '--seed', 'spring',
    );
    expect(created).toMatchObject({ name: 'Spring sale', status: 'inactive', seed: 'spring', lcg: { percent: '10', limit: null } });
    expect(created.lcg.strata.map((s) => s.kind)).toEqual(['values', 'ranges']);
    const refused = await w.run('campaign', 'activate', 'p.cplan', 'Spring sale');
    expect(refused.code).toBe(1);
    expect(expectOneLineError(refused)).toBe('Add at least one activity before activating the campaign.');

    await ok('activity', 'create', 'p.cplan', 'Mail', '--type', 'broadcast', '--campaign', 'Spring sale');
    copyFileSync(join(w.dir, 'p.cplan'), join(w.dir, 'same.cplan'));
    const activated = await ok('campaign', 'activate', 'p.cplan', 'spring sale');
    expect(activated.stdout).toMatch(/^Activated "Spring sale": 900 test, 100 LCG\./);
    expect(activated.stdout).toMatch(/Stratum\s+Profiles\s+Quota\s+LCG\s+Share\s+Deviation/);
    expect(activated.stdout).toMatch(/gender = female · purchases < 2/);

    const detail = await json<CampaignDetail>('campaign', 'show', 'p.cplan', 'Spring sale');
    expect(detail.campaign.groups).toEqual({ test: 900, control: 100, total: 1000 });
    expect(detail.strata.reduce((sum, s) => sum + s.control, 0)).toBe(100);
    const control = await json<ProfilePage & { groups: string[] }>('campaign', 'members', 'p.cplan', 'Spring sale', '--group', 'control', '--limit', '5');
    expect(control.total).toBe(100);
    expect(control.groups).toEqual(['control', 'control', 'control', 'control', 'control']);
    const text = await ok('campaign', 'members', 'p.cplan', 'Spring sale', '--limit', '3');
    expect(text.stdout).toMatch(/Profile ID\s+Group\s+Stratum\s+Status/);

    await ok('campaign', 'members', 'p.cplan', 'Spring sale', '--group', 'control', '--out', 'lcg.csv');
    const lines = readFileSync(join(w.dir, 'lcg.csv'), 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(101);

    // The same file activated by the engine in this process: the same LCG, profile by profile.
    const engine = await startTestEngine();
    await engine.call('project/open', { path: join(w.dir, 'same.cplan') });
    await engine.call('campaign/activate', { campaignId: created.id });
    const page = await engine.call('campaign/members', { campaignId: created.id, group: 'control', offset: 0, limit: 1000 });
    const header = lines[0]!.split(',');
    const fromCli = lines.slice(1).map((line) => line.split(',')[header.indexOf('profile_id')]);
    expect(fromCli.sort()).toEqual(page.rows.map((r) => r.profileId).sort());
    const list = await ok('campaign', 'list', 'p.cplan');
    expect(list.stdout).toMatch(/Spring sale\s+Active\s+Customers\s+900\s+100\s+1/);
  }, LONG);

  it('previews and changes the LCG, keeping what is not given', async () => {
    await ok('campaign', 'create', 'p.cplan', 'C', '--database', 'Customers', '--segment', 'Everyone', '--percent', '10', '--stratum', 'gender');
    const preview = await json<LcgChangePreview>('campaign', 'preview-lcg', 'p.cplan', 'C', '--percent', '15', '--limit', '12', '--stratum', 'city');
    expect(preview.warning?.message).toMatch(/^Stratification violation/);
    const changed = await json<CampaignDetail>('campaign', 'lcg', 'p.cplan', 'C', '--limit', '50');
    expect(changed.campaign.lcg).toMatchObject({ percent: '10', limit: 50 });
    expect(changed.campaign.lcg.strata).toHaveLength(1);
    const cleared = await json<CampaignDetail>('campaign', 'lcg', 'p.cplan', 'C', '--percent', 'none', '--no-strata');
    expect(cleared.campaign.lcg).toEqual({ percent: null, limit: 50, strata: [] });
    const usage = await w.run('campaign', 'lcg', 'p.cplan', 'C');
    expect(usage.code).toBe(2);
    const badField = await w.run('campaign', 'lcg', 'p.cplan', 'C', '--stratum', 'shoe_size');
    expect(badField.code).toBe(1);
    expect(expectOneLineError(badField)).toMatch(/"Customers" has no field "shoe_size"/);
  }, LONG);

  it('defines attributes, requires them, updates, clones, completes, deletes and restores', async () => {
    await ok('campaign', 'attribute', 'p.cplan', 'define', 'Channel', '--required', '--choices', 'email|sms');
    expect((await json<CampaignAttribute[]>('campaign', 'attribute', 'p.cplan', 'list')).map((a) => [a.name, a.required, a.choices])).toEqual([['Channel', true, ['email', 'sms']]]);
    const missing = await w.run('campaign', 'create', 'p.cplan', 'No channel', '--database', 'Customers', '--segment', 'Everyone');
    expect(missing.code).toBe(1);
    expectOneLineError(missing);
    const created = await json<Campaign>('campaign', 'create', 'p.cplan', 'Summer', '--database', 'Customers', '--segment', 'Everyone', '--attribute', 'channel=email', '--limit', '20');
    expect(Object.values(created.attributes)).toEqual(['email']);
    expect((await json<Campaign>('campaign', 'update', 'p.cplan', 'Summer', '--name', 'Summer sale', '--attribute', 'Channel=sms')).name).toBe('Summer sale');
    const copy = await json<Campaign>('campaign', 'clone', 'p.cplan', 'Summer sale', '--name', 'Summer again');
    expect(copy).toMatchObject({ status: 'inactive', clonedFrom: created.id });

    await ok('activity', 'create', 'p.cplan', 'Mail', '--type', 'broadcast', '--campaign', 'Summer sale');
    await ok('campaign', 'activate', 'p.cplan', 'Summer sale');
    const deactivated = await ok('campaign', 'deactivate', 'p.cplan', 'Summer sale');
    expect(deactivated.stdout).toMatch(/^Deactivated "Summer sale"; its groups are kept\.\n\n.*Inactive\n.*groups {6}980 test, 20 LCG/s);
    const deleteRefused = await w.run('campaign', 'delete', 'p.cplan', 'Summer sale', '--json');
    expect(parseJson<JsonFailure>(deleteRefused.stdout).error).toMatchObject({ code: 'REFUSED', message: expect.stringMatching(/profiles are allocated to this campaign: complete it first/) });
    expect((await ok('campaign', 'complete', 'p.cplan', 'Summer sale')).stdout).toMatch(/^Completed "Summer sale": it can never run again\./);
    await ok('campaign', 'delete', 'p.cplan', 'Summer sale');
    expect((await json<Campaign[]>('campaign', 'list', 'p.cplan')).map((c) => c.name)).toEqual(['Summer again']);
    expect((await json<Campaign[]>('campaign', 'list', 'p.cplan', '--deleted')).map((c) => c.name).sort()).toEqual(['Summer again', 'Summer sale']);
    expect((await json<Campaign>('campaign', 'restore', 'p.cplan', 'Summer sale')).status).toBe('completed');
    const events = await json<{ total: number; events: CampaignEvent[] }>('campaign', 'events', 'p.cplan', 'Summer sale', '--kind', 'activated,completed');
    expect(events.events.map((e) => e.kind)).toEqual(['completed', 'activated']);
    expect((await w.run('campaign', 'events', 'p.cplan', 'Summer sale', '--kind', 'exploded')).code).toBe(2);
  }, LONG);

  it('adds profiles by hand to a campaign on a static segment, forced into Test', async () => {
    await ok('segment', 'create', 'p.cplan', 'Few', '--database', 'Customers', '--from', 'empty');
    await ok('segment', 'add', 'p.cplan', 'Few', '0000001', '0000002', '0000003');
    await ok('campaign', 'create', 'p.cplan', 'Small', '--database', 'Customers', '--segment', 'Few', '--percent', '50');
    await ok('activity', 'create', 'p.cplan', 'Mail', '--type', 'broadcast', '--campaign', 'Small');
    await ok('campaign', 'activate', 'p.cplan', 'Small');
    const added = await ok('campaign', 'add-profiles', 'p.cplan', 'Small', '0000010', '0000011', 'ghost', '--force-test');
    expect(added.stdout).toBe('Added 2 profiles to "Small": 2 to test, 0 to the LCG.\n1 ID not in the database: ghost.\n');
    expect((await json<Campaign>('campaign', 'update', 'p.cplan', 'Small', '--name', 'Small')).groups.total).toBe(5);
  }, LONG);

  it('refuses wrong command lines with exit code 2 and unknown campaigns with 1, leaving nothing behind', async () => {
    for (const args of [
      ['campaign', 'create', 'p.cplan', 'X', '--database', 'Customers'],
      ['campaign', 'create', 'p.cplan', 'X', '--database', 'Customers', '--segment', 'Everyone', '--percent', '7.255'],
      ['campaign', 'create', 'p.cplan', 'X', '--database', 'Customers', '--segment', 'Everyone', '--stratum', 'purchases:ranges:'],
      ['campaign', 'activate', 'p.cplan', 'X', '--at', 'next monday'],
      ['campaign', 'show', 'p.cplan'],
      ['campaign', 'show', 'p.cplan', 'X', '--percent', '5'],
      ['campaign', 'members', 'p.cplan', 'X', '--group', 'gcg'],
      ['campaign', 'fly', 'p.cplan'],
    ]) {
      const run = await w.run(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expectOneLineError(run);
    }
    const unknown = await w.run('campaign', 'show', 'p.cplan', 'Nobody');
    expect(unknown.code).toBe(1);
    expect(expectOneLineError(unknown)).toBe('There is no campaign "Nobody"; there are none.');
    expect([...readdirSync(w.dir).filter((f) => f.endsWith('.tmp')), ...readdirSync(w.tmp)]).toEqual([]);
  }, LONG);
});
