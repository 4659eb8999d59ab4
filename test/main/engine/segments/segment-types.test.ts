/**
 * Static, updatable and dynamic segments (issue 10): what each is made from, the
 * refusals, recalculations with who joined and left, the members of a past recalculation,
 * dynamic segments evaluated at each use, and active campaigns following them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contract } from '../../../../shared/contract/index';
import { readProjectRows } from '../../../../main/engine/simulate/project-rows';
import { expectEngineError } from '../../../helpers/engine';
import { addEvents, setClock } from '../conditions/helpers';
import { directContext, startCampaignProject, type CampaignProject } from '../campaigns/helpers';
import { recalculateSegment } from '../../../../main/engine/segments/evaluation';
import { insertRecalculation, membersAsOfSql, replaceMembers } from '../../../../main/engine/segments/recalculations';
import { EngineError } from '../../../../shared/contract/errors';

const BUYERS = 'event purchase in last 7 days';

/** Ten profiles p1..p10 on the clock Monday 2023-04-10 10:00; p1-p3 bought on Sunday 9 April, p4 on 1 April. */
async function shop(): Promise<CampaignProject> {
  const t = await startCampaignProject();
  t.generate(10);
  setClock(t.db(), '2023-04-10T10:00');
  addEvents(t.db(), t.databaseId, [
    ['p1', 'purchase', '2023-04-09T12:00:00'],
    ['p2', 'purchase', '2023-04-09T13:00:00'],
    ['p3', 'purchase', '2023-04-09T14:00:00'],
    ['p4', 'purchase', '2023-04-01T09:00:00'],
  ]);
  return t;
}

const ids = (t: CampaignProject, sql: string, params: (string | number)[] = []) =>
  t
    .db()
    .all<{ id: string }>(`SELECT p.profile_id AS id FROM profiles_${t.databaseId} p WHERE p.rowid IN (${sql}) ORDER BY p.rowid`, params)
    .map((r) => r.id);
const members = (t: CampaignProject, segmentId: number) => ids(t, 'SELECT profile_key FROM segment_members WHERE segment_id = ?', [segmentId]);

async function updatable(t: CampaignProject, name = 'Buyers', where = BUYERS, schedule = 'weekly mon 10:00') {
  return (await t.call('segment/create', { databaseId: t.databaseId, name, type: 'updatable', schedule, from: { kind: 'condition', where } })).segment;
}

