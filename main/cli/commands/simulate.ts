/**
 * `cplan simulate`: the LCG simulator from a terminal, on a campaign or segment of a project
 * or on a CSV file. One scan of the audience, then for each --percent the closed form
 * (planSimulation, the UI's own), the Monte Carlo (engine) and the balance of the split.
 */
import { resolve } from 'node:path';
import type { SimSettings, SimSource } from '../../../shared/contract/simulate';
import { MAX_SIM_REPS } from '../../../shared/contract/simulate';
import { planSimulation } from '../../../shared/simulate/plan';
import { parsePercent } from '../../../shared/split/percent';
import { UsageError, type Command } from '../command';
import type { CliEngine } from '../cli-engine';
import { CLEAN_OPTION, openProjectFile, projectPath, withTerminalProgress } from './project-args';
import { databaseFields, integerOption, listOption, parseStratumRule, resolveCampaign, resolveSegment, stringOption, type Values } from './plan-args';
import { parseSplitStratum } from './split';
import { simulationText, type SimulationRun } from './simulate-text';

/** A number option within bounds, or a usage error saying which. */
function numberOption(values: Values, name: string, check: (x: number) => boolean, rule: string): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const value = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || !check(value)) throw new UsageError(`--${name} must be ${rule}, not "${text}"`);
  return value;
}

/** --percent 5,10,20: each read by the one percentage rule. */
function percentList(values: Values): string[] {
  const text = stringOption(values, 'percent');
  if (text === undefined) return [];
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new UsageError(`--percent takes percentages separated by commas, such as 5,10,20, not "${text}"`);
  return parts.map((part) => {
    const reading = parsePercent(part);
    if (!reading.ok) throw new UsageError(`--percent: ${reading.problem}`);
    return reading.text;
  });
}

interface Plan {
  readonly source: SimSource;
  readonly seed: string | null;
  readonly percents: string[];
  readonly limit: number | null;
}

