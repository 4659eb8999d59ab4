/**
 * The start of every CSV import (profiles and events): what the file is, before anything
 * changes (refused early if it is empty, not text, or too wide), and the parse plan for the
 * parser, from the CSV options and the planned columns.
 */
import type { CsvOptions } from '../../../shared/contract/imports';
import { EngineError } from '../../../shared/contract/errors';
import type { FileSystem } from '../deps';
import { decodeSample, detectLineEnding, newlineFor, sniffEncoding } from './detect';
import { columnNamesOf, readFileHead, readFirstRecord, type FileHead } from './file-head';
import { checkColumnCount } from './mapping';
import type { ParsePlan, PlannedColumn } from './plan';

const HEAD_BYTES = 64 * 1024;

export interface CsvStart {
  readonly head: FileHead;
  readonly newline: '\n' | '\r';
  /** The first record's index (after blank lines) and cells. */
  readonly first: { readonly index: number; readonly record: readonly string[] };
  /** The columns as the user sees them: the header cells, or "Column 3". */
  readonly columnNames: string[];
}

export async function readCsvStart(fs: FileSystem, path: string, csv: CsvOptions): Promise<CsvStart> {
  const head = await readFileHead(fs, path, HEAD_BYTES);
  sniffEncoding(head.bytes, head.fileName);
  const newline = newlineFor(detectLineEnding(decodeSample(head.bytes, csv.encoding, head.complete)));
  const first = await readFirstRecord(path, { encoding: csv.encoding, delimiter: csv.delimiter, newline });
  if (!first) throw new EngineError('REFUSED', `"${head.fileName}" has no rows: there is nothing to import.`, { reason: 'empty' });
  checkColumnCount(head.fileName, first.record.length);
  return { head, newline, first, columnNames: columnNamesOf(first.record, csv.hasHeader) };
}

export interface PlanTuning {
  readonly batchRows: number;
  readonly chunkBytes: number;
  readonly maxProblems: number;
}

/** The parser's plan for the file, reading `columns` (see mapping.ts planColumns). */
export function parsePlanOf(
  path: string,
  csv: CsvOptions,
  start: CsvStart,
  planned: { readonly columns: readonly PlannedColumn[]; readonly textSlots: number; readonly numberSlots: number },
  tuning: PlanTuning,
  onBadRows: 'stop' | 'skip',
): ParsePlan {
  return {
    path,
    encoding: csv.encoding,
    delimiter: csv.delimiter,
    newline: start.newline,
    headerIndex: csv.hasHeader ? start.first.index : -1,
    decimal: csv.decimalSeparator,
    dateOrder: csv.dateOrder,
    cellCount: start.first.record.length,
    columns: planned.columns,
    textSlots: planned.textSlots,
    numberSlots: planned.numberSlots,
    batchRows: tuning.batchRows,
    chunkBytes: tuning.chunkBytes,
    maxProblems: tuning.maxProblems,
    checkOnlyAfterProblem: onBadRows === 'stop',
  };
}
