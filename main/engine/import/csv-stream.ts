/**
 * Streams a CSV file as records: bytes from the disk, decoded in the chosen encoding,
 * split by papaparse's parser, chunk by chunk, so a file of any size passes in a bounded
 * amount of memory.
 *
 * Why it is safe at chunk borders:
 * - the TextDecoder runs with `stream: true`, so a character whose bytes are split between
 *   two chunks (UTF-8's 2-4 bytes, UTF-16's 2 or 4) is decoded whole when its last byte
 *   arrives, never as two broken halves;
 * - the parser runs with `ignoreLastRow` until the end of the file: a record cut by the
 *   chunk border (also one whose quoted cell holds line breaks) is held back and parsed
 *   again with the next chunk, as papaparse's own streamers do.
 *
 * Line endings: LF and CRLF files (and files mixing both) are all read with "\n" as the
 * line break, files whose lines end with a lone CR (old Mac) with "\r"; csv-text.ts says
 * how the CR of a CRLF is told from a CR in a quoted value.
 */
import { open } from 'node:fs/promises';
import { CsvTextParser } from './csv-text';
import type { CsvDelimiter, CsvEncoding } from './plan';

export interface CsvReadOptions {
  readonly encoding: CsvEncoding;
  readonly delimiter: CsvDelimiter;
  readonly newline: '\n' | '\r';
  /** Bytes read from the disk at a time. */
  readonly chunkBytes: number;
  /** Refuse bytes that are invalid in the encoding (an import); the preview shows U+FFFD instead. */
  readonly fatal: boolean;
  /** Stop after this many bytes (a preview's sample); the record cut there is dropped. */
  readonly maxBytes?: number;
  /** Read only bytes [start, end) of the file, as if they were the whole of it. */
  readonly byteRange?: { readonly start: number; readonly end: number };
  /** A record still open after this many characters is an unterminated quote (or no CSV). */
  readonly maxRecordChars?: number;
  /** Say which cells were quoted (`RecordChunk.quoted`): the preview's type inference uses it. */
  readonly quotes?: boolean;
  readonly signal?: AbortSignal;
}

export interface RecordChunk {
  readonly records: string[][];
  /** The index in the file (0-based, header included) of the first record. */
  readonly firstIndex: number;
  /** Records (file indices) where papaparse found text after a closing quote. */
  readonly badQuotes: readonly number[];
  /** Bytes of the file read so far. */
  readonly bytesRead: number;
  /** Set on the last chunk when a quoted cell opened at this record is never closed. */
  readonly unterminatedQuoteAt?: number;
  /** Set on the last chunk of a sample that stopped before the end of the file. */
  readonly truncated?: boolean;
  /** With the `quotes` option: for each record, the indices of its quoted cells. */
  readonly quoted?: number[][];
}

/** The file cannot be read as text in the chosen encoding, or as CSV at all. */
export class CsvReadError extends Error {
  constructor(
    readonly kind: 'encoding' | 'long-record',
    message: string,
    readonly byteOffset: number,
    readonly recordIndex: number,
  ) {
    super(message);
    this.name = 'CsvReadError';
  }
}

export const DEFAULT_CHUNK_BYTES = 1 << 20;
export const DEFAULT_MAX_RECORD_CHARS = 8 << 20;

