import type { Field } from '../../../shared/contract/index';
import { FIELD_TYPE_LABELS } from '../../../shared/domain/profiles';
import { kindsFor, STRATUM_KIND_LABELS, type StratumKind } from '../../../shared/split/stratum-scheme';
import { stratumLabels, type StratumDraft } from '../../store/campaigns/lcg-draft';
import { ChosenValues, GroupsEditor, IntervalsEditor } from './stratum-parts';

interface StratumEditorProps {
  readonly field: Field;
  readonly draft: StratumDraft;
  readonly problem: string | null;
  /** Null removes the field from the stratification. */
  readonly onChange: (next: StratumDraft | null) => void;
}

const isDate = (field: Field) => field.type === 'date' || field.type === 'datetime';

/**
 * One stratification field, in any of the scheme's kinds: each value, chosen values, groups
 * of values, ranges (cut points), named intervals, age in years. The strata it makes are
 * listed with the engine's own labels (shared/split/stratum-scheme.ts).
 */
export function StratumEditor({ field, draft, problem, onChange }: StratumEditorProps) {
  const kinds = kindsFor(field.type);
  const labels = problem === null ? stratumLabels(draft, field) : [];

  return (
    <div className="stratum-rule" role="group" aria-label={`Stratification by ${field.name}`}>
      <div className="stratum-rule-head">
        <span className="cell-strong">{field.name}</span>
        <span className="cell-muted">{FIELD_TYPE_LABELS[field.type]}</span>
        <select aria-label={`How ${field.name} stratifies`} value={draft.kind} onChange={(e) => onChange({ ...draft, kind: e.target.value as StratumKind })}>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {STRATUM_KIND_LABELS[k]}
            </option>
          ))}
        </select>
        <button type="button" className="button button-plain button-small" aria-label={`Remove the stratification by ${field.name}`} onClick={() => onChange(null)}>
          Remove
        </button>
      </div>
      {draft.kind === 'values' && (
        <p className="field-hint">
          Each value is a stratum{field.type === 'enum' ? ` (${field.enumValues.join(', ')})` : ''}; profiles without a value form “(no value)”.
        </p>
      )}
      {draft.kind === 'subset' && <ChosenValues field={field} text={draft.chosenText} onChange={(chosenText) => onChange({ ...draft, chosenText })} />}
      {draft.kind === 'ranges' && (
        <label className="field">
          <span className="field-label">Cut at (ascending, comma-separated)</span>
          <input
            type="text"
            value={draft.boundsText}
            spellCheck={false}
            placeholder={isDate(field) ? '01.01.2000, 2024-01-01' : '18, 25, 35, 50'}
            onChange={(e) => onChange({ ...draft, boundsText: e.target.value })}
          />
        </label>
      )}
      {draft.kind === 'groups' && <GroupsEditor field={field} groups={draft.groups} onChange={(groups) => onChange({ ...draft, groups })} />}
      {draft.kind === 'intervals' && <IntervalsEditor field={field} intervals={draft.intervals} onChange={(intervals) => onChange({ ...draft, intervals })} />}
      {draft.kind === 'age' && (
        <label className="field">
          <span className="field-label">Ages in full years on the project clock’s date</span>
          <input type="text" value={draft.agesText} spellCheck={false} placeholder="20-25, 26-35, 65+" onChange={(e) => onChange({ ...draft, agesText: e.target.value })} />
        </label>
      )}
      {labels.length > 0 && (
        <p className="field-hint" data-testid="stratum-labels">
          Strata: {labels.join(' · ')}. “Other” and “(no value)” show only when profiles fall in them.
        </p>
      )}
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
