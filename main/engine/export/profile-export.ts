import type { Field } from '../../../shared/contract/databases';
import { EngineError } from '../../../shared/contract/errors';
import type { ExportRequest } from '../../../shared/contract/exports';
import { PROFILE_ID_COLUMN, SUBSCRIPTION_COLUMN, type FieldType, type SubscriptionStatus } from '../../../shared/domain/profiles';
import { countProfiles, fieldColumn, profileTable } from '../databases/profile-table';
import { listFields, requireDatabase } from '../databases/repository';
import type { SqlDb, SqlValue } from '../sqlite/database';
import { readsAsData } from '../import/convert';
import { CsvBuilder, MAX_NUMBER_BYTES, UTF8_BOM, writeBooleanCell, writeNumberCell, writeTextCell } from './csv-builder';
import { GROUP_NAMES, readScope, scopeHasGroups, type ScopeRows } from './scope';
import {
  readFloat,
  readInteger,
  TableScan,
  UnreadableSnapshot,
  VALUE_BLOB,
  VALUE_FLOAT,
  VALUE_INTEGER,
  VALUE_NULL,
  VALUE_TEXT,
  type RecordView,
} from './table-scan';

/**
 * How a column's values are written: as text (quoted, neutralised), a text field's value
 * (also quoted when it would read as another type; csv-builder.ts), a number, or true/false.
 */
type CellKind = 'text' | 'field' | 'number' | 'boolean';

const KIND_OF: Readonly<Record<FieldType, CellKind>> = {
  string: 'field',
  enum: 'field',
  // Dates are stored as ISO text, which never needs quoting or neutralising; treating them
  // as text keeps a damaged or hand-made file from smuggling a formula through a date.
  date: 'text',
  datetime: 'text',
  number: 'number',
  boolean: 'boolean',
};

interface ExportColumn {
  readonly header: string;
  /** The column of the profile table (our own name: profile_id, subscription, f_N), or GROUP_COLUMN. */
  readonly column: string;
  readonly kind: CellKind;
}

/** The `group` column of campaign and run exports: not a table column but the scope's group of each profile. */
const GROUP_COLUMN = '<group>';
const GROUP_HEADER = 'group';

export interface ExportPlan {
  readonly table: string;
  readonly columns: readonly ExportColumn[];
  /** Only these statuses; null for all. */
  readonly statuses: readonly SubscriptionStatus[] | null;
  /** Rows that will be written: the matching profiles, at most the limit. */
  readonly rows: number;
  /** Profiles in the table. */
  readonly tableRows: number;
  readonly delimiter: string;
  readonly bom: boolean;
  /**
   * The profiles of a scoped export (a segment, the GCG, a campaign, a run): their keys
   * ascending with the status filter and the limit applied, so `rows` is their number.
   * Null for the whole database.
   */
  readonly scope: ScopeRows | null;
}

/**
 * The snapshot copies the whole database and reads the whole table: worth it for big
 * exports, not for a few rows (below this many, SQL is quick enough) nor for a small part
 * of a big table (a rare status, an early limit), which SQL finds without the copy.
 */
const SNAPSHOT_MIN_ROWS = 20_000;
const SNAPSHOT_MIN_SHARE = 1 / 8;
/** Bytes built before they are handed to the file (and the user may cancel). */
const CHUNK_BYTES = 2 * 1024 * 1024;
const SQL_BATCH_ROWS = 5_000;

