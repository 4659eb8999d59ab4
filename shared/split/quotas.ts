import { md5Hex } from './md5';

export interface StratumSize {
  readonly key: string;
  readonly size: number;
}

export interface StratumQuota {
  readonly key: string;
  readonly size: number;
  /** floor(M * N_s / N) */
  readonly base: number;
  /** (M * N_s) mod N: the remainder in units of 1/N. */
  readonly remainder: number;
  /** md5(seed ":stratum:" key), the tie-break among equal remainders. */
  readonly tieHash: string;
  /** The exact quota M * N_s / N. */
  readonly exact: number;
  /** The control count: base, plus one for the strata with the largest remainders. */
  readonly control: number;
}

/**
 * Largest-remainder (Hamilton) quotas of STATS.md 1.2: the control total M is shared
 * among strata in proportion to their sizes, exactly (sum = M), each within one profile of
 * its proportional share. Leftovers go by remainder descending, then md5(seed ":stratum:"
 * key) ascending, then the key, so every system computes the same counts. Integer
 * arithmetic in BigInt: M * N_s can pass 2^53.
 */
export function allocateQuotas(strata: readonly StratumSize[], total: number, seed: string): StratumQuota[] {
  const n = strata.reduce((sum, s) => sum + s.size, 0);
  if (total > n) throw new RangeError(`The control total ${total} exceeds the audience ${n}.`);
  if (n === 0) return strata.map((s) => ({ key: s.key, size: s.size, base: 0, remainder: 0, tieHash: md5Hex(`${seed}:stratum:${s.key}`), exact: 0, control: 0 }));
  const bigN = BigInt(n);
  const bigM = BigInt(total);
  const rows = strata.map((s) => {
    const product = bigM * BigInt(s.size);
    return {
      key: s.key,
      size: s.size,
      base: Number(product / bigN),
      remainder: Number(product % bigN),
      tieHash: md5Hex(`${seed}:stratum:${s.key}`),
      exact: (total * s.size) / n,
    };
  });
  const leftover = total - rows.reduce((sum, r) => sum + r.base, 0);
  const order = rows
    .map((r, index) => ({ r, index }))
    .sort((a, b) => b.r.remainder - a.r.remainder || compareText(a.r.tieHash, b.r.tieHash) || compareText(a.r.key, b.r.key));
  const extra = new Set(order.slice(0, leftover).map((o) => o.index));
  return rows.map((r, index) => ({ ...r, control: r.base + (extra.has(index) ? 1 : 0) }));
}

/**
 * The order of UTF-8 bytes (SQLite's BINARY collation, PostgreSQL's COLLATE "C"), which is
 * code point order. JavaScript's `<` compares UTF-16 code units instead; the two differ
 * only where a character above U+FFFF meets one in U+E000-U+FFFF, so fix that case up.
 */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const surrogate = (x >= 0xd800 && x <= 0xdfff) || (y >= 0xd800 && y <= 0xdfff);
    if (!surrogate) return x < y ? -1 : 1;
    const cx = a.codePointAt(i) ?? x;
    const cy = b.codePointAt(i) ?? y;
    return cx < cy ? -1 : cx > cy ? 1 : 0;
  }
  return a.length - b.length < 0 ? -1 : a.length === b.length ? 0 : 1;
}
