/**
 * An analysis's tables as the Analytics tab shows them, each defined once (the screen shows a
 * column's text, its CSV download the raw value), like the simulator's tables. The words
 * for the figures are shared/analytics/analysis-text.ts's, as in the report and the CLI.
 */
import type { AnalysisGroup, AnalysisResult, DailyUplift, DriftRow, StratumAnalysis } from '../../../shared/contract/analytics';
import { MIN_STRATUM_GROUP } from '../../../shared/contract/analytics';
import { confidenceText, differenceText, GROUP_NAMES, levelText, pValueText, srmChecks, type SrmCheck } from '../../../shared/analytics/analysis-text';
import { formatClock, formatCount, formatShare, formatValue } from '../../../shared/format';
import { fieldLevelColumns, fixedText, levelKey, type ResultTableData, type TableColumn } from '../simulator/tables';

/** A day of the project clock as people read it: "Fri 6 Feb 2026". */
export function dayText(day: string): string {
  return formatClock(`${day}T00:00`).replace(/, 00:00$/, '');
}

/** A sum of the metric: whole counts as counts, amounts as measured values. */
export function amountText(value: number): string {
  return Number.isInteger(value) ? formatCount(value) : formatValue(value);
}

/** What the metric's sum is called: conversions, events, or an amount. */
export function sumLabel(result: AnalysisResult): string {
  const { metric } = result;
  if (metric.kind === 'outcome') return result.binary ? 'Yes answers' : 'Sum';
  return metric.measure === 'converted' ? 'Conversions' : metric.measure === 'count' ? 'Events' : 'Amount';
}

const number = <T>(key: string, label: string, get: (row: T) => number | null, text: (v: number) => string = formatCount): TableColumn<T> => ({
  key,
  label,
  numeric: true,
  text: (row) => {
    const v = get(row);
    return v === null ? '–' : text(v);
  },
  value: get,
});

/** A difference column: the numbers alone, a rate's unit (percentage points) in the header, so the table stays narrow. */
const difference = <T>(binary: boolean, key: string, label: string, get: (row: T) => number | null): TableColumn<T> =>
  number(key, binary ? `${label}, points` : label, get, (v) => differenceText(binary, v).replace(/ points$/, ''));

