/**
 * `analytics/importOutcomes` and `analytics/outcomes`: a campaign's outcome file (a profile
 * ID column and one or more outcome columns), read by the split's reader (outcome-read.ts),
 * matched to the profiles of the campaign's database, and kept in the project
 * (outcome-store.ts). All or nothing: the file is read and checked whole before anything
 * is written, then the campaign's earlier outcome file is replaced in one transaction; a
 * bad cell, a repeated ID, a cancel or any failure leaves the project as it was. Rows whose
 * ID is no profile of the database are counted, and the first few kept for the report,
 * never stored.
 */
import { EngineError } from '../../../shared/contract/errors';
import type { OutcomeColumn, OutcomeFile } from '../../../shared/contract/analytics';
import type { ParsedArgsOf } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { requireCampaign } from '../campaigns/repository';
import { ProfileIds } from '../events/profile-ids';
import { readMeta } from '../project/project-file';
import { defineHandlers, type HandlerContext } from '../registry';
import { readOutcomeInput, type OutcomeInput } from './outcome-read';
import { readOutcomeFile, replaceOutcomeFile, type ColumnValues } from './outcome-store';


/** Unknown IDs kept as examples for the report; all are counted. */
export const UNKNOWN_EXAMPLES = 10;

interface Matched {
  /** The profile key of each ID of the file, by position (-1: no such profile). */
  readonly keys: Float64Array;
  /** Positions of the IDs of known profiles, in the order of their keys. */
  readonly order: Uint32Array;
  readonly unknown: number;
  readonly examples: string[];
}

/** Each ID of the file to its profile in the database, by the ID's bytes as the reader packed them. */
function matchProfiles(profiles: ProfileIds, { input }: OutcomeInput): Matched {
  const count = input.ids.length;
  const keys = new Float64Array(count);
  const examples: string[] = [];
  let unknown = 0;
  for (let i = 0; i < count; i += 1) {
    const key = profiles.key(input.packed, input.starts[i]!, input.ends[i]! - input.starts[i]!);
    keys[i] = key;
    if (key < 0) {
      unknown += 1;
      if (examples.length < UNKNOWN_EXAMPLES) examples.push(input.ids[i]!);
    }
  }
  const order = new Uint32Array(count - unknown);
  for (let i = 0, at = 0; i < count; i += 1) if (keys[i]! >= 0) order[at++] = i;
  // Keys are unique (the reader refuses a repeated ID), so the order is total.
  order.sort((a, b) => keys[a]! - keys[b]!);
  return { keys, order, unknown, examples };
}

/** A column's values of known profiles in key order, empty cells left out. */
function columnValues(values: Float64Array, { keys, order }: Matched): ColumnValues {
  let present = 0;
  for (const position of order) if (values[position] === values[position]) present += 1;
  const out = { keys: new Float64Array(present), values: new Float64Array(present) };
  let at = 0;
  for (const position of order) {
    const value = values[position]!;
    if (value !== value) continue;
    out.keys[at] = keys[position]!;
    out.values[at] = value;
    at += 1;
  }
  return out;
}

export async function importOutcomes(args: ParsedArgsOf<'analytics/importOutcomes'>, ctx: HandlerContext): Promise<OutcomeFile> {
  const { db } = ctx.state.requireSession();
  const campaign = requireCampaign(db, args.campaignId);
  if (campaign.deletedAt !== null) {
    throw new EngineError('REFUSED', `The campaign "${campaign.name}" is in the recycle bin: restore it before importing its outcomes.`, { campaignId: campaign.id });
  }
  const read = await readOutcomeInput(ctx, { path: args.path, idColumn: args.idColumn, options: args.options, today: readMeta(db).clock.slice(0, 10) });
  const count = read.input.ids.length;
  ctx.progress('Matching the profiles', 0, count, 'rows');
  const matched = matchProfiles(ProfileIds.load(db, campaign.databaseId), read);
  if (matched.order.length === 0) {
    throw new EngineError(
      'REFUSED',
      `None of the ${formatCount(count)} IDs of "${read.input.fileName}" is a profile of the campaign's database (such as ${matched.examples.slice(0, 3).map((id) => JSON.stringify(id)).join(', ')}): is "${read.input.idColumn}" the profile ID column, and is it the right file? Nothing was imported.`,
      { unknownExamples: matched.examples },
    );
  }
  await ctx.checkpoint();
  const values = read.columns.map((c) => columnValues(c.values, matched));
  const columns = read.columns.map((c, i): OutcomeColumn => ({ name: c.name, binary: c.binary, values: values[i]!.keys.length }));
  const file: OutcomeFile = {
    campaignId: campaign.id,
    fileName: read.input.fileName,
    importedAt: ctx.deps.now().toISOString(),
    rows: count,
    unknownProfiles: matched.unknown,
    unknownExamples: matched.examples,
    columns,
  };
  const writing = 'Writing the outcomes';
  await db.transactionAsync(async () => {
    await replaceOutcomeFile(ctx.deps.sql, db, file, values, async (written, total) => {
      ctx.progress(writing, written, total, 'rows');
      await ctx.checkpoint();
    });
    // The last moment to cancel: everything written so far rolls back.
    ctx.progress('Finishing', 1, 1);
    await ctx.checkpoint();
  });
  return file;
}

export const outcomeHandlers = defineHandlers({
  'analytics/importOutcomes': (args, ctx) => importOutcomes(args, ctx),

  'analytics/outcomes': ({ campaignId }, { state }) => {
    const { db } = state.requireSession();
    requireCampaign(db, campaignId);
    return readOutcomeFile(db, campaignId);
  },
});