describe('making the three types', () => {
  it('an updatable segment is calculated at once as recalculation 1, with its schedule and the next time it falls due', async () => {
    const t = await shop();
    const made = await t.call('segment/create', {
      databaseId: t.databaseId,
      name: 'Buyers',
      type: 'updatable',
      schedule: '  Weekly  Monday 10:00 ',
      from: { kind: 'condition', where: 'event  purchase in last 7 days' },
    });
    expect(contract['segment/create'].result.safeParse(made).success).toBe(true);
    expect(made.segment).toMatchObject({
      kind: 'updatable',
      where: BUYERS,
      schedule: 'weekly mon 10:00',
      nextRecalculation: '2023-04-17T10:00',
      size: 3,
      evaluatedClock: null,
      lastRecalculation: { number: 1, clock: '2023-04-10T10:00', reason: 'created', size: 3, joined: 3, left: 0 },
    });
    expect(made.changed).toBe(3);
    expect(await t.call('segment/get', { segmentId: made.segment.id })).toEqual(made.segment);
    expect(members(t, made.segment.id)).toEqual(['p1', 'p2', 'p3']);
  });

  it('a dynamic segment has a condition only; a static one from a condition is a snapshot', async () => {
    const t = await shop();
    const dynamic = await t.call('segment/create', { databaseId: t.databaseId, name: 'Now', type: 'dynamic', from: { kind: 'condition', where: BUYERS } });
    expect(dynamic.segment).toMatchObject({ kind: 'dynamic', where: BUYERS, schedule: null, nextRecalculation: null, lastRecalculation: null, evaluatedClock: '2023-04-10T10:00', size: 3 });
    const snapshot = await t.call('segment/create', { databaseId: t.databaseId, name: 'Once', from: { kind: 'condition', where: BUYERS } });
    expect(snapshot.segment).toMatchObject({ kind: 'static', where: null, schedule: null, size: 3, source: { kind: 'condition', where: BUYERS } });
  });

  it('refuses a schedule on other types, an updatable one without a schedule, and either from anything but a condition', async () => {
    const t = await shop();
    const create = (args: object) => t.call('segment/create', { databaseId: t.databaseId, name: 'X', ...args } as never);
    const condition = { kind: 'condition', where: BUYERS };
    expect((await expectEngineError(create({ type: 'updatable', from: condition }), 'INVALID_ARGUMENT')).message).toMatch(/^An updatable segment needs a schedule, such as "every 6 hours"/);
    expect((await expectEngineError(create({ type: 'static', schedule: 'daily 09:00', from: condition }), 'INVALID_ARGUMENT')).message).toMatch(/^A schedule is for an updatable segment only/);
    expect((await expectEngineError(create({ type: 'dynamic', schedule: 'daily 09:00', from: condition }), 'INVALID_ARGUMENT')).message).toMatch(/a dynamic segment has none/);
    for (const type of ['updatable', 'dynamic']) {
      const e = await expectEngineError(create({ type, schedule: type === 'updatable' ? 'daily 09:00' : undefined, from: { kind: 'all' } }), 'INVALID_ARGUMENT');
      expect(e.message).toMatch(new RegExp(`^An ${type} segment is made from a condition only`));
    }
    const bad = await expectEngineError(create({ type: 'updatable', schedule: 'weekly mon 25:00', from: condition }), 'INVALID_ARGUMENT');
    expect(bad.message).toBe('The schedule does not read at column 12: "25:00" is not a time: use HH:MM, from 00:00 to 23:59.');
    expect(bad.details).toMatchObject({ schedule: true, column: 12, excerpt: 'weekly mon 25:00\n           ^' });
    expect((await t.call('segment/list', { databaseId: t.databaseId })).map((s) => s.name)).toEqual([]);
  });

  it('refuses hand edits of updatable and dynamic segments, with the reason', async () => {
    const t = await shop();
    const u = await updatable(t);
    const d = (await t.call('segment/create', { databaseId: t.databaseId, name: 'Now', type: 'dynamic', from: { kind: 'condition', where: BUYERS } })).segment;
    const add = await expectEngineError(t.call('segment/addProfiles', { segmentId: u.id, profileIds: ['p9'] }), 'REFUSED');
    expect(add.message).toBe(
      'An updatable segment is recalculated from its condition and cannot be edited by hand: the next recalculation would undo the change. Change the condition of "Buyers" instead, or make a static segment.',
    );
    expect((await expectEngineError(t.call('segment/removeProfiles', { segmentId: d.id, profileIds: ['p1'] }), 'REFUSED')).message).toMatch(/^A dynamic segment is its condition/);
    expect(members(t, u.id)).toEqual(['p1', 'p2', 'p3']);
  });
});

