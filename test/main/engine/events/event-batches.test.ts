/**
 * The batches of an events write sorted and filled in worker threads (event-batches.ts,
 * batch-worker.ts): the same batches, in the same order, as on the engine thread; a
 * stream closed half-way stops its worker; a worker that cannot start is an error, not a
 * hang.
 */
import { describe, expect, it } from 'vitest';
import { EVENTS_WORKER_FILE, startBatchStreams, type BatchPlan, type BatchStream } from '../../../../main/engine/events/event-batches';
import { EventRows } from '../../../../main/engine/events/event-rows';
import { locateBundle } from '../../../../main/workers/bundle-files';

const decoder = new TextDecoder();

function randomRows(count: number): EventRows {
  let seed = 7;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const rows = new EventRows();
  const types = ['purchase', 'open', 'click', 'visit', 'покупка'].map((t) => rows.typeCode(t));
  for (let i = 0; i < count; i += 1) {
    const day = 1 + Math.floor(next() * 28);
    const at = `2025-0${1 + Math.floor(next() * 9)}-${String(day).padStart(2, '0')}T${String(Math.floor(next() * 24)).padStart(2, '0')}:00:00`;
    const note = next() < 0.3 ? `order ${i} ✓` : null;
    rows.addText(1 + Math.floor(next() * 500), types[Math.floor(next() * types.length)]!, at, next() < 0.5 ? null : Math.round(next() * 10_000) / 100, note);
  }
  return rows;
}

/** Every batch of a stream as plain rows (the buffers are handed back as the writer does). */
async function drain(stream: BatchStream): Promise<{ batches: number; rows: unknown[][] }> {
  const rows: unknown[][] = [];
  let batches = 0;
  try {
    for (let batch = await stream.next(); batch !== null; batch = await stream.next()) {
      batches += 1;
      const text = (cell: number) => (batch!.textLength[cell]! < 0 ? null : decoder.decode(batch!.text.subarray(batch!.textStart[cell]!, batch!.textStart[cell]! + batch!.textLength[cell]!)));
      for (let k = 0; k < batch.rows; k += 1) rows.push([text(k * 3), text(k * 3 + 1), text(k * 3 + 2), ...batch.numbers.subarray(k * 3, k * 3 + 3)]);
      stream.written(batch);
    }
  } finally {
    await stream.close();
  }
  return { batches, rows };
}

const plans: BatchPlan[] = [
  { order: 'typeAndTime', firstSeq: 41, batchRows: 1000, withNotes: true },
  { order: 'profileAndTime', firstSeq: 41, batchRows: 1000, withNotes: false },
];

describe('events batches in worker threads', () => {
  const workerPath = locateBundle(EVENTS_WORKER_FILE);

  it('the build puts the worker beside the engine', () => {
    expect(workerPath).not.toBeNull();
  });

  it('gives the same batches as the engine thread, in both orders, far more than a few batches ahead', async () => {
    const rows = randomRows(25_500);
    const inWorkers = await Promise.all(startBatchStreams(rows, plans, workerPath).map(drain));
    const inline = await Promise.all(startBatchStreams(rows, plans, null).map(drain));
    for (let p = 0; p < plans.length; p += 1) {
      expect(inWorkers[p]!.batches).toBe(26);
      expect(inWorkers[p]!.rows).toHaveLength(25_500);
      expect(inWorkers[p]!.rows).toEqual(inline[p]!.rows);
    }
    // The orders differ (by type first, by profile first), and only the first carries notes.
    expect(inWorkers[0]!.rows).not.toEqual(inWorkers[1]!.rows);
    expect(inWorkers[0]!.rows.some((r) => r[2] !== null)).toBe(true);
    expect(inWorkers[1]!.rows.every((r) => r[2] === null)).toBe(true);
  });

  it('a stream closed after its first batch stops its worker', async () => {
    const [stream] = startBatchStreams(randomRows(10_000), [plans[0]!], workerPath);
    expect(await stream!.next()).not.toBeNull();
    await stream!.close();
    // Nothing else arrives, and the test ends: no thread is left running (vitest would hang).
  });

  it('a worker that cannot start is an error', async () => {
    const [stream] = startBatchStreams(randomRows(10), [plans[0]!], '/nonexistent/events-worker.cjs');
    await expect(stream!.next()).rejects.toThrow(/Preparing the events/);
    await stream!.close();
  });
});
