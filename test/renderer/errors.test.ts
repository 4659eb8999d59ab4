import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, EngineError } from '../../shared/contract/index';
import { describeError } from '../../renderer/store/notices/messages';
import { selectLatestError } from '../../renderer/store/notices/selectors';
import { makeBadProjectFiles, type BadProjectFile, type BadProjectFileKind } from '../helpers/bad-files';
import { pickInFileBrowser, startStore, type StoreHarness } from './helpers/in-process';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

describe('error messages say what happened and what to do', () => {
  it('every error code has a headline; file refusals keep the engine sentence', () => {
    for (const code of ERROR_CODES) {
      const described = describeError(new EngineError(code, `Engine says ${code}.`));
      expect(described.title.length, code).toBeGreaterThan(3);
      expect(described.message).toBe(`Engine says ${code}.`);
      expect(described.code).toBe(code);
    }
    expect(describeError(new EngineError('NOT_SQLITE', 'x')).hint).toMatch(/\.cplan file/);
    expect(describeError(new EngineError('FOREIGN_FILE', 'x')).hint).toMatch(/application that made it/);
    expect(describeError(new EngineError('CANCELLED', 'x')).tone).toBe('info');
    expect(describeError(new EngineError('UNAUTHORIZED', 'x')).hint).toMatch(/#token=/);
    // Anything that is not an EngineError is a bug, reported with its message.
    expect(describeError(new TypeError('boom'))).toMatchObject({ code: 'INTERNAL', message: 'Unexpected error: boom' });
  });

  it('repeated identical failures show one notice; notices can be dismissed', async () => {
    harness = await startStore();
    const { store } = harness;
    store.getState().reportError(new EngineError('IO_ERROR', 'Disk full.'));
    store.getState().reportError(new EngineError('IO_ERROR', 'Disk full.'));
    expect(harness.state().notices).toHaveLength(1);
    const notice = selectLatestError(harness.state());
    expect(notice?.hint).toMatch(/disk is not full/);
    store.getState().dismissNotice(notice!.id);
    expect(harness.state().notices).toEqual([]);
  });
});

describe('opening a bad file shows its own message and keeps the user where they were', () => {
  let dir: string;
  let files: Record<BadProjectFileKind, BadProjectFile>;
  // Made once for all cases; not with tempDir(), which empties its folders after each test.
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cplan-bad-'));
    files = await makeBadProjectFiles(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const kinds: BadProjectFileKind[] = [
    'empty',
    'textFile',
    'missing',
    'truncatedHalf',
    'damagedPage',
    'foreignSqlite',
    'foreignApplicationId',
    'newerVersion',
    'walMode',
    'tooLarge',
  ];

  it.each(kinds)('%s, from the start screen', async (kind) => {
    harness = await startStore();
    const file = files[kind];
    expect(await harness.store.getState().openProject(file.path)).toBe(false);
    const s = harness.state();
    expect(s.project.open).toBe(false);
    expect(s.operations).toEqual({});
    const notice = s.notices.at(-1);
    expect(notice?.code).toBe(file.code);
    expect(notice?.tone).toBe('error');
    expect(notice?.message).toContain(file.path.split('/').pop());
    expect(notice?.title).toBe(describeError(new EngineError(file.code, '')).title);
  });

  it('with a project open, a failed open keeps that project and its unsaved changes', async () => {
    harness = await startStore();
    const { store, engine } = harness;
    await store.getState().newProject();
    const saving = store.getState().saveAs();
    await pickInFileBrowser(store, engine.dir, 'mine.cplan');
    await saving;
    await store.getState().rename('Mine, changed');

    const opening = store.getState().openProject(files.newerVersion.path);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(harness.state().confirm).not.toBeNull();
    store.getState().answerConfirm('discard');
    expect(await opening).toBe(false);
    const s = harness.state();
    expect(s.notices.at(-1)?.code).toBe('NEWER_VERSION');
    expect(s.notices.at(-1)?.message).toContain('from-the-future.cplan');
    expect(s.project.open && s.project.name).toBe('Mine, changed');
    expect(s.project.open && s.project.dirty).toBe(true);
    expect(s.project.open && s.project.path).toBe(join(engine.dir, 'mine.cplan'));
  });
});
