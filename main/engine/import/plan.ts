/**
 * What the engine thread tells the parser (a worker thread, or the engine itself as a
 * fallback) and what comes back: plain, structured-clonable data, with the bulk of each
 * batch in transferable typed arrays, so a batch changes threads without a copy.
 */
import type { ErrorPayload } from '../../../shared/contract/errors';
import type { CsvOptions, ImportProblem } from '../../../shared/contract/imports';
import type { DateOrder, DecimalSeparator } from './convert';

export type CsvEncoding = CsvOptions['encoding'];
export type CsvDelimiter = CsvOptions['delimiter'];

/** How one cell is read: the system fields, or a field type. */
export type CellKind = 'id' | 'subscription' | 'string' | 'enum' | 'number' | 'boolean' | 'date' | 'datetime';

/** Kinds stored as text (UTF-8 bytes in a batch) and as numbers (a Float64Array). */
export const NUMBER_KINDS: ReadonlySet<CellKind> = new Set(['number', 'boolean']);

export interface PlannedColumn {
  /** The column's position in the file. */
  readonly index: number;
  /** Its name for problems: the header cell, or "Column 3". */
  readonly name: string;
  readonly kind: CellKind;
  /** The allowed values of an enum field. */
  readonly enumValues?: readonly string[];
  /** An enum field's values not in the list are added to it (up to MAX_ENUM_VALUES) instead of being problems. */
  readonly addEnumValues?: boolean;
  /** Its slot among the batch's text columns, or among its number columns. */
  readonly slot: number;
  /** An empty cell is a `missing_value` problem (an event's type and time), not "no value". */
  readonly required?: boolean;
  /** A text cell longer than this is a `value_too_long` problem (default MAX_TEXT_CHARS). */
  readonly maxChars?: number;
}

export interface ParsePlan {
  readonly path: string;
  readonly encoding: CsvEncoding;
  readonly delimiter: CsvDelimiter;
  readonly newline: '\n' | '\r';
  /** The header record's index in the file (after any blank lines), or -1 without a header. */
  readonly headerIndex: number;
  readonly decimal: DecimalSeparator;
  readonly dateOrder: DateOrder;
  /** Cells a row must have: the header's, or the first row's without a header. */
  readonly cellCount: number;
  /** The columns that are imported (skipped ones are not read at all). */
  readonly columns: readonly PlannedColumn[];
  readonly textSlots: number;
  readonly numberSlots: number;
  readonly batchRows: number;
  readonly chunkBytes: number;
  /** Problems sent back in full; beyond this they are only counted. */
  readonly maxProblems: number;
  /** Once a row is bad the import will stop: check the rest, but build no more batches. */
  readonly checkOnlyAfterProblem: boolean;
  /**
   * Parse only these bytes of the file (a file split between two parsers; see
   * split-parse.ts). `start` is the first byte of a record; row numbers and byte counts are
   * then relative to it.
   */
  readonly byteRange?: { readonly start: number; readonly end: number };
  /**
   * Leave repeated IDs to the unique index at the end instead of checking them here (a
   * split parse, where the halves cannot see each other's IDs anyway).
   */
  readonly idsCheckedByIndex?: boolean;
  /** The same ID may appear on many rows (events: a row per event, not per profile). */
  readonly idsMayRepeat?: boolean;
}

/**
 * The good rows of a stretch of the file, column by column. Text cells: `text` holds the
 * UTF-8 bytes of all of them; `textStart`/`textLength` (row-major, `textSlots` per row)
 * locate each, length -1 meaning no value. Number cells: `numbers` (row-major,
 * `numberSlots` per row), NaN meaning no value.
 */
export interface BatchMessage {
  readonly type: 'batch';
  readonly rows: number;
  readonly text: Uint8Array;
  readonly textStart: Int32Array;
  readonly textLength: Int32Array;
  readonly numbers: Float64Array;
  /** The row number (as problems count rows) of each row of the batch. */
  readonly rowNumbers: Int32Array;
  /** Problems found since the previous batch (up to the plan's limit in all). */
  readonly problems: ImportProblem[];
  /** Values added to enum fields since the previous batch: [the column's position in the plan, value]. */
  readonly newEnumValues?: readonly (readonly [number, string])[];
  /** Totals so far. */
  readonly rowsRead: number;
  readonly badRows: number;
  readonly problemCount: number;
  readonly bytesRead: number;
}

export interface DoneMessage {
  readonly type: 'done';
  /** Records seen, header and blank lines included: where the next part's row numbers start. */
  readonly records: number;
  readonly rowsRead: number;
  readonly badRows: number;
  readonly problemCount: number;
  readonly bytesRead: number;
  /** A quote never closed: the file cannot be split into rows, so nothing may be imported. */
  readonly unreadable: boolean;
}

export interface FatalMessage {
  readonly type: 'fatal';
  readonly error: ErrorPayload;
}

export type ParserMessage = BatchMessage | DoneMessage | FatalMessage;

/** From the engine to the parse worker. */
export type ParserCommand = { readonly type: 'start'; readonly plan: ParsePlan } | { readonly type: 'ack' };

/** The typed arrays of a batch, to hand over to another thread without copying. */
export function transferListOf(message: ParserMessage): ArrayBuffer[] {
  if (message.type !== 'batch') return [];
  return [message.text.buffer, message.textStart.buffer, message.textLength.buffer, message.numbers.buffer, message.rowNumbers.buffer] as ArrayBuffer[];
}
