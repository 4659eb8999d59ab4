/**
 * The project clock moves forward only. When it passes delayed activations, they fire in
 * time order (ties by campaign id), each at its own planned time: the clock stands at that
 * time while the campaign's audience is built, so its events carry it. A campaign that can
 * no longer start (its activities were removed meanwhile) stops waiting, with the reason.
 * All of it is one transaction: a cancel leaves the clock and every campaign as they were.
 */
import { EngineError } from '../../../shared/contract/errors';
import { checkCampaignAction } from '../../../shared/domain/campaign-status';
import { isClockTime } from '../../../shared/domain/clock';
import { formatClock, formatCount } from '../../../shared/format';
import { writeMeta } from '../project/project-file';
import type { HandlerContext } from '../registry';
import { recordEvent } from './events';
import { activateCampaign } from './lifecycle';
import { groupSizes } from './counts';
import { campaignFacts, clockOf, requireCampaign } from './repository';

export interface FiredActivation {
  readonly campaignId: number;
  readonly name: string;
  readonly at: string;
  readonly outcome: string;
}

export async function advanceClock(ctx: HandlerContext, to: string): Promise<{ clock: string; fired: FiredActivation[] }> {
  const db = ctx.state.requireSession().db;
  if (!isClockTime(to)) throw new EngineError('INVALID_ARGUMENT', `"${to}" is not a valid date and time.`, { to });
  const now = clockOf(db);
  if (to < now) {
    throw new EngineError('REFUSED', `The project clock cannot go back: it is at ${formatClock(now)}. Choose a later time.`, { to, clock: now });
  }
  return db.transactionAsync(async () => {
    const due = db.all<{ campaign_id: number; at: string }>('SELECT campaign_id, at FROM scheduled_activations WHERE at <= ? ORDER BY at, campaign_id', [to]);
    const fired: FiredActivation[] = [];
    for (const [index, row] of due.entries()) {
      const at = String(row.at) < now ? now : String(row.at);
      writeMeta(db, { clock: at });
      const campaign = requireCampaign(db, Number(row.campaign_id));
      ctx.progress('Running delayed activations', index, due.length, 'items');
      const check = checkCampaignAction('activate', campaignFacts(db, campaign));
      let outcome: string;
      if (check.allowed) {
        await activateCampaign(ctx, campaign, { method: 'clock/advance', scheduledFor: String(row.at) });
        const g = groupSizes(db, campaign.id);
        outcome = `Activated: ${formatCount(g.test)} test, ${formatCount(g.control)} LCG.`;
      } else {
        db.run("UPDATE campaigns SET status = 'inactive', activate_at = NULL WHERE id = ?", [campaign.id]);
        db.run('DELETE FROM scheduled_activations WHERE campaign_id = ?', [campaign.id]);
        outcome = `Not activated: ${check.reason}`;
        recordEvent(db, campaign.id, at, 'deactivated', `The activation planned for ${formatClock(String(row.at))} did not happen: ${check.reason}`);
      }
      fired.push({ campaignId: campaign.id, name: campaign.name, at: String(row.at), outcome });
      await ctx.checkpoint();
    }
    writeMeta(db, { clock: to });
    ctx.progress('Running delayed activations', due.length, due.length, 'items');
    return { clock: to, fired };
  });
}
