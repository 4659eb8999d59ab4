/**
 * A metric as text, for the CLI (`cplan analyze --metric`), the file and the UI: one syntax,
 * parsed and printed here only.
 *
 *   converted purchase 14d               at least one purchase in the 14 days after entry (0/1)
 *   count open 30d after activation      the number of opens in the 30 days after activation
 *   sum purchase 4w after first-run      the purchases' amount in the 4 weeks after the first run
 *   sum purchase 90d before entry        the same in the 90 days before entry (a CUPED covariate)
 *   column revenue                       the column "revenue" of the campaign's outcome file
 *
 * An event type with spaces is written in double quotes. "within" may stand before the
 * window (converted purchase within 14d). Units: d (days) or w (weeks).
 */
import {
  EVENT_MEASURES,
  MAX_WINDOW_DAYS,
  METRIC_ANCHORS,
  type EventMeasure,
  type MetricAnchor,
  type MetricDefinition,
} from '../contract/analytics';

const ANCHOR_WORDS: Readonly<Record<MetricAnchor, string>> = { entry: 'entry', activation: 'activation', first_run: 'first-run' };
const ANCHOR_LABELS: Readonly<Record<MetricAnchor, string>> = {
  entry: 'entry',
  activation: 'activation',
  first_run: 'the first run',
};

export type ParsedMetric = { ok: true; metric: MetricDefinition } | { ok: false; error: string };

const SYNTAX_HELP =
  'Write a metric as MEASURE TYPE WINDOW [after|before ANCHOR], e.g. "converted purchase 14d", "sum purchase 30d after activation", "count open 90d before entry", or "column NAME" for a column of the outcome file. MEASURE is converted, count or sum; WINDOW is days (14d) or weeks (2w); ANCHOR is entry, activation or first-run.';

/** Splits on spaces, keeping "double quoted" words whole. Null when a quote is not closed. */
function words(text: string): string[] | null {
  const out: string[] = [];
  const pattern = /"([^"]*)"|(\S+)/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    if (match[2]?.includes('"')) return null;
    out.push(match[1] ?? match[2] ?? '');
  }
  return out;
}

/** Reads a metric written in the syntax above. */
export function parseMetric(text: string): ParsedMetric {
  const parts = words(text.trim());
  if (parts === null) return { ok: false, error: `A quote is not closed in "${text}". ${SYNTAX_HELP}` };
  if (parts.length === 0) return { ok: false, error: `The metric is empty. ${SYNTAX_HELP}` };
  const [first, ...rest] = parts;
  if (first!.toLowerCase() === 'column') {
    if (rest.length !== 1 || rest[0]!.trim() === '') return { ok: false, error: `"column" takes one column name (quoted if it has spaces). ${SYNTAX_HELP}` };
    return { ok: true, metric: { kind: 'outcome', column: rest[0]!.trim() } };
  }
  const measure = first!.toLowerCase();
  if (!(EVENT_MEASURES as readonly string[]).includes(measure)) return { ok: false, error: `"${first}" is not a measure. ${SYNTAX_HELP}` };
  const eventType = rest.shift();
  if (eventType === undefined || eventType.trim() === '') return { ok: false, error: `The event type is missing. ${SYNTAX_HELP}` };
  if (rest[0]?.toLowerCase() === 'within') rest.shift();
  const window = /^(\d{1,5})([dw])$/i.exec(rest.shift() ?? '');
  if (!window) return { ok: false, error: `The window is missing or not like 14d or 2w. ${SYNTAX_HELP}` };
  const days = Number(window[1]) * (window[2]!.toLowerCase() === 'w' ? 7 : 1);
  if (days < 1 || days > MAX_WINDOW_DAYS) return { ok: false, error: `A window is 1 to ${MAX_WINDOW_DAYS} days; "${window[0]}" is not. ${SYNTAX_HELP}` };
  let period: 'after' | 'before' = 'after';
  let anchor: MetricAnchor = 'entry';
  if (rest.length > 0) {
    const side = rest.shift()!.toLowerCase();
    if (side !== 'after' && side !== 'before') return { ok: false, error: `Expected "after" or "before" where "${side}" is. ${SYNTAX_HELP}` };
    period = side;
    const word = rest.shift()?.toLowerCase().replace('_', '-');
    const found = METRIC_ANCHORS.find((a) => ANCHOR_WORDS[a] === word);
    if (!found) return { ok: false, error: `"${side}" needs entry, activation or first-run after it. ${SYNTAX_HELP}` };
    anchor = found;
  }
  if (rest.length > 0) return { ok: false, error: `Unexpected "${rest.join(' ')}" at the end. ${SYNTAX_HELP}` };
  return { ok: true, metric: { kind: 'event', measure: measure as EventMeasure, eventType: eventType.trim(), days, anchor, period } };
}

const quoted = (word: string) => (/[\s"]/.test(word) || word === '' ? `"${word.replace(/"/g, '')}"` : word);

/** The metric in the syntax above (parseMetric reads it back to the same metric). */
export function printMetric(metric: MetricDefinition): string {
  if (metric.kind === 'outcome') return `column ${quoted(metric.column)}`;
  const window = metric.days % 7 === 0 ? `${metric.days / 7}w` : `${metric.days}d`;
  return `${metric.measure} ${quoted(metric.eventType)} ${window} ${metric.period} ${ANCHOR_WORDS[metric.anchor]}`;
}

const span = (days: number) => (days % 7 === 0 && days >= 14 ? `${days / 7} weeks` : days === 1 ? '1 day' : `${days} days`);

/** The metric as a marketer reads it: "converted: at least one purchase in the 14 days after entry". */
export function metricLabel(metric: MetricDefinition): string {
  if (metric.kind === 'outcome') return `outcome column "${metric.column}"`;
  const when = `in the ${span(metric.days)} ${metric.period} ${ANCHOR_LABELS[metric.anchor]}`;
  switch (metric.measure) {
    case 'converted':
      return `converted: at least one ${metric.eventType} ${when}`;
    case 'count':
      return `number of ${metric.eventType} events ${when}`;
    case 'sum':
      return `${metric.eventType} amount ${when}`;
  }
}

export { SYNTAX_HELP as METRIC_SYNTAX_HELP };
