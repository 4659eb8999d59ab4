/**
 * Messages belong to the project they are about: closing it, or opening another, clears
 * them. Found in the app: a refusal in the demo project ("email" has too many values) was
 * still shown on the start screen after the project was closed, inside the "Open a cleaned
 * copy?" dialog of another file, and in the next project, with every error met since.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../shared/contract/index';
import { alterProject, makePlannedProject } from '../helpers/bad-files';
import { tempDir } from '../helpers/temp-dir';
import { startStore, waitForState, type StoreHarness } from './helpers/in-process';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

const titles = (h: StoreHarness) => h.state().notices.map((n) => n.title);

describe('messages of one project', () => {
  it('go when the project closes, and when another opens; a failure to open is still shown', async () => {
    harness = await startStore();
    const { store } = harness;
    expect(await store.getState().newProject()).toBe(true);
    store.getState().reportError(new EngineError('REFUSED', '"email" has 49,202 different values, too many to stratify by one each.'));
    expect(titles(harness)).toEqual(['Not possible right now']);

    expect(await store.getState().closeProject()).toBe(true);
    expect(titles(harness)).toEqual([]);

    // On the start screen: a file that cannot be opened says so...
    expect(await store.getState().openProject(join(harness.engine.dir, 'missing.cplan'))).toBe(false);
    expect(titles(harness)).toEqual(['Not found']);
    // ...and the next project opens without it.
    expect(await store.getState().newProject()).toBe(true);
    expect(titles(harness)).toEqual([]);
  });
});

describe('the message of a cleaned copy', () => {
  it('names the first things removed and counts the rest, so what to do next stays in view', async () => {
    const dir = tempDir('cplan-store-cleaned-');
    const planned = await makePlannedProject(join(dir, 'planned.cplan'));
    const triggers = Array.from({ length: 40 }, (_, i) => `CREATE TRIGGER t${i} AFTER INSERT ON segments BEGIN SELECT 1; END;`).join('\n');
    const path = await alterProject(planned, join(dir, 'many.cplan'), triggers);
    harness = await startStore();
    const opening = harness.store.getState().openProject(path);
    const asked = await waitForState(harness.store, (s) => s.confirm !== null);
    // The question lists every finding (it scrolls inside its dialog).
    expect(asked.confirm?.details).toHaveLength(40);
    asked.answerConfirm('clean');
    expect(await opening).toBe(true);
    expect(harness.state().notices.map((n) => n.message)).toEqual([
      'Removed a trigger "t0" on segments; removed a trigger "t1" on segments; removed a trigger "t2" on segments; ' +
        'removed a trigger "t3" on segments; removed a trigger "t4" on segments; and 35 more. ' +
        'Save replaces "many.cplan" with the cleaned project; Save As keeps the file as it was.',
    ]);
  });
});
