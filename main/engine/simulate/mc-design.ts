/**
 * The Monte Carlo's design, prepared once per run on the engine's thread: the campaign's
 * exact quotas per stratum (the split's own rule: controlTotal, then allocateQuotas with
 * the settings' seed), and the audience re-ordered stratum by stratum into
 * SharedArrayBuffers, so every worker reads the same memory (nothing is copied per chunk)
 * and a stratum's profiles sit together (its draws stay in cache).
 */
import { EngineError } from '../../../shared/contract/errors';
import { controlTotal, type LcgSize } from '../../../shared/split/control-total';
import { allocateQuotas, type StratumQuota } from '../../../shared/split/quotas';
import { sampleVariance } from '../../../shared/stats/moments';
import { NO_VALUE_LEVEL } from './balance';
import type { SimData } from './data';
import { addSlots } from './mc-kernel';

/** Balance rows of a categorical field: its most frequent levels, at most this many. */
export const MAX_BALANCE_LEVELS = 20;

/** The injected effect, as the kernel applies it to Test. */
export type McEffect =
  /** Binary: each Test non-converter converts with probability `add` (u > 0), or each converter is lost with `remove` (u < 0). */
  | { readonly kind: 'binary'; readonly add: number; readonly remove: number }
  /** Continuous: Test's values times `factor` (1 + u). */
  | { readonly kind: 'continuous'; readonly factor: number };

/** Everything a replicate needs; plain data and shared arrays, so it crosses to a worker as is. */
export interface McShared {
  readonly seed: string;
  readonly binary: boolean;
  /** Profiles per group, the same in every replicate (exact quotas). */
  readonly test: number;
  readonly control: number;
  /** Stratum s holds the sorted positions offsets[s] .. offsets[s + 1] - 1. */
  readonly offsets: Int32Array;
  /** Control count per stratum (allocateQuotas'). */
  readonly quotas: Int32Array;
  /** The metric in stratum order, minus `center` (a continuous metric's mean: exact sums of squares). */
  readonly y: Float64Array;
  readonly center: number;
  /** Per stratum: the sum and the sum of squares of y (2 per stratum). */
  readonly yTotals: Float64Array;
  /**
   * The balance fields in stratum order, as few bytes as will do (a replicate reads each
   * drawn profile's values, so memory traffic is its cost): number fields 32-bit (plenty
   * for a flag at |SMD| > 0.1), centred, NaN for no value; yes/no and categorical fields as
   * 8-bit codes (yes/no: 0 no, 1 yes; categorical: the tracked level's index), -1 for no
   * value or an untracked level.
   */
  readonly numbers: readonly Float32Array[];
  /** Whether a number field has a value for every profile (its sums need no check). */
  readonly numberComplete: readonly boolean[];
  readonly categories: readonly Int8Array[];
  /** Levels per coded field (2 for yes/no), and whether it is yes/no (one row: the share of yes among values). */
  readonly categoryLevels: readonly number[];
  readonly categoryBinary: readonly boolean[];
  /**
   * The sums a replicate adds up per group ("slots"): count of values, sum and sum of
   * squares per number field (3 each), then a count per level of each coded field.
   * `slotTotals` holds them per stratum (slotCount per stratum), `slotGrand` over all.
   */
  readonly slotCount: number;
  readonly slotTotals: Float64Array;
  readonly slotGrand: Float64Array;
  readonly effect: McEffect | null;
}

/** A balance row: a number or yes/no field, or one level of a categorical field. */
export interface McBalanceRow {
  readonly field: string;
  readonly level: string | null;
  /** Its field's place in SimData.columns (the result lists rows in that order). */
  readonly column: number;
}

export interface McDesign {
  readonly shared: McShared;
  readonly quotas: readonly StratumQuota[];
  readonly rows: readonly McBalanceRow[];
  /** The metric's mean and standard deviation over the audience (the closed form's baseline). */
  readonly mean: number;
  readonly sd: number;
}

export interface McSettings {
  readonly seed: string;
  readonly size: LcgSize;
  /** The true relative effect to inject (0.05 = +5 %), or null. */
  readonly effect: number | null;
}

function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(1, length) * 8), 0, length);
}

