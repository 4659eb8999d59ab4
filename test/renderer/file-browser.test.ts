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

describe('the in-app file browser', () => {
  it('shows the folder asked for last, even when the first listing answers after it', async () => {
    const engine = await startInProcessEngine();
    const folder = join(engine.dir, 'exports');
    mkdirSync(folder);
    // The first listing (the start folder) is held back until the second has answered.
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
    const { store } = harness;
    expect(await store.getState().newProject()).toBe(true);
    void store.getState().saveAs();
    await waitForState(store, (s) => s.fileBrowser !== null);

    store.getState().setBrowserLocation(folder);
    await store.getState().browse(folder);
    expect(harness.state().fileBrowser?.listing?.dir).toBe(folder);
    release();
    // The late answer for the start folder changes nothing (the store has had it once this resolves).
    await firstAnswered;
    await new Promise((resolve) => setImmediate(resolve));
    expect(harness.state().fileBrowser?.listing?.dir).toBe(folder);
    expect(harness.state().fileBrowser?.location).toBe(folder);
    store.getState().cancelFileBrowser();
  });
});
