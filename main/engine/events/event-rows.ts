/**
 * The good rows of an events import (or of the demo), held compactly in typed arrays
 * (48 bytes a row, instead of a staging table in SQLite), so they can be put in the order
 * of each of the events' two B-trees before they are written (table.ts): SQLite then
 * appends instead of sorting (CREATE INDEX, a sort inside SQLite's WebAssembly, cost more
 * than the rest of the import together).
 *
 * - a row's time is kept as the number YYYYMMDDHHMMSS (it sorts as the stored text
 *   "YYYY-MM-DDTHH:MM:SS" does) and written back as that text;
 * - types are interned (one code per distinct type);
 * - notes are UTF-8 bytes in a pool of blocks.
 * Sorting is a radix sort (a few passes over flat arrays): much faster than a comparison
 * sort of millions of rows.
 * Rows are records of six numbers in blocks of 65,536 rows, so growing never copies what
 * is there, and the fields of a row are read together. Blocks and notes are in shared
 * memory: the threads that sort the rows and fill the batches (batch-worker.ts) read them
 * where they are, without a copy.
 */
import { Buffer } from 'node:buffer';
import type { BulkRows } from '../import/bulk-writer';

const SHIFT = 16;
const BLOCK = 1 << SHIFT;
const MASK = BLOCK - 1;
const NOTE_BLOCK = 4 * 1024 * 1024;
const AT_CHARS = 19;
const MAX_BOUND_BYTES = 32 * 1024 * 1024;
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

/** The two ASCII digits of 0 ... 99. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 48 + (i % 2 === 0 ? Math.floor(i / 20) : (i >> 1) % 10));

/** The number YYYYMMDDHHMMSS as "YYYY-MM-DDTHH:MM:SS", written at `at` in `out`. */
function writeAt(n: number, out: Uint8Array, at: number): void {
  // Two halves below 2^31, two digits at a time: integer arithmetic only.
  const date = Math.floor(n / 1_000_000);
  const time = n - date * 1_000_000;
  const pair = (value: number, to: number) => {
    out[to] = PAIRS[value * 2]!;
    out[to + 1] = PAIRS[value * 2 + 1]!;
  };
  pair((date / 1_000_000) | 0, at);
  pair(((date / 10_000) | 0) % 100, at + 2);
  out[at + 4] = 45; // -
  pair(((date / 100) | 0) % 100, at + 5);
  out[at + 7] = 45;
  pair(date % 100, at + 8);
  out[at + 10] = 84; // T
  pair((time / 10_000) | 0, at + 11);
  out[at + 13] = 58; // :
  pair(((time / 100) | 0) % 100, at + 14);
  out[at + 16] = 58;
  pair(time % 100, at + 17);
}

/** Values below 2^bits (bits at most 52: exact in a double). */
interface SortKey {
  readonly values: Float64Array;
  readonly bits: number;
}

/** Two keys as one when their bits fit in a double: fewer arrays to move. */
function combined(high: SortKey, low: SortKey): SortKey[] {
  if (high.bits + low.bits > 52) return [high, low];
  const scale = 2 ** low.bits;
  const values = high.values;
  for (let i = 0; i < values.length; i += 1) values[i] = values[i]! * scale + low.values[i]!;
  return [{ values, bits: high.bits + low.bits }];
}

const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;

/** A row's fields, one record of WIDTH numbers: read together, they come in one cache line. */
const KEY = 0;
const TYPE = 1;
const AT = 2;
const AMOUNT = 3;
/** A note's place in the pool (block * NOTE_BLOCK + offset), and its length in bytes (-1: none). */
const NOTE_PLACE = 4;
const NOTE_LENGTH = 5;
const WIDTH = 6;

/** Everything a thread needs to sort the rows and fill batches (see EventRows.shared). */
export interface SharedEventRows {
  readonly length: number;
  readonly blocks: readonly Float64Array[];
  readonly notePool: readonly Uint8Array[];
  readonly typeBytes: readonly Uint8Array[];
  readonly longestNote: number;
  readonly longestType: number;
}

