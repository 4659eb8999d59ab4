import { useId, useMemo } from 'react';
import type { Field, PreviewColumn } from '../../../shared/contract/index';
import { FIELD_TYPE_LABELS, FIELD_TYPES, type FieldType } from '../../../shared/domain/profiles';
import { formatCount } from '../../../shared/format';
import { describeOutsideList, type ValueCount } from '../../../shared/import-summary';
import { countOf } from '../../lib/text';
import { mappingIssues, valuesOutsideDraftList, type ColumnDraft, type TargetChoice } from '../../store/import-wizard/mapping';
import { needsDateOrder, targetFields } from '../../store/import-wizard/selectors';
import type { ImportWizardState } from '../../store/import-wizard/slice';
import { useActions, useApp } from '../../store/react';
import { DATE_ORDER_LABELS } from './csv-labels';

/** Step 3: where each column goes (the engine's suggestions first), with problems shown at once. */
export function ColumnsStep({ wizard }: { wizard: ImportWizardState }) {
  const fields = useApp(targetFields);
  // Derived here, not in a selector: a selector must not build a new object on every read.
  const issues = useMemo(() => mappingIssues(wizard.columns, fields), [wizard.columns, fields]);
  const preview = wizard.preview;
  if (!preview) return null;
  const mapped = wizard.columns.filter((c) => c.choice !== 'skip').length;
  const created = wizard.columns.filter((c) => c.choice === 'newField').length;

  return (
    <div className="wizard-step columns-step">
      <DateOrderChoice wizard={wizard} />
      <p className="wizard-note">
        {countOf(mapped, 'column')} of {preview.columns.length} imported
        {created > 0 ? `, ${countOf(created, 'new field')}` : ''}. Exactly one column must hold the profile ID.
      </p>
      {issues.general.map((problem) => (
        <p key={problem} className="field-error" role="alert">
          {problem}
        </p>
      ))}
      <table className="data-table mapping-table">
        <thead>
          <tr>
            <th scope="col">Column in the file</th>
            <th scope="col">Goes to</th>
            <th scope="col">New field</th>
          </tr>
        </thead>
        <tbody>
          {wizard.columns.map((draft) => {
            const column = preview.columns.find((c) => c.index === draft.index);
            return column ? (
              <MappingRow
                key={draft.index}
                draft={draft}
                column={column}
                fields={fields}
                problem={issues.columns[draft.index] ?? null}
                sampled={preview.wholeFileSampled ? null : preview.sampledRows}
              />
            ) : null;
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Dates like 03/04/2024 were seen: the user says how to read them before going on. */
export function DateOrderChoice({ wizard }: { wizard: ImportWizardState }) {
  const { setCsvOption } = useActions();
  if (!needsDateOrder(wizard)) return null;
  return (
    <fieldset className="callout callout-warning date-order">
      <legend>How are dates written in this file?</legend>
      <p>Some dates (like 03/04/2024) could be read either way; the import needs to know.</p>
      {(['dmy', 'mdy'] as const).map((order) => (
        <label key={order} className="radio">
          <input type="radio" name="date-order" checked={false} onChange={() => void setCsvOption('dateOrder', order)} />
          {DATE_ORDER_LABELS[order]}
        </label>
      ))}
    </fieldset>
  );
}

interface MappingRowProps {
  readonly draft: ColumnDraft;
  readonly column: PreviewColumn;
  readonly fields: readonly Field[];
  readonly problem: string | null;
  /** Rows the preview read, when it did not read the whole file. */
  readonly sampled: number | null;
}

function MappingRow({ draft, column, fields, problem, sampled }: MappingRowProps) {
  const { setColumnChoice, setNewField } = useActions();
  const problemId = useId();
  const listId = useId();
  const creating = draft.choice === 'newField';
  const outside = valuesOutsideDraftList(draft, column, fields);
  return (
    <tr className={problem ? 'mapping-row has-problem' : draft.choice === 'skip' ? 'mapping-row skipped' : 'mapping-row'}>
      <th scope="row" className="mapping-column">
        <span className="mapping-column-name">{column.name}</span>
        {column.nameIssue && (
          <span className="badge badge-warning">{column.nameIssue === 'empty' ? 'No header' : 'Repeated header'}</span>
        )}
        <span className="mapping-examples">
          {column.examples.length > 0 ? column.examples.join(' · ') : 'no values in the sample'}
          {column.emptyCount > 0 ? ` · ${countOf(column.emptyCount, 'empty cell')}` : ''}
        </span>
      </th>
      <td className="mapping-target">
        <select
          aria-label={`Target of column ${column.name}`}
          value={draft.choice}
          aria-invalid={problem !== null}
          aria-describedby={[problem ? problemId : '', outside.length > 0 ? listId : ''].join(' ').trim() || undefined}
          onChange={(e) => setColumnChoice(draft.index, e.target.value as TargetChoice)}
        >
          <option value="skip">Skip this column</option>
          <option value="profileId">Profile ID</option>
          <option value="subscription">Subscription status</option>
          {fields.length > 0 && (
            <optgroup label="Existing fields">
              {fields.map((f) => (
                <option key={f.id} value={`field:${f.id}`}>
                  {f.name} — {FIELD_TYPE_LABELS[f.type].toLowerCase()}
                </option>
              ))}
            </optgroup>
          )}
          <option value="newField">New field…</option>
        </select>
        {problem && (
          <span id={problemId} className="field-error">
            {problem}
          </span>
        )}
        {outside.length > 0 && <ListValues id={listId} draft={draft} column={column} outside={outside} sampled={sampled} />}
      </td>
      <td className="mapping-new">
        {creating ? (
          <div className="new-field">
            <input
              type="text"
              aria-label={`Name of the new field for column ${column.name}`}
              value={draft.newName}
              onChange={(e) => setNewField(draft.index, { name: e.target.value })}
            />
            <select
              aria-label={`Type of the new field for column ${column.name}`}
              value={draft.newType}
              onChange={(e) => setNewField(draft.index, { type: e.target.value as FieldType })}
            >
              {FIELD_TYPES.map((t) => (
                <option key={t} value={t}>
                  {FIELD_TYPE_LABELS[t]}
                  {t === column.inferredType ? ' (suggested)' : ''}
                </option>
              ))}
            </select>
            {draft.newType === 'enum' && (
              <textarea
                aria-label={`Values of the new field for column ${column.name}, one per line`}
                value={draft.enumText}
                rows={Math.min(5, Math.max(2, draft.enumText.split('\n').length))}
                placeholder="One value per line"
                onChange={(e) => setNewField(draft.index, { enumText: e.target.value })}
              />
            )}
          </div>
        ) : (
          <span className="cell-muted">—</span>
        )}
      </td>
    </tr>
  );
}

interface ListValuesProps {
  readonly id: string;
  readonly draft: ColumnDraft;
  readonly column: PreviewColumn;
  readonly outside: readonly ValueCount[];
  readonly sampled: number | null;
}

/** The values of the column its list (enum) target lacks, and the choice to add them to the list. */
function ListValues({ id, draft, column, outside, sampled }: ListValuesProps) {
  const { setAddEnumValues } = useActions();
  const where = sampled === null ? '' : ` (in the first ${formatCount(sampled)} rows)`;
  return (
    <div className="list-values" data-testid={`list-values-${column.name}`}>
      <p id={id} className={draft.addEnumValues && !column.moreValues ? 'list-values-note' : 'list-values-note field-error'}>
        {describeOutsideList(outside, column.moreValues)}
        {where}.{' '}
        {column.moreValues ? 'Import it as text instead.' : draft.addEnumValues ? 'They are added to the list.' : 'Rows with them are not imported.'}
      </p>
      {!column.moreValues && (
        <label className="checkbox">
          <input type="checkbox" checked={draft.addEnumValues} onChange={(e) => setAddEnumValues(draft.index, e.target.checked)} />
          Add these values to the list
        </label>
      )}
    </div>
  );
}
