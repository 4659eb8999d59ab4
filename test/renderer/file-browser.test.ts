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

/**
 * A store on an engine whose first `files/list` (the start folder) answers only once
 * `release` is called; `folder` is an empty folder to browse to meanwhile.
 */
async function heldFirstListing(): Promise<{ folder: string; release: () => void; firstAnswered: () => Promise<unknown> }> {
  const engine = await startInProcessEngine();
  const folder = join(engine.dir, 'exports');
  mkdirSync(folder);
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let lists = 0;
  let firstAnswered: Promise<unknown> = Promise.resolve();
  const transport: EngineTransport = {
    ...engine.transport,
    invoke: (request) => {
      if (request.method !== 'files/list' || (lists += 1) !== 1) return engine.transport.invoke(request);
      const answer = held.then(() => engine.transport.invoke(request));
      firstAnswered = answer;
      return answer;
    },
  };
  harness = await startStore({ engine: { ...engine, transport, client: createEngineClient(transport) } });
  expect(await harness.store.getState().newProject()).toBe(true);
  void harness.store.getState().saveAs();
  await waitForState(harness.store, (s) => s.fileBrowser !== null);
  return { folder, release: () => release(), firstAnswered: () => firstAnswered };
}

describe('the in-app file browser', () => {
  it('shows the folder asked for last, even when the first listing answers after it', async () => {
    const { folder, release, firstAnswered } = await heldFirstListing();
    const store = harness!.store;
    store.getState().setBrowserLocation(folder);
    await store.getState().browse(folder);
    expect(harness!.state().fileBrowser?.listing?.dir).toBe(folder);
    release();
    // The late answer for the start folder changes nothing (the store has had it once this resolves).
    await firstAnswered();
    await new Promise((resolve) => setImmediate(resolve));
    expect(harness!.state().fileBrowser?.listing?.dir).toBe(folder);
    expect(harness!.state().fileBrowser?.location).toBe(folder);
    store.getState().cancelFileBrowser();
  });

  // Found driving the app in Chromium under load: the page objects type a folder as soon as
  // the browser opens, and the late first listing replaced it, so Enter listed the start folder.
  it('keeps a folder typed while the first listing loads, and Enter lists it', async () => {
    const { folder, release } = await heldFirstListing();
    const store = harness!.store;
    store.getState().setBrowserLocation(folder);
    release();
    await waitForState(store, (s) => s.fileBrowser?.listing != null && !s.fileBrowser.loading);
    expect(harness!.state().fileBrowser?.location).toBe(folder);
    await store.getState().browse(harness!.state().fileBrowser?.location);
    expect(harness!.state().fileBrowser?.listing?.dir).toBe(folder);
    store.getState().cancelFileBrowser();
  });
});
