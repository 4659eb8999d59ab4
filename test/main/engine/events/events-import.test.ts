/**
 * `events/import`, `events/list` and `events/export` with the real engine, real files and
 * sql.js: the mapping, the same reader as profile imports (date order, decimal comma,
 * problems by row, column and value), all-or-nothing, unknown profiles reported and not
 * imported, and the project clock deciding which events exist yet.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CsvOptions } from '../../../../shared/contract/imports';
import type { EventsImportRequest } from '../../../../shared/contract/profile-events';
import { importEvents } from '../../../../main/engine/events/import';
import { expectEngineError } from '../../../helpers/engine';
import { startImportProject, writeCsv, type ImportProject } from '../import/helpers';

const CSV: CsvOptions = { encoding: 'utf-8', delimiter: ',', hasHeader: true, decimalSeparator: '.', dateOrder: null };

/** A database "People" (id 1) with profiles A1, A2, A3. */
async function project(): Promise<ImportProject> {
  const t = await startImportProject();
  const people = writeCsv(t.dir, 'people.csv', 'id,name\nA1,Ann\nA2,Bob\nA3,Cy\n');
  await t.importFile(people);
  return t;
}

function events(t: ImportProject): unknown[][] {
  const db = t.engine.state.requireSession().db;
  return db.all('SELECT p.profile_id, e.type, e.at, e.amount, e.note, e.import_id FROM events_1 e JOIN profiles_1 p ON p.rowid = e.profile_key ORDER BY e.seq').map(Object.values);
}

const request = (path: string, mapping: Partial<EventsImportRequest['mapping']> = {}, extra: Partial<EventsImportRequest> = {}): EventsImportRequest => ({
  databaseId: 1,
  path,
  csv: CSV,
  mapping: { idColumn: 0, type: { kind: 'column', column: 1 }, timeColumn: 2, amountColumn: 3, noteColumn: 4, ...mapping },
  ...extra,
});

