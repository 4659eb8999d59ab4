/**
 * Per-row stratum codes turned into strata, a million rows at a time: the distinct codes,
 * how many rows each has, and each row's stratum number. A code is below the rules'
 * product (CompiledStrata.codes, `bound`); while that is small, arrays indexed by code do
 * what a Map would, without a hash lookup per row.
 */

/** Codes up to this bound are counted in arrays indexed by code (4 bytes each); larger ones in a Map. */
const DENSE_BOUND = 1 << 22;

const dense = (bound: number) => bound <= DENSE_BOUND && Number.isInteger(bound) && bound > 0;

/** The distinct codes of `codes`, in the order they first appear. */
export function distinctCodes(codes: ArrayLike<number>, bound: number): number[] {
  if (!dense(bound)) return [...new Set(Array.from(codes))];
  const seen = new Uint8Array(bound);
  const out: number[] = [];
  for (let i = 0; i < codes.length; i += 1) {
    const code = codes[i]!;
    if (seen[code] === 0) {
      seen[code] = 1;
      out.push(code);
    }
  }
  return out;
}

/** The rows of each code (only rows `keep` keeps), in code order. */
export function tallyCodes(codes: ArrayLike<number>, bound: number, keep: (row: number) => boolean): [code: number, rows: number][] {
  if (!dense(bound)) {
    const byCode = new Map<number, number>();
    for (let i = 0; i < codes.length; i += 1) if (keep(i)) byCode.set(codes[i]!, (byCode.get(codes[i]!) ?? 0) + 1);
    return [...byCode].sort((a, b) => a[0] - b[0]);
  }
  const counts = new Int32Array(bound);
  for (let i = 0; i < codes.length; i += 1) if (keep(i)) counts[codes[i]!]! += 1;
  const out: [number, number][] = [];
  for (let code = 0; code < bound; code += 1) if (counts[code]! > 0) out.push([code, counts[code]!]);
  return out;
}

/** Each row's number for its code (`numbers` has every code of `codes`). */
export function numberRows(codes: ArrayLike<number>, bound: number, numbers: ReadonlyMap<number, number>): Int32Array<ArrayBuffer> {
  const out = new Int32Array(codes.length);
  if (!dense(bound)) {
    for (let i = 0; i < codes.length; i += 1) out[i] = numbers.get(codes[i]!)!;
    return out;
  }
  const table = new Int32Array(bound);
  for (const [code, number] of numbers) table[code] = number;
  for (let i = 0; i < codes.length; i += 1) out[i] = table[codes[i]!]!;
  return out;
}
