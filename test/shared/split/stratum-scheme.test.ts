/**
 * The stratum scheme (shared/split/stratum-scheme.ts, stratum-rules.ts): the parts, keys and
 * labels of every kind of rule, the checks and their words, and the classification, which
 * the engine's SQL and the CSV split both follow.
 */
import { describe, expect, it } from 'vitest';
import { ageOn, nextDay, parseBoundDate } from '../../../shared/domain/dates';
import { checkRule, columnType, parseAgeIntervals, ruleClassifier } from '../../../shared/split/stratum-rules';
import { kindsFor, staticParts, stratumKey, stratumLabel, type StratumSpec, type StratumTarget } from '../../../shared/split/stratum-scheme';
import { SeededRandom } from '../../../main/engine/demo/random';

const birthday: StratumTarget = { name: 'birthday', type: 'date' };
const city: StratumTarget = { name: 'city', type: 'string' };
const age: StratumTarget = { name: 'age', type: 'number' };

const checked = (spec: StratumSpec, target: StratumTarget) => {
  const result = checkRule(spec, target);
  if (!result.ok) throw new Error(result.problem);
  return result.spec;
};
const problem = (spec: StratumSpec, target: StratumTarget) => {
  const result = checkRule(spec, target);
  return result.ok ? null : result.problem;
};

describe('keys and labels, one wording for every kind', () => {
  it('names the parts of each kind, "(no value)" first with the empty key, "Other" last where the kind has it', () => {
    const parts = (spec: StratumSpec, target: StratumTarget) => staticParts(checked(spec, target), target.name, target.type).map((p) => [p.key, p.label]);
    expect(parts({ kind: 'ranges', bounds: [18, 25] }, age)).toEqual([
      ['', 'age: (no value)'],
      ['<18', 'age < 18'],
      ['18..25', 'age 18 to under 25'],
      ['>=25', 'age ≥ 25'],
    ]);
    expect(parts({ kind: 'subset', values: ['Moscow', 'Kazan'] }, city)).toEqual([
      ['', 'city: (no value)'],
      ['Moscow', 'city = Moscow'],
      ['Kazan', 'city = Kazan'],
      ['Other', 'city: Other'],
    ]);
    expect(parts({ kind: 'groups', groups: [{ label: ' Capitals ', values: ['Moscow'] }] }, city)).toEqual([
      ['', 'city: (no value)'],
      ['Capitals', 'city: Capitals'],
      ['Other', 'city: Other'],
    ]);
    expect(parts({ kind: 'intervals', intervals: [{ label: 'Young', from: '01.01.2000', to: '01.01.2005' }] }, birthday)).toEqual([
      ['', 'birthday: (no value)'],
      ['Young', 'birthday: Young'],
      ['Other', 'birthday: Other'],
    ]);
    expect(parts({ kind: 'age', intervals: [{ from: 20, to: 25 }, { from: 65, to: null }] }, birthday)).toEqual([
      ['', 'birthday: (no value)'],
      ['20-25', 'birthday: age 20 to 25'],
      ['65+', 'birthday: age 65 and over'],
      ['Other', 'birthday: Other'],
    ]);
    expect(staticParts(checked({ kind: 'subset', values: ['yes'] }, { name: 'vip', type: 'boolean' }), 'vip', 'boolean').map((p) => [p.key, p.label])).toContainEqual(['true', 'vip = yes']);
    expect(stratumKey(['female'])).toBe('female');
    expect(stratumKey(['', '<18'])).toBe('["","<18"]');
    expect(stratumLabel(['gender = female', 'age < 18'])).toBe('gender = female · age < 18');
  });

  it('offers the kinds that fit each field type', () => {
    expect(kindsFor('string')).toEqual(['values', 'subset', 'groups']);
    expect(kindsFor('number')[0]).toBe('ranges');
    expect(kindsFor('date')).toContain('age');
    expect(kindsFor('number')).not.toContain('age');
    expect(problem({ kind: 'ranges', bounds: [1] }, city)).toBe('"city" is a string field: ranges are for numbers and dates; stratify it by values or groups.');
    expect(problem({ kind: 'age', intervals: [{ from: 1, to: 2 }] }, age)).toMatch(/ages are counted from dates/);
  });
});

