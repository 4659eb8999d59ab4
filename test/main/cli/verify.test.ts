/**
 * `cplan verify` and the split fingerprint on the command line: in this process for what
 * is printed and refused, and as real processes for the exit codes users script against.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssignmentCheck, ProjectCheck } from '../../../shared/contract/warehouse';
import { cli, emptyProject, fails, json, ok } from '../../helpers/cli-in-process';
import { cplanWorkspace, expectOneLineError } from '../../helpers/cplan-process';
import { tempDir } from '../../helpers/temp-dir';
import { editFile } from '../engine/warehouse/history-project';
import { writeCsv } from '../engine/import/helpers';

/** A saved project: "Plain" (10 %, not stratified) and "Spring" (20 %, stratified by letter), both activated. */
let template = '';
let templateDir = '';
beforeAll(async () => {
  const { dir, file } = await emptyProject('2026-04-01T10:00');
  const ids = Array.from({ length: 300 }, (_, i) => (i % 10 === 0 ? `0${i}` : i % 10 === 1 ? `Ёж${i}` : `c${i}`));
  const people = writeCsv(dir, 'people.csv', `customer_id,letter\n${ids.map((id, i) => `${id},${'ABC'[i % 3]}`).join('\n')}\n`);
  await ok('import', file, people, '--database', 'Shop', '--create');
  await ok('segment', 'create', file, 'Everyone', '--database', 'Shop', '--from', 'all');
  for (const [name, extra] of [['Plain', []], ['Spring', ['--stratum', 'letter']]] as const) {
    await ok('campaign', 'create', file, name, '--database', 'Shop', '--segment', 'Everyone', '--percent', name === 'Plain' ? '10' : '20', '--seed', name, ...extra);
    await ok('activity', 'create', file, `${name} mail`, '--type', 'broadcast', '--campaign', name);
    await ok('campaign', 'activate', file, name);
  }
  templateDir = mkdtempSync(join(tmpdir(), 'cplan-verify-cli-'));
  template = join(templateDir, 'shop.cplan');
  copyFileSync(file, template);
}, 120_000);
afterAll(() => rmSync(templateDir, { recursive: true, force: true }));

function copy(): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'shop.cplan');
  copyFileSync(template, file);
  return { dir, file };
}

/** The project with one LCG member of "Spring" put in Test by plain SQL. */
async function edited(dir: string): Promise<string> {
  const out = join(dir, 'edited.cplan');
  await editFile(
    readFileSync(template),
    out,
    `UPDATE campaign_members SET grp = 'test' WHERE campaign_id = (SELECT id FROM campaigns WHERE name = 'Spring')
        AND profile_key = (SELECT MIN(profile_key) FROM campaign_members WHERE grp = 'control' AND campaign_id = (SELECT id FROM campaigns WHERE name = 'Spring'))`,
  );
  return out;
}

