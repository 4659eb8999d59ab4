import { useState } from 'react';
import { MAX_DATABASE_NAME, type DatabaseSummary } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { selectDatabases, selectDatabasesLoaded } from '../../store/databases/selectors';
import { databaseNameProblem } from '../../store/databases/validation';
import { selectIsBusy } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { formatInstant } from '../../store/start/selectors';
import { useFocusOnClose } from '../common/focus-on-close';
import { InlineNameEditor } from '../common/inline-name-editor';
import { CreateDatabaseForm } from './create-database-form';

/** Every profile database of the project, with counts and what can be done with each. */
export function DatabasesPage() {
  const databases = useApp(selectDatabases);
  const loaded = useApp(selectDatabasesLoaded);
  return (
    <div className="page-stack">
      <h2 className="page-title">Databases</h2>
      <section className="panel" aria-labelledby="databases-list-title">
        <h3 id="databases-list-title" className="panel-title">
          Profile databases
        </h3>
        {!loaded && <p className="empty-note">Loading…</p>}
        {loaded && databases.length === 0 && (
          <p className="empty-note">No profile databases yet. Create one below, or import a CSV file into a new one.</p>
        )}
        {databases.length > 0 && (
          <table className="data-table databases-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="numeric">
                  Profiles
                </th>
                <th scope="col" className="numeric">
                  Fields
                </th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {databases.map((db) => (
                <DatabaseRow key={db.id} db={db} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <CreateDatabaseForm />
    </div>
  );
}

function DatabaseRow({ db }: { db: DatabaseSummary }) {
  const { navigate, renameDatabase, deleteDatabase, openImportWizard, openExportDialog } = useActions();
  const databases = useApp(selectDatabases);
  const busy = useApp(selectIsBusy);
  const [renaming, setRenaming] = useState(false);
  const renameButton = useFocusOnClose<HTMLButtonElement>(renaming);
  return (
    <tr>
      <td className="databases-name">
        {renaming ? (
          <InlineNameEditor
            label={`New name for ${db.name}`}
            initial={db.name}
            limit={MAX_DATABASE_NAME}
            validate={(name) => databaseNameProblem(name, databases, db.id)}
            onSave={(name) => renameDatabase(db.id, name)}
            onCancel={() => setRenaming(false)}
          />
        ) : (
          <button type="button" className="link-button" onClick={() => navigate({ page: 'database', databaseId: db.id, tab: 'profiles' })}>
            {db.name}
          </button>
        )}
      </td>
      <td className="numeric">{formatCount(db.profileCount)}</td>
      <td className="numeric">{formatCount(db.fieldCount)}</td>
      <td className="cell-muted">{formatInstant(db.createdAt)}</td>
      <td>
        <div className="row-actions" role="group" aria-label={`Actions for ${db.name}`}>
          <button type="button" className="button button-plain button-small" disabled={busy} onClick={() => openImportWizard({ databaseId: db.id })}>
            Import CSV…
          </button>
          <button type="button" className="button button-plain button-small" disabled={busy || db.profileCount === 0} onClick={() => openExportDialog(db.id)}>
            Export CSV…
          </button>
          <button ref={renameButton} type="button" className="button button-plain button-small" disabled={renaming} onClick={() => setRenaming(true)}>
            Rename
          </button>
          <button type="button" className="button button-danger button-small" disabled={busy} onClick={() => void deleteDatabase(db.id)}>
            Delete
          </button>
        </div>
      </td>
    </tr>
  );
}