/** Which columns, rows and format an export request means, checked against the database. */
export function planExport(db: SqlDb, args: ExportRequest): ExportPlan {
  requireDatabase(db, args.databaseId);
  const fields = listFields(db, args.databaseId);
  const chosen = args.fieldIds === undefined ? fields : args.fieldIds.map((id) => fieldOf(fields, id));
  if (new Set(chosen.map((f) => f.id)).size !== chosen.length) {
    throw new EngineError('INVALID_ARGUMENT', 'A field is chosen twice; choose each field once.', { fieldIds: args.fieldIds });
  }
  const table = profileTable(args.databaseId);
  const statuses = args.subscription ? [...new Set(args.subscription)] : null;
  const tableRows = countProfiles(db, args.databaseId);
  const scoped = args.scope !== undefined && args.scope.kind !== 'database' ? args.scope : null;
  const scope = scoped ? readScope(db, args.databaseId, table, scoped, statuses, args.limit) : null;
  let rows: number;
  if (scope) rows = scope.keys.length;
  else {
    const matching = statuses
      ? Number(db.scalar(`SELECT COUNT(*) FROM ${table} WHERE subscription IN (${statuses.map(() => '?').join(', ')})`, statuses) ?? 0)
      : tableRows;
    rows = args.limit === undefined ? matching : Math.min(matching, args.limit);
  }
  return {
    table,
    columns: [
      { header: PROFILE_ID_COLUMN, column: 'profile_id', kind: 'text' },
      { header: SUBSCRIPTION_COLUMN, column: 'subscription', kind: 'text' },
      ...(scopeHasGroups(args.scope) ? [{ header: GROUP_HEADER, column: GROUP_COLUMN, kind: 'text' as const }] : []),
      ...chosen.map((f) => ({ header: f.name, column: fieldColumn(f.id), kind: KIND_OF[f.type] })),
    ],
    statuses,
    rows,
    tableRows,
    delimiter: args.delimiter,
    bom: args.bom,
    scope,
  };
}

function fieldOf(fields: readonly Field[], id: number): Field {
  const field = fields.find((f) => f.id === id);
  if (!field) throw new EngineError('NOT_FOUND', `There is no field with id ${id} in this database.`, { fieldId: id });
  return field;
}

/** Where the CSV bytes go, chunk by chunk: `write` may wait for the disk, `progress` lets a cancel in. */
export interface CsvSink {
  write(bytes: Uint8Array): Promise<void>;
  /** Called between chunks with the rows written so far. */
  progress(rows: number): Promise<void>;
}

/**
 * Writes the header and the planned rows, in the order the profiles were added (rowid).
 * Big exports read a snapshot of the database file directly (see table-scan.ts); small
 * ones, and any file the snapshot reader does not understand, go through SQL. Both give
 * the same bytes.
 */
export async function writeProfilesCsv(
  db: SqlDb,
  plan: ExportPlan,
  sink: CsvSink,
  options: { readonly snapshotMinRows?: number } = {},
): Promise<{ rows: number; bytes: number }> {
  const builder = new CsvBuilder(plan.delimiter.charCodeAt(0), CHUNK_BYTES + (CHUNK_BYTES >> 2));
  let bytes = 0;
  const flush = async (rows: number) => {
    if (builder.length > 0) {
      const chunk = builder.takeOwned();
      bytes += chunk.byteLength;
      await sink.write(chunk);
    }
    await sink.progress(rows);
  };
  if (plan.bom) builder.raw(UTF8_BOM);
  // A field named like a number or a date ("2024") is quoted, so the header reads as one.
  for (const column of plan.columns) builder.textString(column.header, readsAsData(column.header) ? 'always' : 'needed');
  builder.endRow();

  const state: ScanState = { written: 0, lastRowid: null, nextKey: 0 };
  const snapshot =
    options.snapshotMinRows === undefined
      ? plan.rows >= SNAPSHOT_MIN_ROWS && plan.rows >= plan.tableRows * SNAPSHOT_MIN_SHARE
      : plan.rows >= options.snapshotMinRows;
  if (snapshot) {
    try {
      await scanSnapshot(db, plan, builder, state, flush);
    } catch (error) {
      if (!(error instanceof UnreadableSnapshot)) throw error;
      // Carry on through SQL after the last row written; nothing is written twice.
    }
  }
  if (state.written < plan.rows) await scanWithSql(db, plan, builder, state, flush);
  await flush(state.written);
  return { rows: state.written, bytes };
}

