/**
 * Writes batches of rows into a table through one prepared INSERT, as fast as sql.js
 * allows.
 *
 * sql.js's usual path, `stmt.bind(array); stmt.step(); stmt.reset()`, converts every value
 * in JavaScript and copies every string into the WASM heap one by one: about 3.6 µs a row
 * of 9 columns, most of the time of a million-row import. The fast path here talks to
 * SQLite's C API, which sql.js exports as plain functions:
 *
 * - a batch's text cells arrive as ONE Uint8Array of UTF-8 (see plan.ts); it is copied into
 *   the WASM heap once (`_malloc` + `writeArrayToMemory`), and each cell is bound by
 *   pointer and length with `_sqlite3_bind_text(stmt, i, ptr, bytes, SQLITE_STATIC)`:
 *   SQLite reads the bytes in place and copies them into the row at `step`, so the block
 *   must outlive the steps, and is freed (`_free`) only after the batch, with the bindings
 *   cleared first (`_sqlite3_clear_bindings`) so nothing points into freed memory;
 * - no value: `_sqlite3_bind_text` with a null pointer binds NULL (sqlite3_bind_null is not
 *   among sql.js's exports);
 * - numbers: `_sqlite3_bind_double`; yes/no: `_sqlite3_bind_int`;
 * - rows go in ROWS_PER_STATEMENT at a time, through one INSERT with that many rows of
 *   VALUES: a statement's run has a fixed cost (opening the table, starting and ending the
 *   VDBE program) which this spreads over many rows, about halving the time per row;
 * - the statement's pointer in the WASM heap is a property of sql.js's Statement object
 *   whose name the minifier chose, so it is found at run time: the numeric property `p`
 *   with `sqlite3_sql(p)` equal to our SQL text. If sql.js ever changes so that this is
 *   not found, or a function is missing, the writer uses the usual path, which gives the
 *   same rows, only slower (tests run both).
 */
import type { SqlJsStatic, Statement } from 'sql.js';
import type { SqlDb, SqlValue } from '../sqlite/database';
import type { BatchMessage } from './plan';

/** The part of SQLite's C API that sql.js exports and this writer uses. */
interface SqliteCApi {
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  writeArrayToMemory(array: Uint8Array, pointer: number): void;
  UTF8ToString(pointer: number): string;
  _sqlite3_sql(statement: number): number;
  _sqlite3_bind_text(statement: number, index: number, pointer: number, bytes: number, destructor: number): number;
  _sqlite3_bind_double(statement: number, index: number, value: number): number;
  _sqlite3_bind_int(statement: number, index: number, value: number): number;
  _sqlite3_step(statement: number): number;
  _sqlite3_reset(statement: number): number;
  _sqlite3_clear_bindings(statement: number): number;
  _sqlite3_errmsg(database: number): number;
}

const C_API_FUNCTIONS = [
  '_malloc',
  '_free',
  'writeArrayToMemory',
  'UTF8ToString',
  '_sqlite3_sql',
  '_sqlite3_bind_text',
  '_sqlite3_bind_double',
  '_sqlite3_bind_int',
  '_sqlite3_step',
  '_sqlite3_reset',
  '_sqlite3_clear_bindings',
  '_sqlite3_errmsg',
] as const;

const SQLITE_DONE = 101;
/** The destructor argument meaning "the bytes stay valid until the statement is done with them". */
const SQLITE_STATIC = 0;

function cApiOf(sql: SqlJsStatic): SqliteCApi | null {
  const candidate = sql as unknown as Record<string, unknown>;
  return C_API_FUNCTIONS.every((name) => typeof candidate[name] === 'function') ? (sql as unknown as SqliteCApi) : null;
}

/** The WASM pointer of a prepared statement, found by asking SQLite for each candidate's SQL. */
export function statementPointer(sql: SqlJsStatic, statement: Statement, text: string): number | null {
  const api = cApiOf(sql);
  if (!api) return null;
  const fields = statement as unknown as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    // Heap pointers are large; small numbers (flags, counters) are not worth a look.
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 4096) continue;
    try {
      if (api.UTF8ToString(api._sqlite3_sql(value)) === text) return value;
    } catch {
      // not a statement pointer
    }
  }
  return null;
}

/** Where one SQL parameter's value comes from in a batch. */
export type ParameterSource = { readonly from: 'text'; readonly slot: number } | { readonly from: 'number'; readonly slot: number; readonly integer: boolean };

/** The rows of a batch as the writer reads them: text cells in one buffer, numbers in another. */
export type BulkRows = Pick<BatchMessage, 'rows' | 'text' | 'textStart' | 'textLength' | 'numbers'>;

export interface BulkWriter {
  /** Writes every row of the batch; throws on a constraint failure. */
  write(batch: BulkRows): void;
  /** Frees the statement. */
  close(): void;
  readonly fast: boolean;
}

/** An INSERT as a head ("INSERT INTO t (a, b) VALUES") and one row of values ("(?, ?)"). */
export interface InsertTemplate {
  readonly head: string;
  readonly row: string;
}

/**
 * The statement for `rows` rows of the template, as INSERT OR FAIL. With SQLite's default
 * conflict action (ABORT) a statement that writes several rows keeps a statement journal
 * to undo its own rows on a failure: a copy of every page it changes that existed before
 * it. A batch of rows appended to a table changes the same last pages as the batch
 * before, so every statement copied them again: writing 5,000,000 events made 780,000
 * copies of an 8 KiB page into a temporary file, a third of the writing. FAIL stops at
 * the failing row and keeps the statement's earlier rows, with no journal; every writer's
 * caller rolls back its whole transaction when a write throws, so nothing of a failed
 * write remains either way.
 */
