/**
 * The Analytics tab's rules that need no engine: the metric editor (its fields, the text
 * syntax both ways, the covariate), and the analysis's tables (differences in points with
 * the unit in the header, p-values, marked rows, CSV of raw values) and which warnings go
 * where, on the shared analysis fixture (test/helpers/analysis-fixture.ts).
 */
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../shared/contract/analytics';
import { analysisFixture, analysisFixtureWithSrmMismatch } from '../helpers/analysis-fixture';
import { printMetric } from '../../shared/analytics/metric-text';
import { covariateFromDraft, draftFromText, emptyAnalyticsForm, formFromAnalysis, metricFromDraft, readDays } from '../../renderer/store/analytics/form';
import { analysisBehindClock, listedWarnings, peekingWarnings } from '../../renderer/store/analytics/selectors';
import { differenceText } from '../../shared/analytics/analysis-text';
import { amountText, dailyTable, dayText, driftTable, estimatesTable, gcgTable, groupsTable, srmTable, strataTable, sumLabel } from '../../renderer/store/analytics/tables';
import { tableCsv } from '../../renderer/store/simulator/tables';

describe('the metric editor', () => {
  it('makes an event metric from its fields and names what is missing, field by field', () => {
    const form = emptyAnalyticsForm();
    expect(metricFromDraft(form.metric)).toEqual({ metric: null, problems: { eventType: 'Name the event type (purchase, open, click, ...).' } });
    const draft = { ...form.metric, eventType: ' purchase ', daysText: '14', anchor: 'first_run' as const };
    expect(metricFromDraft(draft).metric).toEqual({ kind: 'event', measure: 'converted', eventType: 'purchase', days: 14, anchor: 'first_run', period: 'after' });
    expect(metricFromDraft({ ...draft, daysText: '0' }).problems.days).toBe('A window is 1 to 3,650 days.');
    expect(metricFromDraft({ ...draft, daysText: '2w' }).problems.days).toBe('Type whole days, such as 14 (not "2w").');
    expect(readDays(' 30 ')).toEqual({ days: 30, problem: null });
    expect(metricFromDraft({ ...draft, source: 'outcome' }).problems.column).toBe('Choose a column of the outcome file.');
    expect(metricFromDraft({ ...draft, source: 'outcome', column: 'revenue' }).metric).toEqual({ kind: 'outcome', column: 'revenue' });
  });

  it('reads the text syntax into the fields and prints the fields back the same; a pre-period is refused as a metric', () => {
    const { metric } = emptyAnalyticsForm();
    const read = draftFromText('sum purchase 4w after first-run', metric);
    expect(read.error).toBeNull();
    expect(read.draft).toMatchObject({ source: 'event', measure: 'sum', eventType: 'purchase', daysText: '28', anchor: 'first_run' });
    expect(printMetric(metricFromDraft(read.draft!).metric!)).toBe('sum purchase 4w after first-run');
    expect(draftFromText('column "net revenue"', metric).draft).toMatchObject({ source: 'outcome', column: 'net revenue' });
    expect(draftFromText('count open 90d before entry', metric).error).toMatch(/is a covariate/);
    expect(draftFromText('bought purchase 14d', metric).error).toMatch(/^"bought" is not a measure\./);
  });

  it('takes the covariate as the same metric before the anchor, or another outcome column; none by default', () => {
    const form = emptyAnalyticsForm();
    const metric = { ...form.metric, eventType: 'purchase' };
    expect(covariateFromDraft(form.covariate, metric)).toEqual({ covariate: null, problem: null });
    expect(covariateFromDraft({ ...form.covariate, choice: 'before', daysText: '90' }, metric).covariate).toEqual({
      kind: 'event',
      measure: 'converted',
      eventType: 'purchase',
      days: 90,
      anchor: 'entry',
      period: 'before',
    });
    expect(covariateFromDraft({ ...form.covariate, choice: 'before', daysText: '' }, metric).problem).toBe('Type the number of days.');
    expect(covariateFromDraft({ ...form.covariate, choice: 'before' }, { ...metric, source: 'outcome', column: 'x' }).problem).toMatch(/needs an event metric/);
    const outcome = { ...metric, source: 'outcome' as const, column: 'revenue' };
    expect(covariateFromDraft({ ...form.covariate, choice: 'outcome', column: 'revenue' }, outcome).problem).toMatch(/another column/);
    expect(covariateFromDraft({ ...form.covariate, choice: 'outcome', column: 'revenue_before' }, outcome).covariate).toEqual({ kind: 'outcome', column: 'revenue_before' });
  });

  it('shows a kept analysis’s metric and covariate in the fields: the same metric before the anchor by its days, any other as text', () => {
    const result = analysisFixture();
    // The fixture's covariate counts purchases before entry while the metric is a conversion: it stays as written.
    const form = formFromAnalysis(emptyAnalyticsForm(), result.metric, result.covariate);
    expect(metricFromDraft(form.metric).metric).toEqual(result.metric);
    expect(form.covariate).toMatchObject({ choice: 'text', text: 'count purchase 90d before entry' });
    expect(covariateFromDraft(form.covariate, form.metric).covariate).toEqual(result.covariate);
    const sameBefore = { ...result.metric, days: 30, period: 'before' as const };
    const before = formFromAnalysis(emptyAnalyticsForm(), result.metric, sameBefore);
    expect(before.covariate).toMatchObject({ choice: 'before', daysText: '30' });
    expect(covariateFromDraft(before.covariate, before.metric).covariate).toEqual(sameBefore);
    // Written as text, a covariate must come from before the anchor.
    expect(covariateFromDraft({ ...form.covariate, text: 'count purchase 90d after entry' }, form.metric).problem).toMatch(/^A covariate comes from before the campaign/);
  });
});

