/**
 * The per-profile events of a campaign (a profile joined, left, moved to Test) are the bulk
 * of its event log: a weekly recalculation of a large segment writes tens of thousands of
 * them, and a year of the project clock millions. Each one is stored as a small integer
 * (campaign_events.code) that says what its sentence says, not as the sentence itself: the
 * sentence is made when the log is read (profileEventText). That keeps a row to about 45
 * bytes instead of 100 to 170, and writing it cheaper. Rows written before format 11 keep
 * their sentence in `details` and no code.
 *
 * The code's bits:
 *   1      the profile is (joined) or was (left) in the LCG, not in Test;
 *   2      it was forced into Test (added by hand);
 *   4      it was held by a scenario of the campaign, which let it go as it left;
 *   8..24  why it left or moved: WHY (shifted by 3).
 */
import { SCENARIOS_DEACTIVATED } from '../activities/holds';
import type { CampaignEventKind } from './events';

const IN_LCG = 1;
const FORCED = 2;
const HELD = 4;
const WHY_SHIFT = 3;

/** Why a profile left a campaign or moved in it, by code (0: not said, as when a campaign completes). */
const WHY = ['', 'no longer in the segment', 'now in the global control group', 'added by hand, forced into Test'] as const;
export type ProfileEventWhy = 'none' | 'outOfSegment' | 'intoGcg' | 'byHand';
const WHY_CODE: Readonly<Record<ProfileEventWhy, number>> = { none: 0, outOfSegment: 1, intoGcg: 2, byHand: 3 };

/** The code of a per-profile event, from its facts. */
export function profileEventCode(facts: { readonly lcg: boolean; readonly forced?: boolean; readonly held?: boolean; readonly why?: ProfileEventWhy }): number {
  return (facts.lcg ? IN_LCG : 0) + (facts.forced === true ? FORCED : 0) + (facts.held === true ? HELD : 0) + (WHY_CODE[facts.why ?? 'none'] << WHY_SHIFT);
}

/**
 * SQL (an integer expression) of the code of a per-profile event of the campaign member `m`
 * (campaign_id, profile_key, grp, forced: a table alias of ours), as it stands now: its
 * group, whether it was forced into Test, whether a scenario of the campaign holds it
 * (`held`: only where it leaves), and `why`.
 */
export function profileEventCodeSql(m: string, why: ProfileEventWhy, options: { readonly held?: boolean } = {}): string {
  const held =
    options.held === true
      ? ` + CASE WHEN EXISTS (SELECT 1 FROM scenario_holds h JOIN activities a ON a.id = h.activity_id
                              WHERE a.campaign_id = ${m}.campaign_id AND h.profile_key = ${m}.profile_key AND h.ended IS NULL) THEN ${HELD} ELSE 0 END`
      : '';
  return `(CASE ${m}.grp WHEN 'control' THEN ${IN_LCG} ELSE 0 END + CASE WHEN ${m}.forced = 1 THEN ${FORCED} ELSE 0 END${held} + ${WHY_CODE[why] << WHY_SHIFT})`;
}

/** The sentence the user reads for a per-profile event stored with `code` (any integer: a file comes from someone else). */
export function profileEventText(kind: CampaignEventKind, code: number): string {
  const lcg = (code & IN_LCG) !== 0;
  const why = WHY[(code >> WHY_SHIFT) & 3] ?? '';
  const held = (code & HELD) !== 0 ? `. ${SCENARIOS_DEACTIVATED}` : '';
  switch (kind) {
    case 'profile_joined':
      return `Joined the campaign: ${lcg ? 'LCG' : 'Test'}${(code & FORCED) !== 0 ? ' (forced into Test)' : ''}`;
    case 'campaign_exit':
      return `Campaign exit${why ? `: ${why} (was in ${lcg ? 'the LCG' : 'Test'})` : ''}${held}`;
    case 'moved_to_test':
      return `Moved to Test from the LCG${why ? `: ${why}` : ''}`;
    default:
      return kind.replace(/_/g, ' ');
  }
}
