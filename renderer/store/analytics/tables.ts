/**
 * An analysis's figures as the Analytics tab shows them: the words for values, differences,
 * intervals and p-values, and each table defined once (the screen shows a column's text,
 * its CSV download the raw value), like the simulator's tables.
 */
import type {
  AnalysisEstimate,
  AnalysisGroup,
  AnalysisGroupName,
  AnalysisResult,
  DailyUplift,
  DriftRow,
  SampleRatio,
  StratumAnalysis,
} from '../../../shared/contract/analytics';
import { MIN_STRATUM_GROUP } from '../../../shared/contract/analytics';
import { formatChange, formatCount, formatPValue, formatShare, formatValue } from '../../../shared/format';
import { fieldLevelColumns, fixedText, levelKey, type ResultTableData, type TableColumn } from '../simulator/tables';

export const GROUP_LABELS: Readonly<Record<AnalysisGroupName, string>> = { test: 'Test', lcg: 'LCG', gcg: 'GCG of the segment' };

/** A rate as a percentage, a mean as a number. */
export function valueText(binary: boolean, value: number | null): string {
  if (value === null) return '—';
  return binary ? formatShare(value) : formatValue(value);
}

/** A signed number with a true minus ("+0.42", "−1.30"), to `digits` decimals or about four significant digits; no sign on what rounds to 0. */
export function signedNumber(value: number, digits?: number): string {
  const magnitude = Math.abs(value);
  const text = digits === undefined ? formatValue(magnitude) : magnitude.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (Number(text.replace(/,/g, '')) === 0) return text;
  return `${value < 0 ? '−' : '+'}${text}`;
}

/** Percentage points to two decimals: a rate's difference of 0.004 is "+0.40 points". */
const POINT_DIGITS = 2;

/** A sum of the metric: whole counts as counts, amounts as measured values. */
export function amountText(value: number): string {
  return Number.isInteger(value) ? formatCount(value) : formatValue(value);
}

/** A Test − LCG difference: of a rate in percentage points ("+0.42 points"), of a mean as a signed number. */
export function differenceText(binary: boolean, value: number): string {
  return binary ? `${signedNumber(value * 100, POINT_DIGITS)} points` : signedNumber(value);
}

/** An interval of a difference: "−0.12 to +0.96 points". */
export function intervalText(binary: boolean, low: number, high: number): string {
  const scale = binary ? 100 : 1;
  const digits = binary ? POINT_DIGITS : undefined;
  return `${signedNumber(low * scale, digits)} to ${signedNumber(high * scale, digits)}${binary ? ' points' : ''}`;
}

/** "p = 0.034", "p < 0.001". */
export function pPhrase(p: number): string {
  const text = formatPValue(p);
  return text.startsWith('<') ? `p ${text}` : `p = ${text}`;
}

/** An estimate with its interval and p-value, in one line: "+0.42 points (95 % interval −0.12 to +0.96 points; p = 0.128)". */
export function estimateText(binary: boolean, e: AnalysisEstimate): string {
  return `${differenceText(binary, e.estimate)} (95 % interval ${intervalText(binary, e.low, e.high)}${e.p === null ? '' : `; ${pPhrase(e.p)}`})`;
}

/** A relative uplift with its interval: "+8.4 % (95 % interval −2.1 % to +19 %)". */
export function relativeText(e: AnalysisEstimate): string {
  return `${formatChange(e.estimate)} (95 % interval ${formatChange(e.low)} to ${formatChange(e.high)})`;
}

/** What the metric's sum is called: conversions, events, or an amount. */
export function sumLabel(result: AnalysisResult): string {
  const { metric } = result;
  if (metric.kind === 'outcome') return result.binary ? 'Yes answers' : 'Sum';
  return metric.measure === 'converted' ? 'Conversions' : metric.measure === 'count' ? 'Events' : 'Amount';
}

/** The incremental effect in words: "incremental conversions", "incremental events", "incremental amount". */
export function incrementalLabel(result: AnalysisResult): string {
  return `Incremental ${sumLabel(result).toLowerCase()}`;
}

const number = <T>(key: string, label: string, get: (row: T) => number | null, text: (v: number) => string = formatCount): TableColumn<T> => ({
  key,
  label,
  numeric: true,
  text: (row) => {
    const v = get(row);
    return v === null ? '—' : text(v);
  },
  value: get,
});

