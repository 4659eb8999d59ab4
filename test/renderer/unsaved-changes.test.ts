import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { selectSaveState } from '../../renderer/store/project/selectors';
import { pickInFileBrowser, startStore, waitForState, openState, type StoreHarness } from './helpers/in-process';
let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

/** A store with a saved project "Other" on disk and an open project with unsaved changes. */
async function dirtyProjectAndOtherFile(): Promise<{ other: string; current: string }> {
  harness = await startStore();
  const { store, engine } = harness;
  await store.getState().newProject();
  await store.getState().rename('Other');
  const savingOther = store.getState().saveAs();
  await pickInFileBrowser(store, engine.dir, 'other.cplan');
  await savingOther;
  await store.getState().newProject();
  await store.getState().rename('Current');
  const savingCurrent = store.getState().saveAs();
  await pickInFileBrowser(store, engine.dir, 'current.cplan');
  await savingCurrent;
  await store.getState().updateDescription('changed after the save');
  expect(selectSaveState(harness.state())).toBe('unsaved');
  return { other: join(engine.dir, 'other.cplan'), current: join(engine.dir, 'current.cplan') };
}

describe('unsaved changes are never dropped without asking', () => {
  it('open with unsaved changes asks; Cancel keeps the project and its changes', async () => {
    const { other } = await dirtyProjectAndOtherFile();
    const { store } = harness!;
    const opening = store.getState().openProject(other);
    const asked = await waitForState(store, (s) => s.confirm !== null);
    expect(asked.confirm).toMatchObject({ title: 'Save changes?', defaultChoice: 'save', cancelChoice: 'cancel' });
    expect(asked.confirm?.message).toBe('"Current" has unsaved changes. Save them before you open another project?');
    expect(asked.confirm?.choices.map((c) => c.label)).toEqual(['Save', "Don't save", 'Cancel']);
    store.getState().answerConfirm('cancel');
    expect(await opening).toBe(false);
    const s = harness!.state();
    expect(s.project.open && s.project.name).toBe('Current');
    expect(selectSaveState(s)).toBe('unsaved');
    expect(s.notices).toEqual([]);
  });

  it("Don't save opens the other project and drops the changes", async () => {
    const { other, current } = await dirtyProjectAndOtherFile();
    const { store } = harness!;
    const opening = store.getState().openProject(other);
    await waitForState(store, (s) => s.confirm !== null);
    store.getState().answerConfirm('discard');
    expect(await opening).toBe(true);
    expect(openState(harness!).name).toBe('Other');
    // The file of the dropped project still has its saved state.
    expect(await store.getState().openProject(current)).toBe(true);
    const s = harness!.state();
    expect(s.project.open && s.project.description).toBe('');
  });

  it('Save saves first, then opens', async () => {
    const { other, current } = await dirtyProjectAndOtherFile();
    const { store } = harness!;
    const opening = store.getState().openProject(other);
    await waitForState(store, (s) => s.confirm !== null);
    store.getState().answerConfirm('save');
    expect(await opening).toBe(true);
    expect(openState(harness!).name).toBe('Other');
    await store.getState().openProject(current);
    expect(openState(harness!).description).toBe('changed after the save');
  });

  it('new and close ask too; a clean project closes without a question', async () => {
    await dirtyProjectAndOtherFile();
    const { store } = harness!;
    const creating = store.getState().newProject();
    let s = await waitForState(store, (st) => st.confirm !== null);
    expect(s.confirm?.message).toContain('before you create a new project?');
    store.getState().answerConfirm('cancel');
    expect(await creating).toBe(false);

    const closing = store.getState().closeProject();
    s = await waitForState(store, (st) => st.confirm !== null);
    expect(s.confirm?.message).toContain('before you close it?');
    store.getState().answerConfirm('save');
    expect(await closing).toBe(true);
    s = await waitForState(store, (st) => !st.project.open && st.recent.length === 2);
    expect(s.recent.map((r) => r.name)).toEqual(['Current', 'Other']);

    await store.getState().newProject();
    expect(await store.getState().closeProject()).toBe(true);
    expect(harness!.state().confirm).toBeNull();
  });

  it('a Save that the user cancels (Save As of a new project) cancels the whole action', async () => {
    harness = await startStore();
    const { store } = harness;
    await store.getState().newProject();
    await store.getState().rename('Never saved');
    const closing = store.getState().closeProject();
    await waitForState(store, (s) => s.confirm !== null);
    store.getState().answerConfirm('save');
    await waitForState(store, (s) => s.fileBrowser?.listing != null);
    store.getState().cancelFileBrowser();
    expect(await closing).toBe(false);
    expect(harness.state().project.open).toBe(true);
  });

  it('when the engine knows of changes the window missed, it still asks', async () => {
    harness = await startStore();
    const { store, engine } = harness;
    await store.getState().newProject();
    // A change made behind the store's back (another window, the CLI, a lost event).
    store.dispose();
    await engine.client.call('project/update', { name: 'Changed elsewhere' });
    expect(openState(harness).dirty).toBe(false);
    const creating = store.getState().newProject();
    const s = await waitForState(store, (st) => st.confirm !== null);
    expect(s.confirm?.message).toContain('"Changed elsewhere" has unsaved changes');
    store.getState().answerConfirm('discard');
    expect(await creating).toBe(true);
    expect(openState(harness).name).toBe('Untitled project');
  });
});
