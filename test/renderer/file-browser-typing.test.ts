/**
 * The in-app file browser keeps what the user types in its folder field: the first listing
 * (the start folder) answering late, on a busy machine, replaced a folder typed meanwhile,
 * so Enter then listed the start folder again. Found driving the app in Chromium under load
 * (the page objects type a folder as soon as the browser opens).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineClient, type EngineTransport } from '../../shared/client';
import { startInProcessEngine, startStore, waitForState, type StoreHarness } from './helpers/in-process';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

describe('typing a folder while the first listing loads', () => {
  it('the late listing leaves the typed folder alone, and Enter lists it', async () => {
    const engine = await startInProcessEngine();
    const folder = join(engine.dir, 'exports');
    mkdirSync(folder);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let lists = 0;
    const transport: EngineTransport = {
      ...engine.transport,
      invoke: (request) => {
        if (request.method !== 'files/list' || (lists += 1) !== 1) return engine.transport.invoke(request);
        return held.then(() => engine.transport.invoke(request));
      },
    };
    harness = await startStore({ engine: { ...engine, transport, client: createEngineClient(transport) } });
    const { store } = harness;
    expect(await store.getState().newProject()).toBe(true);
    void store.getState().saveAs();
    await waitForState(store, (s) => s.fileBrowser !== null);

    store.getState().setBrowserLocation(folder);
    release();
    await waitForState(store, (s) => s.fileBrowser?.listing != null && !s.fileBrowser.loading);
    expect(harness.state().fileBrowser?.location).toBe(folder);
    await store.getState().browse(harness.state().fileBrowser?.location);
    expect(harness.state().fileBrowser?.listing?.dir).toBe(folder);
    store.getState().cancelFileBrowser();
  });
});
