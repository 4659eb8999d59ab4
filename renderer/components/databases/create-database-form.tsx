import { MAX_DATABASE_NAME } from '../../../shared/contract/index';
import { useState, type FormEvent } from 'react';
import { selectDatabases } from '../../store/databases/selectors';
import { databaseNameProblem } from '../../store/databases/validation';
import { useActions, useApp } from '../../store/react';
import { TextField } from '../common/text-field';
import { SubmitButton } from '../common/submit-button';

/** A new database: empty (fields added by hand), or filled at once from a CSV file. */
export function CreateDatabaseForm() {
  const { createDatabase, openImportWizard } = useActions();
  const databases = useApp(selectDatabases);
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const [creating, setCreating] = useState(false);
  const problem = databaseNameProblem(name, databases);
  const shown = touched || name !== '' ? problem : null;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem || creating) return;
    setCreating(true);
    const created = await createDatabase(name);
    setCreating(false);
    if (created) {
      setName('');
      setTouched(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="create-database-title">
      <h3 id="create-database-title" className="panel-title">
        New database
      </h3>
      <form className="create-database" onSubmit={(e) => void onSubmit(e)} noValidate>
        <TextField
          label="Database name"
          className="create-database-name"
          error={shown}
          value={name}
          limit={MAX_DATABASE_NAME}
          placeholder="Customers"
          onChange={(e) => setName(e.target.value)}
        />
        <div className="create-database-actions">
          <SubmitButton busy={creating} busyLabel="Creating…" disabled={shown !== null && name !== ''}>
            Create database
          </SubmitButton>
          <span className="create-database-or">or</span>
          <button
            type="button"
            className="button button-plain"
            disabled={name.trim() !== '' && problem !== null}
            onClick={() => openImportWizard({ newDatabaseName: name })}
          >
            Create from a CSV file…
          </button>
        </div>
      </form>
      <p className="section-note">
        Every database has two system fields: the profile ID and the subscription status. Add your own fields after creating it,
        or let an import create them from the file's columns.
      </p>
    </section>
  );
}
