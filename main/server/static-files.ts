import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_TYPES } from '../static/content-types';

/**
 * Maps a URL path to a file inside `root`, or null. Refuses anything that could leave the
 * folder by its spelling: `..` segments (also percent-encoded), backslashes, NUL bytes,
 * drive letters. Links on disk are the caller's to check (static/static-file.ts).
 */
export function resolveStaticPath(urlPath: string, root: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || /(^|\/)\.\.(\/|$)/.test(decoded) || /^\/*[a-zA-Z]:/.test(decoded)) {
    return null;
  }
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = normalize(root.endsWith(sep) ? root : root + sep);
  const full = normalize(join(base, relative));
  return full.startsWith(base) ? full : null;
}

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}
