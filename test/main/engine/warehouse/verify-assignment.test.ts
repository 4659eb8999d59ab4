/**
 * warehouse/fingerprint and warehouse/verifyAssignment on a campaign split by the real
 * engine: the fingerprint is the SHA-256 of the sorted lines (computed here independently,
 * sorted with Buffer.compare), a file equal to the split matches with the same
 * fingerprint, and every kind of difference is counted and listed; bad files are refused
 * with row, column and value.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../../../main/engine/warehouse/fingerprint';
import { expectEngineError } from '../../../helpers/engine';
import { writeCsv } from '../import/helpers';
import { startCampaignProject, type CampaignProject } from '../campaigns/helpers';

type Row = readonly [id: string, group: string, stratum: string];

/** The fingerprint by its definition, independently: lines sorted by the IDs' UTF-8 bytes. */
function expectedFingerprint(rows: readonly Row[]): string {
  const lines = rows.map(([id, group, stratum]) => ({ bytes: Buffer.from(id, 'utf8'), line: `${id}\t${group}\t${stratum}\n` }));
  lines.sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  return createHash('sha256').update(lines.map((l) => l.line).join(''), 'utf8').digest('hex').slice(0, 16);
}

/** IDs with leading zeros, Cyrillic, and characters on both sides of the UTF-16 / UTF-8 order trap. */
const ODD_IDS = ['007', '07', 'Ёж', 'ёж', '\u{1F600}x', '\uFF01x', 'a\u{10000}', 'a\uFFFD'];

async function builtCampaign(): Promise<{ t: CampaignProject; id: number; rows: Row[] }> {
  const t = await startCampaignProject([{ name: 'letter', type: 'string' }]);
  t.generate(400, { values: { letter: "CASE WHEN i % 3 = 0 THEN 'A' WHEN i % 3 = 1 THEN 'B' ELSE NULL END" } });
  t.insert(ODD_IDS.map((id, i) => ({ id, values: { letter: i % 2 === 0 ? 'A' : 'B' } })));
  const segmentId = t.segment('All');
  const id = await t.campaign(segmentId, { percent: 20, limit: null, strata: [{ kind: 'values', fieldId: t.field('letter').id }] });
  await t.call('campaign/activate', { campaignId: id });
  const groups = t.groups(id);
  const strata = t.strata(id);
  const rows = [...groups].map(([pid, group]) => [pid, group, strata.get(pid)!] as const);
  return { t, id, rows };
}

const csvCell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
const csv = (header: string, rows: readonly (readonly string[])[]) => `${header}\n${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`;

describe('the split fingerprint', () => {
  it('is the first 16 hex digits of the SHA-256 of the lines sorted by ID bytes', () => {
    // printf 'a\ttest\t\nb\tcontrol\t\n' | sha256sum | cut -c1-16
    const pinned = fingerprintOf({ ids: ['b', 'a'], control: Uint8Array.of(1, 0), stratumOf: Int32Array.of(0, 0), stratumKeys: [''] });
    expect(pinned).toBe('7af7687402586cb3');
    const ids = [...ODD_IDS, 'b', 'B', ''].filter((id) => id !== '');
    const rows = ids.map((id, i) => [id, i % 3 === 0 ? 'control' : 'test', i % 2 === 0 ? 'k1' : '["x","y"]'] as const);
    const assignment = { ids, control: Uint8Array.from(rows, (r) => (r[1] === 'control' ? 1 : 0)), stratumOf: Int32Array.from(ids, (_, i) => i % 2), stratumKeys: ['k1', '["x","y"]'] };
    expect(fingerprintOf(assignment)).toBe(expectedFingerprint(rows));
  });

  it("of a campaign: its members' lines; null before the first build", async () => {
    const { t, id, rows } = await builtCampaign();
    const result = await t.call('warehouse/fingerprint', { campaignId: id });
    expect(result).toEqual({ campaignId: id, fingerprint: expectedFingerprint(rows), members: 408 });
    const other = await t.campaign(t.segment('Later'), { percent: 10, limit: null, strata: [] }, 's2', 'Later');
    expect(await t.call('warehouse/fingerprint', { campaignId: other })).toEqual({ campaignId: other, fingerprint: null, members: 0 });
  });
});

