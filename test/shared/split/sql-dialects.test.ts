/**
 * The pieces of the warehouse query each dialect spells its own way: string literals
 * (standard '' against backslash escapes), identifiers (quotes, backticks, Snowflake's
 * upper-case folding), and, run on SQLite, PostgreSQL and DuckDB, literals, the JSON
 * escaping of keys and the printing of numbers as JavaScript prints them.
 */
import { describe, expect, it } from 'vitest';
import { DIALECTS, backslashLiteral, snowflakeIdent, standardLiteral, tableName } from '../../../shared/split/sql-dialects';
import type { FieldType } from '../../../shared/domain/profiles';
import { jsonEscapeSql } from '../../../shared/split/sql-strata';
import type { StratumSpec } from '../../../shared/split/stratum-scheme';
import { splitSql } from '../../../shared/split/warehouse-sql';
import { useEngines, type SqlEngine } from '../../main/engine/warehouse/engines';

const TRICKY = ["it's", 'back\\slash', 'a\\\'b', 'line\nbreak\ttab\r\u0001\u001f', 'say "hi"', 'Москва', 'emoji 😀', '', "''", '\\\\'];

describe('string literals', () => {
  it('standard dialects double the quote and keep backslashes as they are', () => {
    expect(standardLiteral("it's \\n")).toBe("'it''s \\n'");
    for (const d of ['postgresql', 'duckdb', 'sqlite'] as const) expect(DIALECTS[d].str("a'b\\")).toBe("'a''b\\'");
  });

  it('BigQuery, Spark, Snowflake and ClickHouse escape backslashes, quotes and control characters', () => {
    expect(DIALECTS.bigquery.str("a'b\\c\nd")).toBe("'a\\'b\\\\c\\x0ad'");
    expect(DIALECTS.clickhouse.str("a'b\\c\nd")).toBe("'a\\'b\\\\c\\x0ad'");
    expect(DIALECTS.spark.str("a'b\\c\nd")).toBe("'a\\'b\\\\c\\u000ad'");
    expect(DIALECTS.snowflake.str("a'b\\c\nd")).toBe("'a\\'b\\\\c\\u000ad'");
    expect(backslashLiteral('Москва 😀', () => '?')).toBe("'Москва 😀'");
  });
});

describe('identifiers', () => {
  it('are quoted with the dialect quote, the quote inside doubled', () => {
    expect(DIALECTS.postgresql.ident('birth date')).toBe('"birth date"');
    expect(DIALECTS.postgresql.ident('a"b')).toBe('"a""b"');
    expect(DIALECTS.bigquery.ident('a`b')).toBe('`a``b`');
    expect(DIALECTS.spark.ident('group')).toBe('`group`');
    expect(DIALECTS.clickhouse.ident('group')).toBe('`group`');
  });

  it('Snowflake leaves simple names unquoted (they fold to upper case as an unquoted CREATE TABLE made them) and quotes the rest', () => {
    expect(snowflakeIdent('audience')).toBe('audience');
    expect(snowflakeIdent('profile_id')).toBe('profile_id');
    expect(snowflakeIdent('group')).toBe('"group"');
    expect(snowflakeIdent('Birth date')).toBe('"Birth date"');
    expect(snowflakeIdent('1st')).toBe('"1st"');
  });

  it('dotted table names are quoted part by part', () => {
    expect(tableName(DIALECTS.postgresql, 'analytics.audience')).toBe('"analytics"."audience"');
    expect(tableName(DIALECTS.bigquery, 'project.dataset.audience')).toBe('`project`.`dataset`.`audience`');
    expect(tableName(DIALECTS.snowflake, 'DB.PUBLIC.audience')).toBe('DB.PUBLIC.audience');
  });
});

describe('on the engines', () => {
  const engines = useEngines();

  const one = async (engine: SqlEngine, expression: string): Promise<string> => {
    const rows = await engine.run(`SELECT 'x' AS id, 'g' AS "group", ${expression} AS stratum`);
    return rows[0]!.stratum;
  };

  it('a literal holds exactly its text', async () => {
    for (const engine of engines()) {
      for (const text of TRICKY.filter((t) => !t.includes('\u0000'))) expect(await one(engine, DIALECTS[engine.dialect].str(text)), engine.dialect).toBe(text);
    }
  });

  it("text is escaped for a JSON array as JSON.stringify escapes it", async () => {
    for (const engine of engines()) {
      const d = DIALECTS[engine.dialect];
      for (const text of TRICKY) expect(await one(engine, jsonEscapeSql(d, d.str(text))), `${engine.dialect} ${JSON.stringify(text)}`).toBe(JSON.stringify(text).slice(1, -1));
    }
  });

  it("numbers print as JavaScript's String prints them (whole numbers without .0)", async () => {
    for (const engine of engines()) {
      const d = DIALECTS[engine.dialect];
      for (const n of [0, 42, -7, 0.5, 12.25, -0.1, 1e15, 123456.789, 99999999999]) {
        expect(await one(engine, d.numberText(d.toDouble(d.str(String(n))))), `${engine.dialect} ${n}`).toBe(String(n));
      }
    }
  });
});

describe('rules', () => {
  const split = (spec: StratumSpec, type: FieldType = 'date') =>
    splitSql({ dialect: 'duckdb', seed: 's', percent: 10, limit: null, table: 'a', idColumn: 'id', rules: [{ field: 'born', type, column: 'born', spec }], today: '2026-01-01' });

  it('are checked by the scheme: a rule as typed is normalised, a bad one refused with its problem', () => {
    expect(split({ kind: 'ranges', bounds: ['15.06.1990'] })).toBe(split({ kind: 'ranges', bounds: ['1990-06-15'] }));
    expect(() => split({ kind: 'ranges', bounds: [2000, 1990] }, 'number')).toThrow('The range bounds of "born" must go up: 2000 is followed by 1990.');
    expect(() => split({ kind: 'age', intervals: [{ from: 20, to: 30 }] }, 'string')).toThrow(/"born" is a string field/);
  });
});
