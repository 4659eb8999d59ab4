/** `split/csv` on the real engine and real files: STATS.md vectors, the output file, every refusal. */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ArgsOf, ResultOf } from '../../../../shared/contract/index';
import { compareText } from '../../../../shared/split/quotas';
import { expectEngineError, startTestEngine, type TestEngine } from '../../../helpers/engine';
import { cp1251 } from '../import/helpers';

let t: TestEngine;
let n = 0;

beforeEach(async () => {
  t = await startTestEngine();
});

const file = (name: string, content: string | Uint8Array) => {
  const path = join(t.dir, name);
  writeFileSync(path, content);
  return path;
};
const out = () => join(t.dir, `out-${++n}.csv`);

/** The output's rows as [id, group, stratum?], without the BOM, split at CRLF. */
function rows(path: string): string[][] {
  const text = readFileSync(path, 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  return text
    .slice(1, -2)
    .split('\r\n')
    .map((line) => line.split(','));
}

const split = (args: ArgsOf<'split/csv'>): Promise<ResultOf<'split/csv'>> => t.call('split/csv', args);

/** The rule of STATS.md 1.3, written out naively: sort each stratum by md5 hex, then by ID. */
function reference(ids: readonly string[], strata: readonly string[], quotas: ReadonlyMap<string, number>, seed: string): Set<string> {
  const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
  const control = new Set<string>();
  for (const [stratum, quota] of quotas) {
    const members = ids.filter((_, i) => strata[i] === stratum).map((id) => ({ id, h: md5(`${seed}:${id}`) }));
    members.sort((a, b) => compareText(a.h, b.h) || compareText(a.id, b.id));
    for (const m of members.slice(0, quota)) control.add(m.id);
  }
  return control;
}

describe('split/csv: STATS.md vectors', () => {
  it('splits strata of 6, 6 and 8 with M = 5 and seed "s1" as 1, 2, 2, each by md5 order', async () => {
    const ids: string[] = [];
    const strata: string[] = [];
    ['A', 'B', 'C'].forEach((s, k) => {
      for (let i = 0; i < [6, 6, 8][k]!; i += 1) {
        ids.push(`${s}${i}`);
        strata.push(s);
      }
    });
    const input = file('abc.csv', `id,s\n${ids.map((id, i) => `${id},${strata[i]}`).join('\n')}\n`);
    const output = out();
    const result = await split({ input, output, limit: 5, seed: 's1', strata: [{ kind: 'values', column: 's' }] });
    expect(result).toMatchObject({ rows: 20, control: 5, test: 15, warning: null });
    expect(result.strata.map((s) => [s.key, s.label, s.size, s.quota, s.control])).toEqual([
      ['A', 's = A', 6, 1.5, 1],
      ['B', 's = B', 6, 1.5, 2],
      ['C', 's = C', 8, 2, 2],
    ]);
    expect(result.strata[1]).toMatchObject({ share: 2 / 6, deviation: 0.5 });
    const written = rows(output);
    expect(written[0]).toEqual(['id', 'group', 'stratum']);
    expect(written.slice(1).map((r) => r[0])).toEqual(ids); // input order
    expect(written.slice(1).map((r) => r[2])).toEqual(strata.map((s) => `s = ${s}`));
    const expected = reference(ids, strata, new Map([['A', 1], ['B', 2], ['C', 2]]), 's1');
    expect(new Set(written.slice(1).filter((r) => r[1] === 'control').map((r) => r[0]))).toEqual(expected);
    expect(written.slice(1).every((r) => r[1] === 'control' || r[1] === 'test')).toBe(true);
  });

  it("reproduces the guide's example: 100 profiles in strata of 6, 7, 7, 28, 26, 26 at 15 % with a limit of 12 -> 1, 1, 1, 3, 3, 3 and a warning", async () => {
    const sizes = [6, 7, 7, 28, 26, 26];
    const lines = ['customer_id;tier'];
    let k = 0;
    sizes.forEach((size, s) => {
      for (let i = 0; i < size; i += 1) lines.push(`${String(++k).padStart(5, '0')};T${s}`);
    });
    const input = file('guide.csv', `${lines.join('\r\n')}\r\n`);
    const result = await split({ input, output: out(), percent: 15, limit: 12, seed: 'guide', strata: [{ kind: 'values', column: 'TIER' }] });
    expect(result.control).toBe(12);
    expect(result.strata.map((s) => s.control)).toEqual([1, 1, 1, 3, 3, 3]);
    expect(result.strata[0]!.quota).toBeCloseTo(0.72);
    expect(result.warning?.strata.map((s) => [s.label, s.size])).toEqual([
      ['tier = T0', 6],
      ['tier = T1', 7],
      ['tier = T2', 7],
    ]);
    expect(result.warning?.suggestedLimit).toBe(17);
    expect(result.warning?.message).toMatch(/^Stratification violation: 3 strata expect less than one control \(LCG\) profile/);
  });

  it('without strata: the control total in basis points, round half up, the lowest hashes; no stratum column', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `u${i}`);
    const input = file('plain.csv', `user_id\n${ids.join('\n')}\n`);
    const output = out();
    const result = await split({ input, output, percent: '7.25', seed: 'p' });
    expect(result).toMatchObject({ rows: 1000, control: 73, test: 927, strata: [], warning: null }); // 72.5 rounds up
    const written = rows(output);
    expect(written[0]).toEqual(['id', 'group']);
    const control = new Set(written.slice(1).filter((r) => r[1] === 'control').map((r) => r[0]));
    expect(control).toEqual(reference(ids, ids.map(() => ''), new Map([['', 73]]), 'p'));
  });

  it('is reproducible, and another seed gives another split of the same size', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => String(i));
    const input = file('seeds.csv', `id\n${ids.join('\n')}\n`);
    const [a, b, c] = [out(), out(), out()];
    await split({ input, output: a, percent: 10, seed: 'one' });
    await split({ input, output: b, percent: 10, seed: 'one' });
    await split({ input, output: c, percent: 10, seed: 'two' });
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    expect(readFileSync(a).equals(readFileSync(c))).toBe(false);
  });

  it('hashes a large file through the worker pool with the same result as the rule written out', async () => {
    const ids = Array.from({ length: 45_000 }, (_, i) => (i % 5 === 0 ? `Клиент-${i}` : String(i * 7919).padStart(9, '0')));
    const strata = ids.map((_, i) => `g${i % 7}`);
    const input = file('big.csv', `id,g\n${ids.map((id, i) => `${id},${strata[i]}`).join('\n')}\n`);
    const output = out();
    const result = await split({ input, output, percent: '12.5', seed: 'pool', strata: [{ kind: 'values', column: 'g' }] });
    const quotas = new Map(result.strata.map((s) => [s.key, s.control]));
    const written = rows(output).slice(1);
    const control = new Set(written.filter((r) => r[1] === 'control').map((r) => r[0]));
    expect(control).toEqual(reference(ids, strata, quotas, 'pool'));
    expect(result.control).toBe(5625);
  });
});

