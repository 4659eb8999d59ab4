/**
 * The README's SQL, taken from README.md itself (so the text cannot drift from what is
 * tested), run on PostgreSQL (PGlite, in-process), DuckDB and SQLite (sql.js) with each
 * dialect's changes exactly as the README states them, gives the app's split ID by ID: a
 * stratified campaign with empty values ("(no value)" keys are the empty string), quotas
 * with leftovers broken by the stratum hash, and two IDs whose md5 share the first 32 bits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { PGlite } from '@electric-sql/pglite';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LcgSettings } from '../../../../shared/contract/campaigns';
import { md5Hex } from '../../../../shared/split/md5';
import { startCampaignProject, type CampaignProject } from '../campaigns/helpers';

/** The README's query: the one ```sql block of the section on `cplan split`. */
function readmeSql(): string {
  const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Splitting a CSV file'));
  const blocks = [...section.matchAll(/```sql\n([\s\S]*?)```/g)];
  expect(blocks).toHaveLength(1);
  return blocks[0]![1]!;
}

/** :seed as a string literal, :m as a whole number (README). */
const bind = (sql: string, seed: string, m: number) => sql.replace(/:seed\b/g, `'${seed.replace(/'/g, "''")}'`).replace(/:m\b/g, String(m));

/** The dialects, as the README words them. */
const DIALECTS = {
  postgres: (sql: string) => sql,
  duckdb: (sql: string) => sql.replace(/ \/ /g, ' // '),
  sqlite: (sql: string) => sql.replace(/ COLLATE "C"/g, ''),
};

interface Split {
  readonly seed: string;
  readonly m: number;
  /** id, stratum key, group. */
  readonly rows: readonly (readonly [string, string, string])[];
}

const SEED = 'w32';

async function appSplits(): Promise<{ t: CampaignProject; split: Split; byCity: Split }> {
  const t = await startCampaignProject([
    { name: 'city', type: 'string' },
    { name: 'age', type: 'number' },
    { name: 'born', type: 'date' },
  ]);
  // Uneven strata, empty values (NULL and ''), IDs that are not numbers, and the two IDs
  // c63580 and c262322 whose md5 with this seed share the first 32 bits.
  t.generate(4000, {
    prefix: 'c',
    from: 60_000,
    values: {
      city: "CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN '' WHEN i % 3 = 0 THEN 'Москва' WHEN i % 5 = 0 THEN 'O''Hare' ELSE 'Kazan' END",
      age: 'CASE WHEN i % 17 = 0 THEN NULL ELSE 15 + (i * 7919) % 60 END',
      born: "CASE WHEN i % 19 = 0 THEN NULL ELSE date('1960-01-01', '+' || ((i * 389) % 20000) || ' days') END",
    },
  });
  t.generate(1, { prefix: 'c', from: 262_322, values: { city: "'Москва'", age: '30' } });
  t.generate(1, { prefix: 'Клиент-😀-', from: 1, values: { city: "'Kazan'" } });
  const lcg: LcgSettings = {
    percent: '7.25',
    limit: null,
    strata: [
      { kind: 'values', fieldId: t.field('city').id },
      { kind: 'ranges', fieldId: t.field('age').id, bounds: [25, 40, 60] },
      { kind: 'intervals', fieldId: t.field('born').id, intervals: [{ label: 'Boomers', from: '01.01.1960', to: '31.12.1969' }, { label: 'Y', from: '01.01.1981', to: '31.12.1996' }] },
    ],
  };
  const segmentId = t.segment('All');
  const split = async (settings: LcgSettings, name: string): Promise<Split> => {
    const id = await t.campaign(segmentId, settings, SEED, name);
    const detail = await t.call('campaign/activate', { campaignId: id });
    const groups = t.groups(id);
    const strata = t.strata(id);
    return { seed: SEED, m: detail.versions[0]!.controlTotal, rows: [...groups].map(([pid, grp]) => [pid, strata.get(pid)!, grp] as const) };
  };
  // One field: its "(no value)" key is the empty string itself.
  const byCity = await split({ percent: null, limit: 333, strata: [lcg.strata[0]!] }, 'By city');
  return { t, split: await split(lcg, 'Three fields'), byCity };
}

let app: { t: CampaignProject; split: Split; byCity: Split };
beforeAll(async () => {
  app = await appSplits();
}, 120_000);

const differences = (split: Split, got: ReadonlyMap<string, string>) => split.rows.filter(([id, , grp]) => got.get(id) !== grp).length;

/** Two IDs whose md5 with the seed share the first 32 bits: the whole digest decides (the app takes c63580). */
const TWINS: Split = { seed: SEED, m: 1, rows: [['c262322', '', 'test'], ['c63580', '', 'control']] };

