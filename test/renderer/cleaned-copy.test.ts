/**
 * Opening a project file changed outside Campaign Planner from the window: the store offers
 * a cleaned copy of a file that can be cleaned, opens it unsaved and says what was removed.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { selectSaveStateLabel } from '../../renderer/store/project/selectors';
import { makeHostileProjectFiles, type HostileFileKind, type HostileProjectFile } from '../helpers/bad-files';
import { startStore, waitForState, type StoreHarness } from './helpers/in-process';

const dir = mkdtempSync(join(tmpdir(), 'cplan-store-hostile-'));
let files: Record<HostileFileKind, HostileProjectFile>;
beforeAll(async () => {
  ({ files } = await makeHostileProjectFiles(dir));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

describe('opening a file changed outside Campaign Planner', () => {
  it('offers a cleaned copy, lists what the file holds, and opens it unsaved with a notice', async () => {
    harness = await startStore();
    const opening = harness.store.getState().openProject(files.wipeProfiles.path);
    const asked = await waitForState(harness.store, (s) => s.confirm !== null);
    expect(asked.confirm).toMatchObject({ title: 'Open a cleaned copy?', details: ['a trigger "wipe_profiles" on segments'], defaultChoice: 'clean' });
    expect(asked.confirm?.choices.map((c) => c.label)).toEqual(['Open a cleaned copy', 'Cancel']);
    asked.answerConfirm('clean');
    expect(await opening).toBe(true);
    const s = harness.state();
    expect(s.project).toMatchObject({ open: true, dirty: true, path: files.wipeProfiles.path });
    expect(selectSaveStateLabel(s)).toBe('Unsaved changes');
    expect(s.notices.map((n) => `${n.title}: ${n.message}`)).toEqual([
      'Opened a cleaned copy: Removed a trigger "wipe_profiles" on segments. Save replaces "wipeProfiles.cplan" with the cleaned project; Save As keeps the file as it was.',
    ]);

    // The notice belongs to that file: closing it, or opening another project, takes it away.
    const closing = harness.store.getState().closeProject();
    const unsaved = await waitForState(harness.store, (st) => st.confirm !== null);
    unsaved.answerConfirm('discard');
    expect(await closing).toBe(true);
    expect(harness.state().notices).toEqual([]);
  });

  it('once saved, the file is the cleaned project and the notice about the copy goes', async () => {
    harness = await startStore();
    const path = join(dir, 'saved-clean.cplan');
    copyFileSync(files.raiseAbort.path, path);
    const opening = harness.store.getState().openProject(path);
    (await waitForState(harness.store, (s) => s.confirm !== null)).answerConfirm('clean');
    expect(await opening).toBe(true);
    expect(harness.state().notices.map((n) => n.title)).toEqual(['Opened a cleaned copy']);
    expect(await harness.store.getState().save()).toBe(true);
    expect(harness.state().project).toMatchObject({ open: true, dirty: false });
    expect(harness.state().notices.map((n) => n.title)).toEqual([]);
    // The file opens as it is now, with nothing to clean.
    expect(await harness.store.getState().openProject(path)).toBe(true);
    expect(harness.state().confirm).toBeNull();
  });

  it('Cancel leaves the start screen as it was, without an error', async () => {
    harness = await startStore();
    const opening = harness.store.getState().openProject(files.raiseAbort.path);
    (await waitForState(harness.store, (s) => s.confirm !== null)).answerConfirm('cancel');
    expect(await opening).toBe(false);
    expect(harness.state().project.open).toBe(false);
    expect(harness.state().notices).toEqual([]);
  });

  it('a file that cannot be cleaned is refused with its reason, and nothing is offered', async () => {
    harness = await startStore();
    expect(await harness.store.getState().openProject(files.tableAsView.path)).toBe(false);
    expect(harness.state().confirm).toBeNull();
    expect(harness.state().notices).toEqual([
      expect.objectContaining({ title: 'The project file was changed outside Campaign Planner', message: expect.stringMatching(/a view "campaign_events" stands where/) }),
    ]);
  });
});
