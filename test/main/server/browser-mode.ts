/**
 * Browser mode under test: the real server (main/server/server.ts) with the real engine in
 * a worker thread, and requests over real HTTP on 127.0.0.1 through node:http, which
 * (unlike fetch) lets a test forge the Host header the way a DNS-rebinding page would.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { isEnvelope, type Envelope, type ErrorPayload } from '../../../shared/contract/errors';
import { EngineHost } from '../../../main/host/engine-host';
import { startServer, type RunningServer } from '../../../main/server/server';
import { tempDir } from '../../helpers/temp-dir';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ENGINE_WORKER = join(ROOT, 'dist', 'main', 'engine-worker.cjs');

export const INDEX_HTML = '<!doctype html><html><head><title>Campaign Planner</title></head><body><div id="root"></div></body></html>\n';
export const APP_JS = 'console.log("campaign planner");\n';
export const APP_CSS = 'body { margin: 0; }\n';
export const SECRET = 'TOP SECRET: outside the static folder';

// ---------------------------------------------------------------------------------------
// HTTP on 127.0.0.1

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface RequestOptions {
  readonly method?: string;
  readonly path: string;
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: string | Buffer;
}

/** One request on a fresh connection; a Host given in `headers` replaces the real one. */
export function send(port: number, options: RequestOptions): Promise<Reply> {
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** POST /api/invoke with the token as a bearer, as the UI's client does. */
export function invoke(port: number, token: string | null, body: unknown, headers: OutgoingHttpHeaders = {}): Promise<Reply> {
  return send(port, {
    method: 'POST',
    path: '/api/invoke',
    headers: {
      'Content-Type': 'application/json',
      ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

export function envelopeOf(reply: Reply): Envelope<unknown> {
  expect(reply.headers['content-type']).toMatch(/^application\/json/);
  const parsed: unknown = JSON.parse(reply.body);
  expect(isEnvelope(parsed), reply.body).toBe(true);
  return parsed as Envelope<unknown>;
}

export function dataOf<T>(reply: Reply): T {
  expect(reply.status).toBe(200);
  const envelope = envelopeOf(reply);
  if (!envelope.ok) throw new Error(`expected success, got ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.data as T;
}

export function errorOf(reply: Reply): ErrorPayload {
  const envelope = envelopeOf(reply);
  if (envelope.ok) throw new Error(`expected a failure, got ${reply.body}`);
  return envelope.error;
}

// ---------------------------------------------------------------------------------------
// The server in this process, with the engine in its worker thread

export interface Fixture {
  readonly dir: string;
  readonly staticDir: string;
  readonly host: EngineHost;
  readonly server: RunningServer;
  readonly port: number;
  readonly token: string;
}

export async function startFixture(): Promise<Fixture> {
  const dir = tempDir('cplan-server-test-');
  const staticDir = join(dir, 'static');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), INDEX_HTML);
  writeFileSync(join(staticDir, 'assets', 'app-3f2a9c.js'), APP_JS);
  writeFileSync(join(staticDir, 'assets', 'app-3f2a9c.css'), APP_CSS);
  writeFileSync(join(staticDir, 'assets', 'data.unknownext'), 'opaque');
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  writeFileSync(join(dir, 'package.json'), SECRET);
  const host = new EngineHost({ workerPath: ENGINE_WORKER, config: { dataDir: join(dir, 'data'), homeDir: dir } });
  await host.start();
  const server = await startServer({ engine: host, staticDir });
  return { dir, staticDir, host, server, port: server.port, token: server.token };
}
