/**
 * The Analytics tab's rules that need no engine: the metric editor (its fields, the text
 * syntax both ways, the covariate), and the analysis's tables (differences in points with
 * the unit in the header, p-values, marked rows, CSV of raw values) and which warnings go
 * where, on a result with STATS.md §3–§4's reference figures.
 */
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../shared/contract/analytics';
import { printMetric } from '../../shared/analytics/metric-text';
import { covariateFromDraft, draftFromText, emptyAnalyticsForm, formFromAnalysis, metricFromDraft, readDays } from '../../renderer/store/analytics/form';
import { analysisBehindClock, listedWarnings, peekingWarnings } from '../../renderer/store/analytics/selectors';
import { amountText, dailyTable, dayText, driftTable, estimatesTable, gcgTable, groupsTable, srmTable, strataTable, sumLabel } from '../../renderer/store/analytics/tables';
import { tableCsv } from '../../renderer/store/simulator/tables';

const estimate = (value: number, low: number, high: number, p: number | null = null) => ({ estimate: value, se: (high - low) / 3.92, low, high, p });

/** STATS.md §4: 5,040 of 90,000 against 500 of 10,000; §3: 90,400 / 9,600 planned 90/10 is a mismatch. */
function fixture(change: Partial<AnalysisResult> = {}): AnalysisResult {
  return {
    campaignId: 3,
    campaignName: 'Spring',
    metric: { kind: 'event', measure: 'converted', eventType: 'purchase', days: 14, anchor: 'entry', period: 'after' },
    covariate: { kind: 'event', measure: 'converted', eventType: 'purchase', days: 30, anchor: 'entry', period: 'before' },
    metricLabel: 'converted: at least one purchase in the 2 weeks after entry',
    covariateLabel: 'converted: at least one purchase in the 30 days before entry',
    binary: true,
    confidence: 0.95,
    clock: '2023-05-01T00:00',
    analyzedAt: '2026-12-05T09:00:00.000Z',
    plannedLcgShare: 0.1,
    groups: [
      { group: 'test', profiles: 90_400, withOutcome: 90_000, missing: 400, partial: 0, mean: 0.056, variance: 0.056 * 0.944, sum: 5040 },
      { group: 'lcg', profiles: 9_600, withOutcome: 10_000, missing: 0, partial: 12, mean: 0.05, variance: 0.05 * 0.95, sum: 500 },
    ],
    srm: { observed: [90_400, 9_600], expected: [90_000, 10_000], chiSquare: 17.7778, p: 2.48e-5, mismatch: true },
    srmWithOutcome: { observed: [90_000, 10_000], expected: [90_000, 10_000], chiSquare: 0, p: 1, mismatch: false },
    uplift: {
      absolute: estimate(0.006, 0.001472, 0.010528, 0.01284),
      relative: estimate(0.12, 0.0197, 0.2203, 0.0188),
      newcombe: [0.00131205, 0.01037452],
      test: 'z',
      statistic: 2.4882,
      df: null,
      incremental: { estimate: 540, low: 132.48, high: 947.52 },
    },
    postStratified: estimate(0.0072, 0.00257576875, 0.0118242313, 0.0022),
    cuped: { estimate: estimate(0.0058, 0.0021, 0.0095, 0.002), theta: 0.4, rho: 0.5, varianceFactor: 0.75, profiles: 100_000 },
    strata: [
      { stratum: 0, label: 'city = Kazan', testProfiles: 45_000, lcgProfiles: 5_000, meanTest: 0.06, meanLcg: 0.052, uplift: estimate(0.008, 0.001, 0.015, 0.03), tooSmall: false },
      { stratum: 1, label: 'city = Omsk', testProfiles: 40, lcgProfiles: 4, meanTest: 0.05, meanLcg: 0, uplift: null, tooSmall: true },
    ],
    daily: [
      { day: '2023-04-10', testProfiles: 0, lcgProfiles: 0, uplift: null, sequential: null },
      { day: '2023-04-11', testProfiles: 90_000, lcgProfiles: 10_000, uplift: estimate(0.006, 0.001472, 0.010528, 0.01284), sequential: [-0.002, 0.014] },
    ],
    gcg: {
      reached: { group: 'test', profiles: 120_000, withOutcome: 120_000, missing: 0, partial: 0, mean: 0.055, variance: 0.05, sum: 6600 },
      gcg: { group: 'gcg', profiles: 6_000, withOutcome: 6_000, missing: 0, partial: 0, mean: 0.05, variance: 0.0475, sum: 300 },
      uplift: null,
      from: '2023-04-10T00:00',
      to: '2023-05-01T00:00',
    },
    lcgAge: {
      since: '2023-04-10T10:00',
      days: 20.6,
      rows: [
        { field: 'age', level: null, meanTest: 41.2, meanLcg: 39.9, smd: 0.12, flagged: true },
        { field: 'city', level: 'Kazan', meanTest: 0.5, meanLcg: 0.5, smd: -0.004, flagged: false },
      ],
    },
    warnings: [
      { kind: 'srm', text: 'The group sizes do not match the split.' },
      { kind: 'partial', text: '12 profiles have a window that ends after the project clock: the results are partial.' },
      { kind: 'peeking', text: 'Looking every day inflates false positives.' },
    ],
    summary: 'Test converted 0.6 points more often than the LCG.',
    durationMs: 12,
    ...change,
  };
}

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

  it('shows a kept analysis’s metric and covariate in the fields', () => {
    const result = fixture();
    const form = formFromAnalysis(emptyAnalyticsForm(), result.metric, result.covariate);
    expect(metricFromDraft(form.metric).metric).toEqual(result.metric);
    expect(covariateFromDraft(form.covariate, form.metric).covariate).toEqual(result.covariate);
  });
});