export class EventRows {
  length = 0;
  private readonly blocks: Float64Array[] = [];
  private readonly notePool: Uint8Array[] = [];
  private noteUsed = NOTE_BLOCK;
  /** The longest note and type, in bytes: a bound on a batch's text. */
  private longestNote = 0;
  private longestType = 0;
  private readonly typeCodes = new Map<string, number>();
  private readonly typeBytes: Uint8Array[] = [];
  /** Where addText puts a note's bytes. */
  private scratch = new Uint8Array(256);
  /** The bytes of the rows' types and notes, for storedBytes. */
  private textBytes = 0;

  /** The code of a type, interned on first sight. */
  typeCode(type: string): number {
    let code = this.typeCodes.get(type);
    if (code === undefined) {
      code = this.typeBytes.length;
      this.typeCodes.set(type, code);
      const bytes = encoder.encode(type);
      this.typeBytes.push(bytes);
      this.longestType = Math.max(this.longestType, bytes.length);
    }
    return code;
  }

  /** Adds a row; the note is `length` bytes of `bytes` from `start` (length -1: no note). */
  add(key: number, type: number, at: number, amount: number, bytes: Uint8Array, start: number, length: number): void {
    const i = this.length;
    const b = i >>> SHIFT;
    if (b === this.blocks.length) this.blocks.push(new Float64Array(new SharedArrayBuffer(BLOCK * WIDTH * Float64Array.BYTES_PER_ELEMENT)));
    const block = this.blocks[b]!;
    const r = (i & MASK) * WIDTH;
    block[r + KEY] = key;
    block[r + TYPE] = type;
    block[r + AT] = at;
    block[r + AMOUNT] = amount;
    block[r + NOTE_LENGTH] = length;
    this.textBytes += this.typeBytes[type]!.length;
    if (length >= 0) {
      this.textBytes += length;
      this.longestNote = Math.max(this.longestNote, length);
      if (this.noteUsed + length > NOTE_BLOCK) {
        this.notePool.push(new Uint8Array(new SharedArrayBuffer(Math.max(NOTE_BLOCK, length))));
        this.noteUsed = 0;
      }
      const n = this.notePool.length - 1;
      const pool = this.notePool[n]!;
      block[r + NOTE_PLACE] = n * NOTE_BLOCK + this.noteUsed;
      for (let c = 0; c < length; c += 1) pool[this.noteUsed + c] = bytes[start + c]!;
      this.noteUsed += length;
    }
    this.length += 1;
  }

  /** The rows for another thread: the blocks and notes are shared, not copied. */
  shared(): SharedEventRows {
    const { length, blocks, notePool, typeBytes, longestNote, longestType } = this;
    return { length, blocks: [...blocks], notePool: [...notePool], typeBytes: [...typeBytes], longestNote, longestType };
  }

  /** The rows another thread shared, to be sorted and read (not to be added to). */
  static fromShared(rows: SharedEventRows): EventRows {
    const copy = new EventRows();
    copy.length = rows.length;
    copy.blocks.push(...rows.blocks);
    copy.notePool.push(...rows.notePool);
    copy.typeBytes.push(...rows.typeBytes);
    copy.longestNote = rows.longestNote;
    copy.longestType = rows.longestType;
    copy.noteUsed = NOTE_BLOCK;
    return copy;
  }

  /** Adds a row given as text (ASCII times; any note): for rows made by the app itself. */
  addText(key: number, type: number, at: string, amount: number | null, note: string | null): void {
    // As atNumber, on the string's characters (no bytes made per row).
    let n = at.length === AT_CHARS ? 0 : Number.NaN;
    for (let i = 0; i < AT_CHARS && n === n; i += 1) {
      const c = at.charCodeAt(i);
      if (i === 4 || i === 7 || i === 10 || i === 13 || i === 16) continue;
      n = c >= 48 && c <= 57 ? n * 10 + (c - 48) : Number.NaN;
    }
    if (n !== n) throw new Error(`Not an event time: ${at}`);
    if (note === null) {
      this.add(key, type, n, amount ?? Number.NaN, this.scratch, 0, -1);
      return;
    }
    if (this.scratch.length < note.length * 3) this.scratch = new Uint8Array(note.length * 3);
    const { written } = encoder.encodeInto(note, this.scratch);
    this.add(key, type, n, amount ?? Number.NaN, this.scratch, 0, written);
  }

