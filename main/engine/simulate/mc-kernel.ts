/**
 * The Monte Carlo's replicates (pure computation: a worker thread or the engine's thread
 * runs it). Replicate r draws each stratum's control set uniformly at random with exactly
 * the campaign's quota, by Floyd's sampling of the stratum's positions into a bit set (the
 * smaller side is drawn; the other is the stratum's total minus it; reading the drawn
 * profiles in memory order keeps a million-profile audience fast), from its own stream
 * seeded by (seed, r): a replicate's result depends on the seed and r only, never on how
 * the replicates are cut into chunks or spread over threads.
 */
import { SeededStream } from '../../../shared/stats/random';
import { isImbalanced, smd } from '../../../shared/stats/balance';
import { sampleVariance } from '../../../shared/stats/moments';
import type { McShared } from './mc-design';

/** The job name of a chunk in the worker pool (main/workers/split-worker.ts). */
export const MONTE_CARLO_JOB = 'monte-carlo';

export interface MonteCarloJob {
  readonly shared: McShared;
  readonly from: number;
  readonly to: number;
}

/** What a chunk of replicates returns; per-replicate figures in replicate order. */
export interface McChunk {
  readonly from: number;
  readonly to: number;
  /** A/A: Test mean − LCG mean, and the test statistic. */
  readonly aaDifference: Float64Array;
  readonly aaZ: Float64Array;
  /** With the injected effect (empty without one). */
  readonly effectDifference: Float64Array;
  readonly effectZ: Float64Array;
  /** Per balance row (McDesign.rows order): replicates with |SMD| > 0.1. */
  readonly flagged: Int32Array;
}

/** The stream of replicate r: the same on every machine, whatever the chunking. */
export function replicateStream(seed: string, replicate: number): SeededStream {
  return new SeededStream(`${seed}:monte-carlo:${replicate}`);
}

/**
 * Adds the slots (see McShared) of the profiles at picked[from .. to − 1] (ascending sorted
 * positions) into `out`. One field at a time, in memory order, into local sums: a million
 * profiles stay fast. `scratch` holds 4 × the most levels.
 */
export function addSlots(layout: Pick<McShared, 'numbers' | 'numberComplete' | 'categories' | 'categoryLevels'>, picked: Int32Array, from: number, to: number, out: Float64Array, scratch: Int32Array): void {
  const { numbers, numberComplete, categories, categoryLevels } = layout;
  for (let f = 0; f < numbers.length; f += 1) {
    const values = numbers[f]!;
    let count = 0;
    let sum = 0;
    let sum2 = 0;
    if (numberComplete[f]) {
      count = to - from;
      for (let i = from; i < to; i += 1) {
        const v = values[picked[i]!]!;
        sum += v;
        sum2 += v * v;
      }
    } else {
      for (let i = from; i < to; i += 1) {
        const v = values[picked[i]!]!;
        if (v !== v) continue;
        count += 1;
        sum += v;
        sum2 += v * v;
      }
    }
    out[3 * f] = out[3 * f]! + count;
    out[3 * f + 1] = out[3 * f + 1]! + sum;
    out[3 * f + 2] = out[3 * f + 2]! + sum2;
  }
  let slot = 3 * numbers.length;
  for (let c = 0; c < categories.length; c += 1) {
    const codes = categories[c]!;
    const levels = categoryLevels[c]!;
    // Four interleaved tallies: consecutive profiles of one level would otherwise make
    // each count wait for the previous one (a store-to-load stall per profile).
    scratch.fill(0, 0, 4 * levels);
    for (let i = from; i < to; i += 1) {
      const code = codes[picked[i]!]!;
      if (code >= 0) scratch[(i & 3) * levels + code] = scratch[(i & 3) * levels + code]! + 1;
    }
    for (let l = 0; l < levels; l += 1) out[slot + l] = out[slot + l]! + scratch[l]! + scratch[levels + l]! + scratch[2 * levels + l]! + scratch[3 * levels + l]!;
    slot += levels;
  }
}

