/**
 * Browser mode: the real server (main/server/server.ts) with the real engine in a worker
 * thread, over real HTTP on 127.0.0.1 (helpers in ./browser-mode.ts); and the real entry
 * (dist/main/server.cjs) as a process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEventMessage } from '../../../shared/contract/events';
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp';
import { resolveStaticPath } from '../../../main/server/static-files';
import { tempDir } from '../../helpers/temp-dir';
import {
  APP_CSS,
  APP_JS,
  dataOf,
  errorOf,
  INDEX_HTML,
  invoke,
  ROOT,
  SECRET,
  send,
  startFixture,
  type Fixture,
} from './browser-mode';

const SERVER_ENTRY = join(ROOT, 'dist', 'main', 'server.cjs');

/** A different token of the same length (a wrong guess that only a length check would miss). */
function sameLengthWrongToken(token: string): string {
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  return `${token.slice(0, -1)}${last}`;
}

interface EventStream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body, for a refused stream. */
  readonly body: string;
  /** Resolves with the first event (already received or still to come) that matches. */
  next(match: (message: EngineEventMessage) => boolean): Promise<EngineEventMessage>;
  close(): void;
}

/** GET /api/events?token=...: a server-sent event stream of engine events. */
function openEvents(port: number, token: string, headers: OutgoingHttpHeaders = {}): Promise<EventStream> {
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: 'GET', path: `/api/events?token=${encodeURIComponent(token)}`, headers, agent: false },
      (res: IncomingMessage) => {
        res.setEncoding('utf8');
        const received: EngineEventMessage[] = [];
        const waiting: { match: (m: EngineEventMessage) => boolean; done: (m: EngineEventMessage) => void }[] = [];
        let buffer = '';
        let body = '';
        res.on('data', (chunk: string) => {
          body += chunk;
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf('\n\n');
            const data = block
              .split('\n')
              .filter((line) => line.startsWith('data: '))
              .map((line) => line.slice('data: '.length))
              .join('\n');
            if (!data) continue;
            const message = JSON.parse(data) as EngineEventMessage;
            received.push(message);
            for (const waiter of waiting.splice(0)) {
              if (waiter.match(message)) waiter.done(message);
              else waiting.push(waiter);
            }
          }
        });
        res.on('error', () => undefined);
        const stream: EventStream = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          get body() {
            return body;
          },
          next: (match) =>
            new Promise((done) => {
              const already = received.find(match);
              if (already) done(already);
              else waiting.push({ match, done });
            }),
          close: () => req.destroy(),
        };
        if (stream.status === 200) resolvePromise(stream);
        else res.on('end', () => resolvePromise(stream));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('browser-mode server', () => {
  let fx: Fixture;
  const openStreams: EventStream[] = [];

  beforeEach(async () => {
    fx = await startFixture();
  });

  afterEach(async () => {
    for (const stream of openStreams.splice(0)) stream.close();
    await fx.server.close();
    await fx.host.stop();
  });

  const projectIsOpen = async (): Promise<boolean> =>
    dataOf<{ open: boolean }>(await invoke(fx.port, fx.token, { method: 'project/state', args: {} })).open;

  it('listens on 127.0.0.1 and gives an address that carries the token in its fragment', () => {
    expect(fx.server.url).toBe(`http://127.0.0.1:${fx.port}/`);
    expect(fx.server.openUrl).toBe(`http://127.0.0.1:${fx.port}/#token=${fx.token}`);
    expect(fx.token).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  });

  describe('engine API', () => {
    it('answers engine/ping from the engine thread with the token', async () => {
      const reply = await invoke(fx.port, fx.token, { method: 'engine/ping', args: {} });
      const info = dataOf<{ appVersion: string; threadId: number; pid: number }>(reply);
      expect(info.appVersion).toMatch(/^\d+\.\d+\.\d+/);
      expect(info.threadId).toBeGreaterThan(0); // a worker thread, not the server's thread
      expect(info.pid).toBe(process.pid);
      expect(reply.headers['cache-control']).toBe('no-store');
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
    });

    it('creates a project with project/new', async () => {
      const state = dataOf<{ open: boolean; name: string; dirty: boolean; path: string | null }>(
        await invoke(fx.port, fx.token, { method: 'project/new', args: { name: 'Spring plan' } }),
      );
      expect(state).toMatchObject({ open: true, name: 'Spring plan', dirty: false, path: null });
      expect(await projectIsOpen()).toBe(true);
    });

    it('refuses a call without a token, and does not run it', async () => {
      const reply = await invoke(fx.port, null, { method: 'project/new', args: {} });
      expect(reply.status).toBe(401);
      expect(errorOf(reply).code).toBe('UNAUTHORIZED');
      expect(await projectIsOpen()).toBe(false);
    });

    it.each([
      ['of the same length', (token: string) => sameLengthWrongToken(token)],
      ['of the same length in characters but not in bytes', (token: string) => `${token.slice(0, -1)}é`],
      ['that is shorter', (token: string) => token.slice(0, 8)],
      ['that is longer', (token: string) => `${token}x`],
      ['that is empty', () => ''],
    ])('refuses a wrong token %s', async (_what, wrong) => {
      const reply = await invoke(fx.port, null, { method: 'project/new', args: {} }, { Authorization: `Bearer ${wrong(fx.token)}` });
      expect(reply.status).toBe(401);
      expect(errorOf(reply).code).toBe('UNAUTHORIZED');
      expect(await projectIsOpen()).toBe(false);
    });

    it.each([
      ['X-Token header', (token: string): OutgoingHttpHeaders => ({ 'X-Token': token })],
      ['Authorization without the Bearer scheme', (token: string): OutgoingHttpHeaders => ({ Authorization: token })],
      ['Authorization with the Basic scheme', (token: string): OutgoingHttpHeaders => ({ Authorization: `Basic ${token}` })],
      ['Cookie header', (token: string): OutgoingHttpHeaders => ({ Cookie: `token=${token}` })],
    ])('refuses the token in the %s', async (_where, headers) => {
      const reply = await invoke(fx.port, null, { method: 'project/new', args: {} }, headers(fx.token));
      expect(reply.status).toBe(401);
      expect(errorOf(reply).code).toBe('UNAUTHORIZED');
      expect(await projectIsOpen()).toBe(false);
    });

    it('refuses the token in the query string of /api/invoke', async () => {
      const reply = await send(fx.port, {
        method: 'POST',
        path: `/api/invoke?token=${encodeURIComponent(fx.token)}`,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ method: 'project/new', args: {} }),
      });
      expect(reply.status).toBe(401);
      expect(errorOf(reply).code).toBe('UNAUTHORIZED');
    });

    it.each([
      ['a foreign name with our port', (port: number) => `evil.example:${port}`],
      ['127.0.0.1 with another port', (port: number) => `127.0.0.1:${port === 65535 ? port - 1 : port + 1}`],
      ['localhost with another port', (port: number) => `localhost:${port === 65535 ? port - 1 : port + 1}`],
      ['127.0.0.1 without a port', () => '127.0.0.1'],
      ['a foreign name without a port', () => 'evil.example'],
    ])('refuses a Host header of %s, even with the right token (DNS rebinding)', async (_what, host) => {
      const reply = await invoke(fx.port, fx.token, { method: 'project/new', args: {} }, { Host: host(fx.port) });
      expect(reply.status).toBe(403);
      expect(errorOf(reply).code).toBe('UNAUTHORIZED');
      expect(await projectIsOpen()).toBe(false);
    });

    it('accepts the Host localhost:PORT', async () => {
      const reply = await invoke(fx.port, fx.token, { method: 'engine/ping', args: {} }, { Host: `localhost:${fx.port}` });
      expect(dataOf<{ appVersion: string }>(reply).appVersion).toBeTruthy();
    });

    it.each([
      ['another site', () => 'http://evil.example'],
      ['another port on 127.0.0.1', (port: number) => `http://127.0.0.1:${port === 65535 ? port - 1 : port + 1}`],
      ['an opaque origin (sandboxed frame, file page)', () => 'null'],
      ['https on our port', (port: number) => `https://127.0.0.1:${port}`],
    ])('refuses an Origin of %s, even with the right token', async (_what, origin) => {
      const reply = await invoke(fx.port, fx.token, { method: 'project/new', args: {} }, { Origin: origin(fx.port) });
      expect(reply.status).toBe(403);
      expect(errorOf(reply).code).toBe('UNAUTHORIZED');
      expect(await projectIsOpen()).toBe(false);
    });

    it('accepts a same-origin Origin header (127.0.0.1 and localhost)', async () => {
      const direct = await invoke(fx.port, fx.token, { method: 'engine/ping', args: {} }, { Origin: `http://127.0.0.1:${fx.port}` });
      expect(dataOf<{ appVersion: string }>(direct).appVersion).toBeTruthy();
      const named = await invoke(
        fx.port,
        fx.token,
        { method: 'engine/ping', args: {} },
        { Host: `localhost:${fx.port}`, Origin: `http://localhost:${fx.port}` },
      );
      expect(dataOf<{ appVersion: string }>(named).appVersion).toBeTruthy();
    });

    it('answers GET on /api/invoke with 405 and says to use POST', async () => {
      const reply = await send(fx.port, { path: '/api/invoke', headers: { Authorization: `Bearer ${fx.token}` } });
      expect(reply.status).toBe(405);
      expect(reply.headers.allow).toBe('POST');
      expect(errorOf(reply).code).toBe('INVALID_ARGUMENT');
    });

    it.each([
      ['text/plain', 'text/plain'],
      ['a form', 'application/x-www-form-urlencoded'],
      ['multipart', 'multipart/form-data; boundary=x'],
      ['no content type', null],
    ])('refuses a body of %s with 415', async (_what, type) => {
      const headers: OutgoingHttpHeaders = { Authorization: `Bearer ${fx.token}` };
      if (type !== null) headers['Content-Type'] = type;
      const reply = await send(fx.port, {
        method: 'POST',
        path: '/api/invoke',
        headers,
        body: JSON.stringify({ method: 'project/new', args: {} }),
      });
      expect(reply.status).toBe(415);
      expect(errorOf(reply).code).toBe('INVALID_ARGUMENT');
      expect(await projectIsOpen()).toBe(false);
    });

    it('accepts application/json with a charset', async () => {
      const reply = await invoke(fx.port, fx.token, { method: 'engine/ping', args: {} }, { 'Content-Type': 'application/json; charset=utf-8' });
      expect(dataOf<{ appVersion: string }>(reply).appVersion).toBeTruthy();
    });

    it.each([
      ['malformed JSON', '{"method": "engine/ping", '],
      ['an empty body', ''],
      ['a JSON string', '"engine/ping"'],
    ])('answers %s with 400 INVALID_ARGUMENT', async (_what, body) => {
      const reply = await send(fx.port, {
        method: 'POST',
        path: '/api/invoke',
        headers: { Authorization: `Bearer ${fx.token}`, 'Content-Type': 'application/json' },
        body,
      });
      expect(reply.status).toBe(400);
      expect(errorOf(reply).code).toBe('INVALID_ARGUMENT');
    });

    it('answers a request without "method" with 400 naming the field', async () => {
      const reply = await invoke(fx.port, fx.token, { args: {} });
      expect(reply.status).toBe(400);
      const error = errorOf(reply);
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toContain('method');
    });

    it('refuses a request with fields it does not know', async () => {
      const reply = await invoke(fx.port, fx.token, { method: 'project/new', args: {}, sudo: true });
      expect(reply.status).toBe(400);
      expect(errorOf(reply).code).toBe('INVALID_ARGUMENT');
      expect(await projectIsOpen()).toBe(false);
    });

    /** A valid call padded with JSON whitespace past 1 MiB: if the server ran it, a project would open. */
    const oversizedBody = (): string => `{"method":"project/new","args":{"name":"Too big"}}${' '.repeat(1024 * 1024 + 1024)}`;

    it('refuses a body over 1 MiB without running it', async () => {
      const outcome = await send(fx.port, {
        method: 'POST',
        path: '/api/invoke',
        headers: { Authorization: `Bearer ${fx.token}`, 'Content-Type': 'application/json' },
        body: oversizedBody(),
      }).then(
        (reply) => reply.status,
        (error: NodeJS.ErrnoException) => error.code ?? 'error',
      );
      expect(outcome).not.toBe(200);
      expect(await projectIsOpen()).toBe(false);
    });

    // BUG (reported): readBody destroys the socket before the refusal is written, so the
    // client gets a reset connection instead of an answer it can show.
    it('answers a body over 1 MiB with 413 and an INVALID_ARGUMENT envelope', async () => {
      const reply = await send(fx.port, {
        method: 'POST',
        path: '/api/invoke',
        headers: { Authorization: `Bearer ${fx.token}`, 'Content-Type': 'application/json' },
        body: oversizedBody(),
      });
      expect(reply.status).toBe(413);
      expect(errorOf(reply).code).toBe('INVALID_ARGUMENT');
    });

    it('accepts a body just under 1 MiB', async () => {
      const body = `{"method":"project/new","args":{"name":"Big but fine"}}`;
      const reply = await send(fx.port, {
        method: 'POST',
        path: '/api/invoke',
        headers: { Authorization: `Bearer ${fx.token}`, 'Content-Type': 'application/json' },
        body: body + ' '.repeat(1024 * 1024 - body.length - 16),
      });
      expect(dataOf<{ name: string }>(reply).name).toBe('Big but fine');
    });

    it('answers an unknown API path with 404', async () => {
      const reply = await send(fx.port, {
        method: 'POST',
        path: '/api/other',
        headers: { Authorization: `Bearer ${fx.token}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(reply.status).toBe(404);
      expect(errorOf(reply).code).not.toBe('INTERNAL');
    });

    it('answers invalid engine arguments with 200 and an INVALID_ARGUMENT envelope naming the field', async () => {
      const reply = await invoke(fx.port, fx.token, { method: 'project/new', args: { name: '   ' } });
      expect(reply.status).toBe(200);
      const error = errorOf(reply);
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toContain('name');
      const issues = (error.details as { issues?: { path: string }[] } | undefined)?.issues ?? [];
      expect(issues.map((issue) => issue.path)).toContain('name');
      expect(await projectIsOpen()).toBe(false);
    });

    it('answers an unknown method with 200 and UNKNOWN_METHOD', async () => {
      const reply = await invoke(fx.port, fx.token, { method: 'project/launchMissiles', args: {} });
      expect(reply.status).toBe(200);
      const error = errorOf(reply);
      expect(error.code).toBe('UNKNOWN_METHOD');
      expect(error.message).toContain('project/launchMissiles');
    });

    it('passes engine refusals through as envelopes (no project open)', async () => {
      const reply = await invoke(fx.port, fx.token, { method: 'project/info', args: {} });
      expect(reply.status).toBe(200);
      expect(errorOf(reply).code).toBe('NO_PROJECT');
    });
  });

  describe('event stream', () => {
    it('delivers project/changed after project/new', async () => {
      const stream = await openEvents(fx.port, fx.token);
      openStreams.push(stream);
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(stream.headers['cache-control']).toBe('no-store');

      const changed = stream.next((m) => m.event === 'project/changed');
      dataOf(await invoke(fx.port, fx.token, { method: 'project/new', args: { name: 'Streamed' } }));
      const message = await changed;
      expect(message.event).toBe('project/changed');
      expect(message.payload).toMatchObject({ open: true, name: 'Streamed' });
    });

    it('delivers events to every open stream', async () => {
      const first = await openEvents(fx.port, fx.token);
      const second = await openEvents(fx.port, fx.token);
      openStreams.push(first, second);
      const isChanged = (m: EngineEventMessage) => m.event === 'project/changed';
      const both = Promise.all([first.next(isChanged), second.next(isChanged)]);
      dataOf(await invoke(fx.port, fx.token, { method: 'project/new', args: { name: 'Twice' } }));
      for (const message of await both) expect(message.payload).toMatchObject({ name: 'Twice' });
    });

    it.each([
      ['a wrong token', (token: string) => sameLengthWrongToken(token)],
      ['no token', () => ''],
    ])('refuses %s with 401', async (_what, token) => {
      const stream = await openEvents(fx.port, token(fx.token));
      openStreams.push(stream);
      expect(stream.status).toBe(401);
      expect(JSON.parse(stream.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    });

    it('refuses a foreign Host or Origin with 403, even with the right token', async () => {
      const rebound = await openEvents(fx.port, fx.token, { Host: `evil.example:${fx.port}` });
      const crossSite = await openEvents(fx.port, fx.token, { Origin: 'http://evil.example' });
      openStreams.push(rebound, crossSite);
      expect(rebound.status).toBe(403);
      expect(crossSite.status).toBe(403);
    });
  });

  describe('static files', () => {
    it('serves index.html at / with the CSP, nosniff and no-store', async () => {
      const reply = await send(fx.port, { path: '/' });
      expect(reply.status).toBe(200);
      expect(reply.body).toBe(INDEX_HTML);
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
      expect(reply.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.headers['cache-control']).toBe('no-store');
    });

    it('serves /index.html the same way, never cached', async () => {
      const reply = await send(fx.port, { path: '/index.html' });
      expect(reply.status).toBe(200);
      expect(reply.headers['cache-control']).toBe('no-store');
    });

    it.each([
      ['/assets/app-3f2a9c.js', 'text/javascript; charset=utf-8', APP_JS],
      ['/assets/app-3f2a9c.css', 'text/css; charset=utf-8', APP_CSS],
      ['/assets/data.unknownext', 'application/octet-stream', 'opaque'],
    ])('serves %s with its content type', async (path, type, content) => {
      const reply = await send(fx.port, { path });
      expect(reply.status).toBe(200);
      expect(reply.body).toBe(content);
      expect(reply.headers['content-type']).toBe(type);
      expect(reply.headers['content-length']).toBe(String(Buffer.byteLength(content)));
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    });

    it('answers HEAD with the headers and no body', async () => {
      const reply = await send(fx.port, { method: 'HEAD', path: '/' });
      expect(reply.status).toBe(200);
      expect(reply.body).toBe('');
      expect(reply.headers['content-length']).toBe(String(Buffer.byteLength(INDEX_HTML)));
    });

    it.each(['/missing.js', '/assets/', '/assets'])('answers %s with 404', async (path) => {
      const reply = await send(fx.port, { path });
      expect(reply.status).toBe(404);
    });

    it.each([
      '/../package.json',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/%2e%2e/secret.txt',
      '/assets/../../secret.txt',
      '/..%2fsecret.txt',
      '/..%2f..%2fetc/passwd',
      '/assets/..%2f..%2fsecret.txt',
      '/..\\secret.txt',
      '/..%5csecret.txt',
      '/assets%5c..%5c..%5csecret.txt',
      '/%2e%2e%5csecret.txt',
      '/secret.txt%00.html',
      '/C:/Windows/win.ini',
      '//etc/passwd',
      '/%E0%A4%A',
    ])('does not leave the static folder for %s (404, or 400 for a malformed path)', async (path) => {
      const reply = await send(fx.port, { path });
      expect([400, 404]).toContain(reply.status);
      expect(reply.body).not.toContain(SECRET);
      expect(reply.body).not.toContain('root:');
    });

    // BUG (reported): handle() builds `new URL(req.url, base)` outside any check, so a
    // request target the URL parser rejects becomes a 500 INTERNAL (and a log line).
    it('answers a malformed request target with a client error, not 500', async () => {
      for (const path of ['//[', 'http://[/', '//x:99999/']) {
        const reply = await send(fx.port, { path });
        expect(reply.status, path).toBeGreaterThanOrEqual(400);
        expect(reply.status, path).toBeLessThan(500);
      }
    });

    it('refuses POST on a static path with 405', async () => {
      const reply = await send(fx.port, { method: 'POST', path: '/', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
      expect(reply.status).toBe(405);
      expect(reply.headers.allow).toBe('GET, HEAD');
      expect(reply.body).not.toContain('<html');
    });

    it.each([
      ['a foreign name', (port: number) => `evil.example:${port}`],
      ['127.0.0.1 with another port', (port: number) => `127.0.0.1:${port === 65535 ? port - 1 : port + 1}`],
    ])('refuses a Host of %s for static files too (DNS rebinding)', async (_what, host) => {
      for (const path of ['/', '/assets/app-3f2a9c.js']) {
        const reply = await send(fx.port, { path, headers: { Host: host(fx.port) } });
        expect(reply.status).toBe(403);
        expect(reply.body).not.toContain('<title>Campaign Planner</title>');
        expect(reply.body).not.toContain(APP_JS.trim());
      }
    });

    it('serves static files on the Host localhost:PORT', async () => {
      const reply = await send(fx.port, { path: '/', headers: { Host: `localhost:${fx.port}` } });
      expect(reply.status).toBe(200);
      expect(reply.body).toBe(INDEX_HTML);
    });
  });
});

describe('resolveStaticPath', () => {
  const root = resolve('/srv/cplan/renderer');
  const inRoot = (...parts: string[]) => join(root, ...parts);

  it.each([
    ['/', inRoot('index.html')],
    ['', inRoot('index.html')],
    ['/index.html', inRoot('index.html')],
    ['/assets/app-3f2a9c.js', inRoot('assets', 'app-3f2a9c.js')],
    ['/assets/my%20file.css', inRoot('assets', 'my file.css')],
    ['//assets//app.js', inRoot('assets', 'app.js')],
    ['/assets/./app.js', inRoot('assets', 'app.js')],
    ['/...', inRoot('...')],
    ['/..well-known', inRoot('..well-known')],
  ])('maps %j inside the folder', (urlPath, expected) => {
    expect(resolveStaticPath(urlPath, root)).toBe(expected);
  });

  it('accepts a root given with a trailing separator', () => {
    expect(resolveStaticPath('/assets/a.js', root + sep)).toBe(inRoot('assets', 'a.js'));
  });

  it.each([
    '/..',
    '/../',
    '/../package.json',
    '/assets/../../x',
    '/%2e%2e/x',
    '/%2E%2E/x',
    '/..%2f..%2fetc/passwd',
    '/assets/%2e%2e%2f%2e%2e%2fx',
    '/..\\x',
    '/a\\b',
    '/%5c..%5cx',
    '/index.html%00.js',
    '/x\u0000',
    '/C:/Windows/win.ini',
    '/c:x',
    '/%43:/x',
    '/%E0%A4%A',
    '/%',
  ])('refuses %j', (urlPath) => {
    expect(resolveStaticPath(urlPath, root)).toBeNull();
  });

  it('never maps to a sibling folder whose name starts with the root name', () => {
    const sibling = resolveStaticPath('/../renderer-secrets/x', root);
    expect(sibling).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------
// The real entry, dist/main/server.cjs, as a process

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly token: string;
  readonly address: string;
  readonly exited: Promise<Exit>;
  stdout(): string;
  stderr(): string;
}

/** Every server process a test started, with its end, so none outlives its test. */
const children = new Map<ChildProcess, Promise<Exit>>();

function spawnServer(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string) {
  const child = spawn(process.execPath, [SERVER_ENTRY, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<Exit>((done) => {
    child.on('close', (code, signal) => done({ code, signal }));
  });
  children.set(child, exited);
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** Runs the server entry to its end (for --help, bad options). */
async function runServerToExit(args: readonly string[], cwd: string): Promise<Exit & { stdout: string; stderr: string }> {
  const run = spawnServer(args, { CPLAN_DATA_DIR: join(cwd, 'data') }, cwd);
  const exit = await run.exited;
  return { ...exit, stdout: run.stdout(), stderr: run.stderr() };
}

const ADDRESS_LINE = /(http:\/\/127\.0\.0\.1:(\d+)\/)#token=([A-Za-z0-9_-]+)/;

/**
 * Runs the server entry until it either prints its address (then stops it) or exits by
 * itself: for options that must be refused, without hanging if one is wrongly accepted.
 */
async function runServerUntilReadyOrExit(args: readonly string[], cwd: string): Promise<{ started: boolean; exit: Exit; stderr: string }> {
  const run = spawnServer(args, { CPLAN_DATA_DIR: join(cwd, 'data') }, cwd);
  const started = await new Promise<boolean>((done) => {
    run.child.stdout?.on('data', () => {
      if (ADDRESS_LINE.test(run.stdout())) done(true);
    });
    void run.exited.then(() => done(false));
  });
  if (started) run.child.kill('SIGTERM');
  return { started, exit: await run.exited, stderr: run.stderr() };
}

/** Starts `node dist/main/server.cjs --port 0` and waits for the address it prints. */
async function startServerProcess(dataDir: string, cwd: string): Promise<ServerProcess> {
  const run = spawnServer(['--port', '0'], { CPLAN_DATA_DIR: dataDir }, cwd);
  const match = await new Promise<RegExpExecArray>((done, fail) => {
    const check = () => {
      const found = ADDRESS_LINE.exec(run.stdout());
      if (found) done(found);
    };
    run.child.stdout?.on('data', check);
    void run.exited.then((exit) => fail(new Error(`the server exited (${exit.code ?? exit.signal}) before printing its address: ${run.stderr()}`)));
  });
  return {
    child: run.child,
    exited: run.exited,
    stdout: run.stdout,
    stderr: run.stderr,
    address: match[0],
    port: Number(match[2]),
    token: match[3] ?? '',
  };
}

async function terminate(server: ServerProcess): Promise<Exit> {
  server.child.kill('SIGTERM');
  return server.exited;
}

function firstExternalIPv4(): string | null {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return null;
}

function connectError(host: string, port: number): Promise<string | null> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      done(null);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

describe('the server process (node dist/main/server.cjs)', () => {
  afterEach(async () => {
    for (const [child, exited] of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    }
    children.clear();
  });

  // Windows has no SIGTERM handlers: kill() ends a process there without a clean shutdown.
  const posixOnly = it.skipIf(process.platform === 'win32');

  it('prints an address with the token that answers, on 127.0.0.1 only', async () => {
    const work = tempDir('cplan-serve-');
    const server = await startServerProcess(join(work, 'data'), work);
    expect(server.stdout()).toContain(`Open this address in your browser: ${server.address}`);

    const ping = await invoke(server.port, server.token, { method: 'engine/ping', args: {} });
    const info = dataOf<{ pid: number; threadId: number }>(ping);
    expect(info.pid).toBe(server.child.pid);
    expect(info.threadId).toBeGreaterThan(0);
    expect((await invoke(server.port, null, { method: 'engine/ping', args: {} })).status).toBe(401);

    const external = firstExternalIPv4();
    if (external !== null) {
      expect(await connectError(external, server.port)).toBe('ECONNREFUSED');
    }
  });

  posixOnly('stops with exit code 0 on SIGTERM', async () => {
    const work = tempDir('cplan-serve-');
    const server = await startServerProcess(join(work, 'data'), work);
    dataOf(await invoke(server.port, server.token, { method: 'engine/ping', args: {} }));
    expect(await terminate(server)).toEqual({ code: 0, signal: null });
  });

  posixOnly('leaves a recovery copy of unsaved work on SIGTERM, which the next server offers', async () => {
    const work = tempDir('cplan-serve-');
    const dataDir = join(work, 'data');
    const first = await startServerProcess(dataDir, work);
    dataOf(await invoke(first.port, first.token, { method: 'project/new', args: { name: 'Unsaved plan' } }));
    const changed = dataOf<{ dirty: boolean }>(
      await invoke(first.port, first.token, { method: 'project/update', args: { description: 'work in progress' } }),
    );
    expect(changed.dirty).toBe(true);
    expect(await terminate(first)).toEqual({ code: 0, signal: null });

    const copies = readdirSync(join(dataDir, 'recovery')).filter((name) => name.endsWith('.cplan'));
    expect(copies).toHaveLength(1);

    const second = await startServerProcess(dataDir, work);
    const listed = dataOf<{ id: string; name: string; originalPath: string | null }[]>(
      await invoke(second.port, second.token, { method: 'recovery/list', args: {} }),
    );
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ name: 'Unsaved plan', originalPath: null });
    expect(`${listed[0]?.id}.cplan`).toBe(copies[0]);

    const recovered = dataOf<{ name: string; description: string; dirty: boolean; recovered: boolean }>(
      await invoke(second.port, second.token, { method: 'project/recover', args: { id: listed[0]?.id ?? '' } }),
    );
    expect(recovered).toMatchObject({ name: 'Unsaved plan', description: 'work in progress', dirty: true, recovered: true });
    expect(await terminate(second)).toEqual({ code: 0, signal: null });
  });

  it.each(['abc', '-1', '65536', '80.5'])('refuses --port=%s with one line and a non-zero exit code', async (port) => {
    const work = tempDir('cplan-serve-');
    const run = await runServerUntilReadyOrExit([`--port=${port}`], work);
    expect(run.started).toBe(false);
    expect(run.exit.code).not.toBe(0);
    expect(run.exit.code).not.toBeNull();
    expect(run.stderr).toMatch(/^[^\n]*--port[^\n]*\n$/);
  });

  it('refuses --port abc (value as a separate argument) with one line', async () => {
    const work = tempDir('cplan-serve-');
    const run = await runServerUntilReadyOrExit(['--port', 'abc'], work);
    expect(run.started).toBe(false);
    expect(run.exit.code).not.toBe(0);
    expect(run.exit.code).not.toBeNull();
    expect(run.stderr).toMatch(/^[^\n]*--port[^\n]*\n$/);
  });

  // BUG (reported): main.ts prints parseArgs's message as is; for "--port -1" Node's message
  // spans three lines.
  it('keeps the error for "--port -1" on one line', async () => {
    const work = tempDir('cplan-serve-');
    const run = await runServerUntilReadyOrExit(['--port', '-1'], work);
    expect(run.started).toBe(false);
    expect(run.exit.code).not.toBe(0);
    expect(run.stderr).toMatch(/^[^\n]*--port[^\n]*\n$/);
  });

  // BUG (reported): main.ts reads the port with Number(), and Number('') is 0, so an empty
  // value (`--port "$PORT"` with PORT unset) silently starts on a random port.
  it('refuses an empty --port value instead of choosing a random port', async () => {
    const work = tempDir('cplan-serve-');
    const run = await runServerUntilReadyOrExit(['--port', ''], work);
    expect(run.started).toBe(false);
    expect(run.exit.code).not.toBe(0);
  });

  it('refuses an unknown option with one line and a non-zero exit code', async () => {
    const work = tempDir('cplan-serve-');
    const run = await runServerToExit(['--frobnicate'], work);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/^[^\n]*--frobnicate[^\n]*\n$/);
  });

  it('says so in one line and exits non-zero when the port is taken', async () => {
    const work = tempDir('cplan-serve-');
    const blocker: NetServer = createNetServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const run = await runServerToExit(['--port', String(taken)], work);
      expect(run.code).not.toBe(0);
      expect(run.code).not.toBeNull();
      expect(run.stderr).toMatch(new RegExp(`^[^\\n]*${taken}[^\\n]*\\n$`));
    } finally {
      await new Promise<void>((done) => blocker.close(() => done()));
    }
  });

  it('prints usage with --help and exits 0', async () => {
    const work = tempDir('cplan-serve-');
    const run = await runServerToExit(['--help'], work);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage:');
    expect(run.stdout).toContain('--port');
    expect(run.stdout).toContain('--data-dir');
    expect(run.stderr).toBe('');
  });
});
