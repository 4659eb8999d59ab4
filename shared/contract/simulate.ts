/**
 * The LCG simulator (issue 9, STATS.md §2-§3): one scan of an audience's metric gives
 * per-stratum sums (`SimScan`); the closed-form answers are a pure function of a scan and
 * the settings (shared/simulate/plan.ts), so the UI recomputes them while the user types;
 * the Monte Carlo and the balance table run in the engine, on the audience itself.
 */
import { z } from 'zod';
import { FilePath } from './common';
import { Id } from './databases';
import { StratumRule } from './campaigns';
import { Percent } from './gcg';
import { CsvOptions } from './imports';
import { method } from './method';
import { SplitStratum } from './split';
import { MAX_STRATA_FIELDS } from '../split/stratum-scheme';

// ---------------------------------------------------------------------------------------
// What is simulated

/** Where the profiles come from: a campaign (its audience after the GCG), a segment, or a CSV file. */
export const SimAudience = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('campaign'), campaignId: Id }),
  z.strictObject({ kind: z.literal('segment'), segmentId: Id }),
  z.strictObject({
    kind: z.literal('csv'),
    input: FilePath,
    /** The ID column: a header name or 0-based index; by default the ID-like column. */
    idColumn: z.union([z.string().min(1), z.number().int().min(0)]).optional(),
    options: CsvOptions.partial().optional(),
  }),
]);
export type SimAudience = z.infer<typeof SimAudience>;

/**
 * The metric per profile, from a field (a CSV column) named `field`:
 * - binary: a yes/no field; an enum (or text) field with `value` (yes when equal); a number
 *   field with `threshold` (yes when above it); in a CSV, a column holding only 0/1 or yes/no;
 * - continuous: a number field, optionally capped at the `cap` quantile (0 < cap <= 1).
 * A profile without a value counts as 0 (no), and the scan says how many.
 */
export const SimMetric = z
  .strictObject({
    field: z.string().min(1).max(200),
    value: z.string().max(1000).optional(),
    threshold: z.number().finite().optional(),
    cap: z.number().gt(0, 'A cap is a quantile above 0, such as 0.99.').lte(1, 'A cap is a quantile of at most 1, such as 0.99.').optional(),
  })
  .refine((m) => m.value === undefined || m.threshold === undefined, 'Give a value or a threshold, not both.')
  .refine((m) => m.cap === undefined || (m.value === undefined && m.threshold === undefined), 'A cap applies to a number metric, not to a yes/no one.');
export type SimMetric = z.infer<typeof SimMetric>;

/** A number field measured before the campaign, for CUPED. */
export const SimCovariate = z.strictObject({
  field: z.string().min(1).max(200),
  cap: z.number().gt(0).lte(1).optional(),
});
export type SimCovariate = z.infer<typeof SimCovariate>;

/** What one scan reads: audience, metric, covariate and strata (a change of any needs a new scan). */
export const SimSource = z
  .strictObject({
    audience: SimAudience,
    metric: SimMetric,
    covariate: SimCovariate.optional(),
    /**
     * Stratification to try, for a campaign or segment (by field id); a campaign's own by
     * default, none for a segment. For a CSV audience, `columns` instead.
     */
    strata: z.array(StratumRule).max(MAX_STRATA_FIELDS).optional(),
    columns: z.array(SplitStratum).max(MAX_STRATA_FIELDS).optional(),
    /** The date ages are counted on (age rules of a CSV); the project clock's for a project. */
    today: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
  })
  .refine((s) => s.audience.kind === 'csv' || s.columns === undefined, 'Columns stratify a CSV audience; a campaign or segment is stratified by fields.')
  .refine((s) => s.audience.kind !== 'csv' || s.strata === undefined, 'A CSV audience is stratified by columns, not by field ids.');
export type SimSource = z.infer<typeof SimSource>;

