/**
 * The profiles a scenario holds (scenario_holds): taken in on its trigger, held for its
 * length, and let go when they leave the campaign (the guide: "All active campaign
 * scenarios for this profile are deactivated"). The campaign engine calls these where
 * profiles leave a campaign; nothing here imports the campaign engine.
 */
import type { SqlDb } from '../sqlite/database';

/** The sentence a leaver's "Campaign exit" event adds (after a full stop) when the profile was held by a scenario of the campaign (campaigns/profile-events.ts). */
export const SCENARIOS_DEACTIVATED = 'All active campaign scenarios for this profile are deactivated.';

/**
 * Lets go of the profiles (`keys`: a JSON array of profile keys; null: every profile) held by
 * the campaign's scenarios, as they leave the campaign at `clock`. Returns how many holds ended.
 */
export function endHoldsOnExit(db: SqlDb, campaignId: number, keys: string | null, clock: string): number {
  const only = keys === null ? '' : 'AND profile_key IN (SELECT value FROM json_each(?))';
  return db.run(
    `UPDATE scenario_holds SET ended = ?, reason = 'campaign_exit'
      WHERE ended IS NULL AND activity_id IN (SELECT id FROM activities WHERE campaign_id = ?) ${only}`,
    keys === null ? [clock, campaignId] : [clock, campaignId, keys],
  );
}
