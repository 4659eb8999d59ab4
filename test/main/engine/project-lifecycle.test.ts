import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../shared/contract/events';
import { SqlDb } from '../../../main/engine/sqlite/database';
import { loadSqlJs } from '../../../main/engine/sqlite/sql-js';
import { APPLICATION_ID } from '../../../main/engine/project/file-format';
import { LATEST_SCHEMA_VERSION } from '../../../main/engine/project/schema';
import { expectEngineError, startTestEngine } from '../../helpers/engine';

describe('a project from new to reopened', () => {
  it('starts clean, becomes unsaved on a change, saves, and reopens the same', async () => {
    const t = await startTestEngine();
    const created = await t.call('project/new', { name: 'Spring plan' });
    expect(created).toMatchObject({ open: true, name: 'Spring plan', path: null, dirty: false, savedAt: null, clock: '2026-11-29T10:15' });
    // The project clock starts at the creator's local time, written without a zone.
    expect(created.clock).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);

    const changed = await t.call('project/update', { description: 'Holdout study' });
    expect(changed.dirty).toBe(true);

    const path = join(t.dir, 'spring.cplan');
    const saved = await t.call('project/saveAs', { path }, 'save-1');
    expect(saved).toMatchObject({ dirty: false, path, fileName: 'spring.cplan', savedAt: '2026-11-29T10:15:00.000Z' });

    await t.call('project/close', {});
    expect(await t.call('project/state', {})).toEqual({ open: false });

    const reopened = await t.call('project/open', { path }, 'open-1');
    expect(reopened).toMatchObject({ name: 'Spring plan', description: 'Holdout study', dirty: false, path });
    expect(reopened.sessionId).not.toBe(created.sessionId);
  });

  it('writes a real SQLite file with our application_id and schema version', async () => {
    const t = await startTestEngine();
    await t.call('project/new', { name: 'Check' });
    const path = join(t.dir, 'check.cplan');
    await t.call('project/saveAs', { path });
    const sql = await loadSqlJs();
    const db = SqlDb.create(sql, readFileSync(path));
    expect(db.scalar('PRAGMA application_id')).toBe(APPLICATION_ID);
    expect(db.scalar('PRAGMA user_version')).toBe(LATEST_SCHEMA_VERSION);
    expect(db.scalar("SELECT value FROM meta WHERE key = 'name'")).toBe('Check');
    db.close();
  });

  it('save writes to the same file; the previous content is replaced whole', async () => {
    const t = await startTestEngine();
    await t.call('project/new', { name: 'One' });
    const path = join(t.dir, 'p.cplan');
    await t.call('project/saveAs', { path });
    await t.call('project/update', { name: 'Two' });
    await t.call('project/save', {});
    await t.call('project/close', {});
    expect((await t.call('project/open', { path })).name).toBe('Two');
    expect(readdirSync(t.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses to save a never-saved project without a file name', async () => {
    const t = await startTestEngine();
    await t.call('project/new', {});
    const error = await expectEngineError(t.call('project/save', {}), 'REFUSED');
    expect(error.message).toMatch(/Save As/);
  });

  it('does not overwrite an existing file unless asked', async () => {
    const t = await startTestEngine();
    const path = join(t.dir, 'taken.cplan');
    writeFileSync(path, 'precious');
    await t.call('project/new', {});
    await expectEngineError(t.call('project/saveAs', { path }), 'ALREADY_EXISTS');
    expect(readFileSync(path, 'utf8')).toBe('precious');
    await t.call('project/saveAs', { path, overwrite: true });
    expect(readFileSync(path).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('never drops unsaved changes without a confirmation', async () => {
    const t = await startTestEngine();
    await t.call('project/new', { name: 'Precious' });
    await t.call('project/update', { description: 'work in progress' });
    const refusal = await expectEngineError(t.call('project/new', {}), 'UNSAVED_CHANGES');
    expect(refusal.message).toMatch(/"Precious" has unsaved changes/);
    await expectEngineError(t.call('project/close', {}), 'UNSAVED_CHANGES');
    await expectEngineError(t.call('project/open', { path: join(t.dir, 'x.cplan') }), 'UNSAVED_CHANGES');
    expect((await t.call('project/state', {})).open).toBe(true);
    await t.call('project/close', { discard: true });
    expect(await t.call('project/state', {})).toEqual({ open: false });
  });

  it('keeps the open project when opening another file fails', async () => {
    const t = await startTestEngine();
    await t.call('project/new', { name: 'Still here' });
    const bad = join(t.dir, 'bad.cplan');
    writeFileSync(bad, 'id;name\n1;x\n');
    await expectEngineError(t.call('project/open', { path: bad }), 'NOT_SQLITE');
    expect(await t.call('project/state', {})).toMatchObject({ open: true, name: 'Still here' });
  });

  it('needs an open project for project calls', async () => {
    const t = await startTestEngine();
    await expectEngineError(t.call('project/info', {}), 'NO_PROJECT');
    await expectEngineError(t.call('project/update', { name: 'x' }), 'NO_PROJECT');
    await expectEngineError(t.call('project/save', {}), 'NO_PROJECT');
  });

  it('refuses an empty name and an update with nothing to change', async () => {
    const t = await startTestEngine();
    await t.call('project/new', {});
    await expectEngineError(t.call('project/update', { name: '   ' }), 'INVALID_ARGUMENT');
    await expectEngineError(t.call('project/update', {}), 'INVALID_ARGUMENT');
    expect((await t.call('project/state', {})).open && (await t.call('project/state', {}))).toMatchObject({ dirty: false });
  });

  it('announces every change of state as a project/changed event', async () => {
    const t = await startTestEngine();
    await t.call('project/new', { name: 'A' });
    await t.call('project/update', { name: 'B' });
    await t.call('project/close', { discard: true });
    const states = t.events.filter((e) => e.event === 'project/changed').map((e) => e.payload);
    expect(states).toMatchObject([
      { open: true, name: 'A', dirty: false },
      { open: true, name: 'B', dirty: true },
      { open: false },
    ]);
  });

  it('lists databases with profile counts and campaigns in project/info', async () => {
    const t = await startTestEngine();
    await t.call('project/new', { name: 'Info' });
    expect(await t.call('project/info', {})).toMatchObject({ schemaVersion: LATEST_SCHEMA_VERSION, databases: [], campaigns: [] });
    await t.call('database/create', { name: 'Customers' });
    await t.call('database/create', { name: 'Leads' });
    const session = t.engine.state.requireSession();
    session.db.exec(`
      INSERT INTO profiles_1 (profile_id) VALUES ('001'), ('002'), ('003');
      INSERT INTO segments (id, database_id, name, kind, source, created_at, created_clock) VALUES (1, 1, 'All', 'static', '{"kind":"all"}', 'x', '2026-11-29T10:00');
      INSERT INTO campaigns (name, database_id, segment_id, status, seed, lcg, created_at, created_clock) VALUES ('Spring', 1, 1, 'active', 's', '{}', 'x', '2026-11-29T10:00');
    `);
    const info = await t.call('project/info', {});
    expect(info.databases).toEqual([
      { id: 1, name: 'Customers', profileCount: 3 },
      { id: 2, name: 'Leads', profileCount: 0 },
    ]);
    expect(info.campaigns).toEqual([{ id: 1, name: 'Spring', status: 'active', databaseName: 'Customers' }]);
  });

  it('remembers opened and saved projects in the recent list, newest first', async () => {
    const t = await startTestEngine();
    await t.call('project/new', { name: 'First' });
    const first = join(t.dir, 'first.cplan');
    await t.call('project/saveAs', { path: first });
    await t.call('project/new', { name: 'Second' });
    const second = join(t.dir, 'second.cplan');
    await t.call('project/saveAs', { path: second });
    await t.call('project/open', { path: first });
    expect((await t.call('recent/list', {})).map((r) => [r.name, r.path, r.exists])).toEqual([
      ['First', first, true],
      ['Second', second, true],
    ]);
    writeFileSync(join(t.dir, 'unrelated'), '');
    await t.call('project/close', {});
    const { rmSync } = await import('node:fs');
    rmSync(second);
    expect((await t.call('recent/list', {})).find((r) => r.path === second)?.exists).toBe(false);
    expect((await t.call('recent/forget', { path: second })).map((r) => r.path)).toEqual([first]);
  });

  it('keeps the last ten projects, newest first, also when the list on disk is longer', async () => {
    const t = await startTestEngine();
    const paths: string[] = [];
    for (let i = 1; i <= 12; i += 1) {
      await t.call('project/new', { name: `P${i}` });
      paths.push(join(t.dir, `p${i}.cplan`));
      await t.call('project/saveAs', { path: paths[i - 1]! });
    }
    expect((await t.call('recent/list', {})).map((r) => r.name)).toEqual(['P12', 'P11', 'P10', 'P9', 'P8', 'P7', 'P6', 'P5', 'P4', 'P3']);
    const longer = paths.map((path, i) => ({ path, name: `Q${i}`, openedAt: '2026-01-01T00:00:00.000Z' }));
    writeFileSync(join(t.deps.dataDir, 'recent.json'), JSON.stringify(longer));
    expect((await t.call('recent/list', {})).map((r) => r.name)).toEqual(longer.slice(0, 10).map((r) => r.name));
  });

  it('reads a damaged recent list as empty instead of failing', async () => {
    const t = await startTestEngine();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(t.deps.dataDir, { recursive: true });
    writeFileSync(join(t.deps.dataDir, 'recent.json'), '{"not": "a list"');
    expect(await t.call('recent/list', {})).toEqual([]);
  });
});

describe('long operations', () => {
  it('report progress in bytes while saving, and say when opening checks a file', async () => {
    const t = await startTestEngine();
    await t.call('project/new', {});
    const path = join(t.dir, 'p.cplan');
    await t.call('project/saveAs', { path }, 'save-op');
    // A copy this installation did not write is checked (its own file is not; either is
    // read from disk as it is used, nothing up front).
    const copy = join(t.dir, 'copy.cplan');
    copyFileSync(path, copy);
    await t.call('project/open', { path: copy }, 'open-op');
    const progress = t.events.filter((e) => e.event === 'progress').map((e) => e.payload as ProgressEvent);
    const size = readFileSync(path).byteLength;
    expect(progress.filter((p) => p.operationId === 'save-op').at(-1)).toMatchObject({
      method: 'project/saveAs',
      phase: 'Writing the file',
      done: size,
      total: size,
      unit: 'bytes',
    });
    expect(progress.some((p) => p.operationId === 'open-op' && p.phase === 'Checking the file')).toBe(true);
    expect(progress.some((p) => p.operationId === 'open-op' && p.phase === 'Reading the file')).toBe(false);
  });

  it('can be cancelled while queued: nothing is written and the project stays unsaved', async () => {
    const t = await startTestEngine();
    await t.call('project/new', {});
    await t.call('project/update', { name: 'Unsaved' });
    const path = join(t.dir, 'p.cplan');
    // The save waits behind the slow info call in the engine's queue; cancel it there.
    const slow = t.call('project/info', {});
    const save = t.raw('project/saveAs', { path }, 'op-cancel');
    expect(await t.call('operation/cancel', { operationId: 'op-cancel' })).toEqual({ cancelled: true });
    await slow;
    expect(await save).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(readdirSync(t.dir)).not.toContain('p.cplan');
    expect(await t.call('project/state', {})).toMatchObject({ dirty: true, path: null });
    expect(await t.call('operation/cancel', { operationId: 'op-cancel' })).toEqual({ cancelled: false });
  });

  it('refuses a second operation with an id already in use', async () => {
    const t = await startTestEngine();
    await t.call('project/new', {});
    const path = join(t.dir, 'p.cplan');
    const first = t.raw('project/saveAs', { path }, 'same-id');
    const second = await t.raw('project/saveAs', { path: join(t.dir, 'q.cplan') }, 'same-id');
    expect(second).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect((await first).ok).toBe(true);
  });
});
