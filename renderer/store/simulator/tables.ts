/**
 * The simulator's tables, each defined once: the screen shows a column's text, the CSV
 * export its raw value (fractions as fractions, counts as counts), so the two never
 * disagree about what a row says.
 */
import Papa from 'papaparse';
import type { SimBalance, SimMde, SimMonteCarlo, SimPlan, SimScan } from '../../../shared/contract/index';
import { formatCount, formatValue, formatShare, formatChange } from '../../../shared/format';

export type CellValue = string | number | boolean | null;

export interface TableColumn<T> {
  readonly key: string;
  readonly label: string;
  readonly numeric?: boolean;
  readonly text: (row: T) => string;
  readonly value: (row: T) => CellValue;
}

export interface ResultTableData<T> {
  /** The CSV's file name, without the extension. */
  readonly name: string;
  /** The table's accessible name and caption. */
  readonly label: string;
  readonly columns: readonly TableColumn<T>[];
  readonly rows: readonly T[];
  readonly rowKey: (row: T) => string;
  /** A row to mark (a stratum too small, an |SMD| over 0.1). */
  readonly flagged?: (row: T) => boolean;
}

/** The table as CSV: a header of the column labels, then each row's raw values. */
export function tableCsv<T>(table: ResultTableData<T>): string {
  return Papa.unparse({
    fields: table.columns.map((c) => c.label),
    data: table.rows.map((row) => table.columns.map((c) => c.value(row) ?? '')),
  });
}

/** A value of the metric for people: a rate as a percentage, a mean as a number. */
export function metricText(scan: SimScan, value: number): string {
  return scan.metric.kind === 'binary' ? formatShare(value) : formatValue(value);
}

/** A Test − LCG difference for people: of a rate in percentage points ("−0.52 points"), of a mean as a number. */
export function differenceText(binary: boolean, value: number): string {
  const text = formatValue(binary ? value * 100 : value).replace(/^-/, '−');
  return binary ? `${text} points` : text;
}

/** An MDE for people: "+0.70 points (+14 %)" for a rate, "+12.3 (+4 %)" for a mean. */
export function mdeText(scan: SimScan, mde: SimMde | null): string {
  if (!mde) return '—';
  const absolute = scan.metric.kind === 'binary' ? `${formatValue(mde.absolute * 100)} points` : formatValue(mde.absolute);
  return mde.relative === null ? `±${absolute}` : `±${absolute} (${formatChange(mde.relative)})`;
}

/** A figure with a fixed number of decimals, signed with a true minus, and never "-0.000" for a value that rounds to zero. */
export function fixedText(value: number, digits: number): string {
  const text = Math.abs(value).toFixed(digits);
  return value < 0 && Number(text) !== 0 ? `−${text}` : text;
}

/** "One stratum is too small to analyse on its own: A." / "10 strata are too small to analyse on their own: A, B, … and 2 more." */
export function unanalysableText(labels: readonly string[], shown = 8): string {
  if (labels.length === 0) return '';
  const head = labels.length === 1 ? 'One stratum is too small to analyse on its own' : `${formatCount(labels.length)} strata are too small to analyse on their own`;
  const listed = labels.slice(0, shown);
  const rest = labels.length - listed.length;
  const list = rest > 0 ? `${listed.join(', ')} and ${formatCount(rest)} more` : listed.length === 1 ? listed[0] : `${listed.slice(0, -1).join(', ')} and ${listed.at(-1)}`;
  return `${head}: ${list}.`;
}

/**
 * The A/A false-positive rate's detail: the count, the 95 % interval shown, and whether that
 * interval contains α (said of the interval on screen, so the line never contradicts itself;
 * when only the 99 % interval does, that is said too).
 */
export function falsePositiveDetail(mc: SimMonteCarlo, alpha: number | null): string {
  const fp = mc.aa.falsePositive;
  const interval = (i: readonly [number, number]) => `${formatShare(i[0])}–${formatShare(i[1])}`;
  const base = `${formatCount(fp.rejected)} of ${formatCount(mc.reps)} · 95 % interval ${interval(fp.interval95)}`;
  if (alpha === null) return base;
  const inside = (i: readonly [number, number]) => i[0] <= alpha && alpha <= i[1];
  if (inside(fp.interval95)) return `${base}, which contains α = ${alpha}`;
  return inside(fp.interval99)
    ? `${base}, which misses α = ${alpha}; the 99 % interval (${interval(fp.interval99)}) contains it`
    : `${base}, which misses α = ${alpha}, as does the 99 % interval (${interval(fp.interval99)})`;
}

