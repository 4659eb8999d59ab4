/**
 * An analysis's figures in words, one rule for every place that shows them (the Analytics
 * tab; meant for the CLI, the report and the marketer's sentence too): a difference of a
 * rate in percentage points to two decimals, of a mean as a signed value, its interval,
 * and the p-value.
 */
import { formatPValue, formatValue } from '../format';

/** Percentage points to two decimals: a rate's difference of 0.004 is "+0.40 points". */
const POINT_DIGITS = 2;

/** A signed number with a true minus ("+0.42", "−1.30"), to `digits` decimals or about four significant digits; no sign on what rounds to 0. */
export function signedNumber(value: number, digits?: number): string {
  const magnitude = Math.abs(value);
  const text = digits === undefined ? formatValue(magnitude) : magnitude.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (Number(text.replace(/,/g, '')) === 0) return text;
  return `${value < 0 ? '−' : '+'}${text}`;
}

/** A Test − LCG difference as a number alone, for a column whose header names the unit: a rate's in percentage points ("+0.42"), a mean's as it is. */
export function differenceNumber(binary: boolean, value: number): string {
  return binary ? signedNumber(value * 100, POINT_DIGITS) : signedNumber(value);
}

/** A Test − LCG difference: of a rate in percentage points ("+0.42 points"), of a mean as a signed number ("−2.20"). */
export function differenceText(binary: boolean, value: number): string {
  return binary ? `${differenceNumber(true, value)} points` : differenceNumber(false, value);
}

/** An interval of a difference: "−0.12 to +0.96 points". */
export function intervalText(binary: boolean, low: number, high: number): string {
  return `${differenceNumber(binary, low)} to ${differenceNumber(binary, high)}${binary ? ' points' : ''}`;
}

/** "p = 0.034", "p < 0.001". */
export function pPhrase(p: number): string {
  const text = formatPValue(p);
  return text.startsWith('<') ? `p ${text}` : `p = ${text}`;
}
