import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS, type PathPickRequest } from '../../../shared/bridge';
import type { Envelope } from '../../../shared/contract/errors';
import type { EngineEventMessage } from '../../../shared/contract/events';
import type { EngineRequest } from '../../../shared/contract/index';
import { MAX_ARGS_NESTING } from '../../../shared/contract/nesting';
import {
  registerBridge,
  sendMenuCommand,
  type BridgeWindow,
  type InvokeEventLike,
  type IpcMainLike,
} from '../../../main/app/ipc-bridge';
import { isTrustedSender } from '../../../main/app/security';

type Handler = (event: InvokeEventLike, ...args: unknown[]) => unknown;

/** Records handlers like ipcMain does, and lets the test call them as a renderer would. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();

  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** Invokes a channel from a frame showing `url` (a main frame unless `parent` is given). */
  async invoke(channel: string, url: string | null, arg: unknown, parent: unknown = null): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ senderFrame: url === null ? null : { url, parent } }, arg);
  }
}

class FakeHost {
  readonly requests: EngineRequest[] = [];
  readonly listeners = new Set<(message: EngineEventMessage) => void>();
  reply: (request: EngineRequest) => Promise<Envelope<unknown>> = async (request) => ({
    ok: true,
    data: { echoed: request.method },
  });

  invoke(request: EngineRequest): Promise<Envelope<unknown>> {
    this.requests.push(request);
    return this.reply(request);
  }

  subscribe(listener: (message: EngineEventMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(message: EngineEventMessage): void {
    for (const listener of this.listeners) listener(message);
  }
}

function fakeWindow() {
  const sent: [string, unknown][] = [];
  let destroyed = false;
  const window: BridgeWindow = {
    isDestroyed: () => destroyed,
    webContents: { send: (channel, ...args) => sent.push([channel, args[0]]) },
  };
  return { window, sent, destroy: () => (destroyed = true) };
}

const APP_PAGE = 'cplan://app/index.html';

function setup() {
  const ipcMain = new FakeIpcMain();
  const host = new FakeHost();
  const win = fakeWindow();
  let window: BridgeWindow | null = win.window;
  const picks: PathPickRequest[] = [];
  const logged: string[] = [];
  const dispose = registerBridge({
    ipcMain,
    host,
    getWindow: () => window,
    isTrustedSender: (frame) => isTrustedSender(frame, 'cplan://app'),
    pickPath: async (request) => {
      picks.push(request);
      return request.kind === 'open-project' ? '/home/ann/spring.cplan' : null;
    },
    log: (line) => logged.push(line),
  });
  return { ipcMain, host, win, picks, logged, dispose, closeWindow: () => (window = null) };
}

describe('registerBridge: invoke', () => {
  it('forwards a valid request from the app page to the engine and returns its envelope', async () => {
    const { ipcMain, host } = setup();
    const request = { method: 'project/new', args: { name: 'Spring' }, operationId: 'op-1' };
    const reply = await ipcMain.invoke(IPC_CHANNELS.invoke, APP_PAGE, request);
    expect(reply).toEqual({ ok: true, data: { echoed: 'project/new' } });
    expect(host.requests).toEqual([request]);
  });

  it('passes engine failures through unchanged', async () => {
    const { ipcMain, host } = setup();
    host.reply = async () => ({ ok: false, error: { code: 'NO_PROJECT', message: 'No project is open.' } });
    expect(await ipcMain.invoke(IPC_CHANNELS.invoke, APP_PAGE, { method: 'project/info', args: {} })).toEqual({
      ok: false,
      error: { code: 'NO_PROJECT', message: 'No project is open.' },
    });
  });

  it('refuses senders that are not the app page, with UNAUTHORIZED', async () => {
    const { ipcMain, host, logged } = setup();
    const request = { method: 'project/state', args: {} };
    for (const [url, parent] of [
      ['https://evil.example/', null],
      ['file:///tmp/page.html', null],
      [APP_PAGE, { url: APP_PAGE }],
      [null, null],
    ] as const) {
      const reply = (await ipcMain.invoke(IPC_CHANNELS.invoke, url, request, parent)) as Envelope<unknown>;
      expect(reply.ok).toBe(false);
      if (!reply.ok) expect(reply.error.code).toBe('UNAUTHORIZED');
    }
    expect(host.requests).toEqual([]);
    expect(logged[0]).toBe('ipc: refused cplan:invoke from https://evil.example/');
  });

  it('answers a malformed request with INVALID_ARGUMENT and never reaches the engine', async () => {
    const { ipcMain, host } = setup();
    const malformed: unknown[] = [
      undefined,
      null,
      'project/state',
      42,
      { args: {} },
      { method: '', args: {} },
      { method: 'project/state', args: {}, extra: true },
      { method: 'project/state', args: {}, operationId: 'has spaces' },
      { method: 'x'.repeat(101), args: {} },
    ];
    for (const raw of malformed) {
      const reply = (await ipcMain.invoke(IPC_CHANNELS.invoke, APP_PAGE, raw)) as Envelope<unknown>;
      expect(reply.ok, JSON.stringify(raw)).toBe(false);
      if (!reply.ok) {
        expect(reply.error.code).toBe('INVALID_ARGUMENT');
        expect(reply.error.message).toMatch(/^Invalid engine request: /);
        expect(Array.isArray(reply.error.details?.issues)).toBe(true);
      }
    }
    expect(host.requests).toEqual([]);
  });

  it('refuses arguments nested deeper than the contract allows before they reach the engine', async () => {
    const { ipcMain, host } = setup();
    /** What structured clone can carry to the main process: deep, cyclic, or shared branches. */
    let deep: unknown = [];
    for (let level = 1; level < 100_000; level += 1) deep = [deep];
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    // 40 levels of two references to the same object: 2^40 paths, 40 objects.
    let shared: unknown = 'leaf';
    for (let level = 0; level < 40; level += 1) shared = { left: shared, right: shared };
    for (const args of [deep, { name: deep }, cyclic, shared]) {
      const reply = (await ipcMain.invoke(IPC_CHANNELS.invoke, APP_PAGE, { method: 'project/new', args })) as Envelope<unknown>;
      expect(reply.ok).toBe(false);
      if (!reply.ok) {
        expect(reply.error.code).toBe('INVALID_ARGUMENT');
        expect(reply.error.message).toContain(`more than ${MAX_ARGS_NESTING} levels`);
      }
    }
    expect(host.requests).toEqual([]);
  });

  it('turns a host that throws into an envelope instead of a rejected invoke', async () => {
    const { ipcMain, host } = setup();
    host.reply = async () => {
      throw new Error('worker exploded');
    };
    expect(await ipcMain.invoke(IPC_CHANNELS.invoke, APP_PAGE, { method: 'project/state', args: {} })).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Unexpected error: worker exploded' },
    });
  });
});

