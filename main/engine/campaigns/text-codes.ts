/**
 * The stratum codes of rules on text columns, computed from the raw bytes SQLite hands over.
 *
 * A stratification reads every audience profile's text in the rule's field (gender, city,
 * a birth date kept as ISO text), and a rule's part depends on the text only. Turning a
 * million UTF-8 values into a million JavaScript strings, and classifying each, cost more
 * than the rest of the read; the values repeat, though (a few genders, a few hundred
 * cities, some thousands of dates). So the texts of all the rules come as one blob (the
 * rules' texts of a row joined by U+001E, rows by U+001F), and each distinct byte string is
 * decoded and classified once per read (ByteMemo); a row costs a hash and a comparison
 * of its bytes. The part is the rule's own `index(text)`, so the result is exactly the one
 * classifying every string gives.
 */
import { openSlots } from '../split/text-positions';
import type { TextPart } from './strata';

/** Between the texts of one row's rules. */
export const PART_SEPARATOR = 0x1e;
/** Between rows (the separator of the read's group_concat). */
export const ROW_SEPARATOR = 0x1f;

/**
 * The distinct byte strings of one rule's texts in one blob, and their parts: open
 * addressing on an FNV-1a hash. An entry points at the value's first place in the blob
 * (no copy); typed arrays throughout, as this runs once per row and rule.
 */
class ByteMemo {
  private slots = new Int32Array(256);
  private hashes = new Int32Array(128);
  private starts = new Int32Array(128);
  private lengths = new Int32Array(128);
  private values = new Int32Array(128);
  private size = 0;
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly blob: Uint8Array,
    private readonly compute: (text: string) => number,
  ) {}

  /** The part of blob[from, to), whose hash is `hash`; computed on first sight. */
  partOf(from: number, to: number, hash: number): number {
    const blob = this.blob;
    const mask = this.slots.length - 1;
    const length = to - from;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]! - 1;
      if (entry < 0) return this.add(from, to, hash, slot);
      if (this.hashes[entry] !== hash || this.lengths[entry] !== length) continue;
      const start = this.starts[entry]!;
      let i = 0;
      while (i < length && blob[start + i] === blob[from + i]) i += 1;
      if (i === length) return this.values[entry]!;
    }
  }

  private add(from: number, to: number, hash: number, slot: number): number {
    const value = this.compute(this.decoder.decode(this.blob.subarray(from, to)));
    if (this.size === this.values.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.hashes = grow(this.hashes);
      this.starts = grow(this.starts);
      this.lengths = grow(this.lengths);
      this.values = grow(this.values);
    }
    const entry = this.size;
    this.hashes[entry] = hash;
    this.starts[entry] = from;
    this.lengths[entry] = to - from;
    this.values[entry] = value;
    this.size += 1;
    this.slots[slot] = entry + 1;
    if (this.size * 2 > this.slots.length) this.rehash();
    return value;
  }

  private rehash(): void {
    this.slots = openSlots(this.hashes, this.size, this.slots.length * 2);
  }
}

/** The SQL of a row's texts of all `parts`, joined as addTextCodes reads them (the profile row aliased `p`). */
export function joinedTextSql(parts: readonly TextPart[]): string {
  return parts.map((part) => part.textSql).join(' || char(30) || ');
}

/** What addTextCodes found. */
export type TextCodesOutcome = 'done' | 'separator' | 'unknown';

/**
 * Adds each row's parts (index times multiplier) to `codes`, reading `blob` (the joined
 * texts of `count` rows, as joinedTextSql gives them, rows separated by U+001F). Returns
 * 'separator' (codes untouched) when a text holds U+001E or U+001F, so the rows cannot be
 * told apart: the caller computes the codes another way. Returns 'unknown' (codes
 * unusable) when a part's index is negative: a value its rule does not know (see
 * CompiledStrata: a stored list of values that misses one), to be read again.
 */
export function addTextCodes(codes: Float64Array, count: number, blob: Uint8Array, parts: readonly TextPart[]): TextCodesOutcome {
  if (count === 0) return 'done';
  const memos = parts.map((part) => new ByteMemo(blob, (text) => part.index(text)));
  const multipliers = parts.map((part) => part.multiplier);
  const last = parts.length - 1;
  const length = blob.length;
  // Added to `codes` only once every row is read (a separator found late leaves them as they were).
  const added = new Float64Array(count);
  let at = 0;
  for (let row = 0; row < count; row += 1) {
    let code = 0;
    for (let j = 0; j <= last; j += 1) {
      const from = at;
      let hash = 0x811c9dc5 | 0; // an int32, as Math.imul gives and the memo keeps (an empty text keeps this one)
      let b = 0;
      // Separators are below 0x20: one comparison for every other byte.
      while (at < length && ((b = blob[at]!) >= 0x20 || (b !== PART_SEPARATOR && b !== ROW_SEPARATOR))) {
        hash = Math.imul(hash ^ b, 0x01000193);
        at += 1;
      }
      // The last row ends with the blob; any other stop must be the separator expected here.
      if (at < length ? b !== (j < last ? PART_SEPARATOR : ROW_SEPARATOR) : j !== last || row !== count - 1) return 'separator';
      const index = memos[j]!.partOf(from, at, hash);
      if (index < 0) return 'unknown';
      code += index * multipliers[j]!;
      at += 1;
    }
    added[row] = code;
  }
  if (at < length) return 'separator';
  for (let row = 0; row < count; row += 1) codes[row]! += added[row]!;
  return 'done';
}
