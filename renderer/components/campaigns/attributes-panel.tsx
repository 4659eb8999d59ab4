import { MAX_ATTRIBUTE_NAME } from '../../../shared/contract/index';
import { useState, type FormEvent } from 'react';
import { attributeNameProblem, choicesProblem, parseChoices, selectAttributes } from '../../store/attributes/selectors';
import { useActions, useApp } from '../../store/react';
import { TextAreaField, TextField } from '../common/text-field';
import { SubmitButton } from '../common/submit-button';

/** The project's campaign attributes: required ones must be filled for every campaign. */
export function AttributesPanel({ onClose }: { onClose: () => void }) {
  const attributes = useApp(selectAttributes);
  const { defineAttribute, removeAttribute } = useActions();
  const [name, setName] = useState('');
  const [required, setRequired] = useState(false);
  const [choicesText, setChoicesText] = useState('');
  const [saving, setSaving] = useState(false);
  const nameProblem = attributeNameProblem(name, attributes);
  const choices = parseChoices(choicesText);
  const cProblem = choicesProblem(choices);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (nameProblem || cProblem || saving) return;
    setSaving(true);
    const defined = await defineAttribute({ name, required, choices });
    setSaving(false);
    if (defined) {
      setName('');
      setRequired(false);
      setChoicesText('');
    }
  };

  return (
    <section className="panel" aria-labelledby="attributes-title">
      <div className="panel-heading">
        <h3 id="attributes-title" className="panel-title">
          Campaign attributes
        </h3>
        <button type="button" className="icon-button" aria-label="Close campaign attributes" onClick={onClose}>
          ×
        </button>
      </div>
      <p className="section-note">Attributes every campaign of the project carries: an owner, a channel, a budget code. Required ones must be filled.</p>
      {attributes.length === 0 ? (
        <p className="empty-note">No attributes yet.</p>
      ) : (
        <table className="data-table" aria-label="Campaign attributes">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Required</th>
              <th scope="col">Values</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {attributes.map((a) => (
              <tr key={a.id}>
                <td className="cell-strong">{a.name}</td>
                <td>{a.required ? 'Required' : <span className="cell-muted">Optional</span>}</td>
                <td className={a.choices.length === 0 ? 'cell-muted' : undefined}>{a.choices.length === 0 ? 'Free text' : a.choices.join(', ')}</td>
                <td className="cell-actions">
                  <button type="button" className="button button-danger button-small" onClick={() => void removeAttribute(a)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="attribute-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <TextField label="New attribute" error={name === '' ? null : nameProblem} value={name} limit={MAX_ATTRIBUTE_NAME} placeholder="Owner" onChange={(e) => setName(e.target.value)} />
        <TextAreaField
          label="Allowed values, one per line (empty: free text)"
          error={cProblem}
          value={choicesText}
          rows={2}
          onChange={(e) => setChoicesText(e.target.value)}
        />
        <label className="checkbox attribute-required">
          <input type="checkbox" checked={required} onChange={(e) => setRequired(e.target.checked)} />
          Required
        </label>
        <div className="form-submit">
          <SubmitButton busy={saving} busyLabel="Saving…" disabled={nameProblem !== null || cProblem !== null}>
            Define attribute
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}