interface ScanState {
  written: number;
  /** The rowid of the last row written (where the SQL path resumes); null before the first. */
  lastRowid: number | null;
  /** A scoped export: the index of the next key of the scope to write. */
  nextKey: number;
}

/** The group words as UTF-8 bytes (they never need quoting or neutralising). */
const GROUP_BYTES = GROUP_NAMES.map((name) => new TextEncoder().encode(name));
/** The index in a row's column list that stands for the group column (see writeRecordRow). */
const GROUP_INDEX = -2;

async function scanSnapshot(
  db: SqlDb,
  plan: ExportPlan,
  builder: CsvBuilder,
  state: ScanState,
  flush: (rows: number) => Promise<void>,
): Promise<void> {
  const layout = tableLayout(db, plan.table);
  const indexes = Int32Array.from(plan.columns.map((c) => (c.column === GROUP_COLUMN ? GROUP_INDEX : (layout.columns.get(c.column) ?? -1))));
  const statusIndex = layout.columns.get('subscription') ?? -1;
  if (indexes.includes(-1) || statusIndex < 0) throw new UnreadableSnapshot('a column is missing from the table');
  const kinds = Uint8Array.from(plan.columns.map((c) => KIND_CODE[c.kind]));
  const allowed = plan.statuses?.map((s) => new TextEncoder().encode(s)) ?? null;
  // The file as it is now, read page by page (not a copy of it in memory: disk-file.ts);
  // the engine runs one call at a time, so nothing changes the database meanwhile anyway.
  const snapshot = db.snapshot();
  try {
    const scan = new TableScan(snapshot, layout.rootPage, layout.columns.size);
    const scope = plan.scope;
    const keys = scope?.keys ?? null;
    const groups = scope?.groups ?? null;
    for (let leaf = scan.nextLeaf(); leaf !== null; leaf = scan.nextLeaf()) {
      const cells = scan.cellCount(leaf);
      for (let cell = 0; cell < cells; cell += 1) {
        const record = scan.readCell(leaf, cell);
        let group: Uint8Array | null = null;
        if (keys) {
          // A merge join: the table and the scope's keys both ascend.
          const rowid = record.rowid;
          while (state.nextKey < keys.length && keys[state.nextKey]! < rowid) state.nextKey += 1;
          if (state.nextKey >= keys.length) return;
          if (keys[state.nextKey] !== rowid) continue;
          if (groups) group = GROUP_BYTES[groups[state.nextKey]!]!;
          state.nextKey += 1;
        } else if (allowed && !statusIn(record, statusIndex, allowed)) continue;
        writeRecordRow(builder, record, indexes, kinds, group);
        state.written += 1;
        state.lastRowid = record.rowid;
        if (state.written >= plan.rows) return;
      }
      if (builder.length >= CHUNK_BYTES) await flush(state.written);
    }
  } finally {
    snapshot.release();
  }
}

const KIND_TEXT = 0;
const KIND_NUMBER = 1;
const KIND_BOOLEAN = 2;
const KIND_FIELD = 3;
const KIND_CODE: Readonly<Record<CellKind, number>> = { text: KIND_TEXT, number: KIND_NUMBER, boolean: KIND_BOOLEAN, field: KIND_FIELD };
const CELL_KINDS: readonly CellKind[] = ['text', 'number', 'boolean', 'field'];

/**
 * One CSV line from a stored record: the hot loop of a big export, so it writes straight
 * into the builder's buffer after reserving the most the line can take.
 */
