/**
 * Reading a percentage, the one rule for every percent field and option (the LCG share,
 * the GCG share, A/B variant shares; the engine, `cplan` and the renderer): a number from 0
 * to 100 with at most two decimals, a comma accepted as the decimal point and a trailing "%"
 * ignored. The value is kept in basis points (7.25 % = 725), because in floating point
 * 100 * 0.29 is 28.999999999999996 (STATS.md 1.1). Each refusal says what is wrong.
 */

export type PercentReading =
  | { readonly ok: true; readonly basisPoints: number; /** The engine's form, "7.25". */ readonly text: string }
  | { readonly ok: false; readonly problem: string };

/** The problem of an empty field, where a percentage is required. */
export const PERCENT_REQUIRED = 'Type a percentage, such as 5 or 2.5.';

const refuse = (problem: string): PercentReading => ({ ok: false, problem });

/** Reads a percentage typed by a person or given as a number. */
export function parsePercent(input: string | number): PercentReading {
  if (typeof input === 'number' && !Number.isFinite(input)) return refuse(`${String(input)} is not a number; type a percentage such as 5 or 2.5.`);
  // A number prints its shortest exact form: 0.29 as "0.29", 1e-7 as "1e-7" (refused below).
  const shown = (typeof input === 'number' ? String(input) : input).trim();
  const text = shown.replace(/\s*%$/, '').trim().replace(',', '.');
  if (text === '') return refuse(PERCENT_REQUIRED);
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    // A number that prints with an exponent (1e-7) has far more than two decimals.
    if (typeof input === 'number') return refuse(`A percentage has at most two decimals, such as 7.25 (not ${shown}).`);
    return refuse(`"${shown}" is not a number; type a percentage such as 5 or 2.5.`);
  }
  const [, sign, whole = '', fraction = ''] = match;
  const isZero = /^0*$/.test(whole) && /^0*$/.test(fraction);
  if (sign === '-' && !isZero) return refuse(`A percentage cannot be negative (${shown}); use a number from 0 to 100.`);
  if (fraction.length > 2 && !/^0*$/.test(fraction.slice(2))) return refuse(`A percentage has at most two decimals, such as 7.25 (not ${shown}).`);
  const wholeValue = whole === '' ? 0 : Number(whole);
  const basisPoints = wholeValue * 100 + Number(fraction.slice(0, 2).padEnd(2, '0'));
  if (basisPoints > 10_000) return refuse(`A percentage cannot be over 100 (${shown}).`);
  return { ok: true, basisPoints, text: basisPointsText(basisPoints) };
}

/** 725 -> "7.25", 1000 -> "10", 250 -> "2.5": the engine's form of a percentage. */
export function basisPointsText(basisPoints: number): string {
  const cents = basisPoints % 100;
  return cents === 0 ? String(basisPoints / 100) : `${Math.floor(basisPoints / 100)}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/** A percentage field's problem, or null when it is fine (or empty and allowed to be). */
export function percentProblem(text: string, options: { readonly allowEmpty?: boolean } = {}): string | null {
  if (text.trim() === '' && options.allowEmpty === true) return null;
  const reading = parsePercent(text);
  return reading.ok ? null : reading.problem;
}

/** "7.25" -> 725; throws a RangeError saying what is wrong. */
export function percentToBasisPoints(percent: number | string): number {
  const reading = parsePercent(percent);
  if (!reading.ok) throw new RangeError(reading.problem);
  return reading.basisPoints;
}
