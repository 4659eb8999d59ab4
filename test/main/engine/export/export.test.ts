import * as realFs from 'node:fs/promises';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../../shared/contract/events';
import { contract, type ArgsOf } from '../../../../shared/contract/index';
import type { FileSystem } from '../../../../main/engine/deps';
import { expectEngineError, startTestEngine } from '../../../helpers/engine';
import { startDatabaseProject, type DatabaseProject } from '../databases/helpers';

const BOM = '\uFEFF';

async function customers(): Promise<DatabaseProject> {
  const p = await startDatabaseProject();
  p.insert([
    { id: '00123', subscription: 'subscribed', values: { name: 'Ann', age: 31, born: '1995-02-03', seen: '2026-11-01T10:15:00', vip: true, tier: 'gold' } },
    { id: '2', subscription: 'bounced', values: { name: 'Bob, Jr.', age: 0.1 + 0.2, vip: false, tier: 'silver' } },
    { id: '3', subscription: 'unsubscribed', values: { name: '=HYPERLINK("http://x")', age: -5 } },
    { id: '4', subscription: 'unconfirmed', values: { name: '+7 999 123-45-67', age: 1e20 } },
    { id: '5', subscription: 'bounced', values: { name: '-5', age: 12 } },
    { id: '6', subscription: 'subscribed', values: { name: "'=x", age: 12.5 } },
  ]);
  return p;
}

type ExportArgs = Omit<ArgsOf<'export/profiles'>, 'databaseId' | 'path'>;

let counter = 0;

/** Exports to a new file in the project's folder; returns its text and the result. */
async function exportCsv(p: DatabaseProject, args: ExportArgs = {}, name = `out-${++counter}.csv`) {
  const path = join(p.dir, name);
  const result = await p.call('export/profiles', { databaseId: p.databaseId, path, ...args }, `export-${counter}`);
  return { result, path, text: readFileSync(path, 'utf8') };
}

const linesOf = (text: string) => text.replace(BOM, '').split('\r\n').slice(0, -1);

