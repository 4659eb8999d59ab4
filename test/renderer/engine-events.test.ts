import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OpenProjectState } from '../../shared/contract/index';
import { restartMessage, selectConnectionLabel } from '../../renderer/store/engine/selectors';
import { selectSaveStateLabel } from '../../renderer/store/project/selectors';
import { runCommand, shortcutCommand } from '../../renderer/store/commands';
import { startStore, waitForState, type StoreHarness } from './helpers/in-process';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

describe('pushed events land in the store', () => {
  it('project/changed from the engine updates the project (a change made elsewhere)', async () => {
    harness = await startStore();
    const { store, engine } = harness;
    await engine.client.call('project/new', { name: 'Made by the menu' });
    let s = await waitForState(store, (st) => st.project.open);
    expect(s.project.open && s.project.name).toBe('Made by the menu');
    await engine.client.call('project/update', { description: 'x' });
    s = harness.state();
    expect(selectSaveStateLabel(s)).toBe('Unsaved changes');
    await engine.client.call('project/close', { discard: true });
    s = await waitForState(store, (st) => !st.project.open);
    expect(s.info).toBeNull();
  });

  it('engine/restarted shows what happened, applies the restored project and drops running operations', async () => {
    harness = await startStore();
    const { store, engine } = harness;
    await store.getState().newProject();
    store.setState({
      operations: {
        stuck: {
          id: 'stuck',
          method: 'project/save',
          label: 'Saving',
          phase: null,
          done: 0,
          total: null,
          unit: 'bytes',
          startedAt: 0,
          lastAt: 0,
          ratePerSecond: null,
          secondsLeft: null,
          cancelling: false,
          doneByUnit: {},
          inline: false,
        },
      },
    });
    const restored = { ...(harness.state().project as OpenProjectState), name: 'Restored plan', recovered: true, dirty: true };
    engine.push({
      event: 'engine/restarted',
      payload: { reason: 'the engine thread stopped (exit code 1)', restored, lostUnsavedChanges: false },
    });
    const s = harness.state();
    expect(s.restart).toEqual({
      reason: 'the engine thread stopped (exit code 1)',
      lostUnsavedChanges: false,
      restoredName: 'Restored plan',
      restoredFromRecovery: true,
    });
    expect(restartMessage(s.restart!)).toEqual({
      title: 'The engine stopped unexpectedly (the engine thread stopped (exit code 1)) and was restarted.',
      detail: '"Restored plan" was reopened from its recovery copy; no unsaved changes were lost.',
    });
    expect(s.project.open && s.project.name).toBe('Restored plan');
    expect(selectSaveStateLabel(s)).toBe('Recovered — not saved yet');
    expect(s.operations).toEqual({});
    store.getState().dismissRestart();
    expect(harness.state().restart).toBeNull();
  });

  it('says plainly when unsaved changes were lost in a restart', () => {
    expect(
      restartMessage({ reason: 'out of memory', lostUnsavedChanges: true, restoredName: 'Plan', restoredFromRecovery: false })
        .detail,
    ).toBe('"Plan" was reopened from its file; changes made after its last save were lost.');
    expect(
      restartMessage({ reason: 'out of memory', lostUnsavedChanges: true, restoredName: null, restoredFromRecovery: false })
        .detail,
    ).toMatch(/could not be reopened, and its unsaved changes were lost/);
  });

  it('shows a lost connection, and reloads everything when it comes back', async () => {
    harness = await startStore();
    const { store, platform, engine } = harness;
    platform.setConnection('lost');
    expect(selectConnectionLabel(harness.state())).toBe('Connection lost — reconnecting…');
    // While the connection was down, the window missed events.
    store.dispose();
    await engine.client.call('project/new', { name: 'Opened meanwhile' });
    expect(harness.state().project.open).toBe(false);
    harness.store.getState().setConnection('connected');
    const s = await waitForState(store, (st) => st.project.open);
    expect(s.project.open && s.project.name).toBe('Opened meanwhile');
    expect(selectConnectionLabel(s)).toBe('Connected');
  });
});

describe('menu commands and shortcuts run the same actions as the buttons', () => {
  it('maps browser shortcuts', () => {
    const key = (k: string, mods: { ctrl?: boolean; meta?: boolean; shift?: boolean; alt?: boolean } = {}) =>
      shortcutCommand({ key: k, ctrlKey: !!mods.ctrl, metaKey: !!mods.meta, shiftKey: !!mods.shift, altKey: !!mods.alt });
    expect(key('s', { ctrl: true })).toEqual({ command: 'save' });
    expect(key('S', { ctrl: true, shift: true })).toEqual({ command: 'saveAs' });
    expect(key('s', { meta: true })).toEqual({ command: 'save' });
    expect(key('o', { ctrl: true })).toEqual({ command: 'open' });
    expect(key('s')).toBeNull();
    expect(key('s', { ctrl: true, alt: true })).toBeNull();
    expect(key('n', { ctrl: true })).toBeNull();
  });

  it('runs native menu commands, and none while a dialog is open', async () => {
    harness = await startStore({ pick: () => null });
    const { store, platform } = harness;
    platform.sendMenuCommand({ command: 'new' });
    await waitForState(store, (s) => s.project.open);
    await store.getState().rename('Menu plan');
    platform.sendMenuCommand({ command: 'close' });
    await waitForState(store, (s) => s.confirm !== null);
    // A second command while the question is open is ignored.
    expect(await runCommand(store.getState(), { command: 'new' })).toBe(false);
    store.getState().answerConfirm('discard');
    await waitForState(store, (s) => !s.project.open);
    platform.sendMenuCommand({ command: 'open' });
    await vi.waitFor(() => expect(platform.pickRequests).toHaveLength(1));
    expect(platform.pickRequests[0]).toEqual({ kind: 'open-project' });
  });
});
