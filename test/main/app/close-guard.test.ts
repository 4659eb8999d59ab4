import { EventEmitter } from 'node:events';
import type { MessageBoxOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/contract/errors';
import type { EngineRequest } from '../../../shared/contract/index';
import type { OpenProjectState, ProjectState } from '../../../shared/contract/project';
import {
  choiceFromResponse,
  confirmClose,
  guardWindowClose,
  needsConfirmation,
  UNSAVED_BUTTONS,
  unsavedChangesBox,
  type CloseGuardDeps,
  type GuardedWindow,
} from '../../../main/app/close-guard';
import type { PickedSavePath } from '../../../main/app/dialogs';

const dirty: OpenProjectState = {
  open: true,
  sessionId: 's1',
  name: 'Spring plan',
  description: '',
  path: '/home/ann/spring.cplan',
  fileName: 'spring.cplan',
  dirty: true,
  savedAt: null,
  clock: '2026-04-10T10:00',
  schemaVersion: 1,
  recovered: false,
};

describe('needsConfirmation', () => {
  it('asks only for an open project with unsaved changes', () => {
    expect(needsConfirmation(dirty)).toBe(true);
    expect(needsConfirmation({ ...dirty, dirty: false })).toBe(false);
    expect(needsConfirmation({ open: false })).toBe(false);
  });
});

describe('unsavedChangesBox and choiceFromResponse', () => {
  it('offers Save, Don’t Save and Cancel, with Esc meaning Cancel', () => {
    const box = unsavedChangesBox(dirty);
    expect(box.buttons).toEqual(['Save', "Don't Save", 'Cancel']);
    expect(box.defaultId).toBe(0);
    expect(box.cancelId).toBe(2);
    expect(box.message).toBe('Do you want to save the changes to “Spring plan” (spring.cplan)?');
    expect(unsavedChangesBox({ ...dirty, path: null, fileName: null }).message).toBe(
      'Do you want to save the changes to “Spring plan”?',
    );
  });

  it('maps button indexes to choices; anything unexpected is Cancel', () => {
    expect(UNSAVED_BUTTONS.map((_, i) => choiceFromResponse(i))).toEqual(['save', 'discard', 'cancel']);
    expect(choiceFromResponse(-1)).toBe('cancel');
    expect(choiceFromResponse(7)).toBe('cancel');
  });
});

function setup(options: {
  state?: ProjectState;
  response?: number;
  picked?: PickedSavePath | null;
  reply?: (request: EngineRequest) => Envelope<unknown>;
}) {
  const requests: EngineRequest[] = [];
  const asked: MessageBoxOptions[] = [];
  const errors: string[] = [];
  const picks: string[] = [];
  const host = {
    projectState: options.state ?? dirty,
    async invoke(request: EngineRequest): Promise<Envelope<unknown>> {
      requests.push(request);
      return options.reply?.(request) ?? { ok: true, data: { ...dirty, dirty: false } };
    },
  };
  const deps: CloseGuardDeps = {
    host,
    ask: async (box) => {
      asked.push(box);
      return options.response ?? 0;
    },
    showError: async (message, detail) => {
      errors.push(`${message} ${detail}`);
    },
    pickSavePath: async (name) => {
      picks.push(name);
      return options.picked === undefined ? null : options.picked;
    },
  };
  return { deps, host, requests, asked, errors, picks };
}

describe('confirmClose', () => {
  it('closes at once when nothing is unsaved', async () => {
    const { deps, asked, requests } = setup({ state: { ...dirty, dirty: false } });
    expect(await confirmClose(deps)).toBe(true);
    expect(asked).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('Save saves to the project file, then closes', async () => {
    const { deps, requests } = setup({ response: 0 });
    expect(await confirmClose(deps)).toBe(true);
    expect(requests).toEqual([{ method: 'project/save', args: {} }]);
  });

  it('Save on a never-saved project asks where, then saves there', async () => {
    const { deps, requests, picks } = setup({
      state: { ...dirty, path: null, fileName: null },
      picked: { path: '/home/ann/Spring plan.cplan', overwriteConfirmed: true },
    });
    expect(await confirmClose(deps)).toBe(true);
    expect(picks).toEqual(['Spring plan']);
    expect(requests).toEqual([{ method: 'project/saveAs', args: { path: '/home/ann/Spring plan.cplan', overwrite: true } }]);
  });

  it('does not overwrite a file the dialog never confirmed', async () => {
    const { deps, requests } = setup({
      state: { ...dirty, path: null, fileName: null },
      picked: { path: '/home/ann/plan.cplan', overwriteConfirmed: false },
    });
    await confirmClose(deps);
    expect(requests[0]?.args).toEqual({ path: '/home/ann/plan.cplan', overwrite: false });
  });

  it('stays open when the save dialog is cancelled', async () => {
    const { deps, requests } = setup({ state: { ...dirty, path: null, fileName: null }, picked: null });
    expect(await confirmClose(deps)).toBe(false);
    expect(requests).toEqual([]);
  });

  it('stays open, and says why, when saving fails', async () => {
    const { deps, errors } = setup({
      reply: () => ({ ok: false, error: { code: 'IO_ERROR', message: 'The disk is full.' } }),
    });
    expect(await confirmClose(deps)).toBe(false);
    expect(errors).toEqual(['Campaign Planner could not save the project. The disk is full.']);
  });

  it("Don't Save closes the project discarding its changes", async () => {
    const { deps, requests } = setup({ response: 1 });
    expect(await confirmClose(deps)).toBe(true);
    expect(requests).toEqual([{ method: 'project/close', args: { discard: true } }]);
  });

  it("Don't Save closes even if the engine cannot close the project", async () => {
    const { deps } = setup({ response: 1, reply: () => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'gone' } }) });
    expect(await confirmClose(deps)).toBe(true);
  });

  it('Cancel keeps everything as it was', async () => {
    const { deps, requests } = setup({ response: 2 });
    expect(await confirmClose(deps)).toBe(false);
    expect(requests).toEqual([]);
  });
});

