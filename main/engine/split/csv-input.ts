/**
 * Reading the input of a stand-alone split: a CSV file read as the import reads it
 * (encoding, delimiter, header and line endings detected, each can be set), its IDs in
 * file order (canonical as the import stores them: trimmed, one formula apostrophe
 * removed) and each row's stratum. Every problem stops the split with the rows named: an
 * empty ID, an ID seen twice, a value that fits no range, a short row.
 */
import { EngineError } from '../../../shared/contract/errors';
import type { CsvOptions } from '../../../shared/contract/imports';
import type { SplitStratum } from '../../../shared/contract/split';
import { PROFILE_ID_ALIASES } from '../../../shared/domain/profiles';
import { formatCount } from '../../../shared/format';
import { ID_SEPARATOR } from '../../../shared/split/hash-ids';
import { ALL_PROFILES } from '../../../shared/split/stratum-scheme';
import type { FileSystem } from '../deps';
import { MAX_ID_CHARS, isBlank, trimCell, unescapeFormulaGuard } from '../import/convert';
import { CsvReadError, readCsvRecords } from '../import/csv-stream';
import { decodeSample, detectFormat, detectLineEnding, newlineFor, SAMPLE_BYTES } from '../import/detect';
import { columnNamesOf, readFileHead } from '../import/file-head';
import { sameName } from '../import/mapping';
import { makeDimension, numberStrata, type Dimension, type StrataTable } from './csv-strata';
import { TextPositions } from './text-positions';

export interface SplitCsvInput {
  readonly fileName: string;
  readonly sizeBytes: number;
  readonly options: CsvOptions;
  /** The ID column's name (header cell or "Column 3"). */
  readonly idColumn: string;
  readonly ids: string[];
  /** The IDs as UTF-8 separated by U+001F, with where each starts and ends. */
  readonly packed: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly strata: StrataTable;
  /** Whether the split is stratified (the output has a stratum column). */
  readonly stratified: boolean;
}

export interface ReadInputArgs {
  readonly path: string;
  readonly idColumn?: string | number | undefined;
  readonly strata: readonly SplitStratum[];
  readonly options?: Partial<CsvOptions> | undefined;
  /** The date ages are counted on ("YYYY-MM-DD"), for age rules. */
  readonly today: string;
  /** Sees every row kept (the simulator reads the other columns of the same rows); optional. */
  readonly collect?: RowCollector | undefined;
  /** What the file is read for, in the messages: a split by default. */
  readonly purpose?: InputPurpose | undefined;
}

/** The words of the messages that say what the file was read for. */
export interface InputPurpose {
  /** "there is nothing to {verb}". */
  readonly verb: string;
  /** "so {result} would not be well defined". */
  readonly result: string;
}

const SPLIT_PURPOSE: InputPurpose = { verb: 'split', result: 'the split' };

/** Reads more of each row than the split needs, with the split's own reading of the file. */
export interface RowCollector {
  /** Once, before any row: the column names, the ID column's index and the options read by. */
  start(names: readonly string[], idIndex: number, options: CsvOptions): void;
  /** Each row kept (a new, filled ID), with its position among the IDs and its row number in the file. */
  row(record: readonly string[], position: number, row: number): void;
}

const CHUNK_BYTES = 1 << 20;
/** Rows named in one error message at most. */
const ROWS_NAMED = 10;

interface Hooks {
  readonly signal: AbortSignal;
  progress(bytesRead: number, total: number): void;
  checkpoint(): Promise<void>;
}

const listRows = (rows: readonly number[], total: number) =>
  `${rows.slice(0, ROWS_NAMED).join(', ')}${total > ROWS_NAMED ? ` and ${formatCount(total - ROWS_NAMED)} more` : ''}`;