/** The audience, strata and the campaign's own LCG from the flags (opens the project file). */
async function audienceOf(engine: CliEngine, values: Values, positionals: readonly string[], metric: SimSource['metric'], covariate: SimSource['covariate']): Promise<Plan> {
  const csv = stringOption(values, 'csv');
  const campaignName = stringOption(values, 'campaign');
  const segmentName = stringOption(values, 'segment');
  const specs = listOption(values, 'stratum');
  if (specs.length > 5) throw new UsageError('at most 5 --stratum fields');
  const percents = percentList(values);
  const limit = integerOption(values, 'limit') ?? null;
  const seed = stringOption(values, 'seed') ?? null;
  const extra = { ...(covariate ? { covariate } : {}) };
  if (csv !== undefined) {
    if (positionals.length > 0 || campaignName !== undefined || segmentName !== undefined) throw new UsageError('--csv simulates a file: give no project, --campaign or --segment with it');
    const idColumn = stringOption(values, 'id-column');
    const source: SimSource = {
      audience: { kind: 'csv', input: resolve(csv), ...(idColumn === undefined ? {} : { idColumn }) },
      metric,
      ...extra,
      ...(specs.length > 0 ? { columns: specs.map(parseSplitStratum) } : {}),
    };
    return { source, seed, percents, limit };
  }
  const file = projectPath(positionals[0]);
  if ((campaignName === undefined) === (segmentName === undefined)) throw new UsageError('give --campaign NAME or --segment NAME (or --csv FILE without a project)');
  await openProjectFile(engine, file, values);
  if (campaignName !== undefined) {
    const campaign = await resolveCampaign(engine, campaignName);
    const fields = specs.length > 0 ? await databaseFields(engine, campaign.databaseId) : [];
    const strata = specs.map((spec) => parseStratumRule(spec, fields, campaign.databaseName));
    const own = percents.length === 0 && limit === null;
    return {
      source: { audience: { kind: 'campaign', campaignId: campaign.id }, metric, ...extra, ...(strata.length > 0 ? { strata } : {}) },
      seed: seed ?? campaign.seed,
      percents: own ? (campaign.lcg.percent === null ? [] : [String(campaign.lcg.percent)]) : percents,
      limit: own ? campaign.lcg.limit : limit,
    };
  }
  const segment = await resolveSegment(engine, segmentName!);
  const database = specs.length > 0 ? await engine.call('database/get', { databaseId: segment.databaseId }) : null;
  const strata = specs.map((spec) => parseStratumRule(spec, database!.fields, database!.name));
  return { source: { audience: { kind: 'segment', segmentId: segment.id }, metric, ...extra, ...(strata.length > 0 ? { strata } : {}) }, seed, percents, limit };
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'How big must the LCG be, and will the split be fair: power, MDE, Monte Carlo and balance',
  usage: 'simulate (FILE.cplan (--campaign NAME | --segment NAME) | --csv IN.csv) --metric FIELD [options]',
  help: `Reads the audience once (a campaign's audience after the global control group, a
segment, or the IDs of a CSV file) and answers, for each LCG share of --percent: the
minimum detectable effect (MDE) and the power for the exact group sizes of the split, the
share needed for a target MDE, the gain of stratification and CUPED, a Monte Carlo of the
real split (A/A false positives, power with an injected effect) and the balance of the
split for the seed. See the README, section "Simulator".

Audience:
  FILE.cplan --campaign NAME  a campaign: its audience, strata, LCG and seed by default
  FILE.cplan --segment NAME   a segment (not stratified unless --stratum is given)
  --csv IN.csv                a CSV file, read as cplan split reads it
  --id-column C               the CSV's ID column (default: the column named like an ID)
Metric:
  --metric FIELD        a yes/no field (binary), an enum or text field with --value, or a
                        number field (continuous); in a CSV, a column of only 0/1 or
                        yes/no is binary
  --value V             the value that counts as yes (enum or text fields)
  --threshold X         a number field counts as yes above X
  --cap Q               cap a number metric at the Q quantile, 0 < Q <= 1 (such as 0.99)
  --covariate FIELD     a number field measured before the campaign, for CUPED
  --covariate-cap Q     cap the covariate at its Q quantile, as --cap does the metric
Settings:
  --percent P[,P...]    LCG shares to try (default: the campaign's), such as 5,10,20
  --limit N             the largest LCG, in profiles
  --stratum SPEC        stratify (repeatable, at most 5), as cplan campaign / cplan split do
  --seed S              the split's seed (default: the campaign's; required otherwise)
  --alpha A             significance level, 0 < A <= 0.5 (default 0.05)
  --power P             target power, 0 < P < 1 (default 0.8)
  --one-sided           a one-sided test (default two-sided)
  --effect U            a true relative effect to give the power of (0.05 = +5 %)
  --target-mde U        a relative MDE to find the LCG share for (0.05 = +5 %)
  --reps K              Monte Carlo replicates (default 1000; 0 skips the Monte Carlo)

With --json every figure is given with self-explaining keys; shares, rates and effects
are fractions (0.05 is 5 %).

Examples:
  cplan simulate plan.cplan --campaign "Spring sale" --metric revenue --cap 0.99 --percent 5,10,20 --covariate revenue_before
  cplan simulate --csv audience.csv --id-column id --metric bought --stratum city --percent 10 --seed s1 --reps 1000 --json`,
  options: {
    ...CLEAN_OPTION,
    campaign: { type: 'string' },
    segment: { type: 'string' },
    csv: { type: 'string' },
    'id-column': { type: 'string' },
    metric: { type: 'string' },
    value: { type: 'string' },
    threshold: { type: 'string' },
    cap: { type: 'string' },
    covariate: { type: 'string' },
    'covariate-cap': { type: 'string' },
    percent: { type: 'string' },
    limit: { type: 'string' },
    stratum: { type: 'string', multiple: true },
    seed: { type: 'string' },
    alpha: { type: 'string' },
    power: { type: 'string' },
    'one-sided': { type: 'boolean' },
    effect: { type: 'string' },
    'target-mde': { type: 'string' },
    reps: { type: 'string' },
  },
  positionals: { min: 0, max: 1 },
  async run({ values, positionals, engine }) {
    const field = stringOption(values, 'metric');
    if (field === undefined || field.trim() === '') throw new UsageError('--metric FIELD is required: the field (or column) to measure');
    const value = stringOption(values, 'value');
    const threshold = numberOption(values, 'threshold', () => true, 'a number');
    if (value !== undefined && threshold !== undefined) throw new UsageError('give --value or --threshold, not both');
    const isQuantile = (x: number) => x > 0 && x <= 1;
    const cap = numberOption(values, 'cap', isQuantile, 'a quantile above 0 and at most 1, such as 0.99');
    const covariateCap = numberOption(values, 'covariate-cap', isQuantile, 'a quantile above 0 and at most 1, such as 0.99');
    if (cap !== undefined && (value !== undefined || threshold !== undefined)) throw new UsageError('--cap applies to a number metric, not with --value or --threshold');
    const alpha = numberOption(values, 'alpha', (x) => x > 0 && x <= 0.5, 'above 0 and at most 0.5, such as 0.05') ?? 0.05;
    const power = numberOption(values, 'power', (x) => x > 0 && x < 1, 'above 0 and below 1, such as 0.8') ?? 0.8;
    const effect = numberOption(values, 'effect', (x) => x > -1, 'a relative effect above −1, such as 0.05 for +5 %') ?? null;
    const targetMde = numberOption(values, 'target-mde', (x) => x > 0, 'a relative effect above 0, such as 0.05 for +5 %') ?? null;
    const reps = integerOption(values, 'reps') ?? 1000;
    if (reps !== 0 && (reps < 10 || reps > MAX_SIM_REPS)) throw new UsageError(`--reps must be 0 (no Monte Carlo) or from 10 to ${MAX_SIM_REPS.toLocaleString('en-US')}, not ${reps}`);
    const covariateField = stringOption(values, 'covariate');
    const metric: SimSource['metric'] = { field: field.trim(), ...(value === undefined ? {} : { value }), ...(threshold === undefined ? {} : { threshold }), ...(cap === undefined ? {} : { cap }) };
    if (covariateCap !== undefined && covariateField === undefined) throw new UsageError('--covariate-cap needs --covariate FIELD');
    const covariate = covariateField === undefined ? undefined : { field: covariateField.trim(), ...(covariateCap === undefined ? {} : { cap: covariateCap }) };

    const plan = await audienceOf(engine, values, positionals, metric, covariate);
    if (plan.seed === null || plan.seed === '') throw new UsageError('--seed S is required: the split, its balance and the Monte Carlo depend on it');
    if (plan.percents.length === 0 && plan.limit === null) throw new UsageError('give --percent P (such as 5,10,20), --limit N, or both');
    const seed = plan.seed;
    const scan = await withTerminalProgress(engine, () => engine.call('simulate/scan', plan.source));
    const runs: SimulationRun[] = [];
    for (const percent of plan.percents.length > 0 ? plan.percents : [null]) {
      const settings: SimSettings = { alpha, power, sided: values['one-sided'] === true ? 'one-sided' : 'two-sided', percent, limit: plan.limit, seed, effect, targetMde };
      const result = planSimulation(scan, settings);
      const usable = result.problems.length === 0;
      const split = { percent, limit: plan.limit, seed };
      const monteCarlo =
        usable && reps > 0
          ? await withTerminalProgress(engine, () => engine.call('simulate/monteCarlo', { source: plan.source, settings: { ...split, alpha, sided: settings.sided, effect }, reps }))
          : null;
      const balance = usable ? await withTerminalProgress(engine, () => engine.call('simulate/balance', { source: plan.source, settings: split })) : null;
      runs.push({ settings, plan: result, monteCarlo, balance });
    }
    const data = {
      audience: scan.audience,
      metric: scan.metric,
      covariate: scan.covariate,
      strata: { label: scan.strataLabel, count: scan.strata.length },
      campaign: scan.campaign,
      results: runs.map((r) => ({ settings: r.settings, ...r.plan, monteCarlo: r.monteCarlo, balance: r.balance })),
    };
    return { data, text: simulationText(scan, runs) };
  },
};
