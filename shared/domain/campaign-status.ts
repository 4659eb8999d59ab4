/** Campaign statuses, in the order of a campaign's life (DESIGN.md, "Campaign"). */
export const CAMPAIGN_STATUSES = [
  'inactive',
  'audience_building',
  'waiting',
  'active',
  'audience_exclusion',
  'completed',
] as const;

export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const CAMPAIGN_STATUS_LABELS: Readonly<Record<CampaignStatus, string>> = {
  inactive: 'Inactive',
  audience_building: 'Audience building',
  waiting: 'Waiting',
  active: 'Active',
  audience_exclusion: 'Audience exclusion',
  completed: 'Completed',
};
