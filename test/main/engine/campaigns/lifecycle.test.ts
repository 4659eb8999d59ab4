/** Creating, editing, completing, cloning, deleting and restoring campaigns; attributes; members. */
import { describe, expect, it } from 'vitest';
import { expectEngineError } from '../../../helpers/engine';
import { startCampaignProject } from './helpers';

describe('campaign attributes', () => {
  it('required ones must be filled on create and cannot be cleared; choices restrict values; removal takes the values', async () => {
    const t = await startCampaignProject();
    const segmentId = t.segment('All');
    const owner = await t.call('attribute/define', { name: 'Owner', required: true });
    const channel = await t.call('attribute/define', { name: 'Channel', required: false, choices: ['email', 'sms'] });
    expect(await t.call('attribute/list', {})).toEqual([
      { id: owner.id, name: 'Owner', required: true, choices: [] },
      { id: channel.id, name: 'Channel', required: false, choices: ['email', 'sms'] },
    ]);
    await expectEngineError(t.call('attribute/define', { name: 'owner', required: false }), 'ALREADY_EXISTS');

    const base = { name: 'Spring', databaseId: t.databaseId, segmentId };
    const missing = await expectEngineError(t.call('campaign/create', base), 'INVALID_ARGUMENT');
    expect(missing.message).toBe('Fill in the required attribute "Owner".');
    await expectEngineError(t.call('campaign/create', { ...base, attributes: { [owner.id]: '  ' } }), 'REFUSED');
    const wrongChoice = await expectEngineError(t.call('campaign/create', { ...base, attributes: { [owner.id]: 'Ann', [channel.id]: 'fax' } }), 'INVALID_ARGUMENT');
    expect(wrongChoice.message).toBe('"fax" is not a choice of "Channel": choose one of "email", "sms".');

    const created = await t.call('campaign/create', { ...base, attributes: { [owner.id]: 'Ann', [channel.id]: 'sms' } });
    expect(created.attributes).toEqual({ [owner.id]: 'Ann', [channel.id]: 'sms' });
    const cleared = await expectEngineError(t.call('campaign/update', { campaignId: created.id, attributes: { [owner.id]: '' } }), 'REFUSED');
    expect(cleared.message).toBe('"Owner" is required: it cannot be left empty.');
    const updated = await t.call('campaign/update', { campaignId: created.id, attributes: { [channel.id]: '' }, name: 'Spring sale' });
    expect(updated).toMatchObject({ name: 'Spring sale', attributes: { [owner.id]: 'Ann' } });

    await t.call('attribute/remove', { attributeId: owner.id });
    expect((await t.call('campaign/list', {}))[0]!.attributes).toEqual({});
  });
});

describe('creating and editing', () => {
  it('a campaign is created Inactive on a segment of its database; database and segment cannot change', async () => {
    const t = await startCampaignProject();
    t.generate(10);
    const segmentId = t.segment('All');
    const created = await t.call('campaign/create', { name: 'Spring', databaseId: t.databaseId, segmentId });
    expect(created).toMatchObject({
      status: 'inactive',
      deleted: false,
      databaseName: 'Customers',
      segmentId,
      lcg: { percent: null, limit: null, strata: [] },
      groups: { test: 0, control: 0, total: 0 },
      activityCount: 0,
      clonedFrom: null,
    });
    expect(created.seed).toMatch(/^[A-Za-z0-9]{1,16}$/);
    const envelope = await t.raw('campaign/update', { campaignId: created.id, segmentId: 2 });
    expect(envelope.ok).toBe(false);
    expect(envelope.ok ? '' : envelope.error.code).toBe('INVALID_ARGUMENT');

    const other = await t.call('database/create', { name: 'Partners', fields: [] });
    const foreign = t.segment('Partners all');
    t.db().run('UPDATE segments SET database_id = ? WHERE id = ?', [other.id, foreign]);
    const refused = await expectEngineError(t.call('campaign/create', { name: 'X', databaseId: t.databaseId, segmentId: foreign }), 'REFUSED');
    expect(refused.message).toContain('is of another database');
    await expectEngineError(t.call('campaign/create', { name: 'X', databaseId: t.databaseId, segmentId: 999 }), 'NOT_FOUND');
  });
});

