import type { Field } from '../../../shared/contract/index';
import { FIELD_TYPE_LABELS } from '../../../shared/domain/profiles';
import { boundsOf, kindsFor, rangeLabels, splitLines, STRATUM_KIND_LABELS, type GroupDraft, type StratumDraft, type StratumKind } from '../../store/campaigns/lcg-draft';

interface StratumEditorProps {
  readonly field: Field;
  readonly draft: StratumDraft;
  readonly problem: string | null;
  /** Null removes the field from the stratification. */
  readonly onChange: (next: StratumDraft | null) => void;
}

/** One stratification field: by each value, by groups of values, or by ranges of numbers and dates. */
export function StratumEditor({ field, draft, problem, onChange }: StratumEditorProps) {
  const kinds = kindsFor(field);
  const setGroup = (index: number, next: GroupDraft | null) =>
    onChange({ ...draft, groups: draft.groups.flatMap((g, i) => (i === index ? (next ? [next] : []) : [g])) });

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
      {draft.kind === 'ranges' && (
        <div className="stratum-ranges">
          <label className="field">
            <span className="field-label">Cut at (ascending, comma-separated)</span>
            <input
              type="text"
              value={draft.boundsText}
              spellCheck={false}
              placeholder={field.type === 'number' ? '18, 25, 35, 50' : '2020-01-01, 2024-01-01'}
              onChange={(e) => onChange({ ...draft, boundsText: e.target.value })}
            />
          </label>
          {boundsOf(draft.boundsText).length > 0 && problem === null && (
            <p className="field-hint">Strata: {[...rangeLabels(boundsOf(draft.boundsText)), '(no value)'].join(' · ')}</p>
          )}
        </div>
      )}
      {draft.kind === 'groups' && (
        <div className="stratum-groups">
          {draft.groups.map((g, i) => (
            <div key={i} className="stratum-group">
              <input
                type="text"
                aria-label={`Label of group ${i + 1}`}
                value={g.label}
                placeholder={`Group ${i + 1}`}
                onChange={(e) => setGroup(i, { ...g, label: e.target.value })}
              />
              {field.type === 'enum' ? (
                <EnumValuePicker field={field} group={g} taken={draft.groups.filter((_, j) => j !== i).flatMap((o) => splitLines(o.valuesText))} onChange={(next) => setGroup(i, next)} />
              ) : (
                <textarea
                  aria-label={`Values of group ${i + 1}, one per line`}
                  rows={2}
                  value={g.valuesText}
                  placeholder={'Moscow\nSaint Petersburg'}
                  onChange={(e) => setGroup(i, { ...g, valuesText: e.target.value })}
                />
              )}
              <button type="button" className="icon-button" aria-label={`Remove group ${i + 1}`} onClick={() => setGroup(i, null)}>
                ×
              </button>
            </div>
          ))}
          <div className="inline-actions">
            <button type="button" className="button button-plain button-small" onClick={() => onChange({ ...draft, groups: [...draft.groups, { label: '', valuesText: '' }] })}>
              Add a group
            </button>
            <span className="field-hint">Values in no group form “Other”; profiles without a value, “(no value)”.</span>
          </div>
        </div>
      )}
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

function EnumValuePicker({ field, group, taken, onChange }: { field: Field; group: GroupDraft; taken: readonly string[]; onChange: (g: GroupDraft) => void }) {
  const chosen = splitLines(group.valuesText);
  const toggle = (value: string) => {
    const next = chosen.includes(value) ? chosen.filter((v) => v !== value) : [...chosen, value];
    onChange({ ...group, valuesText: field.enumValues.filter((v) => next.includes(v)).join('\n') });
  };
  return (
    <div className="enum-picker" role="group" aria-label={`Values of ${group.label || 'the group'}`}>
      {field.enumValues.map((v) => (
        <label key={v} className={taken.includes(v) ? 'checkbox taken' : 'checkbox'}>
          <input type="checkbox" checked={chosen.includes(v)} disabled={taken.includes(v)} onChange={() => toggle(v)} />
          {v}
        </label>
      ))}
    </div>
  );
}
