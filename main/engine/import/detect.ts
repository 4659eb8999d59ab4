/**
 * Guessing how a CSV file is written, from its first bytes: encoding, delimiter, header
 * row, line endings, decimal separator and date order. Every guess is shown to the user,
 * who may change it; where the sample cannot tell (03/04/2024), the guess is "unknown",
 * never a coin toss.
 */
import { EngineError } from '../../../shared/contract/errors';
import { CSV_DELIMITERS, type CsvOptions } from '../../../shared/contract/imports';
import { PROFILE_ID_ALIASES } from '../../../shared/domain/profiles';
import { NameIndex } from '../../../shared/names';
import type { CsvDelimiter, CsvEncoding } from './plan';
import { CsvTextParser, quotesMarkText } from './csv-text';
import { isBlank, parseBoolean, parseDate, parseNumber, readsAsData, type DateOrder } from './convert';

/** Column names that mean the profile ID (the first such column is the ID). */
export const ID_ALIASES = new NameIndex(PROFILE_ID_ALIASES.map((a) => [a, true] as const));

export type LineEnding = 'lf' | 'crlf' | 'cr' | 'mixed' | 'none';

/** Bytes read for detection and the preview's sample. */
export const SAMPLE_BYTES = 1 << 20;

/** Signatures of files people rename to .csv by mistake, with what to tell them. */
const SIGNATURES: readonly { bytes: readonly number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive or an Excel workbook (.xlsx): save it as CSV in Excel first' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Excel workbook (.xls): save it as CSV in Excel first' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive: unpack it first' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], what: 'an SQLite database' },
];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

export interface EncodingGuess {
  readonly encoding: CsvEncoding;
  readonly bom: boolean;
}

/**
 * Refuses what is not CSV text (empty, binary) with a clear message, and tells the
 * encoding: a BOM decides; UTF-16 without one shows as zero bytes in every other place;
 * valid UTF-8 is UTF-8; otherwise Windows-1251 when Cyrillic letters (bytes C0-FF) come in
 * runs, as words do, and Windows-1252 when they sit alone between Latin letters (café).
 */
export function sniffEncoding(sample: Uint8Array, fileName: string): EncodingGuess {
  if (sample.length === 0) throw new EngineError('REFUSED', `"${fileName}" is empty: there is nothing to import.`, { reason: 'empty' });
  if (startsWith(sample, [0xef, 0xbb, 0xbf])) return { encoding: 'utf-8', bom: true };
  if (startsWith(sample, [0xff, 0xfe])) return { encoding: 'utf-16le', bom: true };
  if (startsWith(sample, [0xfe, 0xff])) return { encoding: 'utf-16be', bom: true };
  for (const signature of SIGNATURES) {
    if (startsWith(sample, signature.bytes)) {
      throw new EngineError('REFUSED', `"${fileName}" is not a CSV file: it is ${signature.what}.`, { reason: 'binary' });
    }
  }
  const probe = sample.subarray(0, Math.min(sample.length, 64 * 1024));
  let zerosEven = 0;
  let zerosOdd = 0;
  let controls = 0;
  for (let i = 0; i < probe.length; i += 1) {
    const b = probe[i]!;
    if (b === 0) {
      if (i % 2 === 0) zerosEven += 1;
      else zerosOdd += 1;
    } else if (b < 9 || (b > 13 && b < 32 && b !== 27)) {
      controls += 1;
    }
  }
  const half = probe.length / 2;
  if (half >= 2 && zerosOdd > half * 0.3 && zerosEven === 0) return { encoding: 'utf-16le', bom: false };
  if (half >= 2 && zerosEven > half * 0.3 && zerosOdd === 0) return { encoding: 'utf-16be', bom: false };
  if (zerosEven + zerosOdd > 0 || controls > probe.length * 0.05) {
    throw new EngineError(
      'REFUSED',
      `"${fileName}" is not a CSV file: it holds binary data (zero bytes or control characters), not text.`,
      { reason: 'binary' },
    );
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return { encoding: 'utf-8', bom: false };
  } catch {
    return { encoding: guessSingleByte(sample), bom: false };
  }
}

const isAsciiLetter = (b: number | undefined) => b !== undefined && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));
const isHighLetter = (b: number | undefined) => b !== undefined && (b >= 0xc0 || b === 0xa8 || b === 0xb8);

