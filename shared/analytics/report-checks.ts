/**
 * The checks part of the HTML report: the sample ratio warning (above the results) and
 * check, the warnings, the uplift by day with its chart, the comparison with the GCG, and
 * the LCG's age and drift.
 */
import type { AnalysisResult, DailyUplift, DriftRow } from '../contract/analytics';
import { formatClock, formatCount, formatShare, formatValue } from '../format';
import { confidenceText, daysText, differenceText, hasSrmMismatch, numberText, intervalText, pValueText, srmChecks, srmExplanation, type SrmCheck } from './analysis-text';
import { groupColumns, upliftFigures } from './report-results';
import { el, section, table, type Column, type Markup } from './report-markup';
import { dailyUpliftChart } from './report-svg';
import { SMD_FLAG } from '../stats/balance';

const dash = '–';

/** The warning above the results when the groups are not the sizes the split planned; null otherwise. */
export function srmWarning(result: AnalysisResult): Markup | null {
  const failed = srmChecks(result).filter((c) => c.srm.mismatch);
  if (failed.length === 0) return null;
  return el(
    'section',
    { id: 'srm-warning', class: 'alert', 'aria-labelledby': 'srm-warning-heading' },
    el('h2', { id: 'srm-warning-heading' }, 'Warning: the groups are not the sizes the split planned'),
    ...failed.map((c) => el('p', {}, srmExplanation(c.srm, result.plannedLcgShare, c.among))),
  );
}

export function srmSection(result: AnalysisResult): Markup {
  const checks = srmChecks(result);
  const expected = (x: number) => formatValue(x);
  const columns: Column<SrmCheck>[] = [
    { header: 'Profiles checked', cell: (c) => c.name },
    { header: 'Test', cell: (c) => formatCount(c.srm.observed[0]), numeric: true },
    { header: 'LCG', cell: (c) => formatCount(c.srm.observed[1]), numeric: true },
    { header: 'Test expected', cell: (c) => expected(c.srm.expected[0]), numeric: true },
    { header: 'LCG expected', cell: (c) => expected(c.srm.expected[1]), numeric: true },
    { header: 'χ²', cell: (c) => c.srm.chiSquare.toFixed(3), numeric: true },
    { header: 'p-value', cell: (c) => pValueText(c.srm.p), numeric: true },
    { header: 'Result', cell: (c) => (c.srm.mismatch ? el('span', { class: 'mark flag' }, 'Mismatch') : 'As planned') },
  ];
  const intro = `The split planned ${formatShare(result.plannedLcgShare)} of the campaign for the LCG. A chi-square test compares the group sizes with that share; p < 0.001 is a mismatch.`;
  if (checks.length === 0) return section('srm', 'Sample ratio check', intro, 'There is nothing to check: no profile is in the campaign yet.');
  return section('srm', 'Sample ratio check', intro, table('srm-table', 'Observed and expected group sizes', columns, checks, (c) => (c.srm.mismatch ? 'flagged' : null)));
}

/** The engine's warnings, in its words (the sample ratio one is the block above when shown). */
export function warningsSection(result: AnalysisResult): Markup | null {
  const shown = result.warnings.filter((w) => !(w.kind === 'srm' && hasSrmMismatch(result)));
  if (shown.length === 0) return null;
  return section('warnings', 'Read with care', el('ul', { class: 'warnings' }, ...shown.map((w) => el('li', { 'data-kind': w.kind }, w.text))));
}

