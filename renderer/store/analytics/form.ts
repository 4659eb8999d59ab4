/**
 * The Analytics tab's metric editor as the user fills it in, and the metric it stands for.
 * The text syntax ("converted purchase 2w after entry") is shared/analytics/metric-text.ts's:
 * the editor shows it, and a metric typed in it fills the editor's fields.
 */
import { EventMetric, MAX_WINDOW_DAYS, OutcomeMetric, type EventMeasure, type MetricAnchor, type MetricDefinition } from '../../../shared/contract/analytics';
import { parseMetric, printMetric } from '../../../shared/analytics/metric-text';

export type MetricSource = 'event' | 'outcome';

export interface MetricDraft {
  readonly source: MetricSource;
  readonly measure: EventMeasure;
  readonly eventType: string;
  readonly daysText: string;
  readonly anchor: MetricAnchor;
  /** A column of the campaign's outcome file (source 'outcome'). */
  readonly column: string;
}

/** No covariate; the same event metric in a window before the anchor; another outcome column; or any metric written in the text syntax. */
export type CovariateChoice = 'none' | 'before' | 'outcome' | 'text';

export interface CovariateDraft {
  readonly choice: CovariateChoice;
  /** The pre-period's length in days (choice 'before'). */
  readonly daysText: string;
  readonly column: string;
  /** The covariate in the text syntax (choice 'text'), such as "count purchase 90d before entry". */
  readonly text: string;
}

export interface AnalyticsForm {
  readonly metric: MetricDraft;
  readonly covariate: CovariateDraft;
  /** Also compare all the database's campaigns with its GCG (when it has one). */
  readonly compareGcg: boolean;
}

export const emptyAnalyticsForm = (): AnalyticsForm => ({
  metric: { source: 'event', measure: 'converted', eventType: '', daysText: '14', anchor: 'entry', column: '' },
  covariate: { choice: 'none', daysText: '30', column: '', text: '' },
  compareGcg: true,
});

export type MetricProblems = Partial<Record<'eventType' | 'days' | 'column', string>>;

export interface MetricReading {
  readonly metric: MetricDefinition | null;
  readonly problems: MetricProblems;
}

/** A window length as typed: whole days from 1 to MAX_WINDOW_DAYS. */
export function readDays(text: string): { days: number | null; problem: string | null } {
  const trimmed = text.trim();
  if (trimmed === '') return { days: null, problem: 'Type the number of days.' };
  if (!/^\d+$/.test(trimmed)) return { days: null, problem: `Type whole days, such as 14 (not "${trimmed}").` };
  const days = Number(trimmed);
  if (days < 1 || days > MAX_WINDOW_DAYS) return { days: null, problem: `A window is 1 to ${MAX_WINDOW_DAYS.toLocaleString('en-US')} days.` };
  return { days, problem: null };
}

const firstIssue = (error: { issues: readonly { message: string }[] }) => error.issues[0]?.message ?? 'Not valid.';

/** The metric the editor stands for, or what is missing in it, field by field (the contract's schema decides). */
export function metricFromDraft(draft: MetricDraft): MetricReading {
  if (draft.source === 'outcome') {
    if (draft.column.trim() === '') return { metric: null, problems: { column: 'Choose a column of the outcome file.' } };
    const parsed = OutcomeMetric.safeParse({ kind: 'outcome', column: draft.column });
    return parsed.success ? { metric: parsed.data, problems: {} } : { metric: null, problems: { column: firstIssue(parsed.error) } };
  }
  const problems: MetricProblems = {};
  const { days, problem } = readDays(draft.daysText);
  if (problem) problems.days = problem;
  const parsed = EventMetric.safeParse({ kind: 'event', measure: draft.measure, eventType: draft.eventType, days: days ?? 1, anchor: draft.anchor, period: 'after' });
  if (!parsed.success) {
    const typeIssue = parsed.error.issues.find((i) => i.path[0] === 'eventType');
    problems.eventType = typeIssue?.message ?? firstIssue(parsed.error);
  }
  return parsed.success && days !== null ? { metric: parsed.data, problems } : { metric: null, problems };
}

export interface CovariateReading {
  /** Null: none chosen, or not valid (then `problem` says why). */
  readonly covariate: MetricDefinition | null;
  readonly problem: string | null;
}

