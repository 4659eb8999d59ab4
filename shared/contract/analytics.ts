/**
 * Campaign analytics (issue 12): what a campaign changed, measured against its LCG, with
 * honest uncertainty (STATS.md §3–§4). A metric comes from the profile events after each
 * profile's moment (its entry into the campaign, the campaign's activation, or the first run
 * that reached it; for LCG members the run that would have), or from a column of an outcome
 * file imported for the campaign. `analytics/run` analyses one metric (and an optional
 * pre-period covariate for CUPED) and keeps the analysis with the campaign, so a shared
 * project file carries its results.
 */
import { z } from 'zod';
import { ClockTime, FilePath, Instant } from './common';
import { Id } from './databases';
import { CsvOptions } from './imports';
import { method } from './method';
import { EventType } from './profile-events';

const Finite = z.number().refine(Number.isFinite, 'Expected a finite number.');

/** Longest window of an event metric, in days (ten years). */
export const MAX_WINDOW_DAYS = 3650;
/** Most outcome columns an outcome file may bring. */
export const MAX_OUTCOME_COLUMNS = 50;
export const OUTCOME_COLUMN_MAX = 100;

/** The moment each profile's window counts from. */
export const METRIC_ANCHORS = ['entry', 'activation', 'first_run'] as const;
export const MetricAnchor = z.enum(METRIC_ANCHORS);
export type MetricAnchor = z.infer<typeof MetricAnchor>;

/** What an event metric measures in its window: converted (0/1: at least one event), the number of events, or the sum of their amounts. */
export const EVENT_MEASURES = ['converted', 'count', 'sum'] as const;
export const EventMeasure = z.enum(EVENT_MEASURES);
export type EventMeasure = z.infer<typeof EventMeasure>;

/**
 * A metric from profile events: `measure` of the events of `eventType` in the `days` after
 * the anchor (`period: after`: the anchor excluded, the end included), or in the `days`
 * before it (`period: before`, the anchor excluded: a pre-period covariate).
 */
export const EventMetric = z.strictObject({
  kind: z.literal('event'),
  measure: EventMeasure,
  eventType: EventType,
  days: z.number().int().min(1).max(MAX_WINDOW_DAYS),
  anchor: MetricAnchor.default('entry'),
  period: z.enum(['after', 'before']).default('after'),
});
export type EventMetric = z.infer<typeof EventMetric>;

/** A metric from a column of the campaign's outcome file: 0/1 or yes/no columns are binary, other number columns continuous. */
export const OutcomeMetric = z.strictObject({
  kind: z.literal('outcome'),
  column: z.string().trim().min(1).max(OUTCOME_COLUMN_MAX),
});
export type OutcomeMetric = z.infer<typeof OutcomeMetric>;

export const MetricDefinition = z.discriminatedUnion('kind', [EventMetric, OutcomeMetric]);
export type MetricDefinition = z.infer<typeof MetricDefinition>;
export type MetricDefinitionInput = z.input<typeof MetricDefinition>;

/** An estimate with its standard error, its interval and the two-sided p-value of "no difference" (null where none is defined). */
export const AnalysisEstimate = z.object({
  estimate: Finite,
  se: Finite,
  low: Finite,
  high: Finite,
  p: Finite.nullable(),
});
export type AnalysisEstimate = z.infer<typeof AnalysisEstimate>;

export const ANALYSIS_GROUPS = ['test', 'lcg', 'gcg'] as const;
export const AnalysisGroupName = z.enum(ANALYSIS_GROUPS);
export type AnalysisGroupName = z.infer<typeof AnalysisGroupName>;

/** One group's outcome. */
export const AnalysisGroup = z.object({
  group: AnalysisGroupName,
  /** Profiles of the group in the analysis (the campaign's members and those who left it; GCG: the GCG members of its segment). */
  profiles: z.number().int(),
  /** Of those, the profiles with an outcome: a window that has begun (event metrics), a row in the outcome file (outcome metrics). */
  withOutcome: z.number().int(),
  /** Profiles without an outcome (no anchor yet, no row in the outcome file). */
  missing: z.number().int(),
  /** Profiles whose window ends after the project clock: their outcome is partial. */
  partial: z.number().int(),
  /** The rate (binary) or mean (continuous) over the profiles with an outcome; null without any. */
  mean: Finite.nullable(),
  /** The sample variance (binary: p(1 − p)); null without an outcome. */
  variance: Finite.nullable(),
  /** Sum of the metric (conversions, events, amount). */
  sum: Finite,
});
export type AnalysisGroup = z.infer<typeof AnalysisGroup>;

