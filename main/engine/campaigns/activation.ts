/**
 * What to confirm before an activation: an activation that would put nobody in Test. Either
 * the audience is empty (an empty segment, or everyone in it held by the global control
 * group), or the LCG takes the whole audience (100 %, or a limit at least the audience with
 * no percentage). Nothing is broken by it, but the campaign would reach nobody and measure
 * nothing, so the app asks and `cplan` wants --yes. One rule, here; campaign/activate
 * refuses without `confirmed`, and campaign/previewActivation shows it beforehand.
 */
import type { ActivationPreview, ActivationProblem } from '../../../shared/contract/campaigns';
import { EngineError } from '../../../shared/contract/errors';
import { formatCount } from '../../../shared/format';
import type { SqlDb } from '../sqlite/database';
import { gcgMembersSql } from '../gcg/membership';
import { refreshDynamic } from '../segments/dynamic';
import { segmentInfo, type CampaignRecord } from './repository';
import { lcgTotal } from './split-report';

const profiles = (n: number) => `${formatCount(n)} profile${n === 1 ? '' : 's'}`;

/**
 * The audience's size now, counted, not read: the segment's members less those the GCG
 * holds (walking the GCG's members, the smaller side), so a preview of a million costs
 * little. The strata do not change who is in Test, so they are left out.
 */
function audienceSize(db: SqlDb, campaign: CampaignRecord): { inSegment: number; audience: number } {
  // A dynamic segment is evaluated at each use: the activation would take what it gives now.
  refreshDynamic(db, campaign.segmentId);
  const inSegment = Number(db.scalar('SELECT COUNT(*) FROM segment_members WHERE segment_id = ?', [campaign.segmentId]) ?? 0);
  const held = campaign.gcgExempt
    ? 0
    : Number(
        db.scalar(
          `SELECT COUNT(*) FROM (${gcgMembersSql(campaign.databaseId)}) g
            WHERE EXISTS (SELECT 1 FROM segment_members s WHERE s.segment_id = ? AND s.profile_key = g.profile_key)`,
          [campaign.segmentId],
        ) ?? 0,
      );
  return { inSegment, audience: inSegment - held };
}

export function activationPreview(db: SqlDb, campaign: CampaignRecord): ActivationPreview {
  const { inSegment, audience } = audienceSize(db, campaign);
  const control = lcgTotal(audience, campaign.lcg);
  const problems: ActivationProblem[] = [];
  const segment = segmentInfo(db, campaign.segmentId);
  if (audience === 0) {
    const why =
      inSegment === 0
        ? `its segment "${segment?.name ?? ''}" has no profiles`
        : `all ${profiles(inSegment)} of its segment "${segment?.name ?? ''}" are in the global control group, which holds them out of every campaign that is not exempt`;
    problems.push({ kind: 'empty_audience', message: `The audience of "${campaign.name}" is empty: ${why}. Activated, the campaign reaches nobody.` });
  } else if (control >= audience) {
    const fix =
      campaign.lcg.percent === null ? 'Give a percentage, or a limit below the audience.' : campaign.lcg.limit === null ? 'Lower the percentage.' : 'Lower the percentage or the limit.';
    problems.push({
      kind: 'lcg_takes_all',
      message: `The LCG would take the whole audience of "${campaign.name}" (${formatCount(control)} of ${profiles(audience)}): nobody would be in Test, so its activities would reach nobody and no uplift could be measured. ${fix}`,
    });
  }
  return { audience, control, test: audience - control, problems };
}

/** Refuses an activation the user has not confirmed when it would put nobody in Test. */
export function requireActivationConfirmed(db: SqlDb, campaign: CampaignRecord, confirmed: boolean): void {
  if (confirmed) return;
  const { problems } = activationPreview(db, campaign);
  if (problems.length === 0) return;
  throw new EngineError('REFUSED', `${problems.map((p) => p.message).join(' ')} Confirm to activate anyway.`, {
    campaignId: campaign.id,
    needsConfirmation: true,
    problems: problems.map((p) => p.kind),
  });
}
