import type { ProfileRow } from '../../../shared/contract/index';
import type { TableRow } from './sources';
import type { AppState } from '../types';
import { PROFILE_PAGE_SIZE } from './page-cache';
import type { ProfileTableState } from './slice';

export const selectProfileTable = (state: AppState): ProfileTableState | null => state.profileTable;
export const selectProfileCard = (state: AppState) => state.profileCard;

/** The row at a position of the table, or null while its page is not loaded. */
export function rowAt(table: ProfileTableState, index: number): TableRow | null {
  const page = table.pages[Math.floor(index / PROFILE_PAGE_SIZE)];
  return page?.[index % PROFILE_PAGE_SIZE] ?? null;
}

/**
 * The row the table shows at a position: the current order's, or, while a new sort's first
 * page is on its way, the previous order's (see ProfileTableState.previousPages).
 */
export function shownRowAt(table: ProfileTableState, index: number): TableRow | null {
  const previous = table.previousPages;
  if (previous === null) return rowAt(table, index);
  return previous[Math.floor(index / PROFILE_PAGE_SIZE)]?.[index % PROFILE_PAGE_SIZE] ?? null;
}

/** Rows loaded in the cache (tests, and a hint of memory use). */
export const cachedRowCount = (table: ProfileTableState): number =>
  Object.values(table.pages).reduce((sum, rows) => sum + rows.length, 0);

/** The value of a field in a row, by the page's field order. */
export function valueOf(table: ProfileTableState, row: ProfileRow, fieldId: number): ProfileRow['values'][number] {
  const index = table.fieldIds.indexOf(fieldId);
  return index < 0 ? null : (row.values[index] ?? null);
}
