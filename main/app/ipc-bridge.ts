import { z } from 'zod';
import { IPC_CHANNELS, PATH_PICK_KINDS, type MenuCommandMessage, type PathPickRequest } from '../../shared/bridge';
import { fail, ok, toErrorPayload, type Envelope } from '../../shared/contract/errors';
import { EngineRequest } from '../../shared/contract/index';
import { invalidArgument } from '../../shared/contract/validation';
import type { EngineHost } from '../host/engine-host';
import type { SenderFrame } from './security';

/** The part of Electron's IpcMainInvokeEvent the bridge reads. */
export interface InvokeEventLike {
  readonly senderFrame: SenderFrame | null;
}

/** Electron's ipcMain, narrowed to the invoke handlers the bridge registers. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The window events are pushed to; null while there is none. */
export interface BridgeWindow {
  isDestroyed(): boolean;
  readonly webContents: { send(channel: string, ...args: unknown[]): void };
}

export interface BridgeDeps {
  readonly ipcMain: IpcMainLike;
  readonly host: Pick<EngineHost, 'invoke' | 'subscribe'>;
  readonly getWindow: () => BridgeWindow | null;
  /** Bound to the app origin; see security.ts. */
  readonly isTrustedSender: (frame: SenderFrame | null) => boolean;
  /** Shows the native open or save dialog; null when cancelled. */
  readonly pickPath: (request: PathPickRequest) => Promise<string | null>;
  readonly log?: (line: string) => void;
}

/** The renderer's pickPath argument; the bridge type has no schema of its own. */
export const PathPickRequestSchema = z.strictObject({
  kind: z.enum(PATH_PICK_KINDS),
  defaultName: z.string().max(255).optional(),
});

const UNTRUSTED: Envelope<never> = fail({
  code: 'UNAUTHORIZED',
  message: 'This request did not come from the Campaign Planner window, so it was refused.',
});

/**
 * Registers the IPC handlers behind the preload bridge and forwards engine events to the
 * window. Each handler checks the sender first, validates its argument, and always
 * answers with an envelope: it never throws, because Electron would hand the renderer a
 * rewritten "Error invoking remote method" string instead of a code.
 *
 * Returns a function that removes both handlers and the event subscription.
 */
export function registerBridge(deps: BridgeDeps): () => void {
  const { ipcMain, host, getWindow, isTrustedSender, pickPath, log } = deps;

  ipcMain.handle(IPC_CHANNELS.invoke, async (event, raw) => {
    if (!isTrustedSender(event.senderFrame)) {
      log?.(`ipc: refused ${IPC_CHANNELS.invoke} from ${event.senderFrame?.url ?? 'a closed frame'}`);
      return UNTRUSTED;
    }
    const parsed = EngineRequest.safeParse(raw);
    if (!parsed.success) return fail(invalidArgument('engine request', parsed.error));
    try {
      return await host.invoke(parsed.data);
    } catch (error) {
      return fail(toErrorPayload(error));
    }
  });

  ipcMain.handle(IPC_CHANNELS.pickPath, async (event, raw) => {
    if (!isTrustedSender(event.senderFrame)) {
      log?.(`ipc: refused ${IPC_CHANNELS.pickPath} from ${event.senderFrame?.url ?? 'a closed frame'}`);
      return UNTRUSTED;
    }
    const parsed = PathPickRequestSchema.safeParse(raw);
    if (!parsed.success) return fail(invalidArgument('file dialog request', parsed.error));
    try {
      return ok(await pickPath(parsed.data));
    } catch (error) {
      return fail(toErrorPayload(error));
    }
  });

  const unsubscribe = host.subscribe((message) => {
    const window = getWindow();
    if (!window || window.isDestroyed()) return;
    window.webContents.send(IPC_CHANNELS.event, message);
  });

  return () => {
    ipcMain.removeHandler(IPC_CHANNELS.invoke);
    ipcMain.removeHandler(IPC_CHANNELS.pickPath);
    unsubscribe();
  };
}

/** Sends a native-menu command to the page; false when there is no page to take it. */
export function sendMenuCommand(window: BridgeWindow | null, message: MenuCommandMessage): boolean {
  if (!window || window.isDestroyed()) return false;
  window.webContents.send(IPC_CHANNELS.menuCommand, message);
  return true;
}
