/**
 * What an analysis says in words: its warnings (each explains what it means and what to
 * do) and the sentence a marketer can act on. The UI, the CLI and the report show these.
 */
import type { AnalysisEstimate, AnalysisResult, AnalysisWarning } from '../../../shared/contract/analytics';
import { formatChange, formatCount, formatShare, formatValue } from '../../../shared/format';

type Figures = Omit<AnalysisResult, 'warnings' | 'summary' | 'durationMs'>;

/** A difference as it reads: points for rates ("+0.60 points"), the value for means ("+2.20"). */
export function formatDifference(value: number, binary: boolean): string {
  const sign = value < 0 ? '−' : '+';
  if (binary) return `${sign}${formatValue(Math.abs(value) * 100)} points`;
  return `${sign}${formatValue(Math.abs(value))}`;
}

const level = (binary: boolean, mean: number | null) => (mean === null ? '–' : binary ? formatShare(mean) : formatValue(mean));

/** The widening for looking every day; null until the sequential interval is wired (shared/stats). */
export function sequentialBand(_confidence: number): ((estimate: AnalysisEstimate, n: number) => [number, number] | null) | null {
  return null;
}

export function warningsOf(r: Figures, facts: { forced: number; unknownProfiles: number; stratified: boolean }): AnalysisWarning[] {
  const out: AnalysisWarning[] = [];
  const test = r.groups.find((g) => g.group === 'test');
  const lcg = r.groups.find((g) => g.group === 'lcg');
  if (r.srm?.mismatch) {
    out.push({
      kind: 'srm',
      text: `Sample ratio mismatch: Test has ${formatCount(r.srm.observed[0])} and the LCG ${formatCount(r.srm.observed[1])} profiles, where the split planned ${formatShare(1 - r.plannedLcgShare)} / ${formatShare(r.plannedLcgShare)} (χ² = ${r.srm.chiSquare.toFixed(2)}, p = ${pValue(r.srm.p)}). Groups this far from the plan are rarely chance: something other than the split decided who is in which group (profiles moved or removed by hand, a group losing more leavers). Until the cause is found, the uplift below may be biased.`,
    });
  }
  if (r.srmWithOutcome?.mismatch && !r.srm?.mismatch) {
    out.push({
      kind: 'srm',
      text: `Among the profiles with an outcome, the groups are not in the planned ratio (Test ${formatCount(r.srmWithOutcome.observed[0])}, LCG ${formatCount(r.srmWithOutcome.observed[1])}; p = ${pValue(r.srmWithOutcome.p)}): outcomes are missing more in one group than in the other, so the uplift may be biased.`,
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
    out.push({ kind: 'no_variance', text: `The metric has the same value (${level(r.binary, test.mean)}) for every profile in both groups: it cannot show a difference. Check the event type and how long the window is.` });
  }
  const missing = (test?.missing ?? 0) + (lcg?.missing ?? 0);
  if (missing > 0) {
    out.push({
      kind: 'missing_outcomes',
      text:
        r.metric.kind === 'outcome'
          ? `${formatCount(missing)} profiles of Test and the LCG have no row (or an empty cell) in the outcome file; they are left out of the rates and means, and the sample ratio check above is also run on those that have one.`
          : `${formatCount(missing)} profiles of Test and the LCG have no outcome yet (their window has not begun by ${r.clock}); they are left out of the rates and means.`,
    });
  }
  if (facts.unknownProfiles > 0) out.push({ kind: 'unknown_profiles', text: `The outcome file had ${formatCount(facts.unknownProfiles)} IDs of no profile in this database; they were left out.` });
  if (facts.forced > 0) out.push({ kind: 'missing_outcomes', text: `${formatCount(facts.forced)} profiles forced into Test by hand are left out: they were not assigned at random.` });
  const small = r.strata.filter((s) => s.tooSmall).length;
  if (small > 0 && r.strata.length > 1) out.push({ kind: 'small_strata', text: `${small} of ${r.strata.length} strata are too small to say anything alone (marked in the table); they still count in the totals${facts.stratified ? ' and the post-stratified estimate' : ''}.` });
  if (r.daily.length > 1) {
    out.push({
      kind: 'peeking',
      text: 'Looking at the uplift every day and stopping when it looks significant inflates false positives well above 5 %: judge the campaign at the end of its planned window, or by the sequential interval, which stays valid however often you look.',
    });
  }
  return out;
}

const pValue = (p: number) => (p < 0.0001 ? p.toExponential(1) : p.toFixed(4));

export function summaryOf(r: Figures): string {
  const test = r.groups.find((g) => g.group === 'test');
  const lcg = r.groups.find((g) => g.group === 'lcg');
  const u = r.uplift;
  if (!test || !lcg || !u || test.mean === null || lcg.mean === null) {
    return `No uplift yet on ${r.metricLabel}: Test and the LCG need profiles with an outcome${r.binary ? '' : ' and a metric that varies'}.`;
  }
  const what = r.binary ? 'converted at' : 'averaged';
  const diff = formatDifference(u.absolute.estimate, r.binary);
  const interval = `${formatDifference(u.absolute.low, r.binary)} to ${formatDifference(u.absolute.high, r.binary)}`;
  const relative = u.relative ? ` (${formatChange(u.relative.estimate)})` : '';
  const p = u.absolute.p === null ? '' : `; p = ${pValue(u.absolute.p)}`;
  const unit = r.binary ? 'conversions' : r.metric.kind === 'event' && r.metric.measure === 'count' ? 'events' : 'in total';
  const incremental = `${formatValue(u.incremental.estimate)} ${unit} (${formatValue(u.incremental.low)} to ${formatValue(u.incremental.high)})`;
  const head = `Test ${what} ${level(r.binary, test.mean)} against ${level(r.binary, lcg.mean)} in the LCG: ${diff}${relative}, 95 % interval ${interval}${p}.`;
  const sure = u.absolute.low > 0 || u.absolute.high < 0;
  const verdict = sure
    ? u.absolute.estimate > 0
      ? ` The campaign raised ${r.metricLabel}: about ${incremental.replace(/^-/, '')} more among the ${formatCount(test.withOutcome)} Test profiles.`
      : ` The campaign lowered ${r.metricLabel}: about ${incremental} among the ${formatCount(test.withOutcome)} Test profiles. Look at what it sends.`
    : ` The interval includes zero: the data cannot yet tell the campaign's effect from none (it may lie anywhere from ${interval}). Keep the LCG and let it run longer, or accept that the effect is small.`;
  const srm = r.srm?.mismatch ? ' Check the sample ratio warning first: the groups are not the sizes the split planned.' : '';
  return `${head}${verdict}${srm}`;
}
