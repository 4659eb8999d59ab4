import type { BindParams, Database, SqlJsStatic, SqlValue } from 'sql.js';
import { closeDiskFile, diskFileOf } from './disk-syscalls';
import { databaseBytes, forgetFileRoom, openWithRoom } from './file-room';
import { untrackPageWrites } from './page-writes';

export type { SqlValue };

/** Bytes read by position (a database file read from disk, chunk by chunk). */
export interface ByteSource {
  readonly size: number;
  /** Fills `into` from `position` on; returns how many bytes it filled (fewer at the end). */
  read(into: Uint8Array, position: number): number;
}

/** A database file's bytes at one moment (SqlDb.snapshot); released once read. */
export interface DatabaseSnapshot extends ByteSource {
  release(): void;
}

function copyOut(bytes: Uint8Array, into: Uint8Array, position: number): number {
  const part = bytes.subarray(position, position + into.length);
  into.set(part);
  return part.length;
}
export type Row = Record<string, SqlValue>;

/**
 * A thin, typed layer over one sql.js database.
 *
 * sql.js quirks this hides:
 * - a prepared statement lives in the WASM heap until `free()` is called, so every
 *   statement here is freed in a `finally`;
 * - `exec` with parameters runs only the first statement, so parameterised calls go
 *   through `prepare`;
 * - the whole database lives in memory (MEMFS); `export()` returns a consistent copy of
 *   the file as long as no transaction is open.
 */
export class SqlDb {
  private transactionDepth = 0;
  /**
   * Runs before each outermost COMMIT; throwing rolls the whole transaction back (the
   * project's size ceiling: project/size-ceiling.ts).
   */
  beforeCommit: (() => void) | null = null;

  /** Rows changed by `untracked` work, left out of dataChanges. */
  private untrackedChanges = 0;

  constructor(readonly raw: Database) {}

  /**
   * A number that moves whenever a row of the data changes on this connection (SQLite's
   * total_changes(): every row inserted, updated or deleted, rolled back or not), and not
   * for `untracked` work. What is kept from a read (a sorted view, a count) is good while
   * it stays the same.
   */
  dataChanges(): number {
    return Number(this.scalar('SELECT total_changes()')) - this.untrackedChanges;
  }

  /** Runs work that changes no data (filling temporary tables a read keeps) without moving dataChanges. */
  untracked<T>(work: () => T): T {
    const before = Number(this.scalar('SELECT total_changes()'));
    try {
      return work();
    } finally {
      this.untrackedChanges += Number(this.scalar('SELECT total_changes()')) - before;
    }
  }

  /** An empty database, or one opened from a file's bytes; `room`: with room to grow into (file-room.ts openWithRoom). */
  static create(sql: SqlJsStatic, bytes?: Uint8Array, options: { readonly room?: boolean } = {}): SqlDb {
    if (!bytes) return new SqlDb(new sql.Database());
    return new SqlDb(options.room === true ? openWithRoom(sql, bytes) : new sql.Database(bytes));
  }

  /** Runs one or more statements without parameters (schema changes, pragmas). */
  exec(sql: string): void {
    this.raw.exec(sql);
  }

  /** Runs one statement with parameters; returns the number of rows changed. */
  run(sql: string, params?: BindParams): number {
    const statement = this.raw.prepare(sql);
    try {
      if (params !== undefined) statement.bind(params);
      statement.step();
    } finally {
      statement.free();
    }
    return this.raw.getRowsModified();
  }

  all<T extends Row = Row>(sql: string, params?: BindParams): T[] {
    const statement = this.raw.prepare(sql);
    const rows: T[] = [];
    try {
      if (params !== undefined) statement.bind(params);
      while (statement.step()) rows.push(statement.getAsObject() as T);
    } finally {
      statement.free();
    }
    return rows;
  }

  get<T extends Row = Row>(sql: string, params?: BindParams): T | undefined {
    const statement = this.raw.prepare(sql);
    try {
      if (params !== undefined) statement.bind(params);
      return statement.step() ? (statement.getAsObject() as T) : undefined;
    } finally {
      statement.free();
    }
  }

  /** The first column of the first row. */
  scalar(sql: string, params?: BindParams): SqlValue | undefined {
    const statement = this.raw.prepare(sql);
    try {
      if (params !== undefined) statement.bind(params);
      return statement.step() ? statement.get()[0] : undefined;
    } finally {
      statement.free();
    }
  }

  /** The names of the columns a query returns, without running it. */
  columnNames(sql: string): string[] {
    const statement = this.raw.prepare(sql);
    try {
      return statement.getColumnNames();
    } finally {
      statement.free();
    }
  }

  /** Runs `work` in one transaction: all of it is kept, or none (nested calls use savepoints). */
  transaction<T>(work: () => T): T {
    const depth = this.transactionDepth;
    const savepoint = `sp_${depth}`;
    this.raw.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`);
    this.transactionDepth += 1;
    try {
      const result = work();
      if (depth === 0) this.beforeCommit?.();
      this.raw.exec(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`);
      return result;
    } catch (error) {
      this.raw.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
      if (depth === 0) forgetFileRoom(this);
      throw error;
    } finally {
      this.transactionDepth = depth;
    }
  }

  /** Same as `transaction`, for work that awaits (chunked imports that report progress); nested calls use savepoints. */
  async transactionAsync<T>(work: () => Promise<T>): Promise<T> {
    const depth = this.transactionDepth;
    const savepoint = `spa_${depth}`;
    this.raw.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`);
    this.transactionDepth += 1;
    try {
      const result = await work();
      if (depth === 0) this.beforeCommit?.();
      this.raw.exec(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`);
      return result;
    } catch (error) {
      this.raw.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
      if (depth === 0) forgetFileRoom(this);
      throw error;
    } finally {
      this.transactionDepth = depth;
    }
  }

  get inTransaction(): boolean {
    return this.transactionDepth > 0;
  }

  /** A byte-exact copy of the database file (of its pages: a file read from disk may be longer). */
  export(): Uint8Array {
    if (this.transactionDepth > 0) throw new Error('Cannot export the database during a transaction');
    if (!diskFileOf(this)) return this.raw.export();
    const copy = this.snapshot();
    try {
      const bytes = new Uint8Array(copy.size);
      copy.read(bytes, 0);
      return bytes;
    } finally {
      copy.release();
    }
  }

  /**
   * The database file as it is now, to be read while it goes on changing (a recovery copy
   * or a save written out in chunks); release it once read. A database read from disk
   * gives it without a copy in memory (disk-file.ts), one in memory as export() does.
   */
  snapshot(): DatabaseSnapshot {
    if (this.transactionDepth > 0) throw new Error('Cannot copy the database during a transaction');
    const file = diskFileOf(this);
    if (!file) {
      const bytes = this.raw.export();
      return { size: bytes.length, read: (into, position) => copyOut(bytes, into, position), release: () => undefined };
    }
    const size = databaseBytes(this);
    const snapshot = file.snapshot();
    return {
      size,
      read: (into, position) => snapshot.read(into.subarray(0, Math.max(0, Math.min(into.length, size - position))), position),
      release: () => snapshot.release(),
    };
  }

  close(): void {
    forgetFileRoom(this);
    untrackPageWrites(this);
    this.raw.close();
    closeDiskFile(this);
  }
}