describe('recalculating an updatable segment', () => {
  it('keeps each recalculation (time, size, joined, left) and the members of any past one, stored as changes', async () => {
    const t = await shop();
    const u = await updatable(t);
    setClock(t.db(), '2023-04-17T10:00');
    addEvents(t.db(), t.databaseId, [['p5', 'purchase', '2023-04-16T08:00:00'], ['p1', 'purchase', '2023-04-12T08:00:00']]);
    const second = await t.call('segment/recalculate', { segmentId: u.id });
    expect(contract['segment/recalculate'].result.safeParse(second).success).toBe(true);
    expect(second.recalculation).toMatchObject({ number: 2, clock: '2023-04-17T10:00', reason: 'manual', size: 2, joined: 1, left: 2 });
    expect(second.segment).toMatchObject({ size: 2, nextRecalculation: '2023-04-24T10:00', lastRecalculation: second.recalculation });
    expect(second.campaigns).toEqual([]);
    expect(members(t, u.id)).toEqual(['p1', 'p5']);
    setClock(t.db(), '2023-04-24T10:00');
    expect((await t.call('segment/recalculate', { segmentId: u.id })).recalculation).toMatchObject({ number: 3, size: 0, joined: 0, left: 2 });

    const history = await t.call('segment/history', { segmentId: u.id });
    expect(history.map((r) => [r.number, r.reason, r.size, r.joined, r.left])).toEqual([
      [3, 'manual', 0, 0, 2],
      [2, 'manual', 2, 1, 2],
      [1, 'created', 3, 3, 0],
    ]);
    // Only the changes are stored: 3 joins, then 1 join and 2 leaves, then 2 leaves.
    expect(t.db().scalar('SELECT COUNT(*) FROM segment_changes WHERE segment_id = ?', [u.id])).toBe(8);
    const page = async (recalculation?: number) =>
      (await t.call('segment/members', { segmentId: u.id, ...(recalculation === undefined ? {} : { recalculation }) })).rows.map((r) => r.profileId);
    expect(await page(1)).toEqual(['p1', 'p2', 'p3']);
    expect(await page(2)).toEqual(['p1', 'p5']);
    expect(await page(3)).toEqual([]);
    expect(await page()).toEqual([]);
    expect((await expectEngineError(t.call('segment/members', { segmentId: u.id, recalculation: 4 }), 'NOT_FOUND')).message).toBe(
      'The segment "Buyers" has no recalculation 4: its recalculations are 1 to 3.',
    );

    const path = join(t.dir, 'second.csv');
    await t.call('export/profiles', { databaseId: t.databaseId, scope: { kind: 'segment', segmentId: u.id, recalculation: 2 }, path, fieldIds: [], bom: false });
    expect(readFileSync(path, 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',')[0])).toEqual(['p1', 'p5']);
  });

  it('reads the members of every past recalculation, with profiles leaving and coming back between them', async () => {
    const t = await shop();
    const u = await updatable(t);
    const db = t.db();
    // Recalculations 2 to 9 give members drawn at random (a fixed draw): profiles leave and come back.
    let seed = 7;
    const draw = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const expected = new Map<number, string[]>([[1, ['p1', 'p2', 'p3']]]);
    for (let number = 2; number <= 9; number += 1) {
      const keys = Array.from({ length: 10 }, (_, i) => i + 1).filter(() => draw() < 0.5);
      const change = replaceMembers(db, u.id, { sql: 'SELECT value FROM json_each(?)', params: [JSON.stringify(keys)] }, number);
      insertRecalculation(db, u.id, { number, clock: '2023-04-10T10:00', at: '2023-04-10T10:00:00.000Z', reason: 'manual', ...change });
      expected.set(number, keys.map((k) => `p${k}`));
    }
    for (const [number, profiles] of expected) {
      expect(ids(t, membersAsOfSql(db, { ...u, kind: 'updatable' }, number))).toEqual(profiles);
      expect((await t.call('segment/members', { segmentId: u.id, recalculation: number })).rows.map((r) => r.profileId)).toEqual(profiles);
    }
  });

  it('a deleted updatable segment takes its recalculations and their changes with it', async () => {
    const t = await shop();
    const u = await updatable(t);
    setClock(t.db(), '2023-04-17T10:00');
    await t.call('segment/recalculate', { segmentId: u.id });
    await t.call('segment/delete', { segmentId: u.id });
    for (const table of ['segment_recalculations', 'segment_changes', 'segment_members']) {
      expect(t.db().scalar(`SELECT COUNT(*) FROM ${table} WHERE segment_id = ?`, [u.id]), table).toBe(0);
    }
  });

  it('refuses static and dynamic segments, and past recalculations of them', async () => {
    const t = await shop();
    const all = t.segment('All');
    const d = (await t.call('segment/create', { databaseId: t.databaseId, name: 'Now', type: 'dynamic', from: { kind: 'condition', where: BUYERS } })).segment;
    expect((await expectEngineError(t.call('segment/recalculate', { segmentId: all }), 'REFUSED')).message).toMatch(/is a static segment: only an updatable segment is recalculated/);
    expect((await expectEngineError(t.call('segment/recalculate', { segmentId: d.id }), 'REFUSED')).message).toMatch(/is a dynamic segment: only an updatable segment is recalculated/);
    await expectEngineError(t.call('segment/history', { segmentId: d.id }), 'REFUSED');
    await expectEngineError(t.call('segment/members', { segmentId: all, recalculation: 1 }), 'REFUSED');
  });

  it('is all or nothing: a cancel leaves the members, the history and the campaign as they were', async () => {
    const t = await shop();
    const u = await updatable(t);
    const campaignId = await t.campaign(u.id, { percent: '10', limit: null, strata: [] });
    await t.call('campaign/activate', { campaignId });
    setClock(t.db(), '2023-04-17T10:00');
    const cancelling = {
      ...directContext(t),
      checkpoint: async () => {
        throw new EngineError('CANCELLED', 'Cancelled; nothing was changed.');
      },
    };
    await expectEngineError(recalculateSegment(cancelling, u.id, 'manual'), 'CANCELLED');
    expect(members(t, u.id)).toEqual(['p1', 'p2', 'p3']);
    expect(await t.call('segment/history', { segmentId: u.id })).toHaveLength(1);
    expect(t.groups(campaignId).size).toBe(3);
  });
});

