/**
 * The guide's rules for activities, as pure functions: where an activity may be attached or
 * moved (and why not), what an A/B test's variants must add up to, when audience expansion
 * applies. Every refusal is a sentence a marketer reads.
 */
import type { ActivityType } from '../../../shared/contract/activities';
import { checkCampaignAction, type ActionCheck, type CampaignFacts } from '../../../shared/domain/campaign-status';
import { percentToBasisPoints } from '../../../shared/split/control-total';

const ALLOWED: ActionCheck = { allowed: true };
const refuse = (reason: string): ActionCheck => ({ allowed: false, reason });

export interface MovingActivity {
  readonly name: string;
  readonly databaseId: number;
  readonly campaignId: number | null;
  /** As shown: an activity of a completed campaign is completed. */
  readonly status: 'inactive' | 'active' | 'paused' | 'completed';
  readonly launched: boolean;
}

export interface CampaignSide {
  readonly id: number;
  readonly name: string;
  readonly databaseId: number;
  readonly facts: CampaignFacts;
}

export interface MoveRequest {
  readonly activity: MovingActivity;
  /** The campaign it is in now (null: the external list). */
  readonly from: CampaignSide | null;
  /** The campaign it goes to (null: the external list). */
  readonly to: CampaignSide | null;
  /** Attach from the external list rather than move from wherever it is. */
  readonly attach: boolean;
  readonly databaseName: (databaseId: number) => string;
}

/**
 * Attach (external -> campaign), move (campaign -> campaign) or detach (campaign ->
 * external). Refused, in this order, when: the target campaign takes no activities
 * (completed, in the recycle bin, busy); it is of another database; attaching an activity
 * that another campaign uses; the activity is active or completed; it has run before; the
 * campaign it leaves cannot let it go now.
 */
export function checkMove(request: MoveRequest): ActionCheck {
  const { activity, from, to } = request;
  if (to) {
    const target = checkCampaignAction('addActivity', to.facts);
    if (!target.allowed) return refuse(`"${activity.name}" cannot go to "${to.name}": ${lowerFirst(target.reason)}`);
    if (to.databaseId !== activity.databaseId) {
      return refuse(
        `"${activity.name}" is an activity of the database "${request.databaseName(activity.databaseId)}", and "${to.name}" is a campaign of ` +
          `"${request.databaseName(to.databaseId)}": an activity can only be part of a campaign of its own database.`,
      );
    }
  }
  if (request.attach && from && from.id !== to?.id) {
    return refuse(
      `"${activity.name}" is used by another campaign ("${from.name}"): only activities in the external list can be attached. ` +
        `Move it from "${from.name}" instead.`,
    );
  }
  if (activity.status === 'completed') return refuse(`"${activity.name}" is completed: a completed activity cannot be moved.`);
  if (activity.status === 'active') return refuse(`"${activity.name}" is active: only an inactive activity can be moved.`);
  if (activity.launched) {
    return refuse(`"${activity.name}" has been launched before: it stays with the campaign it ran in, whose history holds its runs.`);
  }
  if (from && from.id !== to?.id) {
    const leaving = checkCampaignAction('removeActivity', from.facts);
    if (!leaving.allowed) return refuse(`"${activity.name}" cannot leave "${from.name}": ${lowerFirst(leaving.reason)}`);
  }
  return ALLOWED;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

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
  if (campaign && !campaign.facts.staticSegment) {
    return refuse(`Audience expansion works only in a campaign on a static segment, and "${campaign.name}" is on an updatable one.`);
  }
  return ALLOWED;
}
