/**
 * What an analysis says in words: its warnings (each explains what it means and what to
 * do) and the sentence a marketer can act on. The UI, the CLI and the report show these.
 */
import type { AnalysisResult, AnalysisWarning } from '../../../shared/contract/analytics';
import { differenceText, incrementalText, intervalText, levelText, pClause, srmLine } from '../../../shared/analytics/analysis-text';
import { formatChange, formatCount, formatShare } from '../../../shared/format';
import { sequentialWideningText } from '../../../shared/stats/sequential';

type Figures = Omit<AnalysisResult, 'warnings' | 'summary' | 'durationMs'>;

export function warningsOf(r: Figures, facts: { forced: number; unknownProfiles: number; stratified: boolean }): AnalysisWarning[] {
  const out: AnalysisWarning[] = [];
  const test = r.groups.find((g) => g.group === 'test');
  const lcg = r.groups.find((g) => g.group === 'lcg');
  if (r.srm?.mismatch) {
    out.push({
      kind: 'srm',
      text: `Sample ratio mismatch: ${srmLine(r.srm)}, where the split planned ${formatShare(1 - r.plannedLcgShare)} / ${formatShare(r.plannedLcgShare)}. Groups this far from the plan are rarely chance: something other than the split decided who is in which group (profiles moved or removed by hand, a group losing more leavers). Until the cause is found, the uplift below may be biased.`,
    });
  }
  if (r.srmWithOutcome?.mismatch && !r.srm?.mismatch) {
    out.push({
      kind: 'srm',
      text: `Among the profiles with an outcome, the groups are not in the planned ratio (${srmLine(r.srmWithOutcome)}): outcomes are missing more in one group than in the other, so the uplift may be biased.`,
    });
  }
  const partial = r.groups.reduce((n, g) => n + (g.group === 'gcg' ? 0 : g.partial), 0);
  if (partial > 0) {
    out.push({
      kind: 'partial',
      text: `Results are partial: for ${formatCount(partial)} profiles the window ends after the project clock (${r.clock}), so their outcome so far is counted. Advance the clock past the end of their windows for the final figures.`,
    });
  }
  for (const g of [test, lcg]) {
    if (g && g.withOutcome === 0) {
      out.push({ kind: 'empty_group', text: `${g.group === 'test' ? 'Test' : 'The LCG'} has no profiles with an outcome yet${g.profiles > 0 ? ` (of ${formatCount(g.profiles)})` : ''}: there is nothing to compare.` });
    }
  }
  if (test && lcg && test.withOutcome > 0 && lcg.withOutcome > 0 && test.variance === 0 && lcg.variance === 0) {
    out.push({ kind: 'no_variance', text: `The metric has the same value (${levelText(r.binary, test.mean)}) for every profile in both groups: it cannot show a difference. Check the event type and how long the window is.` });
  }
  const missing = (test?.missing ?? 0) + (lcg?.missing ?? 0);
  if (missing > 0) {
    out.push({
      kind: 'missing_outcomes',
      text:
        r.metric.kind === 'outcome'
          ? `${formatCount(missing)} profiles of Test and the LCG have no row (or an empty cell) in the outcome file; they are left out of the rates and means, and the sample ratio check is run again on those that have one.`
          : `${formatCount(missing)} profiles of Test and the LCG have no outcome yet (their window has not begun by ${r.clock}); they are left out of the rates and means.`,
    });
  }
  if (facts.unknownProfiles > 0) out.push({ kind: 'unknown_profiles', text: `The outcome file had ${formatCount(facts.unknownProfiles)} IDs of no profile in this database; they were left out.` });
  if (facts.forced > 0) out.push({ kind: 'missing_outcomes', text: `${formatCount(facts.forced)} profiles forced into Test by hand are left out: they were not assigned at random.` });
  const small = r.strata.filter((s) => s.tooSmall).length;
  if (small > 0 && r.strata.length > 1) out.push({ kind: 'small_strata', text: `${small} of ${r.strata.length} strata are too small to say anything alone (marked in the table); they still count in the totals${facts.stratified ? ' and the post-stratified estimate' : ''}.` });
  const lastLook = r.daily[r.daily.length - 1];
  if (r.daily.length > 1 && lastLook?.uplift) {
    const plain = [lastLook.uplift.low, lastLook.uplift.high] as const;
    const bound = (v: number) => differenceText(r.binary, v);
    out.push({
      kind: 'peeking',
      text: lastLook.sequential
        ? `${sequentialWideningText(plain, lastLook.sequential, r.confidence, bound)} Judge the campaign once its planned window is over, or by that wider interval.`
        : 'Looking at the uplift every day and stopping when it looks significant makes a false positive far more likely than 5 %: judge the campaign once its planned window is over.',
    });
  }
  return out;
}

export function summaryOf(r: Figures): string {
  const test = r.groups.find((g) => g.group === 'test');
  const lcg = r.groups.find((g) => g.group === 'lcg');
  const u = r.uplift;
  if (!test || !lcg || !u || test.mean === null || lcg.mean === null) {
    return `No uplift yet on ${r.metricLabel}: Test and the LCG need profiles with an outcome${r.binary ? '' : ' and a metric that varies'}.`;
  }
  const what = r.binary ? 'converted at' : 'averaged';
  const interval = intervalText(r.binary, u.absolute.low, u.absolute.high);
  const relative = u.relative ? ` (${formatChange(u.relative.estimate)})` : '';
  const head = `Test ${what} ${levelText(r.binary, test.mean)} against ${levelText(r.binary, lcg.mean)} in the LCG: ${differenceText(r.binary, u.absolute.estimate)}${relative}, 95 % interval ${interval}, ${pClause(u.absolute.p)}.`;
  const sure = u.absolute.low > 0 || u.absolute.high < 0;
  const among = `among the ${formatCount(test.withOutcome)} Test profiles`;
  const verdict = sure
    ? u.absolute.estimate > 0
      ? ` The campaign raised ${r.metricLabel}: ${incrementalText(r, u.incremental)} ${among}.`
      : ` The campaign lowered ${r.metricLabel}: ${incrementalText(r, u.incremental)} ${among}. Look at what it sends.`
    : ` The interval includes zero: the data cannot yet tell the campaign's effect from none (it may lie anywhere from ${interval}). Keep the LCG and let it run longer, or accept that the effect is small.`;
  const srm = r.srm?.mismatch ? ' Check the sample ratio warning first: the groups are not the sizes the split planned.' : '';
  return `${head}${verdict}${srm}`;
}
