import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { selectSaveStateLabel, selectWindowTitle } from '../../renderer/store/project/selectors';
import { startInProcessEngine, startStore, waitForState, type InProcessEngine, type StoreHarness } from './helpers/in-process';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

/** A session that made changes, wrote its recovery copy and then "crashed" (never closed its project). */
async function crashedSession(name: string): Promise<InProcessEngine> {
  const crashed = await startInProcessEngine();
  await crashed.client.call('project/new', { name });
  await crashed.client.call('project/update', { description: 'work in progress' });
  await crashed.engine.flushRecovery();
  return crashed;
}

describe('recovering unsaved work', () => {
  it('lists the copies a crashed session left, and recovers one as an unsaved project', async () => {
    const crashed = await crashedSession('Crashed plan');
    harness = await startStore({ engine: await startInProcessEngine({ homeDir: crashed.dir }) });
    const { store } = harness;
    let s = harness.state();
    expect(s.recovery).toHaveLength(1);
    expect(s.recovery[0]).toMatchObject({ name: 'Crashed plan', originalPath: null });
    const id = s.recovery[0]!.id;

    expect(await store.getState().recover(id)).toBe(true);
    s = harness.state();
    expect(s.project.open && s.project.name).toBe('Crashed plan');
    expect(s.project.open && s.project.description).toBe('work in progress');
    expect(selectSaveStateLabel(s)).toBe('Recovered — not saved yet');
    expect(selectWindowTitle(s)).toBe('Crashed plan — not saved yet (recovered) • (unsaved) — Campaign Planner');

    // Closing it without saving asks first, and then the copy is gone for good.
    const closing = store.getState().closeProject();
    await waitForState(store, (st) => st.confirm !== null);
    store.getState().answerConfirm('discard');
    expect(await closing).toBe(true);
    await waitForState(store, (st) => !st.project.open);
    await store.getState().loadStart();
    expect(harness.state().recovery).toEqual([]);
  });

  it('discards a copy only after the user confirms', async () => {
    const crashed = await crashedSession('Throwaway');
    harness = await startStore({ engine: await startInProcessEngine({ homeDir: crashed.dir }) });
    const { store } = harness;
    const id = harness.state().recovery[0]!.id;

    let discarding = store.getState().discardRecovery(id);
    let s = await waitForState(store, (st) => st.confirm !== null);
    expect(s.confirm?.title).toBe('Discard unsaved work?');
    expect(s.confirm?.message).toContain('"Throwaway"');
    expect(s.confirm?.defaultChoice).toBe('cancel');
    store.getState().answerConfirm('cancel');
    expect(await discarding).toBe(false);
    expect(harness.state().recovery).toHaveLength(1);

    discarding = store.getState().discardRecovery(id);
    await waitForState(store, (st) => st.confirm !== null);
    store.getState().answerConfirm('discard');
    expect(await discarding).toBe(true);
    s = harness.state();
    expect(s.recovery).toEqual([]);
  });

  it('a copy that has gone meanwhile is reported and leaves the list', async () => {
    const crashed = await crashedSession('Vanishing');
    harness = await startStore({ engine: await startInProcessEngine({ homeDir: crashed.dir }) });
    const id = harness.state().recovery[0]!.id;
    await harness.engine.client.call('recovery/discard', { id });
    expect(await harness.store.getState().recover(id)).toBe(false);
    const s = harness.state();
    expect(s.notices.at(-1)).toMatchObject({ code: 'NOT_FOUND', message: 'That recovery copy no longer exists.' });
    expect(s.recovery).toEqual([]);
    expect(s.project.open).toBe(false);
  });

  it('forgets a recent project, and marks one whose file has gone', async () => {
    harness = await startStore();
    const { store, engine } = harness;
    const a = join(engine.dir, 'a.cplan');
    const b = join(engine.dir, 'b.cplan');
    for (const [path, name] of [
      [a, 'A'],
      [b, 'B'],
    ] as const) {
      await engine.client.call('project/new', { name, discard: true });
      await engine.client.call('project/saveAs', { path });
    }
    await engine.client.call('project/close', {});
    rmSync(a);
    await store.getState().loadStart();
    expect(harness.state().recent.map((r) => [r.name, r.exists])).toEqual([
      ['B', true],
      ['A', false],
    ]);
    await store.getState().forgetRecent(a);
    expect(harness.state().recent.map((r) => r.name)).toEqual(['B']);
  });
});
