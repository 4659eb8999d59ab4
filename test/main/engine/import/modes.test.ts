/**
 * Modes (add, update, upsert), empty cells (keep, clear), the counts of a result, the
 * import history, all-or-nothing on a stop and on cancel, and the same rows whichever way
 * the file is parsed (worker or engine thread) and written (C API or sql.js's binding).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDemoCsv } from '../../../../main/engine/demo/demo-csv';
import { DEFAULT_TUNING, runImport, type ImportTuning } from '../../../../main/engine/import/run';
import { reportCsv } from '../../../../main/engine/import/report';
import { importMethods, type ImportRequest } from '../../../../shared/contract/imports';
import { expectEngineError } from '../../../helpers/engine';
import { importedInto, startImportProject, writeCsv, type ImportProject } from './helpers';

const BASE = 'id,city,visits,vip,status\n1,Kazan,3,yes,subscribed\n2,Omsk,5,no,unsubscribed\n3,Perm,,yes,\n';
const CHANGES = 'id,city,visits,vip,status\n2,Tomsk,,no,\n3,Perm,,yes,\n4,Ufa,1,no,bounced\n';

async function withBase(): Promise<{ t: ImportProject; databaseId: number }> {
  const t = await startImportProject();
  const result = await t.importFile(writeCsv(t.dir, 'base.csv', BASE));
  return { t, databaseId: importedInto(result) };
}

describe('modes and empty cells', () => {
  it('imports a new database with inferred types and records the import', async () => {
    const { t, databaseId } = await withBase();
    expect(t.profiles(databaseId)).toEqual([
      { profile_id: '1', subscription: 'subscribed', city: 'Kazan', visits: 3, vip: 1 },
      { profile_id: '2', subscription: 'unsubscribed', city: 'Omsk', visits: 5, vip: 0 },
      { profile_id: '3', subscription: 'subscribed', city: 'Perm', visits: null, vip: 1 },
    ]);
    const detail = await t.call('database/get', { databaseId });
    expect(detail.fields.map((f) => [f.name, f.type])).toEqual([['city', 'string'], ['visits', 'number'], ['vip', 'boolean']]);
    expect(detail.imports).toEqual([
      { id: 1, fileName: 'base.csv', importedAt: '2026-11-29T10:15:00.000Z', clock: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/), mode: 'upsert', rowsRead: 3, added: 3, updated: 0, unchanged: 0, skipped: 0 },
    ]);
    const card = await t.call('profile/get', { databaseId, profileId: '1' });
    expect(card).toMatchObject({ addedByImport: 1, updatedByImport: null });
  });

  it('upsert with "keep": empty cells keep stored values; counts added, updated, unchanged', async () => {
    const { t, databaseId } = await withBase();
    const result = await t.importFile(writeCsv(t.dir, 'changes.csv', CHANGES), { target: { databaseId }, mode: 'upsert', emptyCells: 'keep' });
    expect(result).toMatchObject({ outcome: 'imported', rowsRead: 3, added: 1, updated: 1, unchanged: 1, skipped: 0, leftAlone: 0, importId: 2 });
    expect(t.profiles(databaseId)).toEqual([
      { profile_id: '1', subscription: 'subscribed', city: 'Kazan', visits: 3, vip: 1 },
      { profile_id: '2', subscription: 'unsubscribed', city: 'Tomsk', visits: 5, vip: 0 },
      { profile_id: '3', subscription: 'subscribed', city: 'Perm', visits: null, vip: 1 },
      { profile_id: '4', subscription: 'bounced', city: 'Ufa', visits: 1, vip: 0 },
    ]);
    expect(await t.call('profile/get', { databaseId, profileId: '2' })).toMatchObject({ addedByImport: 1, updatedByImport: 2 });
    expect(await t.call('profile/get', { databaseId, profileId: '3' })).toMatchObject({ updatedByImport: null });
    expect(await t.call('profile/get', { databaseId, profileId: '4' })).toMatchObject({ addedByImport: 2 });
  });

  it('update with "clear": empty cells clear values, but never a subscription status; new IDs are left alone', async () => {
    const { t, databaseId } = await withBase();
    const result = await t.importFile(writeCsv(t.dir, 'changes.csv', CHANGES), { target: { databaseId }, mode: 'update', emptyCells: 'clear' });
    expect(result).toMatchObject({ added: 0, updated: 1, unchanged: 1, leftAlone: 1 });
    expect(t.profiles(databaseId)).toEqual([
      { profile_id: '1', subscription: 'subscribed', city: 'Kazan', visits: 3, vip: 1 },
      { profile_id: '2', subscription: 'unsubscribed', city: 'Tomsk', visits: null, vip: 0 },
      { profile_id: '3', subscription: 'subscribed', city: 'Perm', visits: null, vip: 1 },
    ]);
  });

  it('add: only new profiles; existing ones are left alone whatever the file says', async () => {
    const { t, databaseId } = await withBase();
    const result = await t.importFile(writeCsv(t.dir, 'changes.csv', CHANGES), { target: { databaseId }, mode: 'add' });
    expect(result).toMatchObject({ added: 1, updated: 0, unchanged: 0, leftAlone: 2 });
    expect(t.profiles(databaseId).map((p) => [p.profile_id, p.city])).toEqual([['1', 'Kazan'], ['2', 'Omsk'], ['3', 'Perm'], ['4', 'Ufa']]);
  });

  it('update into an empty database leaves every row alone', async () => {
    const t = await startImportProject();
    const db = await t.call('database/create', { name: 'Empty', fields: [{ name: 'city', type: 'string' }] });
    const result = await t.importFile(writeCsv(t.dir, 'base.csv', 'id,city\n1,Kazan\n2,Omsk\n'), { target: { databaseId: db.id }, mode: 'update' });
    expect(result).toMatchObject({ outcome: 'imported', added: 0, updated: 0, leftAlone: 2 });
    expect(t.profiles(db.id)).toEqual([]);
  });

  it('importing the same file twice changes nothing the second time', async () => {
    const { t, databaseId } = await withBase();
    const again = await t.importFile(writeCsv(t.dir, 'base-again.csv', BASE), { target: { databaseId } });
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 3, skipped: 0, leftAlone: 0 });
    const clear = await t.importFile(writeCsv(t.dir, 'base-3.csv', BASE), { target: { databaseId }, emptyCells: 'clear' });
    expect(clear).toMatchObject({ added: 0, updated: 0, unchanged: 3 });
  });

  it('re-imports into an existing enum field with the values it knows', async () => {
    const t = await startImportProject();
    const db = await t.call('database/create', { name: 'P', fields: [{ name: 'Tier', type: 'enum', enumValues: ['gold', 'silver'] }] });
    const preview = await t.call('import/preview', { path: writeCsv(t.dir, 'tier.csv', 'ID,tier\n1,gold\n'), databaseId: db.id });
    expect(preview.columns.map((c) => c.suggested)).toEqual([{ kind: 'profileId' }, { kind: 'field', fieldId: db.fields[0]!.id }]);
    const result = await t.importFile(preview.path, { target: { databaseId: db.id } });
    expect(result.added).toBe(1);
  });
});

describe('all or nothing', () => {
  it('a stop on bad rows changes nothing, and a saved project stays saved', async () => {
    const { t, databaseId } = await withBase();
    await t.call('project/saveAs', { path: join(t.dir, 'p.cplan') });
    const before = { profiles: t.profiles(databaseId), detail: await t.call('database/get', { databaseId }) };
    const bad = writeCsv(t.dir, 'bad.csv', 'id,city,visits,extra\n1,Moscow,1,x\n9,Tver,many,y\n');
    const result = await t.importFile(bad, { target: { databaseId } });
    expect(result).toMatchObject({ outcome: 'stopped', importId: null, added: 0, updated: 0, skipped: 1, problemCount: 1 });
    expect(importMethods['import/run'].result.parse(result)).toEqual(result);
    expect(result.database).toMatchObject({ id: databaseId, profileCount: 3, fieldCount: 3 });
    expect(t.profiles(databaseId)).toEqual(before.profiles);
    expect(await t.call('database/get', { databaseId })).toEqual(before.detail);
    expect((await t.call('project/state', {})) as { dirty: boolean }).toMatchObject({ dirty: false });
    // The report is there all the same.
    const report = await t.call('import/report', { runId: result.runId });
    expect(importMethods['import/report'].result.parse(report)).toEqual(report);
    expect(report).toEqual({
      fileName: 'bad-errors.csv',
      csv: 'row,column,value,code,reason\r\n3,visits,many,not_a_number,"not a number (the decimal separator is ""."")"\r\n',
      problemCount: 1,
      truncated: false,
    });
  });

  it('a successful import marks the project unsaved', async () => {
    const { t, databaseId } = await withBase();
    await t.call('project/saveAs', { path: join(t.dir, 'p.cplan') });
    await t.importFile(writeCsv(t.dir, 'changes.csv', CHANGES), { target: { databaseId } });
    expect(await t.call('project/state', {})).toMatchObject({ dirty: true });
  });

  it('cancel leaves the project exactly as before: no database, no fields, not unsaved', async () => {
    const t = await startImportProject();
    await t.call('project/saveAs', { path: join(t.dir, 'p.cplan') });
    const path = join(t.dir, 'big.csv');
    await writeDemoCsv(path, { count: 200_000, seed: 'cancel', today: '2026-01-05', columns: 'benchmark' });
    const preview = await t.call('import/preview', { path });
    const running = t.raw(
      'import/run',
      {
        path,
        target: { newDatabase: 'Big' },
        csv: preview.options,
        mapping: preview.columns.map((c) => ({ column: c.index, target: c.suggested })),
        mode: 'upsert',
        emptyCells: 'keep',
        onBadRows: 'stop',
      },
      'cancel-me',
    );
    // Cancel once rows are being written.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (t.events.some((e) => e.event === 'progress' && e.payload.operationId === 'cancel-me' && e.payload.phase === 'Reading the file')) {
          clearInterval(poll);
          resolve();
        }
      }, 2);
    });
    expect(await t.call('operation/cancel', { operationId: 'cancel-me' })).toEqual({ cancelled: true });
    const envelope = await running;
    expect(envelope).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(await t.call('database/list', {})).toEqual([]);
    const db = t.engine.state.requireSession().db;
    expect(db.all("SELECT name FROM sqlite_schema WHERE name LIKE 'profiles_%'")).toEqual([]);
    expect(db.scalar('SELECT COUNT(*) FROM fields')).toBe(0);
    expect(db.scalar('SELECT COUNT(*) FROM imports')).toBe(0);
    expect(db.all("SELECT name FROM sqlite_temp_schema")).toEqual([]);
    expect(db.scalar('PRAGMA cache_size')).toBe(-2000);
    expect(db.scalar('PRAGMA ignore_check_constraints')).toBe(0);
    expect(await t.call('project/state', {})).toMatchObject({ dirty: false });
    // Progress told bytes, and rows along with them.
    const progress = t.events.flatMap((e) => (e.event === 'progress' && e.payload.phase === 'Reading the file' ? [e.payload] : []));
    expect(progress[0]).toMatchObject({ method: 'import/run', unit: 'bytes', total: preview.sizeBytes, rows: expect.any(Number) });
    // And the engine works on.
    const done = await t.importFile(writeCsv(t.dir, 'small.csv', BASE), { target: { newDatabase: 'Big' } });
    expect(done.added).toBe(3);
  }, 60_000);

  it('refuses a target name that exists, and a field name clash, before reading anything', async () => {
    const { t, databaseId } = await withBase();
    const path = writeCsv(t.dir, 'x.csv', 'id,City\n1,Kazan\n');
    await expectEngineError(t.importFile(path, { target: { newDatabase: 'people' } }), 'ALREADY_EXISTS');
    const clash = await expectEngineError(
      t.importFile(path, { target: { databaseId }, mapping: () => [{ column: 0, target: { kind: 'profileId' } }, { column: 1, target: { kind: 'newField', field: { name: 'CITY', type: 'string' } } }] }),
      'INVALID_ARGUMENT',
    );
    expect(clash.message).toBe('Column "City" would create the field "CITY", but "People" already has a field "city": map the column to it instead.');
  });
});

describe('the same rows whichever way they are parsed and written', () => {
  const FILE = 'id,name,score,born,seen,vip,tier,status\n' +
    Array.from({ length: 2500 }, (_, i) => {
      const n = i + 1;
      return `${String(n).padStart(6, '0')},"Имя ${n}, ""${n % 7}""",${n % 5 === 0 ? '' : (n * 1.25).toFixed(2)},2000-01-${String((n % 28) + 1).padStart(2, '0')},2024-05-06 10:${String(n % 60).padStart(2, '0')},${n % 2 ? 'yes' : 'no'},${['a', 'b', ''][n % 3]},${n % 11 === 0 ? 'bounced' : ''}`;
    }).join('\n') + '\n';

  async function importWith(tuning: Partial<ImportTuning>) {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'same.csv', FILE);
    const preview = await t.call('import/preview', { path });
    const request: ImportRequest = {
      path,
      target: { newDatabase: 'Same' },
      csv: preview.options,
      mapping: preview.columns.map((c) => ({ column: c.index, target: c.suggested })),
      mode: 'upsert',
      emptyCells: 'keep',
      onBadRows: 'stop',
    };
    const result = await runImport(request, t.context(), { ...DEFAULT_TUNING, ...tuning });
    return { types: preview.columns.map((c) => (c.suggested.kind === 'newField' ? c.suggested.field.type : c.suggested.kind)), rows: t.profiles(importedInto(result)) };
  }

  it('gives identical profiles from the worker and the engine thread, the C API and sql.js binding, any batch and chunk size', async () => {
    const reference = await importWith({});
    expect(reference.types).toEqual(['profileId', 'string', 'number', 'date', 'datetime', 'boolean', 'enum', 'subscription']);
    expect(reference.rows).toHaveLength(2500);
    expect(reference.rows[4]).toEqual({ profile_id: '000005', subscription: 'subscribed', name: 'Имя 5, "5"', score: null, born: '2000-01-06', seen: '2024-05-06T10:05:00', vip: 1, tier: null });
    expect(reference.rows[10]).toEqual({ profile_id: '000011', subscription: 'bounced', name: 'Имя 11, "4"', score: 13.75, born: '2000-01-12', seen: '2024-05-06T10:11:00', vip: 1, tier: null });
    for (const tuning of [{ parser: 'inline' as const }, { writer: 'portable' as const }, { batchRows: 7, chunkBytes: 13 }, { parser: 'inline' as const, writer: 'portable' as const, batchRows: 1, chunkBytes: 1 }]) {
      expect((await importWith(tuning)).rows, JSON.stringify(tuning)).toEqual(reference.rows);
    }
  }, 60_000);
});

describe('the error report', () => {
  it('keeps the first problems and says how many it leaves out', () => {
    const problems = Array.from({ length: 3 }, (_, i) => ({ row: i + 2, column: 'n', value: '=x', code: 'not_a_number' as const, reason: 'not a number' }));
    const report = reportCsv({ runId: 'r', fileName: 'data.csv', problems, problemCount: 250_000 });
    expect(report.truncated).toBe(true);
    expect(report.csv.split('\r\n').slice(-3)).toEqual(['4,n,\'=x,not_a_number,not a number', ',,,,"… and 249,997 more problems, not listed: a report keeps the first 100,000."', '']);
  });

  it('is not found for an unknown run', async () => {
    const t = await startImportProject();
    await expectEngineError(t.call('import/report', { runId: 'nope' }), 'NOT_FOUND');
  });
});

describe('a big quote-free file parsed in two halves at once', () => {
  // 3,000 rows, no quote character anywhere, CRLF line endings, Cyrillic text.
  const rows = Array.from({ length: 3000 }, (_, i) => {
    const n = i + 1;
    return `${String(n).padStart(6, '0')};Имя ${n};${n % 5 === 0 ? '' : (n * 1.25).toFixed(2).replace('.', ',')};2000-01-${String((n % 28) + 1).padStart(2, '0')}`;
  });
  const file = (lines: string[]) => `id;name;score;born\r\n${lines.join('\r\n')}\r\n`;

  async function importSplit(content: string, tuning: Partial<ImportTuning>, onBadRows: 'stop' | 'skip' = 'skip') {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'halves.csv', content);
    const preview = await t.call('import/preview', { path });
    const request: ImportRequest = {
      path,
      target: { newDatabase: 'Halves' },
      csv: preview.options,
      // The score column stays a number even when a bad cell made the sample say text.
      mapping: preview.columns.map((c) => ({
        column: c.index,
        target: c.name === 'score' ? { kind: 'newField' as const, field: { name: 'score', type: 'number' as const } } : c.suggested,
      })),
      mode: 'upsert',
      emptyCells: 'keep',
      onBadRows,
    };
    const result = await runImport(request, t.context(), { ...DEFAULT_TUNING, ...tuning });
    return { result, rows: result.outcome === 'imported' ? t.profiles(importedInto(result)) : [] };
  }

  it('gives exactly the profiles of a whole-file parse', async () => {
    const whole = await importSplit(file(rows), { splitMinBytes: Number.MAX_SAFE_INTEGER });
    const halves = await importSplit(file(rows), { splitMinBytes: 1, batchRows: 64 });
    expect(halves.result.added).toBe(3000);
    expect(halves.rows).toEqual(whole.rows);
  });

  it('reports a bad cell in the second half at its own row number', async () => {
    const lines = [...rows];
    lines[2800] = '002801;Имя;not a number;2000-01-01';
    const { result } = await importSplit(file(lines), { splitMinBytes: 1 });
    expect(result.problems).toMatchObject([{ row: 2802, column: 'score', value: 'not a number', code: 'not_a_number' }]);
    expect([result.added, result.skipped]).toEqual([2999, 1]);
  });

  it('finds an ID repeated across the halves, keeps the first row, and reports the later one', async () => {
    const lines = [...rows];
    lines[2900] = '000007;Повтор;1;2000-01-01'; // row 2902 repeats the ID of row 8
    lines[100] = '000050;Повтор;1;2000-01-01'; //  row 102 repeats the ID of row 51, same half
    const { result, rows: imported } = await importSplit(file(lines), { splitMinBytes: 1 });
    expect(result.problems).toMatchObject([
      { row: 102, column: 'id', value: '000050', code: 'duplicate_id', relatedRow: 51 },
      { row: 2902, column: 'id', value: '000007', code: 'duplicate_id', relatedRow: 8 },
    ]);
    expect([result.outcome, result.added, result.skipped]).toEqual(['imported', 2998, 2]);
    expect(imported.filter((r) => r.profile_id === '000007')).toEqual([expect.objectContaining({ name: 'Имя 7' })]);
  });

  it('stops on a repeated ID when asked to, and imports nothing', async () => {
    const lines = [...rows];
    lines[2900] = '000007;Повтор;1;2000-01-01';
    const { result } = await importSplit(file(lines), { splitMinBytes: 1 }, 'stop');
    expect(result).toMatchObject({ outcome: 'stopped', importId: null, added: 0, problemCount: 1 });
    expect(result.problems[0]).toMatchObject({ row: 2902, code: 'duplicate_id', relatedRow: 8 });
  });

  it('is not used for a file with a quote character', async () => {
    const lines = [...rows];
    lines[10] = '000011;"Имя; 11";1;2000-01-01';
    const { result, rows: imported } = await importSplit(file(lines), { splitMinBytes: 1 });
    expect(result.added).toBe(3000);
    expect(imported[10]).toMatchObject({ name: 'Имя; 11' });
  });
});
