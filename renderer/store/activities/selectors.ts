import { MAX_ACTIVITY_NAME, MAX_VARIANT_NAME, type Activity, type Campaign } from '../../../shared/contract/index';
import { tooLongProblem } from '../../lib/text';
import { parsePercent } from '../../../shared/split/percent';
import { checkMove, type CampaignSide } from '../../../shared/domain/activity-move';
import type { ActionCheck } from '../../../shared/domain/campaign-status';
import { campaignFacts } from '../campaigns/selectors';
import type { AppState } from '../types';

const NONE: readonly Activity[] = [];

export const selectActivitiesOf =
  (campaignId: number) =>
  (state: AppState): readonly Activity[] =>
    state.activitiesByCampaign[campaignId] ?? NONE;

export const selectActivitiesLoaded =
  (campaignId: number) =>
  (state: AppState): boolean =>
    state.activitiesByCampaign[campaignId] !== undefined;

export const selectExternalActivities =
  (databaseId: number) =>
  (state: AppState): readonly Activity[] =>
    state.externalActivities[databaseId] ?? NONE;

export const ACTIVITY_STATUS_LABELS: Readonly<Record<Activity['status'], string>> = {
  inactive: 'Inactive',
  active: 'Active',
  paused: 'Paused',
  completed: 'Completed',
};

export interface VariantDraft {
  readonly name: string;
  readonly percentText: string;
}

const lowerFirst = (text: string): string => (/^[A-Z](?![A-Z])/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text);

/** A/B variants as typed: at least two, named, each a share, the shares summing to 100. */
export function variantsProblem(variants: readonly VariantDraft[]): string | null {
  if (variants.length < 2) return 'An A/B test needs at least two variants.';
  if (variants.length > 26) return 'At most 26 variants.';
  if (variants.some((v) => v.name.trim() === '')) return 'Every variant needs a name.';
  const long = variants.findIndex((v) => tooLongProblem(v.name, MAX_VARIANT_NAME) !== null);
  if (long >= 0) return `The name of variant ${long + 1}: ${tooLongProblem(variants[long]?.name ?? '', MAX_VARIANT_NAME) ?? ''}`;
  if (new Set(variants.map((v) => v.name.trim().toLowerCase())).size !== variants.length) return 'Two variants have the same name.';
  // The one percent rule (shared/split/percent.ts), which says what is wrong: empty, negative, over 100, too many decimals.
  const readings = variants.map((v) => parsePercent(v.percentText));
  let sum = 0;
  for (const [i, reading] of readings.entries()) {
    const name = variants[i]?.name.trim() ?? '';
    if (!reading.ok) return `Variant "${name}": ${lowerFirst(reading.problem)}`;
    if (reading.basisPoints === 0) return `Variant "${name}" has a share of 0 %: give it a share, or remove it.`;
    // In basis points, so 33.33 + 33.33 + 33.34 is exactly 100.
    sum += reading.basisPoints;
  }
  if (sum !== 10_000) return `The shares add up to ${sum / 100} %, not 100 %.`;
  return null;
}

const sideOf = (campaign: Campaign): CampaignSide => ({ id: campaign.id, name: campaign.name, databaseId: campaign.databaseId, facts: campaignFacts(campaign, null) });

/**
 * Whether an activity of `from` (null: the external list) may go to `to` (null: the
 * external list), by the engine's own rule: the app offers exactly what the engine allows.
 */
export function moveCheck(activity: Activity, from: Campaign | null, to: Campaign | null): ActionCheck {
  return checkMove({
    activity: { name: activity.name, type: activity.type, databaseId: activity.databaseId, campaignId: activity.campaignId, status: activity.status, launched: activity.launched },
    from: from ? sideOf(from) : null,
    to: to ? sideOf(to) : null,
    attach: activity.campaignId === null && to !== null,
    databaseName: (id) => (from?.databaseId === id ? from.databaseName : to?.databaseId === id ? to.databaseName : `database ${id}`),
  });
}

/** Why an activity cannot move anywhere now (out of `from` at all); null when it can. */
export function moveRefusal(activity: Activity, from: Campaign | null = null): string | null {
  const check = moveCheck(activity, from, null);
  return check.allowed ? null : check.reason;
}

/** The campaigns an activity may move to, and the others with the reason each is not offered. */
export function moveChoices(activity: Activity, from: Campaign | null, candidates: readonly Campaign[]): { allowed: Campaign[]; refused: { campaign: Campaign; reason: string }[] } {
  const allowed: Campaign[] = [];
  const refused: { campaign: Campaign; reason: string }[] = [];
  for (const campaign of candidates) {
    if (campaign.deleted) continue;
    const check = moveCheck(activity, from, campaign);
    if (check.allowed) allowed.push(campaign);
    else refused.push({ campaign, reason: check.reason });
  }
  return { allowed, refused };
}

export const variantPercent = (v: VariantDraft): number => Number(v.percentText.trim().replace(',', '.'));

/** Two even variants, A and B. */
export const DEFAULT_VARIANTS: readonly VariantDraft[] = [
  { name: 'A', percentText: '50' },
  { name: 'B', percentText: '50' },
];

export function activityNameProblem(name: string): string | null {
  if (name.trim() === '') return 'The activity name cannot be empty.';
  return tooLongProblem(name, MAX_ACTIVITY_NAME);
}

/** Why an activity cannot run now, apart from its campaign's status (the engine checks again). */
export function runRefusal(activity: Activity): string | null {
  if (activity.status === 'completed') {
    return activity.type === 'broadcast'
      ? `"${activity.name}" is a broadcast and has already been sent: a broadcast runs once.`
      : `"${activity.name}" is completed and runs no more.`;
  }
  if (activity.status === 'paused') return `"${activity.name}" is paused while the campaign's audience is rebuilt; it resumes when the rebuild is done.`;
  return null;
}

/** Why an activity cannot be launched on the clock now (the engine checks again); allowed while its campaign is not active yet. */
export function launchCheck(activity: Activity, campaign: Campaign): ActionCheck {
  if (campaign.deleted || campaign.status === 'completed') return { allowed: false, reason: `"${campaign.name}" is completed: its activities run no more.` };
  if (activity.status === 'completed') return { allowed: false, reason: runRefusal(activity) ?? `"${activity.name}" is completed and runs no more.` };
  return { allowed: true };
}

/** Why a launched activity cannot be stopped: it has finished already. */
export function stopCheck(activity: Activity): ActionCheck {
  return activity.status === 'completed' ? { allowed: false, reason: `"${activity.name}" has finished: there is nothing to stop.` } : { allowed: true };
}
