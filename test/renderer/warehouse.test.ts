/**
 * The split on the warehouse in the store, on a real engine: the Export as SQL form checked
 * by the contract's own rules with each problem at its input; the split fingerprint read and
 * read again after a rebuild; a warehouse's CSV picked and compared (the app's own export
 * matches, an edited one shows its differences in words); Check all splits; another project
 * drops it all.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AssignmentCheck } from '../../shared/contract/warehouse';
import { assignmentVerdict, defaultSqlForm, differenceText, fingerprintComparison, ruleCheckSummary, splitSignature, sqlArgsOf, strataByDifference } from '../../renderer/store/warehouse/selectors';
import type { StoreHarness } from './helpers/in-process';
import { waitForState } from './helpers/in-process';
import { activatedProject, answerNext, type Planned } from './helpers/planning';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

/** 400 profiles, a campaign with an LCG of 20 % by gender, activated. */
async function splitProject(picks: Record<string, string>): Promise<Planned & { campaignId: number }> {
  const p = await activatedProject(400, 'warehouse', { pick: (kind) => picks[kind] ?? null });
  harness = p.h;
  return p;
}

describe('the Export as SQL form', () => {
  it('names each field in a column of its own name by default, and puts every problem at its input', () => {
    const form = defaultSqlForm(['gender', 'city']);
    expect(form).toMatchObject({ dialect: 'postgresql', kind: 'split', table: 'audience', idColumn: 'profile_id', columns: { gender: 'gender', city: 'city' } });
    expect(sqlArgsOf(7, form)).toEqual({
      args: { campaignId: 7, dialect: 'postgresql', kind: 'split', table: 'audience', idColumn: 'profile_id', columns: { gender: 'gender', city: 'city' } },
      problems: {},
    });
    const bad = sqlArgsOf(7, { ...form, table: '  ', columns: { gender: 'sex"', city: 'city' }, kind: 'growth', assignmentTable: 'a`b' });
    expect(bad.args).toBeNull();
    expect(bad.problems).toEqual({
      table: 'Give a name.',
      'column:gender': 'A name cannot contain control characters, quotes or backticks.',
      assignmentTable: 'A name cannot contain control characters, quotes or backticks.',
    });
    // The assignment table is asked for (and checked) only for growth.
    expect(sqlArgsOf(7, { ...form, assignmentTable: '' }).problems).toEqual({});
    expect(sqlArgsOf(7, { ...form, kind: 'growth', assignmentTable: 'dw.assigned' }).args).toMatchObject({ kind: 'growth', assignmentTable: 'dw.assigned' });
  });
});

describe('what a comparison found, in words', () => {
  const counts = { total: 10, test: 8, control: 2 };
  const check = (differences: Partial<AssignmentCheck['differences']>): AssignmentCheck => ({
    campaignId: 1,
    campaignName: 'Spring',
    matches: (differences.count ?? 0) === 0,
    rowsRead: 10,
    app: counts,
    file: counts,
    strata: [],
    differences: { count: 0, onlyInApp: 0, onlyInFile: 0, otherGroup: 0, otherStratum: 0, first: [], ...differences },
    fingerprints: { app: '0123456789abcdef', file: '0123456789abcdef' },
  });
  it('says whether the file matches, and how each differing ID differs', () => {
    expect(assignmentVerdict(check({}))).toBe('The file matches the app’s split: all 10 profiles are in the same group.');
    expect(assignmentVerdict(check({ count: 3, otherGroup: 2, onlyInFile: 1 }))).toBe(
      'The file does not match the app’s split: 3 profiles differ (2 in another group and 1 not in the app’s split).',
    );
    // A file without a stratum column matches by group; its fingerprint (strata hashed) differs, and that is said.
    const byGroup = { ...check({}), stratumColumn: true, strata: [{ key: 'a', label: 'a', app: counts, file: counts }, { key: 'b', label: 'b', app: counts, file: counts }] };
    expect(fingerprintComparison(byGroup)).toBe('the same');
    expect(assignmentVerdict(byGroup)).toBe('The file matches the app’s split: all 10 profiles are in the same group and stratum.');
    const noStrata = { ...byGroup, stratumColumn: false, fingerprints: { app: '0123456789abcdef', file: 'fedcba9876543210' } };
    expect(assignmentVerdict(noStrata)).toBe('The file matches the app’s split: all 10 profiles are in the same group.');
    expect(fingerprintComparison(noStrata)).toBe('different: the file has no stratum column, and the fingerprint includes the strata');
    expect(fingerprintComparison({ ...noStrata, stratumColumn: true, matches: false })).toBe('different');
    // The strata whose counts differ come first, then the largest.
    const stratum = (key: string, appTest: number, fileTest: number) => ({ key, label: key, app: { total: appTest + 1, test: appTest, control: 1 }, file: { total: fileTest + 1, test: fileTest, control: 1 } });
    expect(strataByDifference([stratum('a', 5, 5), stratum('b', 9, 9), stratum('c', 1, 2), stratum('d', 3, 3)]).map((s) => s.key)).toEqual(['c', 'b', 'a', 'd']);
    const diff = { id: 'P1', app: 'control', file: 'test', appStratum: 'female', fileStratum: 'female' } as const;
    expect(differenceText(diff)).toBe('LCG in the app, Test in the file');
    expect(differenceText({ ...diff, file: null, fileStratum: null })).toBe('only in the app (LCG)');
    expect(differenceText({ ...diff, app: null, appStratum: null })).toBe('only in the file (Test)');
    expect(differenceText({ ...diff, file: 'control', fileStratum: '' })).toBe('stratum “female” in the app, “” (no value) in the file');
  });
});

