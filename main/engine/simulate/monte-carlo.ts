/**
 * Monte Carlo on the real design (issue 9, part 3): K replicates of the campaign's exact
 * stratified split on the audience's own metric values. A/A: the distribution of the
 * Test − LCG difference and the false-positive rate at α; with an injected effect: the
 * empirical power next to the closed form; and how often each field would be flagged
 * |SMD| > 0.1 by chance. The replicates run in chunks on the engine's worker pool (the
 * audience shared, not copied), with progress and cancel between chunks.
 */
import type { SimHistogram, SimMonteCarlo, SimRate } from '../../../shared/contract/simulate';
import type { LcgSize } from '../../../shared/split/control-total';
import { wilsonInterval } from '../../../shared/stats/intervals';
import { criticalZ, type Sided } from '../../../shared/stats/power';
import { powerFor } from '../../../shared/simulate/plan';
import type { WorkerPool } from '../../workers/pool';
import type { SimData } from './data';
import { prepareDesign, type McDesign, type McShared } from './mc-design';
import { MONTE_CARLO_JOB, runReplicates, type McChunk, type MonteCarloJob } from './mc-kernel';

export interface MonteCarloSettings {
  readonly alpha: number;
  readonly sided: Sided;
  readonly percent: LcgSize['percent'];
  readonly limit: LcgSize['limit'];
  readonly seed: string;
  readonly effect: number | null;
}

export interface MonteCarloHooks {
  /** The engine's worker pool, or null to run on this thread. */
  readonly pool: WorkerPool | null;
  progress(done: number, total: number): void;
  /** Throws when the user cancelled (ctx.checkpoint). */
  checkpoint(): Promise<void>;
}

export const HISTOGRAM_BINS = 40;

/** Below this many draws in all, threads cost more than they save. */
const POOL_MIN_DRAWS = 2_000_000;
/**
 * About this many draws per chunk: a few tenths of a second, so progress moves and cancel
 * is quick, and enough replicates that each stratum is read from memory once for many.
 */
const CHUNK_DRAWS = 40_000_000;

export async function runMonteCarlo(data: SimData, settings: MonteCarloSettings, reps: number, hooks: MonteCarloHooks): Promise<SimMonteCarlo> {
  const started = performance.now();
  const design = prepareDesign(data, { seed: settings.seed, size: { percent: settings.percent, limit: settings.limit }, effect: settings.effect });
  const chunks = await runChunks(design.shared, reps, hooks);
  return summarise(design, settings, reps, chunks, performance.now() - started);
}

/** Draws per replicate: the smaller side of every stratum. */
function drawsPerReplicate(shared: McShared): number {
  let draws = 0;
  for (let s = 0; s < shared.quotas.length; s += 1) {
    const size = shared.offsets[s + 1]! - shared.offsets[s]!;
    draws += Math.min(shared.quotas[s]!, size - shared.quotas[s]!);
  }
  const fields = 1 + shared.numbers.length + shared.categories.length;
  return Math.max(1, draws * fields);
}

async function runChunks(shared: McShared, reps: number, hooks: MonteCarloHooks): Promise<McChunk[]> {
  const perReplicate = drawsPerReplicate(shared);
  const pool = hooks.pool && perReplicate * reps >= POOL_MIN_DRAWS ? hooks.pool : null;
  const lanes = pool ? pool.size : 1;
  // At least two chunks per lane, so a slow thread does not hold up the end.
  const chunkReps = Math.max(1, Math.min(Math.ceil(CHUNK_DRAWS / perReplicate), Math.ceil(reps / (2 * lanes))));
  const ranges: [number, number][] = [];
  for (let from = 0; from < reps; from += chunkReps) ranges.push([from, Math.min(reps, from + chunkReps)]);
  const results: McChunk[] = new Array(ranges.length);
  let next = 0;
  let done = 0;
  let failure: unknown = null;
  hooks.progress(0, reps);
  const lane = async () => {
    while (next < ranges.length && failure === null) {
      const index = next++;
      const [from, to] = ranges[index]!;
      try {
        const job: MonteCarloJob = { shared, from, to };
        results[index] = pool ? await pool.run<McChunk>(MONTE_CARLO_JOB, job) : runReplicates(shared, from, to);
        done += to - from;
        hooks.progress(done, reps);
        // Cancel stops here: the chunks not yet handed out are never run.
        await hooks.checkpoint();
      } catch (error) {
        failure ??= error;
      }
    }
  };
  // Every lane ends before this returns: no chunk of this run is left on a thread.
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failure !== null) throw failure;
  return results;
}