describe('completing, cloning, the recycle bin', () => {
  it('completion removes everyone with a "Campaign exit" event each, completes the activities, and cannot be undone', async () => {
    const t = await startCampaignProject();
    t.generate(300);
    const segmentId = t.segment('All');
    const id = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] });
    await t.call('campaign/activate', { campaignId: id });
    const completed = await t.call('campaign/complete', { campaignId: id }, 'complete-1');
    expect(completed).toMatchObject({ status: 'completed', groups: { total: 0 } });
    const exits = await t.call('campaign/events', { campaignId: id, kinds: ['campaign_exit'], limit: 1000 });
    expect(exits.total).toBe(300);
    expect(new Set(exits.events.map((e) => e.profileId)).size).toBe(300);
    expect(exits.events.every((e) => e.text === 'Campaign exit')).toBe(true);
    const all = await t.call('campaign/events', { campaignId: id, limit: 3 });
    expect(all.events[0]).toMatchObject({ kind: 'completed', text: 'Completed: 300 profiles left the campaign (Campaign exit); 1 activity completed.' });
    expect(t.db().all('SELECT status FROM activities WHERE campaign_id = ?', [id])).toEqual([{ status: 'completed' }]);
    // The last split stays visible.
    const detail = await t.call('campaign/get', { campaignId: id });
    expect(detail.strata[0]).toMatchObject({ size: 300, control: 30 });
    await expectEngineError(t.call('campaign/activate', { campaignId: id }), 'REFUSED');
  });

  it('a clone is an Inactive copy with the same settings and seed; its segment may change within the database', async () => {
    const t = await startCampaignProject();
    t.generate(100);
    const all = t.segment('All');
    const half = t.segment('Half', Array.from({ length: 50 }, (_, i) => `p${i + 1}`));
    const lcg = { percent: 10, limit: 7, strata: [{ kind: 'values' as const, fieldId: t.field('letter').id }] };
    const id = await t.campaign(all, lcg, 'clone-seed');
    await t.call('campaign/activate', { campaignId: id });
    const copy = await t.call('campaign/clone', { campaignId: id, segmentId: half, name: 'Half of it' });
    expect(copy).toMatchObject({ name: 'Half of it', status: 'inactive', segmentId: half, seed: 'clone-seed', lcg, clonedFrom: id, groups: { total: 0 }, activityCount: 1 });
    const events = await t.call('campaign/events', { campaignId: copy.id, kinds: ['created'] });
    expect(events.events[0]!.text).toMatch(/^Created as a copy of "Spring" with its activity on the segment "Half/);
    expect((await t.call('campaign/clone', { campaignId: id })).name).toBe('Spring (copy)');
  });

  it('delete goes to the recycle bin (Completed, or Inactive with nobody allocated); restore brings it back Completed', async () => {
    const t = await startCampaignProject();
    t.generate(20);
    const segmentId = t.segment('All');
    const idle = await t.call('campaign/create', { name: 'Idle', databaseId: t.databaseId, segmentId });
    const done = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] }, 's', 'Done');
    await t.call('campaign/activate', { campaignId: done });
    await t.call('campaign/complete', { campaignId: done });

    expect(await t.call('campaign/delete', { campaignId: idle.id })).toMatchObject({ deleted: true, status: 'inactive' });
    expect(await t.call('campaign/delete', { campaignId: done })).toMatchObject({ deleted: true, status: 'completed' });
    expect(await t.call('campaign/list', {})).toEqual([]);
    expect((await t.call('campaign/list', { includeDeleted: true })).map((c) => [c.name, c.deleted])).toEqual([
      ['Idle', true],
      ['Done', true],
    ]);
    const restored = await t.call('campaign/restore', { campaignId: idle.id });
    expect(restored).toMatchObject({ deleted: false, status: 'completed' });
    expect((await t.call('campaign/list', {})).map((c) => c.name)).toEqual(['Idle']);
    const events = await t.call('campaign/events', { campaignId: idle.id, limit: 2 });
    expect(events.events.map((e) => e.text)).toEqual(['Restored from the recycle bin as Completed.', 'Moved to the recycle bin.']);
  });
});