describe('the split on the warehouse in the store', () => {
  it('reads the fingerprint, and a new one after the split is rebuilt', async () => {
    const p = await splitProject({});
    const { h, campaignId } = p;
    const s = () => h.store.getState();
    const before = await s().loadCampaign(campaignId);
    await s().loadFingerprint(campaignId);
    const first = h.state().fingerprints[campaignId];
    expect(first?.error).toBeNull();
    expect(first?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(first?.members).toBe(before?.campaign.groups.total);

    // Removing the LCG rebuilds the split (everyone in Test): the signature the page watches changes, and so does the fingerprint.
    await h.engine.client.call('campaign/setLcg', { campaignId, lcg: { percent: null, limit: null, strata: [] } });
    const after = await s().loadCampaign(campaignId);
    if (!before || !after) throw new Error('campaign not loaded');
    expect(splitSignature(after)).not.toBe(splitSignature(before));
    await s().loadFingerprint(campaignId);
    expect(h.state().fingerprints[campaignId]?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(h.state().fingerprints[campaignId]?.fingerprint).not.toBe(first?.fingerprint);

    // A campaign never activated has no split: no fingerprint, and no error either.
    const draft = await h.engine.client.call('campaign/create', { name: 'Draft', databaseId: p.databaseId, segmentId: p.segment.id, seed: 'd', lcg: { percent: '10', limit: null, strata: [] } });
    await s().loadFingerprint(draft.id);
    expect(h.state().fingerprints[draft.id]).toEqual({ fingerprint: null, members: 0, error: null });
  });

  it('compares a picked CSV with the split: the app’s own export matches, an edited one shows which IDs differ', async () => {
    const picks: Record<string, string> = {};
    const p = await splitProject(picks);
    const { h, campaignId } = p;
    const s = () => h.store.getState();
    const exported = join(h.engine.dir, 'spring.csv');
    await h.engine.client.call('export/profiles', { databaseId: p.databaseId, scope: { kind: 'campaign', campaignId, group: 'all' }, path: exported, fieldIds: [] });

    s().openAssignmentCheck(campaignId);
    picks['open-csv'] = exported;
    await s().verifyAssignmentFile();
    const matched = h.state().assignmentCheck;
    expect(matched?.error).toBeNull();
    expect(matched?.fileName).toBe('spring.csv');
    expect(matched?.result?.matches).toBe(true);
    expect(matched?.result?.differences.count).toBe(0);
    expect(matched?.result?.fingerprints.app).toMatch(/^[0-9a-f]{16}$/);

    // One profile of the LCG moved to Test by hand.
    const lines = readFileSync(exported, 'utf8').split(/\r?\n/);
    const header = (lines[0] ?? '').split(',');
    const groupAt = header.indexOf('group');
    const row = lines.findIndex((line, i) => i > 0 && line.split(',')[groupAt] === 'control');
    const cells = (lines[row] ?? '').split(',');
    const movedId = cells[0] ?? '';
    cells[groupAt] = 'test';
    lines[row] = cells.join(',');
    const edited = join(h.engine.dir, 'edited.csv');
    writeFileSync(edited, lines.join('\n'));
    picks['open-csv'] = edited;
    await s().verifyAssignmentFile();
    const differed = h.state().assignmentCheck?.result;
    expect(differed?.matches).toBe(false);
    expect(differed?.differences.otherGroup).toBe(1);
    expect(differed?.differences.first.map((d) => [d.id, differenceText(d)])).toEqual([[movedId.replace(/^"|"$/g, ''), 'LCG in the app, Test in the file']]);
    expect(assignmentVerdict(differed as AssignmentCheck)).toBe('The file does not match the app’s split: 1 profile differs (1 in another group).');

    // A file that is not an assignment: the engine's reason, with the file's name.
    const broken = join(h.engine.dir, 'broken.csv');
    writeFileSync(broken, 'id,group\nP1,maybe\n');
    picks['open-csv'] = broken;
    await s().verifyAssignmentFile();
    expect(h.state().assignmentCheck?.result).toBeNull();
    expect(h.state().assignmentCheck?.error).toMatch(/^broken\.csv: .*maybe/);

    // A long comparison shows its progress and can be cancelled: nothing is shown but that it was cancelled.
    const big = join(h.engine.dir, 'big.csv');
    writeFileSync(big, `id,group\n${Array.from({ length: 400_000 }, (_, i) => `X${i},test`).join('\n')}\n`);
    picks['open-csv'] = big;
    const comparing = s().verifyAssignmentFile();
    const running = await waitForState(h.store, (st) => Object.values(st.operations).some((op) => op.method === 'warehouse/verifyAssignment'));
    const op = Object.values(running.operations).find((o) => o.method === 'warehouse/verifyAssignment');
    expect(op?.inline).toBe(true);
    await s().cancelOperation(op?.id ?? '');
    await comparing;
    expect(h.state().assignmentCheck).toMatchObject({ fileName: 'big.csv', result: null, error: 'Cancelled: big.csv was not compared.' });

    s().closeAssignmentCheck();
    expect(h.state().assignmentCheck).toBeNull();
  });

  it('previews the SQL, saves it where the save dialog says, and another project drops what was shown', async () => {
    const picks: Record<string, string> = {};
    const p = await splitProject(picks);
    const { h, campaignId } = p;
    const s = () => h.store.getState();
    const { args } = sqlArgsOf(campaignId, { ...defaultSqlForm(['gender']), dialect: 'duckdb' });
    if (!args) throw new Error('form not valid');
    const preview = await s().campaignSql(args);
    if (!preview.ok) throw new Error(preview.error);
    expect(preview.sql.sql).toMatch(/audience/);
    expect(preview.sql.path).toBeNull();

    const path = join(h.engine.dir, 'spring-query');
    picks['save-sql'] = path;
    const saved = await s().saveCampaignSql(args, preview.sql.fileName);
    expect(h.platform.pickRequests.at(-1)).toEqual({ kind: 'save-sql', defaultName: preview.sql.fileName });
    if (!saved?.ok) throw new Error(saved ? saved.error : 'cancelled');
    expect(saved.sql.path).toBe(`${path}.sql`);
    expect(readFileSync(`${path}.sql`, 'utf8')).toBe(preview.sql.sql);

    const refused = await s().campaignSql({ ...args, campaignId: 999 });
    expect(refused.ok).toBe(false);

    await s().loadFingerprint(campaignId);
    await s().checkAllSplits();
    expect(h.state().projectCheck?.result?.ok).toBe(true);
    expect(h.state().projectCheck?.result?.campaigns.map((c) => [c.name, c.ok])).toEqual([['Spring', true]]);
    expect(ruleCheckSummary(h.state().projectCheck!.result!.campaigns[0]!)).toBe('400 members: every stored group is what the rule gives.');

    // One LCG member put in Test by hand, as a foreign program might: the check says so, with the count.
    h.engine.engine.state.requireSession().db.run(`UPDATE campaign_members SET grp = 'test' WHERE profile_key = (SELECT min(profile_key) FROM campaign_members WHERE grp = 'control')`);
    await s().checkAllSplits();
    const edited = h.state().projectCheck?.result;
    expect(edited?.ok).toBe(false);
    expect(ruleCheckSummary(edited!.campaigns[0]!)).toBe('1 member is not in the group the rule gives: 0 stored in the LCG should be in Test, 1 stored in Test should be in the LCG.');
    s().closeProjectCheck();
    expect(h.state().projectCheck).toBeNull();
    await s().checkAllSplits();

    const opening = s().newProject();
    await answerNext(h, 'discard');
    await opening;
    expect(h.state().fingerprints).toEqual({});
    expect(h.state().projectCheck).toBeNull();
  });
});
