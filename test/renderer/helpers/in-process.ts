import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MenuCommandMessage, PathPickRequest } from '../../../shared/bridge';
import { createEngineClient, type EngineClient, type EngineTransport } from '../../../shared/client';
import type { EngineEventMessage, OpenProjectState } from '../../../shared/contract/index';
import type { EngineDeps } from '../../../main/engine/deps';
import { createEngine, type Engine } from '../../../main/engine/engine';
import type { ConnectionStatus, Platform } from '../../../renderer/client/platform';
import { createAppStore, type AppStore } from '../../../renderer/store/index';
import type { AppState } from '../../../renderer/store/types';
import { tempDir } from '../../helpers/temp-dir';
import { testEngineDeps } from '../../helpers/engine';

/** A real engine on real sql.js in this thread, behind a transport like the real ones. */
export interface InProcessEngine {
  readonly engine: Engine;
  readonly deps: EngineDeps;
  /** A temp folder: the engine's home folder; `data/` inside it holds recent and recovery. */
  readonly dir: string;
  readonly transport: EngineTransport;
  readonly client: EngineClient;
  /** Every event pushed so far. */
  readonly events: EngineEventMessage[];
  /** Pushes an event as the engine's host would (an engine restart, a connection change). */
  push(message: EngineEventMessage): void;
}

export async function startInProcessEngine(overrides: Partial<EngineDeps> = {}): Promise<InProcessEngine> {
  const dir = overrides.homeDir ?? tempDir('cplan-renderer-');
  const deps = await testEngineDeps(dir, overrides);
  mkdirSync(deps.homeDir, { recursive: true });
  const listeners = new Set<(message: EngineEventMessage) => void>();
  const events: EngineEventMessage[] = [];
  const push = (message: EngineEventMessage) => {
    events.push(message);
    for (const listener of [...listeners]) listener(message);
  };
  const engine = createEngine(deps, push);
  const transport: EngineTransport = {
    invoke: (request) => engine.call(request),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { engine, deps, dir, transport, client: createEngineClient(transport), events, push };
}

export interface TestPlatform extends Platform {
  setConnection(status: ConnectionStatus): void;
  sendMenuCommand(message: MenuCommandMessage): void;
  /** What a native dialog was asked for. */
  readonly pickRequests: PathPickRequest[];
  /** Files offered as downloads (the import's error report). */
  readonly downloads: { fileName: string; text: string; mimeType: string }[];
  /** Files offered as bytes (a chart as PNG): name and size. */
  readonly fileDownloads: { fileName: string; size: number; type: string }[];
}

/**
 * A platform for store tests. Without `pick` it has no native dialogs (like browser mode),
 * so the store's in-app file browser is used; with `pick` it answers like a native dialog.
 */
export function testPlatform(options: { pick?: (request: PathPickRequest) => string | null; uploadDir?: string } = {}): TestPlatform {
  let status: ConnectionStatus = 'connected';
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const menuListeners = new Set<(message: MenuCommandMessage) => void>();
  const pickRequests: PathPickRequest[] = [];
  const downloads: TestPlatform['downloads'] = [];
  const fileDownloads: TestPlatform['fileDownloads'] = [];
  const { pick } = options;
  let uploads = 0;
  return {
    kind: pick ? 'electron' : 'browser',
    pickPath: pick
      ? (request) => {
          pickRequests.push(request);
          return Promise.resolve(pick(request));
        }
      : null,
    onMenuCommand(listener) {
      menuListeners.add(listener);
      return () => menuListeners.delete(listener);
    },
    connection: {
      status: () => status,
      onChange(listener) {
        statusListeners.add(listener);
        return () => statusListeners.delete(listener);
      },
    },
    setConnection(next) {
      status = next;
      for (const listener of [...statusListeners]) listener(next);
    },
    sendMenuCommand(message) {
      for (const listener of [...menuListeners]) listener(message);
    },
    /** Like browser mode's upload: the bytes land in a folder of their own, and progress is reported. */
    async handOverFile(file, handOver = {}) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      handOver.onProgress?.(bytes.length, bytes.length);
      uploads += 1;
      const folder = join(options.uploadDir ?? tempDir('cplan-uploads-'), String(uploads));
      mkdirSync(folder, { recursive: true });
      const path = join(folder, file.name);
      writeFileSync(path, bytes);
      return path;
    },
    downloadText(fileName, text, mimeType) {
      downloads.push({ fileName, text, mimeType });
    },
    downloadFile(fileName, data) {
      fileDownloads.push({ fileName, size: data.size, type: data.type });
    },
    pickRequests,
    downloads,
    fileDownloads,
  };
}

export interface StoreHarness {
  readonly store: AppStore;
  readonly engine: InProcessEngine;
  readonly platform: TestPlatform;
  state(): AppState;
}

/** A fresh store on a fresh engine, initialised as the window does at start. */
export async function startStore(
  options: { engine?: InProcessEngine; pick?: (request: PathPickRequest) => string | null; now?: () => number } = {},
): Promise<StoreHarness> {
  const engine = options.engine ?? (await startInProcessEngine());
  const platform = testPlatform(options.pick ? { pick: options.pick } : {});
  const store = createAppStore(engine.client, platform, options.now ? { now: options.now } : {});
  await store.getState().initialize();
  return { store, engine, platform, state: () => store.getState() };
}

/** Resolves with the state once `predicate` holds (checked now and after every change). */
export function waitForState(store: AppStore, predicate: (state: AppState) => boolean, timeoutMs = 5000): Promise<AppState> {
  return new Promise((resolve, reject) => {
    if (predicate(store.getState())) {
      resolve(store.getState());
      return;
    }
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`State not reached within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = store.subscribe((state) => {
      if (!predicate(state)) return;
      clearTimeout(timer);
      stop();
      resolve(state);
    });
  });
}

/** Waits for the in-app file browser to list a folder, then picks `fileName` in `folder`. */
export async function pickInFileBrowser(store: AppStore, folder: string, fileName: string): Promise<void> {
  await waitForState(store, (s) => s.fileBrowser?.listing != null && !s.fileBrowser.loading);
  store.getState().setBrowserLocation(folder);
  await store.getState().browse(folder);
  store.getState().setBrowserFileName(fileName);
  await store.getState().confirmFileBrowser();
}

/** The open project of the harness's store; fails the test when none is open. */
export function openState(harness: StoreHarness): OpenProjectState {
  const { project } = harness.state();
  if (!project.open) throw new Error('Expected an open project, but none is open.');
  return project;
}