describe('comparing a file with the split', () => {
  it("a file of the split's own groups and strata matches, with the same fingerprint", async () => {
    const { t, id, rows } = await builtCampaign();
    const path = writeCsv(t.dir, 'warehouse.csv', csv('id,group,stratum', rows));
    const check = await t.call('warehouse/verifyAssignment', { campaignId: id, path }, 'verify-1');
    expect(check.matches).toBe(true);
    expect(check.rowsRead).toBe(408);
    expect(check.stratumColumn).toBe(true);
    expect(check.differences).toEqual({ count: 0, onlyInApp: 0, onlyInFile: 0, otherGroup: 0, otherStratum: 0, first: [] });
    expect(check.fingerprints.file).toBe(check.fingerprints.app);
    expect(check.fingerprints.app).toBe(expectedFingerprint(rows));
    expect(check.file).toEqual(check.app);
    expect(check.app.total).toBe(408);
    expect(check.strata.map((s) => s.key).sort()).toEqual(['', 'A', 'B']);
    for (const s of check.strata) expect(s.file).toEqual(s.app);
    // A long method: it reports its progress.
    expect(t.events.some((e) => e.event === 'progress' && e.payload.operationId === 'verify-1')).toBe(true);
  });

  it("the app's own export of the campaign (profile_id, subscription, group, fields) carries the fingerprint and matches by group", async () => {
    const { t, id } = await builtCampaign();
    const path = join(t.dir, 'export.csv');
    const exported = await t.call('export/profiles', { databaseId: t.databaseId, path, scope: { kind: 'campaign', campaignId: id, group: 'all' } });
    // The export carries the split's fingerprint (whichever group it wrote); other scopes do not.
    expect(exported.fingerprint).toBe((await t.call('warehouse/fingerprint', { campaignId: id })).fingerprint);
    const lcgOnly = await t.call('export/profiles', { databaseId: t.databaseId, path: join(t.dir, 'lcg.csv'), scope: { kind: 'campaign', campaignId: id, group: 'control' } });
    expect(lcgOnly.fingerprint).toBe(exported.fingerprint);
    expect((await t.call('export/profiles', { databaseId: t.databaseId, path: join(t.dir, 'all.csv') })).fingerprint).toBeUndefined();
    const check = await t.call('warehouse/verifyAssignment', { campaignId: id, path });
    expect(check.matches).toBe(true);
    expect(check.file).toEqual(check.app);
    // Without a stratum column each row counts in the app's stratum of its ID.
    for (const s of check.strata) expect(s.file).toEqual(s.app);
  });

  it('counts and lists every difference: only in the app, only in the file, other group, other stratum', async () => {
    const { t, id, rows } = await builtCampaign();
    const control = rows.filter((r) => r[1] === 'control');
    const test = rows.filter((r) => r[1] === 'test');
    const missing = test[0]![0];
    const swapped = control[0]![0];
    const restrat = test[1]!;
    const edited = rows
      .filter((r) => r[0] !== missing)
      .map((r): Row => (r[0] === swapped ? [r[0], 'TEST', r[2]] : r[0] === restrat[0] ? [r[0], r[1], 'Z'] : [r[0], r[1] === 'control' ? 'LCG' : r[1], r[2]]));
    edited.push(['stranger', 'control', 'A']);
    const path = writeCsv(t.dir, 'edited.csv', csv('profile_id,Group,Stratum', edited));
    const check = await t.call('warehouse/verifyAssignment', { campaignId: id, path });
    expect(check.matches).toBe(false);
    expect(check.differences).toMatchObject({ count: 4, onlyInApp: 1, onlyInFile: 1, otherGroup: 1, otherStratum: 1 });
    const byId = new Map(check.differences.first.map((d) => [d.id, d]));
    expect(byId.get(missing)).toEqual({ id: missing, app: 'test', file: null, appStratum: test[0]![2], fileStratum: null });
    expect(byId.get('stranger')).toEqual({ id: 'stranger', app: null, file: 'control', appStratum: null, fileStratum: 'A' });
    expect(byId.get(swapped)).toEqual({ id: swapped, app: 'control', file: 'test', appStratum: control[0]![2], fileStratum: control[0]![2] });
    expect(byId.get(restrat[0])).toEqual({ id: restrat[0], app: 'test', file: 'test', appStratum: restrat[2], fileStratum: 'Z' });
    // One LCG member fewer (swapped), one more (the stranger); one Test member fewer (missing), one more (the stranger).
    expect(check.file.control).toBe(check.app.control);
    expect(check.file.total).toBe(check.app.total);
    expect(check.strata.find((s) => s.key === 'Z')).toMatchObject({ label: 'Z', app: { total: 0 }, file: { total: 1, test: 1, control: 0 } });
    expect(check.fingerprints.file).not.toBe(check.fingerprints.app);
    // The file's own fingerprint: its lines, its group words read as test and control.
    const word = (group: string) => (/^(control|lcg)$/i.test(group) ? 'control' : 'test');
    expect(check.fingerprints.file).toBe(expectedFingerprint(edited.map(([pid, group, stratum]) => [pid, word(group), stratum] as const)));
  });

  it('reads a file without a header as id, group, stratum', async () => {
    const { t, id, rows } = await builtCampaign();
    const path = writeCsv(t.dir, 'plain.csv', `${rows.filter((r) => /^p\d+$/.test(r[0])).map((r) => `${r[0]};${r[1]};${r[2]}`).join('\n')}\n`);
    const check = await t.call('warehouse/verifyAssignment', { campaignId: id, path, options: { hasHeader: false, delimiter: ';' } });
    expect(check.differences).toMatchObject({ count: 8, onlyInApp: 8, onlyInFile: 0, otherGroup: 0, otherStratum: 0 });
  });

  it('refuses a file without a group column, or with an unknown group word, naming row, column and value', async () => {
    const { t, id } = await builtCampaign();
    const noGroup = writeCsv(t.dir, 'nogroup.csv', 'id,segment\np1,test\n');
    const refused = await expectEngineError(t.call('warehouse/verifyAssignment', { campaignId: id, path: noGroup }), 'REFUSED');
    expect(refused.message).toBe('The file has no "group" column (test or control for each ID); its columns are "id", "segment".');
    const badWord = writeCsv(t.dir, 'badword.csv', 'id,group\np1,test\np2,control\np3,holdout\n');
    const bad = await expectEngineError(t.call('warehouse/verifyAssignment', { campaignId: id, path: badWord }), 'REFUSED');
    expect(bad.message).toBe('Row 4, column "group": "holdout" is not a group; use test or control (or lcg).');
    expect(bad.details).toMatchObject({ row: 4, column: 'group', value: 'holdout' });
    const twice = writeCsv(t.dir, 'twice.csv', 'id,group\np1,test\np1,control\n');
    expect((await expectEngineError(t.call('warehouse/verifyAssignment', { campaignId: id, path: twice }), 'REFUSED')).message).toContain('"p1" in rows 2 and 3');
  });

  it('can be cancelled while it reads the file', async () => {
    const { t, id } = await builtCampaign();
    const path = writeCsv(t.dir, 'big.csv', `id,group\n${Array.from({ length: 300_000 }, (_, i) => `w${i},test`).join('\n')}\n`);
    t.events.length = 0;
    const running = t.raw('warehouse/verifyAssignment', { campaignId: id, path }, 'verify-cancel');
    const read = () => t.events.some((e) => e.event === 'progress' && e.payload.operationId === 'verify-cancel' && e.payload.done > 0);
    for (let i = 0; i < 1000 && !read(); i += 1) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(await t.call('operation/cancel', { operationId: 'verify-cancel' })).toEqual({ cancelled: true });
    expect(await running).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });

  it('refuses a campaign that has no split yet', async () => {
    const t = await startCampaignProject();
    t.generate(10);
    const id = await t.campaign(t.segment('All'), { percent: 10, limit: null, strata: [] });
    const path = writeCsv(t.dir, 'w.csv', 'id,group\np1,test\n');
    const refused = await expectEngineError(t.call('warehouse/verifyAssignment', { campaignId: id, path }), 'REFUSED');
    expect(refused.message).toBe('"Spring" has not been activated yet, so it has no split to compare.');
  });
});
