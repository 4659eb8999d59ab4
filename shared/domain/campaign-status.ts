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

/** Everything a user can ask of a campaign; each is checked against the status first. */
export const CAMPAIGN_ACTIONS = [
  'edit',
  'changeLcg',
  'activate',
  'schedule',
  'deactivate',
  'complete',
  'clone',
  'delete',
  'restore',
  'addActivity',
  'removeActivity',
  'runActivity',
  'addProfiles',
] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

export interface CampaignFacts {
  readonly status: CampaignStatus;
  /** In the recycle bin. */
  readonly deleted: boolean;
  readonly activityCount: number;
  /** Profiles allocated to Test or LCG. */
  readonly allocated: number;
  /** The kind of the campaign's segment (manual additions and audience expansion need a static one). */
  readonly segmentKind: CampaignSegmentKind;
}

/** The kinds of segment a campaign can be on (shared/contract/segments.ts, SegmentKind). */
export type CampaignSegmentKind = 'static' | 'updatable' | 'dynamic';

/** A segment kind as stored (the table's CHECK admits these three); anything else reads as static. */
export function segmentKindOf(value: unknown): CampaignSegmentKind {
  return value === 'updatable' || value === 'dynamic' ? value : 'static';
}

/**
 * Why a segment's members cannot be edited by hand (added or removed), or null when they
 * can: only a static segment is a list; the others are what their condition gives. The
 * engine refuses with it, the segment page explains with it.
 */
export function membershipEditRefusal(kind: CampaignSegmentKind): string | null {
  switch (kind) {
    case 'static':
      return null;
    case 'updatable':
      return 'An updatable segment is recalculated from its condition and cannot be edited by hand: the next recalculation would undo the change.';
    case 'dynamic':
      return 'A dynamic segment is its condition, evaluated anew at each use, and cannot be edited by hand.';
  }
}

/**
 * Why profiles cannot be put into a campaign's audience by hand or by audience expansion on
 * its kind of segment (after the guide), or null on a static segment, whose list is the
 * audience. On an updatable or dynamic segment the audience is what the segment's
 * condition gives, so the next recalculation or evaluation would undo the addition.
 */
export function audienceAdditionRefusal(kind: CampaignSegmentKind, what: 'addProfiles' | 'expansion'): string | null {
  const action = what === 'addProfiles' ? 'Adding profiles by hand' : 'Audience expansion';
  switch (kind) {
    case 'static':
      return null;
    case 'updatable':
      return `${action} is unavailable in a campaign on an updatable segment: the campaign audience is the current composition of the segment at the time of campaign activation and each subsequent segment update, so its next recalculation would undo it. Change the segment's condition instead.`;
    case 'dynamic':
      return `${action} is unavailable in a campaign on a dynamic segment: the campaign audience is what the segment's condition gives at each use (audience tagging is triggered with each recalculation), so its next evaluation would undo it. Change the segment's condition instead.`;
  }
}

export type ActionCheck = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

const ALLOWED: ActionCheck = { allowed: true };
const refuse = (reason: string): ActionCheck => ({ allowed: false, reason });

/**
 * The campaign status machine (DESIGN.md "Campaign", after the guide's transitions and
 * blocked actions), as one pure function: every refusal says why in words a marketer
 * reads. Transient statuses (Audience building, Audience exclusion) block everything but
 * cloning while the engine works.
 */
export function checkCampaignAction(action: CampaignAction, facts: CampaignFacts): ActionCheck {
  const { status } = facts;
  if (facts.deleted) {
    return action === 'restore' ? ALLOWED : refuse('The campaign is in the recycle bin: restore it first.');
  }
  if (action === 'restore') return refuse('Only a campaign in the recycle bin can be restored.');
  if (action === 'clone') return ALLOWED;
  if (status === 'audience_building' || status === 'audience_exclusion') {
    return refuse(
      status === 'audience_building'
        ? 'The audience is being built; wait until it is done.'
        : 'Profiles are being removed from the campaign; wait until it is done.',
    );
  }
  if (status === 'completed') {
    if (action === 'delete') return ALLOWED;
    return refuse(
      action === 'addActivity'
        ? 'The campaign is completed: activities cannot be added to it.'
        : 'The campaign is completed and can never run again; clone it to run it again.',
    );
  }
  switch (action) {
    case 'edit':
    case 'changeLcg':
    case 'complete':
    case 'addActivity':
      return ALLOWED;
    case 'removeActivity':
      // Activation needs an activity; a running or waiting campaign must not lose its last one.
      if ((status === 'active' || status === 'waiting') && facts.activityCount <= 1) {
        return refuse(
          status === 'active'
            ? 'An active campaign needs at least one activity: add another one first, or deactivate the campaign.'
            : 'A campaign waiting to start needs at least one activity: add another one first, or deactivate the campaign.',
        );
      }
      return ALLOWED;
    case 'activate':
      if (status === 'active') return refuse('The campaign is already active.');
      if (facts.activityCount === 0) return refuse('Add at least one activity before activating the campaign.');
      return ALLOWED;
    case 'schedule':
      if (status === 'active') return refuse('The campaign is already active; deactivate it to schedule a later start.');
      if (facts.activityCount === 0) return refuse('Add at least one activity before scheduling the campaign.');
      return ALLOWED;
    case 'deactivate':
      return status === 'inactive' ? refuse('The campaign is already inactive.') : ALLOWED;
    case 'delete':
      if (status !== 'inactive') return refuse('Only a completed campaign, or an inactive one with nobody allocated, can be deleted.');
      if (facts.allocated > 0) {
        return refuse(`${facts.allocated} profiles are allocated to this campaign: complete it first, then delete it.`);
      }
      return ALLOWED;
    case 'runActivity':
      return status === 'active' ? ALLOWED : refuse('Activities run only while the campaign is active.');
    case 'addProfiles':
    {
      const refusal = audienceAdditionRefusal(facts.segmentKind, 'addProfiles');
      return refusal === null ? ALLOWED : refuse(refusal);
    }
  }
}