/** A sample ratio check: observed Test/LCG sizes against the planned shares (chi-square goodness of fit, df 1). */
export const SampleRatio = z.object({
  observed: z.tuple([z.number().int(), z.number().int()]),
  expected: z.tuple([Finite, Finite]),
  chiSquare: Finite,
  p: Finite,
  /** p < 0.001 (STATS.md §3). */
  mismatch: z.boolean(),
});
export type SampleRatio = z.infer<typeof SampleRatio>;

/** The uplift of Test over the LCG. */
export const Uplift = z.object({
  /** Δ = mean_T − mean_C, its 95 % interval (Wald or Welch) and p-value (pooled z or Welch t). */
  absolute: AnalysisEstimate,
  /** Δ / mean_C by the delta method; null when the LCG's mean is 0. */
  relative: AnalysisEstimate.nullable(),
  /** Binary metrics: Newcombe's interval for Δ (better when a cell count is small). */
  newcombe: z.tuple([Finite, Finite]).nullable(),
  /** 'z' (two proportions, pooled) or 't' (Welch). */
  test: z.enum(['z', 't']),
  statistic: Finite,
  /** Welch's degrees of freedom (null for two proportions). */
  df: Finite.nullable(),
  /** Incremental conversions (binary), events or amount: Δ × Test profiles with an outcome, with the interval's bounds × the same. */
  incremental: z.object({ estimate: Finite, low: Finite, high: Finite }),
});
export type Uplift = z.infer<typeof Uplift>;

export const CupedResult = z.object({
  estimate: AnalysisEstimate,
  theta: Finite,
  /** Correlation of the covariate and the metric, pooled within groups. */
  rho: Finite,
  /** 1 − ρ²: the variance kept (the plain estimate's variance × this). */
  varianceFactor: Finite,
  /** Profiles with both the metric and the covariate. */
  profiles: z.number().int(),
});
export type CupedResult = z.infer<typeof CupedResult>;

export const StratumAnalysis = z.object({
  stratum: z.number().int(),
  label: z.string(),
  testProfiles: z.number().int(),
  lcgProfiles: z.number().int(),
  meanTest: Finite.nullable(),
  meanLcg: Finite.nullable(),
  uplift: AnalysisEstimate.nullable(),
  /** Too small to say anything: a group has fewer than MIN_STRATUM_GROUP profiles with an outcome (or none). */
  tooSmall: z.boolean(),
});
export type StratumAnalysis = z.infer<typeof StratumAnalysis>;
/** A stratum's group needs this many profiles with an outcome for its own uplift. */
export const MIN_STRATUM_GROUP = 30;

/** The cumulative uplift at the end of one day on the project clock, counting the profiles whose window has begun by then. */
export const DailyUplift = z.object({
  day: z.string(),
  testProfiles: z.number().int(),
  lcgProfiles: z.number().int(),
  uplift: AnalysisEstimate.nullable(),
  /** The interval widened for looking every day (an always-valid confidence sequence); null where the plain one is. */
  sequential: z.tuple([Finite, Finite]).nullable(),
});
export type DailyUplift = z.infer<typeof DailyUplift>;

/** All campaigns of the database together: everyone any of them reached against the GCG. */
export const GcgComparison = z.object({
  reached: AnalysisGroup,
  gcg: AnalysisGroup,
  uplift: Uplift.nullable(),
  /** The window every profile is measured in (the GCG has no entry to count from). */
  from: ClockTime,
  to: ClockTime,
});
export type GcgComparison = z.infer<typeof GcgComparison>;

export const DriftRow = z.object({
  field: z.string(),
  level: z.string().nullable(),
  meanTest: Finite,
  meanLcg: Finite,
  smd: Finite.nullable(),
  flagged: z.boolean(),
});
export type DriftRow = z.infer<typeof DriftRow>;

/** How long the LCG has been held out, and how alike Test and the LCG are on the fields today. */
export const LcgAge = z.object({
  since: ClockTime.nullable(),
  days: Finite.nullable(),
  rows: z.array(DriftRow),
});
export type LcgAge = z.infer<typeof LcgAge>;

export const AnalysisWarning = z.object({
  kind: z.enum(['srm', 'partial', 'no_variance', 'empty_group', 'unknown_profiles', 'missing_outcomes', 'small_strata', 'peeking']),
  text: z.string(),
});
export type AnalysisWarning = z.infer<typeof AnalysisWarning>;

