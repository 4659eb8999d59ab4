/**
 * Whether the profile IDs of a load arrive in strictly ascending order, as SQLite's unique
 * index compares them (BINARY: the UTF-8 bytes, then the length). Files exported from a
 * CRM are usually sorted by ID. While they are, the load keeps the table's ID index and
 * SQLite only ever appends to its last page, which costs less than building the index
 * afterwards (a sort of every ID: half a second of a million-row import, with nothing else
 * running); strictly ascending IDs are also all different, so the index cannot refuse one.
 * At the first ID that is not larger than the one before, the caller drops the index and
 * builds it at the end, as for any other file.
 */
import type { BulkRows } from './bulk-writer';

export class AscendingIds {
  private last: Uint8Array | null = null;
  private ascending = true;

  /** `slot`: the ID's slot among a batch's text cells; `textSlots`: text cells per row. */
  constructor(
    private readonly slot: number,
    private readonly textSlots: number,
  ) {}

  /** Takes the batch's IDs in order: true while every ID so far is larger than the one before. */
  continues(batch: BulkRows): boolean {
    if (!this.ascending) return false;
    const { text, textStart, textLength } = batch;
    let last = this.last;
    let lastStart = 0;
    let lastLength = last?.length ?? 0;
    let source: Uint8Array | null = last;
    for (let row = 0; row < batch.rows; row += 1) {
      const cell = row * this.textSlots + this.slot;
      const start = textStart[cell]!;
      const length = textLength[cell]!;
      if (length < 0 || (source !== null && compareBytes(source, lastStart, lastLength, text, start, length) >= 0)) {
        this.ascending = false;
        return false;
      }
      source = text;
      lastStart = start;
      lastLength = length;
    }
    if (source !== null && source !== last) {
      last = source.slice(lastStart, lastStart + lastLength);
      this.last = last;
    }
    return true;
  }
}

/** memcmp, then the shorter first: how SQLite's BINARY collation orders two texts. */
function compareBytes(a: Uint8Array, aStart: number, aLength: number, b: Uint8Array, bStart: number, bLength: number): number {
  const n = Math.min(aLength, bLength);
  for (let i = 0; i < n; i += 1) {
    const d = a[aStart + i]! - b[bStart + i]!;
    if (d !== 0) return d;
  }
  return aLength - bLength;
}
