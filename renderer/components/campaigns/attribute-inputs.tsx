import { MAX_ATTRIBUTE_VALUE, type CampaignAttribute } from '../../../shared/contract/index';
import { TextField } from '../common/text-field';

interface AttributeInputsProps {
  readonly attributes: readonly CampaignAttribute[];
  readonly values: Readonly<Record<string, string>>;
  readonly problems: Readonly<Record<number, string>>;
  /** Problems show once the user has tried to save (a required field starts empty). */
  readonly showProblems: boolean;
  readonly onChange: (values: Record<string, string>) => void;
}

/** A campaign's values of the project's attributes: a choice list where the attribute has choices, else text. */
export function AttributeInputs({ attributes, values, problems, showProblems, onChange }: AttributeInputsProps) {
  if (attributes.length === 0) return null;
  const set = (id: number, value: string) => onChange({ ...values, [String(id)]: value });
  return (
    <div className="attribute-inputs">
      {attributes.map((a) => {
        const label = a.required ? `${a.name} (required)` : a.name;
        const value = values[String(a.id)] ?? '';
        const problem = showProblems ? (problems[a.id] ?? null) : null;
        if (a.choices.length > 0) {
          return (
            <label key={a.id} className="field">
              <span className="field-label">{label}</span>
              <select value={value} aria-invalid={problem !== null} onChange={(e) => set(a.id, e.target.value)}>
                <option value="">{a.required ? 'Choose…' : 'None'}</option>
                {a.choices.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
              {problem && <span className="field-error">{problem}</span>}
            </label>
          );
        }
        return <TextField key={a.id} label={label} error={problem} value={value} limit={MAX_ATTRIBUTE_VALUE} onChange={(e) => set(a.id, e.target.value)} />;
      })}
    </div>
  );
}
