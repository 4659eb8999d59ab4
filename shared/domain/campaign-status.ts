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
  /** The campaign's segment is static (manual additions and audience expansion need one). */
  readonly staticSegment: boolean;
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
      return facts.staticSegment ? ALLOWED : refuse('Profiles can be added by hand only to a campaign on a static segment.');
  }
}
