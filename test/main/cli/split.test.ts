/** `cplan split` as a real process on real files: the stand-alone split for analysts. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ResultOf } from '../../../shared/contract/index';
import { cplanWorkspace, expectOneLineError, parseJson, type CplanWorkspace, type JsonFailure } from '../../helpers/cplan-process';

let w: CplanWorkspace;

beforeEach(() => {
  w = cplanWorkspace();
  // The guide's example: 100 profiles in strata of 6, 7, 7, 28, 26, 26.
  const lines = ['customer_id,tier,age'];
  let k = 0;
  [6, 7, 7, 28, 26, 26].forEach((size, s) => {
    for (let i = 0; i < size; i += 1) {
      k += 1;
      lines.push(`${String(k).padStart(4, '0')},T${s},${k % 5 === 0 ? '' : 18 + (k % 50)}`);
    }
  });
  writeFileSync(join(w.dir, 'audience.csv'), `${lines.join('\n')}\n`);
});

const leftovers = () => [...readdirSync(w.dir).filter((f) => f.endsWith('.tmp')), ...readdirSync(w.tmp)];

describe('cplan split', { timeout: 180_000 }, () => {
  it('splits the guide example and prints the summary with the strata table and the warning', async () => {
    const run = await w.run('split', '--csv', 'audience.csv', '--out', 'groups.csv', '--percent', '15', '--limit', '12', '--stratum', 'tier', '--seed', 's1');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Split 100 IDs of audience\.csv with the seed "s1": 12 control, 88 test\.\nWrote .*groups\.csv in [\d.]+ s\.\n/);
    expect(run.stdout).toMatch(/tier = T0\s+6\s+0\.72\s+1\s+16\.7 %\s+\+0\.28/);
    expect(run.stdout).toMatch(/tier = T3\s+28\s+3\.36\s+3/);
    expect(run.stdout).toMatch(/Warning: Stratification violation: 3 strata expect less than one control \(LCG\) profile/);
    const lines = readFileSync(join(w.dir, 'groups.csv'), 'utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('id,group,stratum');
    expect(lines[1]).toMatch(/^0001,(control|test),tier = T0$/);
    expect(lines).toHaveLength(102); // header, 100 rows, the empty string after the last CRLF
    expect(lines.filter((l) => l.includes(',control,'))).toHaveLength(12);
    expect(leftovers()).toEqual([]);
  });

  it('gives the result as JSON, with ranges and "(no value)" strata', async () => {
    const run = await w.run('split', '--csv', 'audience.csv', '--out', 'g.csv', '--percent', '10', '--stratum', 'age:ranges:30,50', '--seed', 'x', '--json');
    expect(run.code, run.stderr).toBe(0);
    const result = parseJson<ResultOf<'split/csv'>>(run.stdout);
    expect(result).toMatchObject({ rows: 100, control: 10, test: 90, output: join(w.dir, 'g.csv') });
    expect(result.strata.map((s) => s.key)).toEqual(['<30', '30..50', '>=50', '']);
    expect(result.strata.map((s) => s.label)).toEqual(['age < 30', 'age 30 to under 50', 'age ≥ 50', 'age: (no value)']);
    expect(result.strata[3]!.size).toBe(20);
  });

  it("splits the guide's example by gender and two named birth-date intervals written 01.01.2000 style; ages on --today", async () => {
    const lines = ['id;gender;birthday'];
    for (let i = 1; i <= 200; i += 1) lines.push(`${i};${i % 2 === 0 ? 'female' : 'male'};${String((i % 28) + 1).padStart(2, '0')}.${String((i % 12) + 1).padStart(2, '0')}.${1985 + (i % 20)}`);
    writeFileSync(join(w.dir, 'people.csv'), `${lines.join('\n')}\n`);
    const run = await w.run(
      'split', '--csv', 'people.csv', '--out', 'people-groups.csv', '--percent', '10', '--seed', 'guide', '--date-order', 'dmy', '--json',
      '--stratum', 'gender', '--stratum', 'birthday:intervals:Young=01.01.2000..01.01.2005;Adult=01.01.1985..31.12.1999',
    );
    expect(run.code, run.stderr).toBe(0);
    const result = parseJson<ResultOf<'split/csv'>>(run.stdout);
    expect(result.strata.map((s) => s.label)).toEqual([
      'gender = female · birthday: Young',
      'gender = female · birthday: Adult',
      'gender = male · birthday: Young',
      'gender = male · birthday: Adult',
    ]);
    expect(result.strata.reduce((n, s) => n + s.size, 0)).toBe(200);
    const written = readFileSync(join(w.dir, 'people-groups.csv'), 'utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(written[1]).toMatch(/^1,(control|test),gender = male · birthday: Adult$/); // 02.02.1986

    const ages = await w.run('split', '--csv', 'people.csv', '--out', 'ages.csv', '--limit', '20', '--seed', 'a', '--date-order', 'dmy', '--today', '01.03.2026', '--stratum', 'birthday:age:20-29,30-39,40+', '--json');
    expect(ages.code, ages.stderr).toBe(0);
    expect(parseJson<ResultOf<'split/csv'>>(ages.stdout).strata.map((s) => s.key)).toEqual(['20-29', '30-39', '40+']);
    const badToday = await w.run('split', '--csv', 'people.csv', '--out', 'x.csv', '--limit', '20', '--seed', 'a', '--today', 'tomorrow', '--stratum', 'birthday:age:20-29');
    expect(badToday.code).toBe(2);
    expect(expectOneLineError(badToday)).toBe('--today must be a date such as 2026-04-10 or 10.04.2026, not "tomorrow"');
  });

  it('gives the same file for the same seed, and takes the ID column by --id-column', async () => {
    expect((await w.run('split', '--csv', 'audience.csv', '--out', 'a.csv', '--percent', '20', '--seed', 'same')).code).toBe(0);
    expect((await w.run('split', '--csv', 'audience.csv', '--out', 'b.csv', '--percent', '20', '--seed', 'same', '--id-column', 'customer_id')).code).toBe(0);
    expect(readFileSync(join(w.dir, 'a.csv')).equals(readFileSync(join(w.dir, 'b.csv')))).toBe(true);
    const byTier = await w.run('split', '--csv', 'audience.csv', '--out', 'c.csv', '--limit', '1', '--seed', 'same', '--id-column', '#2', '--json');
    expect(parseJson<JsonFailure>(byTier.stdout).error.code).toBe('REFUSED'); // tiers repeat: not IDs
    expect(expectOneLineError(byTier)).toMatch(/IDs appear more than once.*rows \d+ and \d+/);
  });

  it('is a usage error (exit 2) without --seed, --csv, --out, or a size; refuses to replace a file unless --force', async () => {
    for (const args of [
      ['--csv', 'audience.csv', '--out', 'x.csv', '--percent', '10'],
      ['--out', 'x.csv', '--percent', '10', '--seed', 's'],
      ['--csv', 'audience.csv', '--percent', '10', '--seed', 's'],
      ['--csv', 'audience.csv', '--out', 'x.csv', '--seed', 's'],
      ['--csv', 'audience.csv', '--out', 'x.csv', '--seed', 's', '--percent', '10.555'],
      ['--csv', 'audience.csv', '--out', 'x.csv', '--seed', 's', '--percent', '10', 'extra'],
    ]) {
      const run = await w.run('split', ...args);
      expect(run.code, args.join(' ')).toBe(2);
      expectOneLineError(run);
    }
    expect(expectOneLineError(await w.run('split', '--csv', 'audience.csv', '--out', 'x.csv', '--percent', '10'))).toMatch(/--seed S is required/);
    writeFileSync(join(w.dir, 'taken.csv'), 'keep');
    const refused = await w.run('split', '--csv', 'audience.csv', '--out', 'taken.csv', '--percent', '10', '--seed', 's');
    expect(refused.code).toBe(1);
    expect(expectOneLineError(refused)).toMatch(/already exists; add --force/);
    expect(readFileSync(join(w.dir, 'taken.csv'), 'utf8')).toBe('keep');
    expect((await w.run('split', '--csv', 'audience.csv', '--out', 'taken.csv', '--percent', '10', '--seed', 's', '--force')).code).toBe(0);
  });

  it('names the rows of empty IDs and a missing input', async () => {
    writeFileSync(join(w.dir, 'holes.csv'), 'id,x\n1,a\n\n2,b\n,c\n');
    const holes = await w.run('split', '--csv', 'holes.csv', '--out', 'h.csv', '--percent', '10', '--seed', 's');
    expect(holes.code).toBe(1);
    expect(expectOneLineError(holes)).toBe('A row has no ID in column "id": row 5.');
    const missing = await w.run('split', '--csv', 'nope.csv', '--out', 'h.csv', '--percent', '10', '--seed', 's', '--json');
    expect(missing.code).toBe(1);
    expect(parseJson<JsonFailure>(missing.stdout).error.code).toBe('NOT_FOUND');
    expect(leftovers()).toEqual([]);
  });
});
