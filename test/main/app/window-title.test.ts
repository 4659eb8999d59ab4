import { describe, expect, it } from 'vitest';
import type { OpenProjectState } from '../../../shared/contract/project';
import { showProjectState, windowTitle, type TitledWindow } from '../../../main/app/window-title';

const project: OpenProjectState = {
  open: true,
  sessionId: 's1',
  name: 'Spring plan',
  description: '',
  path: '/home/ann/Plans/spring.cplan',
  fileName: 'spring.cplan',
  dirty: false,
  savedAt: '2026-11-29T10:00:00.000Z',
  clock: '2026-04-10T10:00',
  schemaVersion: 1,
  recovered: false,
};

describe('windowTitle', () => {
  it('is the app name when no project is open', () => {
    expect(windowTitle({ open: false })).toBe('Campaign Planner');
  });

  it('names the project and its file', () => {
    expect(windowTitle(project)).toBe('Spring plan — spring.cplan — Campaign Planner');
  });

  it('marks unsaved changes', () => {
    expect(windowTitle({ ...project, dirty: true })).toBe('Spring plan — spring.cplan • (unsaved) — Campaign Planner');
  });

  it('says when a project has never been saved, and when it came from a recovery copy', () => {
    expect(windowTitle({ ...project, path: null, fileName: null })).toBe('Spring plan — not saved yet — Campaign Planner');
    expect(windowTitle({ ...project, recovered: true, dirty: true })).toBe(
      'Spring plan — spring.cplan (recovered) • (unsaved) — Campaign Planner',
    );
  });
});

function fakeWindow(destroyed = false) {
  const calls: string[] = [];
  const window: TitledWindow = {
    isDestroyed: () => destroyed,
    setTitle: (title) => calls.push(`title:${title}`),
    setDocumentEdited: (edited) => calls.push(`edited:${edited}`),
    setRepresentedFilename: (path) => calls.push(`file:${path}`),
  };
  return { window, calls };
}

describe('showProjectState', () => {
  it('sets the document state on macOS', () => {
    const { window, calls } = fakeWindow();
    showProjectState(window, { ...project, dirty: true }, 'darwin');
    expect(calls).toEqual([
      'title:Spring plan — spring.cplan • (unsaved) — Campaign Planner',
      'edited:true',
      'file:/home/ann/Plans/spring.cplan',
    ]);
    calls.length = 0;
    showProjectState(window, { open: false }, 'darwin');
    expect(calls).toEqual(['title:Campaign Planner', 'edited:false', 'file:']);
  });

  it('sets only the title elsewhere, and nothing on a destroyed window', () => {
    const linux = fakeWindow();
    showProjectState(linux.window, project, 'linux');
    expect(linux.calls).toEqual(['title:Spring plan — spring.cplan — Campaign Planner']);
    const gone = fakeWindow(true);
    showProjectState(gone.window, project, 'win32');
    expect(gone.calls).toEqual([]);
  });
});
