/**
 * Every profile ID of a database with its key (rowid), for matching the rows of an events
 * import: millions of rows are looked up, so the lookup takes the ID as the UTF-8 bytes
 * the parser gives (no string made per row, nothing for the garbage collector) in an
 * open-addressing hash table over typed arrays. The IDs are read from SQLite a chunk at a
 * time as JSON (one native parse per chunk instead of a JavaScript call per row).
 */
import type { SqlDb } from '../sqlite/database';
import { profileTable } from '../databases/profile-table';

const CHUNK_ROWS = 65_536;
const encoder = new TextEncoder();

/** A slot of the table: entry + 1 (0: free), the ID's length in bytes, its first 8 bytes as two words. */
const SLOT = 4;

export class ProfileIds {
  private mask: number;
  /**
   * Open addressing, SLOT numbers a slot: a lookup of an ID of up to 8 bytes (the usual
   * kind) reads one slot, and the key only on a match; a longer one compares the rest in
   * the pool. Fewer places in memory read per row: the lookup is bound by memory latency.
   */
  private table: Int32Array;
  private starts: Int32Array;
  private keys: Float64Array;
  private pool: Uint8Array;
  private used = 0;
  private size = 0;
  /** The first 8 bytes of the ID last scanned (scan), little-endian, as two 32-bit words. */
  private low = 0;
  private high = 0;

  private constructor(capacity: number) {
    let slots = 1 << 4;
    while (slots < capacity * 2) slots *= 2;
    this.mask = slots - 1;
    this.table = new Int32Array(slots * SLOT);
    this.starts = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
    this.pool = new Uint8Array(Math.max(1024, capacity * 12));
  }

  /** The profiles of database N. */
  static load(db: SqlDb, databaseId: number): ProfileIds {
    const table = profileTable(databaseId);
    const count = Number(db.scalar(`SELECT COUNT(*) FROM ${table}`) ?? 0);
    const ids = new ProfileIds(count);
    let after = 0;
    for (;;) {
      const row = db.all<{ keys: string; ids: string; last: number | null }>(
        `SELECT json_group_array(rowid) AS keys, json_group_array(profile_id) AS ids, MAX(rowid) AS last
           FROM (SELECT rowid, profile_id FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ${CHUNK_ROWS})`,
        [after],
      )[0];
      if (!row || row.last === null) break;
      const keys = JSON.parse(row.keys) as number[];
      const texts = JSON.parse(row.ids) as string[];
      for (let i = 0; i < keys.length && ids.size < count; i += 1) ids.add(String(texts[i]), keys[i]!);
      after = Number(row.last);
      if (keys.length < CHUNK_ROWS) break;
    }
    return ids;
  }

  private add(id: string, key: number): void {
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit.
    if (this.used + id.length * 3 > this.pool.length) {
      const pool = new Uint8Array(Math.max(this.pool.length * 2, this.used + id.length * 3));
      pool.set(this.pool.subarray(0, this.used));
      this.pool = pool;
    }
    const { written } = encoder.encodeInto(id, this.pool.subarray(this.used));
    const n = this.size;
    const start = this.used;
    this.starts[n] = start;
    this.keys[n] = key;
    this.used += written;
    let slot = this.scan(this.pool, start, written) & this.mask;
    while (this.table[slot * SLOT] !== 0) slot = (slot + 1) & this.mask;
    const at = slot * SLOT;
    this.table[at] = n + 1;
    this.table[at + 1] = written;
    this.table[at + 2] = this.low;
    this.table[at + 3] = this.high;
    this.size += 1;
  }

  /**
   * FNV-1a over an ID's bytes, keeping its first 8 bytes in `low` and `high` on the way: one
   * pass, and no array made per lookup (millions of lookups: garbage for the collector).
   */
  private scan(bytes: Uint8Array, start: number, length: number): number {
    let low = 0;
    let high = 0;
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < length; i += 1) {
      const b = bytes[start + i]!;
      h = Math.imul(h ^ b, 16777619);
      if (i < 4) low |= b << (8 * i);
      else if (i < 8) high |= b << (8 * (i - 4));
    }
    this.low = low;
    this.high = high;
    return h;
  }

  /** The key of the profile whose ID is these bytes, or -1 when there is none. */
  key(bytes: Uint8Array, start: number, length: number): number {
    let slot = this.scan(bytes, start, length) & this.mask;
    const { low, high } = this;
    const table = this.table;
    for (;;) {
      const at = slot * SLOT;
      const entry = table[at]!;
      if (entry === 0) return -1;
      if (table[at + 1] === length && table[at + 2] === low && table[at + 3] === high && (length <= 8 || this.sameRest(entry - 1, bytes, start, length))) {
        return this.keys[entry - 1]!;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /** The bytes after the first 8 are the same. */
  private sameRest(n: number, bytes: Uint8Array, start: number, length: number): boolean {
    const pool = this.pool;
    const at = this.starts[n]!;
    for (let i = 8; i < length; i += 1) if (pool[at + i] !== bytes[start + i]) return false;
    return true;
  }

  /** Lets the memory go once the file is read (every ID is unknown afterwards). */
  clear(): void {
    this.mask = 0;
    this.table = new Int32Array(SLOT);
    this.starts = new Int32Array(0);
    this.keys = new Float64Array(0);
    this.pool = new Uint8Array(0);
  }
}
