// Replaced at build time by Vite, Vitest and esbuild (`define`), from package.json.
declare const __APP_VERSION__: string;

export const APP_VERSION: string = __APP_VERSION__;
export const APP_NAME = 'Campaign Planner';
