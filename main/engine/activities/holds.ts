/**
 * The profiles a scenario holds (scenario_holds): taken in on its trigger, held for its
 * length, and let go when they leave the campaign (the guide: "All active campaign
 * scenarios for this profile are deactivated"). The campaign engine calls these where
 * profiles leave a campaign; nothing here imports the campaign engine.
 */
import type { SqlDb } from '../sqlite/database';

/** The sentence a leaver's "Campaign exit" event adds (after a full stop) when the profile was held by a scenario of the campaign (campaigns/profile-events.ts). */
export const SCENARIOS_DEACTIVATED = 'All active campaign scenarios for this profile are deactivated.';

/** Whether a scenario of the campaign holds anyone now (when none does, leavers need no look at the holds). */
export function holdsOpen(db: SqlDb, campaignId: number): boolean {
  return db.scalar('SELECT 1 FROM scenario_holds h JOIN activities a ON a.id = h.activity_id WHERE a.campaign_id = ? AND h.ended IS NULL LIMIT 1', [campaignId]) !== undefined;
}

/**
 * Lets go of the profiles (`keys`: SQL of ours selecting their profile keys; null: every
 * profile) held by the campaign's scenarios, as they leave the campaign at `clock`. Returns
 * how many holds ended.
 */
export function endHoldsOnExit(db: SqlDb, campaignId: number, keys: string | null, clock: string): number {
  const only = keys === null ? '' : `AND profile_key IN (${keys})`;
  return db.run(
    `UPDATE scenario_holds SET ended = ?, reason = 'campaign_exit'
      WHERE ended IS NULL AND activity_id IN (SELECT id FROM activities WHERE campaign_id = ?) ${only}`,
    [clock, campaignId],
  );
}