describe('campaigns on updatable and dynamic segments', () => {
  it('an active campaign follows each recalculation: leavers leave with "Campaign exit", a returning profile is split again as a new one', async () => {
    const t = await shop();
    const u = await updatable(t);
    const campaignId = await t.campaign(u.id, { percent: '10', limit: null, strata: [] });
    await t.call('campaign/activate', { campaignId });
    expect([...t.groups(campaignId).keys()].sort()).toEqual(['p1', 'p2', 'p3']);

    setClock(t.db(), '2023-04-17T10:00');
    addEvents(t.db(), t.databaseId, [['p5', 'purchase', '2023-04-16T08:00:00']]);
    const second = await t.call('segment/recalculate', { segmentId: u.id });
    expect(second.campaigns).toEqual([{ campaignId, name: 'Spring', joined: 1, left: 3 }]);
    expect([...t.groups(campaignId).keys()]).toEqual(['p5']);
    expect((await t.call('campaign/get', { campaignId })).campaign.groups.total).toBe(1);
    const exits = await t.call('campaign/events', { campaignId, kinds: ['campaign_exit'], offset: 0, limit: 10 });
    expect(exits.total).toBe(3);
    expect(exits.events[0]!.text).toMatch(/^Campaign exit: no longer in the segment/);
    const { versions } = await t.call('campaign/get', { campaignId });
    expect(versions.filter((v) => v.reason === 'recalculation').map((v) => [v.joined, v.left])).toEqual([[1, 3]]);

    // p1 buys again: recalculated, it comes back and is split again as a new profile.
    setClock(t.db(), '2023-04-18T10:00');
    addEvents(t.db(), t.databaseId, [['p1', 'purchase', '2023-04-18T09:00:00']]);
    const third = await t.call('segment/recalculate', { segmentId: u.id });
    expect(third.campaigns).toEqual([{ campaignId, name: 'Spring', joined: 1, left: 0 }]);
    expect([...t.groups(campaignId).keys()].sort()).toEqual(['p1', 'p5']);
    const p1 = Number(t.db().scalar(`SELECT rowid FROM profiles_${t.databaseId} WHERE profile_id = 'p1'`));
    const kinds = t.db().all<{ kind: string }>('SELECT kind FROM campaign_events WHERE campaign_id = ? AND profile_key = ? ORDER BY id', [campaignId, p1]).map((r) => r.kind);
    expect(kinds).toEqual(['campaign_exit', 'profile_joined']);
  });

  it('refuses manual addition and audience expansion on updatable and dynamic segments with the guide\'s reason', async () => {
    const t = await shop();
    const u = await updatable(t);
    const d = (await t.call('segment/create', { databaseId: t.databaseId, name: 'Now', type: 'dynamic', from: { kind: 'condition', where: BUYERS } })).segment;
    for (const [segment, reason] of [
      [u, /^Adding profiles by hand is unavailable in a campaign on an updatable segment: the campaign audience is the current composition of the segment at the time of campaign activation and each subsequent segment update/],
      [d, /^Adding profiles by hand is unavailable in a campaign on a dynamic segment: .*audience tagging is triggered with each recalculation/],
    ] as const) {
      const campaign = await t.call('campaign/create', { name: `On ${segment.name}`, databaseId: t.databaseId, segmentId: segment.id, seed: 'x' });
      expect((await expectEngineError(t.call('campaign/addProfiles', { campaignId: campaign.id, profileIds: ['p9'] }), 'REFUSED')).message).toMatch(reason);
      const expansion = await expectEngineError(
        t.call('activity/create', { databaseId: t.databaseId, campaignId: campaign.id, name: 'Grow', type: 'broadcast', segmentId: t.segment('Few', ['p9']), audienceExpansion: true }),
        'REFUSED',
      );
      expect(expansion.message).toMatch(new RegExp(`^"On ${segment.name}": Audience expansion is unavailable in a campaign on an? ${segment.kind} segment`));
    }
  });

  it('a dynamic segment is evaluated at each use: its members, an export, the simulator, an activation and each activity run', async () => {
    const t = await shop();
    const d = (await t.call('segment/create', { databaseId: t.databaseId, name: 'Now', type: 'dynamic', from: { kind: 'condition', where: BUYERS } })).segment;
    setClock(t.db(), '2023-04-12T10:00');
    addEvents(t.db(), t.databaseId, [['p6', 'purchase', '2023-04-11T08:00:00']]);
    const page = await t.call('segment/members', { segmentId: d.id });
    expect(page.rows.map((r) => r.profileId)).toEqual(['p1', 'p2', 'p3', 'p6']);
    expect(await t.call('segment/get', { segmentId: d.id })).toMatchObject({ size: 4, evaluatedClock: '2023-04-12T10:00' });

    addEvents(t.db(), t.databaseId, [['p7', 'purchase', '2023-04-12T09:00:00']]);
    const path = join(t.dir, 'now.csv');
    await t.call('export/profiles', { databaseId: t.databaseId, scope: { kind: 'segment', segmentId: d.id }, path, fieldIds: [], bom: false });
    expect(readFileSync(path, 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',')[0])).toEqual(['p1', 'p2', 'p3', 'p6', 'p7']);

    addEvents(t.db(), t.databaseId, [['p8', 'purchase', '2023-04-12T09:30:00']]);
    expect(readProjectRows(t.db(), { kind: 'segment', segmentId: d.id }, undefined).count).toBe(6);

    addEvents(t.db(), t.databaseId, [['p9', 'purchase', '2023-04-12T09:40:00']]);
    const campaignId = await t.campaign(d.id, { percent: '10', limit: null, strata: [] });
    expect(await t.call('campaign/previewActivation', { campaignId })).toMatchObject({ audience: 7 });
    addEvents(t.db(), t.databaseId, [['p4', 'purchase', '2023-04-12T09:50:00']]);
    await t.call('campaign/activate', { campaignId });
    expect(t.groups(campaignId).size).toBe(8);

    // A week later p1-p3 and p6 are out, p10 bought: the run follows the segment first.
    setClock(t.db(), '2023-04-18T10:00');
    addEvents(t.db(), t.databaseId, [['p10', 'purchase', '2023-04-18T08:00:00']]);
    const activityId = Number(t.db().scalar('SELECT id FROM activities WHERE campaign_id = ?', [campaignId]));
    const run = await t.call('activity/run', { activityId });
    const groups = t.groups(campaignId);
    expect([...groups.keys()].sort()).toEqual(['p10', 'p4', 'p7', 'p8', 'p9']);
    expect(run.test).toBe([...groups.values()].filter((g) => g === 'test').length);
    const exits = await t.call('campaign/events', { campaignId, kinds: ['campaign_exit'], offset: 0, limit: 10 });
    expect(exits.total).toBe(4);
  });
});

