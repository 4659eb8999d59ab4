import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS, type MenuCommandMessage } from '../../../shared/bridge';
import { EngineError } from '../../../shared/contract/errors';
import type { EngineEventMessage } from '../../../shared/contract/events';
import { createBridge, MAX_QUEUED_MENU_COMMANDS, type IpcRendererLike } from '../../../main/app/bridge-api';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** An ipcRenderer whose main side is a function the test supplies. */
class FakeIpcRenderer implements IpcRendererLike {
  readonly invoked: [string, unknown][] = [];
  readonly listeners = new Map<string, Set<Listener>>();
  answer: (channel: string, payload: unknown) => Promise<unknown> = async () => ({ ok: true, data: null });

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push([channel, args[0]]);
    return this.answer(channel, args[0]);
  }

  on(channel: string, listener: Listener): this {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    return this;
  }

  removeListener(channel: string, listener: Listener): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }

  /** A message from the main process, with an event object the page must never see. */
  push(channel: string, message: unknown): void {
    const event = { sender: { secret: 'ipcRenderer' }, ports: [] };
    for (const listener of [...(this.listeners.get(channel) ?? [])]) listener(event, message);
  }

  count(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const pathForFile = (file: File) => `/dropped/${file.name}`;

describe('createBridge', () => {
  it('tells the path of a dropped file through webUtils', () => {
    const bridge = createBridge(new FakeIpcRenderer(), pathForFile);
    expect(bridge.pathForFile(new File(['a'], 'audience.csv'))).toBe('/dropped/audience.csv');
  });

  it('exposes exactly the members of CplanBridge', () => {
    const bridge = createBridge(new FakeIpcRenderer(), pathForFile);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'onEvent', 'onMenuCommand', 'pathForFile', 'pickPath', 'platform']);
    expect(bridge.platform).toBe('electron');
  });

  it('invoke sends the request on the invoke channel and returns the envelope', async () => {
    const ipc = new FakeIpcRenderer();
    ipc.answer = async () => ({ ok: true, data: { open: false } });
    const bridge = createBridge(ipc, pathForFile);
    const request = { method: 'project/state', args: {} };
    expect(await bridge.invoke(request)).toEqual({ ok: true, data: { open: false } });
    expect(ipc.invoked).toEqual([[IPC_CHANNELS.invoke, request]]);
  });

  it('invoke turns a rejected or odd answer into an error envelope', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc, pathForFile);
    ipc.answer = async () => {
      throw new Error("Error invoking remote method 'cplan:invoke': boom");
    };
    const rejected = await bridge.invoke({ method: 'project/state', args: {} });
    expect(rejected.ok).toBe(false);
    if (!rejected.ok) expect(rejected.error.code).toBe('UNAVAILABLE');
    ipc.answer = async () => 'not an envelope';
    const odd = await bridge.invoke({ method: 'project/state', args: {} });
    expect(odd.ok).toBe(false);
    if (!odd.ok) expect(odd.error.code).toBe('INTERNAL');
  });

  it('onEvent delivers the message without the IPC event, and unsubscribes', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc, pathForFile);
    const received: unknown[][] = [];
    const unsubscribe = bridge.onEvent((...args: unknown[]) => received.push(args));
    const message: EngineEventMessage = { event: 'project/changed', payload: { open: false } };
    ipc.push(IPC_CHANNELS.event, message);
    expect(received).toEqual([[message]]);
    unsubscribe();
    expect(ipc.count(IPC_CHANNELS.event)).toBe(0);
    ipc.push(IPC_CHANNELS.event, message);
    expect(received).toHaveLength(1);
  });

  it('onMenuCommand delivers commands without the IPC event, and unsubscribes', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc, pathForFile);
    const received: unknown[][] = [];
    const unsubscribe = bridge.onMenuCommand((...args: unknown[]) => received.push(args));
    ipc.push(IPC_CHANNELS.menuCommand, { command: 'save' });
    unsubscribe();
    ipc.push(IPC_CHANNELS.menuCommand, { command: 'saveAs' });
    expect(received).toEqual([[{ command: 'save' }]]);
  });

  it('holds menu commands sent before the page subscribed, and hands them to the first subscriber', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc, pathForFile);
    ipc.push(IPC_CHANNELS.menuCommand, { command: 'openRecent', path: '/home/ann/spring.cplan' });
    const received: MenuCommandMessage[] = [];
    bridge.onMenuCommand((message) => received.push(message));
    // Not during the subscribe call itself: the caller has its unsubscribe first.
    expect(received).toEqual([]);
    await tick();
    expect(received).toEqual([{ command: 'openRecent', path: '/home/ann/spring.cplan' }]);
    const second: MenuCommandMessage[] = [];
    bridge.onMenuCommand((message) => second.push(message));
    await tick();
    expect(second).toEqual([]);
  });

  it('keeps held commands for a later subscriber if the first one left at once', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc, pathForFile);
    ipc.push(IPC_CHANNELS.menuCommand, { command: 'new' });
    const first: MenuCommandMessage[] = [];
    bridge.onMenuCommand((message) => first.push(message))();
    await tick();
    const second: MenuCommandMessage[] = [];
    bridge.onMenuCommand((message) => second.push(message));
    await tick();
    expect(first).toEqual([]);
    expect(second).toEqual([{ command: 'new' }]);
  });

  it('holds a bounded number of commands', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc, pathForFile);
    for (let i = 0; i < MAX_QUEUED_MENU_COMMANDS + 5; i += 1) ipc.push(IPC_CHANNELS.menuCommand, { command: 'save' });
    const received: MenuCommandMessage[] = [];
    bridge.onMenuCommand((message) => received.push(message));
    await tick();
    expect(received).toHaveLength(MAX_QUEUED_MENU_COMMANDS);
  });

  it('pickPath returns the chosen path or null', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc, pathForFile);
    ipc.answer = async () => ({ ok: true, data: '/home/ann/spring.cplan' });
    expect(await bridge.pickPath({ kind: 'save-project', defaultName: 'Spring' })).toBe('/home/ann/spring.cplan');
    expect(ipc.invoked.at(-1)).toEqual([IPC_CHANNELS.pickPath, { kind: 'save-project', defaultName: 'Spring' }]);
    ipc.answer = async () => ({ ok: true, data: null });
    expect(await bridge.pickPath({ kind: 'open-project' })).toBeNull();
  });

  it('pickPath rejects with an EngineError carrying the code', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc, pathForFile);
    ipc.answer = async () => ({ ok: false, error: { code: 'UNAUTHORIZED', message: 'Refused.' } });
    const error = await bridge.pickPath({ kind: 'open-project' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('UNAUTHORIZED');
  });
});
