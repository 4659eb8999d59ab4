/**
 * `analytics/run`: a campaign's analysis on one metric (and a covariate), read at the
 * project clock. Who is counted and from when: units.ts; the values: values.ts; the
 * figures: estimates.ts; the words: words.ts.
 */
import { AnalysisResult, type AnalyzeArgs, type EventMetric, type GcgComparison, type MetricAnchor, type MetricDefinition } from '../../../shared/contract/analytics';
import { metricLabel } from '../../../shared/analytics/metric-text';
import { DEFAULT_CONFIDENCE } from '../../../shared/stats/uplift';
import { clockMinutes } from '../../../shared/domain/clock';
import { requireCampaign, type CampaignRecord } from '../campaigns/repository';
import { gcgMembersSql, readGcgSettings } from '../gcg/membership';
import { readMeta } from '../project/project-file';
import type { HandlerContext } from '../registry';
import { readIntegers } from '../split/read-profiles';
import type { SqlDb } from '../sqlite/database';
import { lcgAge } from './drift';
import { cupedOf, dailyOf, groupSums, sampleRatio, strataOf, toGroup, upliftOf } from './estimates';
import { readOutcomeFile } from './outcome-store';
import { anchorsOf, GCG, LCG, LEFT_LABEL, LEFT_STRATUM, readUnits, TEST, type Units } from './units';
import { eventValues, metricValues, type MetricValues } from './values';
import { summaryOf, warningsOf } from './words';

type Parsed = { readonly campaignId: number; readonly metric: MetricDefinition; readonly covariate: MetricDefinition | null; readonly gcg: boolean };

/** The LCG's planned share: the last split's control total over its audience (its settings when that was empty). */
function plannedShare(db: SqlDb, campaign: CampaignRecord): number {
  const row = db.get<{ audience: number; control_total: number }>('SELECT audience, control_total FROM split_versions WHERE campaign_id = ? ORDER BY id DESC LIMIT 1', [campaign.id]);
  if (row && Number(row.audience) > 0) return Number(row.control_total) / Number(row.audience);
  return campaign.lcg.percent === null ? 0 : Number(campaign.lcg.percent) / 100;
}

function strataLabels(db: SqlDb, campaignId: number): Map<number, string> {
  const labels = new Map<number, string>(db.all<{ stratum: number; label: string }>('SELECT stratum, label FROM campaign_strata WHERE campaign_id = ?', [campaignId]).map((r) => [Number(r.stratum), String(r.label)]));
  labels.set(LEFT_STRATUM, LEFT_LABEL);
  return labels;
}

/**
 * All campaigns of the database together: the profiles in the Test group of any of its
 * campaigns (members now) against the GCG, each measured over the same window: from the
 * first activation of a campaign of the database to the project clock.
 */
function gcgComparison(db: SqlDb, campaign: CampaignRecord, metric: EventMetric, clock: string, confidence: number): GcgComparison | null {
  const gcg = readGcgSettings(db, campaign.databaseId);
  if (gcg === null || gcg.percentBp === 0) return null;
  const from = db.scalar('SELECT MIN(activated_clock) FROM campaigns WHERE database_id = ? AND activated_clock IS NOT NULL AND deleted_at IS NULL', [campaign.databaseId]);
  if (from === null || from === undefined || String(from) >= clock) return null;
  const reached = readIntegers(
    db,
    `SELECT DISTINCT m.profile_key FROM campaign_members m JOIN campaigns c ON c.id = m.campaign_id
      WHERE c.database_id = ? AND c.deleted_at IS NULL AND m.grp = 'test' ORDER BY m.profile_key`,
    [campaign.databaseId],
  );
  const held = readIntegers(db, `${gcgMembersSql(campaign.databaseId)} ORDER BY profile_key`);
  // One sorted list of keys: reached (TEST) and GCG (LCG's slot). A GCG member in the Test
  // group of a campaign exempt from the GCG counts as GCG only.
  const keys = new Float64Array(reached.length + held.length);
  const group = new Uint8Array(keys.length);
  let r = 0;
  let h = 0;
  let n = 0;
  while (r < reached.length || h < held.length) {
    if (r < reached.length && h < held.length && reached[r] === held[h]) r += 1;
    const takeReached = h >= held.length || (r < reached.length && reached[r]! < held[h]!);
    keys[n] = takeReached ? reached[r++]! : held[h++]!;
    group[n] = takeReached ? TEST : LCG;
    n += 1;
  }
  const units: Units = { count: n, keys: keys.subarray(0, n), group: group.subarray(0, n), stratum: new Int32Array(n), entry: new Float64Array(n), forced: 0 };
  const start = clockMinutes(String(from));
  const days = Math.max(1, Math.ceil((clockMinutes(clock) - start) / (24 * 60)));
  const window: EventMetric = { ...metric, days: Math.min(days, 3650), anchor: 'activation', period: 'after' };
  const values = eventValues(db, campaign.databaseId, units, new Float64Array(n).fill(start), window, clock, false);
  const sums = groupSums(units, values);
  return {
    reached: toGroup(TEST, sums[TEST]!, values.binary),
    gcg: { ...toGroup(LCG, sums[LCG]!, values.binary), group: 'gcg' },
    uplift: upliftOf(sums[TEST]!, sums[LCG]!, values.binary, confidence),
    from: String(from),
    to: clock,
  };
}

