import { describe, expect, it } from 'vitest';
import type { ImportResult } from '../../shared/contract/imports';
import { describeOutsideList, nothingImported, valuesOutsideList } from '../../shared/import-summary';

const result = (change: Partial<ImportResult>): ImportResult => ({
  runId: 'r',
  importId: 1,
  database: null,
  outcome: 'imported',
  rowsRead: 10,
  added: 0,
  updated: 0,
  unchanged: 0,
  skipped: 0,
  leftAlone: 0,
  problemCount: 0,
  problems: [],
  enumValuesAdded: [],
  durationMs: 1,
  ...change,
});

describe('what an import did, in words', () => {
  it('is a success only when it added or updated profiles', () => {
    expect(nothingImported(result({ added: 1 }))).toBeNull();
    expect(nothingImported(result({ updated: 3, skipped: 7 }))).toBeNull();
  });

  it('says why nothing was imported', () => {
    expect(nothingImported(result({ rowsRead: 0 }))).toBe('Nothing was imported: the file has no data rows.');
    expect(nothingImported(result({ unchanged: 10 }))).toBe('Nothing was imported: 10 profiles already held these values.');
    expect(nothingImported(result({ unchanged: 4, leftAlone: 6 }))).toBe(
      'Nothing was imported: 4 profiles already held these values, and 6 rows were left alone by the mode (already in the database, or not in it).',
    );
    expect(nothingImported(result({ outcome: 'stopped', skipped: 10 }))).toBe('Nothing was imported: every row (10) has a problem.');
    expect(nothingImported(result({ outcome: 'stopped', rowsRead: 1, skipped: 1 }))).toBe('Nothing was imported: the only row has a problem.');
    expect(nothingImported(result({ outcome: 'stopped', skipped: 2, unchanged: 8 }))).toBe(
      'Nothing was imported: 2 rows have problems, and of the others 8 profiles already held these values.',
    );
    expect(nothingImported(result({ outcome: 'stopped', skipped: 1 }))).toBe(
      'Nothing was imported: 1 row has a problem, and the import was set to stop on bad rows, so the other 9 rows were not imported either.',
    );
  });

  it('names the values a list lacks, most frequent first, the first five by name', () => {
    const values = [
      { value: 'gold', count: 50 },
      { value: 'platinum', count: 12 },
      ...['a', 'b', 'c', 'd', 'e'].map((value) => ({ value, count: 1 })),
    ];
    const outside = valuesOutsideList(values, ['gold', 'silver']);
    expect(outside.map((v) => v.value)).toEqual(['platinum', 'a', 'b', 'c', 'd', 'e']);
    expect(describeOutsideList(outside, false)).toBe('6 values are not in the list: "platinum" (12 rows), "a" (1 row), "b" (1 row), "c" (1 row), "d" (1 row), and 1 more');
    expect(describeOutsideList(outside.slice(0, 1), false)).toBe('1 value is not in the list: "platinum" (12 rows)');
    expect(describeOutsideList(outside, true)).toBe('The column has more than 500 different values: too many for a list, which holds at most 500');
  });
});
