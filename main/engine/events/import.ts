/**
 * `events/import`: profile events from a CSV file into a database's events table, in one
 * transaction, through the profile import's own reader (detection, parse worker, cell
 * converters, problems by row, column and value, the error report of `import/report`).
 *
 * Good rows are staged with their profile looked up as they are written (the profile ID
 * index), then moved into events_N with set-based SQL. Rows whose ID is no profile of the
 * database are counted and reported, never imported. Bad rows stop the import (nothing is
 * written) unless the request skips them, as profile imports do.
 */
import { basename } from 'node:path';
import type { z } from 'zod';
import { EngineError } from '../../../shared/contract/errors';
import type { ImportProblem } from '../../../shared/contract/imports';
import { MAX_EVENT_TYPE, UNKNOWN_ROWS_SHOWN, type EventsImportRequest, type EventsImportResult } from '../../../shared/contract/profile-events';
import { profileTable } from '../databases/profile-table';
import { requireDatabase } from '../databases/repository';
import { createBulkWriter, type ParameterSource } from '../import/bulk-writer';
import { parsePlanOf, readCsvStart } from '../import/csv-start';
import { locateParseWorker, startParser } from '../import/parse-source';
import type { CellKind, DoneMessage, ParsePlan, PlannedColumn } from '../import/plan';
import { rememberRun } from '../import/report';
import { rowLocator } from '../import/row-locator';
import { DEFAULT_TUNING, PROBLEMS_IN_RESULT, type ImportTuning } from '../import/run';
import { readMeta } from '../project/project-file';
import type { HandlerContext } from '../registry';
import type { SqlDb } from '../sqlite/database';
import { clockLimit } from './clock';
import { createEventsIndexes, dropEventsIndexes, eventsTable } from './table';

const STAGE = 'temp.events_stage';

type Request = z.output<typeof EventsImportRequest>;
type Mapping = Request['mapping'];

/** Stopped inside the transaction: everything rolls back. */
class StopImport extends Error {
  constructor() {
    super('stopped');
  }
}

/** The columns the parser reads, in file order, and where each lands in a batch. */
function planEventColumns(mapping: Mapping, names: readonly string[]): { columns: PlannedColumn[]; textSlots: number; numberSlots: number; slotOf: Map<string, number> } {
  const wanted: { role: string; index: number; kind: CellKind; required?: boolean; maxChars?: number }[] = [
    { role: 'id', index: mapping.idColumn, kind: 'id' },
    { role: 'time', index: mapping.timeColumn, kind: 'datetime', required: true },
  ];
  if (mapping.type.kind === 'column') wanted.push({ role: 'type', index: mapping.type.column, kind: 'string', required: true, maxChars: MAX_EVENT_TYPE });
  if (mapping.amountColumn !== null) wanted.push({ role: 'amount', index: mapping.amountColumn, kind: 'number' });
  if (mapping.noteColumn !== null) wanted.push({ role: 'note', index: mapping.noteColumn, kind: 'string' });
  const nameOf = (index: number) => names[index] ?? `Column ${index + 1}`;
  for (const w of wanted) {
    if (w.index >= names.length) {
      throw new EngineError('INVALID_ARGUMENT', `Column ${w.index + 1} (the event ${w.role}) is not in the file: it has ${names.length} column${names.length === 1 ? '' : 's'}.`, {
        columns: [nameOf(w.index)],
      });
    }
  }
  const twice = wanted.filter((w, i) => wanted.findIndex((o) => o.index === w.index) !== i);
  if (twice.length > 0) {
    const column = nameOf(twice[0]!.index);
    const roles = wanted.filter((w) => w.index === twice[0]!.index).map((w) => w.role);
    throw new EngineError('INVALID_ARGUMENT', `Column "${column}" is mapped twice (as the event ${roles.join(' and the ')}); choose a column for each.`, { columns: [column] });
  }
  let textSlots = 0;
  let numberSlots = 0;
  const slotOf = new Map<string, number>();
  const columns = [...wanted]
    .sort((a, b) => a.index - b.index)
    .map((w): PlannedColumn => {
      const slot = w.kind === 'number' ? numberSlots++ : textSlots++;
      slotOf.set(w.role, slot);
      return { index: w.index, name: nameOf(w.index), kind: w.kind, slot, ...(w.required ? { required: true } : {}), ...(w.maxChars ? { maxChars: w.maxChars } : {}) };
    });
  return { columns, textSlots, numberSlots, slotOf };
}

