/**
 * Picks, inside each stratum, the profiles that go to control: the `control[s]` lowest by
 * md5(seed ":" id), then by id (STATS.md 1.3). Only the boundary matters, not a full sort.
 *
 * md5 digests are uniform, so the leading bits of each digest share a stratum out evenly
 * among buckets: one pass counts each stratum's profiles per bucket, which locates the
 * bucket holding its c_s-th smallest digest; a second pass marks every profile in a lower
 * bucket as control and gathers the few in the boundary bucket, which alone are sorted by
 * the full rule. Two linear passes over typed arrays for a million profiles, no
 * comparisons outside the boundary buckets.
 *
 * `hashes` holds four big-endian words per profile (see hash-ids.ts); comparing them as
 * unsigned integers is the order of the lowercase hex digests. `tieBreak` orders exact
 * ties (distinct IDs with equal digests do not occur in practice, but the rule is total);
 * without it, the input order does.
 */
export function selectControl(
  stratumOf: Uint32Array,
  hashes: Uint32Array,
  control: ArrayLike<number>,
  tieBreak?: (a: number, b: number) => number,
): Uint8Array {
  const n = stratumOf.length;
  const strata = control.length;
  const flags = new Uint8Array(n);
  if (n === 0 || strata === 0) return flags;

  // About 16 profiles of a stratum per bucket, at most 2^16 buckets per stratum.
  const bits = Math.max(0, Math.min(16, Math.floor(Math.log2(n / strata / 16))));
  const shift = 32 - bits;
  const buckets = 1 << bits;
  const bucketOf = (i: number): number => (bits === 0 ? 0 : hashes[i * 4]! >>> shift);

  const counts = new Int32Array(strata * buckets);
  const sizes = new Int32Array(strata);
  for (let i = 0; i < n; i += 1) {
    const s = stratumOf[i]!;
    sizes[s]! += 1;
    counts[s * buckets + bucketOf(i)]! += 1;
  }

  // Per stratum: the boundary bucket, how many of it go to control, and where its profiles go.
  const boundary = new Int32Array(strata).fill(-1);
  const needed = new Int32Array(strata);
  const slotStart = new Int32Array(strata + 1);
  for (let s = 0; s < strata; s += 1) {
    const c = control[s]!;
    if (c > sizes[s]!) throw new RangeError(`Stratum ${s} has ${sizes[s]} profiles but a quota of ${c}.`);
    let inBoundary = 0;
    if (c === sizes[s]!) boundary[s] = buckets; // everyone
    else if (c > 0) {
      let below = 0;
      let b = 0;
      while (below + counts[s * buckets + b]! < c) below += counts[s * buckets + b++]!;
      boundary[s] = b;
      needed[s] = c - below;
      inBoundary = counts[s * buckets + b]!;
    }
    slotStart[s + 1] = slotStart[s]! + inBoundary;
  }

  const candidates = new Int32Array(slotStart[strata]!);
  const fill = slotStart.slice(0, strata);
  for (let i = 0; i < n; i += 1) {
    const s = stratumOf[i]!;
    const edge = boundary[s]!;
    if (edge < 0) continue;
    const b = bucketOf(i);
    if (b < edge) flags[i] = 1;
    else if (b === edge) candidates[fill[s]!++] = i;
  }

  const compare = (a: number, b: number): number => {
    for (let w = 0; w < 4; w += 1) {
      const x = hashes[a * 4 + w]!;
      const y = hashes[b * 4 + w]!;
      if (x !== y) return x < y ? -1 : 1;
    }
    return tieBreak ? tieBreak(a, b) : a - b;
  };
  for (let s = 0; s < strata; s += 1) {
    const lo = slotStart[s]!;
    const hi = slotStart[s + 1]!;
    if (hi === lo) continue;
    const sorted = candidates.subarray(lo, hi).sort(compare);
    for (let k = 0; k < needed[s]!; k += 1) flags[sorted[k]!] = 1;
  }
  return flags;
}
