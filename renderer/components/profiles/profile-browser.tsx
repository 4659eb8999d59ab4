import { useEffect } from 'react';
import { countOf } from '../../lib/text';
import { selectFieldsOf } from '../../store/databases/selectors';
import { selectProfileCard, selectProfileTable } from '../../store/profiles/selectors';
import { useActions, useApp } from '../../store/react';
import { ProfileCardPanel } from './profile-card';
import { ProfileGrid } from './profile-grid';
import { ProfileSearchBox } from './profile-search';

/** The profiles of a database: search, the paged table, and the card of the chosen profile. */
export function ProfileBrowser({ databaseId }: { databaseId: number }) {
  const table = useApp(selectProfileTable);
  const card = useApp(selectProfileCard);
  const fields = useApp(selectFieldsOf(databaseId));
  const { openProfileTable, openImportWizard } = useActions();

  useEffect(() => {
    if (table?.databaseId !== databaseId) openProfileTable(databaseId);
  }, [table?.databaseId, databaseId, openProfileTable]);

  if (!table || table.databaseId !== databaseId) return <p className="empty-note">Loading…</p>;
  const searching = table.search !== null;
  const empty = table.total === 0 && table.error === null;

  return (
    <div className="profile-browser">
      <div className="profile-toolbar">
        <ProfileSearchBox key={databaseId} fields={fields} search={table.search} error={table.error} />
        <p className="profile-total" role="status" data-testid="profile-total">
          {table.total === null
            ? 'Loading…'
            : searching
              ? `${countOf(table.total, 'profile')} ${table.total === 1 ? 'matches' : 'match'}`
              : countOf(table.total, 'profile')}
        </p>
      </div>
      <div className={card ? 'profile-area with-card' : 'profile-area'}>
        {empty && !searching ? (
          <div className="profile-empty">
            <p>No profiles yet.</p>
            <button type="button" className="button button-primary" onClick={() => openImportWizard({ databaseId })}>
              Import a CSV file…
            </button>
          </div>
        ) : (
          <ProfileGrid table={table} fields={fields} />
        )}
        {card && card.databaseId === databaseId && <ProfileCardPanel card={card} fields={fields} />}
      </div>
      {empty && searching && (
        <p className="empty-note profile-no-match">No profile matches “{table.search?.text}”.</p>
      )}
    </div>
  );
}
