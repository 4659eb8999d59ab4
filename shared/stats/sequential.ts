/**
 * Looking at an uplift every day: a plain 95 % interval checked at every look excludes a
 * true zero far more often than 5 % of the time (thirty daily looks: about one campaign in
 * five), so the daily chart also shows an always-valid interval, a confidence sequence that
 * covers the true uplift at every look at once with the confidence asked for.
 *
 * The boundary is the two-sided normal mixture (Robbins 1970; the mixture behind the mSPRT)
 * in its asymptotic form, Waudby-Smith, Arbour, Sinha, Kennedy and Ramdas, "Time-uniform
 * central limit theory and asymptotic confidence sequences" (Annals of Statistics 2024,
 * Theorem 2.2), from Howard, Ramdas, McAuliffe and Sekhon (Annals of Statistics 2021,
 * eq. (14)): for a mean of t observations with standard deviation σ̂_t,
 *
 *   μ̂_t ± σ̂_t · √( 2(tρ² + 1)/(t²ρ²) · log(√(tρ² + 1)/α) ).
 *
 * An uplift Δ̂ estimated from n profiles (Test and LCG together) with standard error se has
 * σ̂ = se·√n (its per-profile influence function's spread), so with η = nρ² the radius is
 *
 *   se · √( (1 + 1/η) · (log(1 + η) + 2·log(1/α)) ).
 *
 * ρ is the mixture's tuning parameter: it sets the look where the sequence is tightest. It
 * must be fixed before looking, one value for every look (choosing it per look from the
 * data breaks the guarantee). Here it is optimised for a horizon, the profiles expected at
 * the last look (Waudby-Smith et al., §2.3, after Howard et al. 2021, §3.5):
 *
 *   ρ² = (2·log(1/α) + log(1 + 2·log(1/α))) / horizon.
 *
 * At the horizon the 95 % sequence is about 1.55 times as wide as the plain interval; a
 * thirtieth of the way there, about 2.8 times.
 */
import { formatValue } from '../format';
import { DEFAULT_CONFIDENCE } from './uplift';

function alphaOf(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`The confidence must be between 0 and 1, such as 0.95 (it is ${confidence}).`);
  return 1 - confidence;
}

/** The mixture's ρ optimised for a horizon of `horizon` profiles (see the file comment); null for no profile. */
export function sequentialRho(horizon: number, confidence = DEFAULT_CONFIDENCE): number | null {
  const logInverseAlpha = Math.log(1 / alphaOf(confidence));
  if (!(horizon > 0 && Number.isFinite(horizon))) return null;
  return Math.sqrt((2 * logInverseAlpha + Math.log1p(2 * logInverseAlpha)) / horizon);
}

/**
 * The always-valid radius in standard errors at a look with `n` profiles, ρ optimised for
 * `horizon`: √((1 + 1/η)(log(1 + η) + 2·log(1/α))), η = n·ρ². Null without profiles.
 */
export function sequentialMultiplier(n: number, horizon: number, confidence = DEFAULT_CONFIDENCE): number | null {
  const rho = sequentialRho(horizon, confidence);
  if (rho === null || !(n > 0 && Number.isFinite(n))) return null;
  const eta = n * rho * rho;
  return Math.sqrt((1 + 1 / eta) * (Math.log1p(eta) + 2 * Math.log(1 / alphaOf(confidence))));
}

/**
 * The always-valid interval for an uplift `estimate` with standard error `se`, estimated
 * from `n` profiles (Test and LCG with an outcome) at this look. `horizon` is the profiles
 * expected at the last look (the analysis's final count): pass the same at every look.
 * Null where no interval exists (no profiles, a standard error that is not a number).
 */
export function sequentialInterval(estimate: number, se: number, n: number, horizon: number, confidence = DEFAULT_CONFIDENCE): [number, number] | null {
  const multiplier = sequentialMultiplier(n, horizon, confidence);
  if (multiplier === null || !Number.isFinite(estimate) || !(se >= 0 && Number.isFinite(se))) return null;
  return [estimate - multiplier * se, estimate + multiplier * se];
}

/**
 * One sentence for people on what looking every day costs: "Looking every day makes a false
 * positive more likely than 5 %; an interval that stays valid however often you look is
 * 1.6 times as wide: 0.0012 to 0.0095 instead of 0.0040 to 0.0067." `format` writes a
 * bound (formatValue unless given).
 */
export function sequentialWideningText(
  plain: readonly [number, number],
  sequential: readonly [number, number],
  confidence = DEFAULT_CONFIDENCE,
  format: (value: number) => string = formatValue,
): string {
  const alpha = alphaOf(confidence);
  const plainWidth = plain[1] - plain[0];
  const ratio = plainWidth > 0 ? (sequential[1] - sequential[0]) / plainWidth : null;
  const wide = ratio === null ? 'is' : `is ${ratio.toFixed(1)} times as wide:`;
  return (
    `Looking every day makes a false positive more likely than ${+(alpha * 100).toFixed(2)} %; ` +
    `an interval that stays valid however often you look ${wide} ${format(sequential[0])} to ${format(sequential[1])} instead of ${format(plain[0])} to ${format(plain[1])}.`
  );
}
