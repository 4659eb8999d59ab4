/// <reference types="vite/client" />
import type { CplanBridge } from '../shared/bridge';

declare global {
  interface Window {
    /** Present only inside the Electron window (the preload bridge). */
    readonly cplan?: CplanBridge;
  }
}

export {};
