/** The cap's quantile (the k-th smallest, k = ⌈cap·n⌉) by selection equals the sorted array's, on any data. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantileValue } from '../../../../main/engine/simulate/metric';

describe('the cap quantile', () => {
  it('is the ⌈cap·n⌉-th smallest value, with ties, repeats and sorted or reversed input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.constantFrom('as is', 'sorted', 'reversed'),
        (list, cap, order) => {
          const values = Float64Array.from(order === 'as is' ? list : [...list].sort((a, b) => (order === 'sorted' ? a - b : b - a)));
          const sorted = Float64Array.from(values).sort();
          const k = Math.min(values.length, Math.max(1, Math.ceil(Math.round(cap * values.length * 1e6) / 1e6)));
          // Numerically equal (-0 and 0 are the same value here).
          expect(quantileValue(values, cap) === sorted[k - 1]).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('leaves the values it is given as they were', () => {
    const values = Float64Array.from([5, 1, 4, 2, 3]);
    expect(quantileValue(values, 0.5)).toBe(3);
    expect([...values]).toEqual([5, 1, 4, 2, 3]);
  });
});
