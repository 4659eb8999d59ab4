import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_TYPES } from '../static/content-types';


/**
 * Maps a URL path to a file inside `root`, or null. Refuses anything that could leave the
 * folder: `..` segments (also percent-encoded), backslashes, NUL bytes, drive letters.
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

/** A regular file's size, or null when it does not exist or is not a file. */
export async function fileSize(file: string): Promise<number | null> {
  try {
    const info = await stat(file);
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}

export { createReadStream };
