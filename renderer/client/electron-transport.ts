import type { CplanBridge } from '../../shared/bridge';
import type { EngineTransport } from '../../shared/client';
import { EngineError } from '../../shared/contract/index';
import { downloadBlobFile, downloadTextFile } from './download';
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
    handOverFile(file) {
      // Electron knows where a dropped file lives; something that is not a file on this
      // computer (text dragged from another app, a file from a web page) has no path.
      const path = bridge.pathForFile(file);
      if (!path) {
        return Promise.reject(new EngineError('INVALID_ARGUMENT', `"${file.name}" is not a file on this computer; save it to a folder first.`));
      }
      return Promise.resolve(path);
    },
    downloadText: downloadTextFile,
    downloadFile: downloadBlobFile,
  };
}