describe('an analysis as the tab shows it', () => {
  it('says days as dates, sums as counts or amounts, and names the sum by the measure', () => {
    const result = analysisFixture();
    expect(dayText('2026-04-17')).toBe('Fri 17 Apr 2026');
    expect(amountText(5040)).toBe('5,040');
    expect(amountText(1234.567)).toBe('1,235');
    expect(amountText(12.345)).toBe('12.35');
    expect(sumLabel(result)).toBe('Conversions');
    expect(sumLabel({ ...result, metric: { ...result.metric, measure: 'sum' } as AnalysisResult['metric'], binary: false })).toBe('Amount');
    expect(sumLabel({ ...result, metric: { kind: 'outcome', column: 'renewed' } })).toBe('Yes answers');
  });

  it('tables show text and download raw values; too-small strata, a mismatch and imbalanced fields are marked', () => {
    const result = analysisFixture();
    const groups = groupsTable(result);
    expect(groups.columns.map((c) => c.label)).toEqual(['Group', 'Profiles', 'With outcome', 'Missing', 'Partial window', 'Rate', 'Conversions']);
    expect(groups.rows.map((g) => groups.columns.map((c) => c.text(g)))).toEqual([
      ['Test', '9,000', '8,950', '50', '120', '5.3 %', '470'],
      ['LCG', '1,000', '995', '5', '14', '4.1 %', '41'],
      ['GCG', '520', '520', '0', '0', '3.8 %', '20'],
    ]);
    expect(tableCsv(groups).split('\r\n')[1]).toBe(`test,9000,8950,50,120,${470 / 8950},470`);

    const estimates = estimatesTable(result)!;
    // A rate's differences in points, the unit in the header; each interval's width against the plain one.
    expect(estimates.columns.map((c) => c.label)).toEqual(['Estimator', 'Uplift, points', '95 % low, points', '95 % high, points', 'p-value', 'Interval width vs plain']);
    expect(estimates.rows.map((r) => r.label)).toEqual(['Plain (two proportions)', 'Plain, Newcombe’s interval', 'Post-stratified', 'CUPED (ρ = 0.42)']);
    const plain = result.uplift!.absolute;
    expect(estimates.columns[1]!.text(estimates.rows[0]!)).toBe(`+${(plain.estimate * 100).toFixed(2)}`);
    expect(estimates.rows[3]!.width).toBeCloseTo(Math.sqrt(1 - 0.42 ** 2), 5);

    const strata = strataTable(result);
    expect(strata.rows.filter((s) => strata.flagged!(s)).map((s) => s.label)).toEqual(['city = <none>']);
    expect(strata.columns.map((c) => c.text(strata.rows[2]!))).toEqual(['city = <none>', '20', '15', '10 %', '6.7 %', '–', '–', '–', '–', 'Too small to say']);

    const srm = srmTable(result);
    expect(srm.rows.map((r) => [r.name, srm.flagged!(r), srm.columns.map((c) => c.text(r)).slice(1)])).toEqual([
      ['All profiles', false, ['9,000', '1,000', '9,000', '1,000', '0.00', '1.000', 'No']],
      ['Profiles with an outcome', false, ['8,950', '995', '8,951', '994.50', '0.00', '0.987', 'No']],
    ]);
    const skewed = srmTable(analysisFixtureWithSrmMismatch());
    expect(skewed.rows.map((r) => [r.name, skewed.flagged!(r), skewed.columns.at(-1)!.text(r)])[0]).toEqual(['All profiles', true, 'Yes (p < 0.001)']);

    const daily = dailyTable(result);
    expect(daily.columns.map((c) => c.text(daily.rows[0]!))).toEqual(['Fri 17 Apr 2026', '639', '71', '–', '–', '–', '–', '–']);
    expect(tableCsv(daily).split('\r\n')[1]?.split(',')[0]).toBe('2026-04-17');
    const second = daily.rows[1]!;
    expect(daily.columns.map((c) => c.text(second)).slice(3)).toEqual(
      [second.uplift!.estimate, second.uplift!.low, second.uplift!.high, second.sequential![0], second.sequential![1]].map((v) => differenceText(true, v).replace(/ points$/, '')),
    );

    const drift = driftTable(result);
    expect(drift.rows.filter((r) => drift.flagged!(r)).map((r) => r.field)).toEqual(['city']);
    expect(drift.rows.map((r) => drift.columns.map((c) => c.text(r)))).toEqual([
      ['age', '', '41.20', '40.90', '0.024', ''],
      ['city', 'Moscow', '62 %', '56 %', '0.122', 'Imbalanced'],
      ['+tier', '@gold', '10 %', '10 %', '–', ''],
    ]);
    expect(gcgTable(result)!.rows.map((r) => [r.label, r.group.profiles])).toEqual([
      ['Reached by any campaign', 10_400],
      ['GCG', 520],
    ]);
    expect(gcgTable({ ...result, gcg: null })).toBeNull();
  });

  it('lists the warnings but a mismatch explained above the results and the note on daily looks that goes with the chart', () => {
    expect(peekingWarnings(analysisFixture()).map((w) => w.kind)).toEqual(['peeking']);
    expect(listedWarnings(analysisFixture()).map((w) => w.kind)).toEqual(['partial', 'small_strata']);
    expect(listedWarnings(analysisFixtureWithSrmMismatch()).map((w) => w.kind)).toEqual(['partial', 'small_strata']);
    // Without a mismatch to explain above, an engine warning of that kind stays in the list.
    const unexplained = { ...analysisFixture(), warnings: analysisFixtureWithSrmMismatch().warnings };
    expect(listedWarnings(unexplained).map((w) => w.kind)).toEqual(['srm', 'partial', 'small_strata']);
  });

  it('says when the project clock has moved on since the analysis', () => {
    expect(analysisBehindClock(analysisFixture(), '2026-05-01T10:00')).toBe(false);
    expect(analysisBehindClock(analysisFixture(), '2026-05-08T00:00')).toBe(true);
    expect(analysisBehindClock(analysisFixture(), null)).toBe(false);
  });
});
