/**
 * The guide's rules for activities, as pure functions: where an activity may be attached or
 * moved (and why not; shared/domain/activity-move.ts), what an A/B test's variants must add
 * up to, when audience expansion and ignoring subscription apply. Every refusal is a sentence a marketer reads.
 */
import type { ActivityType } from '../../../shared/contract/activities';
import { audienceAdditionRefusal, type ActionCheck, type CampaignFacts } from '../../../shared/domain/campaign-status';
import { percentToBasisPoints } from '../../../shared/split/control-total';

// Where an activity may go is a rule the app's Move dialog applies too: it lives in shared/.
export { checkMove, type CampaignSide, type MoveRequest, type MovingActivity } from '../../../shared/domain/activity-move';

const ALLOWED: ActionCheck = { allowed: true };
const refuse = (reason: string): ActionCheck => ({ allowed: false, reason });

export interface Variant {
  readonly name: string;
  readonly percent: number;
}

export const DEFAULT_VARIANTS: readonly Variant[] = [
  { name: 'A', percent: 50 },
  { name: 'B', percent: 50 },
];

/** The variants an activity keeps: an A/B test's checked ones (A/B 50/50 by default), none for other types. */
export function checkVariants(type: ActivityType, variants: readonly Variant[] | undefined): { variants: Variant[] } | { refused: string } {
  if (type !== 'ab_test') {
    return variants && variants.length > 0 ? { refused: 'Only an A/B test has variants.' } : { variants: [] };
  }
  const chosen = variants === undefined || variants.length === 0 ? DEFAULT_VARIANTS : variants;
  if (chosen.length < 2) return { refused: 'An A/B test needs at least two variants.' };
  const names = new Set<string>();
  let total = 0;
  for (const variant of chosen) {
    const name = variant.name.trim();
    const key = name.toLocaleLowerCase('en-US');
    if (names.has(key)) return { refused: `Two variants are named "${name}"; give each its own name.` };
    names.add(key);
    let bp: number;
    try {
      bp = percentToBasisPoints(variant.percent);
    } catch {
      return { refused: `Variant "${name}": a share is a percentage from 0 to 100 with at most two decimals, not ${variant.percent}.` };
    }
    if (bp === 0) return { refused: `Variant "${name}" has a share of 0 %: give it a share, or remove it.` };
    total += bp;
  }
  if (total !== 10_000) return { refused: `The variants' shares add up to ${total / 100} %, not 100 %.` };
  return { variants: chosen.map((v) => ({ name: v.name.trim(), percent: v.percent })) };
}

/** Audience expansion adds profiles of the activity's own segment to a campaign on a static segment. */
export function checkExpansion(segmentId: number | null, campaign: { readonly name: string; readonly facts: CampaignFacts } | null): ActionCheck {
  if (segmentId === null) {
    return refuse("Audience expansion adds the profiles of the activity's own segment to the campaign: choose a segment for the activity first.");
  }
  const refusal = campaign ? audienceAdditionRefusal(campaign.facts.segmentKind, 'expansion') : null;
  if (refusal !== null) return refuse(`"${campaign!.name}": ${refusal}`);
  return ALLOWED;
}

/** Only a transactional activity (one that ignores the LCG) may also ignore subscription. */
export function checkIgnoreSubscription(ignoreLcg: boolean, ignoreSubscription: boolean): ActionCheck {
  if (ignoreSubscription && !ignoreLcg) {
    return refuse(
      'Only a transactional activity, one that ignores the LCG, can ignore subscription: a marketing activity never reaches unsubscribed, unconfirmed or bounced profiles.',
    );
  }
  return ALLOWED;
}
