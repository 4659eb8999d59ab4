import * as events from 'node:events';
import { readFileSync } from 'node:fs';
import * as timers from 'node:timers';
import * as url from 'node:url';
import { join } from 'node:path';
import { runInContext, createContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS, type CplanBridge } from '../../../shared/bridge';

const root = process.cwd();

/** The preload as build.mjs bundles it, minus the import.meta banner (see below). */
async function bundlePreload(): Promise<string> {
  const result = await build({
    entryPoints: [join(root, 'main/app/preload.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    external: ['electron'],
    define: { __APP_VERSION__: JSON.stringify('0.0.0-test') },
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild produced no output');
  return output.text;
}

/**
 * Runs a preload the way Electron runs a sandboxed one: compiled as a function of
 * (require, process, exports, module) in a context with no Node globals (no __filename,
 * no Buffer), and a `require` that knows only what Electron's sandbox offers: electron,
 * events, timers and url.
 */
function runSandboxed(source: string) {
  const exposed = new Map<string, unknown>();
  const invoked: [string, unknown][] = [];
  const ipcRenderer = {
    invoke: async (channel: string, payload: unknown) => {
      invoked.push([channel, payload]);
      return { ok: true, data: 'pong' };
    },
    on: () => ipcRenderer,
    removeListener: () => ipcRenderer,
  };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer,
  };
  const required: string[] = [];
  const available: Record<string, unknown> = { electron, events, timers, url };
  const sandboxRequire = (name: string) => {
    required.push(name);
    const found = available[name.replace(/^node:/, '')];
    if (found === undefined) throw new Error(`module not found: ${name}`);
    return found;
  };
  const context = createContext({ queueMicrotask, console });
  const wrapper = runInContext(`(function (require, process, exports, module) {\n${source}\n})`, context) as (
    ...args: unknown[]
  ) => void;
  const exports = {};
  wrapper(sandboxRequire, {}, exports, { exports });
  return { exposed, required, invoked };
}

describe('preload', () => {
  it('runs sandboxed, requires nothing but electron, and exposes the bridge as window.cplan', async () => {
    const { exposed, required, invoked } = runSandboxed(await bundlePreload());
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['cplan']);
    const bridge = exposed.get('cplan') as CplanBridge;
    expect(bridge.platform).toBe('electron');
    expect(await bridge.invoke({ method: 'engine/ping', args: {} })).toEqual({ ok: true, data: 'pong' });
    expect(invoked).toEqual([[IPC_CHANNELS.invoke, { method: 'engine/ping', args: {} }]]);
  });

  it('stays small: no validation library or engine code is bundled into the page', async () => {
    const source = await bundlePreload();
    expect(source).not.toMatch(/zod|sql\.js|worker_threads/);
    expect(source.length).toBeLessThan(20_000);
  });

  it('dist/main/preload.cjs (the real build output) runs sandboxed', () => {
    const { exposed } = runSandboxed(readFileSync(join(root, 'dist/main/preload.cjs'), 'utf8'));
    expect(exposed.has('cplan')).toBe(true);
  });
});
