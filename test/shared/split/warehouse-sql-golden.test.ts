/**
 * The generated SQL of every dialect, as text, on two fixed campaigns (and the growth query
 * of the first): BigQuery, Snowflake, ClickHouse and Spark SQL cannot run here, so their
 * text is pinned and reviewed by eye against the README's table of functions. PostgreSQL,
 * DuckDB and SQLite are pinned too (their results are tested on the engines).
 * After an intended change: UPDATE_GOLDEN=1 npx vitest run test/shared/split/warehouse-sql-golden.test.ts
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SQL_DIALECTS } from '../../../shared/contract/warehouse';
import type { FieldType } from '../../../shared/domain/profiles';
import { checkRule } from '../../../shared/split/stratum-rules';
import type { StratumSpec } from '../../../shared/split/stratum-scheme';
import { growthSql, splitSql, type WarehouseRule, type WarehouseSplit } from '../../../shared/split/warehouse-sql';

const GOLDEN = join(__dirname, '__golden__');
const update = process.env.UPDATE_GOLDEN === '1';

const rule = (field: string, type: FieldType, column: string, spec: StratumSpec): WarehouseRule => {
  const checked = checkRule(spec, { name: field, type });
  if (!checked.ok) throw new Error(checked.problem);
  return { field, type, column, spec: checked.spec };
};

/** Three rules (text values, number ranges, ages), a fractional percent, a schema-qualified table, a seed to escape. */
const STRATIFIED: Omit<WarehouseSplit, 'dialect'> = {
  seed: "s1 it's \\ ok",
  percent: '7.25',
  limit: null,
  table: 'analytics.audience',
  idColumn: 'profile_id',
  rules: [
    rule('city', 'string', 'city', { kind: 'values' }),
    rule('score', 'number', 'score', { kind: 'ranges', bounds: [0, 10.5, 50] }),
    rule('born', 'date', 'birth date', { kind: 'age', intervals: [{ from: 18, to: 30 }, { from: 60, to: null }] }),
  ],
  today: '2026-11-29',
  header: ['Campaign "Spring sale" (id 1), a golden file.'],
};

/** One rule (named groups with quotes and a backslash), a limit only. */
const GROUPED: Omit<WarehouseSplit, 'dialect'> = {
  seed: 'b2',
  percent: null,
  limit: 500,
  table: 'audience',
  idColumn: 'Customer ID',
  rules: [
    rule('city', 'string', 'City', {
      kind: 'groups',
      groups: [
        { label: 'Capitals', values: ['Москва', 'Kazan'] },
        { label: 'Odd "names" \\', values: ["O'Hare"] },
      ],
    }),
  ],
  today: null,
};

function expectGolden(name: string, text: string): void {
  const path = join(GOLDEN, name);
  if (update || !existsSync(path)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, text);
    if (!update) throw new Error(`Wrote the missing golden file ${name}: check it and run again.`);
    return;
  }
  expect(text, `${name} differs from its golden file (UPDATE_GOLDEN=1 to accept a change)`).toBe(readFileSync(path, 'utf8'));
}

describe('the generated SQL, as text', () => {
  for (const dialect of SQL_DIALECTS) {
    it(`${dialect}: the stratified split, the grouped split, the growth`, () => {
      expectGolden(`stratified.${dialect}.sql`, splitSql({ ...STRATIFIED, dialect }));
      expectGolden(`grouped.${dialect}.sql`, splitSql({ ...GROUPED, dialect }));
      expectGolden(`stratified.growth.${dialect}.sql`, growthSql({ ...STRATIFIED, dialect, assignmentTable: 'analytics.assignment' }));
    });
  }

  it('every dialect names its md5, integer division and text order', () => {
    const text = (dialect: (typeof SQL_DIALECTS)[number]) => splitSql({ ...STRATIFIED, dialect });
    expect(text('postgresql')).toMatch(/md5\(.*COLLATE "C"/s);
    expect(text('duckdb')).toContain(' // ');
    expect(text('bigquery')).toContain('TO_HEX(MD5(');
    expect(text('bigquery')).toContain('DIV(');
    expect(text('snowflake')).toContain("COLLATE(p.h, 'utf8')");
    expect(text('snowflake')).toMatch(/CAST\(\(\(.*\) - MOD\(/);
    expect(text('clickhouse')).toContain('lower(hex(MD5(');
    expect(text('clickhouse')).toContain('intDiv(');
    expect(text('spark')).toContain(' div ');
  });
});