export const AnalysisResult = z.object({
  campaignId: Id,
  campaignName: z.string(),
  metric: MetricDefinition,
  covariate: MetricDefinition.nullable(),
  /** The metric's name as the user reads it ("converted: purchase within 14 days after entry"). */
  metricLabel: z.string(),
  covariateLabel: z.string().nullable(),
  binary: z.boolean(),
  confidence: Finite,
  /** The project clock the analysis looked at: events after it do not exist yet. */
  clock: ClockTime,
  analyzedAt: Instant,
  /** The LCG's planned share of the campaign (from its split), 0–1. */
  plannedLcgShare: Finite,
  groups: z.array(AnalysisGroup),
  srm: SampleRatio.nullable(),
  /** The same check among profiles with an outcome. */
  srmWithOutcome: SampleRatio.nullable(),
  uplift: Uplift.nullable(),
  postStratified: AnalysisEstimate.nullable(),
  cuped: CupedResult.nullable(),
  strata: z.array(StratumAnalysis),
  daily: z.array(DailyUplift),
  gcg: GcgComparison.nullable(),
  lcgAge: LcgAge,
  warnings: z.array(AnalysisWarning),
  /** One or two sentences a marketer can act on. */
  summary: z.string(),
  durationMs: Finite,
});
export type AnalysisResult = z.infer<typeof AnalysisResult>;

export const SavedAnalysisSummary = z.object({
  id: Id,
  campaignId: Id,
  metricLabel: z.string(),
  clock: ClockTime,
  analyzedAt: Instant,
  summary: z.string(),
});
export type SavedAnalysisSummary = z.infer<typeof SavedAnalysisSummary>;

export const OutcomeColumn = z.object({
  name: z.string(),
  binary: z.boolean(),
  /** Profiles with a value in this column. */
  values: z.number().int(),
});
export type OutcomeColumn = z.infer<typeof OutcomeColumn>;

/** The outcome file imported for a campaign (one per campaign; a new import replaces it). */
export const OutcomeFile = z.object({
  campaignId: Id,
  fileName: z.string(),
  importedAt: Instant,
  rows: z.number().int(),
  /** Rows whose ID is no profile of the campaign's database: reported, not kept. */
  unknownProfiles: z.number().int(),
  /** The first few unknown IDs, for the report. */
  unknownExamples: z.array(z.string()),
  columns: z.array(OutcomeColumn),
});
export type OutcomeFile = z.infer<typeof OutcomeFile>;

export const AnalyzeArgs = z.strictObject({
  campaignId: Id,
  metric: MetricDefinition,
  covariate: MetricDefinition.nullable().default(null),
  /** Also compare all campaigns of the database with its GCG on this metric (event metrics). */
  gcg: z.boolean().default(true),
  /** Keep the analysis with the campaign (default); false: only return it. */
  save: z.boolean().default(true),
});
export type AnalyzeArgs = z.input<typeof AnalyzeArgs>;

export const analyticsMethods = {
  'analytics/run': method({
    doc: "Analyse a campaign on a metric (and a pre-period covariate): groups, uplift with intervals, sample ratio check, post-stratified and CUPED estimates, strata, the uplift by day, the GCG comparison and the LCG's drift; kept with the campaign.",
    args: AnalyzeArgs,
    result: z.object({ id: Id.nullable(), result: AnalysisResult }),
    long: true,
    mutates: true,
  }),
  'analytics/list': method({
    doc: 'The analyses kept with a campaign, newest first.',
    args: z.strictObject({ campaignId: Id }),
    result: z.array(SavedAnalysisSummary),
  }),
  'analytics/get': method({
    doc: 'One kept analysis, whole.',
    args: z.strictObject({ id: Id }),
    result: z.object({ summary: SavedAnalysisSummary, result: AnalysisResult }),
  }),
  'analytics/delete': method({
    doc: 'Delete a kept analysis.',
    args: z.strictObject({ id: Id }),
    result: z.object({ deleted: z.boolean() }),
    mutates: true,
  }),
  'analytics/importOutcomes': method({
    doc: "Import a campaign's outcome file (profile ID and one or more number or yes/no columns), all or nothing; IDs of unknown profiles are reported, not kept. Replaces the campaign's earlier outcome file.",
    args: z.strictObject({
      campaignId: Id,
      path: FilePath,
      /** The ID column: a header name or 0-based index; by default found as `cplan split` finds it. */
      idColumn: z.union([z.string().min(1), z.number().int().min(0)]).optional(),
      options: CsvOptions.partial().optional(),
    }),
    result: OutcomeFile,
    long: true,
    mutates: true,
  }),
  'analytics/outcomes': method({
    doc: "The campaign's outcome file and its columns (null when none was imported).",
    args: z.strictObject({ campaignId: Id }),
    result: OutcomeFile.nullable(),
  }),
  'analytics/report': method({
    doc: 'Write an analysis as a self-contained HTML report (tables and inline SVG charts; nothing loaded from the network) or as CSV.',
    args: z.strictObject({
      id: Id,
      format: z.enum(['html', 'csv']),
      path: FilePath,
      overwrite: z.boolean().optional(),
    }),
    result: z.object({ path: z.string(), bytes: z.number().int() }),
  }),
} as const;
