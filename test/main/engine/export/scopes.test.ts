/**
 * Exports of part of a database: a segment, the global control group, a campaign's groups,
 * the recipients of an activity run. Campaign and run exports have a `group` column after
 * the status. Big scopes go through the snapshot reader, small ones through SQL: both are
 * checked to give the same bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArgsOf } from '../../../../shared/contract/index';
import type { ExportRequest } from '../../../../shared/contract/exports';
import { planExport, writeProfilesCsv } from '../../../../main/engine/export/profile-export';
import { expectEngineError } from '../../../helpers/engine';
import { startDatabaseProject, type DatabaseProject } from '../databases/helpers';
import { insertActivity, insertCampaign, insertCampaignMembers, insertRun, lowestByMd5, markBuilt } from '../segments/helpers';

const BOM = '\uFEFF';
const linesOf = (text: string) => text.replace(BOM, '').split('\r\n').slice(0, -1);

type ExportArgs = Omit<ArgsOf<'export/profiles'>, 'databaseId' | 'path'>;

let counter = 0;
async function exportCsv(p: DatabaseProject, args: ExportArgs) {
  counter += 1;
  const path = join(p.dir, `scope-${counter}.csv`);
  const result = await p.call('export/profiles', { databaseId: p.databaseId, path, ...args }, `export-${counter}`);
  return { result, lines: linesOf(readFileSync(path, 'utf8')) };
}

/** Ten customers, p01..p10, statuses cycling through all four, a text and a number field. */
async function customers(): Promise<DatabaseProject> {
  const p = await startDatabaseProject([
    { name: 'name', type: 'string' },
    { name: 'spent', type: 'number' },
  ]);
  const statuses = ['subscribed', 'bounced', 'unsubscribed', 'unconfirmed'] as const;
  p.insert(Array.from({ length: 10 }, (_, i) => ({ id: `p${String(i + 1).padStart(2, '0')}`, subscription: statuses[i % 4], values: { name: i === 4 ? '=cmd' : `Name ${i + 1}`, spent: i * 1.5 } })));
  return p;
}

/** A campaign (on a segment of every profile) with some profiles in Test and some in Control. */
async function campaign(p: DatabaseProject, groups: Readonly<Record<string, 'test' | 'control'>>) {
  const { segment } = await p.call('segment/create', { databaseId: p.databaseId, name: `All ${++counter}`, from: { kind: 'all' } });
  const campaignId = insertCampaign(p.db(), { name: `Campaign ${counter}`, databaseId: p.databaseId, segmentId: segment.id });
  insertCampaignMembers(p.db(), campaignId, p.databaseId, groups);
  return campaignId;
}

