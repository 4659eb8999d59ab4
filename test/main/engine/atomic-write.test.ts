import * as realFs from 'node:fs/promises';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../shared/contract/errors';
import type { FileSystem } from '../../../main/engine/deps';
import { writeFileAtomic } from '../../../main/engine/project/atomic-write';
import { randomId } from '../../../main/engine/node-deps';
import { expectEngineError, startTestEngine } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';

const noSleep = async () => undefined;
const errno = (code: string) => Object.assign(new Error(`${code}: refused`), { code });

/** The real file system, except that `rename` fails as scripted. */
function fsWithRename(failures: string[]): FileSystem & { renames: number } {
  const fs = {
    ...realFs,
    renames: 0,
    async rename(from: Parameters<FileSystem['rename']>[0], to: Parameters<FileSystem['rename']>[1]) {
      fs.renames += 1;
      const code = failures.shift();
      if (code) throw errno(code);
      return realFs.rename(from, to);
    },
  };
  return fs;
}

/**
 * The real file system, recording the calls that decide durability: each write, sync and
 * close of an open file, each rename. Files are named by their base name, the temporary
 * file as "temp".
 */
function recordingFs(target: string): FileSystem & { calls: string[] } {
  const calls: string[] = [];
  const label = (path: unknown) => {
    const name = String(path);
    if (name === target) return 'target';
    if (name.endsWith('.tmp')) return 'temp';
    return name === join(target, '..') ? 'folder' : name;
  };
  const fs = {
    ...realFs,
    calls,
    async open(...args: Parameters<FileSystem['open']>) {
      const handle = await realFs.open(...args);
      const file = label(args[0]);
      const wrap = <K extends 'write' | 'sync' | 'datasync' | 'close'>(name: K) =>
        (async (...rest: unknown[]) => {
          calls.push(`${name} ${file}`);
          return (handle[name] as (...a: unknown[]) => Promise<unknown>).apply(handle, rest);
        }) as (typeof handle)[K];
      return Object.assign(Object.create(handle) as typeof handle, {
        write: wrap('write'),
        sync: wrap('sync'),
        datasync: wrap('datasync'),
        close: wrap('close'),
      });
    },
    async rename(from: Parameters<FileSystem['rename']>[0], to: Parameters<FileSystem['rename']>[1]) {
      calls.push(`rename ${label(from)} -> ${label(to)}`);
      return realFs.rename(from, to);
    },
  };
  return fs;
}

