/**
 * Where an activity may go (the guide's attach and move rules), as one pure function that
 * the engine enforces and the app's Move dialog uses to offer only what the engine allows.
 * Every refusal states the rule that applies.
 */
import { lowerFirst } from '../format';
import type { ActivityType } from '../contract/activities';
import { checkCampaignAction, type ActionCheck, type CampaignFacts } from './campaign-status';

const ALLOWED: ActionCheck = { allowed: true };
const refuse = (reason: string): ActionCheck => ({ allowed: false, reason });

export interface MovingActivity {
  readonly name: string;
  readonly databaseId: number;
  readonly campaignId: number | null;
  /** As shown: an activity of a completed campaign is completed. */
  readonly status: 'inactive' | 'active' | 'paused' | 'completed';
  readonly launched: boolean;
  /** A scenario holds profiles once it has run. */
  readonly type?: ActivityType;
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
  if (activity.launched && activity.type === 'scenario') {
    return refuse(`"${activity.name}" is a scenario with profiles in it: a scenario that holds profiles cannot be moved.`);
  }
  if (activity.launched) {
    return refuse(`"${activity.name}" has been launched before: it stays with the campaign it ran in, whose history holds its runs.`);
  }
  if (from && from.id !== to?.id) {
    const leaving = checkCampaignAction('removeActivity', from.facts);
    if (!leaving.allowed) return refuse(`"${activity.name}" cannot leave "${from.name}": ${lowerFirst(leaving.reason)}`);
  }
  return ALLOWED;
}