/** Test, LCG (and the GCG of the segment): profiles, those with an outcome, missing, partial windows, rate or mean, sum. */
export function groupsTable(result: AnalysisResult): ResultTableData<AnalysisGroup> {
  const { binary } = result;
  return {
    name: 'analysis-groups',
    label: 'Groups',
    rows: result.groups,
    rowKey: (g) => g.group,
    columns: [
      { key: 'group', label: 'Group', text: (g) => GROUP_NAMES[g.group], value: (g) => g.group },
      number('profiles', 'Profiles', (g) => g.profiles),
      number('withOutcome', 'With outcome', (g) => g.withOutcome),
      number('missing', 'Missing', (g) => g.missing),
      number('partial', 'Partial window', (g) => g.partial),
      number('mean', binary ? 'Rate' : 'Mean', (g) => g.mean, (v) => levelText(binary, v)),
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
  const level = confidenceText(result.confidence);
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
  return {
    name: 'analysis-estimates',
    label: 'Uplift by estimator',
    rows,
    rowKey: (r) => r.key,
    columns: [
      { key: 'estimator', label: 'Estimator', text: (r) => r.label, value: (r) => r.label },
      difference(binary, 'estimate', 'Uplift', (r) => r.estimate),
      difference(binary, 'low', `${level} low`, (r) => r.low),
      difference(binary, 'high', `${level} high`, (r) => r.high),
      number('p', 'p-value', (r) => r.p, pValueText),
      number('width', 'Interval width vs plain', (r) => r.width, formatShare),
    ],
  };
}

/** Observed Test and LCG sizes against the planned split, for all assigned profiles and for those with an outcome. */
export function srmTable(result: AnalysisResult): ResultTableData<SrmCheck> {
  return {
    name: 'analysis-sample-ratio',
    label: 'Sample ratio check',
    rows: srmChecks(result),
    rowKey: (r) => r.name,
    flagged: (r) => r.srm.mismatch,
    columns: [
      { key: 'profiles', label: 'Profiles', text: (r) => r.name, value: (r) => r.name },
      number('testObserved', 'Test', (r) => r.srm.observed[0]),
      number('lcgObserved', 'LCG', (r) => r.srm.observed[1]),
      number('testExpected', 'Test expected', (r) => r.srm.expected[0], formatValue),
      number('lcgExpected', 'LCG expected', (r) => r.srm.expected[1], formatValue),
      number('chiSquare', 'χ²', (r) => r.srm.chiSquare, (v) => v.toFixed(2)),
      number('p', 'p-value', (r) => r.srm.p, pValueText),
      { key: 'mismatch', label: 'Mismatch', text: (r) => (r.srm.mismatch ? 'Yes (p < 0.001)' : 'No'), value: (r) => r.srm.mismatch },
    ],
  };
}

/** Each stratum's sizes, rates and uplift; strata too small to say anything marked. */
export function strataTable(result: AnalysisResult): ResultTableData<StratumAnalysis> {
  const { binary } = result;
  const level = confidenceText(result.confidence);
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
      number('meanTest', binary ? 'Test rate' : 'Test mean', (s) => s.meanTest, (v) => levelText(binary, v)),
      number('meanLcg', binary ? 'LCG rate' : 'LCG mean', (s) => s.meanLcg, (v) => levelText(binary, v)),
      difference(binary, 'uplift', 'Uplift', (s) => s.uplift?.estimate ?? null),
      difference(binary, 'low', `${level} low`, (s) => s.uplift?.low ?? null),
      difference(binary, 'high', `${level} high`, (s) => s.uplift?.high ?? null),
      number('p', 'p-value', (s) => s.uplift?.p ?? null, pValueText),
      { key: 'note', label: 'Note', text: (s) => (s.tooSmall ? 'Too small to say' : ''), value: (s) => s.tooSmall },
    ],
  };
}

/** Why a stratum is marked, for the note under its table. */
export const STRATA_NOTE = `Strata where Test or the LCG has fewer than ${MIN_STRATUM_GROUP} profiles with an outcome are too small to say anything on their own: they are marked, and count only in the overall and post-stratified estimates.`;

/** The cumulative uplift at the end of each day, with the plain and the sequential interval. */
export function dailyTable(result: AnalysisResult): ResultTableData<DailyUplift> {
  const { binary } = result;
  const level = confidenceText(result.confidence);
  return {
    name: 'analysis-uplift-by-day',
    label: 'Uplift by day',
    rows: result.daily,
    rowKey: (d) => d.day,
    columns: [
      { key: 'day', label: 'Day', text: (d) => dayText(d.day), value: (d) => d.day },
      number('test', 'Test', (d) => d.testProfiles),
      number('lcg', 'LCG', (d) => d.lcgProfiles),
      difference(binary, 'uplift', 'Uplift', (d) => d.uplift?.estimate ?? null),
      difference(binary, 'low', `${level} low`, (d) => d.uplift?.low ?? null),
      difference(binary, 'high', `${level} high`, (d) => d.uplift?.high ?? null),
      difference(binary, 'seqLow', 'Sequential low', (d) => d.sequential?.[0] ?? null),
      difference(binary, 'seqHigh', 'Sequential high', (d) => d.sequential?.[1] ?? null),
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
    label: 'Groups against the GCG',
    rows: [
      { label: 'Reached by any campaign', group: gcg.reached },
      { label: 'GCG', group: gcg.gcg },
    ],
    rowKey: (r) => r.label,
    columns: [
      { key: 'group', label: 'Group', text: (r) => r.label, value: (r) => r.label },
      number('profiles', 'Profiles', (r) => r.group.profiles),
      number('withOutcome', 'With outcome', (r) => r.group.withOutcome),
      number('mean', binary ? 'Rate' : 'Mean', (r) => r.group.mean, (v) => levelText(binary, v)),
      number('sum', sumLabel(result), (r) => r.group.sum, amountText),
    ],
  };
}