function writeRecordRow(builder: CsvBuilder, record: RecordView, indexes: Int32Array, kinds: Uint8Array, group: Uint8Array | null): void {
  const columns = indexes.length;
  let out = builder.reserve(2 * record.size + columns * (MAX_NUMBER_BYTES + 4) + 2);
  let pos = builder.length;
  const bytes = record.bytes;
  const trigger = builder.quoteTrigger;
  for (let i = 0; i < columns; i += 1) {
    if (i > 0) out[pos++] = builder.delimiter;
    const index = indexes[i]!;
    if (index === GROUP_INDEX) {
      // MAX_NUMBER_BYTES per column, reserved above, holds a group word.
      if (group) {
        out.set(group, pos);
        pos += group.length;
      }
      continue;
    }
    // A column added after this row was written is not in its record: no value.
    const cls = index < record.count ? record.classes[index]! : VALUE_NULL;
    if (cls === VALUE_NULL) continue;
    const kind = kinds[i]!;
    const offset = record.offsets[index]!;
    if (cls === VALUE_TEXT && (kind === KIND_TEXT || kind === KIND_FIELD)) {
      pos = writeTextCell(out, pos, bytes, offset, offset + record.lengths[index]!, trigger, kind === KIND_FIELD ? 'typed' : 'needed');
    } else if (cls === VALUE_FLOAT || cls === VALUE_INTEGER) {
      const value = cls === VALUE_FLOAT ? readFloat(bytes, offset) : readInteger(bytes, offset, record.types[index]!);
      pos = kind === KIND_BOOLEAN ? writeBooleanCell(out, pos, value !== 0) : writeNumberCell(out, pos, value);
    } else {
      // Text in a number or yes/no column, or a blob: not made by the app; rare enough
      // to go through the cell API (which may grow the buffer). The delimiter is written.
      builder.commit(pos);
      const raw = bytes.subarray(offset, offset + record.lengths[index]!);
      writeValue(builder, CELL_KINDS[kind]!, cls === VALUE_BLOB && (kind === KIND_TEXT || kind === KIND_FIELD) ? raw : decoder.decode(raw));
      out = builder.reserve(2 * record.size + columns * (MAX_NUMBER_BYTES + 4) + 2);
      pos = builder.length;
    }
  }
  out[pos++] = 0x0d;
  out[pos++] = 0x0a;
  builder.commit(pos);
}

function statusIn(record: RecordView, index: number, allowed: readonly Uint8Array[]): boolean {
  if (index >= record.count || record.classes[index] !== VALUE_TEXT) return false;
  const start = record.offsets[index]!;
  const length = record.lengths[index]!;
  const bytes = record.bytes;
  outer: for (const status of allowed) {
    if (status.byteLength !== length) continue;
    for (let i = 0; i < length; i += 1) if (bytes[start + i] !== status[i]) continue outer;
    return true;
  }
  return false;
}

const decoder = new TextDecoder();

function writeNumeric(builder: CsvBuilder, kind: CellKind, value: number): void {
  if (kind === 'boolean') builder.boolean(value !== 0);
  else builder.number(value);
}

/**
 * A value as sql.js returns it. Text in a number or yes/no column cannot come from the app
 * (imports check types); it is read the way the profile table shows it.
 */
function writeValue(builder: CsvBuilder, kind: CellKind, value: SqlValue): void {
  if (value === null) builder.empty();
  else if (typeof value === 'number') writeNumeric(builder, kind, value);
  else if (kind === 'text' || kind === 'field') {
    const quote = kind === 'field' ? 'typed' : 'needed';
    if (typeof value === 'string') builder.textString(value, quote);
    else builder.text(value, 0, value.byteLength, quote);
  } else {
    const number = Number(typeof value === 'string' ? value : decoder.decode(value));
    if (kind === 'boolean') builder.boolean(number !== 0);
    else if (Number.isFinite(number)) builder.number(number);
    else builder.empty();
  }
}