describe('export/profiles with a scope', () => {
  it('exports a segment: its members in the order of arrival, with the status filter, chosen fields and the limit', async () => {
    const p = await customers();
    const { segment } = await p.call('segment/create', { databaseId: p.databaseId, name: 'Picked', from: { kind: 'empty' } });
    await p.call('segment/addProfiles', { segmentId: segment.id, profileIds: ['p09', 'p02', 'p05', 'p06', 'p01'] });
    const scope = { kind: 'segment' as const, segmentId: segment.id };
    const all = await exportCsv(p, { scope });
    expect(all.result.rows).toBe(5);
    expect(all.lines).toEqual([
      'profile_id,subscription_status,name,spent',
      'p01,subscribed,Name 1,0',
      'p02,bounced,Name 2,1.5',
      "p05,subscribed,'=cmd,6",
      'p06,bounced,Name 6,7.5',
      'p09,subscribed,Name 9,12',
    ]);
    const bounced = await exportCsv(p, { scope, subscription: ['bounced'], fieldIds: [p.field('spent').id] });
    expect(bounced.lines).toEqual(['profile_id,subscription_status,spent', 'p02,bounced,1.5', 'p06,bounced,7.5']);
    const limited = await exportCsv(p, { scope, subscription: ['subscribed', 'bounced'], limit: 3, fieldIds: [], delimiter: ';' });
    expect(limited.result.rows).toBe(3);
    expect(limited.lines).toEqual(['profile_id;subscription_status', 'p01;subscribed', 'p02;bounced', 'p05;subscribed']);
    const none = await exportCsv(p, { scope, subscription: ['unconfirmed'] });
    expect(none).toMatchObject({ result: { rows: 0 }, lines: ['profile_id,subscription_status,name,spent'] });
  });

  it('exports the whole database for the database scope, as without one', async () => {
    const p = await customers();
    const scoped = await exportCsv(p, { scope: { kind: 'database' }, fieldIds: [] });
    const plain = await exportCsv(p, { fieldIds: [] });
    expect(scoped.lines).toEqual(plain.lines);
    expect(scoped.lines).toHaveLength(11);
  });

  it('exports the global control group, up to date with profiles added since', async () => {
    const p = await customers();
    await p.call('gcg/set', { databaseId: p.databaseId, percent: 30, seed: 'g' });
    const ids = Array.from({ length: 10 }, (_, i) => `p${String(i + 1).padStart(2, '0')}`);
    const members = lowestByMd5(ids, 'g', 3).sort();
    const gcg = await exportCsv(p, { scope: { kind: 'gcg' }, fieldIds: [] });
    expect(gcg.lines.slice(1).map((l) => l.split(',')[0])).toEqual(members);
    p.insert([{ id: 'p11' }, { id: 'p12' }, { id: 'p13' }, { id: 'p14' }]);
    const grown = await exportCsv(p, { scope: { kind: 'gcg' }, fieldIds: [] });
    expect(grown.result.rows).toBe(4); // 30 % of 14 = 4.2 -> 4: one of the four new profiles joined
    expect(grown.lines.slice(1, 4).map((l) => l.split(',')[0])).toEqual(members);
    expect(grown.lines[4]).toBe(`${lowestByMd5(['p11', 'p12', 'p13', 'p14'], 'g', 1)[0]},subscribed`);

    await p.call('gcg/set', { databaseId: p.databaseId, percent: 0 });
    const refused = await expectEngineError(exportCsv(p, { scope: { kind: 'gcg' } }), 'REFUSED');
    expect(refused.message).toContain('has no global control group');
  });

  it('exports a campaign by group with a group column after the status', async () => {
    const p = await customers();
    const campaignId = await campaign(p, { p01: 'test', p02: 'control', p03: 'test', p07: 'control', p10: 'test' });
    const all = await exportCsv(p, { scope: { kind: 'campaign', campaignId, group: 'all' }, fieldIds: [p.field('name').id] });
    expect(all.lines).toEqual([
      'profile_id,subscription_status,group,name',
      'p01,subscribed,test,Name 1',
      'p02,bounced,control,Name 2',
      'p03,unsubscribed,test,Name 3',
      'p07,unsubscribed,control,Name 7',
      'p10,bounced,test,Name 10',
    ]);
    const control = await exportCsv(p, { scope: { kind: 'campaign', campaignId, group: 'control' }, fieldIds: [] });
    expect(control.lines).toEqual(['profile_id,subscription_status,group', 'p02,bounced,control', 'p07,unsubscribed,control']);
    const test = await exportCsv(p, { scope: { kind: 'campaign', campaignId, group: 'test' }, fieldIds: [], subscription: ['subscribed', 'bounced'], limit: 1, delimiter: '\t' });
    expect(test.lines).toEqual(['profile_id\tsubscription_status\tgroup', 'p01\tsubscribed\ttest']);
  });

  it('exports the recipients of an activity run with their groups', async () => {
    const p = await customers();
    const campaignId = await campaign(p, { p01: 'test', p02: 'control', p03: 'test', p04: 'test' });
    const activityId = insertActivity(p.db(), { name: 'Mail', databaseId: p.databaseId, segmentId: null, campaignId });
    const runId = insertRun(p.db(), activityId, campaignId, p.databaseId, { p04: 'test', p02: 'control', p01: 'test' });
    const run = await exportCsv(p, { scope: { kind: 'run', runId }, fieldIds: [p.field('spent').id] });
    expect(run.lines).toEqual(['profile_id,subscription_status,group,spent', 'p01,subscribed,test,0', 'p02,bounced,control,1.5', 'p04,unconfirmed,test,4.5']);
    const onlySubscribed = await exportCsv(p, { scope: { kind: 'run', runId }, subscription: ['subscribed'], fieldIds: [] });
    expect(onlySubscribed.lines).toEqual(['profile_id,subscription_status,group', 'p01,subscribed,test']);
  });

  it('refuses scopes of another database, and ones that do not exist', async () => {
    const p = await customers();
    const { id: otherDb } = await p.call('database/create', { name: 'Other' });
    p.insert([{ id: 'x1' }], otherDb);
    const { segment } = await p.call('segment/create', { databaseId: otherDb, name: 'Theirs', from: { kind: 'all' } });
    const campaignId = insertCampaign(p.db(), { name: 'Elsewhere', databaseId: otherDb, segmentId: segment.id });
    const activityId = insertActivity(p.db(), { name: 'Mail', databaseId: otherDb, segmentId: null, campaignId });
    const runId = insertRun(p.db(), activityId, campaignId, otherDb, { x1: 'test' });
    const wrongSegment = await expectEngineError(exportCsv(p, { scope: { kind: 'segment', segmentId: segment.id } }), 'INVALID_ARGUMENT');
    expect(wrongSegment.message).toBe('The segment "Theirs" is not of the database "Customers".');
    await expectEngineError(exportCsv(p, { scope: { kind: 'campaign', campaignId, group: 'all' } }), 'INVALID_ARGUMENT');
    await expectEngineError(exportCsv(p, { scope: { kind: 'run', runId } }), 'INVALID_ARGUMENT');
    await expectEngineError(exportCsv(p, { scope: { kind: 'segment', segmentId: 999 } }), 'NOT_FOUND');
    await expectEngineError(exportCsv(p, { scope: { kind: 'campaign', campaignId: 999, group: 'test' } }), 'NOT_FOUND');
    await expectEngineError(exportCsv(p, { scope: { kind: 'run', runId: 999 } }), 'NOT_FOUND');
  });

  it('gives the same bytes through the snapshot reader and through SQL, over many pages', async () => {
    const p = await startDatabaseProject([
      { name: 'note', type: 'string' },
      { name: 'n', type: 'number' },
      { name: 'flag', type: 'boolean' },
    ]);
    const statuses = ['subscribed', 'bounced', 'unsubscribed', 'unconfirmed'];
    const db = p.db();
    db.exec(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 30000)
             INSERT INTO profiles_${p.databaseId} (profile_id, subscription, f_1, f_2, f_3)
             SELECT 'id' || i, CASE i % 4 WHEN 0 THEN '${statuses[0]}' WHEN 1 THEN '${statuses[1]}' WHEN 2 THEN '${statuses[2]}' ELSE '${statuses[3]}' END,
                    CASE WHEN i % 97 = 0 THEN printf('%.*c', 9000, 'x') WHEN i % 5 = 0 THEN NULL ELSE 'note, "' || i || '"' END, i * 0.25, i % 2 FROM c`);
    const { segment } = await p.call('segment/create', { databaseId: p.databaseId, name: 'Most', from: { kind: 'all' } });
    db.run(`DELETE FROM segment_members WHERE segment_id = ? AND profile_key % 7 = 3`, [segment.id]);
    const campaignId = insertCampaign(db, { name: 'Big', databaseId: p.databaseId, segmentId: segment.id });
    markBuilt(db, campaignId);
    db.run(
      `INSERT INTO campaign_members (campaign_id, profile_key, grp, stratum, version_id)
       SELECT ?, profile_key, CASE WHEN profile_key % 10 = 0 THEN 'control' ELSE 'test' END, 0, 1 FROM segment_members WHERE segment_id = ?`,
      [campaignId, segment.id],
    );
    const both = async (request: Partial<ExportRequest>) => {
      const plan = planExport(db, { databaseId: p.databaseId, path: 'x.csv', delimiter: ',', bom: true, ...request });
      const run = async (snapshotMinRows: number) => {
        const chunks: Uint8Array[] = [];
        await writeProfilesCsv(db, plan, { write: async (b) => void chunks.push(b.slice()), progress: async () => undefined }, { snapshotMinRows });
        return Buffer.concat(chunks).toString('utf8');
      };
      const [snapshot, sql] = [await run(0), await run(Number.POSITIVE_INFINITY)];
      expect(snapshot).toBe(sql);
      return { plan, text: snapshot };
    };
    const seg = await both({ scope: { kind: 'segment', segmentId: segment.id } });
    const expectedRows = 30000 - Math.floor((30000 + 4) / 7);
    expect(seg.plan.rows).toBe(expectedRows);
    expect(seg.text.split('\r\n').length - 2).toBe(expectedRows);
    const grouped = await both({ scope: { kind: 'campaign', campaignId, group: 'all' }, subscription: ['bounced', 'unconfirmed', 'unsubscribed'], limit: 9000 });
    expect(grouped.plan.rows).toBe(9000);
    const lines = grouped.text.split('\r\n');
    expect(lines[0]).toBe(`${BOM}profile_id,subscription_status,group,note,n,flag`);
    expect(lines[1]).toBe('id1,bounced,test,"note, ""1""",0.25,true');
    expect(lines.find((l) => l.startsWith('id32,'))).toBeUndefined(); // subscribed is filtered out
    expect(lines.find((l) => l.startsWith('id10,'))).toBeUndefined(); // 10 % 7 = 3: not in the segment
    expect(lines.find((l) => l.startsWith('id11,'))).toBe('id11,unconfirmed,test,"note, ""11""",2.75,true');
    expect(lines.find((l) => l.startsWith('id30,'))).toBe('id30,unsubscribed,control,,7.5,false'); // every fifth note is empty
    const control = await both({ scope: { kind: 'campaign', campaignId, group: 'control' }, fieldIds: [] });
    expect(control.text.split('\r\n').slice(1, 3)).toEqual(['id20,subscribed,control', 'id30,unsubscribed,control']);

    // Through the engine: the big scope takes the snapshot path and writes the same file.
    const viaEngine = await exportCsv(p, { scope: { kind: 'segment', segmentId: segment.id } });
    expect(viaEngine.result.rows).toBe(expectedRows);
    expect(viaEngine.lines).toEqual(linesOf(seg.text));
  });
});
