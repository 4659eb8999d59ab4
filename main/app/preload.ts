// The preload runs sandboxed: it is one CommonJS bundle whose only import may be
// 'electron' (contextBridge, ipcRenderer). Everything else is in bridge-api.ts.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge } from './bridge-api';

contextBridge.exposeInMainWorld('cplan', createBridge(ipcRenderer, (file) => webUtils.getPathForFile(file)));