/** Test, LCG (and the GCG of the segment): profiles, those with an outcome, missing, partial windows, rate or mean, sum. */
export function groupsTable(result: AnalysisResult): ResultTableData<AnalysisGroup> {
  const { binary } = result;
  return {
    name: 'analysis-groups',
    label: 'Groups',
    rows: result.groups,
    rowKey: (g) => g.group,
    columns: [
      { key: 'group', label: 'Group', text: (g) => GROUP_LABELS[g.group], value: (g) => g.group },
      number('profiles', 'Profiles', (g) => g.profiles),
      number('withOutcome', 'With outcome', (g) => g.withOutcome),
      number('missing', 'Missing', (g) => g.missing),
      number('partial', 'Partial window', (g) => g.partial),
      number('mean', binary ? 'Rate' : 'Mean', (g) => g.mean, (v) => valueText(binary, v)),
      number('sum', sumLabel(result), (g) => g.sum, amountText),
    ],
  };
}

/** One row of the estimates table: an estimator of the uplift with its interval. */
export interface EstimateRow {
  readonly key: string;
  readonly label: string;
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly p: number | null;
  /** The interval's width as a share of the plain one's (null for the plain one). */
  readonly width: number | null;
}

/** The plain estimate (and Newcombe's interval for a rate), the post-stratified and the CUPED one, side by side. */
export function estimatesTable(result: AnalysisResult): ResultTableData<EstimateRow> | null {
  const { uplift, binary } = result;
  if (!uplift) return null;
  const plain = uplift.absolute;
  const plainWidth = plain.high - plain.low;
  const row = (key: string, label: string, e: { estimate: number; low: number; high: number; p: number | null }): EstimateRow => ({
    key,
    label,
    estimate: e.estimate,
    low: e.low,
    high: e.high,
    p: e.p,
    width: key === 'plain' || plainWidth <= 0 ? null : (e.high - e.low) / plainWidth,
  });
  const rows: EstimateRow[] = [row('plain', uplift.test === 'z' ? 'Plain (two proportions)' : 'Plain (Welch)', plain)];
  if (uplift.newcombe) rows.push(row('newcombe', 'Plain, Newcombe’s interval', { estimate: plain.estimate, low: uplift.newcombe[0], high: uplift.newcombe[1], p: null }));
  if (result.postStratified) rows.push(row('stratified', 'Post-stratified', result.postStratified));
  if (result.cuped) rows.push(row('cuped', `CUPED (ρ = ${result.cuped.rho.toFixed(2)})`, result.cuped.estimate));
  const diff = (v: number) => differenceText(binary, v);
  return {
    name: 'analysis-estimates',
    label: 'Uplift by estimator',
    rows,
    rowKey: (r) => r.key,
    columns: [
      { key: 'estimator', label: 'Estimator', text: (r) => r.label, value: (r) => r.label },
      number('estimate', 'Uplift', (r) => r.estimate, diff),
      number('low', '95 % low', (r) => r.low, diff),
      number('high', '95 % high', (r) => r.high, diff),
      number('p', 'p-value', (r) => r.p, formatPValue),
      number('width', 'Interval width vs plain', (r) => r.width, formatShare),
    ],
  };
}

/** A sample ratio check with what it was run on. */
export interface SrmRow {
  readonly key: string;
  readonly label: string;
  readonly srm: SampleRatio;
}

export function srmRows(result: AnalysisResult): SrmRow[] {
  const rows: SrmRow[] = [];
  if (result.srm) rows.push({ key: 'all', label: 'All assigned', srm: result.srm });
  if (result.srmWithOutcome) rows.push({ key: 'outcome', label: 'With an outcome', srm: result.srmWithOutcome });
  return rows;
}

/** Observed Test and LCG sizes against the planned split, for all assigned profiles and for those with an outcome. */
export function srmTable(result: AnalysisResult): ResultTableData<SrmRow> {
  return {
    name: 'analysis-sample-ratio',
    label: 'Sample ratio check',
    rows: srmRows(result),
    rowKey: (r) => r.key,
    flagged: (r) => r.srm.mismatch,
    columns: [
      { key: 'profiles', label: 'Profiles', text: (r) => r.label, value: (r) => r.label },
      number('testObserved', 'Test', (r) => r.srm.observed[0]),
      number('lcgObserved', 'LCG', (r) => r.srm.observed[1]),
      number('testExpected', 'Test expected', (r) => r.srm.expected[0], formatValue),
      number('lcgExpected', 'LCG expected', (r) => r.srm.expected[1], formatValue),
      number('chiSquare', 'χ²', (r) => r.srm.chiSquare, (v) => v.toFixed(2)),
      number('p', 'p-value', (r) => r.srm.p, formatPValue),
      { key: 'mismatch', label: 'Mismatch', text: (r) => (r.srm.mismatch ? 'Yes (p < 0.001)' : 'No'), value: (r) => r.srm.mismatch },
    ],
  };
}