describe('events/import', () => {
  it('imports every column of the mapping, a date alone as its midnight, and records the import', async () => {
    const t = await project();
    const path = writeCsv(t.dir, 'events.csv', 'id,event,time,amount,order\nA1,purchase,2026-04-09 10:15,12.50,o-1\nA2, open ,2026-04-10,,\nA1,click,2026-04-10T08:00:05Z,,x\n');
    const result = await t.call('events/import', request(path));
    expect(result).toMatchObject({ outcome: 'imported', rowsRead: 3, imported: 3, skipped: 0, problemCount: 0, importId: 1, afterClock: 0 });
    expect(result.unknownProfiles).toEqual({ rows: 0, ids: 0, first: [] });
    expect(events(t)).toEqual([
      ['A1', 'purchase', '2026-04-09T10:15:00', 12.5, 'o-1', 1],
      ['A2', 'open', '2026-04-10T00:00:00', null, null, 1],
      ['A1', 'click', '2026-04-10T08:00:05', null, 'x', 1],
    ]);
    const db = t.engine.state.requireSession().db;
    expect(db.all('SELECT database_id, file_name, rows_read, imported, unknown_profiles, skipped FROM event_imports')).toEqual([
      { database_id: 1, file_name: 'events.csv', rows_read: 3, imported: 3, unknown_profiles: 0, skipped: 0 },
    ]);
    expect(await t.call('project/state', {})).toMatchObject({ dirty: true });
  });

  it('a fixed type, the date order and the decimal comma of the CSV options, a semicolon file', async () => {
    const t = await project();
    const path = writeCsv(t.dir, 'semi.csv', 'id;when;sum\nA3;31.12.2025 23:59;1 234,5\nA1;01.02.2026;7\n');
    const result = await t.call('events/import', {
      ...request(path, { type: { kind: 'fixed', value: ' visit ' }, timeColumn: 1, amountColumn: 2, noteColumn: null }),
      csv: { ...CSV, delimiter: ';', decimalSeparator: ',', dateOrder: 'dmy' },
    });
    expect(result.imported).toBe(2);
    expect(events(t)).toEqual([
      ['A3', 'visit', '2025-12-31T23:59:00', 1234.5, null, 1],
      ['A1', 'visit', '2026-02-01T00:00:00', 7, null, 1],
    ]);
  });

  it('events of unknown profiles are reported with their rows and IDs, and not imported', async () => {
    const t = await project();
    const path = writeCsv(t.dir, 'unknown.csv', 'id,type,at,amount,note\nA1,open,2026-01-01,,\nZ9,open,2026-01-02,,\nA2,open,2026-01-03,,\nZ9,click,2026-01-04,,\nY1,open,2026-01-05,,\n');
    const result = await t.call('events/import', request(path));
    expect(result).toMatchObject({ outcome: 'imported', rowsRead: 5, imported: 2 });
    expect(result.unknownProfiles).toEqual({ rows: 3, ids: 2, first: [{ row: 3, profileId: 'Z9' }, { row: 5, profileId: 'Z9' }, { row: 6, profileId: 'Y1' }] });
    expect(events(t).map((e) => e[0])).toEqual(['A1', 'A2']);
    // No profile is invented for them.
    expect((await t.call('profile/list', { databaseId: 1, limit: 10 })).total).toBe(3);
  });

  it('only unknown profiles: nothing is imported, and the result says which', async () => {
    const t = await project();
    const path = writeCsv(t.dir, 'none.csv', 'id,type,at,amount,note\nQ1,open,2026-01-01,,\n');
    const result = await t.call('events/import', request(path));
    expect(result).toMatchObject({ outcome: 'stopped', imported: 0, importId: null, unknownProfiles: { rows: 1, ids: 1, first: [{ row: 2, profileId: 'Q1' }] } });
    expect(events(t)).toEqual([]);
  });

  it('bad values are reported by row, column and value, and nothing is imported', async () => {
    const t = await project();
    const long = 'x'.repeat(101);
    const path = writeCsv(t.dir, 'bad.csv', `id,type,at,amount,note\nA1,open,2026-01-01,,\nA2,,2026-01-02,,\nA3,open,yesterday,,\n,open,2026-01-03,,\nA1,buy,2026-01-04,lots,\nA1,open,,,\nA2,${long},2026-01-05,,\n`);
    const result = await t.call('events/import', request(path));
    expect(result).toMatchObject({ outcome: 'stopped', imported: 0, importId: null, skipped: 6, problemCount: 6 });
    expect(result.problems.map((p) => [p.row, p.column, p.value, p.code])).toEqual([
      [3, 'type', '', 'missing_value'],
      [4, 'at', 'yesterday', 'not_a_datetime'],
      [5, 'id', '', 'missing_id'],
      [6, 'amount', 'lots', 'not_a_number'],
      [7, 'at', '', 'missing_value'],
      [8, 'type', long, 'value_too_long'],
    ]);
    expect(events(t)).toEqual([]);
    const db = t.engine.state.requireSession().db;
    expect(db.scalar('SELECT COUNT(*) FROM event_imports')).toBe(0);
    // The same error report as profile imports.
    const report = await t.call('import/report', { runId: result.runId });
    expect(report.csv).toContain('4,at,yesterday,not_a_datetime');
  });

  it('with onBadRows skip, the good rows are imported and the bad ones reported, as profile imports do', async () => {
    const t = await project();
    const path = writeCsv(t.dir, 'skip.csv', 'id,type,at,amount,note\nA1,open,2026-01-01,,\nA2,open,13/13/2026,,\n');
    const result = await t.call('events/import', request(path, {}, { onBadRows: 'skip' }));
    expect(result).toMatchObject({ outcome: 'imported', imported: 1, skipped: 1, problemCount: 1 });
    expect(events(t).map((e) => e[0])).toEqual(['A1']);
  });

  it('refuses a mapping to a column the file does not have, or one column twice, naming it', async () => {
    const t = await project();
    const path = writeCsv(t.dir, 'narrow.csv', 'id,type,at\nA1,open,2026-01-01\n');
    const wide = await expectEngineError(t.call('events/import', request(path)), 'INVALID_ARGUMENT');
    expect(wide.message).toMatch(/Column 4 \(the event amount\) is not in the file: it has 3 columns/);
    const twice = await expectEngineError(t.call('events/import', request(path, { amountColumn: null, noteColumn: null, timeColumn: 1 })), 'INVALID_ARGUMENT');
    expect(twice.message).toMatch(/Column "type" is mapped twice \(as the event time and the type\)/);
    await expectEngineError(t.call('events/import', { ...request(path), databaseId: 9 }), 'NOT_FOUND');
  });

  it('a second import adds to the first; a cancel leaves the project as it was', async () => {
    const t = await project();
    const one = writeCsv(t.dir, 'one.csv', 'id,type,at,amount,note\nA1,open,2026-01-01,,\n');
    await t.call('events/import', request(one));
    const two = writeCsv(t.dir, 'two.csv', 'id,type,at,amount,note\nA2,open,2026-01-02,,\nA3,open,2026-01-03,,\n');
    expect((await t.call('events/import', request(two))).importId).toBe(2);
    expect(events(t).map((e) => [e[0], e[5]])).toEqual([['A1', 1], ['A2', 2], ['A3', 2]]);
    // Cancelled at the last step, after every row was written: all of it rolls back.
    const controller = new AbortController();
    const ctx = { ...t.context(controller.signal), progress: (phase: string) => {
        if (phase === 'Finishing') controller.abort();
      },
    };
    const parsed = { ...request(two), onBadRows: 'stop' as const, mapping: { ...request(two).mapping, amountColumn: 3, noteColumn: 4 } };
    await expect(importEvents(parsed as Parameters<typeof importEvents>[0], ctx)).rejects.toThrow(/cancelled/);
    expect(events(t)).toHaveLength(3);
    const db = t.engine.state.requireSession().db;
    expect(db.scalar('SELECT COUNT(*) FROM event_imports')).toBe(2);
    expect(db.scalar('SELECT COUNT(*) FROM events_1_by_profile')).toBe(3);
  });
});

