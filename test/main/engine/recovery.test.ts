import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecoveryStore } from '../../../main/engine/app/recovery-store';
import { createEngine } from '../../../main/engine/engine';
import { expectEngineError, startTestEngine } from '../../helpers/engine';

const waitFor = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('recovery copies of unsaved work', () => {
  it('are written in the background after a change and offered at the next start', async () => {
    const t = await startTestEngine();
    await t.call('project/new', { name: 'Unsaved plan' });
    const path = join(t.dir, 'plan.cplan');
    await t.call('project/saveAs', { path });
    await t.call('project/update', { description: 'typed after the last save' });
    const recoveryDir = join(t.deps.dataDir, 'recovery');
    await waitFor(() => existsSync(recoveryDir) && readdirSync(recoveryDir).some((f) => f.endsWith('.json')), 'the recovery copy');

    // "Next start": a new engine on the same data folder, as after a crash.
    const next = createEngine(t.deps, () => undefined);
    const listed = await next.call({ method: 'recovery/list', args: {} });
    expect(listed).toMatchObject({ ok: true, data: [{ name: 'Unsaved plan', originalPath: path }] });
    const copy = (listed as { data: { id: string }[] }).data[0]!;
    const recovered = await next.call({ method: 'project/recover', args: { id: copy.id } });
    expect(recovered).toMatchObject({
      ok: true,
      data: { name: 'Unsaved plan', description: 'typed after the last save', path, dirty: true, recovered: true },
    });
    // The open project's own copy is not offered again while it is open.
    expect(await next.call({ method: 'recovery/list', args: {} })).toEqual({ ok: true, data: [] });
    // Saving puts the work back in its file and removes the copy.
    expect((await next.call({ method: 'project/save', args: {} })).ok).toBe(true);
    expect(readdirSync(recoveryDir)).toEqual([]);
    await next.dispose();
  });

  it('are removed when the project is saved or its changes discarded', async () => {
    const t = await startTestEngine();
    await t.call('project/new', {});
    await t.call('project/update', { name: 'Draft' });
    const recoveryDir = join(t.deps.dataDir, 'recovery');
    await waitFor(() => existsSync(recoveryDir) && readdirSync(recoveryDir).length === 2, 'the recovery copy');
    await t.call('project/saveAs', { path: join(t.dir, 'draft.cplan') });
    expect(readdirSync(recoveryDir)).toEqual([]);

    await t.call('project/update', { name: 'Draft 2' });
    await waitFor(() => readdirSync(recoveryDir).length === 2, 'the second recovery copy');
    await t.call('project/close', { discard: true });
    expect(readdirSync(recoveryDir)).toEqual([]);
  });

  it('are not written for a project without changes', async () => {
    const t = await startTestEngine();
    await t.call('project/new', {});
    await t.engine.flushRecovery();
    expect(existsSync(join(t.deps.dataDir, 'recovery'))).toBe(false);
  });

  it('of another running instance of the app are not offered', async () => {
    const t = await startTestEngine({ isProcessAlive: (pid) => pid === 424242 });
    const recoveryDir = join(t.deps.dataDir, 'recovery');
    mkdirSync(recoveryDir, { recursive: true });
    // A copy owned by a live process 424242, and one by a process that is gone.
    for (const [id, pid] of [['live', 424242], ['gone', 999999]] as const) {
      writeFileSync(join(recoveryDir, `${id}.cplan`), 'x');
      writeFileSync(
        join(recoveryDir, `${id}.json`),
        JSON.stringify({ id, name: id, originalPath: null, writtenAt: '2026-11-29T10:00:00.000Z', pid }),
      );
    }
    expect((await t.call('recovery/list', {})).map((c) => c.id)).toEqual(['gone']);
  });

  it('can be discarded for good', async () => {
    const t = await startTestEngine();
    await t.call('project/new', {});
    await t.call('project/update', { name: 'Throwaway' });
    await t.engine.flushRecovery();
    const next = await startTestEngine({ dataDir: t.deps.dataDir });
    const [copy] = await next.call('recovery/list', {});
    expect(copy?.name).toBe('Throwaway');
    expect(await next.call('recovery/discard', { id: copy!.id })).toEqual([]);
    await expectEngineError(next.call('project/recover', { id: copy!.id }), 'NOT_FOUND');
  });

  it('a damaged recovery copy is refused with the same checks as any project file', async () => {
    const t = await startTestEngine();
    const recoveryDir = join(t.deps.dataDir, 'recovery');
    mkdirSync(recoveryDir, { recursive: true });
    writeFileSync(join(recoveryDir, 'broken.cplan'), 'not a database at all');
    const [copy] = await t.call('recovery/list', {});
    expect(copy).toMatchObject({ id: 'broken', name: 'Unsaved project', originalPath: null });
    await expectEngineError(t.call('project/recover', { id: 'broken' }), 'NOT_SQLITE');
    expect(await t.call('project/state', {})).toEqual({ open: false });
  });
});

describe('recovery copies of a big project', () => {
  it('are rewritten at most once per 100 ms of each MB (10 MB/s), not after every change', async () => {
    let clock = Date.parse('2026-11-29T10:15:00Z');
    const t = await startTestEngine({ now: () => new Date(clock) });
    const store = new RecoveryStore(t.deps);
    const megabytes = (n: number) => n * 1000 * 1000;
    expect(store.waitBeforeWriting('a', megabytes(1000))).toBe(0);
    await store.write('a', new Uint8Array(16), { name: 'Big', originalPath: null });
    expect(store.waitBeforeWriting('a', megabytes(1000))).toBe(100_000);
    expect(store.waitBeforeWriting('a', megabytes(10))).toBe(1000);
    clock += 60_000;
    expect(store.waitBeforeWriting('a', megabytes(1000))).toBe(40_000);
    expect(store.waitBeforeWriting('a', megabytes(10))).toBe(0);
    await store.discard('a');
    expect(store.waitBeforeWriting('a', megabytes(1000))).toBe(0);
  });
});
