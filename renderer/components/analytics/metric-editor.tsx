import { useId, useState } from 'react';
import { EVENT_MEASURES, METRIC_ANCHORS, type EventMeasure, type MetricAnchor, type MetricDefinition, type OutcomeFile } from '../../../shared/contract/analytics';
import { METRIC_SYNTAX_HELP, metricLabel, printMetric } from '../../../shared/analytics/metric-text';
import { formatCount } from '../../../shared/format';
import { draftFromText, type AnalyticsForm, type CovariateChoice, type MetricDraft } from '../../store/analytics/form';
import type { AnalyticsView } from '../../store/analytics/selectors';
import { useActions } from '../../store/react';
import { TextField } from '../common/text-field';

const MEASURE_LABELS: Readonly<Record<EventMeasure, string>> = {
  converted: 'Converted (at least one event)',
  count: 'Number of events',
  sum: 'Amount (sum of the events’ amounts)',
};

const ANCHOR_LABELS: Readonly<Record<MetricAnchor, string>> = {
  entry: 'Entry into the campaign',
  activation: 'The campaign’s activation',
  first_run: 'The first run that reached the profile',
};

const COVARIATE_LABELS: Readonly<Record<CovariateChoice, string>> = {
  none: 'None',
  before: 'The same metric before the anchor',
  outcome: 'Another column of the outcome file',
  text: 'Another metric, written as text',
};

interface EditorProps {
  readonly form: AnalyticsForm;
  readonly view: AnalyticsView;
  readonly eventTypes: readonly string[] | null;
  readonly outcomes: OutcomeFile | null | undefined;
}

/** What to measure: from profile events (measure, type, window, anchor) or a column of the outcome file; and the metric in the text syntax. */
export function MetricEditor({ form, view, eventTypes, outcomes }: EditorProps) {
  const { editAnalytics } = useActions();
  const m = form.metric;
  const set = (change: Partial<MetricDraft>) => editAnalytics({ metric: { ...m, ...change } });
  const id = useId();
  const { problems } = view.metric;
  // An empty type is asked for, not a mistake, until the user has typed in the field: the tab
  // opens before the database's types (and the default among them) arrive.
  const [typeTouched, setTypeTouched] = useState(false);
  const typeProblem = m.eventType === '' && !typeTouched ? undefined : problems.eventType;
  return (
    <fieldset className="sim-group" data-testid="analytics-metric">
      <legend className="sim-group-title">Metric</legend>
      <div className="sim-choice" role="radiogroup" aria-label="Measured from">
        <label className="radio">
          <input type="radio" name={`${id}-source`} checked={m.source === 'event'} onChange={() => set({ source: 'event' })} />
          Profile events
        </label>
        <label className="radio">
          <input type="radio" name={`${id}-source`} checked={m.source === 'outcome'} onChange={() => set({ source: 'outcome' })} />
          A column of the outcome file
        </label>
      </div>
      {m.source === 'event' ? (
        <>
          <label className="field">
            <span className="field-label">Measure</span>
            <select value={m.measure} onChange={(e) => set({ measure: e.target.value as EventMeasure })}>
              {EVENT_MEASURES.map((measure) => (
                <option key={measure} value={measure}>
                  {MEASURE_LABELS[measure]}
                </option>
              ))}
            </select>
          </label>
          <div className="field">
            <label className="field-label" htmlFor={`${id}-type`}>
              Event type
            </label>
            <input
              id={`${id}-type`}
              type="text"
              list={`${id}-types`}
              value={m.eventType}
              aria-invalid={typeProblem !== undefined}
              aria-describedby={`${id}-type-hint`}
              onChange={(e) => {
                setTypeTouched(true);
                set({ eventType: e.target.value });
              }}
            />
            <datalist id={`${id}-types`}>
              {(eventTypes ?? []).map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
            <span id={`${id}-type-hint`} className={typeProblem ? 'field-error' : 'field-hint'}>
              {typeProblem ?? eventTypeHint(eventTypes)}
            </span>
          </div>
          <div className="sim-row">
            <TextField label="Within days" error={problems.days ?? null} value={m.daysText} inputMode="numeric" onChange={(e) => set({ daysText: e.target.value })} />
          </div>
          <label className="field">
            <span className="field-label">Counted from</span>
            <select value={m.anchor} onChange={(e) => set({ anchor: e.target.value as MetricAnchor })}>
              {METRIC_ANCHORS.map((anchor) => (
                <option key={anchor} value={anchor}>
                  {ANCHOR_LABELS[anchor]}
                </option>
              ))}
            </select>
          </label>
          <p className="field-hint">LCG profiles count from the same moments, as if the campaign had reached them.</p>
        </>
      ) : (
        <OutcomeColumnField label="Column" value={m.column} outcomes={outcomes} problem={problems.column ?? null} onChange={(column) => set({ column })} />
      )}
      <MetricTextField draft={m} metric={view.metric.metric} />
    </fieldset>
  );
}

/** What the event type field offers: the database's types, or why it offers none. */
function eventTypeHint(eventTypes: readonly string[] | null): string {
  if (eventTypes === null) return 'Reading the event types of this database…';
  return eventTypes.length > 0 ? `In this database: ${eventTypes.join(', ')}.` : 'No events before the project clock yet: type the event type.';
}

/**
 * The metric in the text syntax (as `cplan analyze --metric` takes it). It shows what the
 * fields above say; a metric typed here fills them.
 */
function MetricTextField({ draft, metric }: { draft: MetricDraft; metric: MetricDefinition | null }) {
  const { editAnalytics } = useActions();
  const [typed, setTyped] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="analytics-text">
      <TextField
        label="As text"
        error={error}
        value={typed ?? (metric ? printMetric(metric) : '')}
        spellCheck={false}
        placeholder="converted purchase 14d after entry"
        onChange={(e) => {
          const text = e.target.value;
          setTyped(text);
          const read = draftFromText(text, draft);
          setError(read.error);
          if (read.draft) editAnalytics({ metric: read.draft });
        }}
        onBlur={() => {
          if (error === null) setTyped(null);
        }}
      />
      {metric && error === null && (
        <p className="field-hint" data-testid="analytics-metric-label">
          Reads: {metricLabel(metric)}.
        </p>
      )}
      <details className="analytics-syntax">
        <summary>How to write a metric</summary>
        <p className="field-hint">{METRIC_SYNTAX_HELP}</p>
      </details>
    </div>
  );
}

