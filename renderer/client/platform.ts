import type { MenuCommandMessage, PathPickRequest } from '../../shared/bridge';

/** Whether the page can reach the engine: always "connected" inside Electron. */
export type ConnectionStatus = 'connecting' | 'connected' | 'lost';

/** Where a connection status comes from (browser mode: the event stream of the server). */
export interface ConnectionSource {
  status(): ConnectionStatus;
  onChange(listener: (status: ConnectionStatus) => void): () => void;
}

export interface HandOverOptions {
  /** Bytes sent so far (browser mode uploads the file; Electron needs no transfer). */
  readonly onProgress?: (loaded: number, total: number) => void;
  readonly signal?: AbortSignal;
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
  /**
   * A path the engine can read for a file dropped on the window: Electron knows where the
   * file is; a browser does not, so the file is uploaded to the server first. Rejects with
   * an EngineError (too large, not a file, cancelled).
   */
  handOverFile(file: File, options?: HandOverOptions): Promise<string>;
  /** Offers text to the user as a downloaded file (the error report of an import). */
  downloadText(fileName: string, text: string, mimeType: string): void;
  /** Offers bytes to the user as a downloaded file (a chart as PNG). */
  downloadFile(fileName: string, data: Blob): void;
}

/** A connection that never changes (Electron's IPC, an engine in the same process). */
export function alwaysConnected(): ConnectionSource {
  return { status: () => 'connected', onChange: () => () => undefined };
}
