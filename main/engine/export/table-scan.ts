/**
 * Reads the rows of one table straight from a snapshot of the SQLite file (its bytes, or
 * `db.snapshot()` read page by page), in rowid order, without a call into sql.js per row or per cell.
 *
 * Why: exporting a million profiles through SQL costs about a microsecond per cell in
 * WebAssembly (each value converted and copied through the statement API, or each CSV line
 * built by SQL functions), several seconds in all; walking the table's b-tree in JavaScript
 * costs a fraction of that. The format is SQLite's documented, stable file format
 * (https://www.sqlite.org/fileformat2.html): table b-tree pages, cells, overflow chains and
 * records. Anything unexpected throws `UnreadableSnapshot`, and the caller falls back to
 * reading through SQL, so a surprise costs speed, never correctness.
 */

import type { ByteSource } from '../sqlite/database';

/** The snapshot does not look like what this reader understands. */
export class UnreadableSnapshot extends Error {
  override readonly name = 'UnreadableSnapshot';
}

const LEAF_TABLE = 0x0d;
const INTERIOR_TABLE = 0x05;
const MAX_DEPTH = 40;
/** Bytes of a stored integer by serial type 1..6. */
const INT_WIDTH = [0, 1, 2, 3, 4, 6, 8] as const;

/** What a stored value is, from its serial type. */
export const VALUE_NULL = 0;
export const VALUE_INTEGER = 1;
export const VALUE_FLOAT = 2;
export const VALUE_TEXT = 3;
export const VALUE_BLOB = 4;

/**
 * One row as stored: `count` columns; column i is a value of class `classes[i]` (VALUE_*),
 * serial type `types[i]`, whose `lengths[i]` bytes start at `offsets[i]` in `bytes`.
 * Columns added to the table after the row was written are not in the record (their
 * value is NULL: `count` is smaller than the table's).
 */
export interface RecordView {
  rowid: number;
  bytes: Uint8Array;
  count: number;
  /** Bytes of the whole record (header and content). */
  size: number;
  readonly classes: Uint8Array;
  readonly types: Float64Array;
  readonly offsets: Int32Array;
  readonly lengths: Int32Array;
}

export function serialLength(type: number): number {
  if (type >= 12) return Math.floor((type - 12) / 2);
  if (type <= 6) return INT_WIDTH[type] ?? 0;
  return type === 7 ? 8 : 0;
}

function serialClass(type: number): number {
  if (type === 0) return VALUE_NULL;
  if (type === 7) return VALUE_FLOAT;
  if (type <= 9) return VALUE_INTEGER;
  return type % 2 === 1 ? VALUE_TEXT : VALUE_BLOB;
}

