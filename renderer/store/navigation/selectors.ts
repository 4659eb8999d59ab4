import type { AppState } from '../types';
import type { DatabaseTab } from './slice';

export const selectRoute = (state: AppState) => state.route;

/** The database whose page is shown, or null on another page. */
export const selectRouteDatabaseId = (state: AppState): number | null =>
  state.route.page === 'database' ? state.route.databaseId : null;

export const selectDatabaseTab = (state: AppState): DatabaseTab | null => (state.route.page === 'database' ? state.route.tab : null);

export const DATABASE_TAB_LABELS: Readonly<Record<DatabaseTab, string>> = {
  profiles: 'Profiles',
  fields: 'Fields',
  imports: 'Imports',
};
