/**
 * A synthetic audience in the simulator's in-memory form (main/engine/simulate/data.ts),
 * for the Monte Carlo's tests and benchmark: strata of uneven sizes, a metric (yes/no at
 * about `rate`, or a skewed revenue: mostly 0, log-normal amounts), and balance fields
 * (numbers with gaps, yes/no, an enum with many levels). Seeded: the same every run.
 */
import type { SimColumn, SimData } from '../../main/engine/simulate/data';
import { packIds } from '../../shared/split/hash-ids';
import { SeededStream } from '../../shared/stats/random';

export interface SimDataOptions {
  readonly count: number;
  readonly strata: number;
  readonly metric: 'binary' | 'continuous';
  /** Yes/no metric: the share of yes (on average over strata). */
  readonly rate?: number;
  /** Balance fields: this many, cycling number, yes/no, enum (12 levels), number with gaps. */
  readonly fields?: number;
  /** How much the stratum moves the metric (0: not at all). */
  readonly stratumEffect?: number;
  readonly seed?: string;
}

/** A standard normal draw (Box–Muller). */
export function normal(stream: SeededStream): number {
  const u = 1 - stream.nextDouble();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * stream.nextDouble());
}

export function makeSimData(options: SimDataOptions): SimData {
  const { count, strata } = options;
  const stream = new SeededStream(options.seed ?? 'sim-data');
  const rate = options.rate ?? 0.05;
  const lift = options.stratumEffect ?? 0.3;
  // Uneven strata: weights 1/(s + 1)^0.8, so a few are large and many small.
  const weights = Array.from({ length: strata }, (_, s) => 1 / (s + 1) ** 0.8);
  const cumulative: number[] = [];
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  weights.reduce((sum, w, s) => (cumulative[s] = sum + w / totalWeight), 0);
  const stratumOf = new Int32Array(count);
  const y = new Float64Array(count);
  for (let i = 0; i < count; i += 1) {
    const u = stream.nextDouble();
    let lo = 0;
    let hi = strata - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    stratumOf[i] = lo;
    const shift = 1 + lift * (((lo % 5) - 2) / 2);
    if (options.metric === 'binary') y[i] = stream.nextDouble() < rate * shift ? 1 : 0;
    else y[i] = stream.nextDouble() < 0.3 ? Math.round(100 * Math.exp(3 + 1.2 * normal(stream)) * shift) / 100 : 0;
  }
  const columns: SimColumn[] = [];
  const levels = Array.from({ length: 12 }, (_, l) => `level-${l + 1}`);
  for (let f = 0; f < (options.fields ?? 0); f += 1) {
    const field = `field-${f + 1}`;
    switch (f % 4) {
      case 0:
        columns.push({ field, kind: 'number', values: Float64Array.from({ length: count }, () => 40 + 12 * normal(stream)) });
        break;
      case 1:
        columns.push({ field, kind: 'binary', values: Float64Array.from({ length: count }, () => (stream.nextDouble() < 0.3 ? 1 : 0)) });
        break;
      case 2:
        columns.push({ field, kind: 'categorical', levels, codes: Int32Array.from({ length: count }, () => (stream.nextDouble() < 0.05 ? -1 : stream.below(levels.length))) });
        break;
      default:
        columns.push({ field, kind: 'number', values: Float64Array.from({ length: count }, () => (stream.nextDouble() < 0.2 ? NaN : Math.exp(2 + normal(stream)))) });
    }
  }
  const keys = Array.from({ length: strata }, (_, s) => `stratum-${s}`);
  return {
    count,
    y,
    x: null,
    binary: options.metric === 'binary',
    stratumOf,
    strataKeys: keys,
    strataLabels: keys.map((key) => `Stratum ${key}`),
    packed: packIds(Array.from({ length: count }, (_, i) => String(i + 1).padStart(8, '0'))),
    columns,
    skipped: [],
  };
}
