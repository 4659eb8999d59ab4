import { MAX_DATABASE_NAME } from '../../../shared/contract/index';
import { fileNameOf, formatBytes, formatCount } from '../../../shared/format';
import { selectDatabases } from '../../store/databases/selectors';
import { targetNameProblem } from '../../store/import-wizard/selectors';
import type { ImportWizardState } from '../../store/import-wizard/slice';
import { useActions, useApp } from '../../store/react';
import { TextField } from '../common/text-field';

const NEW_DATABASE = 'new';

/** Step 1: profiles or events, where they go, and which file (chosen, or dropped anywhere on the window). */
export function FileStep({ wizard }: { wizard: ImportWizardState }) {
  const actions = useActions();
  const databases = useApp(selectDatabases);
  const nameProblem = useApp(targetNameProblem);
  const { target, upload } = wizard;
  const targetValue = target.kind === 'new' ? NEW_DATABASE : String(target.databaseId);
  const showNameProblem = target.kind === 'new' && !(target.nameFromFile && target.name === '') ? nameProblem : null;

  const events = wizard.importing === 'events';

  return (
    <div className="wizard-step file-step">
      <fieldset className="option-group import-kind">
        <legend>Import</legend>
        <label className="radio">
          <input type="radio" name="import-kind" checked={!events} onChange={() => actions.setImportKind('profiles')} />
          Profiles: their IDs and fields
        </label>
        <label className="radio">
          <input type="radio" name="import-kind" checked={events} onChange={() => actions.setImportKind('events')} />
          Events: purchases, opens, clicks… of the database's profiles
        </label>
      </fieldset>
      <div className="form-row">
        <label className="field">
          <span className="field-label">Import into</span>
          <select
            value={targetValue}
            onChange={(e) =>
              actions.setImportTarget(
                e.target.value === NEW_DATABASE ? { kind: 'new', name: '', nameFromFile: true } : { kind: 'existing', databaseId: Number(e.target.value) },
              )
            }
          >
            {databases.map((db) => (
              <option key={db.id} value={String(db.id)}>
                {db.name} ({formatCount(db.profileCount)} profiles)
              </option>
            ))}
            {!events && <option value={NEW_DATABASE}>A new database…</option>}
          </select>
        </label>
        {target.kind === 'new' && (
          <TextField
            label="Name of the new database"
            error={showNameProblem}
            value={target.name}
            limit={MAX_DATABASE_NAME}
            placeholder={wizard.path ? undefined : 'Taken from the file name'}
            onChange={(e) => actions.setImportTarget({ kind: 'new', name: e.target.value, nameFromFile: false })}
          />
        )}
      </div>

      <div className={wizard.path ? 'drop-zone has-file' : 'drop-zone'}>
        {upload ? (
          <div className="upload-progress">
            <p>
              Handing over <strong>{upload.fileName}</strong>… {formatBytes(upload.loaded)} of {formatBytes(upload.total)}
            </p>
            <progress aria-label={`Handing over ${upload.fileName}`} max={Math.max(1, upload.total)} value={upload.loaded} />
            <button type="button" className="button button-plain button-small" onClick={actions.cancelUpload}>
              Cancel
            </button>
          </div>
        ) : wizard.path ? (
          <div className="chosen-file">
            <p className="chosen-file-name" data-testid="import-file-name">
              {wizard.preview?.fileName ?? fileNameOf(wizard.path)}
              {wizard.preview && <span className="cell-muted"> · {formatBytes(wizard.preview.sizeBytes)}</span>}
            </p>
            <p className="chosen-file-path" title={wizard.path}>
              {wizard.path}
            </p>
            <button type="button" className="button button-plain button-small" onClick={() => void actions.chooseImportFile()}>
              Choose another file…
            </button>
          </div>
        ) : (
          <>
            <p className="drop-zone-title">Drop a CSV file anywhere on the window</p>
            <p className="drop-zone-note">Comma, semicolon, tab or pipe separated; UTF-8, UTF-16, Windows-1251 or Windows-1252.</p>
            <button type="button" className="button button-primary" data-autofocus="" onClick={() => void actions.chooseImportFile()}>
              Choose file…
            </button>
          </>
        )}
      </div>
      {wizard.previewLoading && (
        <p className="wizard-note" role="status">
          Reading the file…
        </p>
      )}
      {wizard.fileError && (
        <p className="field-error wizard-error" role="alert">
          {wizard.fileError}
        </p>
      )}
    </div>
  );
}