/** The settings the closed form answers for (no rescan needed to change any). */
export const SimSettings = z.strictObject({
  /** Significance level, 0 < α <= 0.5. */
  alpha: z.number().gt(0, 'α must be above 0.').lte(0.5, 'α must be at most 0.5.'),
  /** Target power, 0 < power < 1. */
  power: z.number().gt(0, 'Power must be above 0.').lt(1, 'Power must be below 1.'),
  sided: z.enum(['two-sided', 'one-sided']),
  /** The LCG to try: a percentage and/or a limit, as a campaign's. */
  percent: Percent.nullable(),
  limit: z.number().int().min(0).nullable(),
  /** The split's seed (quota tie-breaks, the balance of this very split, the Monte Carlo's draws). */
  seed: z.string().min(1).max(100),
  /** A true relative effect to give the power of (0.05 = +5 %); null: none. */
  effect: z.number().finite().gt(-1).nullable(),
  /** A relative MDE to find the LCG share and limit for (0.05 = +5 %); null: none. */
  targetMde: z.number().finite().gt(0).nullable(),
});
export type SimSettings = z.infer<typeof SimSettings>;

export const DEFAULT_SIM_SETTINGS: Omit<SimSettings, 'seed'> = {
  alpha: 0.05,
  power: 0.8,
  sided: 'two-sided',
  percent: '10',
  limit: null,
  effect: null,
  targetMde: null,
};

// ---------------------------------------------------------------------------------------
// The scan: sums per stratum

/** One stratum's sums of the metric y and the covariate x (x sums are 0 without a covariate). */
export const SimStratumSums = z.object({
  key: z.string(),
  label: z.string(),
  size: z.number().int().min(0),
  sumY: z.number(),
  sumY2: z.number(),
  sumX: z.number(),
  sumX2: z.number(),
  sumXY: z.number(),
});
export type SimStratumSums = z.infer<typeof SimStratumSums>;

export const SimScan = z.object({
  audience: z.object({
    kind: z.enum(['campaign', 'segment', 'csv']),
    /** "Campaign Spring sale", "Segment Everyone", "File audience.csv". */
    label: z.string(),
    /** Profiles that would be split: after the GCG for a campaign. */
    size: z.number().int().min(0),
    /** Profiles of the segment the GCG holds out (a campaign that is not exempt); null when there is no GCG. */
    gcgRemoved: z.number().int().min(0).nullable(),
    databaseId: Id.nullable(),
    campaignId: Id.nullable(),
  }),
  metric: z.object({
    field: z.string(),
    kind: z.enum(['binary', 'continuous']),
    /** For people: "purchased is yes", "revenue, capped at the 99th percentile (1,250)". */
    label: z.string(),
    /** Profiles without a value (counted as 0 / no). */
    missing: z.number().int().min(0),
    /** The value the metric was capped at, or null. */
    capValue: z.number().nullable(),
  }),
  covariate: z
    .object({
      field: z.string(),
      label: z.string(),
      missing: z.number().int().min(0),
      capValue: z.number().nullable(),
    })
    .nullable(),
  /** The stratification as rules (for a campaign: the one used), labelled for people. */
  strataLabel: z.string(),
  strata: z.array(SimStratumSums).min(1),
  /** The campaign's LCG and seed, the settings' starting point; null for a segment or CSV. */
  campaign: z
    .object({
      name: z.string(),
      percent: z.string().nullable(),
      limit: z.number().int().nullable(),
      seed: z.string(),
      status: z.string(),
    })
    .nullable(),
  /** The project clock's date (or the computer's, for a CSV), when the scan was made. */
  scannedAt: z.string(),
  durationMs: z.number(),
});
export type SimScan = z.infer<typeof SimScan>;

// ---------------------------------------------------------------------------------------
// Closed-form answers (computed by shared/simulate/plan.ts; here so they can be saved)

const Finite = z.number().finite();

export const SimMde = z.object({
  /** Smallest detectable change of the mean (rate): absolute, and relative to the baseline (null at a baseline of 0). */
  absolute: Finite,
  relative: Finite.nullable(),
  /** The rate or mean the campaign would have to reach. */
  detectable: Finite,
  /** Binary: Cohen's h* and the difference-of-proportions MDE (STATS.md §2); null for a continuous metric. */
  cohenH: Finite.nullable(),
  differenceAbsolute: Finite.nullable(),
});
export type SimMde = z.infer<typeof SimMde>;

export const SimPlanStratum = z.object({
  key: z.string(),
  label: z.string(),
  size: z.number().int(),
  control: z.number().int(),
  test: z.number().int(),
  mean: Finite,
  /** The MDE inside this stratum alone; null when it cannot say anything (reason). */
  mde: SimMde.nullable(),
  reason: z.string().nullable(),
});
export type SimPlanStratum = z.infer<typeof SimPlanStratum>;

