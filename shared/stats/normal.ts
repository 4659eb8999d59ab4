/**
 * The standard normal distribution to double precision: Φ by Hart's rational
 * approximation as given by West (2005), "Better approximations to cumulative normal
 * functions" (absolute error below 1e-14), and Φ⁻¹ by Acklam's approximation refined by
 * one Halley step on Φ (relative error below 1e-15 in the range used here).
 */

/** The upper tail for z ≥ 0, computed without cancellation. */
function upperOfNonNegative(z: number): number {
  if (z > 37) return 0;
  const e = Math.exp(-(z * z) / 2);
  if (z < 7.07106781186547) {
    let b = 3.52624965998911e-2 * z + 0.700383064443688;
    b = b * z + 6.37396220353165;
    b = b * z + 33.912866078383;
    b = b * z + 112.079291497871;
    b = b * z + 221.213596169931;
    b = b * z + 220.206867912376;
    const numerator = e * b;
    let d = 8.83883476483184e-2 * z + 1.75566716318264;
    d = d * z + 16.064177579207;
    d = d * z + 86.7807322029461;
    d = d * z + 296.564248779674;
    d = d * z + 637.333633378831;
    d = d * z + 793.826512519948;
    d = d * z + 440.413735824752;
    return numerator / d;
  }
  let b = z + 0.65;
  b = z + 4 / b;
  b = z + 3 / b;
  b = z + 2 / b;
  b = z + 1 / b;
  return e / b / 2.506628274631;
}

/** Φ(z): P(Z ≤ z). */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  return z >= 0 ? 1 - upperOfNonNegative(z) : upperOfNonNegative(-z);
}

/** Q(z) = 1 − Φ(z): P(Z > z), accurate in the far upper tail. */
export function normalUpper(z: number): number {
  if (Number.isNaN(z)) return NaN;
  return z >= 0 ? upperOfNonNegative(z) : 1 - upperOfNonNegative(-z);
}

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Φ⁻¹(p) for 0 < p < 1: the z with P(Z ≤ z) = p. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  // Above the median by symmetry: 1 − p is exact there, and the lower tail keeps its digits.
  if (p > 0.5) return -normalQuantile(1 - p);
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) / (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
  }
  // One Halley step on Φ (x ≤ 0 here, where Φ is computed to full relative precision).
  const u = (normalCdf(x) - p) * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}
