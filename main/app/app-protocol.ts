import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { CustomScheme } from 'electron';
import { CONTENT_SECURITY_POLICY } from './security';
import { CONTENT_TYPES } from '../static/content-types';
import { readStaticFile } from '../static/static-file';

/**
 * The renderer is served from `cplan://app/` rather than file://: a file:// page shares
 * its origin with every local file, while a custom standard scheme gives the page one
 * origin of its own that CSP 'self', the IPC sender check and navigation guards can name.
 */
export const APP_SCHEME = 'cplan';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Registered before `app.whenReady()` (Electron's rule). standard: relative URLs and
 * origins work like http; secure: the page counts as a secure context; supportFetchAPI:
 * Vite's module scripts load through fetch; codeCache: V8 caches the bundle. No
 * corsEnabled and no bypassCSP.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

export { CONTENT_TYPES };

export type ResolvedAppPath =
  | { readonly ok: true; readonly filePath: string; readonly contentType: string }
  | { readonly ok: false; readonly status: 400 | 403 | 404; readonly reason: string };

const refuse = (status: 400 | 403 | 404, reason: string): ResolvedAppPath => ({ ok: false, status, reason });

/**
 * Maps an app URL to a file under `rootDir` (dist/renderer), or says why not. Pure: it
 * does not look at the disk, so a missing file is the caller's 404.
 *
 * Each raw path segment is percent-decoded on its own and must then be a plain name: no
 * `.`/`..`, no `/` or `\` (so `%2e%2e`, `..%2f..` and `..\..` all fail), no `:` (drive
 * letters), no NUL, no hidden files. The check runs on the raw URL text, not the parsed
 * one, because URL parsing folds `..` away and would hide an attempt.
 */
export function resolveAppPath(url: string, rootDir: string): ResolvedAppPath {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse(400, 'not a URL');
  }
  if (parsed.protocol !== `${APP_SCHEME}:`) return refuse(400, 'not an app URL');
  if (parsed.host.toLowerCase() !== APP_HOST || parsed.username !== '' || parsed.password !== '') {
    return refuse(403, 'another host');
  }
  const rawPath = rawPathOf(url);
  if (rawPath === null) return refuse(400, 'malformed URL');
  const segments: string[] = [];
  for (const rawSegment of rawPath.split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(rawSegment);
    } catch {
      return refuse(400, 'bad percent-encoding');
    }
    if (segment === '.' || segment === '..' || /[/\\:\0]/.test(segment) || rawSegment.includes('\\')) {
      return refuse(403, 'path traversal');
    }
    segments.push(segment);
  }
  if (segments.length === 0 || (segments.length === 1 && segments[0] === '')) segments.splice(0, 1, 'index.html');
  if (segments.some((s) => s === '' || s.startsWith('.'))) return refuse(404, 'no such file');

  const root = resolve(rootDir);
  const filePath = join(root, ...segments);
  const fromRoot = relative(root, filePath);
  if (fromRoot === '' || fromRoot.startsWith('..') || isAbsolute(fromRoot)) return refuse(403, 'path traversal');
  const contentType = CONTENT_TYPES[extname(filePath).toLowerCase()];
  if (!contentType) return refuse(404, 'unknown file type');
  return { ok: true, filePath, contentType };
}

/** The path part of the URL exactly as written: after `scheme://host`, before `?` or `#`. */
function rawPathOf(url: string): string | null {
  const afterScheme = url.indexOf('://');
  if (afterScheme < 0) return null;
  const pathStart = url.indexOf('/', afterScheme + 3);
  let end = url.length;
  for (const mark of ['?', '#']) {
    const at = url.indexOf(mark, afterScheme + 3);
    if (at >= 0 && at < end) end = at;
  }
  if (pathStart < 0 || pathStart > end) return '/';
  return url.slice(pathStart, end);
}

/** Headers every app response carries. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    // The files change only with a new build; revalidate rather than serve a stale bundle.
    'Cache-Control': 'no-cache',
  };
}

/**
 * Reads a file the page may load: its bytes, or null when there is none to serve (see
 * static/static-file.ts: regular files whose real path is inside the renderer folder).
 */
export type ReadFile = (rootDir: string, filePath: string) => Promise<Uint8Array | null>;

/**
 * The `protocol.handle` handler: GET and HEAD of files under `rootDir`, nothing else.
 * Uses the Fetch API Request/Response that both Electron's main process and Node have.
 */
export function createAppProtocolHandler(
  rootDir: string,
  readFile: ReadFile = readStaticFile,
): (request: Request) => Promise<Response> {
  const plain = (status: number, text: string): Response =>
    new Response(text, { status, headers: appResponseHeaders('text/plain; charset=utf-8') });
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    const resolved = resolveAppPath(request.url, rootDir);
    if (!resolved.ok) return plain(resolved.status, resolved.reason);
    let body: Uint8Array | null;
    try {
      body = await readFile(rootDir, resolved.filePath);
    } catch {
      return plain(500, 'could not read the file');
    }
    if (body === null) return plain(404, 'no such file');
    const headers = appResponseHeaders(resolved.contentType);
    // A fresh copy: Response wants a plain ArrayBuffer-backed view, not a pooled Buffer.
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}