/** The column choice of the outcome file, or a word on importing one first. */
function OutcomeColumnField({ label, value, outcomes, problem, onChange }: { label: string; value: string; outcomes: OutcomeFile | null | undefined; problem: string | null; onChange: (column: string) => void }) {
  const id = useId();
  if (!outcomes) return <p className="field-hint">Import an outcome file below first: its columns are offered here.</p>;
  // "Choose a column" is what the empty choice already says; other problems are named under it.
  const shownProblem = value === '' ? null : problem;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select id={id} value={value} aria-invalid={shownProblem !== null} aria-describedby={shownProblem ? `${id}-problem` : undefined} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose a column…</option>
        {outcomes.columns.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name} ({c.binary ? 'yes/no' : 'number'}, {formatCount(c.values)} values)
          </option>
        ))}
      </select>
      {shownProblem && (
        <span id={`${id}-problem`} className="field-error">
          {shownProblem}
        </span>
      )}
    </div>
  );
}

/** The optional pre-period covariate for CUPED, and the GCG comparison. */
export function CovariateEditor({ form, view, outcomes }: Omit<EditorProps, 'eventTypes'>) {
  const { editAnalytics } = useActions();
  const c = form.covariate;
  const set = (change: Partial<AnalyticsForm['covariate']>) => editAnalytics({ covariate: { ...c, ...change } });
  const { covariate, problem } = view.covariate;
  return (
    <fieldset className="sim-group" data-testid="analytics-covariate">
      <legend className="sim-group-title">CUPED covariate (optional)</legend>
      <label className="field">
        <span className="field-label">A figure from before the campaign</span>
        <select value={c.choice} onChange={(e) => set({ choice: e.target.value as CovariateChoice })}>
          {(Object.keys(COVARIATE_LABELS) as CovariateChoice[]).map((choice) => (
            <option key={choice} value={choice}>
              {COVARIATE_LABELS[choice]}
            </option>
          ))}
        </select>
      </label>
      {c.choice === 'before' && (
        <div className="sim-row">
          <TextField label="Days before" error={form.metric.source === 'event' ? problem : null} value={c.daysText} inputMode="numeric" onChange={(e) => set({ daysText: e.target.value })} />
        </div>
      )}
      {c.choice === 'text' && (
        <TextField label="Covariate as text" error={problem} value={c.text} spellCheck={false} placeholder="count purchase 90d before entry" onChange={(e) => set({ text: e.target.value })} />
      )}
      {c.choice === 'outcome' && <OutcomeColumnField label="Covariate column" value={c.column} outcomes={outcomes} problem={problem} onChange={(column) => set({ column })} />}
      {c.choice === 'before' && form.metric.source !== 'event' && problem && <p className="field-error">{problem}</p>}
      {covariate && <p className="field-hint">Covariate: {metricLabel(covariate)}.</p>}
      <p className="field-hint">A figure that predicts the metric narrows the interval (CUPED); the plain estimate is shown next to it.</p>
      <label className="checkbox">
        <input type="checkbox" checked={form.compareGcg} onChange={(e) => editAnalytics({ compareGcg: e.target.checked })} />
        Also compare all campaigns with the GCG (when the database has one)
      </label>
    </fieldset>
  );
}