  /**
   * About the bytes the rows take in the database file, in both B-trees, erring high: the
   * type and time twice, the note once, and per row the numbers, record headers, cell
   * pointers and the room B-tree pages leave (measured: 89 bytes a row for 4 to 8 byte
   * types and a short note in one row of six; this gives 97).
   */
  storedBytes(): number {
    return this.textBytes * 1.1 + this.length * (2 * AT_CHARS + 48) * 1.1;
  }

  /** The rows in the order of events_N: type, time, profile, then as added. */
  orderByTypeAndTime(): Uint32Array {
    // Types rank as SQLite compares text (BINARY: by UTF-8 bytes).
    const ranked = this.typeBytes.map((bytes, code) => ({ bytes, code })).sort((a, b) => Buffer.compare(a.bytes, b.bytes));
    const rank = new Float64Array(ranked.length);
    ranked.forEach(({ code }, r) => (rank[code] = r));
    return this.sorted([...combined(this.sortKey(TYPE, rank), this.timeKey()), this.sortKey(KEY)]);
  }

  /** The rows in the order of events_N_by_profile: profile, time, then as added. */
  orderByProfileAndTime(): Uint32Array {
    return this.sorted(combined(this.sortKey(KEY), this.timeKey()));
  }

  /**
   * The rows' times as a sort key in seconds of a calendar with 12 months of 31 days: in
   * the same order as YYYYMMDDHHMMSS, in 26 bits a year instead of 34, so the sorts take
   * fewer passes (and the profile key and the time fit one key). A time whose month, day,
   * hour, minute or second is out of range (which a read date-time never is) keeps the
   * number as it is, for every row.
   */
  private timeKey(): SortKey {
    const compact = new Float64Array(this.length);
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    for (let i = 0; i < this.length; i += 1) {
      const n = this.blocks[i >>> SHIFT]![(i & MASK) * WIDTH + AT]!;
      const date = Math.floor(n / 1_000_000);
      const time = n - date * 1_000_000;
      const month = ((date / 100) | 0) % 100;
      const day = date % 100;
      const hour = (time / 10_000) | 0;
      const minute = ((time / 100) | 0) % 100;
      const second = time % 100;
      if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return this.sortKey(AT);
      const value = (((((date / 10_000) | 0) * 12 + month - 1) * 31 + day - 1) * 24 + hour) * 3600 + minute * 60 + second;
      compact[i] = value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    for (let i = 0; i < this.length; i += 1) compact[i]! -= min;
    return { values: compact, bits: Math.max(1, Math.ceil(Math.log2(max - min + 1))) };
  }

  /** A field of every row as a sort key (through `map`, less the smallest value). */
  private sortKey(field: number, map?: Float64Array): SortKey {
    const values = new Float64Array(this.length);
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    for (let i = 0; i < this.length; i += 1) {
      const raw = this.blocks[i >>> SHIFT]![(i & MASK) * WIDTH + field]!;
      const value = map ? map[raw]! : raw;
      values[i] = value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    if (min > 0) for (let i = 0; i < this.length; i += 1) values[i]! -= min;
    return { values, bits: Math.max(1, Math.ceil(Math.log2(max - (min > 0 ? min : 0) + 1))) };
  }

  /**
   * A stable LSD radix sort of the rows by the keys (most significant first), 11 bits a
   * pass: the keys move with the rows, so every pass reads them in order, and 2,048
   * buckets keep the writes within the processor's caches.
   */
  private sorted(keys: readonly SortKey[]): Uint32Array {
    const n = this.length;
    let order = new Uint32Array(n);
    for (let i = 0; i < n; i += 1) order[i] = i;
    let spare = new Uint32Array(n);
    const values: Float64Array[] = keys.map((k) => k.values);
    const spares: Float64Array[] = keys.map(() => new Float64Array(n));
    const counts = new Uint32Array(RADIX + 1);
    // Each row's digit of the pass, worked out once (a division of a double) for both loops.
    const digits = new Uint16Array(n);
    for (let j = keys.length - 1; j >= 0; j -= 1) {
      for (let shift = 0; shift < keys[j]!.bits; shift += RADIX_BITS) {
        const divisor = 2 ** shift;
        const current = values[j]!;
        counts.fill(0);
        for (let i = 0; i < n; i += 1) {
          const digit = Math.floor(current[i]! / divisor) % RADIX;
          digits[i] = digit;
          counts[digit + 1]! += 1;
        }
        // Every row has the same digit: this pass would change nothing.
        if (counts.some((c) => c === n)) continue;
        for (let d = 1; d <= RADIX; d += 1) counts[d]! += counts[d - 1]!;
        for (let i = 0; i < n; i += 1) {
          const to = counts[digits[i]!]!++;
          spare[to] = order[i]!;
          // Only this key and the more significant ones are read again.
          for (let m = 0; m <= j; m += 1) spares[m]![to] = values[m]![i]!;
        }
        [order, spare] = [spare, order];
        for (let m = 0; m <= j; m += 1) [values[m], spares[m]] = [spares[m]!, values[m]!];
      }
    }
    return order;
  }

  /**
   * Fills `batch` with the rows order[from ... from + count): text slots type, at, note
   * (left out unless `withNotes`); number slots profile key, amount, seq (`firstSeq` + the
   * row's place in the order added).
   */
  fill(batch: EventBatch, order: Uint32Array, from: number, count: number, firstSeq: number, withNotes = true): void {
    const { blocks, typeBytes } = this;
    // A bound from the longest type and note (one pass less over the rows), unless it is large.
    let bytes = count * (this.longestType + AT_CHARS + (withNotes ? this.longestNote : 0));
    const exact = bytes > MAX_BOUND_BYTES;
    if (exact) bytes = 0;
    for (let k = 0; exact && k < count; k += 1) {
      const i = order[from + k]!;
      const block = blocks[i >>> SHIFT]!;
      const r = (i & MASK) * WIDTH;
      bytes += typeBytes[block[r + TYPE]!]!.length + AT_CHARS + (withNotes ? Math.max(0, block[r + NOTE_LENGTH]!) : 0);
    }
    batch.reserve(count, bytes);
    const { text, textStart, textLength, numbers } = batch;
    let used = 0;
    for (let k = 0; k < count; k += 1) {
      const i = order[from + k]!;
      const block = blocks[i >>> SHIFT]!;
      const r = (i & MASK) * WIDTH;
      // Byte by byte: TypedArray.set costs more than the copy for a few bytes.
      const type = typeBytes[block[r + TYPE]!]!;
      textStart[k * 3] = used;
      textLength[k * 3] = type.length;
      for (let c = 0; c < type.length; c += 1) text[used++] = type[c]!;
      writeAt(block[r + AT]!, text, used);
      textStart[k * 3 + 1] = used;
      textLength[k * 3 + 1] = AT_CHARS;
      used += AT_CHARS;
      const noteLength = withNotes ? block[r + NOTE_LENGTH]! : -1;
      textStart[k * 3 + 2] = used;
      textLength[k * 3 + 2] = noteLength;
      if (noteLength >= 0) {
        const place = block[r + NOTE_PLACE]!;
        const n = Math.floor(place / NOTE_BLOCK);
        const pool = this.notePool[n]!;
        for (let c = place - n * NOTE_BLOCK, end = c + noteLength; c < end; c += 1) text[used++] = pool[c]!;
      }
      numbers[k * 3] = block[r + KEY]!;
      numbers[k * 3 + 1] = block[r + AMOUNT]!;
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