/** A column by header name (without case), "#3" or "Column 3" (1-based), or a 0-based index. */
function findColumn(names: readonly string[], wanted: string | number, what: string): number {
  if (typeof wanted === 'number') {
    if (wanted < names.length) return wanted;
    throw new EngineError('INVALID_ARGUMENT', `The ${what} is column ${wanted + 1}, but the file has ${names.length} column${names.length === 1 ? '' : 's'}.`, { column: wanted });
  }
  const text = wanted.trim();
  const byName = names.findIndex((n) => sameName(n, text));
  if (byName >= 0) return byName;
  const position = /^(?:#|column\s*)(\d+)$/i.exec(text);
  if (position) return findColumn(names, Number(position[1]) - 1, what);
  throw new EngineError('NOT_FOUND', `The file has no column "${text}" for the ${what}; its columns are ${names.map((n) => `"${n}"`).join(', ')}.`, { column: text });
}

function defaultIdColumn(names: readonly string[], hasHeader: boolean): number {
  if (hasHeader) {
    const alias = names.findIndex((n) => PROFILE_ID_ALIASES.some((a) => sameName(a, n)));
    if (alias >= 0) return alias;
  }
  if (names.length === 1) return 0;
  throw new EngineError(
    'INVALID_ARGUMENT',
    `No column is named like an ID (${PROFILE_ID_ALIASES.slice(0, 4).join(', ')}, …): choose the ID column; the file has ${names.map((n) => `"${n}"`).join(', ')}.`,
    { columns: [...names] },
  );
}

/** A growing buffer of IDs as UTF-8 bytes separated by U+001F. */
class IdPacker {
  private buffer = new Uint8Array(1 << 20);
  private used = 0;
  private readonly encoder = new TextEncoder();

  add(id: string): void {
    // Up to three bytes per UTF-16 unit, and the separator.
    const need = this.used + id.length * 3 + 1;
    if (need > this.buffer.length) {
      const grown = new Uint8Array(Math.max(need, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.used));
      this.buffer = grown;
    }
    // IDs are never empty, so bytes before mean an ID before.
    if (this.used > 0) this.buffer[this.used++] = ID_SEPARATOR;
    this.used += this.encoder.encodeInto(id, this.buffer.subarray(this.used)).written;
  }

  /** The packed bytes, and where each ID starts and ends. */
  finish(count: number): { packed: Uint8Array; starts: Int32Array; ends: Int32Array } {
    const packed = this.buffer.subarray(0, this.used);
    const starts = new Int32Array(count);
    const ends = new Int32Array(count);
    let start = 0;
    for (let i = 0; i < count; i += 1) {
      let end = packed.indexOf(ID_SEPARATOR, start);
      if (end === -1) end = packed.length;
      starts[i] = start;
      ends[i] = end;
      start = end + 1;
    }
    return { packed, starts, ends };
  }
}

/** Reads the file whole; see the module comment. */
export async function readSplitInput(fs: FileSystem, args: ReadInputArgs, hooks: Hooks): Promise<SplitCsvInput> {
  const purpose = args.purpose ?? SPLIT_PURPOSE;
  const head = await readFileHead(fs, args.path, SAMPLE_BYTES);
  let detected: ReturnType<typeof detectFormat>;
  try {
    detected = detectFormat(head.bytes, head.complete, head.fileName);
  } catch (error) {
    if (error instanceof EngineError && error.details?.reason === 'empty') {
      throw new EngineError('REFUSED', `"${head.fileName}" is empty: there is nothing to ${purpose.verb}.`, error.details);
    }
    throw error;
  }
  const chosen = Object.fromEntries(Object.entries(args.options ?? {}).filter(([, v]) => v !== undefined)) as Partial<CsvOptions>;
  const options: CsvOptions = { ...detected.options, ...chosen };
  const lineEnding =
    options.encoding === detected.options.encoding ? detected.lineEnding : detectLineEnding(decodeSample(head.bytes, options.encoding, head.complete));

  let names: string[] | null = null;
  let idIndex = -1;
  let dimensions: Dimension[] = [];
  const ids: string[] = [];
  // Each ID's position among `ids`, and the row it was read from (a repeated ID names both rows).
  const positions = new TextPositions(ids);
  const rowOf: number[] = [];
  const packer = new IdPacker();
  const combos = new Map<string, number>();
  // With one column, a part's combination number without building a key string.
  const partCombo: number[] = [];
  const comboParts: Int32Array[] = [];
  let rowCombo = new Int32Array(1 << 16);
  const emptyIdRows: number[] = [];
  let emptyIds = 0;
  const duplicates: string[] = [];
  let duplicateCount = 0;
  const shortRows: number[] = [];
  let shortCount = 0;

  const setUp = (first: readonly string[]) => {
    names = columnNamesOf(first, options.hasHeader);
    idIndex = args.idColumn === undefined ? defaultIdColumn(names, options.hasHeader) : findColumn(names, args.idColumn, 'ID column');
    const seen = new Set<number>();
    dimensions = args.strata.map((stratum) => {
      const index = findColumn(names!, stratum.column, 'stratification column');
      if (index === idIndex) throw new EngineError('INVALID_ARGUMENT', `"${names![index]}" is the ID column; it cannot stratify the split.`);
      if (seen.has(index)) throw new EngineError('INVALID_ARGUMENT', `"${names![index]}" is given twice as a stratification column.`);
      seen.add(index);
      return makeDimension(stratum, index, names![index]!, { decimal: options.decimalSeparator, dateOrder: options.dateOrder, today: args.today });
    });
    needed = Math.max(idIndex, ...dimensions.map((d) => d.index)) + 1;
    args.collect?.start(names, idIndex, options);
  };

  // The columns a row must reach (set up with the columns; not recomputed for each of a million rows).
  let needed = 0;
  const addRow = (record: readonly string[], row: number) => {
    const raw = record[idIndex];
    if (raw === undefined || record.length < needed) {
      shortCount += 1;
      if (shortRows.length < ROWS_NAMED) shortRows.push(row);
      return;
    }
    const trimmed = trimCell(raw);
    if (trimmed.length === 0) {
      emptyIds += 1;
      if (emptyIdRows.length < ROWS_NAMED) emptyIdRows.push(row);
      return;
    }
    const id = unescapeFormulaGuard(trimmed);
    if (id.length > MAX_ID_CHARS) {
      throw new EngineError('REFUSED', `Row ${row}: the ID is longer than ${MAX_ID_CHARS} characters.`, { row });
    }
    if (id.includes('\u001f')) {
      throw new EngineError('REFUSED', `Row ${row}: the ID ${JSON.stringify(id)} contains a control character (U+001F), which a split cannot use.`, { row });
    }
    const earlier = positions.add(id);
    if (earlier >= 0) {
      const first = rowOf[earlier]!;
      duplicateCount += 1;
      if (duplicates.length < ROWS_NAMED) duplicates.push(`"${id}" in rows ${first} and ${row}`);
      return;
    }
    rowOf.push(row);
    const position = ids.length;
    ids.push(id);
    packer.add(id);
    args.collect?.row(record, position, row);
    let combo = 0;
    if (dimensions.length === 1) {
      const part = dimensions[0]!.classify(record[dimensions[0]!.index]!, row);
      const known = partCombo[part];
      if (known === undefined) {
        combo = comboParts.length;
        partCombo[part] = combo;
        comboParts.push(Int32Array.of(part));
      } else {
        combo = known;
      }
    } else if (dimensions.length > 1) {
      const parts = Int32Array.from(dimensions, (d) => d.classify(record[d.index]!, row));
      const key = parts.join(',');
      const known = combos.get(key);
      if (known === undefined) {
        combo = comboParts.length;
        combos.set(key, combo);
        comboParts.push(parts);
      } else {
        combo = known;
      }
    }
    if (position >= rowCombo.length) {
      const grown = new Int32Array(rowCombo.length * 2);
      grown.set(rowCombo);
      rowCombo = grown;
    }
    rowCombo[position] = combo;
  };

  const chunks = readCsvRecords(args.path, {
    encoding: options.encoding,
    delimiter: options.delimiter,
    newline: newlineFor(lineEnding),
    chunkBytes: CHUNK_BYTES,
    fatal: true,
    signal: hooks.signal,
  });
  try {
    for await (const chunk of chunks) {
      const badQuote = chunk.badQuotes[0];
      if (badQuote !== undefined) {
        throw new EngineError('REFUSED', `Row ${badQuote + 1} has text after a closing quote: is the delimiter right?`, { row: badQuote + 1 });
      }
      chunk.records.forEach((record, i) => {
        if (record.every(isBlank)) return;
        const row = chunk.firstIndex + i + 1;
        if (names === null) {
          setUp(record);
          if (options.hasHeader) return;
        }
        addRow(record, row);
      });
      if (chunk.unterminatedQuoteAt !== undefined) {
        const row = chunk.unterminatedQuoteAt + 1;
        throw new EngineError('REFUSED', `Row ${row} opens a quote that is never closed.`, { row });
      }
      hooks.progress(chunk.bytesRead, head.size);
      await hooks.checkpoint();
    }
  } catch (error) {
    if (error instanceof CsvReadError) throw new EngineError('REFUSED', error.message, { row: error.recordIndex + 1 });
    throw error;
  } finally {
    await chunks.return(undefined);
  }

  const idName = names === null ? 'ID' : (names[idIndex] ?? 'ID');
  if (emptyIds > 0) {
    throw new EngineError('REFUSED', `${emptyIds === 1 ? 'A row has' : `${formatCount(emptyIds)} rows have`} no ID in column "${idName}": row${emptyIds === 1 ? '' : 's'} ${listRows(emptyIdRows, emptyIds)}.`, {
      rows: emptyIdRows,
    });
  }
  if (duplicateCount > 0) {
    throw new EngineError(
      'REFUSED',
      `${duplicateCount === 1 ? 'An ID appears' : `${formatCount(duplicateCount)} IDs appear`} more than once, so ${purpose.result} would not be well defined: ${duplicates.join('; ')}${duplicateCount > duplicates.length ? `; and ${formatCount(duplicateCount - duplicates.length)} more` : ''}.`,
      { duplicates },
    );
  }
  if (shortCount > 0) {
    throw new EngineError('REFUSED', `${shortCount === 1 ? 'A row is' : `${formatCount(shortCount)} rows are`} too short to hold the ID and stratification columns: row${shortCount === 1 ? '' : 's'} ${listRows(shortRows, shortCount)}.`, {
      rows: shortRows,
    });
  }
  if (ids.length === 0) throw new EngineError('REFUSED', `"${head.fileName}" has no rows with IDs: there is nothing to ${purpose.verb}.`, { reason: 'empty' });

  const count = ids.length;
  const combosIn = comboParts.length === 0 ? [Int32Array.of(0)] : comboParts;
  const strata =
    dimensions.length === 0
      ? { stratumOf: new Int32Array(count), keys: [ALL_PROFILES.key], labels: [ALL_PROFILES.label] }
      : numberStrata(dimensions, rowCombo.subarray(0, count), combosIn);
  return {
    fileName: head.fileName,
    sizeBytes: head.size,
    options,
    idColumn: idName,
    ids,
    ...packer.finish(count),
    strata,
    stratified: dimensions.length > 0,
  };
}
