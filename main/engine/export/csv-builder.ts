/**
 * CSV text built as UTF-8 bytes, cell by cell, for the profile export.
 *
 * The rules (README, "Exporting profiles"):
 * - RFC 4180: a cell is quoted when it holds the delimiter, a double quote, CR or LF, or
 *   starts or ends with a space or tab (so no reader trims it); quotes inside are doubled.
 *   Lines end with CRLF, the last one too.
 * - Spreadsheet formulas are neutralised the OWASP way (shared/csv-formula-guard.ts): a
 *   text cell that, after any leading apostrophes, starts with = + - @ tab or CR gets one
 *   more leading apostrophe, which the import takes off again.
 * - Numbers are written exactly (reading the text back gives the same double), integers
 *   without a decimal point; they are never neutralised, so -5 stays -5.
 * - Yes/no values are written as true and false.
 * - A text field's value that would read as a number, a date or yes/no ("12", "true",
 *   "2024-01-31") is quoted, which it needs for nothing else: the import then reads it as
 *   text (infer.ts), so export then import keeps every field's type. Profile IDs are not
 *   (their column is the ID whatever it holds); a field name is quoted when it would read
 *   as a number or a date, which would make the header look like data (detect.ts).
 *
 * Text arrives as UTF-8 bytes (straight from the database file, or encoded once), so the
 * checks look at single bytes: every special character is ASCII, and no byte of a
 * multi-byte UTF-8 sequence is below 0x80.
 */

import { FORMULA_START_CHARS } from '../../../shared/csv-formula-guard';
import { readsAsTyped } from '../import/convert';

const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;

/** Bytes that start a formula in a spreadsheet (after any apostrophes). */
const FORMULA_START = new Uint8Array(256);
for (const c of FORMULA_START_CHARS) FORMULA_START[c.charCodeAt(0)] = 1;

const DIGIT = 0x30;
const MAX_EXACT_INTEGER = Number.MAX_SAFE_INTEGER;

/** The bytes that force a cell to be quoted: the delimiter, the double quote, CR and LF. */
export interface QuoteTrigger {
  readonly table: Uint8Array;
  readonly highest: number;
}

export function quoteTriggerFor(delimiter: number): QuoteTrigger {
  const bytes = [delimiter, QUOTE, CR, LF];
  const table = new Uint8Array(256);
  for (const b of bytes) table[b] = 1;
  return { table, highest: Math.max(...bytes) };
}

/**
 * First bytes of text that may read as a number, a date or yes/no: digits, ".", ",", the
 * first letters of the yes/no words (true, false, yes, no, y, n, да, нет, any case), and
 * whitespace that no other rule quotes (VT, FF, and the lead bytes of Unicode spaces).
 * Only such text is decoded and checked, so most text costs one table lookup.
 */
const TYPED_START = new Uint8Array(256);
for (const c of '0123456789.,tfynTFYN\u000b\u000c') TYPED_START[c.charCodeAt(0)] = 1;
for (const b of [0xc2, 0xd0, 0xe1, 0xe2, 0xe3, 0xef]) TYPED_START[b] = 1;
const utf8 = new TextDecoder();