describe('the split fingerprint on the command line', () => {
  it('is shown by campaign show (text and JSON) and by a campaign export, and equals the exported file’s', async () => {
    const { dir, file } = copy();
    const shown = await json<{ fingerprint: string | null }>('campaign', 'show', file, 'Plain');
    expect(shown.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(await ok('campaign', 'show', file, 'Plain')).toContain(`\n  fingerprint ${shown.fingerprint}\n`);
    const out = join(dir, 'plain.csv');
    expect(await ok('campaign', 'export', file, 'Plain', out)).toMatch(new RegExp(`^Wrote 300 members of "Plain" to .*\\. Split fingerprint: ${shown.fingerprint}\\.\\n$`));
    // Not stratified: the file's id and group lines are the split's lines, so the fingerprints agree.
    const check = await json<AssignmentCheck>('verify', file, '--campaign', 'Plain', '--assignment', out);
    expect(check.fingerprints).toEqual({ app: shown.fingerprint, file: shown.fingerprint });
  });
});

describe('cplan verify FILE --campaign NAME --assignment FILE.csv', () => {
  it('prints that the split is the same, or the differences, with exit code 0 or 1', async () => {
    const { dir, file } = copy();
    const out = join(dir, 'spring.csv');
    await ok('campaign', 'export', file, 'Spring', out, '--fields', '');
    const same = await cli('verify', file, '--campaign', 'Spring', '--assignment', out);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/^"Spring" and spring\.csv hold the same split: 300 profiles, 240 in Test, 60 in the LCG\.\n/);
    expect(same.stdout).toMatch(/Stratum\s+App Test\s+App LCG\s+File Test\s+File LCG/);
    expect(same.stdout).toContain('(the file has no stratum column, so its lines have an empty stratum: the fingerprints differ even for the same groups).');

    // One LCG row of the file says test.
    const lines = readFileSync(out, 'utf8').split('\r\n');
    const at = lines.findIndex((l) => l.endsWith(',control'));
    const id = lines[at]!.split(',')[0]!;
    lines[at] = lines[at]!.replace(/,control$/, ',test');
    writeFileSync(out, lines.join('\r\n'));
    const differ = await cli('verify', file, '--campaign', 'Spring', '--assignment', out);
    expect(differ.code).toBe(1);
    expect(differ.stderr).toBe('');
    expect(differ.stdout).toMatch(/^"Spring" and spring\.csv differ: 1 ID \(0 only in the app, 0 only in the file, 1 in the other group, 0 in another stratum\)\./);
    expect(differ.stdout).toMatch(new RegExp(`\\n  ${id}\\s+LCG\\s+Test\\s`));
    const asJson = await cli('verify', file, '--campaign', 'Spring', '--assignment', out, '--json');
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ matches: false, differences: { count: 1, otherGroup: 1, first: [{ id, app: 'control', file: 'test' }] } });
  });

  it('refuses a bad file with its row, column and value, and a wrong command line with exit code 2', async () => {
    const { dir, file } = copy();
    const bad = writeCsv(dir, 'bad.csv', 'id,group\nc2,test\nc3,maybe\n');
    expect(await fails(1, 'verify', file, '--campaign', 'Spring', '--assignment', bad)).toBe('Row 3, column "group": "maybe" is not a group; use test or control (or lcg).');
    expect(await fails(2, 'verify', file, '--campaign', 'Spring')).toMatch(/^--campaign NAME and --assignment FILE\.csv go together/);
    expect(await fails(2, 'verify', file, '--delimiter', ';')).toBe('--encoding, --delimiter and --header go with --assignment');
  });
});

describe('cplan verify FILE', () => {
  it('says every campaign holds the rule’s split, or names the edited campaign and counts', async () => {
    const { dir, file } = copy();
    const good = await cli('verify', file);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^Every campaign's stored split in shop\.cplan is exactly what the rule gives \(2 campaigns\)\.\n/);
    const bad = await cli('verify', await edited(dir));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^1 campaign of 2 in edited\.cplan does not hold the split the rule gives: "Spring"\.\n/);
    expect(bad.stdout).toContain('  1 member not in the group the rule gives: 0 in the LCG that the rule puts in Test, 1 in Test that it puts in the LCG.');
    const data = JSON.parse((await cli('verify', join(dir, 'edited.cplan'), '--json')).stdout) as ProjectCheck;
    expect(data.ok).toBe(false);
    expect(data.campaigns.map((c) => [c.name, c.ok, c.wrong])).toEqual([
      ['Plain', true, 0],
      ['Spring', false, 1],
    ]);
  });
});

describe('cplan verify as a real process', () => {
  it('exits 0 on a project as the app left it and 1 on one edited by hand', async () => {
    const w = cplanWorkspace();
    copyFileSync(template, join(w.dir, 'shop.cplan'));
    const good = await w.run('verify', 'shop.cplan');
    expect(good.code, good.stderr).toBe(0);
    await edited(w.dir);
    const bad = await w.run('verify', 'edited.cplan');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('"Spring"');
    const missing = await w.run('verify', 'shop.cplan', '--campaign', 'Spring', '--assignment', 'none.csv');
    expect(missing.code).toBe(1);
    expect(expectOneLineError(missing)).toMatch(/none\.csv/);
  }, 60_000);
});