export const SimPlan = z.object({
  /** Problems that leave nothing to compute (an empty LCG, a constant metric); the figures below are then null. */
  problems: z.array(z.string()),
  sizes: z.object({
    audience: z.number().int(),
    test: z.number().int(),
    control: z.number().int(),
    /** The control share these sizes give exactly, 0-1. */
    controlShare: Finite,
  }),
  baseline: z.object({ mean: Finite, sd: Finite }),
  zAlpha: Finite,
  zPower: Finite,
  mde: SimMde.nullable(),
  /** The power for `settings.effect`, exact sizes; null without an effect. */
  power: z.object({ effect: Finite, absolute: Finite, power: Finite }).nullable(),
  /** The LCG needed for `settings.targetMde`: a percentage (two decimals) and the profiles it takes, or why none will do. */
  needed: z
    .object({
      targetMde: Finite,
      percent: z.string().nullable(),
      control: z.number().int().nullable(),
      reason: z.string().nullable(),
    })
    .nullable(),
  /** The MDE (absolute) plain, with the stratification measured on the data, with CUPED, and both. */
  variance: z.object({
    plain: Finite.nullable(),
    stratified: Finite.nullable(),
    cuped: Finite.nullable(),
    stratifiedCuped: Finite.nullable(),
    /** Within-stratum share of the metric's variance (1 - R² of the strata), 0-1. */
    withinShare: Finite,
    /** ρ² of the covariate, or null without one. */
    rho2: Finite.nullable(),
  }),
  strata: z.array(SimPlanStratum),
  /** Labels of the strata too small to say anything about (no LCG or no Test profile, or under 2 of either). */
  unanalysable: z.array(z.string()),
  charts: z.object({
    /** MDE against the LCG share 0.5-50 %; `current` marks the settings' own share. */
    mdeByShare: z.array(z.object({ percent: Finite, absolute: Finite.nullable(), relative: Finite.nullable() })),
    /** Power against a true relative effect, at the settings' sizes. */
    powerByEffect: z.array(z.object({ effect: Finite, power: Finite })),
  }),
  /** The GCG's effect on this audience: profiles removed, and the MDE of measuring against the GCG instead of an LCG. */
  gcg: z
    .object({
      removed: z.number().int(),
      mde: SimMde.nullable(),
    })
    .nullable(),
  /** One paragraph a marketer can act on. */
  sentence: z.string(),
});
export type SimPlan = z.infer<typeof SimPlan>;

// ---------------------------------------------------------------------------------------
// Monte Carlo and balance (engine)

export const SimHistogram = z.object({
  /** Bin edges, one more than counts. */
  edges: z.array(Finite),
  counts: z.array(z.number().int().min(0)),
});
export type SimHistogram = z.infer<typeof SimHistogram>;

export const SimRate = z.object({
  /** Share of replicates that rejected at α. */
  rate: Finite,
  rejected: z.number().int(),
  /** Wilson intervals of the rate. */
  interval95: z.tuple([Finite, Finite]),
  interval99: z.tuple([Finite, Finite]),
});
export type SimRate = z.infer<typeof SimRate>;

export const SimMonteCarlo = z.object({
  reps: z.number().int(),
  seed: z.string(),
  test: z.number().int(),
  control: z.number().int(),
  /** A/A: Test − LCG differences of the metric's mean across replicates of the exact split. */
  aa: z.object({
    meanDifference: Finite,
    sdDifference: Finite,
    falsePositive: SimRate,
    histogram: SimHistogram,
  }),
  /** With the injected relative effect: empirical power next to the closed form. */
  effect: z
    .object({
      effect: Finite,
      power: SimRate,
      closedFormPower: Finite,
      histogram: SimHistogram,
    })
    .nullable(),
  /** How often each field (level) would be flagged |SMD| > 0.1 by chance across the replicates. */
  balance: z.array(z.object({ field: z.string(), level: z.string().nullable(), flaggedRate: Finite })),
  durationMs: z.number(),
});
export type SimMonteCarlo = z.infer<typeof SimMonteCarlo>;

