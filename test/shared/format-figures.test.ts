/** How the simulator's figures read, in the UI, the CLI and the sentence alike. */
import { describe, expect, it } from 'vitest';
import { formatChange, formatShare, formatValue } from '../../shared/format';

describe('figures for people', () => {
  it('shares: one decimal from 1 %, up to two below, whole numbers from 10 %', () => {
    expect(formatShare(0.05)).toBe('5.0 %');
    expect(formatShare(0.057)).toBe('5.7 %');
    expect(formatShare(0.1)).toBe('10 %');
    expect(formatShare(0.125)).toBe('12.5 %');
    expect(formatShare(0.0035)).toBe('0.35 %');
    expect(formatShare(0.001)).toBe('0.1 %');
    expect(formatShare(0)).toBe('0 %');
    expect(formatShare(1)).toBe('100 %');
    expect(formatShare(Number.NaN)).toBe('–');
  });

  it('changes carry their sign, with a true minus', () => {
    expect(formatChange(0.1326)).toBe('+13 %');
    expect(formatChange(0.05)).toBe('+5 %');
    expect(formatChange(-0.024)).toBe('−2.4 %');
    expect(formatChange(0.0035)).toBe('+0.35 %');
    expect(formatChange(0)).toBe('+0 %');
  });

  it('values: about four significant digits, grouped', () => {
    expect(formatValue(1234.5)).toBe('1,235');
    expect(formatValue(52.3)).toBe('52.30');
    expect(formatValue(0.0064362)).toBe('0.006436');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe('–');
  });
});
