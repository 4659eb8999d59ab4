/** warehouse/sql as the engine answers it: the columns the query reads, the file name it suggests, the file written whole or refused. */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../../shared/contract/errors';
import { fileSlug } from '../../../../main/engine/warehouse/sql-handlers';
import { startCampaignProject } from '../campaigns/helpers';

async function project() {
  const t = await startCampaignProject([
    { name: 'Город', type: 'string' },
    { name: 'born', type: 'date' },
    { name: 'vip', type: 'boolean' },
  ]);
  t.generate(20, { values: { Город: "CASE WHEN i % 2 = 0 THEN 'Kazan' ELSE 'Москва' END", born: "'1990-01-01'" } });
  const lcg = {
    percent: '10',
    limit: 5,
    strata: [
      { kind: 'values' as const, fieldId: t.field('vip').id },
      { kind: 'age' as const, fieldId: t.field('born').id, intervals: [{ from: 18, to: 40 }] },
      { kind: 'values' as const, fieldId: t.field('Город').id },
    ],
  };
  const campaignId = await t.campaign(t.segment('All'), lcg, 's1', 'Весна 2026!');
  return { t, campaignId };
}

const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a failure'); }, (error: unknown) => error as EngineError);

describe('warehouse/sql', () => {
  it('says which columns the query reads (mapped or by field name, in field order) and suggests a file name', async () => {
    const { t, campaignId } = await project();
    const result = await t.call('warehouse/sql', { campaignId, dialect: 'snowflake', columns: { born: 'BIRTH_DATE' } });
    expect(result.columns).toEqual([
      { field: null, column: 'profile_id', type: 'string', expects: 'text: the profile ID exactly as imported' },
      { field: 'Город', column: 'Город', type: 'string', expects: 'text' },
      { field: 'born', column: 'BIRTH_DATE', type: 'date', expects: 'date (or ISO text YYYY-MM-DD)' },
      { field: 'vip', column: 'vip', type: 'boolean', expects: 'boolean (or text true/false, yes/no, 1/0)' },
    ]);
    expect(result).toMatchObject({ campaignName: 'Весна 2026!', kind: 'split', table: 'audience', assignmentTable: null, path: null, fileName: 'весна-2026.snowflake.sql' });
    // Ages on the project clock's date; the campaign's seed and size.
    const state = await t.call('project/state', {});
    const clock = ('clock' in state ? state.clock : '').slice(0, 10);
    expect(clock).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(result.sql).toContain(`Ages are counted on ${clock}`);
    expect(result.sql).toContain('Seed: "s1".');
    expect(result.sql).toContain('10 % of N (1000 basis points');
    expect(result.sql).toContain('at most 5 profiles');
    expect(fileSlug('***')).toBe('campaign');
  });

  it('refuses a column for a field the database does not have, naming the fields', async () => {
    const { t, campaignId } = await project();
    const error = await failure(t.call('warehouse/sql', { campaignId, dialect: 'duckdb', columns: { age: 'years' } }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe('There is no field "age" to map to a column; the fields are "Город", "born", "vip".');
  });

  it('writes the file whole, and never over an existing file or a folder without leave', async () => {
    const { t, campaignId } = await project();
    const path = join(t.dir, 'q.sql');
    writeFileSync(path, 'mine');
    const refused = await failure(t.call('warehouse/sql', { campaignId, dialect: 'duckdb', path }));
    expect(refused.code).toBe('ALREADY_EXISTS');
    expect(readFileSync(path, 'utf8')).toBe('mine');
    const folder = join(t.dir, 'folder');
    mkdirSync(folder);
    expect((await failure(t.call('warehouse/sql', { campaignId, dialect: 'duckdb', path: folder }))).code).toBe('INVALID_ARGUMENT');
    const written = await t.call('warehouse/sql', { campaignId, dialect: 'duckdb', path, overwrite: true });
    expect(written.path).toBe(path);
    expect(readFileSync(path, 'utf8')).toBe(written.sql);
    expect(readdirSync(t.dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    expect(existsSync(join(t.dir, 'missing', 'q.sql'))).toBe(false);
    expect((await failure(t.call('warehouse/sql', { campaignId: 999, dialect: 'duckdb' }))).code).toBe('NOT_FOUND');
  });
});