function guessSingleByte(sample: Uint8Array): 'windows-1251' | 'windows-1252' {
  let cyrillic = 0;
  let latin = 0;
  for (let i = 0; i < sample.length; i += 1) {
    if (!isHighLetter(sample[i])) continue;
    const before = sample[i - 1];
    const after = sample[i + 1];
    if (isHighLetter(before) || isHighLetter(after)) cyrillic += 1;
    if (isAsciiLetter(before) || isAsciiLetter(after)) latin += 1;
  }
  return cyrillic >= latin ? 'windows-1251' : 'windows-1252';
}

/** Decodes a sample for detection and the preview; bytes invalid in the encoding show as U+FFFD. */
export function decodeSample(sample: Uint8Array, encoding: CsvEncoding, complete: boolean): string {
  return new TextDecoder(encoding).decode(sample, { stream: !complete });
}

export function detectLineEnding(text: string): LineEnding {
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) === 10) crlf += 1;
    else cr += 1;
  }
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lf += 1;
  lf -= crlf;
  const kinds = [crlf > 0, lf > 0, cr > 0].filter(Boolean).length;
  if (kinds === 0) return 'none';
  if (kinds > 1) return 'mixed';
  return crlf > 0 ? 'crlf' : lf > 0 ? 'lf' : 'cr';
}

/** The line break papaparse splits on: CRLF and LF files both with "\n" (see csv-stream.ts). */
export function newlineFor(ending: LineEnding): '\n' | '\r' {
  return ending === 'cr' ? '\r' : '\n';
}

/** Parses a decoded sample into records (the last, maybe cut, record dropped unless complete). */
export function parseSample(text: string, delimiter: CsvDelimiter, newline: '\n' | '\r', complete: boolean, maxRecords = 5_001): string[][] {
  const parser = new CsvTextParser({ delimiter, newline, preview: complete ? maxRecords : maxRecords + 1 });
  return parser.parse(text, !complete).records.slice(0, maxRecords);
}

const isBlankRecord = (record: readonly string[]) => record.every(isBlank);

/**
 * The delimiter whose cell counts agree best across the first records: for each candidate,
 * the share of records with the most common count (more than one cell), then the count.
 */
export function detectDelimiter(text: string, newline: '\n' | '\r'): CsvDelimiter {
  let best: { delimiter: CsvDelimiter; share: number; cells: number } = { delimiter: ',', share: 0, cells: 1 };
  for (const delimiter of CSV_DELIMITERS) {
    const records = parseSample(text, delimiter, newline, false, 50).filter((r) => !isBlankRecord(r));
    if (records.length === 0) continue;
    const counts = new Map<number, number>();
    for (const record of records) counts.set(record.length, (counts.get(record.length) ?? 0) + 1);
    let modal = 1;
    let modalRecords = 0;
    for (const [cells, n] of counts) {
      if (n > modalRecords || (n === modalRecords && cells > modal)) [modal, modalRecords] = [cells, n];
    }
    if (modal < 2) continue;
    const share = modalRecords / records.length;
    if (share > best.share + 1e-9 || (Math.abs(share - best.share) < 1e-9 && modal > best.cells)) {
      best = { delimiter, share, cells: modal };
    }
  }
  return best.delimiter;
}

/**
 * A header row names columns: its cells are not numbers or dates, and do not reappear as
 * values in their columns below. A first row with a number or a date in it is data,
 * unless that cell is quoted as text (as the export writes a column named "2024").
 */
export function detectHeader(records: readonly string[][], quotedFirst: readonly number[] = []): boolean {
  const first = records[0];
  if (!first) return false;
  const filled = first.filter((c) => !isBlank(c));
  if (filled.length === 0) return false;
  const quoted = new Set(quotedFirst);
  if (first.some((c, i) => !isBlank(c) && !quoted.has(i) && readsAsData(c))) return false;
  const rest = records.slice(1, 200);
  let recurring = 0;
  first.forEach((cell, column) => {
    if (!isBlank(cell) && rest.some((r) => r[column] === cell)) recurring += 1;
  });
  return recurring * 2 < filled.length;
}

/**
 * "," when the delimiter is not a comma and more numbers in the sample read only with a
 * decimal comma ("12,5") than only with a point ("12.5", "1.5e-7"); "12" reads either way.
 */