describe('split/csv: strata', () => {
  it('cuts numbers and ISO dates into ranges, with "(no value)" for empty cells; keys as a campaign makes them', async () => {
    const input = file(
      'ranges.csv',
      'id,age,joined\n1,17,2023-05-01\n2,18,2024-01-01\n3,30,\n4,,2025-02-03\n5,64.5,2024-06-30T10:00:00\n6,65,2022-01-01\n7,44,2024-12-31\n',
    );
    const age = await split({ input, output: out(), percent: 50, seed: 'r', strata: [{ kind: 'ranges', column: 'age', bounds: [18, '35', 65] }] });
    expect(age.strata.map((s) => [s.key, s.label, s.size])).toEqual([
      ['<18', 'age < 18', 1],
      ['18..35', 'age 18 to under 35', 2],
      ['35..65', 'age 35 to under 65', 2],
      ['>=65', 'age ≥ 65', 1],
      ['', 'age: (no value)', 1],
    ]);
    const both = await split({
      input,
      output: out(),
      percent: 50,
      seed: 'r',
      strata: [
        { kind: 'ranges', column: 'joined', bounds: ['2024-01-01'] },
        { kind: 'ranges', column: 'age', bounds: [40] },
      ],
    });
    // Keys in column order (age before joined), labels in the order given.
    expect(both.strata.map((s) => [s.key, s.label])).toContainEqual(['[">=40","<2024-01-01"]', 'joined < 2024-01-01 · age ≥ 40']);
    expect(both.strata.map((s) => s.key)).toContain('["",">=2024-01-01"]');
    expect(both.strata.reduce((sum, s) => sum + s.size, 0)).toBe(7);
  });

  it('takes values as text, trimmed, with empty cells as "(no value)" last; a column by #position', async () => {
    const input = file('values.csv', 'id;city\n1; Москва\n2;Казань\n3;\n4;Москва\n5;  \n');
    const output = out();
    const result = await split({ input, output, limit: 2, seed: 'v', strata: [{ kind: 'values', column: '#2' }] });
    expect(result.strata.map((s) => [s.key, s.label, s.size])).toEqual([
      ['Казань', 'city = Казань', 1],
      ['Москва', 'city = Москва', 2],
      ['', 'city: (no value)', 2],
    ]);
    expect(rows(output).slice(1).map((r) => r[2])).toEqual(['city = Москва', 'city = Казань', 'city: (no value)', 'city = Москва', 'city: (no value)']);
  });
});