async function scanWithSql(
  db: SqlDb,
  plan: ExportPlan,
  builder: CsvBuilder,
  state: ScanState,
  flush: (rows: number) => Promise<void>,
): Promise<void> {
  if (plan.scope) {
    await scanScopeWithSql(db, plan, plan.scope, builder, state, flush);
    return;
  }
  const statusFilter = plan.statuses ? `subscription IN (${plan.statuses.map(() => '?').join(', ')})` : '1';
  const columns = plan.columns.map((c) => c.column).join(', ');
  const kinds = plan.columns.map((c) => c.kind);
  while (state.written < plan.rows) {
    const batch = Math.min(SQL_BATCH_ROWS, plan.rows - state.written);
    const after = state.lastRowid;
    // Keyset paging on the rowid: each batch starts where the last one ended.
    const statement = db.raw.prepare(
      `SELECT rowid, ${columns} FROM ${plan.table}
        WHERE ${after === null ? '1' : 'rowid > ?'} AND ${statusFilter} ORDER BY rowid LIMIT ?`,
    );
    let read = 0;
    try {
      statement.bind([...(after === null ? [] : [after]), ...(plan.statuses ?? []), batch]);
      while (statement.step()) {
        const row = statement.get();
        for (let i = 0; i < kinds.length; i += 1) writeValue(builder, kinds[i]!, row[i + 1] ?? null);
        builder.endRow();
        state.lastRowid = Number(row[0]);
        state.written += 1;
        read += 1;
      }
    } finally {
      statement.free();
    }
    if (read < batch) break; // nothing more matches
    if (builder.length >= CHUNK_BYTES) await flush(state.written);
  }
}

/** A scoped export through SQL: the scope's keys, a batch at a time, looked up by rowid. */
async function scanScopeWithSql(
  db: SqlDb,
  plan: ExportPlan,
  scope: ScopeRows,
  builder: CsvBuilder,
  state: ScanState,
  flush: (rows: number) => Promise<void>,
): Promise<void> {
  const stored = plan.columns.filter((c) => c.column !== GROUP_COLUMN);
  const columns = stored.map((c) => `p.${c.column}`).join(', ');
  const { keys, groups } = scope;
  while (state.nextKey < keys.length && state.written < plan.rows) {
    const from = state.nextKey;
    const to = Math.min(keys.length, from + SQL_BATCH_ROWS);
    const statement = db.raw.prepare(
      `SELECT p.rowid, ${columns} FROM json_each(?) j JOIN ${plan.table} p ON p.rowid = j.value ORDER BY j.key`,
    );
    try {
      statement.bind([JSON.stringify(Array.from(keys.subarray(from, to)))]);
      let at = from;
      while (statement.step()) {
        const row = statement.get();
        const rowid = Number(row[0]);
        // A key without a profile (cannot happen: the scope was read with a join) is skipped.
        while (at < to && keys[at]! < rowid) at += 1;
        let value = 1;
        for (const column of plan.columns) {
          if (column.column === GROUP_COLUMN) builder.textString(groups ? GROUP_NAMES[groups[at]!]! : '');
          else writeValue(builder, column.kind, row[value++] ?? null);
        }
        builder.endRow();
        state.lastRowid = rowid;
        state.written += 1;
        at += 1;
      }
    } finally {
      statement.free();
    }
    state.nextKey = to;
    if (builder.length >= CHUNK_BYTES) await flush(state.written);
  }
}

/** Where the table is in the file and which record position holds each column. */
function tableLayout(db: SqlDb, table: string): { rootPage: number; columns: Map<string, number> } {
  const root = db.get<{ rootpage: number; sql: string }>("SELECT rootpage, sql FROM sqlite_schema WHERE type = 'table' AND name = ?", [table]);
  if (!root) throw new UnreadableSnapshot(`no table ${table}`);
  if (/WITHOUT\s+ROWID/i.test(String(root.sql))) throw new UnreadableSnapshot('a WITHOUT ROWID table');
  const columns = new Map<string, number>();
  for (const info of db.all<{ cid: number; name: string; type: string; pk: number }>(`SELECT cid, name, type, pk FROM pragma_table_info(?)`, [table])) {
    // An INTEGER PRIMARY KEY is the rowid itself and is not stored in the record.
    if (Number(info.pk) > 0) throw new UnreadableSnapshot('a column is the rowid');
    columns.set(String(info.name), Number(info.cid));
  }
  return { rootPage: Number(root.rootpage), columns };
}
