/**
 * A seeded random generator that gives the same stream on every machine and every
 * JavaScript engine: xoshiro128** (Blackman and Vigna) in 32-bit integer arithmetic, its
 * state the md5 of a text seed. The simulator's Monte Carlo draws every replicate from its
 * own stream, so its results depend on the seed only, never on the clock or the threads.
 * Not for anything secret.
 */
import { Md5 } from '../split/md5';

const TWO_32 = 4294967296;
const TWO_MINUS_32 = 1 / TWO_32;
const TWO_MINUS_53 = 1 / 9007199254740992;
/** Below this n, x·n (x < 2^32) is below 2^53, so it is exact in a double. */
const EXACT_PRODUCT_MAX = 2097152;

const encoder = new TextEncoder();

export class SeededStream {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** The stream of a text seed: its state is md5(seed) as four words. */
  constructor(seed: string) {
    const bytes = encoder.encode(seed);
    const words = new Uint32Array(4);
    new Md5().digestWords(bytes, bytes.length, words, 0);
    this.s0 = words[0]! | 0;
    this.s1 = words[1]! | 0;
    this.s2 = words[2]! | 0;
    this.s3 = words[3]! | 0;
    // xoshiro's one forbidden state; md5 gives it with probability 2^-128, but be exact.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result >>> 0;
  }

  /** Uniform in [0, 1), on the grid of 2^-53 (53 random bits). */
  nextDouble(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) * TWO_MINUS_53;
  }

  /**
   * An integer in [0, n), each value exactly equally likely (Lemire's multiply-and-reject:
   * no modulo bias), for an integer 1 <= n <= 2^32.
   */
  below(n: number): number {
    if (n <= EXACT_PRODUCT_MAX) {
      let m = this.nextUint32() * n;
      let low = m - Math.floor(m * TWO_MINUS_32) * TWO_32;
      if (low < n) {
        const threshold = (TWO_32 - n) % n;
        while (low < threshold) {
          m = this.nextUint32() * n;
          low = m - Math.floor(m * TWO_MINUS_32) * TWO_32;
        }
      }
      return Math.floor(m * TWO_MINUS_32);
    }
    if (!(n <= TWO_32) || !Number.isInteger(n)) throw new RangeError(`below(${n}): n must be an integer from 1 to 2^32.`);
    // The 64-bit product x·n in two exact halves of 16 and 32 bits.
    const threshold = (TWO_32 - n) % n;
    for (;;) {
      const x = this.nextUint32();
      const a = (x & 0xffff) * n;
      const b = (x >>> 16) * n + Math.floor(a / 65536);
      const high = Math.floor(b / 65536);
      const low = (b - high * 65536) * 65536 + (a - Math.floor(a / 65536) * 65536);
      if (low >= threshold) return high;
    }
  }

  /**
   * A draw of Binomial(n, p), exact in distribution: inversion when n·min(p, 1−p) < 10,
   * otherwise Hörmann's BTRD (transformed rejection with decomposition, 1993).
   */
  binomial(n: number, p: number): number {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`binomial: n = ${n} is not a count.`);
    if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial: p = ${p} is not a probability.`);
    if (n === 0 || p === 0) return 0;
    if (p === 1) return n;
    if (p > 0.5) return n - this.binomial(n, 1 - p);
    return n * p < 10 ? this.binomialInversion(n, p) : this.binomialBtrd(n, p);
  }

  private binomialInversion(n: number, p: number): number {
    const q = 1 - p;
    const s = p / q;
    const a = (n + 1) * s;
    const first = Math.exp(n * Math.log1p(-p));
    for (;;) {
      let r = first;
      let u = this.nextDouble();
      let x = 0;
      while (u > r && x < n) {
        u -= r;
        x += 1;
        r *= a / x - s;
      }
      // Rounding can leave u above the whole mass; draw again rather than bias the tail.
      if (u <= r) return x;
    }
  }

  private binomialBtrd(n: number, p: number): number {
    const m = Math.floor((n + 1) * p);
    const r = p / (1 - p);
    const nr = (n + 1) * r;
    const npq = n * p * (1 - p);
    const sqrtNpq = Math.sqrt(npq);
    const b = 1.15 + 2.53 * sqrtNpq;
    const a = -0.0873 + 0.0248 * b + 0.01 * p;
    const c = n * p + 0.5;
    const alpha = (2.83 + 5.1 / b) * sqrtNpq;
    const vr = 0.92 - 4.2 / b;
    const urvr = 0.86 * vr;
    for (;;) {
      let v = this.nextDouble();
      let u: number;
      if (v <= urvr) {
        u = v / vr - 0.43;
        return Math.floor(((2 * a) / (0.5 - Math.abs(u)) + b) * u + c);
      }
      if (v >= vr) {
        u = this.nextDouble() - 0.5;
      } else {
        u = v / vr - 0.93;
        u = (u < 0 ? -0.5 : 0.5) - u;
        v = this.nextDouble() * vr;
      }
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + c);
      if (k < 0 || k > n) continue;
      v = (v * alpha) / (a / (us * us) + b);
      const km = Math.abs(k - m);
      if (km <= 15) {
        // Recursive evaluation of f(k)/f(m).
        let f = 1;
        if (m < k) for (let i = m + 1; i <= k; i += 1) f *= nr / i - r;
        else if (m > k) for (let i = k + 1; i <= m; i += 1) v *= nr / i - r;
        if (v <= f) return k;
        continue;
      }
      // Squeeze, then the exact log ratio with Stirling corrections.
      v = Math.log(v);
      const rho = (km / npq) * (((km / 3 + 0.625) * km + 1 / 6) / npq + 0.5);
      const t = (-km * km) / (2 * npq);
      if (v < t - rho) return k;
      if (v > t + rho) continue;
      const nm = n - m + 1;
      const h = (m + 0.5) * Math.log((m + 1) / (r * nm)) + stirlingCorrection(m) + stirlingCorrection(n - m);
      const nk = n - k + 1;
      if (v <= h + (n + 1) * Math.log(nm / nk) + (k + 0.5) * Math.log((nk * r) / (k + 1)) - stirlingCorrection(k) - stirlingCorrection(n - k)) return k;
    }
  }
}

const STIRLING = [
  0.08106146679532726, 0.04134069595540929, 0.02767792568499834, 0.02079067210376509, 0.01664469118982119, 0.01387612882307075,
  0.01189670994589177, 0.01041126526197209, 0.009255462182712733, 0.008330563433362871,
];

/** log(k!) − [(k + ½)·log(k + 1) − (k + 1) + ½·log(2π)]: the tail of Stirling's series. */
function stirlingCorrection(k: number): number {
  if (k < 10) return STIRLING[k]!;
  const k1 = k + 1;
  const k2 = k1 * k1;
  return (1 / 12 - (1 / 360 - 1 / 1260 / k2) / k2) / k1;
}