const formatChangeOrDash = (c: number | null) => (c === null ? '—' : formatChange(c));

type PlanStratum = SimPlan['strata'][number];

export function strataTable(scan: SimScan, plan: SimPlan): ResultTableData<PlanStratum> {
  return {
    name: 'simulation-strata',
    label: 'Strata of the simulation',
    rows: plan.strata,
    rowKey: (s) => s.key,
    flagged: (s) => s.mde === null,
    columns: [
      { key: 'label', label: 'Stratum', text: (s) => s.label, value: (s) => s.label },
      { key: 'size', label: 'Size', numeric: true, text: (s) => formatCount(s.size), value: (s) => s.size },
      { key: 'control', label: 'LCG', numeric: true, text: (s) => formatCount(s.control), value: (s) => s.control },
      { key: 'test', label: 'Test', numeric: true, text: (s) => formatCount(s.test), value: (s) => s.test },
      { key: 'mean', label: scan.metric.kind === 'binary' ? 'Rate' : 'Mean', numeric: true, text: (s) => metricText(scan, s.mean), value: (s) => s.mean },
      { key: 'mde', label: 'MDE in the stratum', numeric: true, text: (s) => (s.mde ? mdeText(scan, s.mde) : (s.reason ?? 'Too small')), value: (s) => s.mde?.absolute ?? null },
      { key: 'relative', label: 'MDE, relative', numeric: true, text: (s) => (s.mde?.relative == null ? '—' : formatChange(s.mde.relative)), value: (s) => s.mde?.relative ?? null },
    ],
  };
}

interface VarianceRow {
  readonly method: string;
  readonly mde: number | null;
  readonly note: string;
  /** The plain row: what the others are compared with. */
  readonly reference?: boolean;
}

/** Plain, stratified, CUPED and both, side by side, each with its MDE's change from the plain one. */
export function varianceTable(scan: SimScan, plan: SimPlan): ResultTableData<VarianceRow> {
  const v = plan.variance;
  const rows: VarianceRow[] = [
    { method: 'Plain (no adjustment)', mde: v.plain, note: 'The difference of the two means.', reference: true },
    { method: 'Stratified', mde: v.stratified, note: `Within-stratum variance: ${formatShare(v.withinShare)} of the total.` },
    { method: 'CUPED', mde: v.cuped, note: v.rho2 === null ? 'Choose a covariate to see it.' : `ρ² of the covariate: ${formatValue(v.rho2)}.` },
    { method: 'Stratified + CUPED', mde: v.stratifiedCuped, note: v.rho2 === null ? 'Choose a covariate to see it.' : 'Both adjustments.' },
  ];
  const baseline = plan.baseline.mean;
  // The plain row is the reference itself; a negative change is a smaller MDE (the adjustment helps), a positive one a larger.
  const change = (r: VarianceRow) => (r.reference === true || r.mde === null || v.plain === null || v.plain === 0 ? null : r.mde / v.plain - 1);
  return {
    name: 'simulation-variance-reduction',
    label: 'Variance reduction',
    rows,
    rowKey: (r) => r.method,
    columns: [
      { key: 'method', label: 'Analysis', text: (r) => r.method, value: (r) => r.method },
      {
        key: 'mde',
        label: 'MDE',
        numeric: true,
        text: (r) => (r.mde === null ? '—' : mdeText(scan, { absolute: r.mde, relative: baseline === 0 ? null : r.mde / baseline, detectable: baseline + r.mde, cohenH: null, differenceAbsolute: null })),
        value: (r) => r.mde,
      },
      { key: 'change', label: 'MDE change from plain', numeric: true, text: (r) => formatChangeOrDash(change(r)), value: change },
      { key: 'note', label: 'Why', text: (r) => r.note, value: (r) => r.note },
    ],
  };
}

type BalanceRow = SimBalance['rows'][number];

export const levelKey = (r: { field: string; level: string | null }) => `${r.field}\u0000${r.level ?? ''}`;

/** A field and, for a list or yes/no field, the value a row is about. */
export function fieldLevelColumns<T extends { field: string; level: string | null }>(): TableColumn<T>[] {
  return [
    { key: 'field', label: 'Field', text: (r) => r.field, value: (r) => r.field },
    { key: 'level', label: 'Value', text: (r) => r.level ?? '', value: (r) => r.level },
  ];
}

