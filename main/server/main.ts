/**
 * `npm run serve`: Campaign Planner in a browser. The engine runs in its own thread; this
 * thread only serves files and routes API calls.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { APP_VERSION } from '../../shared/version';
import { defaultDataDir } from '../engine/data-dir';
import { EngineHost } from '../host/engine-host';
import { startServer } from './server';

const HELP = `Usage: campaign-planner-serve [options]

Serves Campaign Planner on http://127.0.0.1 (this computer only) and prints the address
to open in a browser. The address carries a random token; requests without it are refused.

Options:
  --port N          listen on port N (default: a free port)
  --data-dir DIR    where recent projects and recovery copies are kept
                    (default: the desktop app's folder, or $CPLAN_DATA_DIR)
  --open FILE       open this project file at start
  -h, --help        show this help
  -v, --version     show the version
`;

class UsageError extends Error {}

async function main(): Promise<void> {
  const { values } = parseOptions({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      open: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (values.version) {
    process.stdout.write(`${APP_VERSION}\n`);
    return;
  }
  const port = values.port === undefined ? 0 : /^\d{1,5}$/.test(values.port) ? Number(values.port) : NaN;
  if (!Number.isInteger(port) || port > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, not "${values.port}".`);
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const host = new EngineHost({
    workerPath: join(here, 'engine-worker.cjs'),
    config: { dataDir: values['data-dir'] ? resolve(values['data-dir']) : defaultDataDir() },
    log: (line) => process.stderr.write(`${line}\n`),
    freshThreadAfterClose: true,
  });
  await host.start();
  const server = await startServer({
    engine: host,
    staticDir: join(here, '..', 'renderer'),
    port,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (values.open) {
    const opened = await host.invoke({ method: 'project/open', args: { path: resolve(values.open) } });
    if (!opened.ok) process.stderr.write(`Could not open ${values.open}: ${opened.error.message}\n`);
  }
  process.stdout.write(
    `Campaign Planner ${APP_VERSION} (browser mode) is running.\n` +
      `Open this address in your browser: ${server.openUrl}\n` +
      `Press Ctrl+C to stop.\n`,
  );

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    // Unsaved work goes to the recovery copy first, so the next start can offer it.
    await host.stop();
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

function parseOptions<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see --help)`);
  }
}

main().catch((error: unknown) => {
  // One line, whatever the message: scripts read the first line of stderr.
  const message = (error as Error).message.replace(/\s*\n\s*/g, ' ');
  process.stderr.write(`campaign-planner: ${message}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
