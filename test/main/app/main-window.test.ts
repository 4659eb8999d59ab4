import { EventEmitter } from 'node:events';
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/contract/errors';
import type { EngineEventMessage } from '../../../shared/contract/events';
import type { ProjectState } from '../../../shared/contract/project';
import { openMainWindow, type MainWindowDeps } from '../../../main/app/main-window';
import type { WindowState } from '../../../main/app/window-state';

/** Just enough of BrowserWindow for openMainWindow, with real events. */
class FakeWindow extends EventEmitter {
  static last: FakeWindow | null = null;
  readonly webContents = new EventEmitter();
  readonly calls: string[] = [];
  title = '';

  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    FakeWindow.last = this;
  }
  async loadURL(url: string) {
    this.calls.push(`load:${url}`);
  }
  show() {
    this.calls.push('show');
  }
  maximize() {
    this.calls.push('maximize');
  }
  reload() {
    this.calls.push('reload');
  }
  isDestroyed() {
    return false;
  }
  isMaximized() {
    return false;
  }
  getNormalBounds() {
    return { x: 1, y: 2, width: 1000, height: 700 };
  }
  close() {}
  setTitle(title: string) {
    this.title = title;
  }
  setDocumentEdited() {}
  setRepresentedFilename() {}
}

function open(overrides: Partial<MainWindowDeps> = {}) {
  const listeners = new Set<(message: EngineEventMessage) => void>();
  const saved: WindowState[] = [];
  const events: string[] = [];
  const state: ProjectState = { open: false };
  const deps: MainWindowDeps = {
    BrowserWindow: FakeWindow as unknown as MainWindowDeps['BrowserWindow'],
    options: { width: 1000, height: 700, show: false },
    maximized: false,
    url: 'cplan://app/index.html',
    platform: 'linux',
    host: {
      projectState: state,
      invoke: async (): Promise<Envelope<unknown>> => ({ ok: true, data: null }),
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    closeGuard: { ask: async () => 2, showError: async () => undefined, pickSavePath: async () => null },
    saveState: async (windowState) => {
      saved.push(windowState);
    },
    onLoaded: (window: BrowserWindow) => events.push(`loaded:${window === (FakeWindow.last as unknown)}`),
    onClosed: () => events.push('closed'),
    log: (line) => events.push(`log:${line}`),
    ...overrides,
  };
  openMainWindow(deps);
  const window = FakeWindow.last;
  if (!window) throw new Error('no window');
  const emit = (message: EngineEventMessage) => listeners.forEach((listener) => listener(message));
  return { window, saved, events, listeners, emit };
}

const project: ProjectState = {
  open: true, sessionId: 's', name: 'Spring', description: '', path: '/p/spring.cplan', fileName: 'spring.cplan',
  dirty: false, savedAt: null, clock: '2026-04-10T10:00', schemaVersion: 1, recovered: false,
};

describe('openMainWindow', () => {
  it('loads the app page and shows the window on its first paint', () => {
    const { window } = open();
    expect(window.calls).toEqual(['load:cplan://app/index.html']);
    window.emit('ready-to-show');
    expect(window.calls.slice(1)).toEqual(['show']);
  });

  it('restores the maximised state before showing', () => {
    const { window } = open({ maximized: true });
    window.emit('ready-to-show');
    expect(window.calls.slice(1)).toEqual(['maximize', 'show']);
  });

  it('keeps the project title over the page’s own <title>', () => {
    const { window, emit } = open();
    expect(window.title).toBe('Campaign Planner');
    let prevented = false;
    window.emit('page-title-updated', { preventDefault: () => (prevented = true) }, 'Vite App');
    expect(prevented).toBe(true);
    emit({ event: 'project/changed', payload: project });
    expect(window.title).toBe('Spring — spring.cplan — Campaign Planner');
    emit({ event: 'engine/restarted', payload: { reason: 'crash', restored: { open: false }, lostUnsavedChanges: false } });
    expect(window.title).toBe('Campaign Planner');
  });

  it('saves its place on close, and lets go of the engine when closed', () => {
    const { window, saved, events, listeners } = open();
    window.emit('close', { preventDefault: () => undefined });
    expect(saved).toEqual([{ x: 1, y: 2, width: 1000, height: 700, maximized: false }]);
    window.emit('closed');
    expect(listeners.size).toBe(0);
    expect(events).toContain('closed');
  });

  it('reports the loaded page, and reloads a crashed one at most once in ten seconds', () => {
    const { window, events } = open();
    window.webContents.emit('did-finish-load');
    expect(events).toContain('loaded:true');
    window.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    window.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    window.webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(window.calls.filter((c) => c === 'reload')).toHaveLength(1);
  });
});