/** A dialect: loads (id, stratum_key) rows into `audience`, runs a query, gives id -> grp. */
interface Runner {
  load(rows: readonly (readonly [string, string, string])[]): Promise<void>;
  run(sql: string): Promise<Map<string, string>>;
}

async function expectSameSplits(runner: Runner, dialect: (sql: string) => string): Promise<void> {
  for (const split of [app.split, app.byCity, TWINS]) {
    await runner.load(split.rows);
    const got = await runner.run(bind(dialect(readmeSql()), split.seed, split.m));
    expect(got.size).toBe(split.rows.length);
    expect(differences(split, got)).toBe(0);
  }
}

describe("the README's SQL and the app's split", () => {
  it('is an interesting case: empty keys, many strata, quotas with leftovers', () => {
    const { rows, m } = app.split;
    const keys = new Set(rows.map((r) => r[1]));
    expect(rows.length).toBe(4002);
    expect(keys.size).toBeGreaterThan(40);
    expect(keys.has(JSON.stringify(['', '', '']))).toBe(true);
    expect([...keys].filter((k) => JSON.parse(k)[0] === '').length).toBeGreaterThan(5);
    expect(m).toBe(Math.floor((4002 * 725 + 5000) / 10000));
    expect(md5Hex(`${SEED}:c63580`).slice(0, 8)).toBe(md5Hex(`${SEED}:c262322`).slice(0, 8));
    expect(new Set(app.byCity.rows.map((r) => r[1]))).toEqual(new Set(['', 'Москва', "O'Hare", 'Kazan']));
  });

  it('on PostgreSQL (PGlite), as written', async () => {
    const pg = new PGlite();
    try {
      await pg.exec('CREATE TABLE audience (id text NOT NULL, stratum_key text)');
      const runner: Runner = {
        async load(rows) {
          await pg.exec('TRUNCATE audience');
          await pg.query('INSERT INTO audience SELECT * FROM unnest($1::text[], $2::text[])', [rows.map((r) => r[0]), rows.map((r) => r[1])]);
        },
        async run(sql) {
          return new Map((await pg.query<{ id: string; grp: string }>(sql)).rows.map((r) => [r.id, r.grp]));
        },
      };
      await expectSameSplits(runner, DIALECTS.postgres);
      // With NULL for "(no value)", as a CSV COPY loads an empty cell, the join drops those profiles.
      await runner.load(app.byCity.rows);
      await pg.exec("UPDATE audience SET stratum_key = NULL WHERE stratum_key = ''");
      const withNulls = await runner.run(bind(readmeSql(), app.byCity.seed, app.byCity.m));
      expect(withNulls.size).toBe(app.byCity.rows.filter((r) => r[1] !== '').length);
    } finally {
      await pg.close();
    }
  });

  it('on DuckDB, with // for /', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const duck = await instance.connect();
    try {
      await duck.run('CREATE TABLE audience (id VARCHAR NOT NULL, stratum_key VARCHAR NOT NULL)');
      const runner: Runner = {
        async load(rows) {
          await duck.run('DELETE FROM audience');
          const appender = await duck.createAppender('audience');
          for (const [id, key] of rows) {
            appender.appendVarchar(id);
            appender.appendVarchar(key);
            appender.endRow();
          }
          appender.closeSync();
        },
        async run(sql) {
          return new Map((await duck.runAndReadAll(sql)).getRowObjectsJS().map((r) => [String(r.id), String(r.grp)]));
        },
      };
      await expectSameSplits(runner, DIALECTS.duckdb);
    } finally {
      duck.closeSync();
      instance.closeSync();
    }
  });

  it('on SQLite (sql.js), without COLLATE "C" and with md5 registered', async () => {
    const { t } = app;
    t.registerMd5();
    const db = t.db();
    db.exec('DROP TABLE IF EXISTS temp.audience; CREATE TEMP TABLE audience (id TEXT NOT NULL, stratum_key TEXT NOT NULL)');
    const runner: Runner = {
      async load(rows) {
        db.run('DELETE FROM temp.audience');
        db.run('INSERT INTO temp.audience (id, stratum_key) SELECT j.value ->> 0, j.value ->> 1 FROM json_each(?) j', [JSON.stringify(rows.map((r) => [r[0], r[1]]))]);
      },
      async run(sql) {
        return new Map(db.all<{ id: string; grp: string }>(sql).map((r) => [String(r.id), String(r.grp)]));
      },
    };
    await expectSameSplits(runner, DIALECTS.sqlite);
  });
});