export function dailySection(result: AnalysisResult): Markup {
  const { binary, confidence } = result;
  if (result.daily.length === 0) return section('daily', 'Uplift over time', 'No day on the project clock has profiles whose window has begun yet.');
  const columns: Column<DailyUplift>[] = [
    { header: 'Day', cell: (d) => d.day },
    { header: 'Test', cell: (d) => formatCount(d.testProfiles), numeric: true },
    { header: 'LCG', cell: (d) => formatCount(d.lcgProfiles), numeric: true },
    { header: 'Uplift', cell: (d) => (d.uplift ? differenceText(binary, d.uplift.estimate) : dash), numeric: true },
    { header: `${confidenceText(confidence)} interval`, cell: (d) => (d.uplift ? intervalText(binary, d.uplift.low, d.uplift.high) : dash), numeric: true },
    { header: 'p-value', cell: (d) => (d.uplift ? pValueText(d.uplift.p) : dash), numeric: true },
    { header: 'Interval for looking every day', cell: (d) => (d.sequential ? intervalText(binary, d.sequential[0], d.sequential[1]) : dash), numeric: true },
  ];
  return section(
    'daily',
    'Uplift over time',
    el('figure', { class: 'chart-figure' }, dailyUpliftChart(result.daily, binary, confidence), el('figcaption', {}, 'The cumulative uplift at the end of each day on the project clock, counting the profiles whose window had begun by then.')),
    el(
      'p',
      { class: 'note', id: 'peeking-note' },
      `Looking at the uplift every day and stopping when it looks good inflates false positives: with daily looks, a ${confidenceText(confidence)} interval misses zero by chance far more often than ${formatShare(1 - confidence)} of the time. ` +
        'The wider interval for looking every day (an always-valid confidence sequence) allows for that: decide on it, or on the plain interval at an end fixed in advance.',
    ),
    el('details', {}, el('summary', {}, 'The figures by day'), table('daily-table', 'Cumulative uplift by day', columns, result.daily)),
  );
}

export function gcgSection(result: AnalysisResult): Markup {
  const g = result.gcg;
  if (!g) return section('gcg', 'All campaigns against the GCG', 'No comparison with a global control group: the database has none, or the metric does not come from events.');
  const parts: Markup[] = [
    el('p', {}, `Everyone any campaign of the database reached, against the members of its global control group, measured from ${formatClock(g.from)} to ${formatClock(g.to)}.`),
    table('gcg-groups-table', 'Reached by any campaign and the GCG', groupColumns(result.binary, (row) => (row === g.reached ? 'Reached' : 'GCG')), [g.reached, g.gcg]),
  ];
  parts.push(g.uplift ? upliftFigures(result, g.uplift, 'gcg-uplift-table', 'Reached − GCG') : el('p', { class: 'note' }, 'No uplift can be computed: both groups need profiles with an outcome.'));
  return section('gcg', 'All campaigns against the GCG', ...parts);
}

export function lcgAgeSection(result: AnalysisResult): Markup {
  const age = result.lcgAge;
  const held =
    age.since === null
      ? 'The LCG has not been formed yet (the campaign was never activated).'
      : `The LCG has been held out since ${formatClock(age.since)}${age.days === null ? '' : `: ${daysText(age.days)} days on the project clock`}. The longer a control group is held out, the more its members may drift apart from Test for reasons other than the campaign.`;
  const columns: Column<DriftRow>[] = [
    { header: 'Field', cell: (r) => r.field },
    { header: 'Value', cell: (r) => r.level ?? dash },
    { header: 'Test mean', cell: (r) => numberText(r.meanTest), numeric: true },
    { header: 'LCG mean', cell: (r) => numberText(r.meanLcg), numeric: true },
    { header: 'SMD', cell: (r) => (r.smd === null ? dash : numberText(r.smd)), numeric: true },
    { header: 'Balance', cell: (r) => (r.flagged ? el('span', { class: 'mark flag' }, `Imbalanced: |SMD| > ${SMD_FLAG}`) : r.smd === null ? 'Not comparable' : 'Balanced') },
  ];
  const flagged = age.rows.filter((r) => r.flagged).length;
  return section(
    'lcg-age',
    "The LCG's age and drift",
    held,
    age.rows.length === 0
      ? el('p', { class: 'note' }, 'There are no fields to compare.')
      : table('drift-table', 'Balance of Test and the LCG on the fields today (standardised mean difference)', columns, age.rows, (r) => (r.flagged ? 'flagged' : null)),
    el('p', { class: 'note' }, `${formatCount(flagged)} of ${formatCount(age.rows.length)} compared values differ by |SMD| > ${SMD_FLAG}. For a list field each value is compared as yes/no.`),
  );
}