describe('split/csv: the kinds of the stratum scheme', () => {
  it("splits the guide's example: gender x two named birth-date intervals written 01.01.2000 style, four strata", async () => {
    const lines = ['id,gender,birthday'];
    for (let i = 0; i < 400; i += 1) {
      const year = 1985 + (i % 20);
      lines.push(`${i},${i % 3 === 0 ? 'female' : 'male'},${String((i % 28) + 1).padStart(2, '0')}.${String((i % 12) + 1).padStart(2, '0')}.${year}`);
    }
    const input = file('guide-dates.csv', `${lines.join('\n')}\n`);
    const result = await split({
      input,
      output: out(),
      percent: 10,
      seed: 'guide',
      options: { dateOrder: 'dmy' },
      strata: [
        { kind: 'values', column: 'gender' },
        { kind: 'intervals', column: 'birthday', intervals: [{ label: 'Young', from: '01.01.2000', to: '01.01.2005' }, { label: 'Adult', from: '01.01.1985', to: '31.12.1999' }] },
      ],
    });
    expect(result.strata.map((s) => [s.key, s.label])).toEqual([
      ['["female","Young"]', 'gender = female · birthday: Young'],
      ['["female","Adult"]', 'gender = female · birthday: Adult'],
      ['["male","Young"]', 'gender = male · birthday: Young'],
      ['["male","Adult"]', 'gender = male · birthday: Adult'],
    ]);
    const young = (i: number) => 1985 + (i % 20) >= 2000;
    const count = (g: string, y: boolean) => Array.from({ length: 400 }, (_, i) => i).filter((i) => (i % 3 === 0 ? 'female' : 'male') === g && young(i) === y).length;
    expect(result.strata.map((s) => s.size)).toEqual([count('female', true), count('female', false), count('male', true), count('male', false)]);
  });

  it('chosen values with "Other", and ages on --today; a date that cannot be read names its row', async () => {
    const input = file('ages.csv', 'id,city,born\n1,Kazan,2000-03-01\n2,Omsk,2000-03-02\n3,,1960-01-01\n4,Moscow,\n5,Tver,2010-01-01\n');
    const result = await split({
      input,
      output: out(),
      limit: 2,
      seed: 'a',
      today: '2026-03-01',
      strata: [
        { kind: 'subset', column: 'city', values: ['Moscow', 'Kazan'] },
        { kind: 'age', column: 'born', intervals: [{ from: 20, to: 25 }, { from: 26, to: null }] },
      ],
    });
    // 2000-03-01 is 26 on 2026-03-01; 2000-03-02 is still 25.
    expect(result.strata.map((s) => [s.key, s.size])).toEqual([
      ['["Moscow",""]', 1],
      ['["Kazan","26+"]', 1],
      ['["Other","20-25"]', 1],
      ['["Other","Other"]', 1],
      ['["","26+"]', 1],
    ]);
    const bad = file('bad-born.csv', 'id,born\n1,2000-01-01\n2,soon\n');
    const error = await expectEngineError(split({ input: bad, output: out(), limit: 1, seed: 'a', strata: [{ kind: 'age', column: 'born', intervals: [{ from: 20, to: 25 }] }] }), 'REFUSED');
    expect(error.message).toBe('Row 3, column "born": "soon" is not a date, so its age cannot be counted.');
    const overlap = await expectEngineError(
      split({ input: bad, output: out(), limit: 1, seed: 'a', strata: [{ kind: 'intervals', column: 'born', intervals: [{ label: 'A', from: '2000-01-01', to: '2001-01-01' }, { label: 'B', from: '2000-06-01', to: '2002-01-01' }] }] }),
      'INVALID_ARGUMENT',
    );
    expect(overlap.message).toBe('The intervals "A" and "B" of "born" overlap; a value can be in one only.');
  });

  it('compares whole digests: of two IDs whose md5 share the first 32 bits, the lower digest is control', async () => {
    // md5("w32:c63580") = cbabb844 5299..., md5("w32:c262322") = cbabb844 5a88...
    const output = out();
    await split({ input: file('w32.csv', 'id\nc262322\nc63580\n'), output, limit: 1, seed: 'w32' });
    expect(rows(output).slice(1)).toEqual([
      ['c262322', 'test'],
      ['c63580', 'control'],
    ]);
  });
});

