/**
 * The results part of the HTML report: the summary, the groups, the uplift of Test over the
 * LCG, the plain, post-stratified and CUPED estimates side by side, and the strata.
 */
import { MIN_STRATUM_GROUP, type AnalysisEstimate, type AnalysisGroup, type AnalysisResult, type StratumAnalysis, type Uplift } from '../contract/analytics';
import { formatChange, formatCount, formatShare, formatValue } from '../format';
import {
  GROUP_NAMES,
  confidenceText,
  differenceText,
  incrementalText,
  intervalText,
  levelText,
  numberText,
  pValueText,
  relativeText,
  statisticText,
} from './analysis-text';
import { el, figures, join, section, table, type Column, type Markup } from './report-markup';

const dash = '–';

/** The summary sentence and the headline figures. */
export function summarySection(result: AnalysisResult): Markup {
  const u = result.uplift;
  const headline = u
    ? el(
        'ul',
        { class: 'headline' },
        el('li', {}, el('span', { class: 'label' }, 'Uplift'), el('strong', {}, differenceText(result.binary, u.absolute.estimate))),
        el('li', {}, el('span', { class: 'label' }, `${confidenceText(result.confidence)} interval`), el('strong', {}, intervalText(result.binary, u.absolute.low, u.absolute.high))),
        el('li', {}, el('span', { class: 'label' }, 'Relative'), el('strong', {}, u.relative ? formatChange(u.relative.estimate) : dash)),
        el('li', {}, el('span', { class: 'label' }, 'p-value'), el('strong', {}, pValueText(u.absolute.p))),
      )
    : el('p', { class: 'note' }, 'There is no uplift to show: Test and the LCG both need profiles with an outcome.');
  return section('summary', 'In short', el('p', { class: 'summary' }, result.summary), headline);
}

/** The columns of a group table (the analysis's groups, and the GCG comparison's). */
export function groupColumns(binary: boolean, name: (g: AnalysisGroup) => string = (g) => GROUP_NAMES[g.group]): Column<AnalysisGroup>[] {
  return [
    { header: 'Group', cell: name },
    { header: 'Profiles', cell: (g) => formatCount(g.profiles), numeric: true },
    { header: 'With an outcome', cell: (g) => formatCount(g.withOutcome), numeric: true },
    { header: 'Missing', cell: (g) => formatCount(g.missing), numeric: true },
    { header: 'Partial window', cell: (g) => formatCount(g.partial), numeric: true },
    { header: binary ? 'Rate' : 'Mean', cell: (g) => levelText(binary, g.mean), numeric: true },
    { header: binary ? 'Conversions' : 'Sum', cell: (g) => (binary ? formatCount(g.sum) : numberText(g.sum)), numeric: true },
    { header: 'Variance', cell: (g) => (g.variance === null ? dash : formatValue(g.variance)), numeric: true },
  ];
}

export function groupsSection(result: AnalysisResult): Markup {
  return section(
    'groups',
    'Groups',
    table('groups-table', `Profiles and ${result.binary ? 'rate' : 'mean'} of the metric per group`, groupColumns(result.binary), result.groups),
    el('p', { class: 'note' }, 'Missing: profiles without an outcome (no window begun yet, or no row in the outcome file). Partial window: profiles whose window ends after the project clock, so their outcome may still grow.'),
  );
}

/** The figures of one uplift (Test over the LCG, or everyone reached over the GCG). */
export function upliftFigures(result: AnalysisResult, uplift: Uplift, id: string, caption: string): Markup {
  const { binary, confidence } = result;
  const a = uplift.absolute;
  const testName = uplift.test === 'z' ? 'two proportions, pooled z-test' : "Welch's t-test";
  const rows: [string, string][] = [
    [binary ? 'Absolute uplift (difference of the rates)' : 'Absolute uplift (difference of the means)', differenceText(binary, a.estimate)],
    [`${confidenceText(confidence)} interval`, intervalText(binary, a.low, a.high)],
    ['Standard error', binary ? `${formatValue(a.se * 100)} points` : formatValue(a.se)],
    [`p-value (${testName})`, pValueText(a.p)],
    ['Test statistic', statisticText(uplift.test, uplift.statistic, uplift.df)],
  ];
  if (uplift.newcombe) rows.push([`Newcombe ${confidenceText(confidence)} interval`, intervalText(binary, uplift.newcombe[0], uplift.newcombe[1])]);
  rows.push(['Relative uplift (delta method)', uplift.relative ? relativeText(uplift.relative) : 'none: the rate or mean it is compared with is 0']);
  if (uplift.relative) rows.push(['p-value of the relative uplift', pValueText(uplift.relative.p)]);
  rows.push([binary ? 'Incremental conversions' : 'Incremental total', incrementalText(result, uplift.incremental)]);
  return figures(id, caption, rows);
}

export function upliftSection(result: AnalysisResult): Markup {
  if (!result.uplift) return section('uplift', 'Uplift of Test over the LCG', 'No uplift can be computed: Test and the LCG both need profiles with an outcome (see the warnings).');
  return section(
    'uplift',
    'Uplift of Test over the LCG',
    upliftFigures(result, result.uplift, 'uplift-table', `Test − LCG on ${result.metricLabel}`),
    el('p', { class: 'note' }, `Incremental: the uplift × the ${formatCount(testWithOutcome(result))} Test profiles with an outcome, with the interval's bounds × the same.`),
  );
}