describe('events/list and events/export', () => {
  async function withEvents(): Promise<ImportProject> {
    const t = await project();
    const path = writeCsv(
      t.dir,
      'list.csv',
      'id,type,at,amount,note\nA1,purchase,2026-03-01 10:00,10,o-1\nA2,open,2026-03-02 09:00,,\nA1,open,2026-03-03 09:00,,\nA1,purchase,2099-01-01 00:00,99,future\nA3,click,2026-03-02 09:00,,"=SUM(1,2)"\n',
    );
    const result = await t.call('events/import', request(path));
    expect(result.afterClock).toBe(1);
    return t;
  }

  it('lists events at or before the clock, newest first, by profile and by type, a page at a time', async () => {
    const t = await withEvents();
    const all = await t.call('events/list', { databaseId: 1 });
    expect(all.total).toBe(4);
    expect(all.events.map((e) => [e.profileId, e.type, e.at])).toEqual([
      ['A1', 'open', '2026-03-03T09:00:00'],
      ['A3', 'click', '2026-03-02T09:00:00'],
      ['A2', 'open', '2026-03-02T09:00:00'],
      ['A1', 'purchase', '2026-03-01T10:00:00'],
    ]);
    expect(all.types).toEqual([{ type: 'open', count: 2 }, { type: 'click', count: 1 }, { type: 'purchase', count: 1 }]);
    const a1 = await t.call('events/list', { databaseId: 1, profileId: 'A1' });
    expect(a1.events.map((e) => e.type)).toEqual(['open', 'purchase']);
    expect(a1.events[1]).toEqual({ profileId: 'A1', type: 'purchase', at: '2026-03-01T10:00:00', amount: 10, note: 'o-1' });
    const page = await t.call('events/list', { databaseId: 1, type: 'open', limit: 1, offset: 1 });
    expect([page.total, page.events.map((e) => e.profileId)]).toEqual([2, ['A2']]);
    await expectEngineError(t.call('events/list', { databaseId: 1, profileId: 'nobody' }), 'NOT_FOUND');
  });

  it('events of the same time are listed as written, the later first; the table by profile holds the same events', async () => {
    const t = await project();
    await t.call('events/import', request(writeCsv(t.dir, 'one.csv', 'id,type,at\nA1,visit,2026-03-01 10:00\nA1,click,2026-03-01 10:00\nA2,open,2026-03-01 10:00\nA1,open,2026-02-01 08:00\n'), { amountColumn: null, noteColumn: null }));
    await t.call('events/import', request(writeCsv(t.dir, 'two.csv', 'id,type,at\nA1,buy,2026-03-01 10:00\n'), { amountColumn: null, noteColumn: null }));
    const a1 = await t.call('events/list', { databaseId: 1, profileId: 'A1' });
    expect(a1.events.map((e) => e.type)).toEqual(['buy', 'click', 'visit', 'open']);
    expect(a1.types).toEqual([{ type: 'open', count: 1 }, { type: 'buy', count: 1 }, { type: 'click', count: 1 }, { type: 'visit', count: 1 }].sort((x, y) => (x.type < y.type ? -1 : 1)));
    const page = await t.call('events/list', { databaseId: 1, profileId: 'A1', limit: 2, offset: 1 });
    expect([page.total, page.events.map((e) => e.type)]).toEqual([4, ['click', 'visit']]);
    const all = await t.call('events/list', { databaseId: 1 });
    expect(all.events.map((e) => `${e.profileId} ${e.type}`)).toEqual(['A1 buy', 'A2 open', 'A1 click', 'A1 visit', 'A1 open']);
    const db = t.engine.state.requireSession().db;
    const keys = (table: string) => db.all(`SELECT profile_key, type, at, seq FROM ${table} ORDER BY seq`).map(Object.values);
    expect(keys('events_1_by_profile')).toEqual(keys('events_1'));
    expect(keys('events_1').map((k) => k[3])).toEqual([1, 2, 3, 4, 5]);
  });

  it('an event exists from its minute on the clock: moving the clock past it lists it', async () => {
    const t = await withEvents();
    await t.call('clock/advance', { to: '2099-01-01T00:00' });
    const all = await t.call('events/list', { databaseId: 1, type: 'purchase' });
    expect(all.events.map((e) => e.at)).toEqual(['2099-01-01T00:00:00', '2026-03-01T10:00:00']);
  });

  it('exports events before the clock in time order, formulas neutralised, in the format the import reads back', async () => {
    const t = await withEvents();
    const out = join(t.dir, 'events-out.csv');
    const result = await t.call('events/export', { databaseId: 1, path: out });
    expect(result.rows).toBe(4);
    const text = readFileSync(out, 'utf8');
    expect(text).toBe(
      '\uFEFFprofile_id,type,at,amount,note\r\nA1,purchase,2026-03-01T10:00:00,10,o-1\r\nA2,open,2026-03-02T09:00:00,,\r\nA3,click,2026-03-02T09:00:00,,"\'=SUM(1,2)"\r\nA1,open,2026-03-03T09:00:00,,\r\n',
    );
    await expectEngineError(t.call('events/export', { databaseId: 1, path: out }), 'ALREADY_EXISTS');
    const purchases = await t.call('events/export', { databaseId: 1, path: out, overwrite: true, type: 'purchase', bom: false });
    expect(purchases.rows).toBe(1);
    // Read back into a fresh database of the same profiles: the same events.
    const u = await project();
    const back = await u.call('events/import', request(out));
    expect(back.imported).toBe(1);
    expect(events(u)).toEqual([['A1', 'purchase', '2026-03-01T10:00:00', 10, 'o-1', 1]]);
  });
});
