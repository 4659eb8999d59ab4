/**
 * Reading a campaign's outcome file: the stand-alone split's own reader (readSplitInput:
 * the same detection, CSV options, ID column, canonical IDs, empty and repeated IDs, and
 * their messages, as `cplan split`), with a collector here that reads every other column as
 * an outcome. A cell is a number (in the file's decimal notation) or a yes/no word (1/0); an
 * empty cell is no value. A column of only 0/1 and yes/no words is binary, a column of
 * numbers continuous; any other cell (text, a date), or a column that mixes yes/no words
 * with other numbers, stops the import, naming the row, the column and the value.
 */
import { EngineError } from '../../../shared/contract/errors';
import { MAX_OUTCOME_COLUMNS, OUTCOME_COLUMN_MAX } from '../../../shared/contract/analytics';
import type { CsvOptions } from '../../../shared/contract/imports';
import { NameIndex } from '../../../shared/names';
import { isBlank, parseBoolean, parseNumber, problemValue, trimCell } from '../import/convert';
import type { HandlerContext } from '../registry';
import { Grow } from '../simulate/csv-rows';
import { readSplitInput, type InputPurpose, type RowCollector, type SplitCsvInput } from '../split/csv-input';

const PURPOSE: InputPurpose = { verb: 'import', result: "each profile's outcome" };

/** One outcome column as read: its values by position among the file's IDs (NaN: empty cell). */
export interface OutcomeValues {
  readonly name: string;
  readonly binary: boolean;
  readonly values: Float64Array;
}

export interface OutcomeInput {
  readonly input: SplitCsvInput;
  readonly columns: readonly OutcomeValues[];
}

/** A cell seen in the file, for a message. */
interface Seen {
  readonly row: number;
  readonly cell: string;
}

const quoted = (cell: string) => JSON.stringify(problemValue(trimCell(cell)));

class OutcomeColumnReader {
  private readonly numbers = new Grow(new Float64Array(1024));
  /** The first yes/no word, and the first number other than 0 and 1: both in one column is neither kind. */
  private firstWord: Seen | null = null;
  private firstOther: Seen | null = null;
  private present = 0;

  constructor(
    readonly name: string,
    readonly index: number,
  ) {}

  add(cell: string | undefined, position: number, row: number, options: CsvOptions): void {
    if (cell === undefined || isBlank(cell)) {
      this.numbers.set(position, Number.NaN);
      return;
    }
    this.present += 1;
    let value = parseNumber(cell, options.decimalSeparator);
    if (value === null) {
      value = parseBoolean(cell);
      if (value === null) {
        throw new EngineError(
          'REFUSED',
          `Row ${row}, column "${this.name}": ${quoted(cell)} is neither a number (the decimal separator is "${options.decimalSeparator}") nor yes/no. An outcome column holds numbers, or 0/1 or yes/no for a binary outcome; nothing was imported.`,
          { row, column: this.name, value: problemValue(cell) },
        );
      }
      this.firstWord ??= { row, cell };
    } else if (value !== 0 && value !== 1) {
      this.firstOther ??= { row, cell };
    }
    if (this.firstWord && this.firstOther) {
      const { firstWord: word, firstOther: other } = this;
      throw new EngineError(
        'REFUSED',
        `Column "${this.name}" mixes yes/no words (row ${word.row}: ${quoted(word.cell)}) with numbers other than 0 and 1 (row ${other.row}: ${quoted(other.cell)}): use 0/1 or yes/no for a binary outcome, numbers for another; nothing was imported.`,
        { column: this.name, rows: [word.row, other.row] },
      );
    }
    this.numbers.set(position, value);
  }

  finish(count: number): OutcomeValues {
    // A column without any value is not binary: nothing says it is.
    return { name: this.name, binary: this.firstOther === null && this.present > 0, values: this.numbers.take(count) };
  }
}

/** The outcome columns of a header: every column but the ID column, each name once, within the limits. */
function outcomeColumns(names: readonly string[], idIndex: number): OutcomeColumnReader[] {
  const readers = names.flatMap((name, index) => (index === idIndex ? [] : [new OutcomeColumnReader(name, index)]));
  if (readers.length === 0) {
    throw new EngineError('REFUSED', `The file has only the ID column "${names[idIndex] ?? ''}": an outcome file needs one or more outcome columns next to it.`);
  }
  if (readers.length > MAX_OUTCOME_COLUMNS) {
    throw new EngineError('REFUSED', `The file has ${readers.length} outcome columns; an outcome file may have at most ${MAX_OUTCOME_COLUMNS}. Keep the columns you will analyse.`, {
      columns: readers.length,
    });
  }
  const long = readers.find((r) => r.name.length > OUTCOME_COLUMN_MAX);
  if (long) {
    throw new EngineError('REFUSED', `The name of column ${long.index + 1} ("${long.name.slice(0, 40)}…") is longer than ${OUTCOME_COLUMN_MAX} characters: shorten it.`, {
      column: long.index + 1,
    });
  }
  // A metric names its column: two columns of one name (without case) could not be told apart.
  const byName = new NameIndex(readers.map((r) => [r.name, r] as const));
  for (const reader of readers) {
    const same = byName.all(reader.name);
    if (same.length > 1) {
      throw new EngineError('REFUSED', `Columns ${same.map((r) => r.index + 1).join(' and ')} are both named "${reader.name}": rename one, so a metric can name each.`, {
        column: reader.name,
      });
    }
  }
  return readers;
}

/** Reads the outcome file whole (progress in bytes; cancel between chunks); nothing is written. */
export async function readOutcomeInput(
  ctx: HandlerContext,
  args: { readonly path: string; readonly idColumn?: string | number | undefined; readonly options?: Partial<CsvOptions> | undefined; readonly today: string },
): Promise<OutcomeInput> {
  let readers: OutcomeColumnReader[] = [];
  let options: CsvOptions | null = null;
  const collect: RowCollector = {
    start(names, idIndex, read) {
      options = read;
      readers = outcomeColumns(names, idIndex);
    },
    row(record, position, row) {
      for (const r of readers) r.add(record[r.index], position, row, options!);
    },
  };
  const phase = 'Reading the outcome file';
  const input = await readSplitInput(
    ctx.deps.fs,
    { path: args.path, idColumn: args.idColumn, strata: [], options: args.options, today: args.today, collect, purpose: PURPOSE },
    { signal: ctx.signal, progress: (done, total) => ctx.progress(phase, done, total, 'bytes'), checkpoint: () => ctx.checkpoint() },
  );
  return { input, columns: readers.map((r) => r.finish(input.ids.length)) };
}