describe('the audience, profile by profile', () => {
  it('pages members with group and stratum; profiles added by hand are split, or forced into Test', async () => {
    const t = await startCampaignProject();
    t.generate(100, { values: { letter: "CASE WHEN i % 2 = 0 THEN 'even' ELSE 'odd' END" } });
    const segmentId = t.segment('First 80', Array.from({ length: 80 }, (_, i) => `p${i + 1}`));
    const id = await t.campaign(segmentId, { percent: 25, limit: null, strata: [{ kind: 'values', fieldId: t.field('letter').id }] });
    await t.call('campaign/activate', { campaignId: id });

    const control = await t.call('campaign/members', { campaignId: id, group: 'control', limit: 1000 });
    expect(control.total).toBe(20);
    expect(control.groups.every((g) => g === 'control')).toBe(true);
    expect(new Set(control.strata)).toEqual(new Set(['letter = even', 'letter = odd']));
    const found = await t.call('campaign/members', { campaignId: id, search: { in: 'profileId', text: 'p7' } });
    expect(found.rows.map((r) => r.profileId).sort()).toEqual(['p7', 'p70', 'p71', 'p72', 'p73', 'p74', 'p75', 'p76', 'p77', 'p78', 'p79']);

    const forced = await t.call('campaign/addProfiles', { campaignId: id, profileIds: ['p81', 'p82', 'p1', 'nobody'], forceTest: true });
    expect(forced).toMatchObject({ added: 2, toTest: 2, toControl: 0, alreadyIn: 1, movedToTest: 0, notFoundCount: 1, notFound: ['nobody'] });
    // p1 was in Test already: it stays, marked forced like the new ones.
    expect(t.db().all('SELECT forced, grp FROM campaign_members WHERE campaign_id = ? AND forced = 1', [id])).toEqual([
      { forced: 1, grp: 'test' },
      { forced: 1, grp: 'test' },
      { forced: 1, grp: 'test' },
    ]);
    const joined = await t.call('campaign/events', { campaignId: id, kinds: ['profile_joined'] });
    expect(joined.events.map((e) => e.text)).toEqual(['Joined the campaign: Test (forced into Test)', 'Joined the campaign: Test (forced into Test)']);

    // Split normally: 18 more give 100 profiles; 25 % = 25 in control, filled from the new ones.
    const split = await t.call('campaign/addProfiles', { campaignId: id, profileIds: Array.from({ length: 18 }, (_, i) => `p${83 + i}`) });
    expect(split.added).toBe(18);
    expect(split.toControl + split.toTest).toBe(18);
    expect(split.campaign.groups).toEqual({ test: 75, control: 25, total: 100 });
    expect(split.toControl).toBe(5);
  });

  it('before the first build, added profiles wait in the segment; forced ones wait too, and the activation puts them in Test', async () => {
    const t = await startCampaignProject();
    t.generate(30);
    const segmentId = t.segment('Ten', Array.from({ length: 10 }, (_, i) => `p${i + 1}`));
    const id = await t.campaign(segmentId, { percent: 50, limit: null, strata: [] });
    const waiting = await t.call('campaign/addProfiles', { campaignId: id, profileIds: ['p11', 'p12'] });
    expect(waiting).toMatchObject({ added: 2, toTest: 0, toControl: 0, alreadyIn: 0, campaign: { groups: { total: 0 } } });
    const again = await t.call('campaign/addProfiles', { campaignId: id, profileIds: [' p12 '] });
    expect(again).toMatchObject({ added: 0, alreadyIn: 1 });
    const forced = await t.call('campaign/addProfiles', { campaignId: id, profileIds: ['p13'], forceTest: true });
    expect(forced).toMatchObject({ added: 1, toTest: 0, campaign: { status: 'inactive', groups: { total: 0 } } });
    expect(await t.call('campaign/list', {})).toHaveLength(1);
    expect((await t.call('campaign/get', { campaignId: id })).versions).toEqual([]); // nothing split before the activation
    const detail = await t.call('campaign/activate', { campaignId: id });
    // 13 profiles, 50 % = 7 (half up), none of them the forced one.
    expect(detail.campaign.groups).toEqual({ test: 6, control: 7, total: 13 });
    expect(t.groups(id).get('p13')).toBe('test');
    expect(Number(t.db().scalar('SELECT COUNT(*) FROM campaign_forced_test'))).toBe(0); // used up
  });
});

describe('the global control group', () => {
  it('is not in the audience unless the campaign is exempt', async () => {
    const t = await startCampaignProject();
    t.generate(1000);
    const segmentId = t.segment('All');
    t.db().run("INSERT INTO gcg_settings (database_id, percent_bp, seed) VALUES (?, 1000, 'gcg')", [t.databaseId]);
    const id = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] });
    const detail = await t.call('campaign/activate', { campaignId: id });
    expect(detail.campaign.groups).toEqual({ test: 810, control: 90, total: 900 });
    const gcgInCampaign = t.db().scalar(
      'SELECT COUNT(*) FROM campaign_members m JOIN gcg_members g ON g.profile_key = m.profile_key WHERE m.campaign_id = ?',
      [id],
    );
    expect(gcgInCampaign).toBe(0);

    const exempt = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] }, 'ex', 'Exempt');
    t.db().run('UPDATE campaigns SET gcg_exempt = 1 WHERE id = ?', [exempt]);
    expect((await t.call('campaign/activate', { campaignId: exempt })).campaign.groups.total).toBe(1000);

    // Exemption withdrawn later: the GCG members leave at the next build.
    t.db().run('UPDATE campaigns SET gcg_exempt = 0 WHERE id = ?', [exempt]);
    await t.call('campaign/deactivate', { campaignId: exempt });
    const again = await t.call('campaign/activate', { campaignId: exempt });
    expect(again.campaign.groups.total).toBe(900);
    expect(again.versions[0]).toMatchObject({ left: 100 });
  });
});
