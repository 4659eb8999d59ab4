/**
 * Saving a small change in place (save-project.ts, save-journal.ts): only the changed pages
 * are written, under a rollback journal; a save cut short at any step leaves a file that
 * opens as exactly the old or the new project; a save of nothing writes nothing; a file
 * this installation wrote opens without the full integrity check, and one changed by
 * someone else since is checked in full again.
 */
import * as realFs from 'node:fs/promises';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileSystem } from '../../../main/engine/deps';
import { journalPathOf, rollBackInterruptedSave, writeChangesInPlace } from '../../../main/engine/project/save-journal';
import { expectEngineError, startTestEngine, type TestEngine } from '../../helpers/engine';
import { writeBigProject } from '../../helpers/big-project';
import { tempDir } from '../../helpers/temp-dir';

const checked = (t: TestEngine) => t.events.some((e) => e.event === 'progress' && e.payload.phase === 'Checking the file');

/** A project of about 4 MB saved by an engine (so in its record of written files), and that engine, the project open. */
async function savedProject(): Promise<{ t: TestEngine; path: string }> {
  const dir = tempDir();
  const source = join(dir, 'source.cplan');
  await writeBigProject(source, 4, 'Old');
  const t = await startTestEngine();
  await t.call('project/open', { path: source });
  const path = join(dir, 'plan.cplan');
  await t.call('project/saveAs', { path });
  return { t, path };
}

/** The name of the project in `path`, opened by a fresh engine (its own record: every page checked). */
async function nameIn(path: string): Promise<string> {
  const fresh = await startTestEngine();
  const state = await fresh.call('project/open', { path }, 'open');
  expect(checked(fresh)).toBe(true);
  await fresh.call('project/close', {});
  return state.name;
}

/** A change of several pages in several places of the file: the name, a long description, a new database. */
async function bigChange(t: TestEngine): Promise<void> {
  await t.call('project/update', { name: 'New', description: 'x'.repeat(5_000) });
  await t.call('database/create', { name: 'Second' });
}

/**
 * The real file system until `alive` mutating calls on the project's files (its file and its
 * journal) have been made; from then on every call on them fails, as after kill -9: nothing
 * more reaches the disk, not even the save's own attempt to undo.
 */
function dyingFs(path: string, alive: number): FileSystem & { calls: number; armed: boolean } {
  const ours = (p: unknown) => fs.armed && (String(p) === path || String(p) === journalPathOf(path));
  const fs = {
    ...realFs,
    calls: 0,
    /** Counting (and dying) starts when armed: just before the save. */
    armed: false,
    dead() {
      if (fs.calls >= alive) throw Object.assign(new Error('killed'), { code: 'EIO' });
    },
    step() {
      fs.dead();
      fs.calls += 1;
    },
    async open(...args: Parameters<FileSystem['open']>) {
      if (!ours(args[0])) return realFs.open(...args);
      fs.dead();
      const handle = await realFs.open(...args);
      const mutating = <K extends 'write' | 'sync' | 'truncate'>(name: K) =>
        (async (...rest: unknown[]) => {
          fs.step();
          return (handle[name] as (...a: unknown[]) => Promise<unknown>).apply(handle, rest);
        }) as (typeof handle)[K];
      return Object.assign(Object.create(handle) as typeof handle, { write: mutating('write'), sync: mutating('sync'), truncate: mutating('truncate') });
    },
    async unlink(p: Parameters<FileSystem['unlink']>[0]) {
      if (ours(p)) fs.step();
      return realFs.unlink(p);
    },
  };
  return fs;
}