/** Runs replicates from .. to − 1. */
export function runReplicates(shared: McShared, from: number, to: number): McChunk {
  const { offsets, quotas, y, yTotals, slotCount, slotTotals } = shared;
  const strata = quotas.length;
  const total = offsets[strata]!;
  const count = to - from;
  const out: McChunk = {
    from,
    to,
    aaDifference: new Float64Array(count),
    aaZ: new Float64Array(count),
    effectDifference: new Float64Array(shared.effect ? count : 0),
    effectZ: new Float64Array(shared.effect ? count : 0),
    flagged: new Int32Array(shared.numbers.length + shared.categoryLevels.reduce((rows, levels, c) => rows + (shared.categoryBinary[c] ? 1 : levels), 0)),
  };
  let sumY = 0;
  let sum2Y = 0;
  for (let s = 0; s < strata; s += 1) {
    sumY += yTotals[2 * s]!;
    sum2Y += yTotals[2 * s + 1]!;
  }
  // The drawn profiles of the stratum at hand, one bit per sorted position; all clear between strata.
  const chosen = new Int32Array((total >>> 5) + 1);
  const drawn = new Float64Array(slotCount);
  let mostDraws = 0;
  for (let s = 0; s < strata; s += 1) mostDraws = Math.max(mostDraws, Math.min(quotas[s]!, offsets[s + 1]! - offsets[s]! - quotas[s]!));
  const picked = new Int32Array(mostDraws);
  const scratch = new Int32Array(4 * shared.categoryLevels.reduce((a, b) => Math.max(a, b), 0));
  // Per replicate: its stream, and Control's sums so far.
  const streams = Array.from({ length: count }, (_, i) => replicateStream(shared.seed, from + i));
  const sumC = new Float64Array(count);
  const sum2C = new Float64Array(count);
  const control = new Float64Array(count * slotCount);

  // Stratum by stratum, every replicate of the chunk: a stratum's profiles are read from
  // memory once per chunk and stay in cache for the other replicates. Each replicate still
  // draws from its own stream in stratum order, so the loop order changes no result.
  for (let s = 0; s < strata; s += 1) {
    const lo = offsets[s]!;
    const size = offsets[s + 1]! - lo;
    const quota = quotas[s]!;
    const drawControl = quota <= size - quota;
    const draws = drawControl ? quota : size - quota;
    const lastWord = draws > 0 ? (lo + size - 1) >>> 5 : -1;
    for (let r = 0; r < count; r += 1) {
      const stream = streams[r]!;
      // Floyd's algorithm: a uniform random subset of `draws` of the stratum's positions,
      // one draw each, without a shuffled copy of the stratum.
      for (let j = size - draws; j < size; j += 1) {
        let p = lo + stream.below(j + 1);
        if ((chosen[p >>> 5]! & (1 << (p & 31))) !== 0) p = lo + j;
        chosen[p >>> 5] = chosen[p >>> 5]! | (1 << (p & 31));
      }
      // Read the drawn profiles in position order (memory order), clearing the bits.
      let sum = 0;
      let sum2 = 0;
      let picks = 0;
      for (let w = lo >>> 5; w <= lastWord; w += 1) {
        let word = chosen[w]!;
        if (word === 0) continue;
        chosen[w] = 0;
        while (word !== 0) {
          const lowest = word & -word;
          word ^= lowest;
          const k = (w << 5) + 31 - Math.clz32(lowest);
          picked[picks++] = k;
          const v = y[k]!;
          sum += v;
          sum2 += v * v;
        }
      }
      // Control's share of the stratum: the drawn side, or the stratum's total minus it.
      sumC[r] = sumC[r]! + (drawControl ? sum : yTotals[2 * s]! - sum);
      sum2C[r] = sum2C[r]! + (drawControl ? sum2 : yTotals[2 * s + 1]! - sum2);
      if (slotCount > 0) {
        drawn.fill(0);
        addSlots(shared, picked, 0, picks, drawn, scratch);
        const at = s * slotCount;
        const into = r * slotCount;
        for (let k = 0; k < slotCount; k += 1) control[into + k] = control[into + k]! + (drawControl ? drawn[k]! : slotTotals[at + k]! - drawn[k]!);
      }
    }
  }
  for (let r = 0; r < count; r += 1) {
    replicateStatistics(shared, streams[r]!, sumY - sumC[r]!, sum2Y - sum2C[r]!, sumC[r]!, sum2C[r]!, r, out);
    flagBalance(shared, control.subarray(r * slotCount, (r + 1) * slotCount), out.flagged);
  }
  return out;
}

