import { describe, expect, it } from 'vitest';
import { metricLabel, parseMetric, printMetric } from '../../../shared/analytics/metric-text';
import { MetricDefinition } from '../../../shared/contract/analytics';

const ok = (text: string) => {
  const parsed = parseMetric(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.metric;
};

describe('the metric syntax', () => {
  it('reads event metrics with their defaults: after entry', () => {
    expect(ok('converted purchase 14d')).toEqual({ kind: 'event', measure: 'converted', eventType: 'purchase', days: 14, anchor: 'entry', period: 'after' });
    expect(ok('  SUM purchase within 2w after first-run ')).toEqual({ kind: 'event', measure: 'sum', eventType: 'purchase', days: 14, anchor: 'first_run', period: 'after' });
    expect(ok('count "page view" 90d before activation')).toEqual({ kind: 'event', measure: 'count', eventType: 'page view', days: 90, anchor: 'activation', period: 'before' });
  });

  it('reads a column of the outcome file', () => {
    expect(ok('column revenue')).toEqual({ kind: 'outcome', column: 'revenue' });
    expect(ok('column "net revenue"')).toEqual({ kind: 'outcome', column: 'net revenue' });
  });

  it('says what is wrong, with the syntax', () => {
    for (const [text, words] of [
      ['', 'empty'],
      ['bought purchase 14d', '"bought" is not a measure'],
      ['converted', 'event type is missing'],
      ['converted purchase', 'window is missing'],
      ['converted purchase 14x', 'window is missing'],
      ['converted purchase 0d', '1 to 3650 days'],
      ['converted purchase 14d since entry', 'Expected "after" or "before"'],
      ['converted purchase 14d after launch', 'entry, activation or first-run'],
      ['converted purchase 14d after entry now', 'Unexpected "now"'],
      ['converted "purchase 14d', 'quote is not closed'],
      ['column', 'one column name'],
    ] as const) {
      const parsed = parseMetric(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.error).toContain(words);
        expect(parsed.error).toContain('MEASURE TYPE WINDOW');
      }
    }
  });

  it('prints what it reads back to the same metric, and the contract accepts it', () => {
    for (const text of ['converted purchase 14d', 'count open 30d after activation', 'sum "big order" 4w after first-run', 'sum purchase 90d before entry', 'column "a b"']) {
      const metric = ok(text);
      expect(ok(printMetric(metric))).toEqual(metric);
      expect(MetricDefinition.parse(metric)).toEqual(metric);
    }
    expect(printMetric(ok('converted purchase 14d'))).toBe('converted purchase 2w after entry');
  });

  it('labels a metric for a marketer', () => {
    expect(metricLabel(ok('converted purchase 14d'))).toBe('converted: at least one purchase in the 2 weeks after entry');
    expect(metricLabel(ok('sum purchase 30d after first-run'))).toBe('purchase amount in the 30 days after the first run');
    expect(metricLabel(ok('count open 1d before activation'))).toBe('number of open events in the 1 day before activation');
    expect(metricLabel(ok('column revenue'))).toBe('outcome column "revenue"');
  });
});