describe('segments in conditions', () => {
  it('a membership leaf works for the three types; a dynamic one is evaluated inline on the clock; a cycle is refused', async () => {
    const t = await shop();
    const u = await updatable(t, 'Weekly buyers');
    await t.call('segment/create', { databaseId: t.databaseId, name: 'Now', type: 'dynamic', from: { kind: 'condition', where: BUYERS } });
    const count = async (where: string) => (await t.call('segment/preview', { databaseId: t.databaseId, where })).total;
    setClock(t.db(), '2023-04-12T10:00');
    addEvents(t.db(), t.databaseId, [['p6', 'purchase', '2023-04-11T08:00:00']]);
    expect(await count('in segment "Weekly buyers"')).toBe(3); // as of its last recalculation
    expect(await count('in segment "Now"')).toBe(4); // evaluated now
    expect(await count('not in segment "Now"')).toBe(6);
    const chained = await t.call('segment/create', { databaseId: t.databaseId, name: 'Chained', type: 'dynamic', from: { kind: 'condition', where: 'in segment "Now" and letter is empty' } });
    expect(chained.segment.size).toBe(4);
    // "Now" made to refer to "Chained", which refers to "Now": a cycle, refused when used.
    t.db().run("UPDATE segments SET condition = 'in segment \"Chained\"' WHERE name = 'Now'");
    const cycle = await expectEngineError(t.call('segment/members', { segmentId: chained.segment.id }), 'INVALID_ARGUMENT');
    expect(cycle.message).toMatch(/refers to itself \("Chained" → "Now" → "Chained"\)/);
    expect(u.kind).toBe('updatable');
  });
});

