/**
 * Saved simulations (table `simulations`, schema version 6): a simulation's source,
 * settings and results, kept with its campaign (or the project, for a segment or a file),
 * dated on the project clock. A body read back from a file is untrusted: it is validated
 * against SavedSimulationBody; one that does not pass is still listed, its summary saying
 * it cannot be read, and opening it fails with a clear message (never a crash).
 */
import { EngineError } from '../../../shared/contract/errors';
import { SavedSimulationBody, type SavedSimulationSummary } from '../../../shared/contract/simulate';
import { formatChange, formatCount, formatValue } from '../../../shared/format';
import { clockOf, requireCampaign } from '../campaigns/repository';
import type { HandlerContext } from '../registry';
import type { SqlDb, SqlValue } from '../sqlite/database';
import { fileText, storedJson } from '../sqlite/stored-values';

/** One line for a list: "LCG 10 % (4,940): MDE +13 % on purchased is yes". */
export function summaryLine(body: SavedSimulationBody): string {
  const { settings, plan, scan } = body;
  const size = [settings.percent !== null ? `${settings.percent} %` : null, settings.limit !== null ? `at most ${formatCount(settings.limit)}` : null].filter((s) => s !== null).join(', ');
  const lcg = `LCG ${size || 'none'} (${formatCount(plan.sizes.control)})`;
  if (plan.mde === null) return `${lcg}: no MDE${plan.problems[0] ? ` (${plan.problems[0]})` : ''}`;
  const mde = plan.mde.relative !== null ? formatChange(plan.mde.relative) : `+${formatValue(plan.mde.absolute)}`;
  return `${lcg}: MDE ${mde} on ${scan.metric.label}`;
}

const where = (id: number) => `the saved simulation ${id}`;

function summaryOf(row: Record<string, SqlValue>): SavedSimulationSummary {
  const id = Number(row.id);
  let summary: string;
  try {
    summary = summaryLine(storedJson(SavedSimulationBody, row.body, where(id)));
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    summary = error.message;
  }
  return {
    id,
    campaignId: row.campaign_id === null ? null : Number(row.campaign_id),
    name: fileText(row.name, 200),
    clock: fileText(row.clock, 40),
    createdAt: fileText(row.created_at, 40),
    summary,
  };
}

export function saveSimulation(ctx: HandlerContext, name: string, body: SavedSimulationBody): SavedSimulationSummary {
  const db = ctx.state.requireSession().db;
  const audience = body.source.audience;
  const campaignId = audience.kind === 'campaign' ? requireCampaign(db, audience.campaignId).id : null;
  db.run('INSERT INTO simulations (campaign_id, name, clock, created_at, body) VALUES (?, ?, ?, ?, ?)', [
    campaignId,
    name,
    clockOf(db),
    ctx.deps.now().toISOString(),
    JSON.stringify(body),
  ]);
  return summaryOf(db.get('SELECT * FROM simulations WHERE id = last_insert_rowid()')!);
}

/**
 * Newest first. A campaign's own (in the recycle bin or not); without a campaign, every
 * simulation except those of campaigns in the recycle bin (they come back with them).
 */
export function listSimulations(db: SqlDb, campaignId: number | undefined): SavedSimulationSummary[] {
  const rows =
    campaignId === undefined
      ? db.all(
          `SELECT s.* FROM simulations s LEFT JOIN campaigns c ON c.id = s.campaign_id
            WHERE s.campaign_id IS NULL OR c.deleted_at IS NULL ORDER BY s.id DESC`,
        )
      : db.all('SELECT * FROM simulations WHERE campaign_id = ? ORDER BY id DESC', [campaignId]);
  return rows.map(summaryOf);
}

export function getSimulation(db: SqlDb, id: number): { summary: SavedSimulationSummary; body: SavedSimulationBody } {
  const row = db.get('SELECT * FROM simulations WHERE id = ?', [id]);
  if (!row) throw new EngineError('NOT_FOUND', `There is no saved simulation with id ${id}.`, { id });
  return { summary: summaryOf(row), body: storedJson(SavedSimulationBody, row.body, where(id)) };
}

export function deleteSimulation(db: SqlDb, id: number): { deleted: boolean } {
  db.run('DELETE FROM simulations WHERE id = ?', [id]);
  return { deleted: Number(db.scalar('SELECT changes()')) > 0 };
}
