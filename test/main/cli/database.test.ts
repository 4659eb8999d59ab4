/** `cplan database` as a real process on real files. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseDetail, DatabaseSummary, DeletionImpact } from '../../../shared/contract/databases';
import { cplanWorkspace, expectOneLineError, parseJson, type CplanWorkspace, type JsonFailure } from '../../helpers/cplan-process';

let w: CplanWorkspace;

beforeEach(async () => {
  w = cplanWorkspace();
  expect((await w.run('new', 'p.cplan')).code).toBe(0);
});

const leftovers = () => [...readdirSync(w.dir).filter((f) => f.endsWith('.tmp')), ...readdirSync(w.tmp)];

describe('cplan database', () => {
  it('creates a database with fields, saves the file, and lists it', async () => {
    const before = readFileSync(join(w.dir, 'p.cplan'));
    const created = await w.run('database', 'create', 'p.cplan', 'Customers', '--field', 'email:string', '--field', 'age:number', '--field', 'tier:enum:gold|silver|bronze', '--field', 'seen:date-time', '--field', 'vip:bool', '--json');
    expect(created.code).toBe(0);
    expect(created.stderr).toBe('');
    const detail = parseJson<DatabaseDetail>(created.stdout);
    expect(detail).toMatchObject({ name: 'Customers', profileCount: 0, fieldCount: 5 });
    expect(detail.fields.map((f) => [f.name, f.type, f.enumValues])).toEqual([
      ['email', 'string', []],
      ['age', 'number', []],
      ['tier', 'enum', ['gold', 'silver', 'bronze']],
      ['seen', 'datetime', []],
      ['vip', 'boolean', []],
    ]);
    expect(readFileSync(join(w.dir, 'p.cplan')).equals(before)).toBe(false);
    expect(leftovers()).toEqual([]);

    const list = await w.run('database', 'list', 'p.cplan', '--json');
    expect(parseJson<DatabaseSummary[]>(list.stdout)).toMatchObject([{ name: 'Customers', profileCount: 0, fieldCount: 5 }]);
    const text = await w.run('database', 'list', 'p.cplan');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Customers\s+0\s+5/);
  });

  it('lists the fields of a database with their types, found by name in any case', async () => {
    await w.run('database', 'create', 'p.cplan', 'Клиенты', '--field', 'город:enum:Москва|Казань', '--field', 'visits:number');
    const text = await w.run('database', 'fields', 'p.cplan', 'КЛИЕНТЫ');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('profile_id');
    expect(text.stdout).toContain('subscription_status');
    expect(text.stdout).toMatch(/город\s+enum\s+Москва \| Казань/);
    expect(text.stdout).toMatch(/visits\s+number/);
    const json = parseJson<DatabaseDetail>((await w.run('database', 'fields', 'p.cplan', 'клиенты', '--json')).stdout);
    expect(json.fields.map((f) => f.name)).toEqual(['город', 'visits']);
  });

  it('renames and deletes, asking for --yes before deleting and saying what would go', async () => {
    await w.run('database', 'create', 'p.cplan', 'Customers', '--field', 'email:string');
    expect((await w.run('database', 'rename', 'p.cplan', 'customers', 'Clients')).code).toBe(0);
    expect(parseJson<DatabaseSummary[]>((await w.run('database', 'list', 'p.cplan', '--json')).stdout).map((d) => d.name)).toEqual(['Clients']);

    const refused = await w.run('database', 'delete', 'p.cplan', 'Clients');
    expect(refused.code).toBe(1);
    expect(expectOneLineError(refused)).toMatch(/removes 0 profiles, 1 fields and 0 imports; add --yes/);
    const refusedJson = parseJson<JsonFailure>((await w.run('database', 'delete', 'p.cplan', 'Clients', '--json')).stdout);
    expect(refusedJson.error).toMatchObject({ code: 'REFUSED', details: { profiles: 0, fields: 1, imports: 0, campaigns: 0 } });
    expect(parseJson<DatabaseSummary[]>((await w.run('database', 'list', 'p.cplan', '--json')).stdout)).toHaveLength(1);

    const deleted = await w.run('database', 'delete', 'p.cplan', 'Clients', '--yes', '--json');
    expect(deleted.code).toBe(0);
    expect(parseJson<DeletionImpact & { deleted: boolean }>(deleted.stdout)).toMatchObject({ name: 'Clients', fields: 1, deleted: true });
    expect((await w.run('database', 'list', 'p.cplan')).stdout).toContain('No profile databases.');
    expect(leftovers()).toEqual([]);
  });

  it('fails with one line and exit code 1 when the engine refuses', async () => {
    await w.run('database', 'create', 'p.cplan', 'Customers');
    const duplicate = await w.run('database', 'create', 'p.cplan', 'CUSTOMERS', '--json');
    expect(duplicate.code).toBe(1);
    expect(parseJson<JsonFailure>(duplicate.stdout).error.code).toBe('ALREADY_EXISTS');
    const unknown = await w.run('database', 'fields', 'p.cplan', 'Nope');
    expect(unknown.code).toBe(1);
    expect(expectOneLineError(unknown)).toBe('There is no database "Nope" in the project; it has "Customers".');
    const reserved = await w.run('database', 'create', 'p.cplan', 'Other', '--field', 'profile_id:string');
    expect(reserved.code).toBe(1);
    expect(expectOneLineError(reserved)).toContain('system field');
    const missing = await w.run('database', 'list', 'missing.cplan');
    expect(missing.code).toBe(1);
    expect(expectOneLineError(missing)).toContain('does not exist');
  });

  it.each([
    [['database', 'frobnicate', 'p.cplan'], 'unknown action'],
    [['database', 'list'], 'usage'],
    [['database', 'create', 'p.cplan'], 'usage: cplan database create FILE.cplan NAME'],
    [['database', 'list', 'p.cplan', 'extra'], 'usage: cplan database list FILE.cplan'],
    [['database', 'create', 'p.cplan', 'X', '--field', 'age'], 'NAME:TYPE'],
    [['database', 'create', 'p.cplan', 'X', '--field', 'age:integer64'], 'unknown type'],
    [['database', 'create', 'p.cplan', 'X', '--field', 'tier:enum'], 'needs its values'],
    [['database', 'create', 'p.cplan', 'X', '--field', 'n:number:1|2'], 'only enum'],
    [['database', 'list', 'p.cplan', '--field', 'a:string'], '--field goes with "create"'],
    [['database', 'list', 'p.txt'], '.cplan'],
  ])('refuses %j as a usage error (exit code 2)', async (args, says) => {
    const run = await w.run(...args);
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toContain(says);
  });

  it('explains itself with --help', async () => {
    const run = await w.run('database', '--help');
    expect(run.code).toBe(0);
    for (const text of ['Usage: cplan database', 'list', 'create', 'fields', 'rename', 'delete', '--field', '--yes', '--json']) expect(run.stdout).toContain(text);
    expect((await w.run('--help')).stdout).toMatch(/^\s+database\s+\S/m);
  });
});
