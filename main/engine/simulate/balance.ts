/**
 * `simulate/balance`: the balance of the real split for a seed (STATS.md §3). The split is
 * the campaign's own rule on this audience (assignSplit: control total, Hamilton quotas per
 * stratum with the seeded tie-break, md5 order inside each stratum), so for a campaign's
 * seed and LCG it is exactly the split its activation makes. Then, per field, the
 * standardised mean difference between Test and LCG: numbers (profiles with a value), yes/no
 * fields and each level of a categorical field (as a share of the whole group, "(no value)"
 * a level of its own), flagged at |SMD| > 0.1; and chi-square homogeneity per categorical
 * field, without a p-value when an expected count is below 5. One pass per field over typed
 * arrays: linear in the audience.
 */
import { EngineError } from '../../../shared/contract/errors';
import type { SimBalance, SimBalanceRow, SimChiSquare, SimSettings, SimSource } from '../../../shared/contract/simulate';
import { formatCount } from '../../../shared/format';
import { chiSquareHomogeneity, isImbalanced, smd } from '../../../shared/stats/balance';
import { sampleVariance } from '../../../shared/stats/moments';
import type { HandlerContext } from '../registry';
import { assignSplit } from '../split/assign';
import type { SimColumn, SimData } from './data';
import { loadSimData } from './scan';

export type SplitSettings = Pick<SimSettings, 'percent' | 'limit' | 'seed'>;

export const NO_VALUE_LEVEL = '(no value)';

/** 1 per LCG profile, by the campaign's split rule on this audience. */
export async function splitOf(ctx: HandlerContext, data: SimData, settings: SplitSettings): Promise<Uint8Array> {
  let ids: string[] | null = null;
  const { control } = await assignSplit({
    packed: data.packed,
    count: data.count,
    stratumOf: data.stratumOf,
    strataKeys: data.strataKeys,
    seed: settings.seed,
    size: { percent: settings.percent, limit: settings.limit },
    // Read only for an exact md5 tie.
    idAt: (i) => (ids ??= new TextDecoder().decode(data.packed).split('\u001f'))[i]!,
    pool: ctx.deps.splitPool,
  });
  return control;
}

interface GroupMoments {
  n: [number, number];
  sum: [number, number];
  sumSq: [number, number];
}

/** Test (0) and LCG (1) counts, sums and sums of squares of the profiles with a value. */
function moments(values: Float64Array, control: Uint8Array): GroupMoments {
  const n = new Float64Array(2);
  const sum = new Float64Array(2);
  const sumSq = new Float64Array(2);
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i]!;
    if (v !== v) continue;
    const g = control[i]!;
    n[g]! += 1;
    sum[g]! += v;
    sumSq[g]! += v * v;
  }
  return { n: [n[0]!, n[1]!], sum: [sum[0]!, sum[1]!], sumSq: [sumSq[0]!, sumSq[1]!] };
}

function row(field: string, level: string | null, kind: SimBalanceRow['kind'], meanT: number, varT: number, meanC: number, varC: number): SimBalanceRow {
  const d = smd(meanT, varT, meanC, varC);
  return { field, level, kind, meanTest: meanT, meanControl: meanC, smd: d, flagged: isImbalanced(d) };
}

function numberRows(column: Extract<SimColumn, { kind: 'number' | 'binary' }>, control: Uint8Array): SimBalanceRow[] | string {
  const m = moments(column.values, control);
  if (m.n[0] === 0 || m.n[1] === 0) return `no values in ${m.n[0] === 0 ? 'Test' : 'the LCG'}`;
  const mean = (g: 0 | 1) => m.sum[g] / m.n[g];
  if (column.kind === 'binary') {
    const p = [mean(0), mean(1)] as const;
    return [row(column.field, 'yes', 'binary', p[0], p[0] * (1 - p[0]), p[1], p[1] * (1 - p[1]))];
  }
  return [row(column.field, null, 'number', mean(0), sampleVariance(m.n[0], m.sum[0], m.sumSq[0]), mean(1), sampleVariance(m.n[1], m.sum[1], m.sumSq[1]))];
}

