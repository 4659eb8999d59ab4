/**
 * A project's database file kept on disk while it is open, instead of in memory.
 *
 * sql.js keeps every database as a file in Emscripten's in-memory file system (MEMFS): a
 * 1M-profile project (a 443 MB file) cost 443 MB of memory from the moment it was opened,
 * and a 10M one a gigabyte, whatever the user did with it. A DiskFile stands in for that
 * file (disk-syscalls.ts routes SQLite's reads, writes, seeks, truncations and fstat of
 * the file to it): it reads the project file on disk through a descriptor held open, and
 * keeps in memory only the blocks SQLite wrote since (a copy-on-write overlay). Opening
 * reads nothing up front; memory holds what changed.
 *
 * The project file is never written through it: a save writes the changed pages under
 * its journal, or the whole file atomically (save-project.ts), then `rebase` makes the
 * saved file the new base and empties the overlay.
 *
 * Another program changing the file while it is open would make the pages read from it
 * garbage: reads check (at most every CHECK_INTERVAL_MS) that the file is still as it was
 * (device, inode, size, modification time) and fail, saying so, if it is not
 * (changedOutside). A file replaced by renaming another over it (as saves do) is not
 * changed: the descriptor still reads the file that was opened.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { FileIdentity } from '../project/written-files';

/** The overlay's unit: SQLite's page size for projects (a write of a part of one reads the rest first). */
export const BLOCK_BYTES = 8192;

/**
 * Blocks are cut from slabs this big (8192 blocks), never allocated one by one: a slab's
 * pages never written cost no memory, and a slab is given back to the operating system
 * when the overlay goes (at a save or close), where thousands of small buffers stayed in
 * the allocator's pools after they were freed (measured: 350 MiB kept after closing).
 */
const SLAB_BYTES = 64 * 1024 * 1024;

/** How often reads check that nobody changed the file (a check is one fstat). */
const CHECK_INTERVAL_MS = 500;

interface Block {
  readonly bytes: Uint8Array;
  /** The snapshot generation it was written in: older blocks may be shared with a snapshot. */
  readonly generation: number;
}

/**
 * A read that starts where the last one ended (a table scan: pages were written in order)
 * reads this much at once, so a scan of a big table costs a system call per 32 pages, not
 * per page. Lookups here and there read only what they ask for.
 */
const READ_AHEAD_BYTES = 256 * 1024;

/** The file on disk reads come from; closed once neither the file nor a snapshot uses it. */
class Base {
  users = 1;
  /** Where the last read ended, and the bytes read ahead of it (see READ_AHEAD_BYTES). */
  lastEnd = -1;
  ahead: { start: number; length: number; bytes: Uint8Array } | null = null;
  constructor(
    readonly fd: number,
    readonly path: string,
    public identity: FileIdentity,
  ) {}

  release(): void {
    this.users -= 1;
    if (this.users === 0) closeSync(this.fd);
  }
}

/** What a file holds at one moment: the base up to `baseLimit`, the overlay's blocks over it, zeros after. */
interface View {
  readonly base: Base;
  readonly baseLimit: number;
  readonly size: number;
  readonly blocks: ReadonlyMap<number, Block>;
}

function readView(view: View, into: Uint8Array, position: number): number {
  const length = Math.max(0, Math.min(into.length, view.size - position));
  let done = 0;
  while (done < length) {
    const at = position + done;
    const index = Math.floor(at / BLOCK_BYTES);
    const within = at - index * BLOCK_BYTES;
    const count = Math.min(BLOCK_BYTES - within, length - done);
    const block = view.blocks.get(index);
    if (block) into.set(block.bytes.subarray(within, within + count), done);
    else readBase(view, into.subarray(done, done + count), at);
    done += count;
  }
  return length;
}