describe('values from a project file', () => {
  it('a condition or schedule that does not read is a clear error when used, never a crash', async () => {
    const t = await shop();
    const u = await updatable(t);
    const d = (await t.call('segment/create', { databaseId: t.databaseId, name: 'Now', type: 'dynamic', from: { kind: 'condition', where: BUYERS } })).segment;
    t.db().run("UPDATE segments SET condition = 'event purchase in last', schedule = 'fortnightly', schedule_anchor = 'yesterday' WHERE id = ?", [u.id]);
    t.db().run('UPDATE segments SET condition = NULL, evaluated_clock = 42 WHERE id = ?', [d.id]);
    expect(await t.call('segment/get', { segmentId: u.id })).toMatchObject({ schedule: 'fortnightly', nextRecalculation: null, where: 'event purchase in last' });
    expect(await t.call('segment/get', { segmentId: d.id })).toMatchObject({ where: null, evaluatedClock: null });
    const recalc = await expectEngineError(t.call('segment/recalculate', { segmentId: u.id }), 'INVALID_ARGUMENT');
    expect(recalc.message).toMatch(/^The condition of the segment "Buyers" in the project file does not read at line 1, column 23: /);
    expect((await expectEngineError(t.call('segment/members', { segmentId: d.id }), 'INVALID_ARGUMENT')).message).toBe(
      'The segment "Now" has no condition in the project file; it cannot be evaluated.',
    );
    t.db().run("UPDATE segment_recalculations SET clock = 'soon', size = 'many' WHERE segment_id = ?", [u.id]);
    expect(await t.call('segment/get', { segmentId: u.id })).toMatchObject({ lastRecalculation: null });
    expect((await expectEngineError(t.call('segment/history', { segmentId: u.id }), 'CORRUPT_FILE')).message).toBe(
      'The record of recalculation 1 of the segment "Buyers" in the project file is damaged.',
    );
  });
});