const float = new Float64Array(1);
/** The bytes of `float`, most significant last on little-endian machines (all that Node runs on). */
const floatBytes = new Uint8Array(float.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The value of an integer column (serial types 1-6, 8, 9). */
export function readInteger(bytes: Uint8Array, offset: number, type: number): number {
  if (type === 8) return 0;
  if (type === 9) return 1;
  const width = INT_WIDTH[type] ?? 0;
  if (width <= 4) {
    // Big-endian two's complement: starting from -1 for a negative value subtracts 256^width.
    let value = bytes[offset]! & 0x80 ? -1 : 0;
    for (let i = 0; i < width; i += 1) value = value * 256 + bytes[offset + i]!;
    return value;
  }
  // 6 and 8 bytes: exact through BigInt, then to the nearest double.
  let big = 0n;
  for (let i = 0; i < width; i += 1) big = (big << 8n) | BigInt(bytes[offset + i]!);
  return Number(BigInt.asIntN(width * 8, big));
}

/** A stored double: 8 bytes, big-endian. */
export function readFloat(bytes: Uint8Array, offset: number): number {
  if (LITTLE_ENDIAN) {
    for (let i = 0; i < 8; i += 1) floatBytes[7 - i] = bytes[offset + i]!;
  } else {
    for (let i = 0; i < 8; i += 1) floatBytes[i] = bytes[offset + i]!;
  }
  return float[0]!;
}

/** Pages read from a source at once (the table's pages mostly follow each other in the file). */
const READ_AHEAD_PAGES = 32;
/** Pages kept read; the cache starts afresh beyond this (8 MiB of 8 KiB pages). */
const CACHED_PAGES = 1024;

/**
 * The leaves of one table b-tree, in key (rowid) order, and the records on them.
 * `file` is a whole database file, or a source to read its pages from; `rootPage` the
 * table's root (sqlite_schema.rootpage). A record's offsets are within its `bytes` (its
 * page, or the buffer its overflowing payload was gathered into), valid until the next cell
 * is read.
 */
export class TableScan {
  private readonly pageSize: number;
  private readonly usable: number;
  private readonly pageCount: number;
  /** Interior pages on the way down, and the index of the next child to visit in each. */
  private readonly stack: { page: number; next: number; cells: number }[] = [];
  private rootVisited = false;
  private overflowBuffer = new Uint8Array(0);
  private readonly cache = new Map<number, Uint8Array>();
  readonly record: RecordView;

  constructor(
    private readonly file: Uint8Array | ByteSource,
    private readonly rootPage: number,
    maxColumns: number,
  ) {
    const size = file instanceof Uint8Array ? file.byteLength : file.size;
    const head = new Uint8Array(Math.min(size, 100));
    if (file instanceof Uint8Array) head.set(file.subarray(0, head.length));
    else file.read(head, 0);
    if (size < 512 || String.fromCharCode(...head.subarray(0, 15)) !== 'SQLite format 3') {
      throw new UnreadableSnapshot('not an SQLite file');
    }
    const rawSize = (head[16]! << 8) | head[17]!;
    this.pageSize = rawSize === 1 ? 65536 : rawSize;
    this.usable = this.pageSize - head[20]!;
    // Text encoding 1 is UTF-8; a UTF-16 database would need decoding per value.
    const encoding = ((head[56]! << 24) >>> 0) + ((head[57]! << 16) | (head[58]! << 8) | head[59]!);
    if (encoding !== 1) throw new UnreadableSnapshot(`text encoding ${encoding}`);
    if (this.pageSize < 512 || (this.pageSize & (this.pageSize - 1)) !== 0 || this.usable < 480) {
      throw new UnreadableSnapshot(`page size ${this.pageSize}`);
    }
    this.pageCount = Math.floor(size / this.pageSize);
    this.checkPage(rootPage);
    this.record = {
      rowid: 0,
      bytes: head,
      count: 0,
      size: 0,
      classes: new Uint8Array(maxColumns),
      types: new Float64Array(maxColumns),
      offsets: new Int32Array(maxColumns),
      lengths: new Int32Array(maxColumns),
    };
  }

  /** The next leaf page in key order, or null after the last. */
  nextLeaf(): number | null {
    if (!this.rootVisited) {
      this.rootVisited = true;
      return this.descend(this.rootPage, 0);
    }
    while (this.stack.length > 0) {
      const top = this.stack[this.stack.length - 1]!;
      if (top.next > top.cells) {
        this.stack.pop();
        continue;
      }
      const child = this.childOf(top.page, top.next);
      top.next += 1;
      const leaf = this.descend(child, this.stack.length);
      if (leaf !== null) return leaf;
    }
    return null;
  }

  /** Number of cells (rows) on a leaf page. */
  cellCount(leaf: number): number {
    const page = this.page(leaf);
    const header = headerOffset(leaf);
    return (page[header + 3]! << 8) | page[header + 4]!;
  }

  /** Decodes the record of cell `index` of `leaf` into `this.record`. */
  readCell(leaf: number, index: number): RecordView {
    const file = this.page(leaf);
    const header = headerOffset(leaf);
    const pointer = (file[header + 8 + 2 * index]! << 8) | file[header + 9 + 2 * index]!;
    if (pointer >= this.pageSize) throw new UnreadableSnapshot(`cell ${index} of page ${leaf} is outside its page`);
    let p = pointer;
    // Payload size (varint), then the rowid (varint), then the payload.
    let payloadSize = 0;
    let b: number;
    let n = 0;
    do {
      b = file[p++]!;
      payloadSize = payloadSize * 128 + (b & 0x7f);
      n += 1;
    } while (b & 0x80 && n < 9);
    // The rowid: a varint of up to 9 bytes (the 9th contributes all 8 bits), two's complement.
    let rowid = 0;
    for (n = 0; ; n += 1) {
      b = file[p++]!;
      if (n === 8) {
        rowid = rowid * 256 + b;
        break;
      }
      rowid = rowid * 128 + (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    if (rowid >= 2 ** 63) rowid -= 2 ** 64;
    this.record.rowid = rowid;
    const maxLocal = this.usable - 35;
    let bytes = file;
    let start = p;
    if (payloadSize > maxLocal) {
      bytes = this.assembleOverflow(file, p, payloadSize, maxLocal);
      start = 0;
    } else if (p + payloadSize > this.pageSize) {
      throw new UnreadableSnapshot(`cell ${index} of page ${leaf} runs past its page`);
    }
    this.decodeRecord(bytes, start, payloadSize);
    return this.record;
  }

  private decodeRecord(bytes: Uint8Array, start: number, size: number): void {
    const record = this.record;
    let p = start;
    let headerSize = 0;
    let b: number;
    do {
      b = bytes[p++]!;
      headerSize = headerSize * 128 + (b & 0x7f);
    } while (b & 0x80);
    const headerEnd = start + headerSize;
    if (headerSize < 1 || headerSize > size) throw new UnreadableSnapshot('bad record header');
    let content = headerEnd;
    let count = 0;
    const max = record.types.length;
    while (p < headerEnd) {
      let type = bytes[p++]!;
      if (type & 0x80) {
        type &= 0x7f;
        let n = 1;
        do {
          b = bytes[p++]!;
          type = type * 128 + (b & 0x7f);
          n += 1;
        } while (b & 0x80 && n < 9);
      }
      if (type === 10 || type === 11) throw new UnreadableSnapshot(`reserved serial type ${type}`);
      const length = serialLength(type);
      if (count < max) {
        record.classes[count] = serialClass(type);
        record.types[count] = type;
        record.offsets[count] = content;
        record.lengths[count] = length;
        count += 1;
      }
      content += length;
    }
    if (content > start + size) throw new UnreadableSnapshot('record content runs past its payload');
    record.bytes = bytes;
    record.count = count;
    record.size = size;
  }

  /** A payload that spills to overflow pages, gathered into one buffer (`leaf`: the page of its local part). */
  private assembleOverflow(leaf: Uint8Array, localStart: number, payloadSize: number, maxLocal: number): Uint8Array {
    const usable = this.usable;
    const minLocal = Math.floor(((usable - 12) * 32) / 255) - 23;
    const surplus = minLocal + ((payloadSize - minLocal) % (usable - 4));
    const local = surplus <= maxLocal ? surplus : minLocal;
    if (localStart + local + 4 > this.pageSize) throw new UnreadableSnapshot('an overflowing cell runs past its page');
    if (this.overflowBuffer.byteLength < payloadSize) this.overflowBuffer = new Uint8Array(payloadSize);
    const out = this.overflowBuffer;
    out.set(leaf.subarray(localStart, localStart + local), 0);
    let copied = local;
    let next = u32(leaf, localStart + local);
    let hops = 0;
    while (copied < payloadSize) {
      this.checkPage(next);
      hops += 1;
      if (hops > this.pageCount) throw new UnreadableSnapshot('overflow chain loops');
      const page = this.page(next);
      const take = Math.min(usable - 4, payloadSize - copied);
      out.set(page.subarray(4, 4 + take), copied);
      copied += take;
      next = u32(page, 0);
    }
    return out;
  }

  /** Goes down from `page` along the first children until a leaf; interior pages go on the stack. */
  private descend(page: number, depth: number): number | null {
    let current = page;
    for (let level = depth; ; level += 1) {
      if (level > MAX_DEPTH) throw new UnreadableSnapshot('b-tree too deep');
      this.checkPage(current);
      const bytes = this.page(current);
      const header = headerOffset(current);
      const kind = bytes[header];
      if (kind === LEAF_TABLE) return current;
      if (kind !== INTERIOR_TABLE) throw new UnreadableSnapshot(`page ${current} is not a table b-tree page (type ${kind})`);
      const cells = (bytes[header + 3]! << 8) | bytes[header + 4]!;
      this.stack.push({ page: current, next: 1, cells });
      current = this.childOf(current, 0);
    }
  }

  /** Child `index` of an interior page: the left child of cell `index`, or the right-most pointer. */
  private childOf(page: number, index: number): number {
    const bytes = this.page(page);
    const header = headerOffset(page);
    const cells = (bytes[header + 3]! << 8) | bytes[header + 4]!;
    if (index === cells) return u32(bytes, header + 8);
    const pointer = (bytes[header + 12 + 2 * index]! << 8) | bytes[header + 13 + 2 * index]!;
    if (pointer + 4 > this.pageSize) throw new UnreadableSnapshot(`cell ${index} of page ${page} is outside its page`);
    return u32(bytes, pointer);
  }

  /** The bytes of page `n` (1-based), read from the source with the pages after it when not read yet. */
  private page(n: number): Uint8Array {
    this.checkPage(n);
    const size = this.pageSize;
    if (this.file instanceof Uint8Array) return this.file.subarray((n - 1) * size, n * size);
    const cached = this.cache.get(n);
    if (cached) return cached;
    if (this.cache.size >= CACHED_PAGES) this.cache.clear();
    const count = Math.min(READ_AHEAD_PAGES, this.pageCount - n + 1);
    const block = new Uint8Array(count * size);
    if (this.file.read(block, (n - 1) * size) !== block.length) throw new UnreadableSnapshot(`page ${n} could not be read`);
    for (let i = 0; i < count; i += 1) this.cache.set(n + i, block.subarray(i * size, (i + 1) * size));
    return this.cache.get(n)!;
  }

  private checkPage(page: number): void {
    if (!Number.isInteger(page) || page < 1 || page > this.pageCount) throw new UnreadableSnapshot(`page ${page} is outside the file`);
  }
}

/** Where a page's b-tree header starts: after the file's header on page 1. */
function headerOffset(page: number): number {
  return page === 1 ? 100 : 0;
}

function u32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) >>> 0) + ((bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!);
}