/** The base's bytes at `position` (zeros past its limit or its end). */
function readBase(view: Pick<View, 'base' | 'baseLimit'>, into: Uint8Array, position: number): void {
  const available = Math.max(0, Math.min(into.length, view.baseLimit - position));
  const base = view.base;
  const sequential = position === base.lastEnd;
  base.lastEnd = position + available;
  let done = 0;
  if (available > 0 && available < READ_AHEAD_BYTES) {
    // A save in place rewrites only pages the overlay holds (never read from the base
    // meanwhile), and a new base replaces this one after it: bytes read ahead stay good.
    let ahead = base.ahead;
    if ((!ahead || position < ahead.start || position + available > ahead.start + ahead.length) && sequential) {
      const bytes = ahead?.bytes ?? new Uint8Array(READ_AHEAD_BYTES);
      ahead = base.ahead = { start: position, length: readFully(base.fd, bytes, bytes.length, position), bytes };
    }
    if (ahead && position >= ahead.start && position + available <= ahead.start + ahead.length) {
      into.set(ahead.bytes.subarray(position - ahead.start, position - ahead.start + available));
      done = available;
    }
  }
  if (done < available) done = readFully(base.fd, into, available, position);
  into.fill(0, done);
}

/** Reads up to `length` bytes at `position` into the start of `into`; fewer only at the file's end. */
function readFully(fd: number, into: Uint8Array, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const read = readSync(fd, into, done, length - done, position + done);
    if (read === 0) break;
    done += read;
  }
  return done;
}

export function identityOf(fd: number): FileIdentity {
  const s = fstatSync(fd);
  return { dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs };
}

/**
 * Whether the file's content is still what it was: not its change time, which moving or
 * deleting the open file changes too (both leave the content the descriptor reads as it was).
 */
