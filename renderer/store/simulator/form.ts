/**
 * The simulator's form as typed, and what it stands for: the scan's source (audience,
 * metric, covariate, strata: a change needs a new scan) and the closed form's settings (α,
 * power, sides, LCG share and limit, seed, effect, target: recomputed at once). Pure, so the
 * rules are tested without an engine; every message about a setting is the contract's
 * (shared/contract/simulate.ts) or the LCG editor's (percent, limit, strata).
 */
import type { Campaign, Field, SimMetric, SimSettings, SimSource, StratumRule } from '../../../shared/contract/index';
import { DEFAULT_SIM_SETTINGS, MAX_SIM_REPS, SimCovariate, SimMetric as SimMetricSchema, SimSettings as SimSettingsSchema } from '../../../shared/contract/simulate';
import { draftFromLcg, lcgFromDraft, ruleOf, type LcgDraft, type LcgDraftProblems } from '../campaigns/lcg-draft';

/** Whose audience is simulated: a campaign (after the GCG, with its LCG) or a segment. */
export type SimAudienceChoice = { readonly kind: 'campaign'; readonly campaignId: number } | { readonly kind: 'segment'; readonly segmentId: number };

/** How a number field becomes the metric: yes above a threshold, or the number itself (optionally capped). */
export type NumberMode = 'threshold' | 'number';

export interface MetricDraft {
  /** The field's name; '' when none is chosen. */
  readonly field: string;
  /** The value that counts as yes (an enum or text field). */
  readonly valueText: string;
  readonly numberMode: NumberMode;
  readonly thresholdText: string;
  /** The cap quantile, such as 0.99; '' for none. */
  readonly capText: string;
}

export interface CovariateDraft {
  /** '' for no covariate. */
  readonly field: string;
  readonly capText: string;
}

export interface SettingsDraft {
  readonly alphaText: string;
  readonly powerText: string;
  readonly sided: SimSettings['sided'];
  readonly seedText: string;
  /** A true relative effect in percent ("5" = +5 %); '' for none. */
  readonly effectText: string;
  /** A target relative MDE in percent; '' for none. */
  readonly targetText: string;
}

export interface SimulatorForm {
  readonly audience: SimAudienceChoice | null;
  readonly metric: MetricDraft;
  readonly covariate: CovariateDraft;
  /** The LCG to try: share, limit and strata, in the campaign editor's own draft. */
  readonly lcg: LcgDraft;
  readonly settings: SettingsDraft;
  readonly repsText: string;
}

export const DEFAULT_REPS = 1000;
export const MIN_REPS = 10;
/** The seed a segment's simulation starts from (a campaign starts from its own). */
export const DEFAULT_SEGMENT_SEED = 'simulation';

export const EMPTY_METRIC: MetricDraft = { field: '', valueText: '', numberMode: 'threshold', thresholdText: '0', capText: '' };

export function emptyForm(): SimulatorForm {
  return {
    audience: null,
    metric: EMPTY_METRIC,
    covariate: { field: '', capText: '' },
    lcg: { percentText: String(DEFAULT_SIM_SETTINGS.percent ?? ''), limitText: '', strata: [] },
    settings: {
      alphaText: String(DEFAULT_SIM_SETTINGS.alpha),
      powerText: String(DEFAULT_SIM_SETTINGS.power),
      sided: DEFAULT_SIM_SETTINGS.sided,
      seedText: DEFAULT_SEGMENT_SEED,
      effectText: '',
      targetText: '',
    },
    repsText: String(DEFAULT_REPS),
  };
}

/** Fields a metric can be computed from: yes/no, enum, text and number fields. */
export const metricFields = (fields: readonly Field[]): Field[] => fields.filter((f) => ['boolean', 'enum', 'string', 'number'].includes(f.type));
/** Fields a CUPED covariate can be: numbers measured before the campaign. */
export const covariateFields = (fields: readonly Field[]): Field[] => fields.filter((f) => f.type === 'number');

/** A first metric so the page answers at once: a yes/no field, else "a number field above 0" (a purchase rate). */
export function defaultMetric(fields: readonly Field[]): MetricDraft {
  const yesNo = fields.find((f) => f.type === 'boolean');
  if (yesNo) return { ...EMPTY_METRIC, field: yesNo.name };
  const number = fields.find((f) => f.type === 'number');
  return number ? { ...EMPTY_METRIC, field: number.name } : EMPTY_METRIC;
}

/** The form preset with a campaign: its LCG (share, limit, strata) and its seed; a campaign without an LCG tries the default share. */
export function formForCampaign(form: SimulatorForm, campaign: Campaign, fields: readonly Field[]): SimulatorForm {
  const lcg = draftFromLcg(campaign.lcg);
  const none = campaign.lcg.percent === null && campaign.lcg.limit === null;
  return {
    ...form,
    audience: { kind: 'campaign', campaignId: campaign.id },
    metric: form.metric.field !== '' && fields.some((f) => f.name === form.metric.field) ? form.metric : defaultMetric(fields),
    covariate: fields.some((f) => f.name === form.covariate.field) ? form.covariate : { field: '', capText: '' },
    lcg: none ? { ...lcg, percentText: String(DEFAULT_SIM_SETTINGS.percent ?? '') } : lcg,
    settings: { ...form.settings, seedText: campaign.seed },
  };
}

