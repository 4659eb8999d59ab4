import { MAX_CAMPAIGN_NAME, type Campaign, type CampaignDetail, type CampaignEvent, type LcgSettings, type Segment, type SplitVersion } from '../../../shared/contract/index';
import { tooLongProblem } from '../../lib/text';
import { checkCampaignAction, type ActionCheck, type CampaignAction, type CampaignFacts } from '../../../shared/domain/campaign-status';
import { isClockTime } from '../../../shared/domain/clock';
import { formatClock, formatCount } from '../../../shared/format';
import type { AppState } from '../types';
import type { CampaignEventsState } from './slice';

const NONE: readonly Campaign[] = [];

export const selectCampaigns = (state: AppState): readonly Campaign[] => state.campaigns ?? NONE;
export const selectCampaignsLoaded = (state: AppState): boolean => state.campaigns !== null;
export const selectRecycleBin = (state: AppState): readonly Campaign[] => state.recycleBin ?? NONE;

export const selectCampaignDetail =
  (campaignId: number) =>
  (state: AppState): CampaignDetail | null =>
    state.campaignDetails[campaignId] ?? null;

/** A campaign as last seen: its detail, else the list or the recycle bin. */
export const selectCampaign =
  (campaignId: number) =>
  (state: AppState): Campaign | null =>
    state.campaignDetails[campaignId]?.campaign ??
    state.campaigns?.find((c) => c.id === campaignId) ??
    state.recycleBin?.find((c) => c.id === campaignId) ??
    null;

export const selectCampaignEvents = (state: AppState): CampaignEventsState | null => state.campaignEvents;

/** The other campaigns of a database, for the Move dialog to check one by one. */
export const selectOtherCampaigns =
  (databaseId: number, exceptCampaignId: number | null) =>
  (state: AppState): Campaign[] =>
    selectCampaigns(state).filter((c) => c.databaseId === databaseId && c.id !== exceptCampaignId);

/** What the status machine needs to know of a campaign. */
export function campaignFacts(campaign: Campaign, segment: Segment | null): CampaignFacts {
  return {
    status: campaign.status,
    deleted: campaign.deleted,
    activityCount: campaign.activityCount,
    allocated: campaign.groups.total,
    segmentKind: segment?.kind ?? 'static',
  };
}

/** Every action checked at once, for the buttons of a campaign's page. */
export function campaignChecks(campaign: Campaign, segment: Segment | null): Record<CampaignAction, ActionCheck> {
  const facts = campaignFacts(campaign, segment);
  const check = (action: CampaignAction) => checkCampaignAction(action, facts);
  return {
    edit: check('edit'),
    changeLcg: check('changeLcg'),
    activate: check('activate'),
    schedule: check('schedule'),
    deactivate: check('deactivate'),
    complete: check('complete'),
    clone: check('clone'),
    delete: check('delete'),
    restore: check('restore'),
    addActivity: check('addActivity'),
    removeActivity: check('removeActivity'),
    runActivity: check('runActivity'),
    addProfiles: check('addProfiles'),
  };
}

/** The audience has groups now (a completed campaign has none left). */
export const audienceBuilt = (campaign: Campaign): boolean => campaign.groups.total > 0;

/**
 * The audience was built at some point (activated once), so it can be exported by group;
 * before that the engine refuses: "Export is available after audience building is finished".
 */
export const audienceExportable = (campaign: Campaign): boolean => campaign.activatedClock !== null || campaign.groups.total > 0;

/** A date-time for a delayed activation, checked against the project clock. */
export function scheduleProblem(at: string, clock: string): string | null {
  if (at.trim() === '') return 'Choose a date and time on the project clock.';
  if (!isClockTime(at)) return 'Expected a date and time such as 2026-04-10T10:00.';
  if (at <= clock) return `That moment has passed on the project clock (now ${formatClock(clock)}): choose a later one, or activate now.`;
  return null;
}

/** LCG share of the audience, as a percentage with two decimals ("10.00 %"). */
export function shareText(part: number, total: number): string {
  if (total <= 0) return '—';
  return `${((part / total) * 100).toFixed(2)} %`;
}

/** "10 % · limit 5,000 · stratified by gender, city"; "No LCG". */
export function lcgSummary(lcg: LcgSettings, fieldName: (fieldId: number) => string): string {
  const parts: string[] = [];
  if (lcg.percent !== null) parts.push(`${String(lcg.percent)} %`);
  if (lcg.limit !== null) parts.push(`limit ${formatCount(lcg.limit)}`);
  if (parts.length === 0) return 'No LCG';
  if (lcg.strata.length > 0) parts.push(`stratified by ${lcg.strata.map((s) => fieldName(s.fieldId)).join(', ')}`);
  return parts.join(' · ');
}

export const EVENT_KIND_LABELS: Readonly<Record<CampaignEvent['kind'], string>> = {
  created: 'Created',
  edited: 'Edited',
  scheduled: 'Scheduled',
  activated: 'Activated',
  deactivated: 'Deactivated',
  audience_building: 'Audience building',
  audience_built: 'Audience built',
  audience_exclusion: 'Audience exclusion',
  profile_joined: 'Profile joined',
  campaign_exit: 'Campaign exit',
  lcg_changed: 'LCG changed',
  moved_to_test: 'Moved to Test',
  activities_paused: 'Activities paused',
  activities_resumed: 'Activities resumed',
  activity_added: 'Activity added',
  activity_removed: 'Activity removed',
  activity_run: 'Activity run',
  completed: 'Completed',
  deleted: 'Deleted',
  restored: 'Restored',
};

export { VERSION_REASON_LABELS } from '../../../shared/contract/campaigns';

/**
 * The LCG's actual size after a build: the sum of its strata. It differs from the target
 * (controlTotal) by what new profiles could not fill and by members above it (sticky).
 */
export function versionControl(version: SplitVersion): number {
  return version.strata.reduce((sum, s) => sum + s.control, 0);
}

export function campaignNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'The campaign name cannot be empty.';
  const tooLong = tooLongProblem(trimmed, MAX_CAMPAIGN_NAME);
  if (tooLong) return tooLong;
  return null;
}
