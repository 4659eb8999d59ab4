/**
 * Balance statistics of STATS.md §3: the standardised mean difference between Test and
 * LCG, and chi-square homogeneity of a categorical field across the two groups.
 */
import { chiSquareUpper } from './chi-square';

/** |SMD| above this flags a field as imbalanced. */
export const SMD_FLAG = 0.1;

/** Whether an SMD flags imbalance: |d| > SMD_FLAG (no SMD, no flag). */
export function isImbalanced(d: number | null): boolean {
  return d !== null && Math.abs(d) > SMD_FLAG;
}

/**
 * d = (mean_T − mean_C)/√((var_T + var_C)/2). For a yes/no field pass the rates and
 * p(1 − p) as the variances. Null when both groups are constant (no spread to compare by),
 * or a group is empty.
 */
export function smd(meanT: number, varT: number, meanC: number, varC: number): number | null {
  const spread = Math.sqrt((varT + varC) / 2);
  if (!(spread > 0) || !Number.isFinite(meanT) || !Number.isFinite(meanC)) return null;
  return (meanT - meanC) / spread;
}

export interface ChiSquareResult {
  readonly chiSquare: number;
  readonly df: number;
  readonly pValue: number;
  readonly cramersV: number;
  /** The smallest expected count; the test is valid when it is at least 5. */
  readonly minExpected: number;
}

/**
 * Chi-square homogeneity of K levels × G groups (`counts[level][group]`): E = row·column/N,
 * χ² = Σ(O − E)²/E, df = (K − 1)(G − 1), Cramér's V = √(χ²/(N·(min(K, G) − 1))). Levels and
 * groups with no profile are dropped first. Null with fewer than two of either.
 */
export function chiSquareHomogeneity(counts: readonly (readonly number[])[]): ChiSquareResult | null {
  const groups = counts[0]?.length ?? 0;
  const rows = counts.filter((row) => row.reduce((a, b) => a + b, 0) > 0);
  const liveGroups = Array.from({ length: groups }, (_, g) => g).filter((g) => rows.some((row) => row[g]! > 0));
  if (rows.length < 2 || liveGroups.length < 2) return null;
  const rowTotals = rows.map((row) => liveGroups.reduce((sum, g) => sum + row[g]!, 0));
  const colTotals = liveGroups.map((g) => rows.reduce((sum, row) => sum + row[g]!, 0));
  const n = rowTotals.reduce((a, b) => a + b, 0);
  let chi = 0;
  let minExpected = Infinity;
  rows.forEach((row, r) => {
    liveGroups.forEach((g, c) => {
      const expected = (rowTotals[r]! * colTotals[c]!) / n;
      minExpected = Math.min(minExpected, expected);
      chi += (row[g]! - expected) ** 2 / expected;
    });
  });
  const df = (rows.length - 1) * (liveGroups.length - 1);
  const k = Math.min(rows.length, liveGroups.length) - 1;
  return { chiSquare: chi, df, pValue: chiSquareUpper(chi, df), cramersV: Math.sqrt(chi / (n * k)), minExpected };
}