/** "0.05", "5 %" and "5%" alike for a share typed as a percentage; a number as typed otherwise. */
function readNumber(text: string): number | null {
  const trimmed = text.trim().replace(',', '.').replace(/^\+/, '');
  if (!/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/** A percentage typed as "5", "+5", "5 %" or "-3", as a fraction (0.05); null when it is not a number. */
function readPercentFraction(text: string): number | null {
  const value = readNumber(text.replace(/\s*%\s*$/, ''));
  return value === null ? null : value / 100;
}

export type SettingsField = 'alpha' | 'power' | 'seed' | 'effect' | 'targetMde';

export interface SettingsReading {
  readonly settings: SimSettings | null;
  /** By field, the contract's own sentence (or what to type instead of text that is no number). */
  readonly problems: Readonly<Partial<Record<SettingsField, string>>>;
  /** The LCG share, limit and strata: the LCG editor's problems. */
  readonly lcgProblems: LcgDraftProblems;
}

/** The closed form's settings the form stands for, validated by the contract's schema; or the problems, field by field. */
export function settingsFromForm(form: SimulatorForm, fields: readonly Field[]): SettingsReading {
  const s = form.settings;
  const problems: Partial<Record<SettingsField, string>> = {};
  const alpha = readNumber(s.alphaText);
  if (alpha === null) problems.alpha = 'Type α as a number such as 0.05.';
  const power = readNumber(s.powerText);
  if (power === null) problems.power = 'Type the power as a number such as 0.8.';
  const effect = s.effectText.trim() === '' ? null : readPercentFraction(s.effectText);
  if (s.effectText.trim() !== '' && effect === null) problems.effect = 'Type the true effect as a percentage such as 5 or -3.';
  const target = s.targetText.trim() === '' ? null : readPercentFraction(s.targetText);
  if (s.targetText.trim() !== '' && target === null) problems.targetMde = 'Type the target MDE as a percentage such as 5.';
  // The strata do not matter to the closed form's settings: only share and limit are read here.
  const { lcg, problems: lcgProblems } = lcgFromDraft({ ...form.lcg, strata: [] }, fields);
  const candidate = {
    alpha: alpha ?? 0.05,
    power: power ?? 0.8,
    sided: s.sided,
    percent: lcg?.percent ?? null,
    limit: lcg?.limit ?? null,
    seed: s.seedText.trim(),
    effect,
    targetMde: target,
  };
  const parsed = SimSettingsSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0];
      const field: SettingsField | null =
        key === 'alpha' || key === 'power' || key === 'effect' || key === 'targetMde' ? key : key === 'seed' ? 'seed' : null;
      if (field && problems[field] === undefined) problems[field] = field === 'seed' ? seedProblem(candidate.seed) : fieldMessage(field, issue.message);
    }
  }
  const fullLcg = lcgFromDraft(form.lcg, fields).problems;
  const bad = Object.keys(problems).length > 0 || lcg === null;
  return { settings: bad || !parsed.success ? null : parsed.data, problems, lcgProblems: { ...fullLcg, percent: lcgProblems.percent, limit: lcgProblems.limit } };
}

const seedProblem = (seed: string) => (seed === '' ? 'Type a seed: any text, such as the campaign’s.' : 'A seed has at most 100 characters.');

/** The contract's messages speak of fractions; effect and target are typed as percentages, so their bounds are said that way. */
function fieldMessage(field: SettingsField, message: string): string {
  if (field === 'effect') return 'A true effect is above −100 %.';
  if (field === 'targetMde') return 'A target MDE is above 0 %.';
  return message;
}

export type SourceField = 'audience' | 'metric' | 'covariate' | 'strata';

export interface SourceReading {
  readonly source: SimSource | null;
  readonly problems: Readonly<Partial<Record<SourceField, string>>>;
}

function metricOf(draft: MetricDraft, field: Field | undefined): { metric: SimMetric | null; problem: string | null } {
  if (draft.field === '' || !field) return { metric: null, problem: 'Choose the field the metric is computed from.' };
  let candidate: SimMetric;
  if (field.type === 'boolean') candidate = { field: field.name };
  else if (field.type === 'enum' || field.type === 'string') {
    if (draft.valueText.trim() === '') return { metric: null, problem: `Choose the value of ${field.name} that counts as yes.` };
    candidate = { field: field.name, value: draft.valueText };
  } else if (draft.numberMode === 'threshold') {
    const threshold = readNumber(draft.thresholdText);
    if (threshold === null) return { metric: null, problem: 'Type the threshold as a number, such as 0: a profile above it counts as yes.' };
    candidate = { field: field.name, threshold };
  } else {
    const cap = draft.capText.trim() === '' ? undefined : readNumber(draft.capText);
    if (cap === null) return { metric: null, problem: 'Type the cap as a quantile such as 0.99, or leave it empty.' };
    candidate = cap === undefined ? { field: field.name } : { field: field.name, cap };
  }
  const parsed = SimMetricSchema.safeParse(candidate);
  return parsed.success ? { metric: parsed.data, problem: null } : { metric: null, problem: parsed.error.issues[0]?.message ?? 'The metric is not valid.' };
}

