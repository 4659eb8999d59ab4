import type { SliceCreator } from '../types';

export type DatabaseTab = 'profiles' | 'fields' | 'imports' | 'gcg';

export type CampaignTab = 'overview' | 'lcg' | 'activities' | 'audience' | 'timeline' | 'events' | 'history' | 'simulate' | 'analytics';

/** The page of the open project the window shows. */
export type Route =
  | { readonly page: 'overview' }
  | { readonly page: 'databases' }
  | { readonly page: 'database'; readonly databaseId: number; readonly tab: DatabaseTab }
  | { readonly page: 'segments' }
  | { readonly page: 'segment'; readonly segmentId: number }
  /** `bin`: the recycle bin of deleted campaigns instead of the list. */
  | { readonly page: 'campaigns'; readonly bin: boolean }
  | { readonly page: 'campaign'; readonly campaignId: number; readonly tab: CampaignTab }
  /** The LCG simulator, on the audience chosen there (or preset by a campaign's Simulate tab). */
  | { readonly page: 'simulator' }
  /** What is scheduled next on the project clock, across campaigns, activities and segments. */
  | { readonly page: 'agenda' };

export type PageName = Route['page'];

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

export const createNavigationSlice = (): SliceCreator<NavigationSlice> => (set, get) => {
  /** Loads what a page shows; its own paged parts (tables, events) load as they appear. */
  const load = (route: Route, from?: Route) => {
    const s = get();
    switch (route.page) {
      case 'overview':
        void s.refreshInfo();
        break;
      case 'databases':
        void s.loadDatabases();
        break;
      case 'database':
        void s.loadDatabase(route.databaseId);
        if (route.tab === 'profiles') s.openProfileTable(route.databaseId);
        if (route.tab === 'gcg') {
          void s.loadGcg(route.databaseId);
          void s.loadCampaigns();
        }
        break;
      case 'segments':
        void s.loadSegments();
        void s.loadCampaigns();
        break;
      case 'segment':
        void s.loadSegments();
        break;
      case 'campaigns':
        void s.loadCampaigns();
        void s.loadAttributes();
        void s.loadSegments();
        if (route.bin) void s.loadRecycleBin();
        break;
      case 'campaign': {
        // Another tab of the campaign shown: the page keeps what it read or is reading (the
        // actions that change a campaign read it again), so a click on a tab reads no audience
        // (its strata, the segments' sizes) that a write asked next would wait behind.
        const sameCampaign = from?.page === 'campaign' && from.campaignId === route.campaignId;
        if (!sameCampaign) {
          void s.loadCampaign(route.campaignId);
          void s.loadAttributes();
          void s.loadSegments();
        }
        void s.loadActivities(route.campaignId);
        void s.loadCampaigns();
        if (route.tab === 'simulate') void s.presetSimulator(route.campaignId);
        break;
      }
      case 'agenda':
        void s.loadAgenda();
        break;
      case 'simulator':
        void s.loadCampaigns();
        void s.loadSegments();
        void s.scanSimulation();
        break;
    }
  };

  return {
    route: { page: 'overview' },

    navigate(route) {
      // A profile card belongs to the page it was opened on.
      if (JSON.stringify(route) !== JSON.stringify(get().route) && get().profileCard) get().closeProfileCard();
      const from = get().route;
      set({ route });
      load(route, from);
    },

    resetProjectViews(open) {
      set({ route: { page: 'overview' } });
      // Messages are about the project that was open (a refusal, a run): they go with it.
      get().clearNotices();
      get().resetDatabases();
      get().resetProfiles();
      get().resetSegments();
      get().resetGcg();
      get().resetCampaigns();
      get().resetActivities();
      get().resetAgenda();
      get().resetAttributes();
      get().resetSimulator();
      get().resetTimeline();
      get().resetAnalytics();
      get().resetWarehouse();
      get().closeImportWizard({ force: true });
      get().closeExportDialog({ force: true });
      if (open) {
        void get().loadDatabases();
        void get().loadSegments();
        void get().loadCampaigns();
      }
    },

    refreshProjectViews() {
      if (!get().project.open) return;
      void get().loadDatabases();
      void get().loadSegments();
      void get().loadCampaigns();
      const { route } = get();
      load(route);
      if (route.page === 'database') get().refreshProfileTable(route.databaseId);
    },
  };
};
