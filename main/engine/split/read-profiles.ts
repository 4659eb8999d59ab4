import { EngineError } from '../../../shared/contract/errors';
import { ID_SEPARATOR } from '../../../shared/split/hash-ids';
import type { SqlDb, SqlValue } from '../sqlite/database';

export interface KeyedIds {
  readonly count: number;
  /** profile_key (the rowid in profiles_<database>) of each row, in query order. */
  readonly keys: Float64Array;
  /** The profile IDs as UTF-8, separated by U+001F (see shared/split/hash-ids.ts). */
  readonly packed: Uint8Array;
  /** An integer per row (a stratum number or code), when the query has a third column. */
  readonly strata: Float64Array | null;
}

/** A read with one text column after the third, as bytes. */
export interface KeyedIdsWithText extends KeyedIds {
  /** The column's UTF-8 bytes, the rows' values separated by U+001F (a value may hold it too: the caller checks). */
  readonly text: Uint8Array;
}

/**
 * Reads the rows of `query` — `SELECT profile_key, profile_id [, stratum] ...` — into typed
 * arrays. A row at a time would cost a JavaScript call per value (about a microsecond each
 * in WebAssembly); instead one pass over the query concatenates each column in SQLite
 * (group_concat, in query order) and hands it over as one blob: the IDs ready for hashing,
 * the numbers parsed from their digits. The query is our own SQL; values are bound
 * through `params`. Every column must be non-NULL.
 */
export function readKeyedIds(db: SqlDb, query: string, params: SqlValue[] = [], withStrata = false): KeyedIds {
  return readKeyed(db, query, params, withStrata, false);
}

/**
 * readKeyedIds and a last column of non-NULL text, read in the same pass and handed over as
 * its bytes (values joined by U+001F): not decoded into a string per row, which costs more
 * than the read (see campaigns/text-codes.ts). Without `withStrata` the query has no
 * stratum column (`SELECT profile_key, profile_id, text`) and the strata read as zeros.
 */
export function readKeyedIdsWithText(db: SqlDb, query: string, params: SqlValue[], withStrata: boolean): KeyedIdsWithText {
  return readKeyed(db, query, params, withStrata, true) as KeyedIdsWithText;
}

function readKeyed(db: SqlDb, query: string, params: SqlValue[], withStrata: boolean, withText: boolean): KeyedIds | KeyedIdsWithText {
  const columns = ['k', 'id', ...(withStrata ? ['s'] : []), ...(withText ? ['t'] : [])];
  const row = db.get<{ n: number; k: Uint8Array | null; ids: Uint8Array | null; s: Uint8Array | null; t: Uint8Array | null }>(
    `WITH r(${columns.join(', ')}) AS (${query})
     SELECT COUNT(*) AS n, CAST(group_concat(k, ',') AS BLOB) AS k, CAST(group_concat(id, char(31)) AS BLOB) AS ids,
            ${withStrata ? "CAST(group_concat(s, ',') AS BLOB)" : 'NULL'} AS s, ${withText ? 'CAST(group_concat(t, char(31)) AS BLOB)' : 'NULL'} AS t
       FROM r`,
    params,
  );
  const count = Number(row?.n ?? 0);
  const packed = count === 0 ? new Uint8Array(0) : (row?.ids ?? new Uint8Array(0));
  let separators = 0;
  for (let i = packed.indexOf(ID_SEPARATOR); i !== -1; i = packed.indexOf(ID_SEPARATOR, i + 1)) separators += 1;
  if (count > 0 && separators !== count - 1) {
    const bad = db.get<{ id: string }>(`WITH r(${columns.join(', ')}) AS (${query}) SELECT id FROM r WHERE instr(id, char(31)) > 0 LIMIT 1`, params);
    if (bad) throw new EngineError('REFUSED', `The profile ID ${JSON.stringify(String(bad.id))} contains a control character (U+001F), which a split cannot use.`);
    throw new Error(`readKeyedIds: ${count} rows but ${separators + 1} IDs (a NULL ID?)`);
  }
  const keys = new Float64Array(count);
  const strata = withStrata || withText ? new Float64Array(count) : null;
  if (count > 0) {
    parseIntegers(row?.k ?? null, keys, 'keys');
    if (withStrata) parseIntegers(row?.s ?? null, strata!, 'strata');
  }
  const read = { count, keys, packed, strata };
  return withText ? { ...read, text: count === 0 ? new Uint8Array(0) : (row?.t ?? new Uint8Array(0)) } : read;
}

