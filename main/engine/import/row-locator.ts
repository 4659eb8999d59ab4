/**
 * Rows written in batches are numbered 1, 2, 3 ... (the rowid of a fresh table) in the
 * order written; each batch carries the file row of each of its rows. This maps a rowid
 * back to its row in the file, to report it where the user can find it.
 */
export function rowLocator(batches: readonly Int32Array[]): (rowid: number) => number {
  const starts: number[] = [];
  let total = 0;
  for (const rows of batches) {
    starts.push(total);
    total += rows.length;
  }
  return (rowid) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= rowid - 1) lo = mid;
      else hi = mid - 1;
    }
    return batches[lo]![rowid - 1 - starts[lo]!]!;
  };
}