describe('saving a small change in place', () => {
  it('writes only into the file (same file, no temporary copy, no journal left) and opens as the new project', async () => {
    const { t, path } = await savedProject();
    const before = statSync(path);
    await t.call('project/update', { name: 'New' });
    await t.call('project/save', {}, 'save');
    const after = statSync(path);
    expect(after.ino).toBe(before.ino);
    expect(readdirSync(join(path, '..')).filter((f) => f.startsWith('.plan.cplan') || f.endsWith('.journal'))).toEqual([]);
    expect(t.events.some((e) => e.event === 'progress' && e.payload.phase === 'Writing the changes')).toBe(true);
    expect(await nameIn(path)).toBe('New');
  });

  it('writes nothing when nothing changed', async () => {
    const { t, path } = await savedProject();
    await t.call('project/close', {});
    await t.call('project/open', { path });
    const bytes = readFileSync(path);
    const before = statSync(path);
    t.events.length = 0;
    await t.call('project/save', {}, 'save');
    const after = statSync(path);
    expect([after.ino, after.mtimeMs, after.ctimeMs]).toEqual([before.ino, before.mtimeMs, before.ctimeMs]);
    expect(Buffer.compare(readFileSync(path), bytes)).toBe(0);
    expect(t.events.some((e) => e.event === 'progress' && /Writing/.test(e.payload.phase))).toBe(false);
  });

  it('cut short at any step, the file opens as exactly the old or the new project', async () => {
    const outcomes: string[] = [];
    let rolledBack = 0;
    const template = join(tempDir(), 'template.cplan');
    await writeBigProject(template, 4, 'Old');
    for (let alive = 0; ; alive += 1) {
      const path = join(tempDir(), 'plan.cplan');
      copyFileSync(template, path);
      const fs = dyingFs(path, alive);
      const t = await startTestEngine({ fs });
      await t.call('project/open', { path });
      await bigChange(t);
      fs.armed = true;
      const saved = await t.raw('project/save', {});
      if (existsSync(journalPathOf(path))) rolledBack += 1;
      const name = await nameIn(path);
      expect(existsSync(journalPathOf(path))).toBe(false);
      outcomes.push(name);
      if (saved.ok) {
        expect(name).toBe('New');
        break;
      }
      expect(['Old', 'New']).toContain(name);
    }
    // Killed before the journal was complete: the old project; after the journal was
    // removed: the new one; in between, the journal put the old one back.
    expect(outcomes[0]).toBe('Old');
    expect(outcomes.length).toBeGreaterThan(5);
    expect(rolledBack).toBeGreaterThan(2);
  }, 180_000);

  it('a failed write (not a kill) puts the old project back at once and keeps the change unsaved', async () => {
    const { path } = await savedProject();
    let failing = false;
    const fs = {
      ...realFs,
      async open(...args: Parameters<FileSystem['open']>) {
        const handle = await realFs.open(...args);
        if (!failing || String(args[0]) !== path) return handle;
        let writes = 0;
        return Object.assign(Object.create(handle) as typeof handle, {
          write: async (...rest: unknown[]) => {
            writes += 1;
            if (writes === 2) throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
            return (handle.write as (...a: unknown[]) => Promise<unknown>).apply(handle, rest);
          },
        });
      },
    };
    const t = await startTestEngine({ fs });
    await t.call('project/open', { path });
    await bigChange(t);
    failing = true;
    await expectEngineError(t.call('project/save', {}), 'IO_ERROR');
    failing = false;
    expect(existsSync(journalPathOf(path))).toBe(false);
    expect(await nameIn(path)).toBe('Old');
    // The project reads from the file it tried to save into (disk-file.ts): rolled back, it
    // is the same file again, though its times changed (the check of that runs at most
    // every 500 ms: waited for).
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await t.call('project/state', {})).toMatchObject({ dirty: true, name: 'New' });
    await t.call('project/save', {});
    expect(await nameIn(path)).toBe('New');
  });

  it('a journal of a save under way in another running process: opening refuses, saying so', async () => {
    // Another process (pid 4000000) cut short after its journal was complete: as if still saving.
    for (let alive = 1; alive < 50; alive += 1) {
      const { path } = await savedProject();
      const fs = dyingFs(path, alive);
      const other = await startTestEngine({ fs, pid: 4_000_000 });
      await other.call('project/open', { path });
      await other.call('project/update', { name: 'New' });
      fs.armed = true;
      await other.raw('project/save', {});
      if (!existsSync(journalPathOf(path))) continue;
      const reader = await startTestEngine({ isProcessAlive: (pid) => pid === 4_000_000 });
      const opened = await reader.raw('project/open', { path });
      // An incomplete journal is no save under way that matters: it was dropped, the file opened.
      if (opened.ok) continue;
      expect(opened.error).toMatchObject({ code: 'REFUSED' });
      expect(opened.error.message).toMatch(/is being saved by another Campaign Planner \(process 4000000\)/);
      // Once that process is gone, the journal is rolled back.
      expect(await nameIn(path)).toBe('Old');
      return;
    }
    throw new Error('no complete journal was ever left');
  }, 120_000);
});

describe('the journal of a save in place', () => {
  it('keeps the tail of a file the save cut shorter: rolled back, the file is exactly as before', async () => {
    const path = join(tempDir(), 'shrunk.cplan');
    const before = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919) % 251));
    writeFileSync(path, before);
    // Killed after the pages were written and the file cut, before the journal was removed.
    const fs = { ...realFs, unlink: async () => Promise.reject(Object.assign(new Error('killed'), { code: 'EIO' })) };
    const changes = { writes: [{ offset: 8192, bytes: new Uint8Array(8192).fill(1) }], bytes: 8192 };
    const options = { pid: process.pid, isProcessAlive: () => false };
    await expect(writeChangesInPlace(fs, path, changes, 16 * 1024, options)).rejects.toThrow();
    expect(statSync(path).size).toBe(16 * 1024);
    expect(await rollBackInterruptedSave(realFs, path, options)).toBe('rolled back');
    expect(Buffer.compare(readFileSync(path), before)).toBe(0);
    expect(existsSync(journalPathOf(path))).toBe(false);
  });
});

describe('opening a file this installation wrote', () => {
  it('skips the full check; a file changed by someone else since is checked in full again', async () => {
    const { t, path } = await savedProject();
    await t.call('project/close', {});
    t.events.length = 0;
    await t.call('project/open', { path }, 'open');
    expect(checked(t)).toBe(false);
    await t.call('project/close', {});
    // Someone else damages pages of profiles (their first bytes: page headers and links),
    // keeping the size: only the full check sees it.
    const bytes = readFileSync(path);
    for (let page = 8192 * 100; page < bytes.length; page += 8192 * 50) bytes.fill(0xee, page, page + 16);
    writeFileSync(path, bytes);
    t.events.length = 0;
    await expectEngineError(t.call('project/open', { path }, 'open'), 'CORRUPT_FILE');
    expect(checked(t)).toBe(true);
  });
});
