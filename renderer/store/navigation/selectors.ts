import type { AppState } from '../types';
import type { CampaignTab, DatabaseTab, PageName } from './slice';

export const selectRoute = (state: AppState) => state.route;

/** The database whose page is shown, or null on another page. */
export const selectRouteDatabaseId = (state: AppState): number | null =>
  state.route.page === 'database' ? state.route.databaseId : null;

export const selectDatabaseTab = (state: AppState): DatabaseTab | null => (state.route.page === 'database' ? state.route.tab : null);

export const selectRouteCampaignId = (state: AppState): number | null =>
  state.route.page === 'campaign' ? state.route.campaignId : null;

export const DATABASE_TAB_LABELS: Readonly<Record<DatabaseTab, string>> = {
  profiles: 'Profiles',
  fields: 'Fields',
  imports: 'Imports',
  gcg: 'Global control group',
};

export const CAMPAIGN_TAB_LABELS: Readonly<Record<CampaignTab, string>> = {
  overview: 'Overview',
  lcg: 'LCG settings',
  activities: 'Activities',
  audience: 'Audience',
  timeline: 'Timeline',
  events: 'Events',
  history: 'Split history',
  simulate: 'Simulate',
  analytics: 'Analytics',
};

/** What the page is called, for its landmark (tests find pages by it). */
export const PAGE_LABELS: Readonly<Record<PageName, string>> = {
  overview: 'Overview',
  databases: 'Databases',
  database: 'Database',
  segments: 'Segments',
  segment: 'Segment',
  campaigns: 'Campaigns',
  campaign: 'Campaign',
  simulator: 'Simulator',
  agenda: 'Agenda',
};
