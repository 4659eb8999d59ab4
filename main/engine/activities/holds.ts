/**
 * The profiles a scenario holds (scenario_holds): taken in on its trigger, held for its
 * length, and let go when they leave the campaign (the guide: "All active campaign
 * scenarios for this profile are deactivated"). The campaign engine calls these where
 * profiles leave a campaign; nothing here imports the campaign engine.
 */
import type { SqlDb } from '../sqlite/database';

/** The sentence a leaver's "Campaign exit" event adds (after a full stop) when the profile was held by a scenario of the campaign. */
export const SCENARIOS_DEACTIVATED = 'All active campaign scenarios for this profile are deactivated.';

/**
 * SQL (a text expression) that is ". " and SCENARIOS_DEACTIVATED when the
 * campaign member `m` (campaign_id, profile_key) is held by a scenario of its campaign now,
 * and '' otherwise. `m` is a table alias of ours.
 */
export function heldSuffixSql(m: string): string {
  return `CASE WHEN EXISTS (SELECT 1 FROM scenario_holds h JOIN activities a ON a.id = h.activity_id
                            WHERE a.campaign_id = ${m}.campaign_id AND h.profile_key = ${m}.profile_key AND h.ended IS NULL)
               THEN '. ${SCENARIOS_DEACTIVATED}' ELSE '' END`;
}

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