/**
 * The covariate for CUPED: the metric's own measure and event type in the days before the
 * anchor, or another column of the outcome file. A pre-period needs an event metric.
 */
export function covariateFromDraft(covariate: CovariateDraft, metric: MetricDraft): CovariateReading {
  switch (covariate.choice) {
    case 'none':
      return { covariate: null, problem: null };
    case 'outcome': {
      if (covariate.column.trim() === '') return { covariate: null, problem: 'Choose a column of the outcome file.' };
      if (metric.source === 'outcome' && covariate.column === metric.column) return { covariate: null, problem: 'Choose another column than the metric’s own.' };
      return { covariate: { kind: 'outcome', column: covariate.column }, problem: null };
    }
    case 'before': {
      if (metric.source !== 'event') return { covariate: null, problem: 'A window before the anchor needs an event metric: choose an outcome column instead.' };
      const { days, problem } = readDays(covariate.daysText);
      if (days === null) return { covariate: null, problem };
      const parsed = EventMetric.safeParse({ kind: 'event', measure: metric.measure, eventType: metric.eventType, days, anchor: metric.anchor, period: 'before' });
      return parsed.success ? { covariate: parsed.data, problem: null } : { covariate: null, problem: 'Finish the metric first.' };
    }
    case 'text': {
      const parsed = parseMetric(covariate.text);
      if (!parsed.ok) return { covariate: null, problem: parsed.error };
      // A covariate measured after the anchor could itself be changed by the campaign: CUPED needs one from before.
      if (parsed.metric.kind === 'event' && parsed.metric.period === 'after') {
        return { covariate: null, problem: 'A covariate comes from before the campaign: write “before entry” (or before another anchor), or name a column of the outcome file.' };
      }
      return { covariate: parsed.metric, problem: null };
    }
  }
}

/** The metric as the editor's fields (a metric read from text, or a kept analysis's). */
export function draftFromMetric(metric: MetricDefinition, previous: MetricDraft): MetricDraft {
  if (metric.kind === 'outcome') return { ...previous, source: 'outcome', column: metric.column };
  return { ...previous, source: 'event', measure: metric.measure, eventType: metric.eventType, daysText: String(metric.days), anchor: metric.anchor };
}

/**
 * The covariate as the editor's choice: none, the metric itself before its anchor, an
 * outcome column, or else (another measure, type or anchor, as `cplan analyze` allows)
 * written as text, so that what is shown is what was analysed.
 */
export function covariateDraftFrom(covariate: MetricDefinition | null, metric: MetricDefinition, previous: CovariateDraft): CovariateDraft {
  if (covariate === null) return { ...previous, choice: 'none' };
  if (covariate.kind === 'outcome') return { ...previous, choice: 'outcome', column: covariate.column };
  const same = metric.kind === 'event' && covariate.period === 'before' && covariate.measure === metric.measure && covariate.eventType === metric.eventType && covariate.anchor === metric.anchor;
  return same ? { ...previous, choice: 'before', daysText: String(covariate.days) } : { ...previous, choice: 'text', text: printMetric(covariate) };
}

/** The form for a kept analysis: its metric, its covariate. */
export function formFromAnalysis(form: AnalyticsForm, metric: MetricDefinition, covariate: MetricDefinition | null): AnalyticsForm {
  return { ...form, metric: draftFromMetric(metric, form.metric), covariate: covariateDraftFrom(covariate, metric, form.covariate) };
}

export interface MetricTextReading {
  readonly draft: MetricDraft | null;
  readonly error: string | null;
}

/**
 * A metric typed in the text syntax, as the editor's fields. A pre-period ("before") is a
 * covariate, not a metric: it is refused here with a word on where it goes.
 */
export function draftFromText(text: string, previous: MetricDraft): MetricTextReading {
  const parsed = parseMetric(text);
  if (!parsed.ok) return { draft: null, error: parsed.error };
  if (parsed.metric.kind === 'event' && parsed.metric.period === 'before') {
    return { draft: null, error: 'A window before the anchor is a covariate: choose “The same metric before the anchor” as the CUPED covariate instead.' };
  }
  return { draft: draftFromMetric(parsed.metric, previous), error: null };
}
