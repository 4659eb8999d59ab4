/**
 * The engine's services on Node (node-deps.ts): whoever starts the engine starts its split
 * worker pool with it and stops it after it. A pool left running keeps a process alive
 * (a 'message' listener refs its threads), which is how `cplan split` once never exited.
 */
import { describe, expect, it } from 'vitest';
import { hashPackedIds, packIds } from '../../../shared/split/hash-ids';
import { createEngine } from '../../../main/engine/engine';
import { startEngineServices } from '../../../main/engine/node-deps';
import { hashIds } from '../../../main/workers/hash-in-pool';
import { tempDir } from '../../helpers/temp-dir';

// Node lists a worker thread's handle as its MessagePort.
const workerThreads = () => process.getActiveResourcesInfo().filter((name) => name === 'MessagePort').length;

describe('engine services', () => {
  it('start a split pool that hashes in worker threads, and stop every thread after the engine', async () => {
    const before = workerThreads();
    const services = await startEngineServices({ dataDir: tempDir() });
    const pool = services.deps.splitPool;
    expect(pool, 'dist/main/split-worker.cjs is built by the global setup').not.toBeNull();
    const engine = createEngine(services.deps, () => undefined);

    const ids = Array.from({ length: 50_000 }, (_, i) => `c-${i}`);
    const packed = packIds(ids);
    const hashed = await hashIds('seed', packed.slice(), ids.length, pool);
    expect(Buffer.from(hashed.buffer).equals(Buffer.from(hashPackedIds('seed', packed, ids.length).buffer))).toBe(true);
    expect(pool!.threads).toBeGreaterThan(1);
    expect(workerThreads()).toBe(before + pool!.threads);

    await engine.dispose();
    await services.stop();
    expect(pool!.threads).toBe(0);
    expect(workerThreads()).toBe(before);
    await expect(pool!.run('hash', {})).rejects.toThrow(/closed/);
  });
});