export async function importEvents(args: Request, ctx: HandlerContext, tuning: ImportTuning = DEFAULT_TUNING): Promise<EventsImportResult> {
  const started = performance.now();
  const { deps } = ctx;
  const session = ctx.state.requireSession();
  const db = session.db;
  const { csv, mapping, databaseId } = args;
  requireDatabase(db, databaseId);

  const start = await readCsvStart(deps.fs, args.path, csv);
  const { head } = start;
  const planned = planEventColumns(mapping, start.columnNames);
  const { textSlots, numberSlots, slotOf } = planned;
  const plan: ParsePlan = { ...parsePlanOf(args.path, csv, start, planned, tuning, args.onBadRows), idsMayRepeat: true };
  const source = startParser(plan, tuning.parser === 'worker' ? locateParseWorker() : null);

  const runId = deps.randomId();
  const problems: ImportProblem[] = [];
  let done: DoneMessage | null = null;
  /** The file row of each staged row, batch by batch (stage rowid n is the n-th written). */
  const stagedRows: Int32Array[] = [];
  let outcome: { importId: number; imported: number; unknown: UnknownRows; afterClock: number } | null = null;
  let unknownWhenStopped: UnknownRows = { rows: 0, ids: 0, first: [] };
  const cacheBefore = Number(db.scalar('PRAGMA cache_size') ?? -2000);
  const table = eventsTable(databaseId);
  const text = (role: string): ParameterSource => ({ from: 'text', slot: slotOf.get(role)! });
  try {
    db.exec(`PRAGMA cache_size = ${-Math.trunc(tuning.cacheKib)}`);
    outcome = await db.transactionAsync(async () => {
      db.exec(`DROP TABLE IF EXISTS ${STAGE}; CREATE TABLE ${STAGE} (profile_key INTEGER, profile_id TEXT, type TEXT, at TEXT, amount REAL, note TEXT)`);
      // The profile is looked up as each row is written; the ID is kept to name rows of unknown ones.
      const lookup = `(SELECT rowid FROM ${profileTable(databaseId)} WHERE profile_id = ?)`;
      const writer = createBulkWriter(deps.sql, db, {
        insert: {
          head: `INSERT INTO ${STAGE} (profile_key, profile_id, type, at, amount, note) VALUES`,
          row: `(${lookup}, ?, ${slotOf.has('type') ? '?' : 'NULL'}, ?, ${slotOf.has('amount') ? '?' : 'NULL'}, ${slotOf.has('note') ? '?' : 'NULL'})`,
        },
        sources: [
          text('id'),
          text('id'),
          ...(slotOf.has('type') ? [text('type')] : []),
          text('time'),
          ...(slotOf.has('amount') ? [{ from: 'number', slot: slotOf.get('amount')!, integer: false } as const] : []),
          ...(slotOf.has('note') ? [text('note')] : []),
        ],
        textSlots,
        numberSlots,
        portable: tuning.writer === 'portable',
      });
      try {
        for (;;) {
          const message = await source.next();
          if (message.type === 'fatal') throw EngineError.fromPayload(message.error);
          if (message.type === 'done') {
            done = message;
            break;
          }
          for (const problem of message.problems) if (problems.length < tuning.maxProblems) problems.push(problem);
          const stopping = args.onBadRows === 'stop' && message.problemCount > 0;
          if (!stopping && message.rows > 0) {
            writer.write(message);
            stagedRows.push(message.rowNumbers);
          }
          source.ack();
          ctx.progress('Reading the file', message.bytesRead, head.size, 'bytes', message.rowsRead);
          await ctx.checkpoint();
        }
      } finally {
        await source.close();
        writer.close();
      }
      const finished: DoneMessage = done;
      if (finished.unreadable || (args.onBadRows === 'stop' && finished.problemCount > 0)) throw new StopImport();

      ctx.progress('Matching profiles', 0, null, 'rows');
      await ctx.checkpoint();
      const clock = readMeta(db).clock;
      const { unknown, afterClock } = stagedCounts(db, stagedRows, clock);
      const staged = stagedRows.reduce((n, rows) => n + rows.length, 0);
      const toImport = staged - unknown.rows;
      if (toImport === 0) {
        unknownWhenStopped = unknown;
        throw new StopImport();
      }
      const now = deps.now();
      db.run(
        `INSERT INTO event_imports (database_id, file_name, imported_at, clock, rows_read, imported, unknown_profiles, skipped)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [databaseId, basename(args.path), now.toISOString(), clock, finished.rowsRead, toImport, unknown.rows, finished.badRows],
      );
      const importId = Number(db.scalar('SELECT last_insert_rowid()'));
      ctx.progress('Writing the events', 0, toImport, 'rows');
      await ctx.checkpoint();
      // A load larger than what is there already: the indexes are built once at the end
      // (a sort) instead of being kept up to date row by row.
      const existing = Number(db.scalar(`SELECT COUNT(*) FROM ${table}`) ?? 0);
      const rebuild = toImport > existing;
      if (rebuild) {
        dropEventsIndexes(db, databaseId);
        db.exec(`PRAGMA cache_size = ${-INDEX_CACHE_KIB}`);
      }
      // The fixed type is bound, never written into the SQL.
      db.run(
        `INSERT INTO ${table} (profile_key, type, at, amount, note, import_id)
         SELECT profile_key, COALESCE(trim(type), ?), at, amount, note, ? FROM ${STAGE} WHERE profile_key IS NOT NULL`,
        [mapping.type.kind === 'fixed' ? mapping.type.value : null, importId],
      );
      db.exec(`DROP TABLE ${STAGE}`);
      if (rebuild) {
        ctx.progress('Building the indexes', 0, toImport, 'rows');
        await ctx.checkpoint();
        createEventsIndexes(db, databaseId);
      }
      ctx.progress('Finishing', toImport, toImport, 'rows');
      await ctx.checkpoint();
      return { importId, imported: toImport, unknown, afterClock };
    });
  } catch (error) {
    if (!(error instanceof StopImport)) throw error;
  } finally {
    await source.close();
    db.exec(`DROP TABLE IF EXISTS ${STAGE}; PRAGMA cache_size = ${Math.trunc(cacheBefore)}`);
  }

  const final = done as DoneMessage | null;
  if (!final) throw new EngineError('INTERNAL', 'The import ended without reading the whole file.');
  rememberRun(session, { runId, fileName: head.fileName, problems, problemCount: final.problemCount });
  if (!outcome) ctx.unchanged?.();
  const result = outcome as { importId: number; imported: number; unknown: UnknownRows; afterClock: number } | null;
  return {
    runId,
    outcome: result ? 'imported' : 'stopped',
    importId: result?.importId ?? null,
    rowsRead: final.rowsRead,
    imported: result?.imported ?? 0,
    skipped: final.badRows,
    problemCount: final.problemCount,
    problems: problems.slice(0, PROBLEMS_IN_RESULT),
    unknownProfiles: result?.unknown ?? unknownWhenStopped,
    afterClock: result?.afterClock ?? 0,
    durationMs: performance.now() - started,
  };
}

/** SQLite's page cache while the indexes are built, in KiB (as the profile import's ID index). */
const INDEX_CACHE_KIB = 256 * 1024;

interface UnknownRows {
  readonly rows: number;
  readonly ids: number;
  readonly first: { row: number; profileId: string }[];
}

/**
 * In one pass over the staged rows: those of IDs that are no profile (how many, how many
 * IDs, the first few with their file rows), and those after the project clock.
 */
function stagedCounts(db: SqlDb, stagedRows: readonly Int32Array[], clock: string): { unknown: UnknownRows; afterClock: number } {
  const counts = db.all(
    `SELECT COUNT(*) FILTER (WHERE profile_key IS NULL) AS n, COUNT(DISTINCT CASE WHEN profile_key IS NULL THEN profile_id END) AS ids,
            COUNT(*) FILTER (WHERE profile_key IS NOT NULL AND at > ?) AS later FROM ${STAGE}`,
    [clockLimit(clock)],
  )[0];
  const rows = Number(counts?.n ?? 0);
  const afterClock = Number(counts?.later ?? 0);
  if (rows === 0) return { unknown: { rows: 0, ids: 0, first: [] }, afterClock };
  const fileRow = rowLocator(stagedRows);
  const first = db
    .all<{ r: number; id: string }>(`SELECT rowid AS r, profile_id AS id FROM ${STAGE} WHERE profile_key IS NULL ORDER BY rowid LIMIT ${UNKNOWN_ROWS_SHOWN}`)
    .map(({ r, id }) => ({ row: fileRow(Number(r)), profileId: String(id) }));
  return { unknown: { rows, ids: Number(counts?.ids ?? 0), first }, afterClock };
}
