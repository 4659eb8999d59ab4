/**
 * `warehouse/verifyAssignment`: a warehouse's output (or any file of id, group, stratum)
 * against the campaign's stored split. Both sides are put in profile_id order (the order
 * their fingerprints hash them in) and walked side by side once: each ID is in both with
 * the same group and stratum, or it differs (only in the app, only in the file, in the
 * other group, in another stratum). The counts per group and stratum are taken on both
 * sides. A file without a stratum column is compared by group only; its rows are then
 * counted in the app's stratum of their ID.
 */
import { DIFFERENCES_SHOWN, type AssignmentCheck } from '../../../shared/contract/warehouse';
import type { ParsedArgsOf } from '../../../shared/contract/index';
import type { HandlerContext } from '../registry';
import { readAssignmentFile } from './assignment-file';
import { fingerprintOf, GROUP_WORDS, idOrder, readCampaignAssignment, requireSplit } from './fingerprint';
import { compareText } from '../../../shared/split/quotas';

type Counts = { total: number; test: number; control: number };
const zero = (): Counts => ({ total: 0, test: 0, control: 0 });
const add = (counts: Counts, control: number) => {
  counts.total += 1;
  if (control === 1) counts.control += 1;
  else counts.test += 1;
};

export async function verifyAssignment(args: ParsedArgsOf<'warehouse/verifyAssignment'>, ctx: HandlerContext): Promise<AssignmentCheck> {
  const started = performance.now();
  const db = ctx.state.requireSession().db;
  const campaign = requireSplit(db, args.campaignId);
  const reading = 'Reading the file';
  const file = await readAssignmentFile(ctx.deps.fs, args.path, args.options, {
    signal: ctx.signal,
    progress: (done, total) => ctx.progress(reading, done, total, 'bytes'),
    checkpoint: () => ctx.checkpoint(),
  });
  const comparing = 'Comparing with the campaign';
  ctx.progress(comparing, 0, null);
  const app = readCampaignAssignment(db, campaign, false);
  await ctx.checkpoint();
  const appOrder = idOrder(app.ids);
  await ctx.checkpoint();
  const fileOrder = idOrder(file.ids);
  await ctx.checkpoint();

  // The strata: the app's (in stratum order), then keys only the file has.
  const strataRows = new Map<string, { key: string; label: string; app: Counts; file: Counts }>();
  for (const { key, label } of app.strata.values()) strataRows.set(key, { key, label, app: zero(), file: zero() });
  const row = (key: string) => {
    let entry = strataRows.get(key);
    if (!entry) strataRows.set(key, (entry = { key, label: key === '' ? '(no value)' : key, app: zero(), file: zero() }));
    return entry;
  };
  const appTotals = zero();
  const fileTotals = zero();
  for (let i = 0; i < app.ids.length; i += 1) {
    add(appTotals, app.control[i]!);
    add(row(app.stratumKeys[app.stratumOf[i]!]!).app, app.control[i]!);
  }
  for (let i = 0; i < file.ids.length; i += 1) add(fileTotals, file.control[i]!);

  const differences = { count: 0, onlyInApp: 0, onlyInFile: 0, otherGroup: 0, otherStratum: 0, first: [] as AssignmentCheck['differences']['first'] };
  const appStratum = (i: number) => app.stratumKeys[app.stratumOf[i]!]!;
  const fileStratum = (j: number) => (file.hasStratum ? file.stratumKeys[file.stratumOf[j]!]! : null);
  const differ = (id: string, i: number | null, j: number | null) => {
    differences.count += 1;
    if (differences.first.length < DIFFERENCES_SHOWN) {
      differences.first.push({
        id,
        app: i === null ? null : GROUP_WORDS[app.control[i]!]!,
        file: j === null ? null : GROUP_WORDS[file.control[j]!]!,
        appStratum: i === null ? null : appStratum(i),
        fileStratum: j === null ? null : fileStratum(j),
      });
    }
  };
  let a = 0;
  let f = 0;
  while (a < appOrder.length || f < fileOrder.length) {
    const i = appOrder[a];
    const j = fileOrder[f];
    const order = i === undefined ? 1 : j === undefined ? -1 : compareText(app.ids[i]!, file.ids[j]!);
    if (order < 0) {
      differences.onlyInApp += 1;
      differ(app.ids[i!]!, i!, null);
      a += 1;
      continue;
    }
    if (order > 0) {
      differences.onlyInFile += 1;
      differ(file.ids[j!]!, null, j!);
      if (file.hasStratum) add(row(fileStratum(j!)!).file, file.control[j!]!);
      f += 1;
      continue;
    }
    const sameGroup = app.control[i!] === file.control[j!];
    const sameStratum = !file.hasStratum || appStratum(i!) === fileStratum(j!);
    add(row(file.hasStratum ? fileStratum(j!)! : appStratum(i!)).file, file.control[j!]!);
    if (!sameGroup) differences.otherGroup += 1;
    if (!sameStratum) differences.otherStratum += 1;
    if (!sameGroup || !sameStratum) differ(app.ids[i!]!, i!, j!);
    a += 1;
    f += 1;
  }
  ctx.progress(comparing, 1, 1);

  const strata = [...strataRows.values()].filter((s) => s.app.total > 0 || s.file.total > 0);
  // Equal sides hold the same lines (with the strata, or without strata on both), so the same fingerprint.
  const appFingerprint = fingerprintOf(app, appOrder);
  const sameLines = differences.count === 0 && (file.hasStratum || app.stratumKeys.every((key) => key === ''));
  return {
    campaignId: campaign.id,
    campaignName: campaign.name,
    matches: differences.count === 0,
    rowsRead: file.ids.length,
    stratumColumn: file.hasStratum,
    app: appTotals,
    file: fileTotals,
    strata,
    differences,
    fingerprints: { app: appFingerprint, file: sameLines ? appFingerprint : fingerprintOf(file, fileOrder) },
    durationMs: performance.now() - started,
  };
}
