import type { MenuCommandMessage, PathPickRequest } from '../../shared/bridge';

/** Whether the page can reach the engine: always "connected" inside Electron. */
export type ConnectionStatus = 'connecting' | 'connected' | 'lost';

/** Where a connection status comes from (browser mode: the event stream of the server). */
export interface ConnectionSource {
  status(): ConnectionStatus;
  onChange(listener: (status: ConnectionStatus) => void): () => void;
}

/**
 * What differs between the Electron window and a browser tab, apart from the transport.
 * The store is given one of these, so its actions read the same in both.
 */
export interface Platform {
  readonly kind: 'electron' | 'browser';
  /**
   * The native file dialog; resolves null when the user cancels. Null where there is none:
   * the store then shows the in-app file browser.
   */
  readonly pickPath: ((request: PathPickRequest) => Promise<string | null>) | null;
  /** Commands from the native menu; null where there is none (the page handles shortcuts). */
  readonly onMenuCommand: ((listener: (message: MenuCommandMessage) => void) => () => void) | null;
  readonly connection: ConnectionSource;
}

/** A connection that never changes (Electron's IPC, an engine in the same process). */
export function alwaysConnected(): ConnectionSource {
  return { status: () => 'connected', onChange: () => () => undefined };
}