/** Where in a chunk the first byte that is not valid UTF-8 sits (-1: none; a cut sequence at the end is fine). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= n) return -1;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

const ENCODING_NAMES: Record<CsvEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  'windows-1251': 'Windows-1251',
  'windows-1252': 'Windows-1252',
};

export function encodingName(encoding: CsvEncoding): string {
  return ENCODING_NAMES[encoding] ?? encoding;
}

/** Reads records from `path`; see the module comment. */
export async function* readCsvRecords(path: string, options: CsvReadOptions): AsyncGenerator<RecordChunk> {
  const handle = await open(path, 'r');
  try {
    const decoder = new TextDecoder(options.encoding, { fatal: options.fatal });
    const parser = new CsvTextParser({ delimiter: options.delimiter, newline: options.newline });
    const maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
    const buffer = new Uint8Array(options.chunkBytes);
    let pending = '';
    let nextIndex = 0;
    let bytesRead = 0;
    let ended = false;
    while (!ended) {
      if (options.signal?.aborted) return;
      let want = buffer.length;
      if (options.maxBytes !== undefined) want = Math.min(want, options.maxBytes - bytesRead);
      const range = options.byteRange;
      if (range) want = Math.min(want, range.end - range.start - bytesRead);
      const position = range ? range.start + bytesRead : null;
      const { bytesRead: got } = want > 0 ? await handle.read(buffer, 0, want, position) : { bytesRead: 0 };
      const chunk = buffer.subarray(0, got);
      const atEof = got === 0;
      const sampleFull = options.maxBytes !== undefined && bytesRead + got >= options.maxBytes;
      let text: string;
      try {
        text = atEof ? decoder.decode() : decoder.decode(chunk, { stream: true });
      } catch {
        // Where: for UTF-8 the exact byte; the row counts the line breaks before it.
        const at = options.encoding === 'utf-8' ? Math.max(0, firstInvalidUtf8(chunk)) : 0;
        const before = pending + new TextDecoder(options.encoding).decode(chunk.subarray(0, at));
        let row = nextIndex;
        for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) row += 1;
        throw new CsvReadError(
          'encoding',
          `The file is not valid ${encodingName(options.encoding)} text (at byte ${bytesRead + at}, near row ${row + 1}).`,
          bytesRead + at,
          row,
        );
      }
      bytesRead += got;
      // A sample stops where the bytes stop; the record cut there is not shown.
      const last = atEof;
      ended = atEof || sampleFull;
      const input = pending + text;
      if (input.length === 0 && !ended) continue;
      const result = parser.parse(input, !last, options.quotes === true);
      let records = result.records;
      let quoted = result.quoted;
      pending = last ? '' : input.slice(result.cursor);
      let unterminatedQuoteAt: number | undefined;
      const badQuotes: number[] = [];
      for (const error of result.errors) {
        const row = error.row ?? -1;
        // Errors on the held-back last record are found again when it is parsed whole.
        if (row < 0 || row >= records.length) continue;
        if (error.code === 'MissingQuotes') unterminatedQuoteAt = nextIndex + row;
        else if (error.code === 'InvalidQuotes' && badQuotes[badQuotes.length - 1] !== nextIndex + row) badQuotes.push(nextIndex + row);
      }
      if (unterminatedQuoteAt !== undefined) {
        records = records.slice(0, unterminatedQuoteAt - nextIndex);
        quoted = quoted?.slice(0, records.length);
      }
      if (!last && pending.length > maxRecordChars) {
        // A record this long is a quoted cell that never closes (papaparse keeps waiting
        // for its quote), or a file without the chosen line breaks.
        if (pending.includes(options.newline) || pending.includes('\n')) {
          yield { records, firstIndex: nextIndex, badQuotes, bytesRead, unterminatedQuoteAt: nextIndex + records.length, ...(quoted ? { quoted } : {}) };
          return;
        }
        throw new CsvReadError(
          'long-record',
          `Row ${nextIndex + records.length + 1} is longer than ${maxRecordChars.toLocaleString('en-US')} characters: is the delimiter or the line ending right?`,
          bytesRead,
          nextIndex + records.length,
        );
      }
      const chunkOut: RecordChunk = {
        records,
        firstIndex: nextIndex,
        badQuotes,
        bytesRead,
        ...(unterminatedQuoteAt === undefined ? {} : { unterminatedQuoteAt }),
        ...(sampleFull && !atEof ? { truncated: true } : {}),
        ...(quoted ? { quoted } : {}),
      };
      nextIndex += records.length;
      yield chunkOut;
      if (unterminatedQuoteAt !== undefined) return;
    }
  } finally {
    await handle.close();
  }
}
