// Bundled into the sandboxed preload: import values only from modules that need nothing
// but plain JavaScript (no Node built-ins, no zod), and types from anywhere.
import { IPC_CHANNELS, type CplanBridge, type MenuCommandMessage } from '../../shared/bridge';
import { EngineError, fail, isEnvelope, type Envelope } from '../../shared/contract/errors';
import type { EngineEventMessage } from '../../shared/contract/events';

type IpcListener = (event: unknown, ...args: unknown[]) => void;

/** Menu commands held for the page until it subscribes; more would be a runaway sender. */
export const MAX_QUEUED_MENU_COMMANDS = 20;

/** Electron's ipcRenderer, narrowed to what the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: IpcListener): unknown;
  removeListener(channel: string, listener: IpcListener): unknown;
}

/**
 * The object the preload exposes as `window.cplan`. The page gets these five members and
 * nothing else: no ipcRenderer, no channel names, no Electron event objects (the
 * wrappers drop the IpcRendererEvent, which would hand the page `sender`).
 *
 * Menu commands that arrive before the page subscribes (a file double-clicked to launch
 * the app is sent right after load, while React may not have mounted yet) are held and
 * handed to the first subscriber, so they are not lost.
 */
export function createBridge(ipc: IpcRendererLike, getPathForFile: (file: File) => string): CplanBridge {
  const menuListeners = new Set<(message: MenuCommandMessage) => void>();
  const heldMenuCommands: MenuCommandMessage[] = [];
  ipc.on(IPC_CHANNELS.menuCommand, (_event, message) => {
    const command = message as MenuCommandMessage;
    if (menuListeners.size === 0) {
      if (heldMenuCommands.length < MAX_QUEUED_MENU_COMMANDS) heldMenuCommands.push(command);
      return;
    }
    for (const listener of [...menuListeners]) listener(command);
  });

  const call = async (channel: string, payload: unknown): Promise<Envelope<unknown>> => {
    try {
      const reply = await ipc.invoke(channel, payload);
      if (isEnvelope(reply)) return reply;
      return fail({ code: 'INTERNAL', message: 'The app answered with something that is not an envelope.' });
    } catch (error) {
      // Only a handler that threw gets here; the main side never should.
      const reason = error instanceof Error ? error.message : String(error);
      return fail({ code: 'UNAVAILABLE', message: `The app did not answer: ${reason}` });
    }
  };

  return {
    platform: 'electron',
    invoke: (request) => call(IPC_CHANNELS.invoke, request),
    onEvent(listener) {
      const wrapper: IpcListener = (_event, message) => listener(message as EngineEventMessage);
      ipc.on(IPC_CHANNELS.event, wrapper);
      return () => {
        ipc.removeListener(IPC_CHANNELS.event, wrapper);
      };
    },
    onMenuCommand(listener) {
      menuListeners.add(listener);
      if (heldMenuCommands.length > 0) {
        const held = heldMenuCommands.splice(0);
        // After onMenuCommand returns, so the caller has its unsubscribe function first.
        queueMicrotask(() => {
          if (!menuListeners.has(listener)) {
            heldMenuCommands.unshift(...held);
            return;
          }
          for (const message of held) listener(message);
        });
      }
      return () => {
        menuListeners.delete(listener);
      };
    },
    // Electron 32+ no longer gives File objects a `path`; webUtils tells it in the preload.
    pathForFile: (file) => getPathForFile(file),
    async pickPath(request) {
      const envelope = await call(IPC_CHANNELS.pickPath, request);
      if (!envelope.ok) throw EngineError.fromPayload(envelope.error);
      return typeof envelope.data === 'string' ? envelope.data : null;
    },
  } satisfies CplanBridge;
}
