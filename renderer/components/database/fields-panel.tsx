import { useId, useState, type FormEvent } from 'react';
import { MAX_FIELD_NAME, type DatabaseDetail, type Field } from '../../../shared/contract/index';
import { FIELD_TYPE_LABELS, FIELD_TYPES, SUBSCRIPTION_STATUSES, type FieldType } from '../../../shared/domain/profiles';
import { subscriptionLabel } from '../../lib/format-value';
import { enumValuesProblem, fieldNameProblem, otherFieldNames, parseEnumValues } from '../../store/databases/validation';
import { useActions } from '../../store/react';
import { useFocusOnClose } from '../common/focus-on-close';
import { InlineNameEditor } from '../common/inline-name-editor';
import { TextAreaField, TextField } from '../common/text-field';
import { SubmitButton } from '../common/submit-button';

/** The fields of a database: the two system fields, then its own, each editable; and a form to add one. */
export function FieldsPanel({ detail }: { detail: DatabaseDetail }) {
  return (
    <div className="page-stack">
      <section className="panel" aria-labelledby="fields-title">
        <h3 id="fields-title" className="panel-title">
          Fields
        </h3>
        <table className="data-table fields-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Values</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <tr className="system-field">
              <td>
                Profile ID <span className="badge badge-muted">system</span>
              </td>
              <td>Text, unique</td>
              <td className="cell-muted">Identifies each profile; leading zeros are kept.</td>
              <td />
            </tr>
            <tr className="system-field">
              <td>
                Subscription status <span className="badge badge-muted">system</span>
              </td>
              <td>{FIELD_TYPE_LABELS.enum}</td>
              <td className="cell-muted">{SUBSCRIPTION_STATUSES.map(subscriptionLabel).join(', ')}</td>
              <td />
            </tr>
            {detail.fields.map((field) => (
              <FieldRow key={field.id} field={field} fields={detail.fields} />
            ))}
          </tbody>
        </table>
        {detail.fields.length === 0 && (
          <p className="section-note fields-empty">No fields of its own yet: add one below, or import a CSV file and let its columns become fields.</p>
        )}
      </section>
      <AddFieldForm detail={detail} />
    </div>
  );
}

function FieldRow({ field, fields }: { field: Field; fields: readonly Field[] }) {
  const { updateField, removeField } = useActions();
  const [editing, setEditing] = useState<'name' | 'values' | null>(null);
  const renameButton = useFocusOnClose<HTMLButtonElement>(editing === 'name');
  const valuesButton = useFocusOnClose<HTMLButtonElement>(editing === 'values');
  return (
    <tr>
      <td className="field-name-cell">
        {editing === 'name' ? (
          <InlineNameEditor
            label={`New name for the field ${field.name}`}
            initial={field.name}
            limit={MAX_FIELD_NAME}
            validate={(name) => fieldNameProblem(name, otherFieldNames(fields, field.id))}
            onSave={(name) => updateField(field, { name })}
            onCancel={() => setEditing(null)}
          />
        ) : (
          field.name
        )}
      </td>
      <td>{FIELD_TYPE_LABELS[field.type]}</td>
      <td className="field-values-cell">
        {editing === 'values' ? (
          <EnumValuesEditor field={field} onDone={() => setEditing(null)} />
        ) : field.type === 'enum' ? (
          <span className="enum-values" title={field.enumValues.join(', ')}>
            {field.enumValues.join(', ')}
          </span>
        ) : (
          <span className="cell-muted">—</span>
        )}
      </td>
      <td>
        <div className="row-actions" role="group" aria-label={`Actions for the field ${field.name}`}>
          <button ref={renameButton} type="button" className="button button-plain button-small" disabled={editing !== null} onClick={() => setEditing('name')}>
            Rename
          </button>
          {field.type === 'enum' && (
            <button ref={valuesButton} type="button" className="button button-plain button-small" disabled={editing !== null} onClick={() => setEditing('values')}>
              Edit values
            </button>
          )}
          <button type="button" className="button button-danger button-small" onClick={() => void removeField(field)}>
            Remove
          </button>
        </div>
      </td>
    </tr>
  );
}

function EnumValuesEditor({ field, onDone }: { field: Field; onDone: () => void }) {
  const { updateField } = useActions();
  const [text, setText] = useState(field.enumValues.join('\n'));
  const [saving, setSaving] = useState(false);
  const errorId = useId();
  const problem = enumValuesProblem(parseEnumValues(text));
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem || saving) return;
    setSaving(true);
    const saved = await updateField(field, { enumValues: parseEnumValues(text) });
    setSaving(false);
    if (saved) onDone();
  };
  return (
    <form className="enum-editor" onSubmit={(e) => void onSubmit(e)}>
      <label className="field">
        <span className="field-label">Values of {field.name}, one per line</span>
        <textarea
          value={text}
          rows={Math.min(8, Math.max(3, field.enumValues.length + 1))}
          autoFocus
          aria-invalid={problem !== null}
          aria-describedby={problem ? errorId : undefined}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              onDone();
            }
          }}
        />
      </label>
      {problem && (
        <span id={errorId} className="field-error">
          {problem}
        </span>
      )}
      <p className="field-hint">Values that profiles use cannot be removed; rename them by adding the new value first.</p>
      <div className="inline-actions">
        <SubmitButton small busy={saving} busyLabel="Saving…" disabled={problem !== null}>
          Save values
        </SubmitButton>
        <button type="button" className="button button-plain button-small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function AddFieldForm({ detail }: { detail: DatabaseDetail }) {
  const { addField } = useActions();
  const [name, setName] = useState('');
  const [type, setType] = useState<FieldType>('string');
  const [valuesText, setValuesText] = useState('');
  const [adding, setAdding] = useState(false);
  const nameProblem = fieldNameProblem(name, otherFieldNames(detail.fields));
  const valuesProblem = type === 'enum' ? enumValuesProblem(parseEnumValues(valuesText)) : null;
  const showName = name !== '' ? nameProblem : null;
  const showValues = type === 'enum' && valuesText !== '' ? valuesProblem : null;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (nameProblem || valuesProblem || adding) return;
    setAdding(true);
    const added = await addField(
      detail.id,
      type === 'enum' ? { name: name.trim(), type, enumValues: parseEnumValues(valuesText) } : { name: name.trim(), type },
    );
    setAdding(false);
    if (added) {
      setName('');
      setValuesText('');
    }
  };

  return (
    <section className="panel" aria-labelledby="add-field-title">
      <h3 id="add-field-title" className="panel-title">
        Add a field
      </h3>
      <form className="add-field" onSubmit={(e) => void onSubmit(e)} noValidate>
        <TextField label="Field name" error={showName} value={name} limit={MAX_FIELD_NAME} placeholder="city" onChange={(e) => setName(e.target.value)} />
        <label className="field">
          <span className="field-label">Type</span>
          <select value={type} onChange={(e) => setType(e.target.value as FieldType)}>
            {FIELD_TYPES.map((t) => (
              <option key={t} value={t}>
                {FIELD_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        {type === 'enum' && (
          <TextAreaField
            label="Values, one per line"
            className="add-field-values"
            error={showValues}
            value={valuesText}
            rows={3}
            onChange={(e) => setValuesText(e.target.value)}
          />
        )}
        <div className="add-field-submit">
          <SubmitButton busy={adding} busyLabel="Adding…" disabled={nameProblem !== null || valuesProblem !== null}>
            Add field
          </SubmitButton>
        </div>
      </form>
      {detail.profileCount > 0 && <p className="section-note">Existing profiles get no value in the new field until an import fills it.</p>}
    </section>
  );
}
