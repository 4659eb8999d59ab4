/** The one percent rule (shared/split/percent.ts): what it reads, and what each refusal says. */
import { describe, expect, it } from 'vitest';
import { Percent } from '../../../shared/contract/gcg';
import { parsePercent, percentProblem, percentToBasisPoints } from '../../../shared/split/percent';

describe('reading a percentage', () => {
  it('reads numbers and typed text in basis points, with a comma or a % sign', () => {
    expect(parsePercent('7.25')).toEqual({ ok: true, basisPoints: 725, text: '7.25' });
    expect(parsePercent('7,5')).toEqual({ ok: true, basisPoints: 750, text: '7.5' });
    expect(parsePercent(' 10 % ')).toEqual({ ok: true, basisPoints: 1000, text: '10' });
    expect(parsePercent(0.29)).toMatchObject({ basisPoints: 29, text: '0.29' });
    expect(parsePercent('7.50')).toMatchObject({ basisPoints: 750, text: '7.5' });
    expect(parsePercent('7.05')).toMatchObject({ basisPoints: 705, text: '7.05' });
    expect(parsePercent('.5')).toMatchObject({ basisPoints: 50, text: '0.5' });
    expect(parsePercent('100')).toMatchObject({ basisPoints: 10_000 });
    expect(parsePercent('0')).toMatchObject({ basisPoints: 0 });
    expect(percentToBasisPoints('12.5')).toBe(1250);
  });

  it('says what is wrong: negative, over 100, more than two decimals, not a number, empty', () => {
    expect(percentProblem('-1')).toBe('A percentage cannot be negative (-1); use a number from 0 to 100.');
    expect(percentProblem('101')).toBe('A percentage cannot be over 100 (101).');
    expect(percentProblem('100.01')).toBe('A percentage cannot be over 100 (100.01).');
    expect(percentProblem('7.255')).toBe('A percentage has at most two decimals, such as 7.25 (not 7.255).');
    expect(percentProblem('ten')).toBe('"ten" is not a number; type a percentage such as 5 or 2.5.');
    expect(percentProblem('1.2.3')).toBe('"1.2.3" is not a number; type a percentage such as 5 or 2.5.');
    expect(percentProblem('')).toBe('Type a percentage, such as 5 or 2.5.');
    expect(percentProblem('', { allowEmpty: true })).toBeNull();
    expect(parsePercent(1e-7)).toEqual({ ok: false, problem: 'A percentage has at most two decimals, such as 7.25 (not 1e-7).' });
    expect(parsePercent(Number.NaN)).toMatchObject({ ok: false });
    expect(() => percentToBasisPoints(-5)).toThrow('A percentage cannot be negative (-5)');
  });

  it('is the rule of the contract too, with the same words', () => {
    expect(Percent.safeParse('7.25').success).toBe(true);
    expect(Percent.safeParse(12).success).toBe(true);
    const negative = Percent.safeParse('-1');
    expect(negative.success).toBe(false);
    expect(negative.error?.issues[0]?.message).toBe('A percentage cannot be negative (-1); use a number from 0 to 100.');
    // People's spellings are read by the UI and the CLI; across the boundary it is a plain number.
    expect(Percent.safeParse('7,5').error?.issues[0]?.message).toBe('Give the percentage as a number such as 7.25, not "7,5".');
  });
});
