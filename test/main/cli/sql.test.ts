/** `cplan sql` in-process: the query printed or written whole, run on DuckDB, and its refusals. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ResultOf } from '../../../shared/contract/index';
import { SQL_DIALECTS } from '../../../shared/contract/warehouse';
import { cli, emptyProject, fails, json, ok } from '../../helpers/cli-in-process';
import { writeCsv } from '../engine/import/helpers';

let dir: string;
let file: string;
let people: string;

/** A fresh project per test (its folder goes after each test). */
beforeEach(async () => {
  ({ dir, file } = await emptyProject('2026-11-29T10:00'));
  const lines = ['customer_id,city,score'];
  for (let i = 1; i <= 300; i += 1) lines.push(`${String(i).padStart(5, '0')},${['Москва', 'Kazan', '', "O'Hare"][i % 4]},${i % 7 === 0 ? '' : (i * 37) % 100}`);
  people = writeCsv(dir, 'people.csv', `${lines.join('\n')}\n`);
  await ok('import', file, people, '--database', 'Shop', '--create', '--type', 'score=number');
  await ok('segment', 'create', file, 'All', '--database', 'Shop', '--from', 'all');
  await ok('campaign', 'create', file, 'Spring sale', '--database', 'Shop', '--segment', 'All', '--percent', '7.25', '--stratum', 'city', '--stratum', 'score:ranges:10,50', '--seed', 's1');
  await ok('activity', 'create', file, 'Mail', '--type', 'broadcast', '--campaign', 'Spring sale');
  await ok('campaign', 'activate', file, 'Spring sale');
}, 60_000);

describe('cplan sql', () => {
  it('prints the DuckDB query, which gives the campaign its groups per stratum when run on the same profiles', async () => {
    const sql = await ok('sql', file, '--campaign', 'spring sale', '--dialect', 'DuckDB', '--table', 'crm.people', '--id-column', 'customer_id');
    expect(sql).toMatch(/^-- Campaign "Spring sale"/);
    expect(sql).toContain('FROM "crm"."people"');
    const show = await json<ResultOf<'campaign/get'>>('campaign', 'show', file, 'Spring sale');
    const instance = await DuckDBInstance.create(':memory:');
    const duck = await instance.connect();
    try {
      await duck.run(`CREATE SCHEMA crm; CREATE TABLE crm.people AS SELECT * FROM read_csv('${people}', all_varchar = true, header = true)`);
      const rows = (await duck.runAndReadAll(sql)).getRowObjectsJS() as { id: string; group: string; stratum: string }[];
      expect(rows).toHaveLength(300);
      expect(rows.some((r) => r.id === '00001')).toBe(true);
      for (const stratum of show.strata) {
        const inStratum = rows.filter((r) => r.stratum === stratum.key);
        expect([stratum.key, inStratum.length, inStratum.filter((r) => r.group === 'control').length]).toEqual([stratum.key, stratum.size, stratum.control]);
      }
    } finally {
      duck.closeSync();
      instance.closeSync();
    }
  });

  it('writes the query to --out whole, refuses to replace it without --force, and reports what it reads', async () => {
    const out = join(dir, 'spring.bigquery.sql');
    const text = await ok('sql', file, '--campaign', 'Spring sale', '--dialect', 'bigquery', '--out', out, '--column', 'score=points');
    expect(text).toMatch(/^Wrote the BigQuery query of "Spring sale" to .*spring\.bigquery\.sql\. It reads the table audience \(columns profile_id, city, points\)/);
    expect(readFileSync(out, 'utf8')).toContain('TO_HEX(MD5(');
    writeFileSync(out, 'mine');
    expect(await fails(1, 'sql', file, '--campaign', 'Spring sale', '--dialect', 'bigquery', '--out', out)).toMatch(/already exists; add --force to replace it/);
    expect(readFileSync(out, 'utf8')).toBe('mine');
    const result = await json<ResultOf<'warehouse/sql'>>('sql', file, '--campaign', 'Spring sale', '--dialect', 'bigquery', '--out', out, '--force');
    expect(result).toMatchObject({ fileName: 'spring-sale.bigquery.sql', path: out, kind: 'split', dialect: 'bigquery' });
    expect(readFileSync(out, 'utf8')).toBe(result.sql);
  });

  it('writes the growth query, reading the existing assignment', async () => {
    const sql = await ok('sql', file, '--campaign', 'Spring sale', '--dialect', 'postgres', '--growth', '--assignment-table', 'crm.spring');
    expect(sql).toContain('FROM "crm"."spring"');
    expect(sql).toMatch(/growth of an existing split/);
  });

  it('says plainly what is wrong with the command line', async () => {
    expect(await fails(2, 'sql', file, '--campaign', 'Spring sale', '--dialect', 'oracle')).toBe(`--dialect must be one of ${SQL_DIALECTS.join(', ')}, not "oracle"`);
    expect(await fails(2, 'sql', file, '--dialect', 'duckdb')).toMatch(/--campaign NAME is required/);
    expect(await fails(2, 'sql', file, '--campaign', 'Spring sale')).toMatch(/--dialect D .* is required/);
    expect(await fails(2, 'sql', file, '--campaign', 'Spring sale', '--dialect', 'duckdb', '--column', 'score')).toMatch(/--column takes FIELD=COLUMN/);
    expect(await fails(2, 'sql', file, '--campaign', 'Spring sale', '--dialect', 'duckdb', '--assignment-table', 'a')).toBe('--assignment-table goes with --growth');
    expect(await fails(2, 'sql', file, '--campaign', 'Spring sale', '--dialect', 'duckdb', '--force')).toBe('--force goes with --out PATH');
    expect(await fails(1, 'sql', file, '--campaign', 'Spring sale', '--dialect', 'duckdb', '--column', 'age=years')).toBe(
      'There is no field "age" to map to a column; the fields are "city", "score".',
    );
    expect(await fails(1, 'sql', file, '--campaign', 'Autumn', '--dialect', 'duckdb')).toMatch(/There is no campaign "Autumn"/);
    expect(existsSync(join(dir, 'spring-sale.duckdb.sql'))).toBe(false);
  });

  it('has a help text with every option', async () => {
    const run = await cli('sql', '--help');
    expect(run.code).toBe(0);
    for (const option of ['--campaign', '--dialect', '--table', '--id-column', '--column FIELD=COLUMN', '--growth', '--assignment-table', '--out', '--force']) expect(run.stdout).toContain(option);
  });
});
