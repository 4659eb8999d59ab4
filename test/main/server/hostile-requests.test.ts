/**
 * Browser mode against hostile requests, over real HTTP on 127.0.0.1: symbolic links out
 * of the served folder, JSON nested 100,000 deep, an HTTP/1.0 request without a Host
 * header, and an Origin that merely starts with the server's own.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_ARGS_NESTING } from '../../../shared/contract/nesting';
import { startServer } from '../../../main/server/server';
import { APP_JS, dataOf, errorOf, INDEX_HTML, invoke, SECRET, send, startFixture, type Fixture, type Reply } from './browser-mode';

interface RawReply {
  readonly status: number;
  readonly text: string;
}

/**
 * Writes `text` as is on a fresh connection and reads until the server closes it (it
 * does after an HTTP/1.0 answer; our side stays open so a slow answer is not cut off).
 */
function rawRequest(port: number, text: string): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1] ?? 0), text: received }));
    socket.on('error', reject);
    socket.write(text);
  });
}

/** `[[[...]]]`, nested `depth` times. */
const nestedArrays = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
/** `{"a":{"a":...1}}`, nested `depth` times. */
const nestedObjects = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

function postJson(fx: Fixture, body: string): Promise<Reply> {
  return send(fx.port, {
    method: 'POST',
    path: '/api/invoke',
    headers: { Authorization: `Bearer ${fx.token}`, 'Content-Type': 'application/json' },
    body,
  });
}

let fx: Fixture;

beforeEach(async () => {
  fx = await startFixture();
});

afterEach(async () => {
  await fx.server.close();
  await fx.host.stop();
});

const projectIsOpen = async (): Promise<boolean> =>
  dataOf<{ open: boolean }>(await invoke(fx.port, fx.token, { method: 'project/state', args: {} })).open;