/** Each stratum's sizes, rates and uplift; strata too small to say anything marked. */
export function strataTable(result: AnalysisResult): ResultTableData<StratumAnalysis> {
  const { binary } = result;
  const diff = (v: number) => differenceText(binary, v);
  return {
    name: 'analysis-strata',
    label: 'Strata',
    rows: result.strata,
    rowKey: (s) => String(s.stratum),
    flagged: (s) => s.tooSmall,
    columns: [
      { key: 'stratum', label: 'Stratum', text: (s) => s.label, value: (s) => s.label },
      number('test', 'Test', (s) => s.testProfiles),
      number('lcg', 'LCG', (s) => s.lcgProfiles),
      number('meanTest', binary ? 'Test rate' : 'Test mean', (s) => s.meanTest, (v) => valueText(binary, v)),
      number('meanLcg', binary ? 'LCG rate' : 'LCG mean', (s) => s.meanLcg, (v) => valueText(binary, v)),
      number('uplift', 'Uplift', (s) => s.uplift?.estimate ?? null, diff),
      number('low', '95 % low', (s) => s.uplift?.low ?? null, diff),
      number('high', '95 % high', (s) => s.uplift?.high ?? null, diff),
      number('p', 'p-value', (s) => s.uplift?.p ?? null, formatPValue),
      { key: 'note', label: 'Note', text: (s) => (s.tooSmall ? 'Too small to say' : ''), value: (s) => s.tooSmall },
    ],
  };
}

/** Why a stratum is marked, for the note under its table. */
export const STRATA_NOTE = `Strata where Test or the LCG has fewer than ${MIN_STRATUM_GROUP} profiles with an outcome are too small to say anything on their own: they are marked, and count only in the overall and post-stratified estimates.`;

/** The cumulative uplift at the end of each day, with the plain and the sequential interval. */
export function dailyTable(result: AnalysisResult): ResultTableData<DailyUplift> {
  const { binary } = result;
  const diff = (v: number) => differenceText(binary, v);
  return {
    name: 'analysis-uplift-by-day',
    label: 'Uplift by day',
    rows: result.daily,
    rowKey: (d) => d.day,
    columns: [
      { key: 'day', label: 'Day', text: (d) => d.day, value: (d) => d.day },
      number('test', 'Test', (d) => d.testProfiles),
      number('lcg', 'LCG', (d) => d.lcgProfiles),
      number('uplift', 'Uplift', (d) => d.uplift?.estimate ?? null, diff),
      number('low', '95 % low', (d) => d.uplift?.low ?? null, diff),
      number('high', '95 % high', (d) => d.uplift?.high ?? null, diff),
      number('seqLow', 'Sequential low', (d) => d.sequential?.[0] ?? null, diff),
      number('seqHigh', 'Sequential high', (d) => d.sequential?.[1] ?? null, diff),
    ],
  };
}

/** The balance of Test and the LCG on the fields today (SMD), as the simulator's balance check shows it; rows over 0.1 marked. */
export function driftTable(result: AnalysisResult): ResultTableData<DriftRow> {
  // A row with a level is a list or yes/no value: its means are shares.
  const mean = (r: DriftRow, v: number) => (r.level === null ? formatValue(v) : formatShare(v));
  return {
    name: 'analysis-lcg-drift',
    label: 'Balance of Test and LCG today',
    rows: result.lcgAge.rows,
    rowKey: levelKey,
    flagged: (r) => r.flagged,
    columns: [
      ...fieldLevelColumns<DriftRow>(),
      { key: 'test', label: 'Test', numeric: true, text: (r) => mean(r, r.meanTest), value: (r) => r.meanTest },
      { key: 'lcg', label: 'LCG', numeric: true, text: (r) => mean(r, r.meanLcg), value: (r) => r.meanLcg },
      number('smd', 'SMD', (r) => r.smd, (v) => fixedText(v, 3)),
      { key: 'flagged', label: '|SMD| > 0.1', text: (r) => (r.flagged ? 'Imbalanced' : ''), value: (r) => r.flagged },
    ],
  };
}

/** Everyone the database's campaigns reached against its GCG. */
export function gcgTable(result: AnalysisResult): ResultTableData<{ readonly label: string; readonly group: AnalysisGroup }> | null {
  const { gcg, binary } = result;
  if (!gcg) return null;
  return {
    name: 'analysis-gcg',
    label: 'All campaigns against the GCG',
    rows: [
      { label: 'Reached by any campaign', group: gcg.reached },
      { label: 'GCG', group: gcg.gcg },
    ],
    rowKey: (r) => r.label,
    columns: [
      { key: 'group', label: 'Group', text: (r) => r.label, value: (r) => r.label },
      number('profiles', 'Profiles', (r) => r.group.profiles),
      number('withOutcome', 'With outcome', (r) => r.group.withOutcome),
      number('mean', binary ? 'Rate' : 'Mean', (r) => r.group.mean, (v) => valueText(binary, v)),
      number('sum', sumLabel(result), (r) => r.group.sum, amountText),
    ],
  };
}