describe('an analysis as the tab shows it', () => {
  it('says days as dates, sums as counts or amounts, and names the sum by the measure', () => {
    const result = fixture();
    expect(dayText('2023-04-10')).toBe('Mon 10 Apr 2023');
    expect(amountText(5040)).toBe('5,040');
    expect(amountText(1234.567)).toBe('1,235');
    expect(amountText(12.345)).toBe('12.35');
    expect(sumLabel(result)).toBe('Conversions');
    expect(sumLabel(fixture({ metric: { ...result.metric, measure: 'sum' } as AnalysisResult['metric'], binary: false }))).toBe('Amount');
    expect(sumLabel(fixture({ metric: { kind: 'outcome', column: 'renewed' } }))).toBe('Yes answers');
  });

  it('tables show text and download raw values; too-small strata, a mismatch and imbalanced fields are marked', () => {
    const result = fixture();
    const groups = groupsTable(result);
    expect(groups.columns.map((c) => c.label)).toEqual(['Group', 'Profiles', 'With outcome', 'Missing', 'Partial window', 'Rate', 'Conversions']);
    expect(groups.rows.map((g) => groups.columns.map((c) => c.text(g)))).toEqual([
      ['Test', '90,400', '90,000', '400', '0', '5.6 %', '5,040'],
      ['LCG', '9,600', '10,000', '0', '12', '5.0 %', '500'],
    ]);
    expect(tableCsv(groups).split('\r\n')[1]).toBe('test,90400,90000,400,0,0.056,5040');

    const estimates = estimatesTable(result)!;
    // A rate's differences in points, the unit in the header.
    expect(estimates.columns.map((c) => c.label)).toEqual(['Estimator', 'Uplift, points', '95 % low, points', '95 % high, points', 'p-value', 'Interval width vs plain']);
    expect(estimates.rows.map((r) => [r.label, estimates.columns[1]!.text(r), r.width === null ? null : Number(r.width.toFixed(3))])).toEqual([
      ['Plain (two proportions)', '+0.60', null],
      ['Plain, Newcombe’s interval', '+0.60', 1.001],
      ['Post-stratified', '+0.72', 1.021],
      ['CUPED (ρ = 0.50)', '+0.58', 0.817],
    ]);

    const strata = strataTable(result);
    expect(strata.rows.filter((s) => strata.flagged!(s)).map((s) => s.label)).toEqual(['city = Omsk']);
    expect(strata.columns.map((c) => c.text(strata.rows[1]!))).toEqual(['city = Omsk', '40', '4', '5.0 %', '0 %', '–', '–', '–', '–', 'Too small to say']);

    const srm = srmTable(result);
    expect(srm.rows.map((r) => [r.name, srm.flagged!(r), srm.columns.map((c) => c.text(r)).slice(1)])).toEqual([
      ['All profiles', true, ['90,400', '9,600', '90,000', '10,000', '17.78', '< 0.001', 'Yes (p < 0.001)']],
      ['Profiles with an outcome', false, ['90,000', '10,000', '90,000', '10,000', '0.00', '1.000', 'No']],
    ]);

    const daily = dailyTable(result);
    expect(daily.columns.map((c) => c.text(daily.rows[0]!)).slice(0, 1)).toEqual(['Mon 10 Apr 2023']);
    expect(tableCsv(daily).split('\r\n')[1]?.split(',')[0]).toBe('2023-04-10');
    expect(daily.columns.map((c) => c.text(daily.rows[0]!)).slice(3)).toEqual(['–', '–', '–', '–', '–']);
    expect(daily.columns.map((c) => c.text(daily.rows[1]!)).slice(3)).toEqual(['+0.60', '+0.15', '+1.05', '−0.20', '+1.40']);

    const drift = driftTable(result);
    expect(drift.rows.filter((r) => drift.flagged!(r)).map((r) => r.field)).toEqual(['age']);
    expect(drift.columns.map((c) => c.text(drift.rows[1]!))).toEqual(['city', 'Kazan', '50 %', '50 %', '−0.004', '']);
    expect(gcgTable(result)!.rows.map((r) => r.label)).toEqual(['Reached by any campaign', 'GCG']);
    expect(gcgTable(fixture({ gcg: null }))).toBeNull();
  });

  it('lists the warnings but the mismatch explained above the results and the note on daily looks that goes with the chart', () => {
    expect(peekingWarnings(fixture()).map((w) => w.text)).toEqual(['Looking every day inflates false positives.']);
    expect(listedWarnings(fixture()).map((w) => w.kind)).toEqual(['partial']);
    // Without a mismatch to explain above, an engine warning of that kind stays in the list.
    const noMismatch = fixture({ srm: { ...fixture().srm!, mismatch: false } });
    expect(listedWarnings(noMismatch).map((w) => w.kind)).toEqual(['srm', 'partial']);
  });

  it('says when the project clock has moved on since the analysis', () => {
    expect(analysisBehindClock(fixture(), '2023-05-01T00:00')).toBe(false);
    expect(analysisBehindClock(fixture(), '2023-05-08T00:00')).toBe(true);
    expect(analysisBehindClock(fixture(), null)).toBe(false);
  });
});
