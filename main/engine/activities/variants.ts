/**
 * A/B variants of an activity run, deterministic and exact like the split: recipients are
 * ordered by md5(campaign seed ":ab:" activity id ":" profile_id) (then by the ID), the
 * counts per variant are the largest-remainder shares of the recipients, and the ordered
 * recipients are cut into consecutive blocks of those sizes. The same run on another
 * machine, or in SQL, gives every recipient the same variant.
 */
import { percentToBasisPoints } from '../../../shared/split/control-total';
import { compareText } from '../../../shared/split/quotas';

/** The hashing seed of an activity's variants: md5(seed ":" id) is then md5(campaignSeed:ab:activityId:id). */
export const variantSeed = (campaignSeed: string, activityId: number) => `${campaignSeed}:ab:${activityId}`;

/**
 * Recipients per variant: floor(n * bp / 10000) each, the leftovers to the largest
 * remainders, ties to the earlier variant. Sums to n exactly.
 */
export function variantCounts(n: number, percents: readonly (number | string)[]): number[] {
  const bps = percents.map((p) => BigInt(percentToBasisPoints(p)));
  const total = bps.reduce((sum, bp) => sum + bp, 0n);
  if (total !== 10_000n) throw new RangeError(`Variant shares must add up to 100 %, not ${Number(total) / 100} %.`);
  const bigN = BigInt(n);
  const base = bps.map((bp) => Number((bigN * bp) / 10_000n));
  const remainder = bps.map((bp) => Number((bigN * bp) % 10_000n));
  const leftover = n - base.reduce((sum, b) => sum + b, 0);
  const order = base.map((_, i) => i).sort((a, b) => remainder[b]! - remainder[a]! || a - b);
  for (const i of order.slice(0, leftover)) base[i]! += 1;
  return base;
}

/**
 * Indices 0..count-1 in the order of their digests (four big-endian words each, as
 * hashPackedIds returns them), then of their IDs. Sorts numbers, not strings: the first word
 * and the index packed into one double, then runs of equal first words (rare) by the rest.
 */
export function orderByHash(hashes: Uint32Array, count: number, idAt: (index: number) => string): Int32Array {
  const compareFull = (a: number, b: number): number => {
    for (let w = 0; w < 4; w += 1) {
      const x = hashes[a * 4 + w]!;
      const y = hashes[b * 4 + w]!;
      if (x !== y) return x < y ? -1 : 1;
    }
    return compareText(idAt(a), idAt(b));
  };
  const INDEX_BITS = 2 ** 21;
  if (count > INDEX_BITS) return Int32Array.from({ length: count }, (_, i) => i).sort(compareFull);
  const keys = new Float64Array(count);
  for (let i = 0; i < count; i += 1) keys[i] = hashes[i * 4]! * INDEX_BITS + i;
  keys.sort();
  const order = new Int32Array(count);
  for (let i = 0; i < count; i += 1) order[i] = keys[i]! % INDEX_BITS;
  for (let start = 0; start < count; ) {
    let end = start + 1;
    const word = hashes[order[start]! * 4]!;
    while (end < count && hashes[order[end]! * 4] === word) end += 1;
    if (end - start > 1) order.subarray(start, end).sort(compareFull);
    start = end;
  }
  return order;
}

/** The variant of each recipient (by index): consecutive blocks of `counts` in hash order. */
export function assignVariants(hashes: Uint32Array, count: number, counts: readonly number[], idAt: (index: number) => string): Uint8Array {
  const order = orderByHash(hashes, count, idAt);
  const variantOf = new Uint8Array(count);
  let position = 0;
  counts.forEach((n, variant) => {
    for (let k = 0; k < n; k += 1) variantOf[order[position++]!] = variant;
  });
  return variantOf;
}
