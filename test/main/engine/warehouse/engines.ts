/**
 * The three SQL engines the warehouse query runs on in the test suite: SQLite (sql.js, md5
 * registered as the query's comments say), PostgreSQL (PGlite, in-process) and DuckDB
 * (@duckdb/node-api). Each loads a table from text cells (NULL for a missing cell) into
 * typed columns, or text columns, and runs a query giving rows of id, group, stratum.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, expect } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import type { SqlDialect } from '../../../../shared/contract/warehouse';
import type { FieldType } from '../../../../shared/domain/profiles';
import { md5Hex } from '../../../../shared/split/md5';
import { loadSqlJs } from '../../../../main/engine/sqlite/sql-js';

export interface Column {
  readonly name: string;
  /** null: the profile ID (text). */
  readonly type: FieldType | null;
}

export interface OutRow {
  readonly id: string;
  readonly group: string;
  readonly stratum: string;
}

export interface SqlEngine {
  readonly dialect: SqlDialect;
  /** (Re)creates `table` with the columns, typed or all text, holding the rows (text cells; null: NULL). */
  load(table: string, columns: readonly Column[], rows: readonly (readonly (string | null)[])[], textual: boolean): Promise<void>;
  /** Runs a query of id, "group", stratum. */
  run(sql: string): Promise<OutRow[]>;
  close(): Promise<void>;
}

const TYPES: Record<SqlDialect & ('postgresql' | 'duckdb' | 'sqlite'), Record<FieldType, string>> = {
  postgresql: { string: 'TEXT', enum: 'TEXT', number: 'DOUBLE PRECISION', date: 'DATE', datetime: 'TIMESTAMP', boolean: 'BOOLEAN' },
  duckdb: { string: 'VARCHAR', enum: 'VARCHAR', number: 'DOUBLE', date: 'DATE', datetime: 'TIMESTAMP', boolean: 'BOOLEAN' },
  sqlite: { string: 'TEXT', enum: 'TEXT', number: 'REAL', date: 'TEXT', datetime: 'TEXT', boolean: 'INTEGER' },
};

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Each column of a staging table of text, cast to its type (an empty cell is NULL in a typed column). */
function castSelect(dialect: keyof typeof TYPES, columns: readonly Column[], textual: boolean): string {
  const text = dialect === 'duckdb' ? 'VARCHAR' : 'TEXT';
  return columns
    .map((c) => {
      if (c.type === null || textual) return `CAST(${q(c.name)} AS ${text}) AS ${q(c.name)}`;
      if (dialect === 'sqlite' && c.type === 'boolean') return `CASE ${q(c.name)} WHEN 'true' THEN 1 WHEN 'false' THEN 0 END AS ${q(c.name)}`;
      return `CAST(NULLIF(${q(c.name)}, '') AS ${TYPES[dialect][c.type]}) AS ${q(c.name)}`;
    })
    .join(', ');
}

const toRows = (rows: readonly Record<string, unknown>[]): OutRow[] => rows.map((r) => ({ id: String(r.id), group: String(r.group), stratum: String(r.stratum) }));

export async function sqliteEngine(): Promise<SqlEngine> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  // What the query's comments ask of SQLite users: md5() as lowercase hex of the UTF-8 bytes.
  db.create_function('md5', (s: unknown) => md5Hex(String(s)));
  const all = (sql: string): Record<string, unknown>[] => {
    const statement = db.prepare(sql);
    const out: Record<string, unknown>[] = [];
    while (statement.step()) out.push(statement.getAsObject());
    statement.free();
    return out;
  };
  return {
    dialect: 'sqlite',
    async load(table, columns, rows, textual) {
      db.run(`DROP TABLE IF EXISTS ${q(table)}; DROP TABLE IF EXISTS staging`);
      db.run(`CREATE TABLE staging (${columns.map((c) => `${q(c.name)} TEXT`).join(', ')})`);
      const insert = db.prepare(`INSERT INTO staging VALUES (${columns.map(() => '?').join(', ')})`);
      db.run('BEGIN');
      for (const row of rows) insert.run(row as (string | null)[]);
      db.run('COMMIT');
      insert.free();
      db.run(`CREATE TABLE ${q(table)} AS SELECT ${castSelect('sqlite', columns, textual)} FROM staging`);
    },
    async run(sql) {
      return toRows(all(sql));
    },
    async close() {
      db.close();
    },
  };
}

export async function postgresEngine(): Promise<SqlEngine> {
  const pg = new PGlite();
  return {
    dialect: 'postgresql',
    async load(table, columns, rows, textual) {
      await pg.exec(`DROP TABLE IF EXISTS ${q(table)}; DROP TABLE IF EXISTS staging; CREATE TABLE staging (${columns.map((c) => `${q(c.name)} TEXT`).join(', ')})`);
      const arrays = columns.map((_, i) => rows.map((r) => r[i] ?? null));
      await pg.query(`INSERT INTO staging SELECT * FROM unnest(${columns.map((_, i) => `$${i + 1}::text[]`).join(', ')})`, arrays);
      await pg.exec(`CREATE TABLE ${q(table)} AS SELECT ${castSelect('postgresql', columns, textual)} FROM staging`);
    },
    async run(sql) {
      return toRows((await pg.query<Record<string, unknown>>(sql)).rows);
    },
    async close() {
      await pg.close();
    },
  };
}

export async function duckdbEngine(): Promise<SqlEngine> {
  const instance = await DuckDBInstance.create(':memory:');
  const duck: DuckDBConnection = await instance.connect();
  return {
    dialect: 'duckdb',
    async load(table, columns, rows, textual) {
      await duck.run(`DROP TABLE IF EXISTS ${q(table)}; DROP TABLE IF EXISTS staging`);
      await duck.run(`CREATE TABLE staging (${columns.map((c) => `${q(c.name)} VARCHAR`).join(', ')})`);
      const appender = await duck.createAppender('staging');
      for (const row of rows) {
        for (const cell of row) {
          if (cell === null) appender.appendNull();
          else appender.appendVarchar(cell);
        }
        appender.endRow();
      }
      appender.closeSync();
      await duck.run(`CREATE TABLE ${q(table)} AS SELECT ${castSelect('duckdb', columns, textual)} FROM staging`);
    },
    async run(sql) {
      return toRows((await duck.runAndReadAll(sql)).getRowObjectsJS());
    },
    async close() {
      duck.closeSync();
      instance.closeSync();
    },
  };
}

export const ENGINES: readonly (() => Promise<SqlEngine>)[] = [sqliteEngine, postgresEngine, duckdbEngine];

/** The three engines, started before a file's tests and closed after them. */
export function useEngines(): () => readonly SqlEngine[] {
  let engines: SqlEngine[] = [];
  beforeAll(async () => {
    engines = await Promise.all(ENGINES.map((start) => start()));
  });
  afterAll(async () => {
    for (const e of engines) await e.close();
  });
  return () => engines;
}

const byId = (rows: readonly OutRow[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** A query's rows are the app's, ID by ID (group and stratum too); the first differences are shown. */
export function expectSameRows(got: readonly OutRow[], expected: readonly OutRow[], context: string): void {
  const [a, b] = [byId(got), byId(expected)];
  expect(a.length, context).toBe(b.length);
  const wrong = a.filter((row, i) => JSON.stringify(row) !== JSON.stringify(b[i]));
  expect(wrong.slice(0, 5), context).toEqual([]);
}