describe('checking a rule', () => {
  it('reads dates in bounds as the import does, and keeps ISO text as it is (existing keys stay)', () => {
    expect(checked({ kind: 'ranges', bounds: ['01.01.2000', '2024-01-31T10:00'] }, { name: 'd', type: 'datetime' })).toEqual({ kind: 'ranges', bounds: ['2000-01-01', '2024-01-31T10:00'] });
    expect(checked({ kind: 'ranges', bounds: ['18', 25.5] }, age)).toEqual({ kind: 'ranges', bounds: [18, 25.5] });
    expect(parseBoundDate('31.12.1999')).toEqual({ ok: true, date: '1999-12-31', hasTime: false });
    expect(parseBoundDate('03.04.2024')).toMatchObject({ date: '2024-04-03' }); // dots: day first
    expect(parseBoundDate('12/31/2024')).toMatchObject({ date: '2024-12-31' }); // only one reading
    expect(parseBoundDate('03/04/2024')).toEqual({ ok: false, problem: '"03/04/2024" can be read as 3 April 2024 or 4 March 2024: write it as 2024-04-03 or 2024-03-04.' });
    expect(problem({ kind: 'ranges', bounds: ['2024-13-01'] }, birthday)).toBe('A bound of "birthday": "2024-13-01" is not a date: write it as 2024-12-31 or 31.12.2024.');
    expect(problem({ kind: 'ranges', bounds: [30, 18] }, age)).toBe('The range bounds of "age" must go up: 30 is followed by 18.');
    expect(problem({ kind: 'ranges', bounds: ['x'] }, age)).toBe('The bounds of "age" are numbers, such as 18, 25, 35: "x" is not one.');
  });

  it('refuses a group or interval named "Other", twice-used values and names, overlapping intervals', () => {
    expect(problem({ kind: 'groups', groups: [{ label: 'other', values: ['a'] }] }, city)).toBe('Values in no group of "city" form "Other" by themselves; give the group another name.');
    expect(problem({ kind: 'groups', groups: [{ label: 'A', values: ['x'] }, { label: 'B', values: ['x'] }] }, city)).toBe('The value "x" of "city" is in two groups ("A" and "B").');
    expect(problem({ kind: 'subset', values: ['Other'] }, city)).toMatch(/cannot have a chosen value named "Other"/);
    expect(problem({ kind: 'subset', values: ['Kazan', 'Kazan'] }, city)).toBe('"Kazan" is chosen twice for "city".');
    expect(problem({ kind: 'intervals', intervals: [{ label: 'Other', from: 1, to: 2 }] }, age)).toMatch(/form "Other" by themselves/);
    expect(
      problem(
        { kind: 'intervals', intervals: [{ label: 'A', from: '01.01.2000', to: '01.01.2005' }, { label: 'B', from: '01.01.2005', to: '31.12.2009' }] },
        birthday,
      ),
    ).toBe('The intervals "A" and "B" of "birthday" overlap; a value can be in one only.');
    expect(problem({ kind: 'intervals', intervals: [{ label: 'A', from: 25, to: 20 }] }, age)).toBe('The interval "A" of "age" ends (20) before it starts (25).');
    expect(problem({ kind: 'age', intervals: [{ from: 20, to: 25 }, { from: 25, to: 30 }] }, birthday)).toBe(
      'The age intervals 20 to 25 and 25 to 30 of "birthday" overlap; a profile can be in one only.',
    );
    expect(problem({ kind: 'age', intervals: [{ from: 60, to: null }, { from: 70, to: 80 }] }, birthday)).toMatch(/60\+ and 70 to 80 .* overlap/);
    expect(parseAgeIntervals('20-25, 26–35, 65+')).toEqual({ ok: true, intervals: [{ from: 20, to: 25 }, { from: 26, to: 35 }, { from: 65, to: null }] });
    expect(parseAgeIntervals('20 to 25')).toMatchObject({ ok: false, problem: expect.stringMatching(/FROM-TO in whole years/) });
  });

  it('types a file column by its rule: text, numbers or dates as the bounds are', () => {
    expect(columnType({ kind: 'values' }, 'c')).toEqual({ ok: true, type: 'string' });
    expect(columnType({ kind: 'ranges', bounds: [1, '2'] }, 'c')).toEqual({ ok: true, type: 'number' });
    expect(columnType({ kind: 'intervals', intervals: [{ label: 'a', from: '01.01.2000', to: '2001-01-01' }] }, 'c')).toEqual({ ok: true, type: 'datetime' });
    expect(columnType({ kind: 'ranges', bounds: [1, '2024-01-01'] }, 'c')).toEqual({ ok: false, problem: 'The bounds of "c" mix numbers and dates; use one kind.' });
  });
});

