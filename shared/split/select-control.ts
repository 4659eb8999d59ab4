/**
 * Picks, inside each stratum, the profiles that go to control: the `control[s]` lowest by
 * md5(seed ":" id), then by id (STATS.md 1.3). Only the boundary matters, not a full sort,
 * so each stratum is partitioned around its c_s-th key (quickselect): linear time for a
 * million profiles.
 *
 * `hashes` holds four big-endian words per profile (see hash-ids.ts); comparing them as
 * unsigned integers is the order of the lowercase hex digests. `ids` breaks exact ties
 * (distinct IDs with equal digests do not occur in practice, but the rule is total).
 */
export function selectControl(
  stratumOf: Uint32Array,
  hashes: Uint32Array,
  control: ArrayLike<number>,
  tieBreak?: (a: number, b: number) => number,
): Uint8Array {
  const n = stratumOf.length;
  const strata = control.length;
  // Counting sort of profile indices by stratum.
  const starts = new Int32Array(strata + 1);
  for (let i = 0; i < n; i += 1) starts[stratumOf[i]! + 1]! += 1;
  for (let s = 0; s < strata; s += 1) starts[s + 1]! += starts[s]!;
  const order = new Int32Array(n);
  const fill = starts.slice(0, strata);
  for (let i = 0; i < n; i += 1) order[fill[stratumOf[i]!]!++] = i;

  const compare = (a: number, b: number): number => {
    for (let w = 0; w < 4; w += 1) {
      const x = hashes[a * 4 + w]!;
      const y = hashes[b * 4 + w]!;
      if (x !== y) return x < y ? -1 : 1;
    }
    return tieBreak ? tieBreak(a, b) : a - b;
  };

  const flags = new Uint8Array(n);
  for (let s = 0; s < strata; s += 1) {
    const lo = starts[s]!;
    const hi = starts[s + 1]!;
    const c = control[s]!;
    if (c <= 0) continue;
    if (c > hi - lo) throw new RangeError(`Stratum ${s} has ${hi - lo} profiles but a quota of ${c}.`);
    if (c < hi - lo) quickselect(order, lo, hi - 1, lo + c - 1, compare);
    for (let k = lo; k < lo + c; k += 1) flags[order[k]!] = 1;
  }
  return flags;
}

/** Reorders order[lo..hi] so that order[k] is the k-th smallest and everything before it is smaller. */
function quickselect(order: Int32Array, lo: number, hi: number, k: number, compare: (a: number, b: number) => number): void {
  while (hi > lo) {
    // Median of three as the pivot keeps hostile or sorted input from going quadratic.
    const mid = lo + ((hi - lo) >> 1);
    if (compare(order[mid]!, order[lo]!) < 0) swap(order, mid, lo);
    if (compare(order[hi]!, order[lo]!) < 0) swap(order, hi, lo);
    if (compare(order[hi]!, order[mid]!) < 0) swap(order, hi, mid);
    const pivot = order[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (compare(order[i]!, pivot) < 0) i += 1;
      while (compare(order[j]!, pivot) > 0) j -= 1;
      if (i <= j) {
        swap(order, i, j);
        i += 1;
        j -= 1;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(order: Int32Array, a: number, b: number): void {
  const t = order[a]!;
  order[a] = order[b]!;
  order[b] = t;
}
