/**
 * A list of profile IDs from one column of a CSV file, read the way the import reads a
 * file: encoding, delimiter, header row and line endings detected from its first bytes
 * (each can be set), then the whole file streamed in chunks, so a list of millions passes
 * in bounded memory with progress and cancel between chunks.
 */
import { EngineError } from '../../../shared/contract/errors';
import type { CsvOptions } from '../../../shared/contract/imports';
import { PROFILE_ID_ALIASES } from '../../../shared/domain/profiles';
import type { FileSystem } from '../deps';
import { isBlank, trimCell, unescapeFormulaGuard } from '../import/convert';
import { CsvReadError, readCsvRecords } from '../import/csv-stream';
import { decodeSample, detectFormat, detectLineEnding, newlineFor, SAMPLE_BYTES, type DetectedFormat } from '../import/detect';
import { columnNamesOf, readFileHead } from '../import/file-head';
import { sameName } from '../import/mapping';

export interface CsvIdsRequest {
  readonly path: string;
  /** A header name or a 0-based index; by default the ID-like column, or the first. */
  readonly column?: string | number | undefined;
  readonly options?: Partial<CsvOptions> | undefined;
}

export interface CsvIdsHooks {
  readonly signal?: AbortSignal;
  /** Bytes of the file read so far, of its size. */
  progress(bytesRead: number, size: number): void;
  checkpoint(): Promise<void>;
  /** Tells whether a text is a profile ID of the database (to tell a header from a first ID). */
  isProfileId(id: string): boolean;
  /** Takes the IDs of one chunk: trimmed, non-empty, in file order, repeats included. */
  take(ids: string[]): void;
}

export interface CsvIdsResult {
  readonly fileName: string;
  /** The column read, as the user sees it ("customer_id", or "Column 2"). */
  readonly column: string;
  readonly hasHeader: boolean;
  /** Data rows with an ID. */
  readonly ids: number;
}

const CHUNK_BYTES = 1 << 20;

const isIdAlias = (cell: string) => PROFILE_ID_ALIASES.some((alias) => sameName(alias, cell.trim()));

/** Which column holds the IDs, and whether the first record is a header after all. */
function chooseColumn(
  first: readonly string[],
  request: CsvIdsRequest,
  options: CsvOptions,
  fileName: string,
  isProfileId: (id: string) => boolean,
): { index: number; hasHeader: boolean } {
  const count = first.length;
  const plural = count === 1 ? '' : 's';
  let hasHeader = options.hasHeader;
  let index: number;
  const column = request.column;
  if (typeof column === 'number') {
    if (column >= count) {
      throw new EngineError('INVALID_ARGUMENT', `Column ${column + 1} is not in "${fileName}": it has ${count} column${plural}.`, { column });
    }
    index = column;
  } else if (typeof column === 'string') {
    if (!hasHeader) {
      throw new EngineError('INVALID_ARGUMENT', `"${fileName}" has no header row, so its columns have no names: give the column's number instead of "${column}".`, {
        column,
      });
    }
    index = first.findIndex((cell) => sameName(cell.trim(), column.trim()));
    if (index < 0) {
      const names = columnNamesOf(first, true).map((n) => `"${n}"`).join(', ');
      throw new EngineError('INVALID_ARGUMENT', `There is no column "${column}" in "${fileName}"; its column${plural}: ${names}.`, { column });
    }
    return { index, hasHeader: true };
  } else {
    index = hasHeader ? Math.max(0, first.findIndex(isIdAlias)) : 0;
  }
  // A plain list of IDs (codes, e-mails) looks like a header to the detection: its first
  // cell is text that does not recur. When the user did not say, an ID of the database wins.
  const cell = (first[index] ?? '').trim();
  if (hasHeader && request.options?.hasHeader === undefined && !isIdAlias(cell) && cell !== '' && isProfileId(cell)) hasHeader = false;
  return { index, hasHeader };
}

/** Streams the IDs of the chosen column to `hooks.take`; see the module comment. */
export async function readCsvIds(fs: FileSystem, request: CsvIdsRequest, hooks: CsvIdsHooks): Promise<CsvIdsResult> {
  const head = await readFileHead(fs, request.path, SAMPLE_BYTES);
  let detected: DetectedFormat;
  try {
    detected = detectFormat(head.bytes, head.complete, head.fileName);
  } catch (error) {
    if (error instanceof EngineError && error.details?.reason === 'empty') {
      throw new EngineError('REFUSED', `"${head.fileName}" is empty: it holds no profile IDs.`, { reason: 'empty' });
    }
    throw error;
  }
  const chosen = Object.fromEntries(Object.entries(request.options ?? {}).filter(([, v]) => v !== undefined)) as Partial<CsvOptions>;
  const options: CsvOptions = { ...detected.options, ...chosen };
  const lineEnding =
    options.encoding === detected.options.encoding ? detected.lineEnding : detectLineEnding(decodeSample(head.bytes, options.encoding, head.complete));
  const records = readCsvRecords(request.path, {
    encoding: options.encoding,
    delimiter: options.delimiter,
    newline: newlineFor(lineEnding),
    chunkBytes: CHUNK_BYTES,
    fatal: true,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
  });
  let layout: { index: number; hasHeader: boolean; name: string } | null = null;
  let headerSkipped = false;
  let count = 0;
  try {
    for await (const chunk of records) {
      const ids: string[] = [];
      for (const record of chunk.records) {
        if (record.every(isBlank)) continue;
        if (!layout) {
          const chosenColumn = chooseColumn(record, request, options, head.fileName, hooks.isProfileId);
          const names = columnNamesOf(record, chosenColumn.hasHeader);
          layout = { ...chosenColumn, name: names[chosenColumn.index] ?? `Column ${chosenColumn.index + 1}` };
        }
        if (layout.hasHeader && !headerSkipped) {
          headerSkipped = true;
          continue;
        }
        // As the import takes an ID: trimmed, the apostrophe our exports put before =, +, - or @ removed.
        const id = unescapeFormulaGuard(trimCell(record[layout.index] ?? ''));
        if (id !== '') ids.push(id);
      }
      if (chunk.unterminatedQuoteAt !== undefined) {
        throw new EngineError('REFUSED', `A quote opened in row ${chunk.unterminatedQuoteAt + 1} of "${head.fileName}" is never closed: is the delimiter right?`, {
          reason: 'unreadable',
        });
      }
      count += ids.length;
      if (ids.length > 0) hooks.take(ids);
      hooks.progress(chunk.bytesRead, head.size);
      await hooks.checkpoint();
    }
    await hooks.checkpoint();
  } catch (error) {
    if (error instanceof CsvReadError) throw new EngineError('REFUSED', `"${head.fileName}" cannot be read: ${error.message}`, { reason: error.kind });
    throw error;
  } finally {
    await records.return(undefined);
  }
  if (!layout || count === 0) {
    const where = layout ? ` in column "${layout.name}"` : '';
    throw new EngineError('REFUSED', `"${head.fileName}" has no profile IDs${where}.`, { reason: 'empty' });
  }
  return { fileName: head.fileName, column: layout.name, hasHeader: layout.hasHeader, ids: count };
}
