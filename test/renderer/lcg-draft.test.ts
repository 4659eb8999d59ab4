import { describe, expect, it } from 'vitest';
import type { Field } from '../../shared/contract/index';
import { draftFromLcg, EMPTY_DRAFT, hasProblems, kindsFor, lcgFromDraft, newStratum, previewControlTotal, rangeLabels, sameLcg } from '../../renderer/store/campaigns/lcg-draft';
import { applySuggestion, offersPercent } from '../../renderer/components/campaign/stratification-warning';

const field = (id: number, name: string, type: Field['type'], enumValues: string[] = []): Field => ({ id, databaseId: 1, name, type, enumValues, position: id });
const gender = field(1, 'gender', 'enum', ['female', 'male', 'other']);
const city = field(2, 'city', 'string');
const age = field(3, 'age', 'number');
const signup = field(4, 'signup', 'date');
const vip = field(5, 'vip', 'boolean');
const FIELDS = [gender, city, age, signup, vip];

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
    expect(bad.problems).toMatchObject({ percent: 'At most two decimals, such as 7.25.', limit: 'A limit is a whole number of profiles, such as 5000.' });
    expect(hasProblems(bad.problems)).toBe(true);
  });

  it('stratification: values, groups and ranges by field type, checked as typed', () => {
    expect(kindsFor(gender)).toEqual(['values', 'groups']);
    expect(kindsFor(age)).toEqual(['ranges', 'values']);
    expect(kindsFor(vip)).toEqual(['values']);
    expect(newStratum(age).kind).toBe('ranges');

    const draft = {
      percentText: '10',
      limitText: '',
      strata: [
        { ...newStratum(gender) },
        { ...newStratum(city), kind: 'groups' as const, groups: [{ label: 'Capitals', valuesText: 'Moscow\nSaint Petersburg' }, { label: 'Volga', valuesText: 'Kazan' }] },
        { ...newStratum(age), boundsText: '18, 35, 50' },
        { ...newStratum(signup), boundsText: '2024-01-01 2025-01-01' },
      ],
    };
    const { lcg, problems } = lcgFromDraft(draft, FIELDS);
    expect(hasProblems(problems)).toBe(false);
    expect(lcg?.strata).toEqual([
      { kind: 'values', fieldId: 1 },
      { kind: 'groups', fieldId: 2, groups: [{ label: 'Capitals', values: ['Moscow', 'Saint Petersburg'] }, { label: 'Volga', values: ['Kazan'] }] },
      { kind: 'ranges', fieldId: 3, bounds: [18, 35, 50] },
      { kind: 'ranges', fieldId: 4, bounds: ['2024-01-01', '2025-01-01'] },
    ]);
    expect(rangeLabels(['18', '35'])).toEqual(['below 18', '18 to 35', '35 and above']);
    // Back to a draft and again: the same settings.
    expect(lcg && sameLcg(lcgFromDraft(draftFromLcg(lcg), FIELDS).lcg ?? lcg, lcg)).toBe(true);
    expect(sameLcg({ percent: '10', limit: null, strata: [] }, { percent: 10, limit: null, strata: [] })).toBe(true);

    const broken = lcgFromDraft(
      {
        percentText: '',
        limitText: '',
        strata: [
          { ...newStratum(age), boundsText: '35, 18' },
          { ...newStratum(city), kind: 'groups', groups: [{ label: 'A', valuesText: 'x' }, { label: 'B', valuesText: 'x' }] },
          { ...newStratum(signup), boundsText: '2024-13' },
        ],
      },
      FIELDS,
    );
    expect(broken.lcg).toBeNull();
    expect(broken.problems.general).toBe('Stratification needs an LCG: give a percentage, a limit, or both.');
    expect(broken.problems.strata).toEqual({
      0: 'The bounds must go up, each larger than the one before.',
      1: '"x" is in two groups.',
      2: 'The bounds of signup are dates such as 2024-01-01.',
    });
  });

  it('a suggestion to fix a stratification violation raises the limit, and the percentage when it caps the total', () => {
    const warning = { strata: [{ key: 'k', label: 'gender = other', size: 6, expected: 0.72 }], suggestedLimit: 17, suggestedPercent: 16.5, message: '' };
    expect(applySuggestion({ percent: '20', limit: 12, strata: [] }, warning, 100, 'limit')).toEqual({ percent: '20', limit: 17, strata: [] });
    expect(applySuggestion({ percent: '15', limit: 12, strata: [] }, warning, 100, 'limit')).toEqual({ percent: '16.5', limit: 17, strata: [] });
    expect(applySuggestion({ percent: '10', limit: 12, strata: [] }, warning, 100, 'limit')).toEqual({ percent: '16.5', limit: 17, strata: [] });
    expect(applySuggestion({ percent: '10', limit: null, strata: [] }, warning, 100, 'percent')).toEqual({ percent: '16.5', limit: null, strata: [] });
    expect(applySuggestion({ percent: '10', limit: 12, strata: [] }, warning, 100, 'percent')).toEqual({ percent: '16.5', limit: 17, strata: [] });
  });

  it('offers the suggested percentage only when it raises the current one', () => {
    const warning = { strata: [{ key: 'k', label: 'city = Tomsk', size: 1049, expected: 0.84 }], suggestedLimit: 50, suggestedPercent: 0.1, message: '' };
    expect(offersPercent({ percent: '10', limit: 40, strata: [] }, warning)).toBe(false);
    expect(offersPercent({ percent: '0.1', limit: null, strata: [] }, warning)).toBe(false);
    expect(offersPercent({ percent: '0.05', limit: null, strata: [] }, warning)).toBe(true);
    expect(offersPercent({ percent: null, limit: 40, strata: [] }, warning)).toBe(false);
  });
});
