import { join } from 'node:path';
import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import {
  aboutBox,
  HTML_FILE_FILTER,
  SQL_FILE_FILTER,
  pickPath,
  pickSavePath,
  PROJECT_FILE_FILTER,
  suggestedFileName,
  withProjectExtension,
  type DialogLike,
} from '../../../main/app/dialogs';

interface FakeWindow {
  readonly id: number;
}

/** A dialog that answers with what the test says and records how it was asked. */
function fakeDialog(answer: { open?: string[]; save?: string; canceled?: boolean }) {
  const asked: { kind: 'open' | 'save'; window: FakeWindow; options: OpenDialogOptions | SaveDialogOptions }[] = [];
  const dialog: DialogLike<FakeWindow> = {
    async showOpenDialog(window, options) {
      asked.push({ kind: 'open', window, options });
      return { canceled: answer.canceled ?? false, filePaths: answer.open ?? [] };
    },
    async showSaveDialog(window, options) {
      asked.push({ kind: 'save', window, options });
      // Electron answers a cancelled save dialog with an empty filePath.
      return { canceled: answer.canceled ?? false, filePath: answer.save ?? '' };
    },
  };
  return { dialog, asked };
}

const window: FakeWindow = { id: 1 };

describe('pickPath: open', () => {
  it('shows a window-modal open dialog filtered to .cplan and returns the file', async () => {
    const { dialog, asked } = fakeDialog({ open: ['/home/ann/spring.cplan'] });
    expect(await pickPath(dialog, window, { kind: 'open-project' }, { defaultDir: '/home/ann/Documents' })).toBe(
      '/home/ann/spring.cplan',
    );
    expect(asked).toEqual([
      {
        kind: 'open',
        window,
        options: {
          title: 'Open Project',
          properties: ['openFile'],
          filters: [{ name: 'Campaign Planner project', extensions: ['cplan'] }],
          defaultPath: '/home/ann/Documents',
        },
      },
    ]);
  });

  it('returns null when cancelled or nothing was chosen', async () => {
    expect(await pickPath(fakeDialog({ canceled: true, open: ['/x.cplan'] }).dialog, window, { kind: 'open-project' })).toBeNull();
    expect(await pickPath(fakeDialog({ open: [] }).dialog, window, { kind: 'open-project' })).toBeNull();
  });
});

describe('pickPath: save', () => {
  it('suggests a file name from the project name, in the default folder, filtered to .cplan', async () => {
    const { dialog, asked } = fakeDialog({ save: '/home/ann/Documents/Spring plan.cplan' });
    expect(
      await pickPath(dialog, window, { kind: 'save-project', defaultName: 'Spring plan' }, { defaultDir: '/home/ann/Documents' }),
    ).toBe('/home/ann/Documents/Spring plan.cplan');
    const options = asked[0]?.options as SaveDialogOptions;
    expect(asked[0]?.kind).toBe('save');
    expect(options.defaultPath).toBe(join('/home/ann/Documents', 'Spring plan.cplan'));
    expect(options.filters).toEqual([PROJECT_FILE_FILTER]);
    expect(options.properties).toContain('showOverwriteConfirmation');
  });

  it('appends .cplan when the user typed no extension', async () => {
    expect(await pickPath(fakeDialog({ save: '/home/ann/spring' }).dialog, window, { kind: 'save-project' })).toBe(
      '/home/ann/spring.cplan',
    );
    expect(await pickPath(fakeDialog({ save: '/home/ann/SPRING.CPLAN' }).dialog, window, { kind: 'save-project' })).toBe(
      '/home/ann/SPRING.CPLAN',
    );
  });

  it('saves an HTML report filtered to .html and .htm, adding .html to a bare name', async () => {
    const { dialog, asked } = fakeDialog({ save: '/home/ann/Spring analysis' });
    expect(await pickPath(dialog, window, { kind: 'save-html', defaultName: 'Spring analysis.html' })).toBe('/home/ann/Spring analysis.html');
    const options = asked[0]?.options as SaveDialogOptions;
    expect(options.filters).toEqual([HTML_FILE_FILTER]);
    expect(options.defaultPath).toBe('Spring analysis.html');
    expect(await pickPath(fakeDialog({ save: '/home/ann/r.HTM' }).dialog, window, { kind: 'save-html' })).toBe('/home/ann/r.HTM');
  });

  it('saves a SQL query filtered to .sql, adding .sql to a bare name', async () => {
    const { dialog, asked } = fakeDialog({ save: '/home/ann/spring.postgresql' });
    expect(await pickPath(dialog, window, { kind: 'save-sql', defaultName: 'spring.postgresql.sql' })).toBe('/home/ann/spring.postgresql.sql');
    expect((asked[0]?.options as SaveDialogOptions).filters).toEqual([SQL_FILE_FILTER]);
    expect(await pickPath(fakeDialog({ save: '/home/ann/q.SQL' }).dialog, window, { kind: 'save-sql' })).toBe('/home/ann/q.SQL');
  });

  it('returns null when cancelled', async () => {
    expect(await pickPath(fakeDialog({ canceled: true }).dialog, window, { kind: 'save-project' })).toBeNull();
    expect(await pickPath(fakeDialog({ save: '' }).dialog, window, { kind: 'save-project' })).toBeNull();
  });
});

describe('pickSavePath', () => {
  it('says whether the dialog itself confirmed replacing exactly this file', async () => {
    expect(await pickSavePath(fakeDialog({ save: '/a/plan.cplan' }).dialog, window, 'plan')).toEqual({
      path: '/a/plan.cplan',
      overwriteConfirmed: true,
    });
    expect(await pickSavePath(fakeDialog({ save: '/a/plan' }).dialog, window, 'plan')).toEqual({
      path: '/a/plan.cplan',
      overwriteConfirmed: false,
    });
  });
});

describe('file names', () => {
  it('withProjectExtension adds .cplan once', () => {
    expect(withProjectExtension('/a/b')).toBe('/a/b.cplan');
    expect(withProjectExtension('/a/b.cplan')).toBe('/a/b.cplan');
    expect(withProjectExtension('/a/b.Cplan')).toBe('/a/b.Cplan');
    expect(withProjectExtension('/a/b.txt')).toBe('/a/b.txt.cplan');
  });

  it('suggestedFileName makes a safe name from any project name', () => {
    expect(suggestedFileName('Spring plan')).toBe('Spring plan.cplan');
    expect(suggestedFileName('Q1/Q2: "best" <plan>?')).toBe('Q1 Q2 best plan.cplan');
    expect(suggestedFileName('..\\..\\evil')).toBe('evil.cplan');
    expect(suggestedFileName('   ')).toBe('Untitled.cplan');
    expect(suggestedFileName(undefined)).toBe('Untitled.cplan');
    expect(suggestedFileName('x'.repeat(500)).length).toBeLessThanOrEqual(126);
  });
});

describe('aboutBox', () => {
  it('names the app, its version and the runtime', () => {
    const box = aboutBox({
      appName: 'Campaign Planner',
      appVersion: '0.1.0',
      versions: { electron: '45.5.0', chrome: '140.0', node: '22.20.0' },
    });
    expect(box.message).toBe('Campaign Planner 0.1.0');
    expect(box.detail).toContain('Electron 45.5.0, Chromium 140.0, Node.js 22.20.0');
  });
});
