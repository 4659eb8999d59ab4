/**
 * CSV text into records: the one way the engine splits CSV (import, preview, detection,
 * split and segment CSVs all come here through csv-stream.ts), papaparse's parser plus the
 * two facts it does not report:
 *
 * - Line endings. CRLF and LF files (and files mixing both) are split on "\n", which
 *   leaves the CR of a CRLF at the end of an unquoted last cell; it is removed here. A
 *   quoted last cell is different: papaparse already skips the CR after its closing quote,
 *   so a CR at the end of its value is data (`1,"abc\r"\r\n` holds "abc\r") and stays.
 * - Which cells were quoted (on request, for the preview): a value that needed no quotes
 *   but was quoted anyway is text, however it reads (see infer.ts).
 *
 * Both need each record's own text. papaparse gives it only through its step callback
 * (the cursor after each record), which costs an object per record, so the usual chunk
 * (no quoted value ends in a CR: the text has no CR before a quote) skips it.
 */
import Papa from 'papaparse';

export interface CsvParseError {
  readonly code: string;
  /** The record (index in this text's records) the error belongs to. */
  readonly row?: number;
}

export interface CsvText {
  readonly records: string[][];
  readonly errors: readonly CsvParseError[];
  /** Where the records read end: the start of the record held back (ignoreLastRow), or the end. */
  readonly cursor: number;
  /** With `quotes`: for each record, the indices of its cells written in quotes. */
  readonly quoted?: number[][];
}

export interface CsvTextOptions {
  readonly delimiter: string;
  readonly newline: '\n' | '\r';
  /** At most this many records. */
  readonly preview?: number;
}

interface PapaResult {
  data: string[][];
  errors: CsvParseError[];
  meta: { cursor: number };
}

const QUOTE = 34;
const CR = 13;

export class CsvTextParser {
  private readonly plain: Papa.Parser;

  constructor(private readonly options: CsvTextOptions) {
    this.plain = new Papa.Parser({ delimiter: options.delimiter, newline: options.newline, quoteChar: '"', ...(options.preview ? { preview: options.preview } : {}) });
  }

  /**
   * Parses `input`; with `ignoreLastRow` the last record (perhaps cut by the end of a
   * chunk) is held back: `cursor` says where it starts.
   */
  parse(input: string, ignoreLastRow: boolean, quotes = false): CsvText {
    const stripCr = this.options.newline === '\n';
    if (!quotes && !(stripCr && input.includes('\r"'))) {
      const result = this.plain.parse(input, 0, ignoreLastRow) as PapaResult;
      if (stripCr) {
        for (const record of result.data) {
          const end = record.length - 1;
          const cell = record[end]!;
          if (cell.charCodeAt(cell.length - 1) === CR) record[end] = cell.slice(0, -1);
        }
      }
      return { records: result.data, errors: result.errors, cursor: result.meta.cursor };
    }
    return this.parseByRecord(input, ignoreLastRow, stripCr, quotes);
  }

  private parseByRecord(input: string, ignoreLastRow: boolean, stripCr: boolean, quotes: boolean): CsvText {
    const { delimiter, newline, preview } = this.options;
    const records: string[][] = [];
    const ends: number[] = [];
    const errors: CsvParseError[] = [];
    const parser = new Papa.Parser({
      delimiter,
      newline,
      quoteChar: '"',
      step: (step: PapaResult) => {
        // One record per step; its errors were counted from 0 (papaparse empties its list).
        for (const error of step.errors) errors.push({ ...error, row: records.length });
        records.push(step.data[0]!);
        ends.push(step.meta.cursor);
      },
    });
    const rest = parser.parse(input, 0, ignoreLastRow) as PapaResult;
    // Errors of the record held back belong to the next parse, which sees it whole.
    for (const error of rest.errors) errors.push({ ...error, row: records.length });
    const count = preview === undefined ? records.length : Math.min(preview, records.length);
    const quoted: number[][] = [];
    for (let i = 0; i < count; i += 1) {
      const start = i === 0 ? 0 : ends[i - 1]!;
      const end = ends[i]! > start && input[ends[i]! - 1] === newline ? ends[i]! - 1 : ends[i]!;
      const cells = quotedCells(input, start, end, delimiter);
      if (quotes) quoted.push(cells);
      const record = records[i]!;
      const last = record.length - 1;
      const cell = record[last]!;
      if (stripCr && cell.charCodeAt(cell.length - 1) === CR && cells[cells.length - 1] !== last) record[last] = cell.slice(0, -1);
    }
    return {
      records: count === records.length ? records : records.slice(0, count),
      errors: errors.filter((e) => (e.row ?? 0) < count),
      cursor: count === records.length ? rest.meta.cursor : ends[count - 1]!,
      ...(quotes ? { quoted } : {}),
    };
  }
}

/**
 * The cells of the record `text[start, end)` that begin with a quote, in order. It follows
 * papaparse for well-formed records (a quote inside a quoted cell is doubled); for a record
 * with text after a closing quote, which the import reports as a problem, it may differ.
 */
export function quotedCells(text: string, start: number, end: number, delimiter: string): number[] {
  const cells: number[] = [];
  let pos = start;
  let cell = 0;
  for (;;) {
    if (pos < end && text.charCodeAt(pos) === QUOTE) {
      cells.push(cell);
      let q = pos + 1;
      for (;;) {
        q = text.indexOf('"', q);
        if (q < 0 || q >= end) return cells;
        if (text.charCodeAt(q + 1) !== QUOTE) break;
        q += 2;
      }
      pos = q + 1;
    }
    const next = text.indexOf(delimiter, pos);
    if (next < 0 || next >= end) return cells;
    pos = next + delimiter.length;
    cell += 1;
  }
}

/**
 * Whether quotes around a value say it is text (our export quotes text that would read
 * as a number, a date or yes/no, and nothing else without need): not in a file that
 * quotes every value, where they say nothing.
 */
export function quotesMarkText(records: readonly (readonly string[])[], quoted: readonly (readonly number[])[]): boolean {
  let filled = 0;
  let filledQuoted = 0;
  for (const [r, record] of records.entries()) {
    for (const cell of record) if (cell.trim() !== '') filled += 1;
    for (const column of quoted[r] ?? []) if ((record[column] ?? '').trim() !== '') filledQuoted += 1;
    if (filledQuoted < filled && filledQuoted > 0) return true;
  }
  return false;
}