function categoricalRows(column: Extract<SimColumn, { kind: 'categorical' }>, control: Uint8Array, groups: readonly [number, number]): { rows: SimBalanceRow[]; chi: SimChiSquare } {
  const k = column.levels.length;
  // counts[(level + 1) * 2 + group]: level -1 is "(no value)".
  const counts = new Float64Array((k + 1) * 2);
  const { codes } = column;
  for (let i = 0; i < codes.length; i += 1) counts[(codes[i]! + 1) * 2 + control[i]!]! += 1;
  const levels = [NO_VALUE_LEVEL, ...column.levels];
  const rows: SimBalanceRow[] = [];
  const table: number[][] = [];
  levels.forEach((level, l) => {
    const t = counts[l * 2]!;
    const c = counts[l * 2 + 1]!;
    if (t + c === 0) return;
    table.push([t, c]);
    const pT = t / groups[0];
    const pC = c / groups[1];
    rows.push(row(column.field, level, 'binary', pT, pT * (1 - pT), pC, pC * (1 - pC)));
  });
  return { rows, chi: chiSquareRow(column.field, table) };
}

function chiSquareRow(field: string, table: number[][]): SimChiSquare {
  const result = chiSquareHomogeneity(table);
  if (result === null) {
    return { field, levels: table.length, chiSquare: null, df: 0, pValue: null, cramersV: null, valid: false, note: 'Only one value in this audience: nothing to compare.' };
  }
  const valid = result.minExpected >= 5;
  return {
    field,
    levels: table.length,
    chiSquare: result.chiSquare,
    df: result.df,
    pValue: valid ? result.pValue : null,
    cramersV: result.cramersV,
    valid,
    note: valid ? null : `An expected count is below 5 (the smallest is ${result.minExpected.toFixed(1)}), so the chi-square test is not reliable here and no p-value is given.`,
  };
}

/** The balance table of a split (see the module comment). */
export async function balanceOf(ctx: HandlerContext, data: SimData, settings: SplitSettings): Promise<Omit<SimBalance, 'durationMs'>> {
  ctx.progress('Splitting', 0, data.count, 'rows');
  const control = await splitOf(ctx, data, settings);
  let lcg = 0;
  for (let i = 0; i < control.length; i += 1) lcg += control[i]!;
  const test = data.count - lcg;
  if (lcg === 0 || test === 0) {
    const fix = lcg === 0 ? 'give a percentage or a limit that puts at least one profile in the LCG' : 'lower the percentage or the limit';
    throw new EngineError('REFUSED', `This split puts ${lcg === 0 ? 'nobody in the LCG' : 'nobody in Test'} (${formatCount(data.count)} profiles): there is no balance to check; ${fix}.`, {
      reason: lcg === 0 ? 'empty_lcg' : 'empty_test',
    });
  }
  const rows: SimBalanceRow[] = [];
  const chiSquare: SimChiSquare[] = [];
  const skipped = data.skipped.map((s) => ({ field: s.field, reason: s.reason }));
  const phase = 'Comparing the groups';
  for (const [i, column] of data.columns.entries()) {
    ctx.progress(phase, i, data.columns.length, 'items');
    if (column.kind === 'categorical') {
      const result = categoricalRows(column, control, [test, lcg]);
      rows.push(...result.rows);
      chiSquare.push(result.chi);
    } else {
      const result = numberRows(column, control);
      if (typeof result === 'string') skipped.push({ field: column.field, reason: result });
      else rows.push(...result);
    }
    await ctx.checkpoint();
  }
  ctx.progress(phase, data.columns.length, data.columns.length, 'items');
  return { seed: settings.seed, test, control: lcg, rows, chiSquare, skipped };
}

export async function balanceHandler(args: { source: SimSource; settings: SplitSettings }, ctx: HandlerContext): Promise<SimBalance> {
  const started = performance.now();
  const data = await loadSimData(ctx, args.source);
  const balance = await balanceOf(ctx, data, args.settings);
  return { ...balance, durationMs: performance.now() - started };
}