describe.skipIf(process.platform === 'win32')('symbolic links in the served folder', () => {
  /** Links of every kind: out of the folder (file, folder, the folder's parent), and inside it. */
  function plantLinks(): void {
    const outside = join(fx.dir, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.js'), SECRET);
    symlinkSync(join(fx.dir, 'secret.txt'), join(fx.staticDir, 'secret-link.js'));
    symlinkSync('../secret.txt', join(fx.staticDir, 'assets', 'relative-secret.css'));
    symlinkSync(outside, join(fx.staticDir, 'assets', 'linked-dir'));
    symlinkSync(fx.dir, join(fx.staticDir, 'parent'));
    symlinkSync('/etc/passwd', join(fx.staticDir, 'passwd.txt'));
    symlinkSync('/etc', join(fx.staticDir, 'etc'));
    symlinkSync(join(fx.dir, 'missing.js'), join(fx.staticDir, 'dangling.js'));
    symlinkSync('assets/app-3f2a9c.js', join(fx.staticDir, 'inside.js'));
    symlinkSync('assets', join(fx.staticDir, 'assets-alias'));
  }

  const escapes = [
    '/secret-link.js',
    '/assets/relative-secret.css',
    '/assets/linked-dir/secret.js',
    '/parent/secret.txt',
    '/parent/outside/secret.js',
    '/passwd.txt',
    '/etc/passwd',
    '/etc/hostname',
    '/dangling.js',
  ];

  it.each([
    ['without a token', {}],
    ['with the token', { token: true }],
  ])('never follows a link out of the folder, %s', async (_what, options) => {
    plantLinks();
    const headers = 'token' in options ? { Authorization: `Bearer ${fx.token}` } : {};
    for (const path of escapes) {
      for (const method of ['GET', 'HEAD']) {
        const reply = await send(fx.port, { method, path, headers });
        expect(reply.status, `${method} ${path}`).toBe(404);
        expect(reply.body, path).not.toContain(SECRET);
        expect(reply.body, path).not.toContain('root:');
        expect(reply.headers['content-length'], path).not.toBe(String(Buffer.byteLength(SECRET)));
      }
    }
  });

  it('follows links that stay inside the folder', async () => {
    plantLinks();
    for (const path of ['/inside.js', '/assets-alias/app-3f2a9c.js']) {
      const reply = await send(fx.port, { path });
      expect(reply.status, path).toBe(200);
      expect(reply.body, path).toBe(APP_JS);
      expect(reply.headers['content-type'], path).toBe('text/javascript; charset=utf-8');
    }
  });

  it('serves a folder reached through a link, and still keeps to it', async () => {
    plantLinks();
    const linkedRoot = join(fx.dir, 'renderer-link');
    symlinkSync(fx.staticDir, linkedRoot);
    const server = await startServer({ engine: fx.host, staticDir: linkedRoot });
    try {
      const page = await send(server.port, { path: '/' });
      expect(page.status).toBe(200);
      expect(page.body).toBe(INDEX_HTML);
      expect((await send(server.port, { path: '/inside.js' })).body).toBe(APP_JS);
      for (const path of escapes) {
        const reply = await send(server.port, { path });
        expect(reply.status, path).toBe(404);
        expect(reply.body, path).not.toContain(SECRET);
      }
    } finally {
      await server.close();
    }
  });

  it('answers a FIFO in the folder with 404 at once, instead of waiting for a writer', async () => {
    execFileSync('mkfifo', [join(fx.staticDir, 'assets', 'pipe.js')]);
    const reply = await send(fx.port, { path: '/assets/pipe.js' });
    expect(reply.status).toBe(404);
    // The server is not stuck: the next request is answered.
    expect((await send(fx.port, { path: '/' })).body).toBe(INDEX_HTML);
  });
});

describe('deeply nested JSON', () => {
  it.each([
    ['as the arguments', `{"method":"engine/ping","args":${nestedArrays(100_000)}}`],
    ['inside an argument', `{"method":"project/new","args":{"name":${nestedArrays(100_000)}}}`],
    ['as nested objects', `{"method":"project/new","args":${nestedObjects(100_000)}}`],
    ['as the whole body', nestedArrays(100_000)],
  ])('answers 100,000 nested arrays or objects %s with 400 and the error envelope', async (_where, body) => {
    const reply = await postJson(fx, body);
    expect(reply.status).toBe(400);
    const error = errorOf(reply);
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).not.toMatch(/call stack|RangeError/i);
    expect(await projectIsOpen()).toBe(false);
    // The server and the engine still answer.
    expect(dataOf<{ appVersion: string }>(await invoke(fx.port, fx.token, { method: 'engine/ping', args: {} })).appVersion).toBeTruthy();
  });

  it('says the arguments nest too deeply, naming the field', async () => {
    const reply = await postJson(fx, `{"method":"engine/ping","args":${nestedArrays(100_000)}}`);
    const error = errorOf(reply);
    expect(error.message).toContain(`more than ${MAX_ARGS_NESTING} levels`);
    expect((error.details as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual(['args']);
  });

  it(`hands arguments nested ${MAX_ARGS_NESTING} levels to the engine, and refuses one level more`, async () => {
    const atLimit = await postJson(fx, `{"method":"project/new","args":${nestedArrays(MAX_ARGS_NESTING)}}`);
    // The engine's own verdict on a wrong shape: 200 with INVALID_ARGUMENT from the contract.
    expect(atLimit.status).toBe(200);
    expect(errorOf(atLimit).code).toBe('INVALID_ARGUMENT');
    const overLimit = await postJson(fx, `{"method":"project/new","args":${nestedArrays(MAX_ARGS_NESTING + 1)}}`);
    expect(overLimit.status).toBe(400);
    expect(errorOf(overLimit).code).toBe('INVALID_ARGUMENT');
  });
});

describe('requests that must be refused whatever else they carry', () => {
  const projectNewBody = JSON.stringify({ method: 'project/new', args: { name: 'Rebound' } });

  it('refuses an HTTP/1.0 call without a Host header, even with the right token', async () => {
    const reply = await rawRequest(
      fx.port,
      'POST /api/invoke HTTP/1.0\r\n' +
        `Authorization: Bearer ${fx.token}\r\n` +
        'Content-Type: application/json\r\n' +
        `Content-Length: ${Buffer.byteLength(projectNewBody)}\r\n\r\n` +
        projectNewBody,
    );
    expect(reply.status).toBe(403);
    expect(reply.text).toContain('"UNAUTHORIZED"');
    expect(await projectIsOpen()).toBe(false);
  });

  it('refuses HTTP/1.0 requests for the page without a Host header', async () => {
    for (const path of ['/', '/index.html', '/assets/app-3f2a9c.js']) {
      const reply = await rawRequest(fx.port, `GET ${path} HTTP/1.0\r\n\r\n`);
      expect(reply.status, path).toBe(403);
      expect(reply.text, path).not.toContain('<title>Campaign Planner</title>');
      expect(reply.text, path).not.toContain(APP_JS.trim());
    }
  });

  it('refuses an HTTP/1.1 request without a Host header', async () => {
    const reply = await rawRequest(fx.port, 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect([400, 403]).toContain(reply.status);
    expect(reply.text).not.toContain('<title>Campaign Planner</title>');
  });

  it('answers an HTTP/1.0 request that names the Host', async () => {
    const reply = await rawRequest(fx.port, `GET / HTTP/1.0\r\nHost: 127.0.0.1:${fx.port}\r\n\r\n`);
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('<title>Campaign Planner</title>');
  });

  it.each([
    ['merely starts with ours', (port: number) => `http://127.0.0.1:${port}.evil.example`],
    ['is ours followed by a user-info sign', (port: number) => `http://127.0.0.1:${port}@evil.example`],
    ['is ours with a path', (port: number) => `http://127.0.0.1:${port}/`],
    ['is localhost followed by more', (port: number) => `http://localhost:${port}.evil.example`],
    ['is ours with more digits in the port', (port: number) => `http://127.0.0.1:${port}0`],
    ['ends with ours', (port: number) => `http://evil.example/http://127.0.0.1:${port}`],
  ])('refuses an Origin that %s, even with the right token and Host', async (_what, origin) => {
    const reply = await invoke(fx.port, fx.token, { method: 'project/new', args: { name: 'Rebound' } }, { Origin: origin(fx.port) });
    expect(reply.status).toBe(403);
    expect(errorOf(reply).code).toBe('UNAUTHORIZED');
    expect(await projectIsOpen()).toBe(false);
  });

  it('refuses the event stream to an Origin that merely starts with ours', async () => {
    // Resolves on the status line: a stream wrongly opened would otherwise never end.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: fx.port,
          path: `/api/events?token=${encodeURIComponent(fx.token)}`,
          headers: { Origin: `http://127.0.0.1:${fx.port}.evil.example` },
          agent: false,
        },
        (res) => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});
