import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../../shared/contract/events';
import { contract } from '../../../../shared/contract/index';
import { controlTotal } from '../../../../shared/split/control-total';
import { expectEngineError } from '../../../helpers/engine';
import { startDatabaseProject, type DatabaseProject } from '../databases/helpers';
import { startImportProject, writeCsv } from '../import/helpers';
import { insertCampaign, lowestByMd5 } from '../segments/helpers';
import { gcgConsidered as considered, gcgMemberIds as memberIds } from './helpers';

const idsFrom = (from: number, to: number, prefix = 'c') => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

async function withProfiles(ids: readonly string[]): Promise<DatabaseProject> {
  const p = await startDatabaseProject([{ name: 'city', type: 'string' }]);
  p.insert(ids.map((id, i) => ({ id, values: { city: i % 2 ? 'Oslo' : 'Рим' } })));
  return p;
}

const sorted = (ids: readonly string[]) => [...ids].sort();

describe('gcg/set: forming the global control group', () => {
  it('holds out exactly controlTotal(N) profiles: the lowest md5(seed ":" id), as computed independently', async () => {
    const ids = [...idsFrom(1, 997), 'Клиент-1', 'ü', '00123'];
    const p = await withProfiles(ids);
    const state = await p.call('gcg/set', { databaseId: p.databaseId, percent: '7.25', seed: 'spring' }, 'gcg');
    expect(contract['gcg/set'].result.safeParse(state).success).toBe(true);
    const m = controlTotal(1000, { percent: '7.25' });
    expect(m).toBe(73);
    expect(state).toMatchObject({ databaseId: p.databaseId, percent: 7.25, seed: 'spring', size: 73, profiles: 1000, surplus: 0, exemptCampaignIds: [] });
    const clock = await p.call('project/state', {});
    expect(clock.open && state.formedClock === clock.clock).toBe(true);
    expect(memberIds(p)).toEqual(sorted(lowestByMd5(ids, 'spring', 73)));
    // Only the members are stored, and how far the GCG has looked, so later profiles are recognisably new.
    expect(Number(p.db().scalar('SELECT COUNT(*) FROM gcg_members WHERE database_id = ?', [p.databaseId]))).toBe(73);
    expect(considered(p)).toEqual({ upTo: 1000, count: 1000 });
  });

  it('rounds half up in basis points, takes numbers and text, and 100 % holds out everyone', async () => {
    const p = await withProfiles(idsFrom(1, 10));
    expect((await p.call('gcg/set', { databaseId: p.databaseId, percent: 15, seed: 'a' })).size).toBe(2); // 1.5 -> 2
    expect((await p.call('gcg/set', { databaseId: p.databaseId, percent: '14.99', seed: 'a' })).size).toBe(1);
    expect((await p.call('gcg/set', { databaseId: p.databaseId, percent: 100, seed: 'a' })).size).toBe(10);
    await expectEngineError(p.call('gcg/set', { databaseId: p.databaseId, percent: '7.255' }), 'INVALID_ARGUMENT');
    await expectEngineError(p.call('gcg/set', { databaseId: p.databaseId, percent: 101 }), 'INVALID_ARGUMENT');
    await expectEngineError(p.call('gcg/set', { databaseId: 404, percent: 5 }), 'NOT_FOUND');
  });

  it('picks a random seed the first time, keeps it when only the share changes, and re-forms on a new share or seed', async () => {
    const ids = idsFrom(1, 400);
    const p = await withProfiles(ids);
    const first = await p.call('gcg/set', { databaseId: p.databaseId, percent: 5 });
    expect(first.seed).toMatch(/^[A-Za-z0-9_-]{8,}$/);
    expect(memberIds(p)).toEqual(sorted(lowestByMd5(ids, first.seed, 20)));
    const wider = await p.call('gcg/set', { databaseId: p.databaseId, percent: 12.5 });
    expect(wider).toMatchObject({ seed: first.seed, size: 50 });
    expect(memberIds(p)).toEqual(sorted(lowestByMd5(ids, first.seed, 50)));
    const reseeded = await p.call('gcg/set', { databaseId: p.databaseId, percent: 12.5, seed: 'other' });
    expect(reseeded).toMatchObject({ seed: 'other', size: 50 });
    expect(memberIds(p)).toEqual(sorted(lowestByMd5(ids, 'other', 50)));
    expect(memberIds(p)).not.toEqual(sorted(lowestByMd5(ids, first.seed, 50)));
  });

  it('changes nothing when set to what it is, and 0 removes it (keeping the seed for next time)', async () => {
    const p = await withProfiles(idsFrom(1, 50));
    await p.call('gcg/set', { databaseId: p.databaseId, percent: 10, seed: 'keep' });
    await p.call('project/saveAs', { path: `${p.dir}/saved.cplan` });
    const same = await p.call('gcg/set', { databaseId: p.databaseId, percent: '10.00', seed: 'keep' });
    expect(same.size).toBe(5);
    const state = await p.call('project/state', {});
    expect(state.open && state.dirty).toBe(false);

    const removed = await p.call('gcg/set', { databaseId: p.databaseId, percent: 0 });
    expect(removed).toMatchObject({ percent: 0, seed: 'keep', size: 0, formedClock: null, surplus: 0 });
    expect(Number(p.db().scalar('SELECT COUNT(*) FROM gcg_members'))).toBe(0);
    expect(considered(p)).toEqual({ upTo: 0, count: 0 });
    expect((await p.call('gcg/members', { databaseId: p.databaseId })).total).toBe(0);
    const back = await p.call('gcg/set', { databaseId: p.databaseId, percent: 10 });
    expect(back).toMatchObject({ seed: 'keep', size: 5 });
  });

  it('goes with its database: deleting the database deletes its members', async () => {
    const p = await withProfiles(idsFrom(1, 40));
    await p.call('gcg/set', { databaseId: p.databaseId, percent: 25, seed: 'gone' });
    expect(Number(p.db().scalar('SELECT COUNT(*) FROM gcg_members WHERE database_id = ?', [p.databaseId]))).toBe(10);
    await p.call('database/delete', { databaseId: p.databaseId });
    expect(Number(p.db().scalar('SELECT COUNT(*) FROM gcg_members'))).toBe(0);
    expect(Number(p.db().scalar('SELECT COUNT(*) FROM gcg_settings'))).toBe(0);
  });

  it('says there is none for a database without one', async () => {
    const p = await withProfiles(idsFrom(1, 5));
    const none = await p.call('gcg/get', { databaseId: p.databaseId });
    expect(contract['gcg/get'].result.safeParse(none).success).toBe(true);
    expect(none).toEqual({ databaseId: p.databaseId, percent: 0, seed: '', size: 0, profiles: 5, formedClock: null, exemptCampaignIds: [], surplus: 0 });
    await expectEngineError(p.call('gcg/get', { databaseId: 404 }), 'NOT_FOUND');
  });

  it('hashes a large database in the worker pool with the same result, and reports progress', async () => {
    const count = 50_000;
    const p = await startDatabaseProject([]);
    p.db().exec(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${count})
                 INSERT INTO profiles_${p.databaseId} (profile_id) SELECT 'u' || i FROM c`);
    const state = await p.call('gcg/set', { databaseId: p.databaseId, percent: '3.33', seed: 'pool' }, 'pool');
    expect(state.size).toBe(1665);
    expect(memberIds(p)).toEqual(sorted(lowestByMd5(idsFrom(1, count, 'u'), 'pool', 1665)));
    expect(p.events.some((e) => e.event === 'progress' && (e.payload as ProgressEvent).operationId === 'pool')).toBe(true);
  });

  it('a cancelled forming leaves the group as it was', async () => {
    const count = 120_000;
    const p = await startDatabaseProject([]);
    p.db().exec(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${count})
                 INSERT INTO profiles_${p.databaseId} (profile_id) SELECT 'u' || i FROM c`);
    await p.call('gcg/set', { databaseId: p.databaseId, percent: 1, seed: 'before' });
    const before = memberIds(p);
    const running = p.raw('gcg/set', { databaseId: p.databaseId, percent: 2, seed: 'after' }, 'cancel-me');
    for (let i = 0; i < 2000 && !p.events.some((e) => e.event === 'progress' && (e.payload as ProgressEvent).operationId === 'cancel-me'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await p.call('operation/cancel', { operationId: 'cancel-me' });
    expect(await running).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(await p.call('gcg/get', { databaseId: p.databaseId })).toMatchObject({ percent: 1, seed: 'before', size: 1200 });
    expect(memberIds(p)).toEqual(before);
  });
});

describe('sticky growth', () => {
  it('assigns profiles imported later: nobody moves, the size stays exact, the shortfall comes from the new ones by lowest hash', async () => {
    const t = await startImportProject();
    const firstIds = idsFrom(1, 1000, 'a');
    const first = await t.importFile(writeCsv(t.dir, 'first.csv', `id\n${firstIds.join('\n')}\n`));
    const databaseId = first.database!.id;
    const db = () => t.engine.state.requireSession().db;
    const members = () =>
      db()
        .all<{ id: string; member: number }>(
          `SELECT p.profile_id AS id, p.rowid IN (SELECT profile_key FROM gcg_members) AS member FROM profiles_${databaseId} p
            WHERE p.rowid <= (SELECT considered_up_to FROM gcg_settings WHERE database_id = ?)`,
          [databaseId],
        )
        .reduce<Record<string, number>>((all, r) => ({ ...all, [String(r.id)]: Number(r.member) }), {});
    const formed = await t.call('gcg/set', { databaseId, percent: 10, seed: 'sticky' });
    expect(formed.size).toBe(100);
    const before = members();

    const newIds = idsFrom(1, 537, 'b');
    await t.importFile(writeCsv(t.dir, 'second.csv', `id\n${newIds.join('\n')}\n`), { target: { databaseId } });
    const grown = await t.call('gcg/get', { databaseId });
    expect(grown).toMatchObject({ size: controlTotal(1537, { percent: 10 }), profiles: 1537, surplus: 0 });
    const after = members();
    for (const [id, member] of Object.entries(before)) expect(after[id], id).toBe(member);
    const joined = newIds.filter((id) => after[id] === 1);
    expect(joined.length).toBe(154 - 100);
    expect(sorted(joined)).toEqual(sorted(lowestByMd5(newIds, 'sticky', 54)));
    // Different from forming anew over everyone (which would move people).
    expect(Object.keys(after).filter((id) => after[id] === 1).sort()).not.toEqual(sorted(lowestByMd5([...firstIds, ...newIds], 'sticky', 154)));

    // The growth counts as a change of the project, and a second look changes nothing.
    const dirty = await t.call('project/state', {});
    expect(dirty.open && dirty.dirty).toBe(true);
    await t.call('project/saveAs', { path: `${t.dir}/grown.cplan` });
    await t.call('gcg/get', { databaseId });
    const clean = await t.call('project/state', {});
    expect(clean.open && clean.dirty).toBe(false);
  });

  it('keeps members when profiles leave and reports the surplus; later profiles fill only a shortfall', async () => {
    const ids = idsFrom(1, 1000);
    const p = await withProfiles(ids);
    await p.call('gcg/set', { databaseId: p.databaseId, percent: 10, seed: 'shrink' });
    const members = memberIds(p);
    // Half of the others leave (nothing in the app deletes a profile yet: straight from the table).
    const gone = ids.filter((id) => !members.includes(id)).slice(0, 500);
    expect(gone).not.toContain('c1000');
    p.db().run(`DELETE FROM profiles_${p.databaseId} WHERE profile_id IN (SELECT value FROM json_each(?))`, [JSON.stringify(gone)]);
    const shrunk = await p.call('gcg/get', { databaseId: p.databaseId });
    expect(shrunk).toMatchObject({ size: 100, profiles: 500, surplus: 100 - controlTotal(500, { percent: 10 }) });
    expect(memberIds(p)).toEqual(members);
    // The profiles that left are no longer counted as considered.
    expect(considered(p)).toEqual({ upTo: 1000, count: 500 });

    // 500 new profiles: 1,000 in all, exact share 100: no shortfall, nobody joins.
    p.insert(idsFrom(1, 500, 'n').map((id) => ({ id })));
    expect(await p.call('gcg/get', { databaseId: p.databaseId })).toMatchObject({ size: 100, profiles: 1000, surplus: 0 });
    // 600 more: 1,600 in all, exact share 160: the 60 lowest of the newest join.
    const newest = idsFrom(1, 600, 'm');
    p.insert(newest.map((id) => ({ id })));
    expect(await p.call('gcg/get', { databaseId: p.databaseId })).toMatchObject({ size: 160, profiles: 1600, surplus: 0 });
    expect(memberIds(p)).toEqual(sorted([...members, ...lowestByMd5(newest, 'shrink', 60)]));
  });
});

describe('sticky growth when profiles left and others arrived meanwhile', () => {
  it('drops the assignments of the profiles that left and fills the shortfall from the new ones', async () => {
    const ids = idsFrom(1, 100);
    const p = await withProfiles(ids);
    await p.call('gcg/set', { databaseId: p.databaseId, percent: 10, seed: 'both' });
    const members = memberIds(p);
    const gone = ids.filter((id) => !members.includes(id) && id !== 'c100').slice(0, 5);
    p.db().run(`DELETE FROM profiles_${p.databaseId} WHERE profile_id IN (SELECT value FROM json_each(?))`, [JSON.stringify(gone)]);
    const newcomers = idsFrom(1, 50, 'new');
    p.insert(newcomers.map((id) => ({ id })));
    // 145 profiles: 14.5 -> 15 members, the 5 missing ones the lowest of the newcomers.
    expect(await p.call('gcg/get', { databaseId: p.databaseId })).toMatchObject({ size: 15, profiles: 145, surplus: 0 });
    expect(memberIds(p)).toEqual(sorted([...members, ...lowestByMd5(newcomers, 'both', 5)]));
    expect(considered(p)).toEqual({ upTo: 150, count: 145 });
  });
});

describe('gcg/exempt', () => {
  it('lists exempt campaigns of the database; refuses campaigns in the recycle bin and unknown ones', async () => {
    const p = await withProfiles(idsFrom(1, 10));
    const { segment } = await p.call('segment/create', { databaseId: p.databaseId, name: 'All', from: { kind: 'all' } });
    const db = p.db();
    const a = insertCampaign(db, { name: 'A', databaseId: p.databaseId, segmentId: segment.id });
    const b = insertCampaign(db, { name: 'B', databaseId: p.databaseId, segmentId: segment.id });
    const binned = insertCampaign(db, { name: 'Binned', databaseId: p.databaseId, segmentId: segment.id, deleted: true, exempt: true });
    await p.call('gcg/set', { databaseId: p.databaseId, percent: 20, seed: 'x' });
    const exempt = await p.call('gcg/exempt', { campaignId: b, exempt: true });
    expect(contract['gcg/exempt'].result.safeParse(exempt).success).toBe(true);
    expect(exempt.exemptCampaignIds).toEqual([b]);
    expect((await p.call('gcg/exempt', { campaignId: a, exempt: true })).exemptCampaignIds).toEqual([a, b]);
    expect((await p.call('gcg/exempt', { campaignId: b, exempt: false })).exemptCampaignIds).toEqual([a]);
    expect(Number(db.scalar('SELECT gcg_exempt FROM campaigns WHERE id = ?', [b]))).toBe(0);
    const refused = await expectEngineError(p.call('gcg/exempt', { campaignId: binned, exempt: false }), 'REFUSED');
    expect(refused.message).toContain('"Binned" is in the recycle bin');
    await expectEngineError(p.call('gcg/exempt', { campaignId: 999, exempt: true }), 'NOT_FOUND');
    // Exemption does not change the group.
    expect((await p.call('gcg/get', { databaseId: p.databaseId })).size).toBe(2);
  });
});

describe('gcg/members', () => {
  it('pages through the members in the order of arrival, searched like the profile table', async () => {
    const ids = idsFrom(1, 300);
    const p = await withProfiles(ids);
    await p.call('gcg/set', { databaseId: p.databaseId, percent: 10, seed: 'page' });
    const expected = lowestByMd5(ids, 'page', 30).sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)));
    const page = await p.call('gcg/members', { databaseId: p.databaseId, offset: 10, limit: 5 });
    expect(contract['gcg/members'].result.safeParse(page).success).toBe(true);
    expect(page).toMatchObject({ databaseId: p.databaseId, total: 30, offset: 10 });
    expect(page.rows.map((r) => r.profileId)).toEqual(expected.slice(10, 15));
    const oslo = await p.call('gcg/members', { databaseId: p.databaseId, search: { text: 'Oslo', in: p.field('city').id }, limit: 100 });
    expect(oslo.rows.map((r) => r.profileId)).toEqual(expected.filter((id) => Number(id.slice(1)) % 2 === 0));
    await expectEngineError(p.call('gcg/members', { databaseId: 404 }), 'NOT_FOUND');
  });
});
