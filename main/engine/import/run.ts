/**
 * `import/run`: a CSV file into a profile database, in one transaction.
 *
 * The parse worker reads, checks and converts the file and sends batches of good rows;
 * this thread writes them as they come (merge.ts says where), so reading and writing run
 * side by side. Everything happens inside one transaction, the new database and new fields
 * included: a cancel, a stop on bad rows or any failure rolls all of it back, and the
 * project is exactly as before. Nothing is saved here; the project file changes only when
 * the user saves, so even an engine killed half-way leaves the file untouched.
 */
import { basename } from 'node:path';
import type { Field } from '../../../shared/contract/databases';
import { EngineError } from '../../../shared/contract/errors';
import type { ImportProblem, ImportRequest, ImportResult } from '../../../shared/contract/imports';
import { createProfileIdIndex, dropProfileIdIndex, fieldColumn, profileTable, SQL_TYPES } from '../databases/profile-table';
import { addField, createDatabase, listDatabases, listFields, requireDatabase, summaryOf } from '../databases/repository';
import { readMeta } from '../project/project-file';
import type { HandlerContext } from '../registry';
import type { SqlDb } from '../sqlite/database';
import { reserveFileRoom } from '../sqlite/file-room';
import { createBulkWriter, type BulkWriter, type InsertTemplate, type ParameterSource } from './bulk-writer';
import { extendEnumLists } from './enum-lists';
import { parsePlanOf, readCsvStart } from './csv-start';
import { planColumns, resolveMapping, sameName, type ResolvedColumn } from './mapping';
import { createStage, directInsert, dropStage, mergeStaged, type MergeCounts, type TargetColumn } from './merge';
import { drainParser, locateParseWorker } from './parse-source';
import { startParsers } from './split-parse';
import { problemReason } from './convert';
import type { DoneMessage, PlannedColumn } from './plan';
import { PROBLEMS_KEPT, rememberRun } from './report';
import { rowLocator } from './row-locator';

export interface ImportTuning {
  /** Rows per batch from the parser. */
  readonly batchRows: number;
  /** Bytes read from the disk at a time. */
  readonly chunkBytes: number;
  readonly maxProblems: number;
  /** Parse in a worker thread (or, `inline`, on the engine thread). */
  readonly parser: 'worker' | 'inline';
  /** Bind values through SQLite's C API (`fast`) or sql.js's usual path. */
  readonly writer: 'fast' | 'portable';
  /**
   * SQLite's page cache during the import, in KiB (restored afterwards). Small on purpose:
   * pages then go out to sql.js's in-memory file while the rows come in, when this thread
   * would otherwise wait for the parser, instead of all at the commit (where sql.js grows
   * the file in 12.5 % steps, a second of copying for a million rows, on the critical path).
   */
  readonly cacheKib: number;
  /** Files at least this large, without quote characters, are parsed in two halves at once. */
  readonly splitMinBytes: number;
}

export const DEFAULT_TUNING: ImportTuning = {
  batchRows: 16_384,
  // Small enough that the records of one chunk (garbage soon after) seldom outlive a
  // young-generation collection of the parse worker.
  chunkBytes: 256 * 1024,
  maxProblems: PROBLEMS_KEPT,
  parser: 'worker',
  writer: 'fast',
  cacheKib: 2 * 1024,
  splitMinBytes: 16 * 1024 * 1024,
};

/**
 * Room made in the database's file before the rows come, per byte of the CSV file: a
 * profile table and its ID index take about 1.4 bytes per byte of CSV (the demo's 62 MB
 * give an 87 MB project), more for very short rows. Without it sql.js's in-memory file
 * grows by 12.5 % at a time, copying itself each time (0.7 s of a million-row import into
 * a new project); room never written costs no memory (file-room.ts).
 */
const FILE_ROOM_PER_CSV_BYTE = 3;

/** SQLite's page cache while the ID index is built, in KiB. */
const INDEX_CACHE_KIB = 256 * 1024;

/** Problems returned with the result; all of them are in the report. */
export const PROBLEMS_IN_RESULT = 500;

/** Thrown inside the transaction to roll it back when the import must not happen. */
class StopImport extends Error {
  /** `merged`: what the rows without problems would have done (nothing: see runImport). */
  constructor(
    readonly done: DoneMessage,
    readonly merged?: MergeCounts,
  ) {
    super('stopped');
  }
}

