import { MAX_DATABASE_NAME, type ImportMode } from '../../../shared/contract/index';
import { countOf } from '../../lib/text';
import { MODE_LABELS, targetLabel, targetNameProblem } from '../../store/import-wizard/selectors';
import type { ImportWizardState } from '../../store/import-wizard/slice';
import { useActions, useApp } from '../../store/react';
import { TextField } from '../common/text-field';

const MODES: readonly ImportMode[] = ['upsert', 'add', 'update'];

/** Step 4: into which database, adding and/or updating, what an empty cell means, and what to do with bad rows. */
export function OptionsStep({ wizard }: { wizard: ImportWizardState }) {
  const actions = useActions();
  const label = useApp(targetLabel);
  const nameProblem = useApp(targetNameProblem);
  const events = wizard.importing === 'events';
  // Modes and empty cells are about updating profiles; events are only added.
  const existing = wizard.target.kind === 'existing' && !events;
  const created = wizard.columns.filter((c) => c.choice === 'newField').length;

  return (
    <div className="wizard-step options-step">
      <div className="options-target">
        {wizard.target.kind === 'new' ? (
          <TextField
            label="Into a new database named"
            error={nameProblem}
            value={wizard.target.name}
            limit={MAX_DATABASE_NAME}
            onChange={(e) => actions.setImportTarget({ kind: 'new', name: e.target.value, nameFromFile: false })}
          />
        ) : (
          <p>
            {events ? 'Events of the profiles of ' : 'Into '}
            <strong>{label}</strong>
            {created > 0 && !events ? `, adding ${countOf(created, 'new field')}` : ''}.
          </p>
        )}
      </div>

      {existing && (
        <fieldset className="option-group">
          <legend>Profiles</legend>
          {MODES.map((mode) => (
            <label key={mode} className="radio">
              <input type="radio" name="import-mode" checked={wizard.mode === mode} onChange={() => actions.setImportMode(mode)} />
              {MODE_LABELS[mode]}
            </label>
          ))}
        </fieldset>
      )}

      {existing && wizard.mode !== 'add' && (
        <fieldset className="option-group">
          <legend>An empty cell, when updating a profile</legend>
          <label className="radio">
            <input type="radio" name="empty-cells" checked={wizard.emptyCells === 'keep'} onChange={() => actions.setEmptyCells('keep')} />
            Keeps the stored value
          </label>
          <label className="radio">
            <input type="radio" name="empty-cells" checked={wizard.emptyCells === 'clear'} onChange={() => actions.setEmptyCells('clear')} />
            Clears the stored value
          </label>
        </fieldset>
      )}

      <fieldset className="option-group">
        <legend>{events ? 'Rows with a problem (a missing type or time, a bad date or amount, …)' : 'Rows with a problem (a value of the wrong type, a repeated ID, …)'}</legend>
        <label className="radio">
          <input type="radio" name="bad-rows" checked={wizard.onBadRows === 'skip'} onChange={() => actions.setOnBadRows('skip')} />
          Skip them and import the rest
        </label>
        <label className="radio">
          <input type="radio" name="bad-rows" checked={wizard.onBadRows === 'stop'} onChange={() => actions.setOnBadRows('stop')} />
          Stop and import nothing
        </label>
      </fieldset>
      <p className="wizard-note">Either way, every problem is listed with its row, column and value, and can be downloaded as a CSV report.</p>

      {wizard.runError && (
        <p className="callout callout-error" role="alert">
          {wizard.runError}
        </p>
      )}
    </div>
  );
}
