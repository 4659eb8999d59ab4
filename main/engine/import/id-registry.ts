/**
 * The profile IDs seen so far in a file, each with the row it was first seen on, to report
 * an ID repeated in the file with both rows. A million IDs go through it per million rows,
 * so it is an open-addressing hash table over typed arrays: about twice as fast as a Map of
 * strings here, and its growth copies integers, not entries.
 */
export class IdRegistry {
  private size = 0;
  private mask = (1 << 16) - 1;
  /** Slot -> entry number + 1 (0: free). */
  private table = new Int32Array(1 << 16);
  private readonly ids: string[] = [];
  private rows = new Int32Array(1 << 15);
  private hashes = new Int32Array(1 << 15);

  /** FNV-1a over the UTF-16 code units. */
  private static hash(id: string): number {
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < id.length; i += 1) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
    return h;
  }

  /** Records `id` as seen on `row`; returns the row it was seen on before, or -1 the first time. */
  firstSeen(id: string, row: number): number {
    const h = IdRegistry.hash(id);
    let slot = h & this.mask;
    for (;;) {
      const entry = this.table[slot]!;
      if (entry === 0) break;
      if (this.hashes[entry - 1] === h && this.ids[entry - 1] === id) return this.rows[entry - 1]!;
      slot = (slot + 1) & this.mask;
    }
    const n = this.size;
    this.size += 1;
    if (n >= this.rows.length) {
      this.rows = grown(this.rows);
      this.hashes = grown(this.hashes);
    }
    this.ids.push(id);
    this.rows[n] = row;
    this.hashes[n] = h;
    this.table[slot] = n + 1;
    if (this.size * 2 > this.mask) this.rehash();
    return -1;
  }

  get count(): number {
    return this.size;
  }

  private rehash(): void {
    const capacity = (this.mask + 1) * 2;
    const table = new Int32Array(capacity);
    const mask = capacity - 1;
    for (let n = 0; n < this.size; n += 1) {
      let slot = this.hashes[n]! & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = n + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const next = new Int32Array(array.length * 2);
  next.set(array);
  return next;
}
