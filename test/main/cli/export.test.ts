/** `cplan export` as a real process on real files. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cplanWorkspace, expectOneLineError, parseJson, type CplanWorkspace, type JsonFailure } from '../../helpers/cplan-process';

interface ExportJson {
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
  readonly durationMs: number;
  readonly database: string;
}

let w: CplanWorkspace;

// One demo project for the whole file (made once: a process each is slow enough), in a
// folder kept until the end (temp folders of tempDir() go after each test).
beforeAll(async () => {
  w = cplanWorkspace(mkdtempSync(join(tmpdir(), 'cplan-cli-export-')));
  const made = await w.run('demo', 'demo.cplan', '--profiles', '2000', '--seed', 'export');
  expect(made.code, made.stderr).toBe(0);
});

afterAll(() => {
  rmSync(w.dir, { recursive: true, force: true });
});

let n = 0;
const out = () => `out-${++n}.csv`;
const lines = (file: string) => readFileSync(join(w.dir, file), 'utf8').replace(/^\uFEFF/, '').split('\r\n').slice(0, -1);

describe('cplan export', () => {
  it('writes every profile with every field, a BOM and CRLF lines', async () => {
    const file = out();
    const run = await w.run('export', 'demo.cplan', file, '--database', 'customers');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Exported 2,000 profiles of "Customers" to .*out-\d+\.csv \([\d.]+ KB\) in [\d.]+ s\.\n$/);
    const bytes = readFileSync(join(w.dir, file));
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const all = lines(file);
    expect(all[0]).toBe('profile_id,subscription_status,email,gender,birth_date,city,registered_at,last_purchase,purchases,revenue');
    expect(all).toHaveLength(2_001);
    expect(all[1]).toMatch(/^0000001,(subscribed|unsubscribed|unconfirmed|bounced),[a-z.]+\d+@example\.(com|org|net),/);
  });

  it('chooses fields, statuses, a limit, the delimiter and no BOM; --json says what it did', async () => {
    const file = out();
    const run = await w.run('export', 'demo.cplan', file, '--database', 'Customers', '--fields', 'city, purchases', '--status', 'bounced,unconfirmed', '--limit', '25', '--delimiter', 'tab', '--no-bom', '--json');
    expect(run.code).toBe(0);
    const result = parseJson<ExportJson>(run.stdout);
    expect(result).toMatchObject({ rows: 25, database: 'Customers', path: join(w.dir, file) });
    expect(result.bytes).toBe(readFileSync(join(w.dir, file)).byteLength);
    const all = lines(file);
    expect(all[0]).toBe('profile_id\tsubscription_status\tcity\tpurchases');
    expect(all).toHaveLength(26);
    for (const line of all.slice(1)) expect(line).toMatch(/^\d{7}\t(bounced|unconfirmed)\t[A-Za-z -]+\t\d+$/);
    const semicolon = out();
    expect((await w.run('export', 'demo.cplan', semicolon, '--database', 'Customers', '--fields', '', '--delimiter', ';', '--limit', '1')).code).toBe(0);
    expect(lines(semicolon)).toEqual(['profile_id;subscription_status', expect.stringMatching(/^0000001;\w+$/)]);
  });

  it('refuses to replace a file unless --force', async () => {
    const file = out();
    writeFileSync(join(w.dir, file), 'keep me');
    const refused = await w.run('export', 'demo.cplan', file, '--database', 'Customers');
    expect(refused.code).toBe(1);
    expect(expectOneLineError(refused)).toContain('--force');
    expect(readFileSync(join(w.dir, file), 'utf8')).toBe('keep me');
    const json = await w.run('export', 'demo.cplan', file, '--database', 'Customers', '--json');
    expect(parseJson<JsonFailure>(json.stdout).error.code).toBe('ALREADY_EXISTS');
    expect((await w.run('export', 'demo.cplan', file, '--database', 'Customers', '--force', '--limit', '3')).code).toBe(0);
    expect(lines(file)).toHaveLength(4);
    expect(readdirSync(w.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(w.tmp)).toEqual([]);
  });

  it('names what it cannot find: the database, a field', async () => {
    const noDatabase = await w.run('export', 'demo.cplan', out(), '--database', 'Orders');
    expect(noDatabase.code).toBe(1);
    expect(expectOneLineError(noDatabase)).toContain('"Orders"');
    const noField = await w.run('export', 'demo.cplan', out(), '--database', 'Customers', '--fields', 'email,shoe_size', '--json');
    expect(noField.code).toBe(1);
    expect(parseJson<JsonFailure>(noField.stdout).error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('shoe_size') });
    expect(existsSync(join(w.dir, `out-${n}.csv`))).toBe(false);
  });

  it.each([
    [['export', 'demo.cplan', 'x.csv'], '--database'],
    [['export', 'demo.cplan', 'x.csv', '--database', 'Customers', '--status', 'gone'], 'unknown status "gone"'],
    [['export', 'demo.cplan', 'x.csv', '--database', 'Customers', '--limit', '0'], '--limit'],
    [['export', 'demo.cplan', 'x.csv', '--database', 'Customers', '--limit', '1.5'], '--limit'],
    [['export', 'demo.cplan', 'x.csv', '--database', 'Customers', '--delimiter', ':'], '--delimiter'],
    [['export', 'demo.cplan', 'x.xlsx', '--database', 'Customers'], '.csv'],
    [['export', 'demo.txt', 'x.csv', '--database', 'Customers'], '.cplan'],
    [['export', 'demo.cplan'], 'usage: cplan export'],
  ])('refuses %j as a usage error (exit code 2)', async (args, says) => {
    const run = await w.run(...args);
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toContain(says);
    expect(existsSync(join(w.dir, 'x.csv'))).toBe(false);
  });

  it('explains itself with --help', async () => {
    const run = await w.run('export', '--help');
    expect(run.code).toBe(0);
    for (const text of ['Usage: cplan export FILE.cplan OUT.csv', '--database', '--fields', '--status', '--limit', '--delimiter', '--no-bom', '--force', '--json']) {
      expect(run.stdout).toContain(text);
    }
  });
});