describe('split/csv: reading the input', () => {
  it('detects Windows-1251 and semicolons; finds the ID column by its name or as given', async () => {
    const input = file('ru.csv', cp1251('Имя;client_id\nИван;007\nПётр;008\n'.replace('ё', 'е')));
    const result = await split({ input, output: out(), limit: 1, seed: 'x' });
    expect(result.rows).toBe(2);
    const byName = out();
    await split({ input, output: byName, limit: 1, seed: 'x', idColumn: 'имя' });
    expect(rows(byName).slice(1).map((r) => r[0])).toEqual(['Иван', 'Петр']);
    const byIndex = out();
    await split({ input, output: byIndex, limit: 1, seed: 'x', idColumn: 1 });
    expect(rows(byIndex).slice(1).map((r) => r[0])).toEqual(['007', '008']);
  });

  it('reads a file of IDs without a header, and IDs as the import stores them (trimmed, one formula apostrophe less)', async () => {
    const input = file('bare.csv', "100\n 200 \n'=300\n");
    const output = out();
    const result = await split({ input, output, limit: 0, seed: 'b' });
    expect(result).toMatchObject({ rows: 3, control: 0 });
    // The output neutralises formulas again, as the export does.
    expect(rows(output).slice(1).map((r) => r[0])).toEqual(['100', '200', "'=300"]);
  });

  it('refuses repeated IDs, naming the rows', async () => {
    const input = file('dup.csv', 'id\n1\n2\n1\n3\n2\n');
    const error = await expectEngineError(split({ input, output: out(), percent: 10, seed: 'd' }), 'REFUSED');
    expect(error.message).toBe('2 IDs appear more than once, so the split would not be well defined: "1" in rows 2 and 4; "2" in rows 3 and 6.');
  });

  it('refuses empty IDs with their rows, and values that fit no range with row and column', async () => {
    const empty = file('empty-ids.csv', 'id,x\n1,a\n,b\n3,c\n  ,d\n');
    const error = await expectEngineError(split({ input: empty, output: out(), percent: 10, seed: 'e' }), 'REFUSED');
    expect(error.message).toBe('2 rows have no ID in column "id": rows 3, 5.');
    const bad = file('bad-age.csv', 'id,age\n1,20\n2,twenty\n');
    const range = await expectEngineError(
      split({ input: bad, output: out(), percent: 10, seed: 'e', strata: [{ kind: 'ranges', column: 'age', bounds: [18] }] }),
      'REFUSED',
    );
    expect(range.message).toBe('Row 3, column "age": "twenty" is not a number, so it fits none of the ranges.');
  });

  it('says which column is missing, and when no column looks like an ID', async () => {
    const input = file('cols.csv', 'email,city\na@x,M\n');
    expect((await expectEngineError(split({ input, output: out(), percent: 10, seed: 'c' }), 'INVALID_ARGUMENT')).message).toMatch(
      /No column is named like an ID .*"email", "city"/,
    );
    expect((await expectEngineError(split({ input, output: out(), percent: 10, seed: 'c', idColumn: 'email', strata: [{ kind: 'values', column: 'region' }] }), 'NOT_FOUND')).message).toBe(
      'The file has no column "region" for the stratification column; its columns are "email", "city".',
    );
    await expectEngineError(split({ input, output: out(), percent: 10, seed: 'c', idColumn: 'email', strata: [{ kind: 'values', column: 'email' }] }), 'INVALID_ARGUMENT');
    await expectEngineError(split({ input, output: out(), percent: 10, seed: 'c', idColumn: 7 }), 'INVALID_ARGUMENT');
  });

  it('refuses an empty file, a binary file and bad range bounds', async () => {
    expect((await expectEngineError(split({ input: file('nothing.csv', ''), output: out(), percent: 10, seed: 'z' }), 'REFUSED')).message).toMatch(/nothing to split/);
    await expectEngineError(split({ input: file('header-only.csv', 'id\n'), output: out(), percent: 10, seed: 'z' }), 'REFUSED');
    await expectEngineError(split({ input: file('zip.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2])), output: out(), percent: 10, seed: 'z' }), 'REFUSED');
    const input = file('ok.csv', 'id,d\n1,2024-01-01\n');
    await expectEngineError(split({ input, output: out(), percent: 10, seed: 'z', strata: [{ kind: 'ranges', column: 'd', bounds: ['2024-02-01', '2024-01-01'] }] }), 'INVALID_ARGUMENT');
    await expectEngineError(split({ input, output: out(), percent: 10, seed: 'z', strata: [{ kind: 'ranges', column: 'd', bounds: [1, '2024-01-01'] }] }), 'INVALID_ARGUMENT');
    await expectEngineError(split({ input, output: out(), seed: 'z' }), 'INVALID_ARGUMENT'); // neither percent nor limit
  });
});

describe('split/csv: the output file', () => {
  it('replaces a file only when asked, never writes over the input, and leaves no temporary file', async () => {
    const input = file('in.csv', 'id\n1\n2\n');
    const output = file('taken.csv', 'keep me');
    await expectEngineError(split({ input, output, percent: 50, seed: 'o' }), 'ALREADY_EXISTS');
    expect(readFileSync(output, 'utf8')).toBe('keep me');
    await split({ input, output, percent: 50, seed: 'o', overwrite: true });
    expect(rows(output)).toHaveLength(3);
    await expectEngineError(split({ input, output: input, percent: 50, seed: 'o', overwrite: true }), 'INVALID_ARGUMENT');
    expect(readdirSync(t.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes nothing when the input is refused', async () => {
    const output = out();
    await expectEngineError(split({ input: file('dups.csv', 'id\n1\n1\n'), output, percent: 10, seed: 'w' }), 'REFUSED');
    expect(existsSync(output)).toBe(false);
  });

  it('quotes IDs with commas and quotes, and neutralises formulas', async () => {
    const input = file('odd.csv', 'id\n"a,b"\n"say ""hi"""\n=1+1\n-5\n');
    const output = out();
    await split({ input, output, limit: 0, seed: 'q' });
    const text = readFileSync(output, 'utf8');
    expect(text).toBe('\uFEFFid,group\r\n"a,b",test\r\n"say ""hi""",test\r\n\'=1+1,test\r\n\'-5,test\r\n');
  });
});