/** A window with real 'close' events; close() emits one like BrowserWindow does. */
class FakeWindow extends EventEmitter implements GuardedWindow {
  closed = false;
  destroyed = false;

  close(): void {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.closed = true;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('guardWindowClose', () => {
  it('lets a window without unsaved changes close', () => {
    const window = new FakeWindow();
    const { deps, asked } = setup({ state: { open: false } });
    guardWindowClose(window, deps);
    window.close();
    expect(window.closed).toBe(true);
    expect(asked).toEqual([]);
  });

  it('holds the close, asks, and closes once the changes are saved', async () => {
    const window = new FakeWindow();
    const { deps, asked, requests } = setup({ response: 0 });
    guardWindowClose(window, deps);
    window.close();
    expect(window.closed).toBe(false);
    await settle();
    expect(asked).toHaveLength(1);
    expect(requests).toEqual([{ method: 'project/save', args: {} }]);
    expect(window.closed).toBe(true);
  });

  it('asks once even if close is requested again while the question is open', async () => {
    const window = new FakeWindow();
    const { deps, asked } = setup({ response: 2 });
    guardWindowClose(window, deps);
    window.close();
    window.close();
    await settle();
    expect(asked).toHaveLength(1);
    expect(window.closed).toBe(false);
  });

  it('reports a cancelled close, so a pending quit can be called off', async () => {
    const window = new FakeWindow();
    const { deps } = setup({ response: 2 });
    let cancelled = 0;
    guardWindowClose(window, { ...deps, onCancelled: () => (cancelled += 1) });
    window.close();
    await settle();
    expect(cancelled).toBe(1);
    expect(window.closed).toBe(false);
  });

  it('keeps the window when the question itself fails', async () => {
    const window = new FakeWindow();
    const { deps } = setup({});
    const logged: string[] = [];
    guardWindowClose(window, { ...deps, ask: async () => Promise.reject(new Error('no dialog')), log: (l) => logged.push(l) });
    window.close();
    await settle();
    expect(window.closed).toBe(false);
    expect(logged).toEqual(['close: no dialog']);
  });
});
