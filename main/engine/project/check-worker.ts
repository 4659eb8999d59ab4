/**
 * The check worker thread (bundled as check-worker.cjs next to the engine's bundle): checks
 * one project file (read from disk) or bytes with open-check.ts and replies once; the engine ends the thread
 * after the reply, or when the check runs past its time limit (check-runner.ts).
 */
import { parentPort } from 'node:worker_threads';
import { toErrorPayload } from '../../../shared/contract/errors';
import { loadSqlJs, loadSqlJsFrom } from '../sqlite/sql-js';
import type { CheckReply, CheckRequest } from './check-runner';
import { checkProjectBytes, checkProjectFile } from './open-check';

const port = parentPort;
if (!port) throw new Error('The file check must run in a worker thread.');

port.once('message', (request: CheckRequest) => {
  (request.module ? loadSqlJsFrom(request.module) : loadSqlJs())
    .then((sql) => {
      const options = { clean: request.clean, integrity: true };
      return request.bytes ? checkProjectBytes(sql, request.bytes, request.path, options) : checkProjectFile(sql, request.path, request.identity, options);
    })
    .then(
      (outcome): CheckReply => ({ ok: true, outcome }),
      (error: unknown): CheckReply => ({ ok: false, error: toErrorPayload(error) }),
    )
    .then((reply) => port.postMessage(reply));
});
