import type { SliceCreator } from '../types';

export type DatabaseTab = 'profiles' | 'fields' | 'imports';

/** The page of the open project the window shows. */
export type Route =
  | { readonly page: 'overview' }
  | { readonly page: 'databases' }
  | { readonly page: 'database'; readonly databaseId: number; readonly tab: DatabaseTab };

export interface NavigationSlice {
  route: Route;
  /** Shows a page and loads what it needs. */
  navigate(route: Route): void;
  /**
   * Another project (or none) is open: every page and dialog of the old one goes, and the
   * new one's databases are loaded.
   */
  resetProjectViews(open: boolean): void;
  /** The same project, but what it shows may be stale (a reconnect): load it again. */
  refreshProjectViews(): void;
}

export const createNavigationSlice = (): SliceCreator<NavigationSlice> => (set, get) => ({
  route: { page: 'overview' },

  navigate(route) {
    set({ route });
    if (route.page === 'databases') void get().loadDatabases();
    if (route.page === 'database') {
      void get().loadDatabase(route.databaseId);
      get().openProfileTable(route.databaseId);
    }
  },

  resetProjectViews(open) {
    set({ route: { page: 'overview' } });
    get().resetDatabases();
    get().resetProfiles();
    get().closeImportWizard({ force: true });
    get().closeExportDialog({ force: true });
    if (open) void get().loadDatabases();
  },

  refreshProjectViews() {
    if (!get().project.open) return;
    void get().loadDatabases();
    const { route } = get();
    if (route.page === 'database') {
      void get().loadDatabase(route.databaseId);
      get().refreshProfileTable(route.databaseId);
    }
  },
});