function sameContent(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** A consistent copy of a file at one moment, read while the file goes on changing (a recovery copy, a save). */
export class FileSnapshot {
  private released = false;
  constructor(
    private readonly view: View,
    private readonly onRelease: () => void,
  ) {}

  get size(): number {
    return this.view.size;
  }

  read(into: Uint8Array, position: number): number {
    if (this.released) throw new Error('The snapshot was released');
    return readView(this.view, into, position);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.view.base.release();
    this.onRelease();
  }
}

export class DiskFile {
  private base: Base;
  private baseLimit: number;
  private blocks = new Map<number, Block>();
  private slab: Uint8Array | null = null;
  private slabUsed = 0;
  /** Whether the overlay holds every write since the last save (see changesSinceBaseline). */
  private complete = true;
  private generation = 0;
  private lastCheck = 0;
  /** Snapshots not released yet, and who waits for them all to be. */
  private liveSnapshots = 0;
  private waiting: (() => void)[] = [];
  /** Set once the file on disk was found changed by someone else: every read fails from then on. */
  changedOutside = false;
  size: number;

  /** Opens `path` for reading; `expected`: the identity it must still have (else it was changed since it was checked). */
  static open(path: string, expected?: FileIdentity): DiskFile {
    const fd = openSync(path, 'r');
    try {
      const identity = identityOf(fd);
      if (expected && !(sameContent(identity, expected) && identity.ctimeMs === expected.ctimeMs)) throw new Error(`"${path}" changed while it was being opened`);
      return new DiskFile(new Base(fd, path, identity));
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  private constructor(base: Base) {
    this.base = base;
    this.baseLimit = base.identity.size;
    this.size = base.identity.size;
  }

  get path(): string {
    return this.base.path;
  }

  /** The bytes the overlay holds in memory. */
  get overlayBytes(): number {
    return this.blocks.size * BLOCK_BYTES;
  }

  /**
   * What was written since the file was opened or last rebased (the baseline of an
   * in-place save: page-writes.ts), in blocks by offset; null once `markBaseline` was asked
   * for with changes in the overlay (what changed since then is not known apart).
   */
  changesSinceBaseline(): { offset: number; bytes: Uint8Array }[] | null {
    if (!this.complete) return null;
    return [...this.blocks].map(([index, block]) => ({ offset: index * BLOCK_BYTES, bytes: block.bytes }));
  }

  /** Asks for the file as it is now to be the baseline: only true of an empty overlay. */
  markBaseline(): void {
    this.complete = this.blocks.size === 0;
  }

  read(into: Uint8Array, position: number): number {
    this.checkUnchanged();
    return readView(this.view(), into, position);
  }

  write(from: Uint8Array, position: number): void {
    let done = 0;
    while (done < from.length) {
      const at = position + done;
      const index = Math.floor(at / BLOCK_BYTES);
      const within = at - index * BLOCK_BYTES;
      const count = Math.min(BLOCK_BYTES - within, from.length - done);
      const bytes = this.ownBlock(index, count < BLOCK_BYTES);
      bytes.set(from.subarray(done, done + count), within);
      done += count;
    }
    this.size = Math.max(this.size, position + from.length);
  }

  truncate(length: number): void {
    this.baseLimit = Math.min(this.baseLimit, length);
    for (const index of this.blocks.keys()) if (index * BLOCK_BYTES >= length) this.blocks.delete(index);
    const last = Math.floor(length / BLOCK_BYTES);
    const within = length - last * BLOCK_BYTES;
    // Bytes past the new end read as zeros if the file grows again (the base's are cut by baseLimit).
    if (within > 0 && this.blocks.has(last)) this.ownBlock(last, true).fill(0, within);
    this.size = length;
  }

  /** A copy of the file as it is now, which writes made after it do not change. */
  snapshot(): FileSnapshot {
    this.generation += 1;
    this.base.users += 1;
    this.liveSnapshots += 1;
    return new FileSnapshot({ ...this.view(), blocks: new Map(this.blocks) }, () => {
      this.liveSnapshots -= 1;
      if (this.liveSnapshots === 0) for (const resolve of this.waiting.splice(0)) resolve();
    });
  }

  /**
   * Resolves once no snapshot is being read: a save into the file in place must not
   * change the base under a snapshot (a recovery copy written meanwhile).
   */
  snapshotsReleased(): Promise<void> {
    return this.liveSnapshots === 0 ? Promise.resolve() : new Promise((resolve) => this.waiting.push(resolve));
  }

  private view(): View {
    return { base: this.base, baseLimit: this.baseLimit, size: this.size, blocks: this.blocks };
  }

  /** After a save: the file at `path` (as written, `size` bytes of it the database's) is the base, the overlay empty. */
  rebase(path: string): void {
    const next = DiskFile.open(path);
    this.base.release();
    this.base = next.base;
    this.baseLimit = next.baseLimit;
    this.size = next.size;
    this.dropOverlay();
    this.changedOutside = false;
  }

  /**
   * After a save into the file in place failed: `restored`, its journal put the old bytes
   * back (the file reads as before, only its times changed); else it may be half-written,
   * and is no longer read.
   */
  afterFailedSave(restored: boolean): void {
    if (restored && !this.changedOutside) this.base.identity = identityOf(this.base.fd);
    else this.changedOutside = true;
  }

  close(): void {
    this.dropOverlay();
    this.base.release();
  }

  private dropOverlay(): void {
    this.blocks = new Map();
    this.slab = null;
    this.slabUsed = 0;
    this.complete = true;
  }

  /** The block at `index`, writable by this file alone; `keep`: with its current bytes (a partial write). */
  private ownBlock(index: number, keep: boolean): Uint8Array {
    const block = this.blocks.get(index);
    if (block && block.generation === this.generation) return block.bytes;
    const bytes = this.newBlock();
    if (keep) {
      if (block) bytes.set(block.bytes);
      else readBase(this.view(), bytes, index * BLOCK_BYTES);
    }
    this.blocks.set(index, { bytes, generation: this.generation });
    return bytes;
  }

  /** A zeroed block from the current slab (a new slab when it is full). */
  private newBlock(): Uint8Array {
    if (!this.slab || this.slabUsed + BLOCK_BYTES > this.slab.length) {
      this.slab = new Uint8Array(SLAB_BYTES);
      this.slabUsed = 0;
    }
    const block = this.slab.subarray(this.slabUsed, this.slabUsed + BLOCK_BYTES);
    this.slabUsed += BLOCK_BYTES;
    return block;
  }

  private checkUnchanged(): void {
    if (this.changedOutside) throw new FileChangedError(this.base.path);
    const now = Date.now();
    if (now - this.lastCheck < CHECK_INTERVAL_MS) return;
    this.lastCheck = now;
    if (!sameContent(identityOf(this.base.fd), this.base.identity)) {
      this.changedOutside = true;
      throw new FileChangedError(this.base.path);
    }
  }
}

export class FileChangedError extends Error {
  constructor(readonly path: string) {
    super(`"${path}" was changed by another program while it was open`);
  }
}