interface Counts extends MergeCounts {
  readonly databaseId: number;
  readonly importId: number;
}

export async function runImport(request: ImportRequest, ctx: HandlerContext, tuning: ImportTuning = DEFAULT_TUNING): Promise<ImportResult> {
  const started = performance.now();
  const { deps } = ctx;
  const session = ctx.state.requireSession();
  const db = session.db;
  const { csv } = request;

  let fields: Field[] = [];
  let databaseName: string;
  if ('databaseId' in request.target) {
    databaseName = requireDatabase(db, request.target.databaseId).name;
    fields = listFields(db, request.target.databaseId);
  } else {
    databaseName = request.target.newDatabase;
    const taken = listDatabases(db).find((d) => sameName(d.name, databaseName));
    if (taken) throw new EngineError('ALREADY_EXISTS', `A database named "${taken.name}" already exists.`, { name: databaseName });
  }

  // What the file is, before anything changes: refused early if it is empty or not text.
  const start = await readCsvStart(deps.fs, request.path, csv);
  const { head, newline } = start;
  const resolved = resolveMapping(request.mapping, start.columnNames, fields, databaseName);
  const planned = planColumns(resolved);
  const { columns, textSlots, numberSlots } = planned;
  const plan = parsePlanOf(request.path, csv, start, planned, tuning, request.onBadRows);

  const runId = deps.randomId();
  const problems: ImportProblem[] = [];
  let done: DoneMessage | null = null;
  let counts: Counts | null = null;
  let stoppedCounts: MergeCounts | undefined;
  /** Values found for list fields that are not in their lists, by the column's position in the plan. */
  const newEnumValues = new Map<number, Set<string>>();
  let enumValuesAdded: ImportResult['enumValuesAdded'] = [];
  const emptyTarget =
    !('databaseId' in request.target) ||
    Number(db.scalar(`SELECT EXISTS (SELECT 1 FROM ${profileTable(request.target.databaseId)})`)) === 0;
  // A big first load of a quote-free file is parsed in two halves at once (split-parse.ts).
  const workerPath = tuning.parser === 'worker' ? locateParseWorker() : null;
  const maySplit = workerPath !== null && emptyTarget && request.mode !== 'update' && !csv.encoding.startsWith('utf-16') && head.size >= tuning.splitMinBytes;
  // The parser starts first: it reads the first rows while the tables are being set up.
  const { source, splitAt } = await startParsers(deps.fs, plan, { workerPath, maySplit, size: head.size, newline });
  /** The row number of each written row, batch by batch, to locate repeats found at the end. */
  const writtenRows: Int32Array[] = [];
  // For the load only: a large page cache, and no CHECK on the status column, whose values
  // the parser has already checked one by one (the CHECK stays in the schema).
  const cacheBefore = Number(db.scalar('PRAGMA cache_size') ?? -2000);
  try {
    db.exec(`PRAGMA cache_size = ${-Math.trunc(tuning.cacheKib)}; PRAGMA ignore_check_constraints = ON`);
    counts = await db.transactionAsync(async () => {
      const now = deps.now();
      const databaseId = 'databaseId' in request.target ? request.target.databaseId : createDatabase(db, request.target.newDatabase, [], now);
      db.run(
        `INSERT INTO imports (database_id, file_name, imported_at, clock, mode, rows_read, added, updated, unchanged, skipped)
         VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0, 0)`,
        [databaseId, basename(request.path), now.toISOString(), readMeta(db).clock, request.mode],
      );
      const importId = Number(db.scalar('SELECT last_insert_rowid()'));
      const targets = targetColumns(db, databaseId, resolved, columns, now);
      const table = profileTable(databaseId);
      const empty = Number(db.scalar(`SELECT EXISTS (SELECT 1 FROM ${table})`)) === 0;
      reserveFileRoom(db, head.size * FILE_ROOM_PER_CSV_BYTE);
      const strategy = empty ? (request.mode === 'update' ? 'none' : 'direct') : 'stage';

      let writer: BulkWriter | null = null;
      if (strategy !== 'none') {
        let insert: InsertTemplate;
        if (strategy === 'direct') {
          // Built once at the end: kept up to date row by row, even for IDs in order, it
          // takes longer, and both the index and the table take 13 % more pages.
          dropProfileIdIndex(db, databaseId);
          insert = directInsert(table, targets.map((t) => t.target), importId);
        } else {
          insert = createStage(db, targets.map((t) => t.target));
        }
        writer = createBulkWriter(deps.sql, db, {
          insert,
          sources: targets.map((t) => t.source),
          textSlots,
          numberSlots,
          portable: tuning.writer === 'portable',
        });
      }

      let written = 0;
      try {
        done = await drainParser(source, {
          problems,
          maxProblems: tuning.maxProblems,
          stopOnProblems: request.onBadRows === 'stop',
          take: (batch) => {
            if (!writer) return;
            writer.write(batch);
            written += batch.rows;
            if (splitAt !== null) writtenRows.push(batch.rowNumbers);
          },
          // Every batch, kept or not: the list values it saw, then where the reading is.
          progress: (batch) => {
            for (const [column, value] of batch.newEnumValues ?? []) {
              const values = newEnumValues.get(column) ?? new Set<string>();
              newEnumValues.set(column, values.add(value));
            }
            ctx.progress('Reading the file', batch.bytesRead, head.size, 'bytes', batch.rowsRead);
          },
          checkpoint: () => ctx.checkpoint(),
        });
      } finally {
        await source.close();
        writer?.close();
      }
      let finished: DoneMessage = done;
      if (finished.unreadable || (request.onBadRows === 'stop' && finished.problemCount > 0)) throw new StopImport(finished);

      let merged: MergeCounts;
      if (strategy === 'direct') {
        ctx.progress('Building the index', 0, written, 'rows');
        await ctx.checkpoint();
        // The index is built by sorting every ID: give the sorter room to do it in memory.
        db.exec(`PRAGMA cache_size = ${-INDEX_CACHE_KIB}`);
        if (splitAt === null) {
          // One parser has refused repeated IDs already: the index cannot fail, and must be there.
          createProfileIdIndex(db, databaseId);
        } else if (!tryCreateProfileIdIndex(db, databaseId)) {
          // A repeated ID: the halves of a split parse leave that check to the index.
          const idColumn = resolved.find((c) => c.target.kind === 'profileId')?.name ?? null;
          const repeats = crossHalfRepeats(db, table, writtenRows, idColumn);
          problems.push(...repeats.problems);
          problems.sort((a, b) => a.row - b.row);
          finished = {
            ...finished,
            badRows: finished.badRows + repeats.rowids.length,
            problemCount: finished.problemCount + repeats.rowids.length,
          };
          done = finished;
          if (request.onBadRows === 'stop') throw new StopImport(finished);
          db.run(`DELETE FROM ${table} WHERE rowid IN (SELECT value FROM json_each(?))`, [JSON.stringify(repeats.rowids)]);
          written -= repeats.rowids.length;
          createProfileIdIndex(db, databaseId);
        }
        merged = { added: written, updated: 0, unchanged: 0, leftAlone: 0 };
      } else if (strategy === 'stage') {
        ctx.progress('Merging with the profiles already there', 0, written, 'rows');
        await ctx.checkpoint();
        merged = mergeStaged(db, { table, columns: targets.map((t) => t.target), mode: request.mode, emptyCells: request.emptyCells, importId, staged: written });
        dropStage(db);
      } else {
        merged = { added: 0, updated: 0, unchanged: 0, leftAlone: finished.rowsRead - finished.badRows };
      }
      // Rows with problems and none that adds or changes a profile: nothing is imported
      // (no database, fields or record made), and the result says why.
      if (merged.added + merged.updated === 0 && finished.badRows > 0) throw new StopImport(finished, merged);
      // Into an empty table with no bad row, every row read was written: the values seen are all stored.
      const everyRowStored = strategy === 'direct' && finished.badRows === 0;
      enumValuesAdded = extendEnumLists(db, table, newEnumValues, targets, everyRowStored);
      db.run('UPDATE imports SET rows_read = ?, added = ?, updated = ?, unchanged = ?, skipped = ? WHERE id = ?', [
        finished.rowsRead,
        merged.added,
        merged.updated,
        merged.unchanged,
        finished.badRows,
        importId,
      ]);
      ctx.progress('Finishing', written, written, 'rows');
      await ctx.checkpoint();
      return { ...merged, databaseId, importId };
    });
  } catch (error) {
    if (!(error instanceof StopImport)) throw error;
    stoppedCounts = error.merged;
  } finally {
    await source.close();
    db.exec(`PRAGMA cache_size = ${Math.trunc(cacheBefore)}; PRAGMA ignore_check_constraints = OFF`);
  }

  const final = done as DoneMessage | null;
  if (!final) throw new EngineError('INTERNAL', 'The import ended without reading the whole file.');
  rememberRun(session, { runId, fileName: head.fileName, problems, problemCount: final.problemCount });
  const base = {
    runId,
    rowsRead: final.rowsRead,
    skipped: final.badRows,
    problemCount: final.problemCount,
    problems: problems.slice(0, PROBLEMS_IN_RESULT),
  };
  if (!counts) {
    // Stopped: the transaction was rolled back, so the project is as it was, saved state too.
    ctx.unchanged?.();
    const database = 'databaseId' in request.target ? summaryOf(db, request.target.databaseId) : null;
    return {
      ...base,
      importId: null,
      database,
      outcome: 'stopped',
      added: 0,
      updated: 0,
      unchanged: stoppedCounts?.unchanged ?? 0,
      leftAlone: stoppedCounts?.leftAlone ?? 0,
      enumValuesAdded: [],
      durationMs: performance.now() - started,
    };
  }
  const result: Counts = counts;
  return {
    ...base,
    importId: result.importId,
    database: summaryOf(db, result.databaseId),
    outcome: 'imported',
    added: result.added,
    updated: result.updated,
    unchanged: result.unchanged,
    leftAlone: result.leftAlone,
    enumValuesAdded,
    durationMs: performance.now() - started,
  };
}