function gather(chunks: readonly McChunk[], pick: (chunk: McChunk) => Float64Array, reps: number): Float64Array {
  const all = new Float64Array(reps);
  for (const chunk of chunks) all.set(pick(chunk), chunk.from);
  return all;
}

function rate(rejected: number, reps: number): SimRate {
  return { rate: rejected / reps, rejected, interval95: wilsonInterval(rejected, reps, 0.95), interval99: wilsonInterval(rejected, reps, 0.99) };
}

function rejections(z: Float64Array, alpha: number, sided: Sided): number {
  const critical = criticalZ(alpha, sided);
  let rejected = 0;
  for (let i = 0; i < z.length; i += 1) if ((sided === 'two-sided' ? Math.abs(z[i]!) : z[i]!) > critical) rejected += 1;
  return rejected;
}

/** HISTOGRAM_BINS equal bins over the values' range (a point gets a bin of its own). */
export function histogram(values: Float64Array): SimHistogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i += 1) {
    lo = Math.min(lo, values[i]!);
    hi = Math.max(hi, values[i]!);
  }
  if (!(hi > lo)) {
    const half = Math.max(Math.abs(lo) * 1e-6, 1e-12);
    return { edges: [lo - half, lo + half], counts: [values.length] };
  }
  const width = (hi - lo) / HISTOGRAM_BINS;
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, b) => (b === HISTOGRAM_BINS ? hi : lo + b * width));
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (let i = 0; i < values.length; i += 1) counts[Math.min(HISTOGRAM_BINS - 1, Math.floor((values[i]! - lo) / width))]! += 1;
  return { edges, counts };
}

function meanAndSd(values: Float64Array): { mean: number; sd: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i += 1) sum += values[i]!;
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i += 1) squares += (values[i]! - mean) ** 2;
  return { mean, sd: values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0 };
}

/** The closed form's power (shared/simulate/plan.ts) for the injected relative effect at these exact group sizes. */
function closedFormPower(design: McDesign, settings: MonteCarloSettings, effect: number): number {
  const { test, control, binary } = design.shared;
  const metric = { n: test + control, mean: design.mean, variance: design.sd ** 2 };
  const closed = powerFor(binary, metric, effect, test, control, settings.alpha, settings.sided);
  // prepareDesign refused the cases without one (an empty group, a rate past 100 %).
  if (!closed) throw new Error('The closed form has no power for these settings.');
  return closed.power;
}

function summarise(design: McDesign, settings: MonteCarloSettings, reps: number, chunks: readonly McChunk[], durationMs: number): SimMonteCarlo {
  const aaDifference = gather(chunks, (c) => c.aaDifference, reps);
  const aa = meanAndSd(aaDifference);
  const flagged = new Int32Array(design.rows.length);
  for (const chunk of chunks) chunk.flagged.forEach((count, row) => (flagged[row] = flagged[row]! + count));
  const effect = settings.effect;
  return {
    reps,
    seed: settings.seed,
    test: design.shared.test,
    control: design.shared.control,
    aa: {
      meanDifference: aa.mean,
      sdDifference: aa.sd,
      falsePositive: rate(rejections(gather(chunks, (c) => c.aaZ, reps), settings.alpha, settings.sided), reps),
      histogram: histogram(aaDifference),
    },
    effect:
      effect === null
        ? null
        : {
            effect,
            power: rate(rejections(gather(chunks, (c) => c.effectZ, reps), settings.alpha, settings.sided), reps),
            closedFormPower: closedFormPower(design, settings, effect),
            histogram: histogram(gather(chunks, (c) => c.effectDifference, reps)),
          },
    // In the audience's field order (the kernel counts number fields first).
    balance: design.rows
      .map((row, i) => ({ row, flaggedRate: flagged[i]! / reps }))
      .sort((a, b) => a.row.column - b.row.column)
      .map(({ row, flaggedRate }) => ({ field: row.field, level: row.level, flaggedRate })),
    durationMs,
  };
}
