import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  selectFileLabel,
  selectSaveState,
  selectSaveStateLabel,
  selectWindowTitle,
} from '../../renderer/store/project/selectors';
import { pickInFileBrowser, startInProcessEngine, startStore, waitForState, openState, type StoreHarness } from './helpers/in-process';
let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

describe('project flow in the store, on a real engine', () => {
  it('starts on the start screen with empty lists', async () => {
    harness = await startStore();
    const s = harness.state();
    expect(s.ready).toBe(true);
    expect(s.project.open).toBe(false);
    expect(s.startLoaded).toBe(true);
    expect(s.recent).toEqual([]);
    expect(s.recovery).toEqual([]);
    expect(s.engineInfo?.appVersion).toBe('0.0.0-test');
    expect(selectWindowTitle(s)).toBe('Campaign Planner');
  });

  it('new -> rename -> unsaved -> Save As through the in-app browser -> saved, in recent after close', async () => {
    harness = await startStore();
    const { store, engine } = harness;
    expect(await store.getState().newProject()).toBe(true);
    let s = harness.state();
    expect(s.project.open && s.project.name).toBe('Untitled project');
    expect(selectSaveState(s)).toBe('new');
    expect(selectFileLabel(s)).toBe('Not saved yet');
    await waitForState(store, (st) => st.info !== null);
    expect(harness.state().info?.databases).toEqual([]);

    expect(await store.getState().rename('  Spring plan ')).toBe(true);
    s = harness.state();
    expect(s.project.open && s.project.name).toBe('Spring plan');
    expect(selectSaveStateLabel(s)).toBe('Unsaved changes');
    expect(selectWindowTitle(s)).toBe('Spring plan — not saved yet • (unsaved) — Campaign Planner');

    // Save on a never-saved project goes through Save As, which opens the in-app browser.
    const saving = store.getState().save();
    await waitForState(store, (st) => st.fileBrowser !== null);
    expect(harness.state().fileBrowser?.kind).toBe('save-project');
    expect(harness.state().fileBrowser?.fileName).toBe('Spring plan.cplan');
    await pickInFileBrowser(store, engine.dir, 'spring');
    expect(await saving).toBe(true);

    s = harness.state();
    const path = join(engine.dir, 'spring.cplan');
    expect(existsSync(path)).toBe(true);
    expect(s.project.open && s.project.path).toBe(path);
    expect(selectSaveStateLabel(s)).toBe('Saved');
    expect(selectFileLabel(s)).toBe('spring.cplan');
    expect(selectWindowTitle(s)).toBe('Spring plan — spring.cplan — Campaign Planner');
    expect(s.fileBrowser).toBeNull();
    expect(s.lastFolder).toBe(engine.dir);
    await waitForState(store, (st) => st.info?.sizeBytes != null && st.info.path === path);

    expect(await store.getState().closeProject()).toBe(true);
    s = await waitForState(store, (st) => !st.project.open && st.recent.length === 1);
    expect(s.confirm).toBeNull();
    expect(s.recent[0]).toMatchObject({ path, name: 'Spring plan', exists: true });

    expect(await store.getState().openProject(path)).toBe(true);
    s = harness.state();
    expect(s.project.open && s.project.name).toBe('Spring plan');
    expect(selectSaveStateLabel(s)).toBe('Saved');
    expect(Object.keys(s.operations)).toEqual([]);
    expect(s.notices).toEqual([]);
  });

  it('Save As asks before replacing an existing file, and keeps the browser open on Cancel', async () => {
    harness = await startStore();
    const { store, engine } = harness;
    await store.getState().newProject();
    const first = store.getState().saveAs();
    await pickInFileBrowser(store, engine.dir, 'plan.cplan');
    expect(await first).toBe(true);

    await store.getState().rename('Second');
    const second = store.getState().saveAs();
    await waitForState(store, (st) => st.fileBrowser?.listing != null);
    expect(harness.state().fileBrowser?.listing?.dir).toBe(engine.dir);
    store.getState().setBrowserFileName('plan');
    void store.getState().confirmFileBrowser();
    let s = await waitForState(store, (st) => st.confirm !== null);
    expect(s.confirm?.title).toBe('Replace the file?');
    s.answerConfirm('cancel');
    s = await waitForState(store, (st) => st.confirm === null);
    expect(s.fileBrowser).not.toBeNull();

    void store.getState().confirmFileBrowser();
    await waitForState(store, (st) => st.confirm !== null);
    store.getState().answerConfirm('replace');
    expect(await second).toBe(true);
    s = harness.state();
    expect(s.project.open && s.project.dirty).toBe(false);
    expect(s.project.open && s.project.fileName).toBe('plan.cplan');
  });

  it('uses the native dialog where the platform has one, and appends .cplan', async () => {
    const engine = await startInProcessEngine();
    let answer: string | null = join(engine.dir, 'native');
    harness = await startStore({ engine, pick: () => answer });
    const { store, platform } = harness;
    await store.getState().newProject();
    expect(await store.getState().saveAs()).toBe(true);
    expect(platform.pickRequests).toEqual([{ kind: 'save-project', defaultName: 'Untitled project.cplan' }]);
    expect(harness.state().fileBrowser).toBeNull();
    expect(existsSync(join(engine.dir, 'native.cplan'))).toBe(true);

    // A folder that does not exist: the engine's message, and the project stays as it was.
    answer = '/nonexistent-dir/x.cplan';
    expect(await store.getState().saveAs()).toBe(false);
    const notice = harness.state().notices.at(-1);
    expect(notice?.code).toBe('NOT_FOUND');
    expect(notice?.message).toContain('nonexistent-dir');
    expect(openState(harness).fileName).toBe('native.cplan');

    // The user cancels the native dialog: nothing happens.
    answer = null;
    expect(await store.getState().openProject()).toBe(false);
    expect(harness.state().notices).toHaveLength(1);
  });

  it("reports the engine's refusal of an empty name and keeps the old one", async () => {
    harness = await startStore();
    await harness.store.getState().newProject();
    expect(await harness.store.getState().rename('   ')).toBe(false);
    const s = harness.state();
    expect(s.project.open && s.project.name).toBe('Untitled project');
    expect(s.project.open && s.project.dirty).toBe(false);
    expect(s.notices.at(-1)).toMatchObject({ code: 'INVALID_ARGUMENT', title: 'Check what you entered' });
    expect(s.notices.at(-1)?.message).toMatch(/cannot be empty/);
  });

  it('updates the description, and Save writes to the same file without asking', async () => {
    harness = await startStore();
    const { store, engine } = harness;
    await store.getState().newProject();
    const saving = store.getState().saveAs();
    await pickInFileBrowser(store, engine.dir, 'desc.cplan');
    await saving;
    expect(await store.getState().updateDescription('Spring sale, two waves')).toBe(true);
    expect(selectSaveState(harness.state())).toBe('unsaved');
    expect(await store.getState().save()).toBe(true);
    const s = harness.state();
    expect(s.fileBrowser).toBeNull();
    expect(s.project.open && s.project.description).toBe('Spring sale, two waves');
    expect(selectSaveState(s)).toBe('saved');
  });
});