export function detectDecimal(records: readonly string[][], delimiter: CsvDelimiter): '.' | ',' {
  if (delimiter === ',') return '.';
  let commas = 0;
  let dots = 0;
  for (const record of records) {
    for (const cell of record) {
      const dot = parseNumber(cell, '.') !== null;
      const comma = parseNumber(cell, ',') !== null;
      if (comma && !dot) commas += 1;
      else if (dot && !comma) dots += 1;
    }
  }
  return commas > dots ? ',' : '.';
}

const LOCAL_DATE_START = /^\s*(\d{1,2})([./-])(\d{1,2})\2\d{4}(?:$|[ T])/;

/**
 * Day first or month first, from evidence only: a first part above 12 (31/12/2024) or
 * dotted dates (31.12.2024, a day-first convention) mean day first; a second part above 12
 * (12/31/2024) means month first. Dates that fit both (03/04/2024) leave it open.
 */
export function detectDateOrder(records: readonly string[][]): { order: DateOrder; ambiguous: boolean } {
  let dmy = 0;
  let mdy = 0;
  let dotted = 0;
  let seen = 0;
  for (const record of records) {
    for (const cell of record) {
      const match = LOCAL_DATE_START.exec(cell);
      if (!match) continue;
      seen += 1;
      const first = Number(match[1]);
      const second = Number(match[3]);
      if (first > 12 && second <= 12) dmy += 1;
      else if (second > 12 && first <= 12) mdy += 1;
      if (match[2] === '.') dotted += 1;
    }
  }
  if (seen === 0) return { order: null, ambiguous: false };
  if (dmy > 0 && mdy === 0) return { order: 'dmy', ambiguous: false };
  if (mdy > 0 && dmy === 0) return { order: 'mdy', ambiguous: false };
  if (dmy === 0 && mdy === 0 && dotted === seen) return { order: 'dmy', ambiguous: false };
  return { order: null, ambiguous: true };
}

export interface DetectedFormat {
  readonly options: CsvOptions;
  readonly bom: boolean;
  readonly lineEnding: LineEnding;
  readonly dateOrderAmbiguous: boolean;
}

/** Everything the preview shows as "detected", from the first bytes of the file. */
export function detectFormat(sample: Uint8Array, complete: boolean, fileName: string): DetectedFormat {
  const { encoding, bom } = sniffEncoding(sample, fileName);
  const text = decodeSample(sample, encoding, complete);
  if (text.trim().length === 0) {
    throw new EngineError('REFUSED', `"${fileName}" is empty: there is nothing to import.`, { reason: 'empty' });
  }
  const lineEnding = detectLineEnding(text);
  const newline = newlineFor(lineEnding);
  const delimiter = detectDelimiter(text, newline);
  const parsed = new CsvTextParser({ delimiter, newline, preview: complete ? 2_000 : 2_001 }).parse(text, !complete, true);
  const rows = parsed.records.slice(0, 2_000).flatMap((record, i) => (isBlankRecord(record) ? [] : [{ record, quoted: parsed.quoted?.[i] ?? [] }]));
  const hasHeader = detectHeader(
    rows.map((r) => r.record),
    rows[0]?.quoted,
  );
  const dataRows = hasHeader ? rows.slice(1) : rows;
  // Profile IDs, and values quoted as text, are no evidence of how numbers and dates are written.
  const textQuoted = quotesMarkText(
    dataRows.map((r) => r.record),
    dataRows.map((r) => r.quoted),
  );
  const ids = hasHeader ? rows[0]!.record.flatMap((cell, i) => (ID_ALIASES.get(cell.trim()) ? [i] : [])) : [];
  const data = dataRows.map(({ record, quoted }) => {
    const blanked = [...ids, ...(textQuoted ? quoted : [])];
    if (blanked.length === 0) return record;
    const copy = [...record];
    for (const i of blanked) if (i < copy.length) copy[i] = '';
    return copy;
  });
  const dates = detectDateOrder(data);
  return {
    options: { encoding, delimiter, hasHeader, decimalSeparator: detectDecimal(data, delimiter), dateOrder: dates.order },
    bom,
    lineEnding,
    dateOrderAmbiguous: dates.ambiguous,
  };
}

/** Whether a cell could be read as a yes/no value: used by type inference. */
export const isBooleanWord = (cell: string) => parseBoolean(cell) !== null && !/^[01]$/.test(cell.trim());

/** The order a date column may be read in when the user has not chosen one: any that fits. */
export const anyDateOrder = (cell: string) => parseDate(cell, 'dmy') !== null || parseDate(cell, 'mdy') !== null;
