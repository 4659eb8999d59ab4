import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPackedIds, packIds } from '../../../shared/split/hash-ids';
import { hashIds, locateSplitWorker } from '../../../main/workers/hash-in-pool';
import { WorkerPool } from '../../../main/workers/pool';

const pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

function pool(size = 2): WorkerPool {
  const workerPath = locateSplitWorker();
  if (!workerPath) throw new Error('dist/main/split-worker.cjs is missing: run node scripts/build.mjs');
  const p = new WorkerPool({ workerPath, size });
  pools.push(p);
  return p;
}

describe('the split worker pool', () => {
  it('hashes a packed ID list in parallel exactly as on one thread', async () => {
    const ids = Array.from({ length: 123_457 }, (_, i) => (i % 3 === 0 ? `Клиент-${i}` : String(i).padStart(8, '0')));
    const packed = packIds(ids);
    const expected = hashPackedIds('seed-x', packed, ids.length);
    const got = await hashIds('seed-x', packed.slice(), ids.length, pool(2));
    expect(got.length).toBe(ids.length * 4);
    expect(Buffer.compare(Buffer.from(got.buffer), Buffer.from(expected.buffer))).toBe(0);
  });

  it('cuts the list at separators for any number of workers, empty IDs included', async () => {
    const ids = Array.from({ length: 60_001 }, (_, i) => (i % 5 === 0 ? '' : `id${i}`));
    const packed = packIds(ids);
    const expected = hashPackedIds('s', packed, ids.length);
    for (const size of [2, 3]) {
      const got = await hashIds('s', packed.slice(), ids.length, pool(size));
      expect(Buffer.compare(Buffer.from(got.buffer), Buffer.from(expected.buffer))).toBe(0);
    }
  });

  it('runs queued jobs when workers free up, more jobs than threads', async () => {
    const p = pool(1);
    const lists = [['a', 'b'], ['c'], ['d', 'e', 'f']];
    const results = await Promise.all(lists.map((ids) => p.run<Uint32Array>('hash', { seed: 's', packed: packIds(ids), count: ids.length })));
    results.forEach((words, i) => expect(Array.from(words)).toEqual(Array.from(hashPackedIds('s', packIds(lists[i]!), lists[i]!.length))));
  });

  it('fails an unknown job with a clear error and keeps working', async () => {
    const p = pool(1);
    await expect(p.run('explode', {})).rejects.toThrow(/Unknown job "explode"/);
    const words = await p.run<Uint32Array>('hash', { seed: 's', packed: packIds(['x']), count: 1 });
    expect(words.length).toBe(4);
  });

  it('refuses work once closed', async () => {
    const p = new WorkerPool({ workerPath: join(process.cwd(), 'dist/main/split-worker.cjs'), size: 1 });
    await p.close();
    await expect(p.run('hash', {})).rejects.toThrow(/closed/);
  });
});