const isAsciiLetter = (b: number) => (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a;

function readsAsTypedBytes(source: Uint8Array, start: number, end: number): boolean {
  const first = source[start]!;
  if (TYPED_START[first] !== 1) return false;
  if (isAsciiLetter(first)) {
    // Only a yes/no word (at most 5 letters) can read as another type: "female" cannot.
    let p = start + 1;
    while (p < end && isAsciiLetter(source[p]!)) p += 1;
    if (p - start > 5) return false;
  } else if (first === 0xd0 || first === 0xc2) {
    // Of the two-byte characters, only Д, д, Н, н (да, нет) and the no-break space.
    const second = source[start + 1];
    if (first === 0xc2 ? second !== 0xa0 : second !== 0x94 && second !== 0xb4 && second !== 0x9d && second !== 0xbd) return false;
  }
  return readsAsTyped(utf8.decode(source.subarray(start, end)));
}

/**
 * When a text cell is quoted: when RFC 4180 needs it; also when it would read as another
 * type (a text field's value); or always (a header cell that would read as data).
 */
export type QuoteRule = 'needed' | 'typed' | 'always';

/**
 * Writes a text cell (quoted and neutralised as needed) from UTF-8 bytes
 * `source[start, end)` into `out` at `pos`; returns the position after it. `out` must have
 * room for 2 * (end - start) + 3 bytes (every byte a doubled quote, two quotes, one
 * apostrophe).
 */
export function writeTextCell(
  out: Uint8Array,
  pos: number,
  source: Uint8Array,
  start: number,
  end: number,
  quoteTrigger: QuoteTrigger,
  quote: QuoteRule = 'needed',
): number {
  if (end <= start) return pos;
  let i = start;
  while (i < end && source[i] === APOSTROPHE) i += 1;
  const neutralise = i < end && FORMULA_START[source[i]!] === 1;
  const first = source[start]!;
  const last = source[end - 1]!;
  const forced = quote === 'always' || (quote === 'typed' && !neutralise && readsAsTypedBytes(source, start, end));
  if (!forced && first !== SPACE && first !== TAB && last !== SPACE && last !== TAB) {
    // The usual case, in one pass: copy as is until a byte that needs quoting turns up.
    let p = pos;
    if (neutralise) out[p++] = APOSTROPHE;
    // The bytes that force quoting are all at or below `quoteTrigger.highest`; most text
    // bytes are letters above it, so the table is rarely looked at.
    const highest = quoteTrigger.highest;
    const table = quoteTrigger.table;
    let k = start;
    for (; k < end; k += 1) {
      const b = source[k]!;
      if (b <= highest && table[b] === 1) break;
      out[p++] = b;
    }
    if (k === end) return p;
  }
  let p = pos;
  out[p++] = QUOTE;
  if (neutralise) out[p++] = APOSTROPHE;
  for (let k = start; k < end; k += 1) {
    const b = source[k]!;
    out[p++] = b;
    if (b === QUOTE) out[p++] = QUOTE;
  }
  out[p++] = QUOTE;
  return p;
}

/** Room a number needs at most ("-1.2345678901234567e-308"). */
export const MAX_NUMBER_BYTES = 32;

/**
 * Writes a number exactly into `out` at `pos`; returns the position after it. Integers as
 * digits; values with at most two decimals (prices) as such; anything else as JavaScript's
 * shortest round-trip text ("0.30000000000000004", "1e+21", "1.5e-7"). Each form reads back
 * as the same double.
 */
export function writeNumberCell(out: Uint8Array, pos: number, value: number): number {
  let p = pos;
  let x = value;
  if (Number.isInteger(x) && Math.abs(x) <= MAX_EXACT_INTEGER) {
    if (x < 0) {
      out[p++] = 0x2d;
      x = -x;
    }
    return writeDigits(out, p, x);
  }
  // k / 100 is the double nearest to the decimal k/100, exactly as parsing "k/100" gives;
  // below 1e12 doubles are far denser than 0.01, so this text is also the shortest.
  if (Math.abs(x) < 1e12) {
    let k = Math.round(x * 100);
    if (k / 100 === x) {
      if (k < 0) {
        out[p++] = 0x2d;
        k = -k;
      }
      p = writeDigits(out, p, Math.floor(k / 100));
      const cents = k % 100;
      out[p++] = 0x2e;
      out[p++] = DIGIT + Math.floor(cents / 10);
      if (cents % 10 !== 0) out[p++] = DIGIT + (cents % 10);
      return p;
    }
  }
  const text = String(x);
  for (let i = 0; i < text.length; i += 1) out[p++] = text.charCodeAt(i);
  return p;
}

/** A non-negative safe integer in decimal. */
function writeDigits(out: Uint8Array, pos: number, value: number): number {
  if (value < 10) {
    out[pos] = DIGIT + value;
    return pos + 1;
  }
  let count = 1;
  for (let t = value; t >= 10; t = Math.floor(t / 10)) count += 1;
  let p = pos + count;
  for (let t = value; p > pos; t = Math.floor(t / 10)) out[--p] = DIGIT + (t % 10);
  return pos + count;
}

const TRUE = new TextEncoder().encode('true');
const FALSE = new TextEncoder().encode('false');

export function writeBooleanCell(out: Uint8Array, pos: number, value: boolean): number {
  const word = value ? TRUE : FALSE;
  out.set(word, pos);
  return pos + word.byteLength;
}

/**
 * A growing buffer of CSV bytes with a cell-at-a-time API. Hot loops may write into
 * `reserve(n)`'s buffer directly with the functions above and `commit` the new position.
 */
export class CsvBuilder {
  private buffer: Uint8Array;
  private used = 0;
  private cellsInRow = 0;
  readonly quoteTrigger: QuoteTrigger;
  private readonly encoder = new TextEncoder();

  constructor(
    readonly delimiter: number,
    initialBytes = 1 << 20,
  ) {
    this.buffer = new Uint8Array(initialBytes);
    this.quoteTrigger = quoteTriggerFor(delimiter);
  }

  /** Bytes built so far. */
  get length(): number {
    return this.used;
  }

  /** Hands the bytes built so far over (for an asynchronous write) and continues in a fresh buffer. */
  takeOwned(): Uint8Array {
    const bytes = this.buffer.subarray(0, this.used);
    this.buffer = new Uint8Array(this.buffer.byteLength);
    this.used = 0;
    return bytes;
  }

  /** Makes room for `bytes` more and returns the buffer to write them to, from `length` on. */
  reserve(bytes: number): Uint8Array {
    this.ensure(bytes);
    return this.buffer;
  }

  /**
   * After writing into `reserve`'s buffer: where the bytes now end. The next cell method
   * starts as if at the start of a line (no delimiter before it), so a line written by
   * hand either ends with CRLF here or has just written its delimiter.
   */
  commit(position: number): void {
    this.used = position;
    this.cellsInRow = 0;
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.byteLength);
    this.buffer.set(bytes, this.used);
    this.used += bytes.byteLength;
  }

  /** Ends the current line with CRLF. */
  endRow(): void {
    this.ensure(2);
    this.buffer[this.used++] = CR;
    this.buffer[this.used++] = LF;
    this.cellsInRow = 0;
  }

  empty(): void {
    this.beginCell(0);
  }

  /** A text cell from UTF-8 bytes `source[start, end)`. */
  text(source: Uint8Array, start: number, end: number, quote: QuoteRule = 'needed'): void {
    this.beginCell(2 * (end - start) + 3);
    this.used = writeTextCell(this.buffer, this.used, source, start, end, this.quoteTrigger, quote);
  }

  /** A text cell from a JavaScript string (header names, values read through SQL). */
  textString(value: string, quote: QuoteRule = 'needed'): void {
    const bytes = this.encoder.encode(value);
    this.text(bytes, 0, bytes.byteLength, quote);
  }

  number(value: number): void {
    this.beginCell(MAX_NUMBER_BYTES);
    this.used = writeNumberCell(this.buffer, this.used, value);
  }

  boolean(value: boolean): void {
    this.beginCell(5);
    this.used = writeBooleanCell(this.buffer, this.used, value);
  }

  /** Writes the delimiter before every cell but the first of a line; makes room for `bytes` more. */
  private beginCell(bytes: number): void {
    this.ensure(bytes + 1);
    if (this.cellsInRow > 0) this.buffer[this.used++] = this.delimiter;
    this.cellsInRow += 1;
  }

  private ensure(extra: number): void {
    if (this.used + extra <= this.buffer.byteLength) return;
    const grown = new Uint8Array(Math.max(this.buffer.byteLength * 2, this.used + extra));
    grown.set(this.buffer.subarray(0, this.used));
    this.buffer = grown;
  }
}

/** A UTF-8 byte order mark: tells Excel the file is UTF-8. */
export const UTF8_BOM = new Uint8Array([0xef, 0xbb, 0xbf]);
