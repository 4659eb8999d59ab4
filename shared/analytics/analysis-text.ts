/**
 * An analysis's figures as people read them, the same in the HTML report, the CLI's text and
 * the Analytics tab: a rate as a percentage and its differences in percentage points, a mean
 * and its differences as numbers; signs with a true minus; p-values to three decimals.
 */
import type { AnalysisEstimate, AnalysisGroupName, AnalysisResult, MetricDefinition, SampleRatio } from '../contract/analytics';
import { formatChange, formatCount, formatShare, formatValue } from '../format';

export const GROUP_NAMES: Readonly<Record<AnalysisGroupName, string>> = { test: 'Test', lcg: 'LCG', gcg: 'GCG' };

const MINUS = '−';
const dash = '–';

/** A value with its sign, a true minus for negatives ("+1.25", "−0.40"); never "−0.00". */
function signed(text: string, negative: boolean): string {
  const bare = text.replace(/^-/, '');
  const zero = !/[1-9]/.test(bare);
  return `${negative && !zero ? MINUS : '+'}${bare}`;
}

/** A number without a sign of its own but a true minus: "0.1220", "−0.1074", "1,235". */
export function numberText(value: number): string {
  return formatValue(value).replace(/^-/, MINUS);
}

/** A test statistic: "z = −0.268", "t = 2.104, df = 1,234.5". */
export function statisticText(test: 'z' | 't', statistic: number, df: number | null): string {
  const value = `${statistic < 0 && Math.abs(statistic) >= 0.0005 ? MINUS : ''}${Math.abs(statistic).toFixed(3)}`;
  return `${test} = ${value}${df === null ? '' : `, df = ${df.toLocaleString('en-US', { maximumFractionDigits: 1 })}`}`;
}

/** Days on the project clock: "15", "46.1". */
export const daysText = (days: number) => (Number.isInteger(days) ? formatCount(days) : days.toFixed(1));

/** A rate or mean of the metric: "5.3 %" (binary), "52.30" (continuous); "–" without one. */
export function levelText(binary: boolean, value: number | null): string {
  if (value === null) return dash;
  return binary ? formatShare(value) : formatValue(value);
}

/** A Test − LCG difference: of a rate in percentage points ("+1.13 points"), of a mean as a signed number. */
export function differenceText(binary: boolean, value: number): string {
  if (!Number.isFinite(value)) return dash;
  return binary ? `${signed((value * 100).toFixed(2), value < 0)} points` : signed(formatValue(value), value < 0);
}

/** An interval of a difference: "−0.21 to +2.40 points". */
export function intervalText(binary: boolean, low: number, high: number): string {
  const unit = binary ? ' points' : '';
  const bare = (x: number) => differenceText(binary, x).replace(/ points$/, '');
  return `${bare(low)} to ${bare(high)}${unit}`;
}

/** A two-sided p-value: "0.034", "< 0.001"; "–" where none is defined. */
export function pValueText(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return dash;
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** A relative uplift and its interval: "+27 % (−3.1 % to +57 %)". */
export function relativeText(relative: AnalysisEstimate | null): string {
  if (relative === null) return dash;
  return `${formatChange(relative.estimate)} (${formatChange(relative.low)} to ${formatChange(relative.high)})`;
}

/** "p = 0.034", "p < 0.001", "no p-value". */
export function pClause(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return 'no p-value';
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** The confidence level as a label: "95 %". */
export const confidenceText = (confidence: number) => formatShare(confidence);

/** An estimate in one line: "+1.13 points (95 % interval +0.02 to +2.24 points, p = 0.046)". */
export function estimateText(binary: boolean, e: AnalysisEstimate, confidence: number): string {
  return `${differenceText(binary, e.estimate)} (${confidenceText(confidence)} interval ${intervalText(binary, e.low, e.high)}, ${pClause(e.p)})`;
}

/** What the incremental figure counts: conversions, events of a type, an amount, a column's total. */
export function incrementalUnit(metric: MetricDefinition, binary: boolean): string {
  if (binary) return 'conversions';
  if (metric.kind === 'outcome') return `"${metric.column}" total`;
  return metric.measure === 'count' ? `${metric.eventType} events` : `${metric.eventType} amount`;
}

/** An incremental count or amount: whole conversions or events, amounts with about four digits. */
export function incrementalValue(metric: MetricDefinition, binary: boolean, value: number): string {
  const whole = binary || (metric.kind === 'event' && metric.measure === 'count');
  const text = whole ? formatCount(Math.round(value)) : formatValue(value);
  return signed(text, value < 0 && (!whole || Math.round(value) !== 0));
}

/** "+99 conversions (95 % interval +2 to +196)". */
export function incrementalText(result: Pick<AnalysisResult, 'metric' | 'binary' | 'confidence'>, incremental: { estimate: number; low: number; high: number }): string {
  const show = (x: number) => incrementalValue(result.metric, result.binary, x);
  return `${show(incremental.estimate)} ${incrementalUnit(result.metric, result.binary)} (${confidenceText(result.confidence)} interval ${show(incremental.low)} to ${show(incremental.high)})`;
}

/** One of the two sample ratio checks: all profiles, and those with an outcome. */
export interface SrmCheck {
  readonly name: string;
  /** The profiles checked, inside a sentence. */
  readonly among: string;
  readonly srm: SampleRatio;
}

/** The sample ratio checks the analysis has (none before anybody is in the campaign). */
export function srmChecks(result: Pick<AnalysisResult, 'srm' | 'srmWithOutcome'>): SrmCheck[] {
  const checks: SrmCheck[] = [];
  if (result.srm) checks.push({ name: 'All profiles', among: 'all profiles of the campaign', srm: result.srm });
  if (result.srmWithOutcome) checks.push({ name: 'Profiles with an outcome', among: 'the profiles with an outcome', srm: result.srmWithOutcome });
  return checks;
}

/** Whether the warning above the results is shown: a check found a mismatch. */
export const hasSrmMismatch = (result: Pick<AnalysisResult, 'srm' | 'srmWithOutcome'>) => srmChecks(result).some((c) => c.srm.mismatch);

/** The sample ratio check in one line: "Test 9,000 / LCG 1,000, expected 9,000 / 1,000: χ² = 0.00, p = 1.000". */
export function srmLine(srm: SampleRatio): string {
  const [t, c] = srm.observed;
  const [et, ec] = srm.expected;
  const expected = (x: number) => formatCount(Math.round(x * 10) / 10);
  return `Test ${formatCount(t)} / LCG ${formatCount(c)}, expected ${expected(et)} / ${expected(ec)}: χ² = ${srm.chiSquare.toFixed(2)}, ${pClause(srm.p)}`;
}

/**
 * What a sample ratio mismatch means, for the warning above the results. `among` names the
 * profiles checked ("all profiles", "profiles with an outcome").
 */
export function srmExplanation(srm: SampleRatio, plannedLcgShare: number, among: string): string {
  const [t, c] = srm.observed;
  const share = t + c > 0 ? c / (t + c) : 0;
  return (
    `Among ${among}, the LCG holds ${formatShare(share)} (${formatCount(c)} of ${formatCount(t + c)}) where the split planned ${formatShare(plannedLcgShare)}. ` +
    `A difference this large happens by chance less than once in a thousand analyses (${pClause(srm.p)}), ` +
    'so profiles were most likely lost or added unevenly between the groups: a filter or data problem that touched one group more than the other, ' +
    'outcome data missing for one group, or LCG settings changed during the campaign. ' +
    'Until the cause is found, the uplift below may be biased: do not act on it.'
  );
}
