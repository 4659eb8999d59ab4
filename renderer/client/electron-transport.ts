import type { CplanBridge } from '../../shared/bridge';
import type { EngineTransport } from '../../shared/client';
import { alwaysConnected, type Platform } from './platform';

/** Calls and events over the preload bridge (`window.cplan`). */
export function createElectronTransport(bridge: CplanBridge): EngineTransport {
  return {
    invoke: (request) => bridge.invoke(request),
    subscribe: (listener) => bridge.onEvent(listener),
  };
}

/** Native dialogs and the native menu; the menu carries the keyboard shortcuts too. */
export function createElectronPlatform(bridge: CplanBridge): Platform {
  return {
    kind: 'electron',
    pickPath: (request) => bridge.pickPath(request),
    onMenuCommand: (listener) => bridge.onMenuCommand(listener),
    connection: alwaysConnected(),
  };
}
