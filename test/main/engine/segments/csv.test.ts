import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../../shared/contract/events';
import { expectEngineError } from '../../../helpers/engine';
import { startDatabaseProject, type DatabaseProject } from '../databases/helpers';
import { cp1251, utf16, writeCsv } from '../import/helpers';

async function customers(extra: readonly string[] = []): Promise<DatabaseProject> {
  const p = await startDatabaseProject([{ name: 'name', type: 'string' }]);
  p.insert([...['00123', 'c-2', 'c-3', 'Клиент 4', 'c-5', 'anna@example.com', 'bob@example.com'], ...extra].map((id) => ({ id })));
  return p;
}

async function fromCsv(p: DatabaseProject, content: string | Uint8Array, extra: { column?: string | number; options?: Record<string, unknown> } = {}, name = 'From file') {
  const path = writeCsv(p.dir, `${name.replace(/\W/g, '_')}-${Math.random().toString(36).slice(2)}.csv`, content);
  return p.call('segment/create', { databaseId: p.databaseId, name, from: { kind: 'csv', path, ...extra } }, `csv-${name}`);
}

async function memberIds(p: DatabaseProject, segmentId: number): Promise<string[]> {
  return (await p.call('segment/members', { segmentId, limit: 1000 })).rows.map((r) => r.profileId);
}

describe('segment/create from a CSV list of IDs', () => {
  it('reads a semicolon file with a BOM, finds the ID column by its name, trims IDs, ignores repeats and blanks, reports IDs not found', async () => {
    const p = await customers();
    const made = await fromCsv(p, '\uFEFFnote;Customer_ID;x\r\nfirst; 00123 ;1\r\nsecond;c-3;2\r\nagain;00123;3\r\nblank;;4\r\nnope;c-404;5\r\n\r\nnope;123;6\r\n');
    expect(made).toMatchObject({ changed: 2, unchanged: 0, notFoundCount: 2, notFound: ['c-404', '123'] });
    expect(made.segment.source).toEqual({ kind: 'csv', fileName: expect.stringMatching(/\.csv$/) });
    expect(await memberIds(p, made.segment.id)).toEqual(['00123', 'c-3']);
  });

  it('reads Windows-1251 with Cyrillic IDs and a column chosen by a Russian header, in any case', async () => {
    const p = await customers();
    const made = await fromCsv(p, cp1251('Имя;Клиент\r\nОльга;Клиент 4\r\nИван;c-5\r\nПётр;Клиент 9\r\n'), { column: 'КЛИЕНТ' });
    expect(made).toMatchObject({ changed: 2, notFoundCount: 1, notFound: ['Клиент 9'] });
    expect(await memberIds(p, made.segment.id)).toEqual(['Клиент 4', 'c-5']);
  });

  it('reads UTF-16 and a column chosen by its number', async () => {
    const p = await customers();
    const made = await fromCsv(p, utf16('a,b\n1,c-2\n2,c-5\n', 'le'), { column: 1 });
    expect(await memberIds(p, made.segment.id)).toEqual(['c-2', 'c-5']);
  });

  it('takes a plain list without a header whole: a first line that is an ID of the database is not a header', async () => {
    const p = await customers();
    const made = await fromCsv(p, 'anna@example.com\nbob@example.com\nnobody@example.com\n');
    expect(made).toMatchObject({ changed: 2, notFoundCount: 1, notFound: ['nobody@example.com'] });
    // ... unless the user says the file has a header.
    const headed = await fromCsv(p, 'anna@example.com\nbob@example.com\n', { options: { hasHeader: true } }, 'Headed');
    expect(await memberIds(p, headed.segment.id)).toEqual(['bob@example.com']);
    // Without a header the first column is read, and options override what was detected.
    const numbers = await fromCsv(p, '00123|x\nc-2|y\n', { options: { delimiter: '|', hasHeader: false } }, 'Piped');
    expect(await memberIds(p, numbers.segment.id)).toEqual(['00123', 'c-2']);
  });

  it('says clearly when the column is not there or the file has nothing to read', async () => {
    const p = await customers();
    const named = await expectEngineError(fromCsv(p, 'id;name\nc-2;x\n', { column: 'email' }), 'INVALID_ARGUMENT');
    expect(named.message).toMatch(/There is no column "email" in ".*\.csv"; its columns: "id", "name"\./);
    const numbered = await expectEngineError(fromCsv(p, 'id;name\nc-2;x\n', { column: 5 }), 'INVALID_ARGUMENT');
    expect(numbered.message).toMatch(/Column 6 is not in ".*": it has 2 columns\./);
    const headless = await expectEngineError(fromCsv(p, 'c-2;x\n', { column: 'id', options: { hasHeader: false } }), 'INVALID_ARGUMENT');
    expect(headless.message).toContain('has no header row');
    const empty = await expectEngineError(fromCsv(p, ''), 'REFUSED');
    expect(empty.message).toContain('holds no profile IDs');
    const headerOnly = await expectEngineError(fromCsv(p, 'profile_id,name\n'), 'REFUSED');
    expect(headerOnly.message).toContain('has no profile IDs in column "profile_id"');
    await expectEngineError(
      p.call('segment/create', { databaseId: p.databaseId, name: 'Gone', from: { kind: 'csv', path: join(p.dir, 'missing.csv') } }),
      'NOT_FOUND',
    );
    const binary = await expectEngineError(fromCsv(p, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2])), 'REFUSED');
    expect(binary.message).toContain('ZIP');
    // Nothing was made by the failures.
    expect(await p.call('segment/list', { databaseId: p.databaseId })).toEqual([]);
  });

  it('reads a big file in chunks with progress, and a cancel leaves no segment behind', async () => {
    const count = 300_000;
    const ids = Array.from({ length: count }, (_, i) => `id-${String(i).padStart(8, '0')}`);
    const p = await startDatabaseProject([]);
    p.db().exec(`WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < ${count - 1})
                 INSERT INTO profiles_${p.databaseId} (profile_id) SELECT 'id-' || printf('%08d', i) FROM c WHERE i % 3 <> 0`);
    const path = writeCsv(p.dir, 'big.csv', `profile_id\n${ids.join('\n')}\n`);
    const made = await p.call('segment/create', { databaseId: p.databaseId, name: 'Big', from: { kind: 'csv', path } }, 'big');
    expect(made.changed).toBe(count - count / 3);
    expect(made.notFoundCount).toBe(count / 3);
    expect(made.notFound).toEqual(ids.filter((_, i) => i % 3 === 0).slice(0, 100));
    const progress = p.events.filter((e) => e.event === 'progress' && (e.payload as ProgressEvent).operationId === 'big').map((e) => e.payload as ProgressEvent);
    expect(progress.some((e) => e.unit === 'bytes' && e.done > 0 && e.total !== null && e.done < e.total)).toBe(true);

    const running = p.raw('segment/create', { databaseId: p.databaseId, name: 'Cancelled', from: { kind: 'csv', path } }, 'cancel-me');
    for (let i = 0; i < 1000 && !p.events.some((e) => e.event === 'progress' && (e.payload as ProgressEvent).operationId === 'cancel-me'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await p.call('operation/cancel', { operationId: 'cancel-me' });
    expect(await running).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect((await p.call('segment/list', { databaseId: p.databaseId })).map((s) => s.name)).toEqual(['Big']);
    expect(p.db().scalar("SELECT COUNT(*) FROM temp.sqlite_schema WHERE name = 'segment_csv_ids'")).toBe(0);
  });
});
