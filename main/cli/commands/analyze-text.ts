/** What `cplan analyze` prints for people: the groups, the uplift, the checks, the strata, the warnings and the sentence to act on. */
import {
  GROUP_NAMES,
  confidenceText,
  daysText,
  differenceText,
  estimateText,
  incrementalText,
  intervalText,
  levelText,
  numberText,
  pClause,
  pValueText,
  relativeText,
  hasSrmMismatch,
  srmChecks,
  srmExplanation,
  srmLine,
  statisticText,
} from '../../../shared/analytics/analysis-text';
import { printMetric } from '../../../shared/analytics/metric-text';
import type { AnalysisResult } from '../../../shared/contract/analytics';
import { formatClock, formatCount, formatShare } from '../../../shared/format';
import { SMD_FLAG } from '../../../shared/stats/balance';
import { table } from '../text-table';

const dash = '–';

/** Labelled lines, the labels padded to one width. */
function labelled(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`);
}

function groupsTable(result: AnalysisResult): string {
  const { binary } = result;
  return table(
    ['Group', 'Profiles', 'With an outcome', 'Missing', 'Partial', binary ? 'Rate' : 'Mean', binary ? 'Conversions' : 'Sum'],
    result.groups.map((g) => [GROUP_NAMES[g.group], formatCount(g.profiles), formatCount(g.withOutcome), formatCount(g.missing), formatCount(g.partial), levelText(binary, g.mean), binary ? formatCount(g.sum) : numberText(g.sum)]),
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

function upliftLines(result: AnalysisResult): string[] {
  const { binary, confidence, uplift } = result;
  if (!uplift) return ['  No uplift can be computed: Test and the LCG both need profiles with an outcome.'];
  const statistic = statisticText(uplift.test, uplift.statistic, uplift.df);
  const rows: [string, string][] = [['Absolute', `${estimateText(binary, uplift.absolute, confidence)}; ${statistic}`]];
  if (uplift.newcombe) rows.push(['Newcombe interval', intervalText(binary, uplift.newcombe[0], uplift.newcombe[1])]);
  rows.push(['Relative', uplift.relative ? `${relativeText(uplift.relative)}, ${pClause(uplift.relative.p)}` : `${dash} (the LCG's ${binary ? 'rate' : 'mean'} is 0)`]);
  rows.push(['Incremental', incrementalText(result, uplift.incremental)]);
  if (result.postStratified) rows.push(['Post-stratified', estimateText(binary, result.postStratified, confidence)]);
  if (result.cuped) {
    const c = result.cuped;
    rows.push(['CUPED', `${estimateText(binary, c.estimate, confidence)}; θ = ${numberText(c.theta)}, ρ = ${numberText(c.rho)}, variance kept ${formatShare(c.varianceFactor)}`]);
  } else if (result.covariate) {
    rows.push(['CUPED', `${dash} (the covariate or the metric does not vary, or a group is too small)`]);
  }
  return labelled(rows);
}

function srmLines(result: AnalysisResult): string[] {
  const checks = srmChecks(result);
  if (checks.length === 0) return ['  Nothing to check: no profile is in the campaign yet.'];
  return labelled(checks.map((c) => [c.name, `${srmLine(c.srm)} (${c.srm.mismatch ? 'MISMATCH' : 'as planned'})`]));
}

function strataTable(result: AnalysisResult): string {
  const { binary } = result;
  return table(
    ['Stratum', 'Test', 'LCG', binary ? 'Test rate' : 'Test mean', binary ? 'LCG rate' : 'LCG mean', 'Uplift', `${confidenceText(result.confidence)} interval`, 'p-value', 'Note'],
    result.strata.map((s) => [
      s.label,
      formatCount(s.testProfiles),
      formatCount(s.lcgProfiles),
      levelText(binary, s.meanTest),
      levelText(binary, s.meanLcg),
      s.uplift ? differenceText(binary, s.uplift.estimate) : dash,
      s.uplift ? intervalText(binary, s.uplift.low, s.uplift.high) : dash,
      s.uplift ? pValueText(s.uplift.p) : dash,
      s.tooSmall ? 'too small to say anything' : '',
    ]),
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
  );
}

function overTimeLines(result: AnalysisResult): string[] {
  const last = [...result.daily].reverse().find((d) => d.uplift !== null);
  const lines: string[] = [];
  if (last) {
    const sequential = last.sequential ? `; allowing for looking every day: ${intervalText(result.binary, last.sequential[0], last.sequential[1])}` : '';
    lines.push(`  By day (${formatCount(result.daily.length)} days, to ${last.day}): ${differenceText(result.binary, last.uplift!.estimate)} (${intervalText(result.binary, last.uplift!.low, last.uplift!.high)})${sequential}.`);
  }
  const g = result.gcg;
  if (g) {
    const vs = g.uplift ? estimateText(result.binary, g.uplift.absolute, result.confidence) : 'no uplift (a group has no outcome)';
    lines.push(`  All campaigns against the GCG (${formatCount(g.reached.profiles)} reached, ${formatCount(g.gcg.profiles)} in the GCG, ${formatClock(g.from)} to ${formatClock(g.to)}): ${vs}.`);
  }
  const age = result.lcgAge;
  if (age.since !== null) {
    const flagged = age.rows.filter((r) => r.flagged);
    const drift = flagged.length === 0 ? 'none' : flagged.map((r) => `${r.field}${r.level === null ? '' : ` = ${r.level}`} (SMD ${r.smd === null ? dash : numberText(r.smd)})`).join(', ');
    lines.push(`  The LCG, held out since ${formatClock(age.since)}${age.days === null ? '' : ` (${daysText(age.days)} days)`}: ${formatCount(flagged.length)} of ${formatCount(age.rows.length)} compared values differ by |SMD| > ${SMD_FLAG}: ${drift}.`);
  }
  return lines;
}

/** The whole text; `after` adds lines about what was kept and written. */
export function analysisText(result: AnalysisResult, after: readonly string[]): string {
  const covariate = result.covariate ? ` Covariate: ${result.covariateLabel ?? ''} (${printMetric(result.covariate)}).` : '';
  const lines = [
    `Campaign "${result.campaignName}": ${result.metricLabel} (${printMetric(result.metric)}).${covariate}`,
    `Project clock ${formatClock(result.clock)}; the split planned ${formatShare(result.plannedLcgShare)} for the LCG.`,
  ];
  for (const check of srmChecks(result).filter((c) => c.srm.mismatch)) {
    lines.push('', `WARNING: the groups are not the sizes the split planned. ${srmExplanation(check.srm, result.plannedLcgShare, check.among)}`);
  }
  lines.push('', groupsTable(result), '', 'Uplift of Test over the LCG:', ...upliftLines(result), '', 'Sample ratio check:', ...srmLines(result));
  if (result.strata.length > 0) lines.push('', strataTable(result));
  const more = overTimeLines(result);
  if (more.length > 0) lines.push('', ...more);
  // The sample ratio warning is the block above when it is shown.
  const warnings = result.warnings.filter((w) => !(w.kind === 'srm' && hasSrmMismatch(result)));
  if (warnings.length > 0) lines.push('', 'Read with care:', ...warnings.map((w) => `  - ${w.text}`));
  lines.push('', result.summary);
  if (after.length > 0) lines.push('', ...after);
  return lines.join('\n');
}
