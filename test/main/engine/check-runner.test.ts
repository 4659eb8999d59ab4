/**
 * The mechanism that bounds opening's check: sql.js exposes no way to interrupt a running
 * statement, so the check runs in a worker thread that is ended after its time limit (or
 * on cancel). Here a worker runs a query that never ends, in real sql.js.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../shared/contract/errors';
import { defaultCheckTimeLimitMs, runWorkerOnce } from '../../../main/engine/project/check-runner';
import { expectEngineError } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';

const ENDLESS = 'WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT count(*) FROM r';

/** A worker that flags (through shared memory) when it enters an endless statement. */
function endlessWorker(): string {
  const path = join(tempDir(), 'endless-worker.cjs');
  const sqlJs = createRequire(import.meta.url).resolve('sql.js');
  writeFileSync(
    path,
    `const { parentPort } = require('node:worker_threads');
     const initSqlJs = require(${JSON.stringify(sqlJs)});
     parentPort.once('message', async ({ flag }) => {
       const db = new (await initSqlJs()).Database();
       Atomics.store(new Int32Array(flag), 0, 1);
       db.exec(${JSON.stringify(ENDLESS)});
       parentPort.postMessage('finished');
     });`,
  );
  return path;
}

const timedOut = () => new EngineError('TIMED_OUT', 'Stopped after its time limit.');

async function untilFlagged(flag: SharedArrayBuffer): Promise<void> {
  while (Atomics.load(new Int32Array(flag), 0) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('a bounded worker run', () => {
  it('ends a worker running a statement that never ends, once its time limit passes', async () => {
    const flag = new SharedArrayBuffer(4);
    const run = runWorkerOnce(endlessWorker(), { flag }, { timeLimitMs: 2000, timedOut });
    const error = await expectEngineError(run, 'TIMED_OUT');
    expect(error.message).toBe('Stopped after its time limit.');
  });

  it('ends it on cancel while it is inside the statement', async () => {
    const flag = new SharedArrayBuffer(4);
    const controller = new AbortController();
    const run = runWorkerOnce(endlessWorker(), { flag }, { timeLimitMs: 10 * 60_000, timedOut, signal: controller.signal });
    await untilFlagged(flag);
    controller.abort();
    await expectEngineError(run, 'CANCELLED');
  });

  it('gives a project a minute plus a second per 4 MiB', () => {
    expect(defaultCheckTimeLimitMs(0)).toBe(60_000);
    expect(defaultCheckTimeLimitMs(150 * 1024 * 1024)).toBe(60_000 + 38_000);
    expect(defaultCheckTimeLimitMs(1024 * 1024 * 1024)).toBe(60_000 + 256_000);
  });
});
