/**
 * Path helpers for the in-app file browser. The renderer has no Node `path` module, and the
 * engine may run on Windows or POSIX, so the separator is taken from the paths it returns.
 */

export function separatorOf(path: string): '/' | '\\' {
  return path.includes('\\') && !path.includes('/') ? '\\' : '/';
}

export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || path.startsWith('\\\\') || /^[A-Za-z]:[\\/]/.test(path);
}

export function joinPath(dir: string, name: string): string {
  const sep = separatorOf(dir);
  return dir.endsWith('/') || dir.endsWith('\\') ? `${dir}${name}` : `${dir}${sep}${name}`;
}

/** The folder a file is in; null for a bare name. */
export function folderOf(path: string): string | null {
  const index = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (index < 0) return null;
  return index === 0 ? path.slice(0, 1) : path.slice(0, index);
}

export const PROJECT_EXTENSION = '.cplan';

/** The engine saves only to names ending in .cplan; a name typed without it gets it. */
export function withProjectExtension(name: string): string {
  return name.toLowerCase().endsWith(PROJECT_EXTENSION) ? name : `${name}${PROJECT_EXTENSION}`;
}

/** A project name made safe as a file name: characters that no file system allows are replaced. */
export function projectFileName(projectName: string): string {
  return withProjectExtension(safeFileName(projectName, 'Untitled project'));
}

/** What the in-app file browser lists, and the extension a saved name gets, per kind of file. */
export const CSV_EXTENSIONS = ['.csv', '.tsv', '.txt'] as const;

/** The engine exports only to names ending in .csv, .tsv or .txt; others get .csv. */
export function withCsvExtension(name: string): string {
  const lower = name.toLowerCase();
  return CSV_EXTENSIONS.some((e) => lower.endsWith(e)) ? name : `${name}.csv`;
}

/** What the in-app file browser lists for a report, and the extension a saved name gets. */
export const HTML_EXTENSIONS = ['.html', '.htm'] as const;

/** A report's name ends in .html (or .htm); others get .html. */
export function withHtmlExtension(name: string): string {
  const lower = name.toLowerCase();
  return HTML_EXTENSIONS.some((e) => lower.endsWith(e)) ? name : `${name}.html`;
}

/** What the in-app file browser lists for a query, and the extension a saved name gets. */
export const SQL_EXTENSIONS = ['.sql'] as const;

/** A query's name ends in .sql; others get it. */
export function withSqlExtension(name: string): string {
  const lower = name.toLowerCase();
  return SQL_EXTENSIONS.some((e) => lower.endsWith(e)) ? name : `${name}.sql`;
}

/** A name made safe as a file name (a database name as an export file, say). */
export function safeFileName(name: string, fallback: string): string {
  const cleaned = name.replace(/[<>:"/\\|?*\u0000-\u001f]+/g, '-').replace(/^[.\s]+|[.\s]+$/g, '');
  return cleaned || fallback;
}

/** The name of a file without its folder and its last extension ("customers" for "/x/customers.csv"). */
export function baseNameOf(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}