/** Builds the unique index of profile IDs; false (and nothing built) when an ID repeats. */
function tryCreateProfileIdIndex(db: SqlDb, databaseId: number): boolean {
  try {
    createProfileIdIndex(db, databaseId);
    return true;
  } catch (error) {
    if (/UNIQUE constraint failed/i.test((error as Error).message)) return false;
    throw error;
  }
}

/**
 * IDs written more than once (possible only across the halves of a split parse): every
 * occurrence after the first is a `duplicate_id` problem at its own row, pointing at the
 * first (rowLocator maps each rowid of the fresh table back to its row in the file).
 */
function crossHalfRepeats(
  db: SqlDb,
  table: string,
  writtenRows: readonly Int32Array[],
  idColumn: string | null,
): { problems: ImportProblem[]; rowids: number[] } {
  const rowOf = rowLocator(writtenRows);
  const repeated = db.all<{ r: number; id: string }>(
    `SELECT rowid AS r, profile_id AS id FROM ${table}
      WHERE profile_id IN (SELECT profile_id FROM ${table} GROUP BY profile_id HAVING COUNT(*) > 1)
      ORDER BY profile_id, rowid`,
  );
  const problems: ImportProblem[] = [];
  const rowids: number[] = [];
  let firstRow = 0;
  let previous: string | null = null;
  for (const { r, id } of repeated) {
    const row = rowOf(Number(r));
    if (id !== previous) {
      previous = String(id);
      firstRow = row;
      continue;
    }
    rowids.push(Number(r));
    problems.push({ row, column: idColumn, value: String(id), code: 'duplicate_id', reason: problemReason('duplicate_id', {}), relatedRow: firstRow });
  }
  return { problems, rowids };
}

/** The columns written, in parameter order, each with where its value comes from in a batch. */
function targetColumns(
  db: SqlDb,
  databaseId: number,
  resolved: readonly ResolvedColumn[],
  planned: readonly PlannedColumn[],
  now: Date,
): { target: TargetColumn; source: ParameterSource; field?: Field }[] {
  return resolved.map((column, i) => {
    const plannedColumn = planned[i]!;
    const t = column.target;
    if (t.kind === 'profileId') return { target: { column: 'profile_id', sqlType: 'TEXT' }, source: { from: 'text', slot: plannedColumn.slot } };
    if (t.kind === 'subscription') return { target: { column: 'subscription', sqlType: 'TEXT' }, source: { from: 'text', slot: plannedColumn.slot } };
    const field = t.kind === 'field' ? t.field : addField(db, databaseId, t.draft, now);
    const sqlType = SQL_TYPES[field.type];
    const source: ParameterSource =
      plannedColumn.kind === 'number' || plannedColumn.kind === 'boolean'
        ? { from: 'number', slot: plannedColumn.slot, integer: plannedColumn.kind === 'boolean' }
        : { from: 'text', slot: plannedColumn.slot };
    return { target: { column: fieldColumn(field.id), sqlType }, source, field };
  });
}
