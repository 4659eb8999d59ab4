/**
 * The profile table keeps only the pages near what the user looks at: a few hundred rows
 * above and below. Pure functions, so the rules are tested without an engine.
 */

/** Rows per `profile/list` call: a screenful is about 30, so one call covers several. */
export const PROFILE_PAGE_SIZE = 200;
/** Pages kept; the ones farthest from the visible rows go first. */
export const MAX_CACHED_PAGES = 24;
/** Calls in flight at once: enough to fill a screen, few enough not to queue behind a drag. */
export const MAX_PAGES_IN_FLIGHT = 2;

export interface RowRange {
  /** First and last visible row (inclusive); last < first means nothing is visible. */
  readonly first: number;
  readonly last: number;
}

export const pageOf = (row: number): number => Math.floor(row / PROFILE_PAGE_SIZE);

/** The pages the visible rows need, nearest the middle first, plus one on either side. */
export function wantedPages(range: RowRange, total: number | null): number[] {
  // Page 0 also tells the total: an empty or unknown table still needs it.
  if (total === null || total === 0) return [0];
  const lastRow = Math.min(range.last, total - 1);
  if (lastRow < range.first) return [];
  const firstPage = pageOf(range.first);
  const lastPage = pageOf(lastRow);
  const maxPage = pageOf(total - 1);
  const visible: number[] = [];
  for (let p = firstPage; p <= lastPage; p += 1) visible.push(p);
  const around = [firstPage - 1, lastPage + 1].filter((p) => p >= 0 && p <= maxPage);
  return [...visible, ...around];
}

/** Drops the pages farthest from the visible range until at most `max` are left. */
export function prunePages<T>(pages: Readonly<Record<number, T>>, range: RowRange, max = MAX_CACHED_PAGES): Record<number, T> {
  const keys = Object.keys(pages).map(Number);
  if (keys.length <= max) return { ...pages };
  const centre = pageOf(Math.max(0, Math.floor((range.first + Math.max(range.first, range.last)) / 2)));
  keys.sort((a, b) => Math.abs(a - centre) - Math.abs(b - centre) || a - b);
  const kept: Record<number, T> = {};
  for (const key of keys.slice(0, max)) kept[key] = pages[key] as T;
  return kept;
}
