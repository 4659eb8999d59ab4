/**
 * The good rows of an events import, held compactly in typed arrays while the file is
 * read (about 40 bytes a row instead of a staging table in SQLite), so they can be put in
 * the order of the events' main index before they are written: SQLite then appends to
 * that index instead of sorting it (a sort inside SQLite's WebAssembly costs about as much
 * as the rest of the import).
 *
 * - a row's time is kept as the number YYYYMMDDHHMMSS (it sorts as the stored text
 *   "YYYY-MM-DDTHH:MM:SS" does) and written back as that text;
 * - types are interned (one code per distinct type);
 * - notes are UTF-8 bytes in a pool of blocks.
 * Sorting is a radix sort on 16-bit digits (a few passes over flat arrays): much faster
 * than a comparison sort of millions of rows.
 * Columns are stored in blocks of 65,536 rows, so growing never copies what is there.
 */
import { Buffer } from 'node:buffer';
import type { BulkRows } from '../import/bulk-writer';

const SHIFT = 16;
const BLOCK = 1 << SHIFT;
const MASK = BLOCK - 1;
const NOTE_BLOCK = 4 * 1024 * 1024;
const AT_CHARS = 19;
const encoder = new TextEncoder();

/** "YYYY-MM-DDTHH:MM:SS" as the number YYYYMMDDHHMMSS, or null when it is not of that form. */
export function atNumber(bytes: Uint8Array, start: number, length: number): number | null {
  if (length !== AT_CHARS) return null;
  let n = 0;
  for (let i = 0; i < AT_CHARS; i += 1) {
    const c = bytes[start + i]!;
    if (i === 4 || i === 7 || i === 10 || i === 13 || i === 16) continue;
    const digit = c - 48;
    if (digit < 0 || digit > 9) return null;
    n = n * 10 + digit;
  }
  return n;
}

/** The number YYYYMMDDHHMMSS as "YYYY-MM-DDTHH:MM:SS", written at `at` in `out`. */
function writeAt(n: number, out: Uint8Array, at: number): void {
  let rest = n;
  for (let i = AT_CHARS - 1; i >= 0; i -= 1) {
    if (i === 4 || i === 7) out[at + i] = 45; // -
    else if (i === 10) out[at + i] = 84; // T
    else if (i === 13 || i === 16) out[at + i] = 58; // :
    else {
      out[at + i] = 48 + (rest % 10);
      rest = Math.floor(rest / 10);
    }
  }
}

export class EventRows {
  length = 0;
  private readonly keys: Int32Array[] = [];
  private readonly types: Uint32Array[] = [];
  private readonly ats: Float64Array[] = [];
  private readonly amounts: Float64Array[] = [];
  /** A note's place in the pool (block * NOTE_BLOCK + offset), and its length in bytes (-1: none). */
  private readonly notePlaces: Float64Array[] = [];
  private readonly noteLengths: Int32Array[] = [];
  private readonly notePool: Uint8Array[] = [];
  private noteUsed = NOTE_BLOCK;
  private readonly typeCodes = new Map<string, number>();
  private readonly typeNames: string[] = [];
  private readonly typeBytes: Uint8Array[] = [];

  /** The code of a type, interned on first sight. */
  typeCode(type: string): number {
    let code = this.typeCodes.get(type);
    if (code === undefined) {
      code = this.typeNames.length;
      this.typeCodes.set(type, code);
      this.typeNames.push(type);
      this.typeBytes.push(encoder.encode(type));
    }
    return code;
  }

  /** Adds a row; the note is `length` bytes of `bytes` from `start` (length -1: no note). */
  add(key: number, type: number, at: number, amount: number, bytes: Uint8Array, start: number, length: number): void {
    const i = this.length;
    const b = i >>> SHIFT;
    if (b === this.keys.length) {
      this.keys.push(new Int32Array(BLOCK));
      this.types.push(new Uint32Array(BLOCK));
      this.ats.push(new Float64Array(BLOCK));
      this.amounts.push(new Float64Array(BLOCK));
      this.notePlaces.push(new Float64Array(BLOCK));
      this.noteLengths.push(new Int32Array(BLOCK));
    }
    const o = i & MASK;
    this.keys[b]![o] = key;
    this.types[b]![o] = type;
    this.ats[b]![o] = at;
    this.amounts[b]![o] = amount;
    this.noteLengths[b]![o] = length;
    if (length >= 0) {
      if (this.noteUsed + length > NOTE_BLOCK) {
        this.notePool.push(new Uint8Array(Math.max(NOTE_BLOCK, length)));
        this.noteUsed = 0;
      }
      const block = this.notePool.length - 1;
      this.notePool[block]!.set(bytes.subarray(start, start + length), this.noteUsed);
      this.notePlaces[b]![o] = block * NOTE_BLOCK + this.noteUsed;
      this.noteUsed += length;
    }
    this.length += 1;
  }

  /** Adds a row given as text (ASCII times; any note): for rows made by the app itself. */
  addText(key: number, type: number, at: string, amount: number | null, note: string | null): void {
    const time = encoder.encode(at);
    const n = atNumber(time, 0, time.length);
    if (n === null) throw new Error(`Not an event time: ${at}`);
    const bytes = note === null ? time : encoder.encode(note);
    this.add(key, type, n, amount ?? Number.NaN, bytes, 0, note === null ? -1 : bytes.length);
  }