/** The test the closed form assumes: pooled two-proportion z, or Welch's z for means. 0 when there is no spread. */
function zStatistic(binary: boolean, meanT: number, varT: number, meanC: number, varC: number, nT: number, nC: number): number {
  if (binary) {
    const pooled = (meanT * nT + meanC * nC) / (nT + nC);
    const se = Math.sqrt(pooled * (1 - pooled) * (1 / nT + 1 / nC));
    return se > 0 ? (meanT - meanC) / se : 0;
  }
  const se = Math.sqrt(varT / nT + varC / nC);
  return se > 0 ? (meanT - meanC) / se : 0;
}

function replicateStatistics(shared: McShared, stream: SeededStream, sumT: number, sum2T: number, sumC: number, sum2C: number, index: number, out: McChunk): void {
  const nT = shared.test;
  const nC = shared.control;
  const meanC = sumC / nC;
  const meanT = sumT / nT;
  const varC = sampleVariance(nC, sumC, sum2C);
  const varT = sampleVariance(nT, sumT, sum2T);
  out.aaDifference[index] = meanT - meanC;
  out.aaZ[index] = zStatistic(shared.binary, meanT, varT, meanC, varC, nT, nC);
  const effect = shared.effect;
  if (!effect) return;
  if (effect.kind === 'binary') {
    // Conversions are counts: round away the sums' floating-point dust before drawing.
    const converted = Math.round(sumT);
    const changed = effect.add > 0 ? stream.binomial(nT - converted, effect.add) : -stream.binomial(converted, effect.remove);
    const rateT = (converted + changed) / nT;
    out.effectDifference[index] = rateT - meanC;
    out.effectZ[index] = zStatistic(true, rateT, 0, meanC, 0, nT, nC);
    return;
  }
  // Test's values times (1 + u): its mean (uncentred) and its spread scale alike.
  const factor = effect.factor;
  const rawT = factor * (meanT + shared.center);
  const rawC = meanC + shared.center;
  out.effectDifference[index] = rawT - rawC;
  out.effectZ[index] = zStatistic(false, rawT, factor * factor * varT, rawC, varC, nT, nC);
}

/** Counts the balance rows this replicate flags |SMD| > 0.1, from Control's slots (Test's: the total minus Control's). */
function flagBalance(shared: McShared, control: Float64Array, flagged: Int32Array): void {
  const grand = shared.slotGrand;
  let row = 0;
  for (let f = 0; f < shared.numbers.length; f += 1, row += 1) {
    const nC = control[3 * f]!;
    const nT = grand[3 * f]! - nC;
    if (nC === 0 || nT === 0) continue;
    const sC = control[3 * f + 1]!;
    const sT = grand[3 * f + 1]! - sC;
    const s2C = control[3 * f + 2]!;
    const d = smd(sT / nT, sampleVariance(nT, sT, grand[3 * f + 2]! - s2C), sC / nC, sampleVariance(nC, sC, s2C));
    if (isImbalanced(d)) flagged[row] = flagged[row]! + 1;
  }
  let slot = 3 * shared.numbers.length;
  shared.categoryLevels.forEach((levels, c) => {
    if (shared.categoryBinary[c]) {
      // Yes/no: the share of yes among the profiles with a value (slots: no, yes).
      const yesC = control[slot + 1]!;
      const yesT = grand[slot + 1]! - yesC;
      const nC = control[slot]! + yesC;
      const nT = grand[slot]! + grand[slot + 1]! - nC;
      if (nC > 0 && nT > 0 && flags(yesT / nT, yesC / nC)) flagged[row] = flagged[row]! + 1;
      row += 1;
    } else {
      // A level's share among all profiles of each group.
      for (let l = 0; l < levels; l += 1, row += 1) {
        if (flags((grand[slot + l]! - control[slot + l]!) / shared.test, control[slot + l]! / shared.control)) flagged[row] = flagged[row]! + 1;
      }
    }
    slot += levels;
  });
}

/** Whether two shares differ by |SMD| > 0.1 (binary SMD, p(1 − p) as the variances). */
function flags(pT: number, pC: number): boolean {
  const d = smd(pT, pT * (1 - pT), pC, pC * (1 - pC));
  return isImbalanced(d);
}
