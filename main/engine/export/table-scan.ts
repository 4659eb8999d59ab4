/**
 * Reads the rows of one table straight from a snapshot of the SQLite file (the bytes of
 * `db.export()`), in rowid order, without a call into sql.js per row or per cell.
 *
 * Why: exporting a million profiles through SQL costs about a microsecond per cell in
 * WebAssembly (each value converted and copied through the statement API, or each CSV line
 * built by SQL functions), several seconds in all; walking the table's b-tree in JavaScript
 * costs a fraction of that. The format is SQLite's documented, stable file format
 * (https://www.sqlite.org/fileformat2.html): table b-tree pages, cells, overflow chains and
 * records. Anything unexpected throws `UnreadableSnapshot`, and the caller falls back to
 * reading through SQL, so a surprise costs speed, never correctness.
 */

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

/**
 * The leaves of one table b-tree, in key (rowid) order, and the records on them.
 * `file` is a whole database file; `rootPage` the table's root (sqlite_schema.rootpage).
 */
export class TableScan {
  private readonly pageSize: number;
  private readonly usable: number;
  private readonly pageCount: number;
  /** Interior pages on the way down, and the index of the next child to visit in each. */
  private readonly stack: { page: number; next: number; cells: number }[] = [];
  private rootVisited = false;
  private overflowBuffer = new Uint8Array(0);
  readonly record: RecordView;

  constructor(
    private readonly file: Uint8Array,
    private readonly rootPage: number,
    maxColumns: number,
  ) {
    if (file.byteLength < 512 || String.fromCharCode(...file.subarray(0, 15)) !== 'SQLite format 3') {
      throw new UnreadableSnapshot('not an SQLite file');
    }
    const rawSize = (file[16]! << 8) | file[17]!;
    this.pageSize = rawSize === 1 ? 65536 : rawSize;
    this.usable = this.pageSize - file[20]!;
    // Text encoding 1 is UTF-8; a UTF-16 database would need decoding per value.
    const encoding = ((file[56]! << 24) >>> 0) + ((file[57]! << 16) | (file[58]! << 8) | file[59]!);
    if (encoding !== 1) throw new UnreadableSnapshot(`text encoding ${encoding}`);
    if (this.pageSize < 512 || (this.pageSize & (this.pageSize - 1)) !== 0 || this.usable < 480) {
      throw new UnreadableSnapshot(`page size ${this.pageSize}`);
    }
    this.pageCount = Math.floor(file.byteLength / this.pageSize);
    this.checkPage(rootPage);
    this.record = {
      rowid: 0,
      bytes: file,
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
    const header = this.headerOffset(leaf);
    return (this.file[header + 3]! << 8) | this.file[header + 4]!;
  }

  /** Decodes the record of cell `index` of `leaf` into `this.record`. */
  readCell(leaf: number, index: number): RecordView {
    const file = this.file;
    const base = (leaf - 1) * this.pageSize;
    const header = this.headerOffset(leaf);
    const pointer = base + ((file[header + 8 + 2 * index]! << 8) | file[header + 9 + 2 * index]!);
    if (pointer >= base + this.pageSize) throw new UnreadableSnapshot(`cell ${index} of page ${leaf} is outside its page`);
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
      bytes = this.assembleOverflow(p, payloadSize, maxLocal);
      start = 0;
    } else if (p + payloadSize > base + this.pageSize) {
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

  /** A payload that spills to overflow pages, gathered into one buffer. */
  private assembleOverflow(localStart: number, payloadSize: number, maxLocal: number): Uint8Array {
    const usable = this.usable;
    const minLocal = Math.floor(((usable - 12) * 32) / 255) - 23;
    const surplus = minLocal + ((payloadSize - minLocal) % (usable - 4));
    const local = surplus <= maxLocal ? surplus : minLocal;
    if (this.overflowBuffer.byteLength < payloadSize) this.overflowBuffer = new Uint8Array(payloadSize);
    const out = this.overflowBuffer;
    const file = this.file;
    out.set(file.subarray(localStart, localStart + local), 0);
    let copied = local;
    let page = this.u32(localStart + local);
    let hops = 0;
    while (copied < payloadSize) {
      this.checkPage(page);
      hops += 1;
      if (hops > this.pageCount) throw new UnreadableSnapshot('overflow chain loops');
      const base = (page - 1) * this.pageSize;
      const take = Math.min(usable - 4, payloadSize - copied);
      out.set(file.subarray(base + 4, base + 4 + take), copied);
      copied += take;
      page = this.u32(base);
    }
    return out;
  }

  /** Goes down from `page` along the first children until a leaf; interior pages go on the stack. */
  private descend(page: number, depth: number): number | null {
    let current = page;
    for (let level = depth; ; level += 1) {
      if (level > MAX_DEPTH) throw new UnreadableSnapshot('b-tree too deep');
      this.checkPage(current);
      const header = this.headerOffset(current);
      const kind = this.file[header];
      if (kind === LEAF_TABLE) return current;
      if (kind !== INTERIOR_TABLE) throw new UnreadableSnapshot(`page ${current} is not a table b-tree page (type ${kind})`);
      const cells = (this.file[header + 3]! << 8) | this.file[header + 4]!;
      this.stack.push({ page: current, next: 1, cells });
      current = this.childOf(current, 0);
    }
  }

  /** Child `index` of an interior page: the left child of cell `index`, or the right-most pointer. */
  private childOf(page: number, index: number): number {
    const header = this.headerOffset(page);
    const cells = (this.file[header + 3]! << 8) | this.file[header + 4]!;
    if (index === cells) return this.u32(header + 8);
    const base = (page - 1) * this.pageSize;
    const pointer = base + ((this.file[header + 12 + 2 * index]! << 8) | this.file[header + 13 + 2 * index]!);
    return this.u32(pointer);
  }

  private headerOffset(page: number): number {
    return (page - 1) * this.pageSize + (page === 1 ? 100 : 0);
  }

  private checkPage(page: number): void {
    if (!Number.isInteger(page) || page < 1 || page > this.pageCount) throw new UnreadableSnapshot(`page ${page} is outside the file`);
  }

  private u32(offset: number): number {
    const f = this.file;
    return ((f[offset]! << 24) >>> 0) + ((f[offset + 1]! << 16) | (f[offset + 2]! << 8) | f[offset + 3]!);
  }
}