describe('atomic save', () => {
  it('writes, flushes and closes the temporary file, renames it, then flushes the folder, in that order', async () => {
    const dir = tempDir();
    const target = join(dir, 'plan.cplan');
    writeFileSync(target, 'old');
    const fs = recordingFs(target);
    await writeFileAtomic(fs, target, new Uint8Array(3 << 20).fill(7), { randomId, sleep: noSleep, chunkBytes: 1 << 20 });
    expect(fs.calls).toEqual([
      'write temp',
      'write temp',
      'write temp',
      'sync temp',
      'close temp',
      'rename temp -> target',
      'sync folder',
      'close folder',
    ]);
    expect(readFileSync(target).byteLength).toBe(3 << 20);
  });

  it('replaces the target with exactly the new bytes and leaves no temporary file', async () => {
    const dir = tempDir();
    const target = join(dir, 'plan.cplan');
    writeFileSync(target, 'old');
    const data = new Uint8Array(10_000_000).map((_, i) => i % 251);
    const seen: number[] = [];
    await writeFileAtomic(realFs, target, data, {
      randomId,
      sleep: noSleep,
      chunkBytes: 1 << 20,
      onProgress: (written) => seen.push(written),
    });
    expect(Buffer.compare(readFileSync(target), Buffer.from(data))).toBe(0);
    expect(readdirSync(dir)).toEqual(['plan.cplan']);
    expect(seen.at(-1)).toBe(data.byteLength);
    expect(seen.length).toBe(10);
  });

  it('a save that fails before the rename leaves the old file intact', async () => {
    const dir = tempDir();
    const target = join(dir, 'plan.cplan');
    writeFileSync(target, 'the old, good project');
    const fs = fsWithRename(['ENOSPC']);
    const error = await writeFileAtomic(fs, target, new Uint8Array(1000), { randomId, sleep: noSleep }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).message).toMatch(/disk is full/);
    expect(readFileSync(target, 'utf8')).toBe('the old, good project');
    expect(readdirSync(dir)).toEqual(['plan.cplan']);
  });

  it('a save cancelled half-way leaves the old file intact', async () => {
    const dir = tempDir();
    const target = join(dir, 'plan.cplan');
    writeFileSync(target, 'old');
    const controller = new AbortController();
    const attempt = writeFileAtomic(realFs, target, new Uint8Array(8 << 20), {
      randomId,
      sleep: noSleep,
      chunkBytes: 1 << 20,
      signal: controller.signal,
      onProgress: (written) => {
        if (written >= 3 << 20) controller.abort();
      },
    });
    await expectEngineError(attempt, 'CANCELLED');
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['plan.cplan']);
  });

  it('retries a rename refused by another program (as on Windows), then succeeds', async () => {
    const dir = tempDir();
    const target = join(dir, 'plan.cplan');
    writeFileSync(target, 'old');
    const fs = fsWithRename(['EPERM', 'EBUSY', 'EACCES']);
    const waits: number[] = [];
    await writeFileAtomic(fs, target, new TextEncoder().encode('new'), {
      randomId,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(fs.renames).toBe(4);
    expect(waits).toEqual([50, 100, 200]);
  });

  it('gives up after a few refused renames, with the old file intact and no litter', async () => {
    const dir = tempDir();
    const target = join(dir, 'plan.cplan');
    writeFileSync(target, 'old');
    const fs = fsWithRename(Array(10).fill('EPERM'));
    await expectEngineError(writeFileAtomic(fs, target, new Uint8Array(10), { randomId, sleep: noSleep, renameAttempts: 4 }), 'IO_ERROR');
    expect(fs.renames).toBe(4);
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['plan.cplan']);
  });

  it('keeps the permissions of the file it replaces', async () => {
    const dir = tempDir();
    const target = join(dir, 'plan.cplan');
    writeFileSync(target, 'old', { mode: 0o600 });
    await writeFileAtomic(realFs, target, new Uint8Array(3), { randomId, sleep: noSleep });
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it('says clearly when the folder does not exist', async () => {
    const dir = tempDir();
    const error = await expectEngineError(
      writeFileAtomic(realFs, join(dir, 'missing', 'plan.cplan'), new Uint8Array(3), { randomId, sleep: noSleep }),
      'NOT_FOUND',
    );
    expect(error.message).toMatch(/does not exist/);
  });

  it('through the engine: a failed save keeps the old file and the unsaved state', async () => {
    const fs = fsWithRename([]);
    const t = await startTestEngine({ fs, sleep: noSleep });
    await t.call('project/new', { name: 'Version one' });
    const path = join(t.dir, 'plan.cplan');
    await t.call('project/saveAs', { path });
    const before = readFileSync(path);
    await t.call('project/update', { name: 'Version two' });
    const failures = ['ENOSPC'];
    fs.rename = async (from, to) => {
      const code = failures.shift();
      if (code) throw errno(code);
      return realFs.rename(from, to);
    };
    // Save As writes a whole new file (a small change is saved in place: save-journal.test.ts).
    await expectEngineError(t.call('project/saveAs', { path, overwrite: true }), 'IO_ERROR');
    expect(Buffer.compare(readFileSync(path), before)).toBe(0);
    expect(await t.call('project/state', {})).toMatchObject({ dirty: true, name: 'Version two' });
    await t.call('project/save', {});
    await t.call('project/close', {});
    expect((await t.call('project/open', { path })).name).toBe('Version two');
  });
});
