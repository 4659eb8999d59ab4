import type { LcgSettings, StratificationWarning } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { controlTotal } from '../../../shared/split/control-total';
import { countOf, decimalText } from '../../lib/text';

/**
 * The LCG a suggestion leads to. A limit caps the percentage's total, so where the
 * percentage alone gives less than the suggested limit it is raised too. Null when the
 * engine has no such suggestion (only the whole audience would do: Test would be empty).
 */
export function applySuggestion(lcg: LcgSettings, warning: StratificationWarning, audience: number, how: 'limit' | 'percent'): LcgSettings | null {
  const limit = warning.suggestedLimit;
  const percent = warning.suggestedPercent;
  if (limit === null) return null;
  const percentTotal = lcg.percent === null ? null : safeTotal(audience, lcg.percent);
  if (how === 'limit') {
    const raisePercent = percentTotal !== null && percentTotal < limit;
    if (raisePercent && percent === null) return null;
    return { ...lcg, limit, percent: raisePercent ? String(percent) : lcg.percent };
  }
  if (percent === null) return null;
  return { ...lcg, percent: String(percent), limit: lcg.limit !== null && lcg.limit < limit ? limit : lcg.limit };
}

/**
 * Whether to offer the suggested percentage: only where the LCG has a percentage and the
 * suggestion raises it. Where a limit caps the total, the engine may suggest less than the
 * current share (0.1 % against 10 %); taking it would shrink the LCG, not fix the strata.
 */
export function offersPercent(lcg: LcgSettings, warning: StratificationWarning): boolean {
  return lcg.percent !== null && warning.suggestedPercent !== null && warning.suggestedPercent > Number(lcg.percent);
}

function safeTotal(audience: number, percent: string | number): number | null {
  try {
    return controlTotal(audience, { percent });
  } catch {
    return null;
  }
}

interface WarningProps {
  readonly warning: StratificationWarning;
  readonly lcg: LcgSettings;
  readonly audience: number;
  /** One click applies a suggestion; absent where settings cannot change. */
  readonly onApply?: (lcg: LcgSettings) => void;
  readonly applyLabel?: string;
}

/** A stratification violation: the strata expected to get less than one LCG profile, and a fix. Nothing is blocked. */
export function StratificationWarningBox({ warning, lcg, audience, onApply }: WarningProps) {
  const offerPercent = offersPercent(lcg, warning);
  const byLimit = applySuggestion(lcg, warning, audience, 'limit');
  const byPercent = offerPercent ? applySuggestion(lcg, warning, audience, 'percent') : null;
  return (
    <div className="callout callout-warning strat-warning" role="alert" data-testid="stratification-warning">
      <p className="strat-warning-title">
        <strong>Stratification violation:</strong> {countOf(warning.strata.length, 'stratum expects', 'strata expect')} less than one LCG profile
      </p>
      <ul className="strat-warning-list">
        {warning.strata.slice(0, 12).map((s) => (
          <li key={s.key}>
            <span className="cell-strong">{s.label}</span> — {countOf(s.size, 'profile')}, {decimalText(s.expected)} expected in the LCG
          </li>
        ))}
        {warning.strata.length > 12 && <li className="cell-muted">and {formatCount(warning.strata.length - 12)} more</li>}
      </ul>
      {warning.suggestedLimit === null ? (
        <p>
          Such strata end up all Test or all LCG and cannot be analysed. No LCG size gives each of them a profile and still leaves anyone in
          Test: use coarser strata. The split goes ahead either way.
        </p>
      ) : (
        <p>
          Such strata end up all Test or all LCG and cannot be analysed. A limit of <strong>{formatCount(warning.suggestedLimit)}</strong>
          {offerPercent && (
            <>
              {' '}
              (or <strong>{warning.suggestedPercent} %</strong>)
            </>
          )}{' '}
          gives each at least one; coarser strata help too. The split goes ahead either way.
        </p>
      )}
      {onApply && (byLimit || byPercent) && (
        <div className="inline-actions">
          {byLimit && warning.suggestedLimit !== null && (
            <button type="button" className="button button-plain button-small" onClick={() => onApply(byLimit)}>
              Use a limit of {formatCount(warning.suggestedLimit)}
            </button>
          )}
          {byPercent && (
            <button type="button" className="button button-plain button-small" onClick={() => onApply(byPercent)}>
              Use {warning.suggestedPercent} %
            </button>
          )}
        </div>
      )}
    </div>
  );
}
