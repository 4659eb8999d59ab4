/** `cplan demo` as a real process on real files. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CSV_COLUMNS } from '../../../main/engine/demo/demo-csv';
import { cplanWorkspace, expectOneLineError, parseJson, type CplanWorkspace, type JsonFailure } from '../../helpers/cplan-process';

let w: CplanWorkspace;

beforeEach(() => {
  w = cplanWorkspace();
});

describe('cplan demo FILE.cplan', () => {
  it('creates and saves the demo project; the same seed gives the same profiles', async () => {
    const run = await w.run('demo', 'a.cplan', '--profiles', '1500', '--seed', 'same', '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(parseJson<{ path: string; name: string; database: string; profiles: number; seed: string }>(run.stdout)).toMatchObject({
      path: join(w.dir, 'a.cplan'),
      name: 'Demo project',
      database: 'Customers',
      profiles: 1500,
      seed: 'same',
    });
    const info = await w.run('info', 'a.cplan');
    expect(info.stdout).toMatch(/Customers\s+1,500/);
    const text = await w.run('demo', 'b.cplan', '--profiles', '1500', '--seed', 'same');
    expect(text.stdout).toBe(`Created ${join(w.dir, 'b.cplan')}: "Demo project" with 1,500 profiles in "Customers" (seed "same").\n`);
    await w.run('export', 'a.cplan', 'a.csv', '--database', 'Customers');
    await w.run('export', 'b.cplan', 'b.csv', '--database', 'Customers');
    expect(readFileSync(join(w.dir, 'a.csv')).equals(readFileSync(join(w.dir, 'b.csv')))).toBe(true);
  });

  it('makes 50,000 profiles by default and refuses to replace a file unless --force', async () => {
    expect((await w.run('demo', 'd.cplan')).code).toBe(0);
    expect(parseJson<{ databases: { profileCount: number }[] }>((await w.run('info', 'd.cplan', '--json')).stdout).databases).toMatchObject([{ profileCount: 50_000 }]);
    const refused = await w.run('demo', 'd.cplan', '--profiles', '10');
    expect(refused.code).toBe(1);
    expect(expectOneLineError(refused)).toContain('--force');
    expect((await w.run('demo', 'd.cplan', '--profiles', '10', '--force')).code).toBe(0);
    expect(parseJson<{ databases: { profileCount: number }[] }>((await w.run('info', 'd.cplan', '--json')).stdout).databases).toMatchObject([{ profileCount: 10 }]);
  });
});

describe('cplan demo --csv', () => {
  it('writes a generated audience as CSV, byte for byte the same for the same seed and day', async () => {
    const args = ['--profiles', '300', '--seed', 'csv', '--today', '2026-01-05'];
    const run = await w.run('demo', '--csv', 'a.csv', ...args, '--json');
    expect(run.code).toBe(0);
    const data = parseJson<{ path: string; rows: number; bytes: number; columns: string; today: string }>(run.stdout);
    expect(data).toMatchObject({ path: join(w.dir, 'a.csv'), rows: 300, columns: 'full', today: '2026-01-05' });
    const a = readFileSync(join(w.dir, 'a.csv'));
    expect(data.bytes).toBe(a.byteLength);
    const lines = a.toString('utf8').split('\n');
    expect(lines[0]).toBe(DEMO_CSV_COLUMNS.full.join(','));
    expect(lines).toHaveLength(302);
    expect((await w.run('demo', '--csv', 'b.csv', ...args)).stdout).toMatch(/^Wrote 300 generated profiles to .*b\.csv/);
    expect(readFileSync(join(w.dir, 'b.csv')).equals(a)).toBe(true);
    await w.run('demo', '--csv', 'c.csv', '--profiles', '300', '--seed', 'other', '--today', '2026-01-05');
    expect(readFileSync(join(w.dir, 'c.csv')).equals(a)).toBe(false);
  });

  it('writes the 8-column benchmark set', async () => {
    expect((await w.run('demo', '--csv', 'bench.csv', '--profiles', '5', '--columns', 'benchmark')).code).toBe(0);
    const lines = readFileSync(join(w.dir, 'bench.csv'), 'utf8').split('\n');
    expect(lines[0]).toBe(DEMO_CSV_COLUMNS.benchmark.join(','));
    expect(lines[1]?.split(',')).toHaveLength(8);
  });

  it('refuses to replace a CSV unless --force', async () => {
    await w.run('demo', '--csv', 'a.csv', '--profiles', '3');
    const refused = await w.run('demo', '--csv', 'a.csv', '--profiles', '3', '--json');
    expect(refused.code).toBe(1);
    expect(parseJson<JsonFailure>(refused.stdout).error.code).toBe('ALREADY_EXISTS');
    expect((await w.run('demo', '--csv', 'a.csv', '--profiles', '4', '--force')).code).toBe(0);
    expect(readFileSync(join(w.dir, 'a.csv'), 'utf8').split('\n')).toHaveLength(6);
  });

  it('names a folder that does not exist', async () => {
    const run = await w.run('demo', '--csv', join('nowhere', 'a.csv'));
    expect(run.code).toBe(1);
    expect(expectOneLineError(run)).toContain('does not exist');
  });
});

describe('cplan demo: the command line', () => {
  it.each([
    [['demo'], 'FILE.cplan'],
    [['demo', 'x.cplan', '--csv', 'x.csv'], 'not both'],
    [['demo', 'x.cplan', '--profiles', '0'], '--profiles'],
    [['demo', 'x.cplan', '--profiles', 'many'], '--profiles'],
    [['demo', 'x.cplan', '--profiles', '2000001'], 'at most 2,000,000'],
    [['demo', 'x.cplan', '--columns', 'full'], '--csv'],
    [['demo', '--csv', 'x.csv', '--columns', 'wide'], '--columns'],
    [['demo', '--csv', 'x.csv', '--today', '05.01.2026'], '--today'],
    [['demo', '--csv', 'x.xlsx'], '.csv'],
    [['demo', 'x.txt'], '.cplan'],
  ])('refuses %j as a usage error (exit code 2)', async (args, says) => {
    const run = await w.run(...args);
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toContain(says);
    expect(existsSync(join(w.dir, 'x.cplan')) || existsSync(join(w.dir, 'x.csv'))).toBe(false);
  });

  it('explains itself with --help', async () => {
    const run = await w.run('demo', '--help');
    expect(run.code).toBe(0);
    for (const text of ['Usage: cplan demo', '--profiles', '--seed', '--force', '--csv', '--columns', '--today', '--json']) expect(run.stdout).toContain(text);
  });
});
