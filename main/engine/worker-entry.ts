/**
 * The engine thread. The host thread (Electron main, the browser-mode server) only routes
 * messages; everything that takes time happens here, so the host never blocks.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine } from './engine';
import { startEngineServices, type EngineConfig } from './node-deps';
import type { EngineToHost, HostToEngine } from './worker-protocol';

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('The engine must run in a worker thread.');
  const send = (message: EngineToHost) => port.postMessage(message);
  const services = await startEngineServices(workerData as EngineConfig);
  const engine = createEngine(services.deps, (message) => send({ type: 'event', message }));
  port.on('message', (message: HostToEngine) => {
    if (message.type === 'call') {
      void engine.call(message.request).then((envelope) => send({ type: 'result', id: message.id, envelope }));
    } else if (message.type === 'stop') {
      void engine
        .flushRecovery()
        .then(() => engine.dispose())
        .finally(() => services.stop())
        .finally(() => send({ type: 'stopped' }));
    }
  });
  send({ type: 'ready' });
}

main().catch((error: unknown) => {
  parentPort?.postMessage({ type: 'fatal', message: error instanceof Error ? error.message : String(error) } satisfies EngineToHost);
  process.exit(1);
});
