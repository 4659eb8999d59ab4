import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEventMessage, EngineRestartedEvent } from '../../../shared/contract/events';
import { EngineHost } from '../../../main/host/engine-host';
import { alterProject, makeRealProject } from '../../helpers/bad-files';
import { writeBigProject } from '../../helpers/big-project';
import { tempDir } from '../../helpers/temp-dir';

const WORKER = join(process.cwd(), 'dist/main/engine-worker.cjs');
const hosts: EngineHost[] = [];

function startHost(dataDir: string): { host: EngineHost; events: EngineEventMessage[] } {
  const host = new EngineHost({ workerPath: WORKER, config: { dataDir, recoveryDelayMs: 20 } });
  hosts.push(host);
  const events: EngineEventMessage[] = [];
  host.subscribe((message) => events.push(message));
  return { host, events };
}

async function call(host: EngineHost, method: string, args: unknown, operationId?: string) {
  const envelope = await host.invoke(operationId ? { method, args, operationId } : { method, args });
  if (!envelope.ok) throw new Error(`${method}: ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.data as Record<string, unknown>;
}

const waitFor = async <T>(check: () => T | undefined | false, what: string, ms = 10_000): Promise<T> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const value = check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
});

describe('the engine host', () => {
  it('runs the engine in its own thread and routes calls and events', async () => {
    const { host, events } = startHost(tempDir());
    await host.start();
    const info = await call(host, 'engine/ping', {});
    expect(info.threadId).not.toBe(threadId);
    expect(info.threadId).toBeGreaterThan(0);
    await call(host, 'project/new', { name: 'Routed' });
    expect(events).toContainEqual({ event: 'project/changed', payload: expect.objectContaining({ name: 'Routed' }) });
    expect(host.projectState).toMatchObject({ open: true, name: 'Routed' });
  });

  it('answers arguments that cannot reach the engine thread with INVALID_ARGUMENT, and keeps serving', async () => {
    const { host } = startHost(tempDir());
    await host.start();
    const envelope = await host.invoke({ method: 'project/new', args: { name: 'x', bad: () => 1 } });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('project/new') } });
    expect(await call(host, 'project/new', { name: 'After' })).toMatchObject({ name: 'After' });
  });

  it('answers concurrent calls while a long operation runs', async () => {
    const dir = tempDir();
    const path = join(dir, 'big.cplan');
    await writeBigProject(path, 64);
    const { host } = startHost(dir);
    await host.start();
    const opening = host.invoke({ method: 'project/open', args: { path }, operationId: 'open-big' });
    // ping is concurrent: it is answered between the chunks of the open.
    const ping = await host.invoke({ method: 'engine/ping', args: {} });
    expect(ping.ok).toBe(true);
    const cancelled = await host.invoke({ method: 'operation/cancel', args: { operationId: 'open-big' } });
    expect(cancelled).toEqual({ ok: true, data: { cancelled: true } });
    expect(await opening).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(await call(host, 'project/state', {})).toEqual({ open: false });
  });

  it('restarts a crashed engine and reopens the project from its recovery copy', async () => {
    const dir = tempDir();
    const { host, events } = startHost(join(dir, 'data'));
    await host.start();
    await call(host, 'project/new', { name: 'Survivor' });
    const path = join(dir, 'survivor.cplan');
    await call(host, 'project/saveAs', { path });
    await call(host, 'project/update', { description: 'changed after saving' });
    await waitFor(() => {
      const recovery = join(dir, 'data', 'recovery');
      return existsSync(recovery) && readdirSync(recovery).some((f) => f.endsWith('.json'));
    }, 'the recovery copy');

    const firstThread = (await call(host, 'engine/ping', {})).threadId;
    await host.workerForTesting!.terminate(); // the engine thread dies

    const restarted = await waitFor(
      () => events.find((e): e is { event: 'engine/restarted'; payload: EngineRestartedEvent } => e.event === 'engine/restarted'),
      'engine/restarted',
    );
    expect(restarted.payload.restored).toMatchObject({
      open: true,
      name: 'Survivor',
      description: 'changed after saving',
      path,
      dirty: true,
      recovered: true,
    });
    expect(restarted.payload.lostUnsavedChanges).toBe(false);
    expect(restarted.payload.reason).toMatch(/stopped/);
    expect((await call(host, 'engine/ping', {})).threadId).not.toBe(firstThread);
    await call(host, 'project/save', {});
    expect(await call(host, 'project/state', {})).toMatchObject({ dirty: false, recovered: false });
  });

  it('reopens a cleaned copy cleaned again after a crash', async () => {
    const dir = tempDir();
    const path = await alterProject(
      await makeRealProject(join(dir, 'source.cplan')),
      join(dir, 'hostile.cplan'),
      'CREATE TRIGGER wipe AFTER INSERT ON databases BEGIN DELETE FROM meta; END;',
    );
    const { host, events } = startHost(join(dir, 'data'));
    await host.start();
    expect(await call(host, 'project/open', { path, clean: true })).toMatchObject({ cleaned: ['removed a trigger "wipe" on databases'] });
    await host.workerForTesting!.terminate();
    const restarted = await waitFor(
      () => events.find((e): e is { event: 'engine/restarted'; payload: EngineRestartedEvent } => e.event === 'engine/restarted'),
      'engine/restarted',
    );
    expect(restarted.payload.restored).toMatchObject({ open: true, path, dirty: true, cleaned: ['removed a trigger "wipe" on databases'] });
  });

  it('fails the calls in flight with ENGINE_CRASHED; a save cut short leaves the old file intact', async () => {
    const dir = tempDir();
    const path = join(dir, 'big.cplan');
    await writeBigProject(path, 96, 'Before');
    const before = readFileSync(path);
    const { host, events } = startHost(join(dir, 'data'));
    await host.start();
    await call(host, 'project/open', { path });
    await call(host, 'project/update', { name: 'After' });
    // Save As writes the whole file (a Save of this small change would write it in place: save-journal.test.ts).
    const saving = host.invoke({ method: 'project/saveAs', args: { path, overwrite: true }, operationId: 'save-big' });
    await waitFor(
      () =>
        events.some(
          (e) => e.event === 'progress' && e.payload.operationId === 'save-big' && e.payload.phase === 'Writing the file',
        ),
      'the save to start writing',
    );
    await host.workerForTesting!.terminate();
    const result = await saving;
    expect(result).toMatchObject({ ok: false, error: { code: 'ENGINE_CRASHED' } });
    expect(Buffer.compare(readFileSync(path), before)).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toHaveLength(1); // what the killed write left
    await waitFor(() => events.some((e) => e.event === 'engine/restarted'), 'engine/restarted');
    // Reopened from its file or its recovery copy: nothing saved was lost.
    expect(await call(host, 'project/state', {})).toMatchObject({ open: true, path });
    // The next good save clears what the killed one left behind.
    await call(host, 'project/save', {});
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('gives up after repeated crashes instead of looping', async () => {
    const host = new EngineHost({ workerPath: WORKER, config: { dataDir: tempDir() }, maxRestarts: 1 });
    hosts.push(host);
    let restarts = 0;
    host.subscribe((message) => {
      if (message.event === 'engine/restarted') restarts += 1;
    });
    await host.start();
    await host.workerForTesting!.terminate();
    await waitFor(() => restarts === 1, 'the first restart');
    await host.workerForTesting!.terminate();
    let answer = await host.invoke({ method: 'engine/ping', args: {} });
    for (let i = 0; i < 100 && answer.ok; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      answer = await host.invoke({ method: 'engine/ping', args: {} });
    }
    expect(answer).toMatchObject({ ok: false, error: { code: 'ENGINE_CRASHED', message: expect.stringMatching(/not restarted/) } });
    expect(host.workerForTesting).toBeNull();
  });

  it('writes the recovery copy when stopped with unsaved work', async () => {
    const dir = tempDir();
    const host = new EngineHost({ workerPath: WORKER, config: { dataDir: dir, recoveryDelayMs: 60_000 } });
    await host.start();
    await call(host, 'project/new', { name: 'Quit without saving' });
    await call(host, 'project/update', { description: 'x' });
    await host.stop();
    const files = readdirSync(join(dir, 'recovery'));
    expect(files.filter((f) => f.endsWith('.cplan'))).toHaveLength(1);
  });
});

describe('closing a project gives its memory back', () => {
  it('the engine moves to a fresh thread once the project is closed and it is idle; calls meanwhile wait and are answered', async () => {
    const host = new EngineHost({ workerPath: WORKER, config: { dataDir: tempDir(), recoveryDelayMs: 20 }, freshThreadAfterClose: true });
    hosts.push(host);
    const events: EngineEventMessage[] = [];
    host.subscribe((message) => events.push(message));
    await host.start();
    await call(host, 'demo/create', { profiles: 2000, seed: 'fresh', discard: true });
    const before = await call(host, 'engine/ping', {});
    const thread = host.workerForTesting;
    await call(host, 'project/close', { discard: true });
    // Asked at once: it waits for the fresh thread, and is answered by it.
    const after = await call(host, 'engine/ping', {});
    expect(after.threadId).not.toBe(before.threadId);
    expect(host.workerForTesting).not.toBe(thread);
    expect(host.projectState.open).toBe(false);
    // The fresh engine works, and a move is not a crash.
    expect((await call(host, 'project/new', { name: 'Next' })).open).toBe(true);
    expect(events.some((e) => e.event === 'engine/restarted')).toBe(false);
    // A project still open keeps its thread.
    const open = await call(host, 'engine/ping', {});
    await call(host, 'project/update', { name: 'Still open' });
    expect((await call(host, 'engine/ping', {})).threadId).toBe(open.threadId);
  });
});

