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

/** FNV-1a over bytes. */
function hashBytes(bytes: Uint8Array, start: number, length: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start, end = start + length; i < end; i += 1) h = Math.imul(h ^ bytes[i]!, 16777619);
  return h;
}

export class ProfileIds {
  private readonly mask: number;
  private table: Int32Array;
  private starts: Int32Array;
  private lengths: Int32Array;
  private keys: Float64Array;
  private pool: Uint8Array;
  private used = 0;
  private size = 0;

  private constructor(capacity: number) {
    let slots = 1 << 4;
    while (slots < capacity * 2) slots *= 2;
    this.mask = slots - 1;
    this.table = new Int32Array(slots);
    this.starts = new Int32Array(capacity);
    this.lengths = new Int32Array(capacity);
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
    this.starts[n] = this.used;
    this.lengths[n] = written;
    this.keys[n] = key;
    this.used += written;
    let slot = hashBytes(this.pool, this.starts[n]!, written) & this.mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
    this.table[slot] = n + 1;
    this.size += 1;
  }

  /** The key of the profile whose ID is these bytes, or -1 when there is none. */
  key(bytes: Uint8Array, start: number, length: number): number {
    let slot = hashBytes(bytes, start, length) & this.mask;
    for (;;) {
      const entry = this.table[slot]!;
      if (entry === 0) return -1;
      const n = entry - 1;
      if (this.lengths[n] === length && this.same(this.starts[n]!, bytes, start, length)) return this.keys[n]!;
      slot = (slot + 1) & this.mask;
    }
  }

  private same(at: number, bytes: Uint8Array, start: number, length: number): boolean {
    const pool = this.pool;
    for (let i = 0; i < length; i += 1) if (pool[at + i] !== bytes[start + i]) return false;
    return true;
  }

  /** Lets the memory go once the file is read. */
  clear(): void {
    this.table = new Int32Array(this.mask + 1);
    this.starts = new Int32Array(0);
    this.lengths = new Int32Array(0);
    this.keys = new Float64Array(0);
    this.pool = new Uint8Array(0);
  }
}