/** The split's quotas, the groups' sizes, checks, and the audience in stratum order. */
export function prepareDesign(data: SimData, settings: McSettings): McDesign {
  const n = data.count;
  const strata = data.strataKeys.length;
  if (n === 0) throw new EngineError('REFUSED', 'The audience is empty: there is nothing to simulate.');
  const offsets = new Int32Array(strata + 1);
  for (let i = 0; i < n; i += 1) offsets[data.stratumOf[i]! + 1]! += 1;
  for (let s = 0; s < strata; s += 1) offsets[s + 1]! += offsets[s]!;
  const total = controlTotal(n, settings.size);
  const quotas = allocateQuotas(
    data.strataKeys.map((key, s) => ({ key, size: offsets[s + 1]! - offsets[s]! })),
    total,
    settings.seed,
  );
  checkGroups(n, total);

  // Where each profile goes in stratum order (a counting sort, stable).
  const next = offsets.slice(0, strata);
  const position = new Int32Array(n);
  for (let i = 0; i < n; i += 1) position[i] = next[data.stratumOf[i]!]!++;

  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < n; i += 1) {
    const v = data.y[i]!;
    sum += v;
    sum2 += v * v;
  }
  const mean = sum / n;
  const variance = sampleVariance(n, sum, sum2);
  let constant = true;
  for (let i = 1; i < n && constant; i += 1) constant = data.y[i] === data.y[0];
  if (constant) {
    throw new EngineError('REFUSED', `The metric is ${data.y[0]} for every profile of the audience: there is no difference to simulate. Choose another metric (or threshold).`);
  }
  const center = data.binary ? 0 : mean;
  const y = sharedFloat64(n);
  for (let i = 0; i < n; i += 1) y[position[i]!] = data.y[i]! - center;
  const yTotals = new Float64Array(2 * strata);
  for (let s = 0; s < strata; s += 1) {
    for (let k = offsets[s]!; k < offsets[s + 1]!; k += 1) {
      yTotals[2 * s] = yTotals[2 * s]! + y[k]!;
      yTotals[2 * s + 1] = yTotals[2 * s + 1]! + y[k]! * y[k]!;
    }
  }

  const balance = balanceFields(data, position, offsets);
  const shared: McShared = {
    seed: settings.seed,
    binary: data.binary,
    test: n - total,
    control: total,
    offsets,
    quotas: Int32Array.from(quotas, (q) => q.control),
    y,
    center,
    yTotals,
    ...balance.fields,
    effect: settings.effect === null ? null : effectOf(data.binary, mean, settings.effect),
  };
  return { shared, quotas, rows: balance.rows, mean, sd: Math.sqrt(variance) };
}

type BalanceFields = Pick<McShared, 'numbers' | 'numberComplete' | 'categories' | 'categoryLevels' | 'categoryBinary' | 'slotCount' | 'slotTotals' | 'slotGrand'>;