export function balanceTable(balance: SimBalance): ResultTableData<BalanceRow> {
  const mean = (r: BalanceRow, v: number) => (r.kind === 'binary' ? formatShare(v) : formatValue(v));
  return {
    name: 'simulation-balance',
    label: 'Standardised mean differences',
    rows: balance.rows,
    rowKey: levelKey,
    flagged: (r) => r.flagged,
    columns: [
      ...fieldLevelColumns<BalanceRow>(),
      { key: 'test', label: 'Test', numeric: true, text: (r) => mean(r, r.meanTest), value: (r) => r.meanTest },
      { key: 'control', label: 'LCG', numeric: true, text: (r) => mean(r, r.meanControl), value: (r) => r.meanControl },
      { key: 'smd', label: 'SMD', numeric: true, text: (r) => (r.smd === null ? '—' : fixedText(r.smd, 3)), value: (r) => r.smd },
      { key: 'flagged', label: '|SMD| > 0.1', text: (r) => (r.flagged ? 'Imbalanced' : ''), value: (r) => r.flagged },
    ],
  };
}

type ChiRow = SimBalance['chiSquare'][number];

export function chiSquareTable(balance: SimBalance): ResultTableData<ChiRow> {
  return {
    name: 'simulation-chi-square',
    label: 'Chi-square per categorical field',
    rows: balance.chiSquare,
    rowKey: (r) => r.field,
    flagged: (r) => !r.valid,
    columns: [
      { key: 'field', label: 'Field', text: (r) => r.field, value: (r) => r.field },
      { key: 'levels', label: 'Values', numeric: true, text: (r) => formatCount(r.levels), value: (r) => r.levels },
      { key: 'chi', label: 'χ²', numeric: true, text: (r) => (r.chiSquare === null ? '—' : r.chiSquare.toFixed(2)), value: (r) => r.chiSquare },
      { key: 'df', label: 'df', numeric: true, text: (r) => String(r.df), value: (r) => r.df },
      { key: 'p', label: 'p-value', numeric: true, text: (r) => (r.pValue === null ? '—' : r.pValue < 0.001 ? '< 0.001' : r.pValue.toFixed(3)), value: (r) => r.pValue },
      { key: 'v', label: 'Cramér’s V', numeric: true, text: (r) => (r.cramersV === null ? '—' : r.cramersV.toFixed(3)), value: (r) => r.cramersV },
      { key: 'note', label: 'Note', text: (r) => r.note ?? '', value: (r) => r.note },
    ],
  };
}

type ChanceRow = SimMonteCarlo['balance'][number];

export function chanceImbalanceTable(mc: SimMonteCarlo): ResultTableData<ChanceRow> {
  return {
    name: 'simulation-chance-imbalance',
    label: 'Chance imbalance across the replicates',
    rows: mc.balance,
    rowKey: levelKey,
    columns: [
      ...fieldLevelColumns<ChanceRow>(),
      { key: 'rate', label: 'Replicates with |SMD| > 0.1', numeric: true, text: (r) => formatShare(r.flaggedRate), value: (r) => r.flaggedRate },
    ],
  };
}

/** The charts' points as tables: what a chart shows can be downloaded as numbers too. */
export function mdeByShareTable(scan: SimScan, plan: SimPlan): ResultTableData<SimPlan['charts']['mdeByShare'][number]> {
  return {
    name: 'simulation-mde-by-share',
    label: 'MDE by LCG share',
    rows: plan.charts.mdeByShare,
    rowKey: (p) => String(p.percent),
    columns: [
      { key: 'percent', label: 'LCG share, %', numeric: true, text: (p) => String(p.percent), value: (p) => p.percent },
      { key: 'absolute', label: 'MDE, absolute', numeric: true, text: (p) => (p.absolute === null ? '—' : metricText(scan, p.absolute)), value: (p) => p.absolute },
      { key: 'relative', label: 'MDE, relative', numeric: true, text: (p) => (p.relative === null ? '—' : formatChange(p.relative)), value: (p) => p.relative },
    ],
  };
}

export function powerByEffectTable(plan: SimPlan): ResultTableData<SimPlan['charts']['powerByEffect'][number]> {
  return {
    name: 'simulation-power-by-effect',
    label: 'Power by true effect',
    rows: plan.charts.powerByEffect,
    rowKey: (p) => String(p.effect),
    columns: [
      { key: 'effect', label: 'True effect, relative', numeric: true, text: (p) => formatChange(p.effect), value: (p) => p.effect },
      { key: 'power', label: 'Power', numeric: true, text: (p) => formatShare(p.power), value: (p) => p.power },
    ],
  };
}