describe('classifying', () => {
  it("the guide's example: two named birth-date intervals with whole days, a gap, and Other", () => {
    const spec = checked(
      { kind: 'intervals', intervals: [{ label: 'Young', from: '01.01.2000', to: '01.01.2005' }, { label: 'Adult', from: '01.01.1985', to: '31.12.1999' }] },
      birthday,
    );
    const c = ruleClassifier(spec, birthday, null)!;
    const name = (v: string | null) => c.parts[c.classify(v)]!.key;
    expect(['2000-01-01', '2003-06-15', '2005-01-01', '1985-01-01', '1999-12-31', '2005-01-02', '1984-12-31', null, ''].map(name)).toEqual([
      'Young',
      'Young',
      'Young',
      'Adult',
      'Adult',
      'Other',
      'Other',
      '',
      '',
    ]);
    // A date-time field: the last day is included up to its end.
    const dt = { name: 'seen', type: 'datetime' as const };
    const c2 = ruleClassifier(checked({ kind: 'intervals', intervals: [{ label: 'Y', from: '2000-01-01', to: '2000-12-31' }] }, dt), dt, null)!;
    expect(['2000-12-31T23:59:59', '2001-01-01T00:00:00', '1999-12-31T23:59:59'].map((v) => c2.parts[c2.classify(v)]!.key)).toEqual(['Y', 'Other', 'Other']);
  });

  it('numbers: closed intervals with gaps, and cut points', () => {
    const c = ruleClassifier(checked({ kind: 'intervals', intervals: [{ label: 'A', from: 20, to: 25 }, { label: 'B', from: 26, to: 35 }] }, age), age, null)!;
    expect([20, 25, 25.5, 26, 35, 36, 19].map((v) => c.parts[c.classify(v)]!.key)).toEqual(['A', 'A', 'Other', 'B', 'B', 'Other', 'Other']);
    const r = ruleClassifier(checked({ kind: 'ranges', bounds: [18, 25] }, age), age, null)!;
    expect([17.9, 18, 24.99, 25, 100].map((v) => r.parts[r.classify(v)]!.key)).toEqual(['<18', '18..25', '18..25', '>=25', '>=25']);
  });

  it('ages in full years on the given day, the same as counting birthdays, 29 February included', () => {
    const spec = checked({ kind: 'age', intervals: [{ from: 0, to: 19 }, { from: 20, to: 25 }, { from: 26, to: 35 }, { from: 60, to: null }] }, birthday);
    const random = new SeededRandom('ages');
    const iso = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    const days = ['2024-02-29', '2025-02-28', '2025-03-01', '2023-12-31', '2026-01-01'];
    for (const today of days) {
      const c = ruleClassifier(spec, birthday, today)!;
      const expected = (birth: string) => {
        const years = ageOn(birth, today);
        if (years >= 0 && years <= 19) return '0-19';
        if (years >= 20 && years <= 25) return '20-25';
        if (years >= 26 && years <= 35) return '26-35';
        if (years >= 60) return '60+';
        return 'Other';
      };
      const births = ['2000-02-29', '2004-02-29', '1964-02-29', '2005-03-01', '2005-02-28', '1990-01-01'];
      for (let i = 0; i < 400; i += 1) births.push(iso(random.int(1930, 2026), random.int(1, 12), random.int(1, 28)));
      for (const birth of births) expect(c.parts[c.classify(birth)]!.key, `${birth} on ${today}`).toBe(expected(birth));
    }
    expect(ageOn('2004-02-29', '2025-02-28')).toBe(20);
    expect(ageOn('2004-02-29', '2025-03-01')).toBe(21);
    expect(nextDay('2024-02-28')).toBe('2024-02-29');
    expect(nextDay('2023-12-31')).toBe('2024-01-01');
  });
});