describe('export/profiles: what is written', () => {
  it('writes a UTF-8 BOM, a header, one CRLF line per profile in order of arrival, and says how much', async () => {
    const p = await customers();
    const { result, path, text } = await exportCsv(p);
    expect(contract['export/profiles'].result.safeParse(result).success).toBe(true);
    expect(result).toMatchObject({ path, rows: 6 });
    expect(result.bytes).toBe(readFileSync(path).byteLength);
    expect(readFileSync(path).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(linesOf(text)).toEqual([
      'profile_id,subscription_status,name,age,born,seen,vip,tier',
      '00123,subscribed,Ann,31,1995-02-03,2026-11-01T10:15:00,true,gold',
      '2,bounced,"Bob, Jr.",0.30000000000000004,,,false,silver',
      '3,unsubscribed,"\'=HYPERLINK(""http://x"")",-5,,,,',
      "4,unconfirmed,'+7 999 123-45-67,100000000000000000000,,,,",
      "5,bounced,'-5,12,,,,",
      "6,subscribed,''=x,12.5,,,,",
    ]);
    // Export is not a change: the project stays as saved (here: never saved, not dirty after a save).
    expect(existsSync(path)).toBe(true);
  });

  it('writes only the chosen fields, in the order chosen; an empty choice writes the ID and status only', async () => {
    const p = await customers();
    const { text } = await exportCsv(p, { fieldIds: [p.field('tier').id, p.field('name').id] });
    expect(linesOf(text).slice(0, 3)).toEqual(['profile_id,subscription_status,tier,name', '00123,subscribed,gold,Ann', '2,bounced,silver,"Bob, Jr."']);
    const bare = await exportCsv(p, { fieldIds: [] });
    expect(linesOf(bare.text)).toEqual([
      'profile_id,subscription_status',
      '00123,subscribed',
      '2,bounced',
      '3,unsubscribed',
      '4,unconfirmed',
      '5,bounced',
      '6,subscribed',
    ]);
  });

  it('filters by subscription status and stops at the row limit', async () => {
    const p = await customers();
    const bounced = await exportCsv(p, { subscription: ['bounced'], fieldIds: [] });
    expect(bounced.result.rows).toBe(2);
    expect(linesOf(bounced.text).slice(1)).toEqual(['2,bounced', '5,bounced']);
    const two = await exportCsv(p, { subscription: ['subscribed', 'unconfirmed', 'subscribed'], fieldIds: [] });
    expect(linesOf(two.text).slice(1)).toEqual(['00123,subscribed', '4,unconfirmed', '6,subscribed']);
    const limited = await exportCsv(p, { limit: 2, fieldIds: [] });
    expect(limited.result.rows).toBe(2);
    expect(linesOf(limited.text).slice(1)).toEqual(['00123,subscribed', '2,bounced']);
    const both = await exportCsv(p, { limit: 1, subscription: ['bounced'], fieldIds: [] });
    expect(linesOf(both.text).slice(1)).toEqual(['2,bounced']);
    const more = await exportCsv(p, { limit: 100, fieldIds: [] });
    expect(more.result.rows).toBe(6);
    await expectEngineError(exportCsv(p, { limit: 0 }), 'INVALID_ARGUMENT');
    await expectEngineError(exportCsv(p, { subscription: [] }), 'INVALID_ARGUMENT');
  });

  it.each([
    [';', '2;bounced;Bob, Jr.;0.30000000000000004'],
    ['\t', '2\tbounced\tBob, Jr.\t0.30000000000000004'],
    ['|', '2|bounced|Bob, Jr.|0.30000000000000004'],
  ] as const)('writes with the delimiter %j, quoting only cells that hold it', async (delimiter, line) => {
    const p = await customers();
    p.insert([{ id: `a${delimiter}b`, values: { name: `x${delimiter}y` } }]);
    const { text } = await exportCsv(p, { delimiter, fieldIds: [p.field('name').id, p.field('age').id] });
    const lines = linesOf(text);
    expect(lines[0]).toBe(['profile_id', 'subscription_status', 'name', 'age'].join(delimiter));
    expect(lines[2]).toBe(line);
    expect(lines[7]).toBe([`"a${delimiter}b"`, 'subscribed', `"x${delimiter}y"`, ''].join(delimiter));
  });

  it('writes no BOM when asked', async () => {
    const p = await customers();
    const { path, text } = await exportCsv(p, { bom: false, fieldIds: [] });
    expect(readFileSync(path).subarray(0, 10).toString('latin1')).toBe('profile_id');
    expect(text.startsWith('profile_id,')).toBe(true);
  });

  it('quotes and neutralises field names in the header too', async () => {
    const p = await startDatabaseProject([
      { name: '=sum', type: 'string' },
      { name: 'a, b', type: 'number' },
    ]);
    const { text } = await exportCsv(p);
    expect(linesOf(text)).toEqual(["profile_id,subscription_status,'=sum,\"a, b\""]);
  });

  it('writes an empty database as a header only', async () => {
    const p = await startDatabaseProject([{ name: 'x', type: 'string' }]);
    const { result, text } = await exportCsv(p);
    expect(result.rows).toBe(0);
    expect(text).toBe(`${BOM}profile_id,subscription_status,x\r\n`);
  });

  it('refuses unknown fields, fields of another database and a field chosen twice', async () => {
    const p = await customers();
    const other = await p.call('database/create', { name: 'Other', fields: [{ name: 'o', type: 'string' }] });
    await expectEngineError(exportCsv(p, { fieldIds: [9999] }), 'NOT_FOUND');
    await expectEngineError(exportCsv(p, { fieldIds: [other.fields[0]!.id] }), 'NOT_FOUND');
    await expectEngineError(exportCsv(p, { fieldIds: [p.field('age').id, p.field('age').id] }), 'INVALID_ARGUMENT');
    await expectEngineError(p.call('export/profiles', { databaseId: 999, path: join(p.dir, 'x.csv') }), 'NOT_FOUND');
    await expectEngineError(p.call('export/profiles', { databaseId: p.databaseId, path: join(p.dir, 'x.xlsx') }), 'INVALID_ARGUMENT');
    expect(readdirSync(p.dir).filter((f) => f.endsWith('.csv'))).toEqual([]);
  });
});

describe('export/profiles: the file on disk', () => {
  it('refuses to replace a file unless asked, and then replaces it whole', async () => {
    const p = await customers();
    const path = join(p.dir, 'taken.csv');
    writeFileSync(path, 'precious');
    const error = await expectEngineError(p.call('export/profiles', { databaseId: p.databaseId, path }), 'ALREADY_EXISTS');
    expect(error.message).toContain('taken.csv');
    expect(readFileSync(path, 'utf8')).toBe('precious');
    await p.call('export/profiles', { databaseId: p.databaseId, path, overwrite: true, fieldIds: [] });
    expect(readFileSync(path, 'utf8').startsWith(`${BOM}profile_id,subscription_status\r\n`)).toBe(true);
    expect(readdirSync(p.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('says clearly when the target is a folder or its folder does not exist', async () => {
    const p = await customers();
    mkdirSync(join(p.dir, 'folder.csv'));
    await expectEngineError(p.call('export/profiles', { databaseId: p.databaseId, path: join(p.dir, 'folder.csv'), overwrite: true }), 'INVALID_ARGUMENT');
    const missing = await expectEngineError(p.call('export/profiles', { databaseId: p.databaseId, path: join(p.dir, 'nope', 'x.csv') }), 'NOT_FOUND');
    expect(missing.message).toMatch(/does not exist/);
  });

  it('leaves the old file and no temporary file when writing fails', async () => {
    let failWrites = true;
    const fs: FileSystem = {
      ...realFs,
      async open(...args: Parameters<FileSystem['open']>) {
        const handle = await realFs.open(...args);
        if (!String(args[0]).endsWith('.tmp')) return handle;
        return new Proxy(handle, {
          get(target, key, receiver) {
            if (key === 'write' && failWrites) {
              return async () => {
                throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
              };
            }
            const value: unknown = Reflect.get(target, key, receiver);
            return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
          },
        });
      },
    };
    const t = await startTestEngine({ fs });
    await t.call('project/new', {});
    const { id } = await t.call('database/create', { name: 'D', fields: [{ name: 'x', type: 'string' }] });
    const path = join(t.dir, 'old.csv');
    writeFileSync(path, 'old export');
    const error = await expectEngineError(t.call('export/profiles', { databaseId: id, path, overwrite: true }), 'IO_ERROR');
    expect(error.message).toMatch(/disk is full/);
    expect(readFileSync(path, 'utf8')).toBe('old export');
    expect(readdirSync(t.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    failWrites = false;
    await t.call('export/profiles', { databaseId: id, path, overwrite: true });
    expect(readFileSync(path, 'utf8')).toBe(`${BOM}profile_id,subscription_status,x\r\n`);
  });

  it('reports progress in rows, and does not mark the project unsaved', async () => {
    const t = await startTestEngine();
    await t.call('demo/create', { profiles: 60_000, seed: 'progress' }, 'demo');
    const [database] = await t.call('database/list', {});
    t.events.length = 0;
    const path = join(t.dir, 'all.csv');
    const result = await t.call('export/profiles', { databaseId: database!.id, path }, 'export-progress');
    expect(result.rows).toBe(60_000);
    const progress = t.events.filter((e) => e.event === 'progress').map((e) => e.payload as ProgressEvent);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.every((e) => e.unit === 'rows' && e.total === 60_000 && e.method === 'export/profiles')).toBe(true);
    expect(progress.at(-1)?.done).toBe(60_000);
    const done = progress.map((e) => e.done);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    expect(await t.call('project/state', {})).toMatchObject({ dirty: false });
    expect(readFileSync(path, 'utf8').split('\r\n')).toHaveLength(60_000 + 2);
  });

  it('a cancelled export leaves neither the file nor a temporary file', async () => {
    const t = await startTestEngine();
    await t.call('demo/create', { profiles: 200_000, seed: 'cancel' }, 'demo');
    const [database] = await t.call('database/list', {});
    const path = join(t.dir, 'cancelled.csv');
    t.events.length = 0;
    const running = t.raw('export/profiles', { databaseId: database!.id, path }, 'export-cancel');
    // Cancel as soon as the first chunk is on its way to the disk.
    for (let i = 0; i < 500 && !t.events.some((e) => e.event === 'progress' && (e.payload as ProgressEvent).done > 0); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await t.call('operation/cancel', { operationId: 'export-cancel' })).toEqual({ cancelled: true });
    const outcome = await running;
    expect(outcome).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(t.dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.csv'))).toEqual([]);
  });

  it('needs an open project', async () => {
    const t = await startTestEngine();
    await expectEngineError(t.call('export/profiles', { databaseId: 1, path: join(t.dir, 'x.csv') }), 'NO_PROJECT');
  });
});