const testWithOutcome = (result: AnalysisResult) => result.groups.find((g) => g.group === 'test')?.withOutcome ?? 0;

interface EstimateRow {
  readonly name: string;
  readonly how: string;
  readonly estimate: AnalysisEstimate;
}

/** The plain estimate next to the post-stratified and CUPED ones, with their intervals. */
export function estimatesSection(result: AnalysisResult): Markup {
  const { binary, confidence } = result;
  const rows: EstimateRow[] = [];
  if (result.uplift) rows.push({ name: 'Plain', how: 'Test − LCG over all profiles with an outcome', estimate: result.uplift.absolute });
  if (result.postStratified) rows.push({ name: 'Post-stratified', how: 'the strata weighted by their share of the audience', estimate: result.postStratified });
  if (result.cuped) rows.push({ name: 'CUPED', how: `adjusted by ${result.covariateLabel ?? 'the covariate'}`, estimate: result.cuped.estimate });
  const columns: Column<EstimateRow>[] = [
    { header: 'Estimate', cell: (r) => r.name },
    { header: 'How', cell: (r) => r.how },
    { header: 'Uplift', cell: (r) => differenceText(binary, r.estimate.estimate), numeric: true },
    { header: `${confidenceText(confidence)} interval`, cell: (r) => intervalText(binary, r.estimate.low, r.estimate.high), numeric: true },
    { header: 'Interval width', cell: (r) => differenceText(binary, r.estimate.high - r.estimate.low).replace(/^\+/, ''), numeric: true },
    { header: 'p-value', cell: (r) => pValueText(r.estimate.p), numeric: true },
  ];
  const parts: Markup[] = [table('estimates-table', 'The plain estimate and the variance-reduced ones', columns, rows)];
  const c = result.cuped;
  if (c) {
    parts.push(
      figures('cuped-table', `CUPED with ${result.covariateLabel ?? 'the covariate'}`, [
        ['θ (the covariate’s coefficient)', numberText(c.theta)],
        ['ρ (correlation of the covariate and the metric)', numberText(c.rho)],
        ['Variance kept (1 − ρ²)', formatShare(c.varianceFactor)],
        ['Profiles with the metric and the covariate', formatCount(c.profiles)],
      ]),
    );
  }
  const missing = [
    result.postStratified ? null : 'no post-stratified estimate (the campaign is not stratified, or no stratum has both groups)',
    c ? null : result.covariate ? 'no CUPED estimate (the covariate or the metric does not vary, or a group is too small)' : 'no CUPED estimate (no covariate was chosen)',
  ].filter((x): x is string => x !== null);
  if (missing.length > 0) parts.push(el('p', { class: 'note' }, `There is ${missing.join(', and ')}.`));
  return section('estimates', 'Plain, post-stratified and CUPED estimates', ...parts);
}

export function strataSection(result: AnalysisResult): Markup {
  if (result.strata.length === 0) return section('strata', 'Strata', 'The campaign is not stratified: there is no per-stratum table.');
  const { binary, confidence } = result;
  const columns: Column<StratumAnalysis>[] = [
    { header: 'Stratum', cell: (s) => s.label },
    { header: 'Test', cell: (s) => formatCount(s.testProfiles), numeric: true },
    { header: 'LCG', cell: (s) => formatCount(s.lcgProfiles), numeric: true },
    { header: binary ? 'Test rate' : 'Test mean', cell: (s) => levelText(binary, s.meanTest), numeric: true },
    { header: binary ? 'LCG rate' : 'LCG mean', cell: (s) => levelText(binary, s.meanLcg), numeric: true },
    { header: 'Uplift', cell: (s) => (s.uplift ? differenceText(binary, s.uplift.estimate) : dash), numeric: true },
    { header: `${confidenceText(confidence)} interval`, cell: (s) => (s.uplift ? intervalText(binary, s.uplift.low, s.uplift.high) : dash), numeric: true },
    { header: 'p-value', cell: (s) => (s.uplift ? pValueText(s.uplift.p) : dash), numeric: true },
    { header: 'Note', cell: (s) => (s.tooSmall ? el('span', { class: 'mark' }, 'Too small to say anything') : '') },
  ];
  const small = result.strata.filter((s) => s.tooSmall).length;
  return section(
    'strata',
    'Strata',
    table('strata-table', 'Size, rate and uplift per stratum', columns, result.strata, (s) => (s.tooSmall ? 'too-small' : null)),
    el('p', { class: 'note' }, small > 0 ? `${formatCount(small)} of ${formatCount(result.strata.length)} strata are marked too small: a group has fewer than ${MIN_STRATUM_GROUP} profiles with an outcome there, so their own uplift would say nothing.` : `Every stratum has at least ${MIN_STRATUM_GROUP} profiles with an outcome in each group.`),
  );
}

export const resultsSections = (result: AnalysisResult): Markup => join([groupsSection(result), upliftSection(result), estimatesSection(result), strataSection(result)]);