describe('registerBridge: pickPath', () => {
  it('shows the dialog for a valid request and returns the path in an envelope', async () => {
    const { ipcMain, picks } = setup();
    expect(await ipcMain.invoke(IPC_CHANNELS.pickPath, APP_PAGE, { kind: 'open-project' })).toEqual({
      ok: true,
      data: '/home/ann/spring.cplan',
    });
    expect(await ipcMain.invoke(IPC_CHANNELS.pickPath, APP_PAGE, { kind: 'save-project', defaultName: 'Spring' })).toEqual(
      { ok: true, data: null },
    );
    expect(picks).toEqual([{ kind: 'open-project' }, { kind: 'save-project', defaultName: 'Spring' }]);
  });

  it('validates the request the same way', async () => {
    const { ipcMain, picks } = setup();
    for (const raw of [undefined, {}, { kind: 'open-anything' }, { kind: 'open-project', path: '/etc' }, { kind: 'save-project', defaultName: 7 }]) {
      const reply = (await ipcMain.invoke(IPC_CHANNELS.pickPath, APP_PAGE, raw)) as Envelope<unknown>;
      expect(reply.ok).toBe(false);
      if (!reply.ok) expect(reply.error.code).toBe('INVALID_ARGUMENT');
    }
    expect(picks).toEqual([]);
  });

  it('refuses untrusted senders', async () => {
    const { ipcMain, picks } = setup();
    const reply = (await ipcMain.invoke(IPC_CHANNELS.pickPath, 'https://evil.example/', { kind: 'open-project' })) as Envelope<unknown>;
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.code).toBe('UNAUTHORIZED');
    expect(picks).toEqual([]);
  });
});

describe('registerBridge: events and disposal', () => {
  const changed: EngineEventMessage = { event: 'project/changed', payload: { open: false } };

  it('forwards engine events to the window', () => {
    const { host, win } = setup();
    host.emit(changed);
    expect(win.sent).toEqual([[IPC_CHANNELS.event, changed]]);
  });

  it('drops events while there is no window, or a destroyed one', () => {
    const { host, win, closeWindow } = setup();
    win.destroy();
    host.emit(changed);
    closeWindow();
    host.emit(changed);
    expect(win.sent).toEqual([]);
  });

  it('dispose removes both handlers and the event subscription', async () => {
    const { ipcMain, host, win, dispose } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([IPC_CHANNELS.invoke, IPC_CHANNELS.pickPath].sort());
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
    expect(host.listeners.size).toBe(0);
    host.emit(changed);
    expect(win.sent).toEqual([]);
    await expect(ipcMain.invoke(IPC_CHANNELS.invoke, APP_PAGE, {})).rejects.toThrow(/No handler/);
  });

  it('can register again after dispose (a new window after the last one closed)', () => {
    const first = setup();
    first.dispose();
    expect(() =>
      registerBridge({
        ipcMain: first.ipcMain,
        host: first.host,
        getWindow: () => null,
        isTrustedSender: () => true,
        pickPath: async () => null,
      }),
    ).not.toThrow();
  });
});

describe('sendMenuCommand', () => {
  it('sends to a live window and reports when there is none', () => {
    const { window, sent, destroy } = fakeWindow();
    expect(sendMenuCommand(window, { command: 'save' })).toBe(true);
    expect(sent).toEqual([[IPC_CHANNELS.menuCommand, { command: 'save' }]]);
    destroy();
    expect(sendMenuCommand(window, { command: 'save' })).toBe(false);
    expect(sendMenuCommand(null, { command: 'save' })).toBe(false);
  });
});