  /** The rows in the order of events_N: type, time, profile, then as added. */
  orderByTypeAndTime(): Uint32Array {
    // Types rank as SQLite compares text (BINARY: by UTF-8 bytes).
    const ranked = this.typeBytes.map((bytes, code) => ({ bytes, code })).sort((a, b) => Buffer.compare(a.bytes, b.bytes));
    const rank = new Uint32Array(ranked.length);
    ranked.forEach(({ code }, r) => (rank[code] = r));
    return this.sorted([...this.profileDigits(), ...this.atDigits(), ...this.digits((i) => rank[this.types[i >>> SHIFT]![i & MASK]!]!, ranked.length)]);
  }

  /** The rows in the order of events_N_by_profile: profile, time, then as added. */
  orderByProfileAndTime(): Uint32Array {
    return this.sorted([...this.atDigits(), ...this.profileDigits()]);
  }

  /** 16-bit digits of a key below `bound`, least significant first, each as an array over the rows. */
  private digits(key: (i: number) => number, bound: number): Uint16Array[] {
    const count = Math.max(1, Math.ceil(Math.log2(Math.max(2, bound)) / 16));
    const out = Array.from({ length: count }, () => new Uint16Array(this.length));
    for (let i = 0; i < this.length; i += 1) {
      let value = key(i);
      for (let d = 0; d < count; d += 1) {
        out[d]![i] = value % 65536;
        value = Math.floor(value / 65536);
      }
    }
    return out;
  }

  private profileDigits(): Uint16Array[] {
    return this.digits((i) => this.keys[i >>> SHIFT]![i & MASK]!, 2 ** 31);
  }

  private atDigits(): Uint16Array[] {
    // YYYYMMDDHHMMSS is below 10^14 < 2^47.
    return this.digits((i) => this.ats[i >>> SHIFT]![i & MASK]!, 1e14);
  }

  /** A stable radix sort of the rows by the digits, least significant first. */
  private sorted(digits: readonly Uint16Array[]): Uint32Array {
    const n = this.length;
    let order = new Uint32Array(n);
    for (let i = 0; i < n; i += 1) order[i] = i;
    let spare = new Uint32Array(n);
    const counts = new Uint32Array(65537);
    for (const digit of digits) {
      counts.fill(0);
      for (let i = 0; i < n; i += 1) counts[digit[i]! + 1]! += 1;
      // Every row has the same digit: this pass would change nothing.
      if (counts.some((c) => c === n)) continue;
      for (let d = 1; d < counts.length; d += 1) counts[d]! += counts[d - 1]!;
      for (let k = 0; k < n; k += 1) {
        const row = order[k]!;
        spare[counts[digit[row]!]!++] = row;
      }
      [order, spare] = [spare, order];
    }
    return order;
  }

  /**
   * Fills `batch` with the rows order[from ... from + count): text slots type, at, note;
   * number slots profile key, amount, seq (`firstSeq` + the row's place in the order added).
   */
  fill(batch: EventBatch, order: Uint32Array, from: number, count: number, firstSeq: number): void {
    let bytes = 0;
    for (let k = 0; k < count; k += 1) {
      const i = order[from + k]!;
      const b = i >>> SHIFT;
      const o = i & MASK;
      bytes += this.typeBytes[this.types[b]![o]!]!.length + AT_CHARS + Math.max(0, this.noteLengths[b]![o]!);
    }
    batch.reserve(count, bytes);
    const { text, textStart, textLength, numbers } = batch;
    let used = 0;
    for (let k = 0; k < count; k += 1) {
      const i = order[from + k]!;
      const b = i >>> SHIFT;
      const o = i & MASK;
      const type = this.typeBytes[this.types[b]![o]!]!;
      text.set(type, used);
      textStart[k * 3] = used;
      textLength[k * 3] = type.length;
      used += type.length;
      writeAt(this.ats[b]![o]!, text, used);
      textStart[k * 3 + 1] = used;
      textLength[k * 3 + 1] = AT_CHARS;
      used += AT_CHARS;
      const noteLength = this.noteLengths[b]![o]!;
      textStart[k * 3 + 2] = used;
      textLength[k * 3 + 2] = noteLength;
      if (noteLength >= 0) {
        const place = this.notePlaces[b]![o]!;
        const block = Math.floor(place / NOTE_BLOCK);
        const offset = place - block * NOTE_BLOCK;
        text.set(this.notePool[block]!.subarray(offset, offset + noteLength), used);
        used += noteLength;
      }
      numbers[k * 3] = this.keys[b]![o]!;
      numbers[k * 3 + 1] = this.amounts[b]![o]!;
      numbers[k * 3 + 2] = firstSeq + i;
    }
    batch.rows = count;
  }
}

/** A batch for the bulk writer, reused from one write to the next. */
export class EventBatch implements BulkRows {
  rows = 0;
  text = new Uint8Array(0);
  textStart = new Int32Array(0);
  textLength = new Int32Array(0);
  numbers = new Float64Array(0);

  reserve(rows: number, bytes: number): void {
    if (this.text.length < bytes) this.text = new Uint8Array(bytes);
    if (this.textStart.length < rows * 3) {
      this.textStart = new Int32Array(rows * 3);
      this.textLength = new Int32Array(rows * 3);
      this.numbers = new Float64Array(rows * 3);
    }
  }
}