export const SimBalanceRow = z.object({
  field: z.string(),
  /** An enum (or yes/no) level; null for a number field. */
  level: z.string().nullable(),
  kind: z.enum(['number', 'binary']),
  meanTest: Finite,
  meanControl: Finite,
  /** Standardised mean difference (STATS.md §3); null when both groups are constant. */
  smd: Finite.nullable(),
  flagged: z.boolean(),
});
export type SimBalanceRow = z.infer<typeof SimBalanceRow>;

export const SimChiSquare = z.object({
  field: z.string(),
  levels: z.number().int(),
  chiSquare: Finite.nullable(),
  df: z.number().int(),
  pValue: Finite.nullable(),
  cramersV: Finite.nullable(),
  /** Whether every expected count is at least 5; if not, `note` says so and no p-value is given. */
  valid: z.boolean(),
  note: z.string().nullable(),
});
export type SimChiSquare = z.infer<typeof SimChiSquare>;

export const SimBalance = z.object({
  seed: z.string(),
  test: z.number().int(),
  control: z.number().int(),
  rows: z.array(SimBalanceRow),
  chiSquare: z.array(SimChiSquare),
  /** Fields left out, and why (text with too many values, no values). */
  skipped: z.array(z.object({ field: z.string(), reason: z.string() })),
  durationMs: z.number(),
});
export type SimBalance = z.infer<typeof SimBalance>;

/** The split settings the Monte Carlo and balance use (the closed form's, minus what only it needs). */
const RunSettings = SimSettings.pick({ alpha: true, sided: true, percent: true, limit: true, seed: true, effect: true });

export const MAX_SIM_REPS = 100_000;

// ---------------------------------------------------------------------------------------
// Saved simulations

export const SavedSimulationBody = z.object({
  source: SimSource,
  settings: SimSettings,
  scan: SimScan,
  plan: SimPlan,
  monteCarlo: SimMonteCarlo.nullable(),
  balance: SimBalance.nullable(),
});
export type SavedSimulationBody = z.infer<typeof SavedSimulationBody>;

export const SavedSimulationSummary = z.object({
  id: Id,
  campaignId: Id.nullable(),
  name: z.string(),
  /** The project clock when saved. */
  clock: z.string(),
  createdAt: z.string(),
  /** One line: "LCG 10 % (4,940): MDE +13 % on purchase rate". */
  summary: z.string(),
});
export type SavedSimulationSummary = z.infer<typeof SavedSimulationSummary>;

export const SIM_NAME_MAX = 200;

export const simulateMethods = {
  'simulate/scan': method({
    doc: 'Read an audience once: the metric (and covariate) summed per stratum, for the closed-form answers of the simulator.',
    args: SimSource,
    result: SimScan,
    long: true,
  }),
  'simulate/monteCarlo': method({
    doc: 'Replicate the exact stratified split many times on the audience (A/A, and with an injected effect): false-positive rate, power, chance imbalance.',
    args: z.strictObject({
      source: SimSource,
      settings: RunSettings,
      reps: z.number().int().min(10).max(MAX_SIM_REPS).default(1000),
    }),
    result: SimMonteCarlo,
    long: true,
  }),
  'simulate/balance': method({
    doc: "Balance of the split for a seed: every field's standardised mean difference between Test and LCG, and chi-square per categorical field.",
    args: z.strictObject({ source: SimSource, settings: RunSettings.pick({ percent: true, limit: true, seed: true }) }),
    result: SimBalance,
    long: true,
  }),
  'simulate/save': method({
    doc: 'Keep a simulation with its campaign (or the project): settings, seed, results and the project clock.',
    args: z.strictObject({ name: z.string().trim().min(1).max(SIM_NAME_MAX), body: SavedSimulationBody }),
    result: SavedSimulationSummary,
    mutates: true,
  }),
  'simulate/list': method({
    doc: "The saved simulations of a campaign (or all), newest first.",
    args: z.strictObject({ campaignId: Id.optional() }),
    result: z.array(SavedSimulationSummary),
  }),
  'simulate/get': method({
    doc: 'One saved simulation, whole.',
    args: z.strictObject({ id: Id }),
    result: z.object({ summary: SavedSimulationSummary, body: SavedSimulationBody }),
  }),
  'simulate/delete': method({
    doc: 'Delete a saved simulation.',
    args: z.strictObject({ id: Id }),
    result: z.object({ deleted: z.boolean() }),
    mutates: true,
  }),
} as const;
