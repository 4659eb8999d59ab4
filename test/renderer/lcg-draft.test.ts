import { describe, expect, it } from 'vitest';
import type { Field } from '../../shared/contract/index';
import {
  draftFromLcg,
  EMPTY_DRAFT,
  hasProblems,
  lcgFromDraft,
  newStratum,
  previewControlTotal,
  problemSummary,
  sameLcg,
  stratumLabels,
  type LcgDraft,
} from '../../renderer/store/campaigns/lcg-draft';
import { applySuggestion, offersPercent } from '../../renderer/components/campaign/stratification-warning';
import { kindsFor } from '../../shared/split/stratum-scheme';

const field = (id: number, name: string, type: Field['type'], enumValues: string[] = []): Field => ({ id, databaseId: 1, name, type, enumValues, position: id });
const gender = field(1, 'gender', 'enum', ['female', 'male', 'other']);
const city = field(2, 'city', 'string');
const age = field(3, 'age', 'number');
const signup = field(4, 'signup', 'date');
const vip = field(5, 'vip', 'boolean');
const birthday = field(6, 'birthday', 'date');
const FIELDS = [gender, city, age, signup, vip, birthday];

describe('the LCG editor draft', () => {
  it('no LCG at all is valid; a percent, a limit or both; live size rounds half up', () => {
    expect(lcgFromDraft(EMPTY_DRAFT, FIELDS).lcg).toEqual({ percent: null, limit: null, strata: [] });
    const both = lcgFromDraft({ percentText: '7,25', limitText: '1,000', strata: [] }, FIELDS);
    expect(both.lcg).toEqual({ percent: '7.25', limit: 1000, strata: [] });
    expect(previewControlTotal(both.lcg, 100_000)).toBe(1000);
    expect(previewControlTotal({ percent: '10', limit: null, strata: [] }, 25)).toBe(3);
    expect(previewControlTotal({ percent: '0.29', limit: null, strata: [] }, 10_000)).toBe(29);
    const bad = lcgFromDraft({ percentText: '7.255', limitText: '12.5', strata: [] }, FIELDS);
    expect(bad.lcg).toBeNull();
    expect(bad.problems).toMatchObject({
      percent: 'A percentage has at most two decimals, such as 7.25 (not 7.255).',
      limit: 'An audience limit is a whole number of profiles, such as 5000, not "12.5".',
    });
    expect(hasProblems(bad.problems)).toBe(true);
  });

  it('says which setting is wrong and why, never just "Check the settings."', () => {
    const summary = (draft: LcgDraft) => {
      const { problems } = lcgFromDraft(draft, FIELDS);
      return problemSummary(problems, draft, FIELDS);
    };
    expect(summary({ percentText: '-1', limitText: '', strata: [] })).toBe('LCG share: A percentage cannot be negative (-1); use a number from 0 to 100.');
    expect(summary({ percentText: '150', limitText: '', strata: [] })).toBe('LCG share: A percentage cannot be over 100 (150).');
    expect(summary({ percentText: '', limitText: '-5', strata: [] })).toBe('Audience limit: An audience limit cannot be negative (-5).');
    expect(summary({ percentText: '10', limitText: '', strata: [{ ...newStratum(age), boundsText: '35, 18' }] })).toBe(
      'Stratification by age: The range bounds of "age" must go up: 35 is followed by 18.',
    );
    expect(summary({ percentText: '', limitText: '', strata: [newStratum(gender)] })).toBe('Stratification needs an LCG: give a percentage, a limit, or both.');
    expect(summary({ percentText: '10', limitText: '', strata: [] })).toBeNull();
  });

  it('stratification: every kind of the scheme, checked by the scheme as typed', () => {
    expect(kindsFor(gender.type)).toEqual(['values', 'subset', 'groups']);
    expect(kindsFor(age.type)).toEqual(['ranges', 'intervals', 'values', 'subset', 'groups']);
    expect(kindsFor(birthday.type)).toContain('age');
    expect(newStratum(age).kind).toBe('ranges');

    const draft: LcgDraft = {
      percentText: '10',
      limitText: '',
      strata: [
        { ...newStratum(gender) },
        { ...newStratum(city), kind: 'groups', groups: [{ label: 'Capitals', valuesText: 'Moscow\nSaint Petersburg' }, { label: 'Volga', valuesText: 'Kazan' }] },
        { ...newStratum(age), boundsText: '18, 35, 50' },
        { ...newStratum(signup), boundsText: '2024-01-01 01.01.2025' },
        {
          ...newStratum(birthday),
          kind: 'intervals',
          intervals: [
            { label: 'Young', fromText: '01.01.2000', toText: '01.01.2005' },
            { label: 'Adult', fromText: '01.01.1985', toText: '31.12.1999' },
          ],
        },
      ],
    };
    const { lcg, problems } = lcgFromDraft(draft, FIELDS);
    expect(hasProblems(problems)).toBe(false);
    expect(lcg?.strata).toEqual([
      { kind: 'values', fieldId: 1 },
      { kind: 'groups', fieldId: 2, groups: [{ label: 'Capitals', values: ['Moscow', 'Saint Petersburg'] }, { label: 'Volga', values: ['Kazan'] }] },
      { kind: 'ranges', fieldId: 3, bounds: [18, 35, 50] },
      { kind: 'ranges', fieldId: 4, bounds: ['2024-01-01', '2025-01-01'] },
      {
        kind: 'intervals',
        fieldId: 6,
        intervals: [
          { label: 'Young', from: '2000-01-01', to: '2005-01-01' },
          { label: 'Adult', from: '1985-01-01', to: '1999-12-31' },
        ],
      },
    ]);
    // Back to a draft and again: the same settings.
    expect(lcg && sameLcg(lcgFromDraft(draftFromLcg(lcg), FIELDS).lcg ?? lcg, lcg)).toBe(true);
    expect(sameLcg({ percent: '10', limit: null, strata: [] }, { percent: 10, limit: null, strata: [] })).toBe(true);

    const more: LcgDraft = {
      percentText: '5',
      limitText: '',
      strata: [
        { ...newStratum(city), kind: 'subset', chosenText: 'Moscow\nKazan' },
        { ...newStratum(birthday), kind: 'age', agesText: '20-25, 26-35, 65+' },
      ],
    };
    const second = lcgFromDraft(more, FIELDS);
    expect(second.lcg?.strata).toEqual([
      { kind: 'subset', fieldId: 2, values: ['Moscow', 'Kazan'] },
      { kind: 'age', fieldId: 6, intervals: [{ from: 20, to: 25 }, { from: 26, to: 35 }, { from: 65, to: null }] },
    ]);
    expect(second.lcg && sameLcg(lcgFromDraft(draftFromLcg(second.lcg), FIELDS).lcg ?? second.lcg, second.lcg)).toBe(true);

    const broken = lcgFromDraft(
      {
        percentText: '',
        limitText: '',
        strata: [
          { ...newStratum(age), boundsText: '35, 18' },
          { ...newStratum(city), kind: 'groups', groups: [{ label: 'A', valuesText: 'x' }, { label: 'B', valuesText: 'x' }] },
          { ...newStratum(signup), boundsText: '2024-13' },
          { ...newStratum(gender), kind: 'groups', groups: [{ label: 'Other', valuesText: 'other' }] },
        ],
      },
      FIELDS,
    );
    expect(broken.lcg).toBeNull();
    expect(broken.problems.general).toBe('Stratification needs an LCG: give a percentage, a limit, or both.');
    expect(broken.problems.strata).toEqual({
      0: 'The range bounds of "age" must go up: 35 is followed by 18.',
      1: 'The value "x" of "city" is in two groups ("A" and "B").',
      2: 'A bound of "signup": "2024-13" is not a date: write it as 2024-12-31 or 31.12.2024.',
      // The engine refuses a group named "Other"; so does the editor, with the engine's words.
      3: 'Values in no group of "gender" form "Other" by themselves; give the group another name.',
    });
  });

  it("shows the strata with the engine's labels", () => {
    expect(stratumLabels({ ...newStratum(age), boundsText: '18, 35' }, age)).toEqual(['age < 18', 'age 18 to under 35', 'age ≥ 35']);
    expect(stratumLabels({ ...newStratum(city), kind: 'subset', chosenText: 'Kazan' }, city)).toEqual(['city = Kazan', 'city: Other']);
    expect(stratumLabels({ ...newStratum(birthday), kind: 'age', agesText: '20-25, 65+' }, birthday)).toEqual([
      'birthday: age 20 to 25',
      'birthday: age 65 and over',
      'birthday: Other',
    ]);
    expect(stratumLabels({ ...newStratum(age), boundsText: '35, 18' }, age)).toEqual([]);
  });

  it('a suggestion to fix a stratification violation raises the limit, and the percentage when it caps the total', () => {
    const warning = { strata: [{ key: 'k', label: 'gender = other', size: 6, expected: 0.72 }], suggestedLimit: 17, suggestedPercent: 16.5, message: '' };
    expect(applySuggestion({ percent: '20', limit: 12, strata: [] }, warning, 100, 'limit')).toEqual({ percent: '20', limit: 17, strata: [] });
    expect(applySuggestion({ percent: '15', limit: 12, strata: [] }, warning, 100, 'limit')).toEqual({ percent: '16.5', limit: 17, strata: [] });
    expect(applySuggestion({ percent: '10', limit: 12, strata: [] }, warning, 100, 'limit')).toEqual({ percent: '16.5', limit: 17, strata: [] });
    expect(applySuggestion({ percent: '10', limit: null, strata: [] }, warning, 100, 'percent')).toEqual({ percent: '16.5', limit: null, strata: [] });
    expect(applySuggestion({ percent: '10', limit: 12, strata: [] }, warning, 100, 'percent')).toEqual({ percent: '16.5', limit: 17, strata: [] });
    // Only the whole audience would do: nothing is offered (Test would be empty).
    const none = { ...warning, suggestedLimit: null, suggestedPercent: null };
    expect(applySuggestion({ percent: '10', limit: null, strata: [] }, none, 100, 'limit')).toBeNull();
    expect(applySuggestion({ percent: '10', limit: null, strata: [] }, none, 100, 'percent')).toBeNull();
    expect(offersPercent({ percent: '10', limit: null, strata: [] }, none)).toBe(false);
  });

  it('offers the suggested percentage only when it raises the current one', () => {
    const warning = { strata: [{ key: 'k', label: 'city = Tomsk', size: 1049, expected: 0.84 }], suggestedLimit: 50, suggestedPercent: 0.1, message: '' };
    expect(offersPercent({ percent: '10', limit: 40, strata: [] }, warning)).toBe(false);
    expect(offersPercent({ percent: '0.1', limit: null, strata: [] }, warning)).toBe(false);
    expect(offersPercent({ percent: '0.05', limit: null, strata: [] }, warning)).toBe(true);
    expect(offersPercent({ percent: null, limit: 40, strata: [] }, warning)).toBe(false);
  });
});
