/**
 * `cplan campaign` pieces about a campaign's audience: exporting it by group with the app's
 * export choices, finding the campaign to restore from the recycle bin, asking for --yes
 * where the app asks for a confirmation, and saying what another process is doing.
 */
import { resolve } from 'node:path';
import type { Campaign } from '../../../shared/contract/campaigns';
import { EngineError } from '../../../shared/contract/errors';
import { formatBytes } from '../../../shared/format';
import type { CliEngine } from '../cli-engine';
import { UsageError, type CommandOutput } from '../command';
import { exportChoices } from './export-options';
import { flag, plural, stringOption, type ActionContext, type Values } from './plan-args';
import { sameName, suggestForce, withTerminalProgress } from './project-args';

/** "another process (pid 4242) has been building its audience since 2026-04-10 10:00:03 UTC; ..." */
export function workText(work: NonNullable<Campaign['workElsewhere']>): string {
  const at = (instant: string) => `${instant.replace('T', ' ').slice(0, 19)} UTC`;
  const doing = work.status === 'audience_building' ? 'building its audience' : 'removing its profiles';
  const done = work.status === 'audience_building' ? 'built its audience' : 'removed its profiles';
  return work.finishedAt === null
    ? `another process (pid ${work.pid}) has been ${doing} since ${at(work.since)}; this file shows the result once that process saves it`
    : `another process (pid ${work.pid}) ${done} at ${at(work.finishedAt)} and has not saved it yet; this file shows the result once it does`;
}

const EXPORT_GROUPS = ['test', 'control', 'gcg', 'all'] as const;
type ExportGroup = (typeof EXPORT_GROUPS)[number];

/** --group: test or control for a page on the screen; gcg or all too for a file. */
export function groupOption(values: Values, forFile: boolean): ExportGroup | undefined {
  const group = stringOption(values, 'group');
  if (group === undefined) return undefined;
  if (!(EXPORT_GROUPS as readonly string[]).includes(group)) throw new UsageError(`--group must be test, control, gcg or all, not "${group}"`);
  if (!forFile && group === 'gcg') throw new UsageError("--group gcg goes with --out: the screen pages the campaign's members");
  return group as ExportGroup;
}

/**
 * Writes a campaign's audience, one group of it, or the GCG members of its segment, to CSV,
 * with the app's export choices (statuses, fields, limit).
 */
export async function exportCampaign(context: ActionContext, campaign: Campaign, out: string): Promise<CommandOutput> {
  const { engine, values } = context;
  const group = groupOption(values, true) ?? 'all';
  const path = resolve(out);
  const choices = await exportChoices(engine, values, { id: campaign.databaseId, name: campaign.databaseName });
  const result = await withTerminalProgress(engine, () =>
    engine.call('export/profiles', { databaseId: campaign.databaseId, path, overwrite: flag(values, 'force'), scope: { kind: 'campaign', campaignId: campaign.id, group }, ...choices }),
  ).catch(suggestForce(path));
  const what = group === 'all' ? 'member' : group === 'gcg' ? 'GCG member' : group === 'control' ? 'LCG member' : 'Test member';
  const fingerprint = result.fingerprint === undefined ? '' : ` Split fingerprint: ${result.fingerprint}.`;
  return { data: result, text: `Wrote ${plural(result.rows, what)} of "${campaign.name}" to ${path} (${formatBytes(result.bytes)}).${fingerprint}` };
}

/**
 * The campaign to restore: a name means one in the recycle bin, even when a live campaign
 * has it too (only the bin can be restored); several there with the name are refused with
 * their ids; an id is taken as it is.
 */
export async function campaignInBin(engine: CliEngine, nameOrId: string): Promise<{ campaign: Campaign; live: Campaign[] }> {
  const all = await engine.call('campaign/list', { includeDeleted: true });
  const named = all.filter((c) => sameName(c.name, nameOrId.trim()));
  const inBin = named.filter((c) => c.deleted);
  const live = named.filter((c) => !c.deleted);
  if (inBin.length === 1) return { campaign: inBin[0]!, live };
  if (inBin.length > 1) {
    throw new UsageError(`the recycle bin holds ${inBin.length} campaigns named "${nameOrId}" (ids ${inBin.map((c) => c.id).join(', ')}); give the id of the one to restore`);
  }
  const byId = /^\d+$/.test(nameOrId.trim()) ? all.find((c) => c.id === Number(nameOrId)) : undefined;
  if (byId) return { campaign: byId, live: [] };
  if (live.length > 0) {
    throw new EngineError(
      'REFUSED',
      `"${nameOrId}" (id ${live.map((c) => c.id).join(', ')}) is not in the recycle bin: only a campaign in the recycle bin can be restored.`,
      { campaign: nameOrId },
    );
  }
  const bin = all.filter((c) => c.deleted);
  throw new EngineError('NOT_FOUND', `There is no campaign "${nameOrId}" in the recycle bin; ${bin.length === 0 ? 'it is empty' : `it holds ${bin.map((c) => `"${c.name}" (id ${c.id})`).join(', ')}`}.`, {
    campaign: nameOrId,
  });
}

/** The engine's refusal of an activation that puts nobody in Test, said the command line's way. */
export function confirmWithYes(error: unknown): never {
  if (error instanceof EngineError && error.code === 'REFUSED' && error.details?.needsConfirmation === true) {
    throw new EngineError('REFUSED', `${error.message.replace(/\s*Confirm to activate anyway\.$/, '')} Add --yes to activate anyway.`, error.details);
  }
  throw error;
}