/** Fills `out` from comma-separated decimal integers ("12,-3,40"); the count must match. */
function parseIntegers(bytes: Uint8Array | null, out: Float64Array, what: string): void {
  if (!bytes) throw new Error(`readKeyedIds: no ${what}`);
  let n = 0;
  let value = 0;
  let negative = false;
  for (let i = 0; i < bytes.length; i += 1) {
    const b = bytes[i]!;
    if (b === 0x2c) {
      out[n++] = negative ? -value : value;
      value = 0;
      negative = false;
    } else if (b === 0x2d) negative = true;
    else value = value * 10 + (b - 0x30);
  }
  out[n++] = negative ? -value : value;
  if (n !== out.length) throw new Error(`readKeyedIds: ${out.length} rows but ${n} ${what} (a NULL or non-integer value?)`);
}

/** The values of `query` (one column of non-NULL integers, ours), in its order, read in one pass. */
export function readIntegers(db: SqlDb, query: string, params: SqlValue[] = []): Float64Array {
  const row = db.get<{ n: number; k: Uint8Array | null }>(`WITH r(k) AS (${query}) SELECT COUNT(*) AS n, CAST(group_concat(k, ',') AS BLOB) AS k FROM r`, params);
  const values = new Float64Array(Number(row?.n ?? 0));
  if (values.length > 0) parseIntegers(row?.k ?? null, values, 'keys');
  return values;
}

/**
 * The values of `query` (one column of numbers, ours; NULL reads as NaN), in its order, read
 * in one pass. SQLite writes a REAL as text with up to 17 significant digits where 15 do not
 * give the same double back, so each comes back exactly.
 */
export function readReals(db: SqlDb, query: string, params: SqlValue[] = []): Float64Array {
  const row = db.get<{ n: number; k: Uint8Array | null }>(`WITH r(k) AS (${query}) SELECT COUNT(*) AS n, CAST(group_concat(COALESCE(k, ''), ',') AS BLOB) AS k FROM r`, params);
  const count = Number(row?.n ?? 0);
  const values = new Float64Array(count);
  if (count > 0) parseReals(row?.k ?? new Uint8Array(0), values);
  return values;
}

/** 10^0 .. 10^22: every one exact in a double. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * Parses comma-separated numbers as SQLite prints them ("12.5", "-3", "1.0e+300"; empty:
 * NaN). A plain decimal of at most 15 digits is its digits as an integer divided by a power
 * of ten, both exact, so one rounding: the same double Number() gives. Anything else is read
 * by Number().
 */
function parseReals(bytes: Uint8Array, out: Float64Array): void {
  let n = 0;
  let start = 0;
  for (let i = 0; i <= bytes.length; i += 1) {
    if (i < bytes.length && bytes[i] !== 0x2c) continue;
    if (n >= out.length) throw new Error(`readReals: more values than the ${out.length} rows`);
    out[n++] = parseReal(bytes, start, i);
    start = i + 1;
  }
  if (n !== out.length) throw new Error(`readReals: ${out.length} rows but ${n} values`);
}

function parseReal(bytes: Uint8Array, from: number, to: number): number {
  if (from === to) return Number.NaN;
  let i = from;
  const negative = bytes[i] === 0x2d;
  if (negative) i += 1;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; i < to; i += 1) {
    const b = bytes[i]!;
    if (b === 0x2e && fraction < 0) fraction = 0;
    else if (b >= 0x30 && b <= 0x39) {
      mantissa = mantissa * 10 + (b - 0x30);
      digits += 1;
      if (fraction >= 0) fraction += 1;
    } else break;
  }
  if (i === to && digits > 0 && digits <= 15) {
    const value = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction]! : mantissa;
    return negative ? -value : value;
  }
  return Number(new TextDecoder().decode(bytes.subarray(from, to)));
}