export async function analyzeCampaign(ctx: HandlerContext, args: Parsed): Promise<AnalysisResult> {
  const started = performance.now();
  const db = ctx.state.requireSession().db;
  const campaign = requireCampaign(db, args.campaignId);
  const clock = readMeta(db).clock;
  const confidence = DEFAULT_CONFIDENCE;
  ctx.progress('Reading the campaign’s profiles', 0, null, 'rows');
  await ctx.checkpoint();
  const units = readUnits(db, campaign);
  const anchors = new Map<MetricAnchor, Float64Array>();
  const anchorsFor = (m: EventMetric) => {
    let a = anchors.get(m.anchor);
    if (!a) anchors.set(m.anchor, (a = anchorsOf(db, campaign, units, m.anchor)));
    return a;
  };
  ctx.progress('Measuring the metric', 0, null, 'rows');
  await ctx.checkpoint();
  const values = metricValues(db, campaign, units, anchorsFor, args.metric, clock, true);
  let covariate: MetricValues | null = null;
  if (args.covariate) {
    ctx.progress('Measuring the covariate', 0, null, 'rows');
    await ctx.checkpoint();
    covariate = metricValues(db, campaign, units, anchorsFor, args.covariate, clock, false);
  }
  ctx.progress('Estimating the uplift', 0, null, 'rows');
  await ctx.checkpoint();
  const sums = groupSums(units, values);
  const groups = [TEST, LCG, GCG].filter((g) => g !== GCG || sums[GCG]!.profiles > 0).map((g) => toGroup(g, sums[g]!, values.binary));
  const share = plannedShare(db, campaign);
  const { rows: strata, postStratified } = strataOf(units, values, strataLabels(db, campaign.id), confidence);
  const stratified = campaign.lcg.strata.length > 0;
  const daily = values.daily ? dailyOf(values.daily, values.binary, confidence) : [];
  let gcg: GcgComparison | null = null;
  if (args.gcg && args.metric.kind === 'event') {
    ctx.progress('Comparing with the global control group', 0, null, 'rows');
    await ctx.checkpoint();
    gcg = gcgComparison(db, campaign, args.metric, clock, confidence);
  }
  const outcomes = args.metric.kind === 'outcome' ? readOutcomeFile(db, campaign.id) : null;
  const result: Omit<AnalysisResult, 'warnings' | 'summary' | 'durationMs'> = {
    campaignId: campaign.id,
    campaignName: campaign.name,
    metric: args.metric,
    covariate: args.covariate,
    metricLabel: metricLabel(args.metric),
    covariateLabel: args.covariate ? metricLabel(args.covariate) : null,
    binary: values.binary,
    confidence,
    clock,
    analyzedAt: ctx.deps.now().toISOString(),
    plannedLcgShare: share,
    groups,
    srm: sampleRatio(sums[TEST]!.profiles, sums[LCG]!.profiles, share),
    srmWithOutcome: sampleRatio(sums[TEST]!.n, sums[LCG]!.n, share),
    uplift: upliftOf(sums[TEST]!, sums[LCG]!, values.binary, confidence),
    postStratified: stratified ? postStratified : null,
    cuped: covariate ? cupedOf(units, values, covariate, confidence) : null,
    strata,
    daily,
    gcg,
    lcgAge: lcgAge(db, campaign, clock),
  };
  const warnings = warningsOf(result, { forced: units.forced, unknownProfiles: outcomes?.unknownProfiles ?? 0, stratified });
  // Checked as a file will check it when it is read back (every figure finite): a figure that is not stops here, not in a colleague's copy.
  return AnalysisResult.parse({ ...result, warnings, summary: summaryOf(result), durationMs: performance.now() - started });
}

export type { AnalyzeArgs };