/** The balance fields in stratum order, and their sums per stratum. */
function balanceFields(data: SimData, position: Int32Array, offsets: Int32Array): { fields: BalanceFields; rows: McBalanceRow[] } {
  const n = data.count;
  const numberRows: McBalanceRow[] = [];
  const categoryRows: McBalanceRow[] = [];
  const numbers: Float32Array[] = [];
  const numberComplete: boolean[] = [];
  const categories: Int8Array[] = [];
  const categoryLevels: number[] = [];
  const categoryBinary: boolean[] = [];
  const coded = (code: (i: number) => number) => {
    const sorted = new Int8Array(new SharedArrayBuffer(Math.max(1, n)), 0, n);
    for (let i = 0; i < n; i += 1) sorted[position[i]!] = code(i);
    return sorted;
  };
  data.columns.forEach((column, c) => {
    if (column.kind === 'categorical') {
      // As the balance table: "(no value)" is a level of its own (code −1, slot 0 here).
      const tracked = trackedLevels(column.codes, column.levels.length);
      if (tracked.length === 0) return;
      const index = new Int32Array(column.levels.length + 1).fill(-1);
      tracked.forEach((level, t) => (index[level + 1] = t));
      categories.push(coded((i) => index[Math.min(column.codes[i]!, column.levels.length) + 1] ?? -1));
      categoryLevels.push(tracked.length);
      categoryBinary.push(false);
      for (const level of tracked) categoryRows.push({ field: column.field, level: level === -1 ? NO_VALUE_LEVEL : column.levels[level]!, column: c });
      return;
    }
    let count = 0;
    let sum = 0;
    for (let i = 0; i < n; i += 1) {
      const v = column.values[i]!;
      if (v === v) {
        count += 1;
        sum += v;
      }
    }
    if (count === 0) return;
    if (column.kind === 'binary') {
      categories.push(coded((i) => (column.values[i]! !== column.values[i]! ? -1 : column.values[i]! ? 1 : 0)));
      categoryLevels.push(2);
      categoryBinary.push(true);
      categoryRows.push({ field: column.field, level: 'yes', column: c });
      return;
    }
    const center = sum / count;
    const sorted = new Float32Array(new SharedArrayBuffer(Math.max(1, n) * 4), 0, n);
    for (let i = 0; i < n; i += 1) sorted[position[i]!] = column.values[i]! - center;
    numbers.push(sorted);
    numberComplete.push(count === n);
    numberRows.push({ field: column.field, level: null, column: c });
  });
  const slotCount = 3 * numbers.length + categoryLevels.reduce((a, b) => a + b, 0);
  const strata = offsets.length - 1;
  const slotTotals = new Float64Array(strata * slotCount);
  const layout = { numbers, numberComplete, categories, categoryLevels };
  const everyone = new Int32Array(n);
  for (let k = 0; k < n; k += 1) everyone[k] = k;
  const scratch = new Int32Array(4 * categoryLevels.reduce((a, b) => Math.max(a, b), 0));
  for (let s = 0; s < strata; s += 1) addSlots(layout, everyone, offsets[s]!, offsets[s + 1]!, slotTotals.subarray(s * slotCount, (s + 1) * slotCount), scratch);
  const slotGrand = new Float64Array(slotCount);
  for (let s = 0; s < strata; s += 1) for (let k = 0; k < slotCount; k += 1) slotGrand[k] = slotGrand[k]! + slotTotals[s * slotCount + k]!;
  return {
    fields: { numbers, numberComplete, categories, categoryLevels, categoryBinary, slotCount, slotTotals, slotGrand },
    rows: [...numberRows, ...categoryRows],
  };
}

function checkGroups(n: number, control: number): void {
  const test = n - control;
  if (control === 0) {
    throw new EngineError('INVALID_ARGUMENT', `These settings give an empty LCG (0 of ${n.toLocaleString('en-US')} profiles): choose a larger share or limit.`, { field: 'percent' });
  }
  if (control < 2 || test < 2) {
    const which = control < 2 ? `an LCG of ${control} profile` : `a Test group of ${test} profile${test === 1 ? '' : 's'}`;
    throw new EngineError('INVALID_ARGUMENT', `These settings give ${which}: a comparison needs at least 2 profiles in each group. Change the share or limit.`, { field: 'percent' });
  }
}

/** The levels with the most profiles ("(no value)" = −1 among them; at most MAX_BALANCE_LEVELS), in the field's own order. */
function trackedLevels(codes: Int32Array, levels: number): number[] {
  // counts[code + 1]: code −1 is "(no value)".
  const counts = new Float64Array(levels + 1);
  for (let i = 0; i < codes.length; i += 1) {
    const code = codes[i]!;
    if (code >= -1 && code < levels) counts[code + 1] = counts[code + 1]! + 1;
  }
  const present = Array.from({ length: levels + 1 }, (_, at) => at - 1).filter((level) => counts[level + 1]! > 0);
  if (present.length <= MAX_BALANCE_LEVELS) return present;
  return present
    .sort((a, b) => counts[b + 1]! - counts[a + 1]! || a - b)
    .slice(0, MAX_BALANCE_LEVELS)
    .sort((a, b) => a - b);
}

function effectOf(binary: boolean, mean: number, effect: number): McEffect {
  if (!binary) return { kind: 'continuous', factor: 1 + effect };
  const target = mean * (1 + effect);
  if (target > 1) {
    const percent = (effect * 100).toLocaleString('en-US', { maximumFractionDigits: 2 });
    throw new EngineError('INVALID_ARGUMENT', `An effect of +${percent} % on a rate of ${(mean * 100).toFixed(2)} % would pass 100 %: choose a smaller effect.`, { field: 'effect' });
  }
  // Non-converters in Test convert with p·u/(1 − p), so the expected rate is p·(1 + u).
  return effect >= 0 ? { kind: 'binary', add: (mean * effect) / (1 - mean), remove: 0 } : { kind: 'binary', add: 0, remove: -effect };
}
