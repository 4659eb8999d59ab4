import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatBytes } from '../../shared/format';
import { UploadStore, UploadTooLarge } from './uploads';
import { fail, type Envelope, type ErrorPayload } from '../../shared/contract/errors';
import type { EngineEventMessage } from '../../shared/contract/events';
import { EngineRequest } from '../../shared/contract/index';
import { invalidArgument } from '../../shared/contract/validation';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { openStaticFile } from '../static/static-file';
import { contentTypeOf, resolveStaticPath } from './static-files';

/** What the server needs from the engine: the same two calls the Electron bridge uses. */
export interface EngineEndpoint {
  invoke(request: EngineRequest): Promise<Envelope<unknown>>;
  subscribe(listener: (message: EngineEventMessage) => void): () => void;
}

export interface ServerOptions {
  readonly engine: EngineEndpoint;
  /** The built UI (dist/renderer). */
  readonly staticDir: string;
  /** 0 (the default) lets the system choose a free port. */
  readonly port?: number;
  /** A fixed token (tests); by default 32 random bytes. */
  readonly token?: string;
  /** Where files dropped on the page are kept while the server runs (removed on close). */
  readonly uploadDir?: string;
  readonly log?: (line: string) => void;
}

export interface RunningServer {
  readonly url: string;
  /** The address to open: the URL with the token in its fragment (never sent to servers). */
  readonly openUrl: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 15_000;

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Browser mode: the built UI and the engine API on 127.0.0.1 only. Every API request needs
 * the random token; a Host header other than this server's own (DNS rebinding) or an
 * Origin of another site (a page in the user's browser calling us) is refused.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const uploads = new UploadStore(options.uploadDir ?? join(tmpdir(), `campaign-planner-uploads-${process.pid}-${randomBytes(4).toString('hex')}`));
  const tokenBytes = Buffer.from(token);
  const streams = new Set<ServerResponse>();
  let port = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const tokenMatches = (given: string | null | undefined): boolean => {
    if (!given) return false;
    const bytes = Buffer.from(given);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };

  const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
    });
    res.end(text);
  };

  const refuse = (res: ServerResponse, status: number, error: ErrorPayload): void => sendJson(res, status, fail(error));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      refuse(res, 403, { code: 'UNAUTHORIZED', message: 'Refused: this server answers only to 127.0.0.1 and localhost.' });
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) {
      refuse(res, 403, { code: 'UNAUTHORIZED', message: 'Refused: requests from other sites are not allowed.' });
      return;
    }
    const url = parseRequestPath(req.url, port);
    if (!url) {
      refuse(res, 400, { code: 'INVALID_ARGUMENT', message: 'The request path is malformed.' });
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      await handleApi(req, res, url);
      return;
    }
    await serveStatic(req, res, url.pathname);
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (url.pathname === '/api/events' && req.method === 'GET') {
      if (!tokenMatches(url.searchParams.get('token'))) {
        refuse(res, 401, { code: 'UNAUTHORIZED', message: 'Missing or wrong token: open the address the server printed.' });
        return;
      }
      openEventStream(req, res);
      return;
    }
    const bearer = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!tokenMatches(bearer)) {
      refuse(res, 401, { code: 'UNAUTHORIZED', message: 'Missing or wrong token: open the address the server printed.' });
      return;
    }
    if (url.pathname === '/api/upload') {
      await handleUpload(req, res, url);
      return;
    }
    if (url.pathname !== '/api/invoke') {
      refuse(res, 404, { code: 'NOT_FOUND', message: `No such endpoint: ${url.pathname}` });
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      refuse(res, 405, { code: 'INVALID_ARGUMENT', message: 'Use POST for /api/invoke.' });
      return;
    }
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      refuse(res, 415, { code: 'INVALID_ARGUMENT', message: 'The request body must be application/json.' });
      return;
    }
    const text = await readBody(req, MAX_BODY_BYTES);
    if (text === null) {
      res.setHeader('Connection', 'close');
      refuse(res, 413, { code: 'INVALID_ARGUMENT', message: `The request body is larger than ${MAX_BODY_BYTES} bytes.` });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      refuse(res, 400, { code: 'INVALID_ARGUMENT', message: `The request body is not valid JSON: ${(error as Error).message}` });
      return;
    }
    const request = EngineRequest.safeParse(body);
    if (!request.success) {
      refuse(res, 400, invalidArgument('request', request.error));
      return;
    }
    sendJson(res, 200, await options.engine.invoke(request.data));
  };

  /** POST /api/upload?name=FILE: the body is the file; the answer is where the engine can read it. */
  const handleUpload = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      refuse(res, 405, { code: 'INVALID_ARGUMENT', message: 'Use POST for /api/upload.' });
      return;
    }
    try {
      const path = await uploads.receive(req, url.searchParams.get('name'));
      sendJson(res, 200, { ok: true, data: { path } });
    } catch (error) {
      res.setHeader('Connection', 'close');
      if (error instanceof UploadTooLarge) {
        refuse(res, 413, { code: 'INVALID_ARGUMENT', message: `The file is too large to hand over (more than ${formatBytes(error.limit)}).` });
      } else {
        refuse(res, 500, { code: 'IO_ERROR', message: `The file could not be received: ${(error as Error).message}` });
      }
    }
  };

  const openEventStream = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 1000\n\n');
    streams.add(res);
    const unsubscribe = options.engine.subscribe((message) => {
      res.write(`data: ${JSON.stringify(message)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const stop = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    };
    req.on('close', stop);
    res.on('error', stop);
  };

  const serveStatic = async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      refuse(res, 405, { code: 'INVALID_ARGUMENT', message: 'Only GET and HEAD are allowed here.' });
      return;
    }
    const candidate = resolveStaticPath(pathname, options.staticDir);
    const file =
      candidate === null
        ? null
        : await openStaticFile(options.staticDir, candidate).catch((error: unknown) => {
            options.log?.(`could not open ${candidate}: ${(error as Error).message}`);
            return null;
          });
    if (candidate === null || file === null) {
      res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found');
      return;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': contentTypeOf(candidate),
      'Content-Length': file.size,
      // index.html names the hashed assets of this build: never cache it.
      'Cache-Control': candidate.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable',
    });
    if (req.method === 'HEAD') {
      await file.handle.close();
      res.end();
      return;
    }
    // The stream reads the file that was checked (the open handle) and closes it at the end.
    pipeline(file.handle.createReadStream(), res, (error) => {
      // The file could not be read after the headers were sent: end this response, never
      // the server.
      if (error) options.log?.(`could not send ${file.path}: ${error.message}`);
    });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log?.(`request failed: ${(error as Error).message}`);
      if (!res.headersSent) refuse(res, 500, { code: 'INTERNAL', message: 'The server failed to answer.' });
      else res.destroy();
    });
  });
  // Plain loopback HTTP: a slow client must not hold a socket forever.
  server.headersTimeout = 20_000;
  server.requestTimeout = 0; // event streams stay open

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        server.close(() => void uploads.clear().finally(resolve));
        server.closeAllConnections();
      }),
  };
}

/** The request's path and query, or null when it cannot be parsed. */
function parseRequestPath(raw: string | undefined, port: number): URL | null {
  const path = raw ?? '/';
  // Only origin-form paths: "//host/x" must not be read as another host.
  if (!path.startsWith('/') || path.startsWith('//')) return null;
  try {
    return new URL(`http://127.0.0.1:${port}${path}`);
  } catch {
    return null;
  }
}

/**
 * Reads the body as text, or null once it passes `limit` bytes: the rest is drained and
 * dropped so the refusal can still be sent on this connection.
 */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared > limit;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