/** Keys up to this value are looked up in a bitmap (32 MB at most); larger ones by binary search. */
const BITMAP_MAX_KEY = 2 ** 28;

/** A set of profile keys read in one pass, for filtering reads in JavaScript. */
export class KeySet {
  private readonly bits: Uint32Array | null;

  private constructor(private readonly sorted: Float64Array) {
    const max = sorted.length > 0 ? sorted[sorted.length - 1]! : 0;
    if (sorted.length === 0 || max > BITMAP_MAX_KEY || sorted[0]! < 0) {
      this.bits = null;
      return;
    }
    this.bits = new Uint32Array((max >>> 5) + 1);
    for (const key of sorted) this.bits[key >>> 5]! |= 1 << (key & 31);
  }

  /** The keys of `query` (`SELECT profile_key ...`, non-NULL integers). */
  static read(db: SqlDb, query: string, params: SqlValue[] = []): KeySet {
    return new KeySet(readIntegers(db, query, params).sort());
  }

  static empty(): KeySet {
    return new KeySet(new Float64Array(0));
  }

  get size(): number {
    return this.sorted.length;
  }

  /** The keys, in ascending order. */
  get keys(): Float64Array {
    return this.sorted;
  }

  has(key: number): boolean {
    if (this.bits) return key >= 0 && key <= BITMAP_MAX_KEY && ((this.bits[key >>> 5] ?? 0) & (1 << (key & 31))) !== 0;
    return sortedIndexOf(this.sorted, key) >= 0;
  }
}

/** The first position of the ascending `sorted` whose value is at least `value` (its length when none is). */
export function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where `key` is in the ascending `sorted` (-1: not there). */
export function sortedIndexOf(sorted: Float64Array, key: number): number {
  const at = lowerBound(sorted, key);
  return at < sorted.length && sorted[at] === key ? at : -1;
}

/**
 * Where each key sits in the ascending `sorted` keys (-1: not there), for looking up
 * millions of keys: an array indexed by key while the largest is small enough, else a
 * binary search.
 */
export function keyPositions(sorted: Float64Array): (key: number) => number {
  const max = sorted.length > 0 ? sorted[sorted.length - 1]! : 0;
  if (max > 2 ** 26) return (key) => sortedIndexOf(sorted, key);
  const at = new Int32Array(max + 1).fill(-1);
  for (let i = 0; i < sorted.length; i += 1) at[sorted[i]!] = i;
  return (key) => (key >= 0 && key <= max ? at[key]! : -1);
}

/** The rows of a read whose keys are in none of `excluded` (same order). */
export function withoutKeys(read: KeyedIds, excluded: readonly KeySet[]): KeyedIds {
  const sets = excluded.filter((set) => set.size > 0);
  if (sets.length === 0 || read.count === 0) return read;
  const keep = new Uint8Array(read.count);
  let kept = 0;
  for (let i = 0; i < read.count; i += 1) {
    const key = read.keys[i]!;
    let out = false;
    for (let s = 0; s < sets.length && !out; s += 1) out = sets[s]!.has(key);
    if (!out) {
      keep[i] = 1;
      kept += 1;
    }
  }
  if (kept === read.count) return read;
  const keys = new Float64Array(kept);
  const strata = read.strata ? new Float64Array(kept) : null;
  for (let i = 0, k = 0; i < read.count; i += 1) {
    if (keep[i] === 0) continue;
    keys[k] = read.keys[i]!;
    if (strata) strata[k] = read.strata![i]!;
    k += 1;
  }
  // One pass over the bytes: those of kept rows, with a separator between two of them.
  const source = read.packed;
  const packed = new Uint8Array(source.length);
  let length = 0;
  let row = 0;
  let keeping = keep[0] === 1;
  let keptRows = keeping ? 1 : 0;
  for (let b = 0; b < source.length; b += 1) {
    const byte = source[b]!;
    if (byte === ID_SEPARATOR) {
      row += 1;
      keeping = keep[row] === 1;
      if (keeping) {
        if (keptRows > 0) packed[length++] = ID_SEPARATOR;
        keptRows += 1;
      }
    } else if (keeping) packed[length++] = byte;
  }
  return { count: kept, keys, packed: packed.slice(0, length), strata };
}