/** The scan's source the form stands for, or what keeps it from being one. */
export function sourceFromForm(form: SimulatorForm, fields: readonly Field[]): SourceReading {
  const problems: Partial<Record<SourceField, string>> = {};
  if (!form.audience) problems.audience = 'Choose a campaign or a segment to simulate.';
  const { metric, problem } = metricOf(form.metric, fields.find((f) => f.name === form.metric.field));
  if (problem) problems.metric = problem;
  let covariate: SimCovariate | undefined;
  if (form.covariate.field !== '') {
    const cap = form.covariate.capText.trim() === '' ? undefined : readNumber(form.covariate.capText);
    const parsed = cap === null ? null : SimCovariate.safeParse(cap === undefined ? { field: form.covariate.field } : { field: form.covariate.field, cap });
    if (!parsed?.success) problems.covariate = 'Type the covariate’s cap as a quantile above 0 and at most 1, such as 0.99, or leave it empty.';
    else covariate = parsed.data;
  }
  const strata: StratumRule[] = [];
  for (const draft of form.lcg.strata) {
    const field = fields.find((f) => f.id === draft.fieldId);
    const rule = field ? ruleOf(draft, field) : { rule: null, problem: 'This field no longer exists.' };
    if (rule.rule) strata.push(rule.rule);
    else problems.strata ??= `Stratification${field ? ` by ${field.name}` : ''}: ${rule.problem ?? 'not valid.'}`;
  }
  if (!form.audience || !metric || Object.keys(problems).length > 0) return { source: null, problems };
  const audience = form.audience.kind === 'campaign' ? { kind: 'campaign' as const, campaignId: form.audience.campaignId } : { kind: 'segment' as const, segmentId: form.audience.segmentId };
  return { source: { audience, metric, ...(covariate ? { covariate } : {}), strata }, problems };
}

/**
 * JSON with every object's keys sorted: the same value gives the same text whatever order
 * its keys were written in (a source read back from a saved simulation has the schema's order).
 */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The same source gives the same key: a scan is needed when the key changes. */
export const sourceKey = (source: SimSource): string => canonicalJson(source);

/** What the Monte Carlo and the balance ran with: a change of any makes their results stale. */
export function runKey(source: SimSource, settings: SimSettings, extra: Record<string, unknown> = {}): string {
  const { alpha, sided, percent, limit, seed, effect } = settings;
  return canonicalJson({ source, alpha, sided, percent: percent === null ? null : String(percent), limit, seed, effect, ...extra });
}

/** The balance depends on the split only: the source, share, limit and seed. */
export function balanceKey(source: SimSource, settings: { percent: string | number | null; limit: number | null; seed: string }): string {
  return canonicalJson({ source, percent: settings.percent === null ? null : String(settings.percent), limit: settings.limit, seed: settings.seed });
}

export function repsFromForm(text: string): { reps: number | null; problem: string | null } {
  const value = readNumber(text.replace(/[\s,]/g, ''));
  if (value === null || !Number.isInteger(value)) return { reps: null, problem: `Type a whole number of replicates, such as ${DEFAULT_REPS}.` };
  if (value < MIN_REPS || value > MAX_SIM_REPS) return { reps: null, problem: `Between ${MIN_REPS} and ${MAX_SIM_REPS.toLocaleString('en-US')} replicates.` };
  return { reps: value, problem: null };
}

/** The form a saved simulation was made with, so opening it shows what was decided. */
export function formFromSaved(source: SimSource, settings: SimSettings, repsText: string): SimulatorForm {
  const audience: SimAudienceChoice | null =
    source.audience.kind === 'campaign' ? { kind: 'campaign', campaignId: source.audience.campaignId } : source.audience.kind === 'segment' ? { kind: 'segment', segmentId: source.audience.segmentId } : null;
  const m = source.metric;
  const metric: MetricDraft = {
    field: m.field,
    valueText: m.value ?? '',
    numberMode: m.threshold !== undefined ? 'threshold' : 'number',
    thresholdText: m.threshold !== undefined ? String(m.threshold) : EMPTY_METRIC.thresholdText,
    capText: m.cap !== undefined ? String(m.cap) : '',
  };
  const lcg = draftFromLcg({ percent: settings.percent, limit: settings.limit, strata: source.strata ?? [] });
  const percentText = (fraction: number | null) => (fraction === null ? '' : String(Number((fraction * 100).toPrecision(12))));
  return {
    audience,
    metric,
    covariate: { field: source.covariate?.field ?? '', capText: source.covariate?.cap !== undefined ? String(source.covariate.cap) : '' },
    lcg,
    settings: {
      alphaText: String(settings.alpha),
      powerText: String(settings.power),
      sided: settings.sided,
      seedText: settings.seed,
      effectText: percentText(settings.effect),
      targetText: percentText(settings.targetMde),
    },
    repsText,
  };
}