export const insertSql = (template: InsertTemplate, rows = 1) =>
  `${template.head.replace(/^INSERT INTO /, 'INSERT OR FAIL INTO ')} ${Array<string>(rows).fill(template.row).join(', ')}`;

/** Rows per statement on the fast path (bound parameters stay far below SQLite's 32,766). */
export const ROWS_PER_STATEMENT = 32;

export interface BulkWriterOptions {
  /** The INSERT, with one `?` per source in each row, in order. */
  readonly insert: InsertTemplate;
  readonly sources: readonly ParameterSource[];
  readonly textSlots: number;
  readonly numberSlots: number;
  /** Use sql.js's usual binding path even when the fast one is available (tests). */
  readonly portable?: boolean;
}

export function createBulkWriter(sql: SqlJsStatic, db: SqlDb, options: BulkWriterOptions): BulkWriter {
  const single = db.raw.prepare(insertSql(options.insert));
  const api = options.portable ? null : cApiOf(sql);
  if (api) {
    const multiSql = insertSql(options.insert, ROWS_PER_STATEMENT);
    const multi = db.raw.prepare(multiSql);
    const singlePointer = statementPointer(sql, single, insertSql(options.insert));
    const multiPointer = statementPointer(sql, multi, multiSql);
    if (singlePointer !== null && multiPointer !== null) return fastWriter(api, db, [single, multi], [singlePointer, multiPointer], options);
    multi.free();
  }
  return portableWriter(single, options);
}

function fastWriter(api: SqliteCApi, db: SqlDb, statements: Statement[], pointers: [number, number], options: BulkWriterOptions): BulkWriter {
  const { sources, textSlots, numberSlots } = options;
  const count = sources.length;
  const [single, multi] = pointers;
  const isText = sources.map((s) => s.from === 'text');
  const slots = Int32Array.from(sources.map((s) => s.slot));
  const integer = sources.map((s) => s.from === 'number' && s.integer);
  const databasePointer = (db.raw as unknown as { db?: unknown }).db;
  const failure = (rc: number) => {
    const message = typeof databasePointer === 'number' ? api.UTF8ToString(api._sqlite3_errmsg(databasePointer)) : `SQLite error ${rc}`;
    return new Error(message);
  };
  /** Binds one row's values as parameters `first + 1 ...` of `pointer`. */
  const bindRow = (pointer: number, first: number, batch: BulkRows, heap: number, row: number) => {
    const { textStart, textLength, numbers } = batch;
    const textBase = row * textSlots;
    const numberBase = row * numberSlots;
    for (let p = 0; p < count; p += 1) {
      const index = first + p + 1;
      if (isText[p]) {
        const cell = textBase + slots[p]!;
        const length = textLength[cell]!;
        if (length < 0) api._sqlite3_bind_text(pointer, index, 0, 0, SQLITE_STATIC);
        else api._sqlite3_bind_text(pointer, index, heap + textStart[cell]!, length, SQLITE_STATIC);
      } else {
        const value = numbers[numberBase + slots[p]!]!;
        if (value !== value) api._sqlite3_bind_text(pointer, index, 0, 0, SQLITE_STATIC);
        // bind_int takes 32 bits; a larger whole number goes as a double (exact up to 2^53),
        // which an INTEGER column stores as an integer again.
        else if (integer[p] && (value | 0) === value) api._sqlite3_bind_int(pointer, index, value);
        else api._sqlite3_bind_double(pointer, index, value);
      }
    }
  };
  const run = (pointer: number) => {
    const rc = api._sqlite3_step(pointer);
    api._sqlite3_reset(pointer);
    if (rc !== SQLITE_DONE) throw failure(rc);
  };
  return {
    fast: true,
    write(batch) {
      const { rows, text } = batch;
      const heap = text.length > 0 ? api._malloc(text.length) : 0;
      if (text.length > 0 && heap === 0) throw new Error('Out of memory for an import batch.');
      try {
        if (heap !== 0) api.writeArrayToMemory(text, heap);
        let row = 0;
        for (; row + ROWS_PER_STATEMENT <= rows; row += ROWS_PER_STATEMENT) {
          for (let k = 0; k < ROWS_PER_STATEMENT; k += 1) bindRow(multi, k * count, batch, heap, row + k);
          run(multi);
        }
        for (; row < rows; row += 1) {
          bindRow(single, 0, batch, heap, row);
          run(single);
        }
      } finally {
        // Nothing may point into the block once it is freed.
        api._sqlite3_clear_bindings(single);
        api._sqlite3_clear_bindings(multi);
        if (heap !== 0) api._free(heap);
      }
    },
    close() {
      for (const statement of statements) statement.free();
    },
  };
}

/** sql.js's usual path: one row per statement run, values converted by sql.js. */
function portableWriter(statement: Statement, options: BulkWriterOptions): BulkWriter {
  const decoder = new TextDecoder();
  const { sources, textSlots, numberSlots } = options;
  const values: SqlValue[] = new Array<SqlValue>(sources.length).fill(null);
  return {
    fast: false,
    write(batch) {
      const { rows, text, textStart, textLength, numbers } = batch;
      for (let row = 0; row < rows; row += 1) {
        sources.forEach((source, p) => {
          if (source.from === 'text') {
            const cell = row * textSlots + source.slot;
            const length = textLength[cell]!;
            values[p] = length < 0 ? null : decoder.decode(text.subarray(textStart[cell]!, textStart[cell]! + length));
          } else {
            const value = numbers[row * numberSlots + source.slot]!;
            values[p] = Number.isNaN(value) ? null : value;
          }
        });
        statement.bind(values);
        statement.step();
        statement.reset();
      }
    },
    close() {
      statement.free();
    },
  };
}
