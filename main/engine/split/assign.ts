/**
 * The split of STATS.md section 1 on IDs already in memory: control total, Hamilton quotas
 * per stratum, md5 order inside each stratum. The stand-alone CSV split and its benchmark
 * run exactly this; it is the shared rules of shared/split/ plus the worker pool's hashing,
 * nothing else, so its result is the campaign split's for the same IDs, strata and seed.
 */
import type { StratumRow } from '../../../shared/contract/campaigns';
import { controlTotal, type LcgSize } from '../../../shared/split/control-total';
import { allocateQuotas, compareText, type StratumQuota } from '../../../shared/split/quotas';
import { selectControl } from '../../../shared/split/select-control';
import { hashIds } from '../../workers/hash-in-pool';
import type { WorkerPool } from '../../workers/pool';

export interface SplitInput {
  /** The IDs as UTF-8, separated by U+001F (shared/split/hash-ids.ts). */
  readonly packed: Uint8Array;
  readonly count: number;
  /** The stratum number of each ID (0 for all without stratification). */
  readonly stratumOf: Int32Array;
  /** The key of each stratum number (its tie-break among equal remainders). */
  readonly strataKeys: readonly string[];
  readonly seed: string;
  readonly size: LcgSize;
  /** The IDs, for the rule's last tie-break (equal digests); read only if such a tie occurs. */
  readonly idAt: (index: number) => string;
  /** The hashing pool (the engine's), or null to hash on this thread. */
  readonly pool: WorkerPool | null;
}

export interface SplitAssignment {
  /** The control total M. */
  readonly total: number;
  readonly quotas: StratumQuota[];
  /** 1 for control, 0 for test, per ID in input order. */
  readonly control: Uint8Array;
}

/** Counts the IDs of each stratum number. */
export function strataSizes(stratumOf: Int32Array, strata: number): Float64Array {
  const sizes = new Float64Array(strata);
  for (let i = 0; i < stratumOf.length; i += 1) sizes[stratumOf[i]!]! += 1;
  return sizes;
}

/** Control total, quotas, hashes and the choice of control profiles (STATS.md 1.1-1.3). */
export async function assignSplit(input: SplitInput): Promise<SplitAssignment> {
  // The workers hash while this thread counts the strata and shares out the quotas.
  const hashing = hashIds(input.seed, input.packed, input.count, input.pool);
  const total = controlTotal(input.count, input.size);
  const sizes = strataSizes(input.stratumOf, input.strataKeys.length);
  const quotas = allocateQuotas(
    input.strataKeys.map((key, s) => ({ key, size: sizes[s]! })),
    total,
    input.seed,
  );
  const hashes = await hashing;
  const control = selectControl(
    new Uint32Array(input.stratumOf.buffer, input.stratumOf.byteOffset, input.stratumOf.length),
    hashes,
    quotas.map((q) => q.control),
    (a, b) => compareText(input.idAt(a), input.idAt(b)),
  );
  return { total, quotas, control };
}

/** The strata table of the contract: size, exact quota, control count, share and deviation. */
export function stratumRows(quotas: readonly StratumQuota[], labels: readonly string[]): StratumRow[] {
  return quotas.map((q, s) => ({
    key: q.key,
    label: labels[s] ?? q.key,
    size: q.size,
    quota: q.exact,
    control: q.control,
    share: q.size === 0 ? 0 : q.control / q.size,
    deviation: q.control - q.exact,
  }));
}

