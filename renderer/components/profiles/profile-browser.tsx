import { useEffect, useRef, type ReactNode } from 'react';
import { countOf } from '../../lib/text';
import { selectFieldsOf } from '../../store/databases/selectors';
import { selectProfileCard, selectProfileTable } from '../../store/profiles/selectors';
import { sameSource, sourceCanSearch, type ProfileSource } from '../../store/profiles/sources';
import { useActions, useApp } from '../../store/react';
import { ProfileCardPanel } from './profile-card';
import { ProfileGrid } from './profile-grid';
import { ProfileSearchBox } from './profile-search';

const DATABASE: ProfileSource = { kind: 'database' };

interface ProfileBrowserProps {
  readonly databaseId: number;
  /** Which profiles of the database; all of them by default. */
  readonly source?: ProfileSource;
  /** Shown instead of the table when there are no rows (and no search). */
  readonly emptyText?: ReactNode;
  /** The table's name for screen readers and tests. */
  readonly label?: string;
  readonly stratumLabels?: ReadonlyMap<string, string>;
  /** Controls shown beside the search (a group filter, an export button). */
  readonly toolbar?: ReactNode;
}

/** Profiles of a database, or of a segment, group or run in it: search, the paged table, and the card of the chosen profile. */
export function ProfileBrowser({ databaseId, source = DATABASE, emptyText, label, stratumLabels, toolbar }: ProfileBrowserProps) {
  const table = useApp(selectProfileTable);
  const card = useApp(selectProfileCard);
  const fields = useApp(selectFieldsOf(databaseId));
  const { openProfileTable, openImportWizard, loadDatabase } = useActions();
  const shown = table !== null && table.databaseId === databaseId && sameSource(table.source, source);
  const sourceText = JSON.stringify(source);
  const areaRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!shown) openProfileTable(databaseId, JSON.parse(sourceText) as ProfileSource);
  }, [shown, databaseId, sourceText, openProfileTable]);
  // The fields name the columns: a segment's or a campaign's page may not have loaded its database yet.
  const detailLoaded = useApp((s) => s.databaseDetails[databaseId] !== undefined);
  useEffect(() => {
    if (!detailLoaded) void loadDatabase(databaseId);
  }, [detailLoaded, databaseId, loadDatabase]);

  if (!shown) return <p className="empty-note">Loading…</p>;
  const searching = table.search !== null;
  const empty = table.total === 0 && table.error === null;
  const isDatabase = source.kind === 'database';
  // Only the card of a profile of this very table (never one left from another page or group).
  const shownCard = card !== null && card.databaseId === databaseId && sameSource(card.source, source) ? card : null;

  return (
    <div className="profile-browser">
      {toolbar && <div className="profile-extra-toolbar">{toolbar}</div>}
      <div className="profile-toolbar">
        {sourceCanSearch(source) ? (
          <ProfileSearchBox key={`${databaseId}|${sourceText}`} fields={fields} search={table.search} error={table.error} />
        ) : (
          <div className="profile-search">{table.error && <span className="field-error">{table.error}</span>}</div>
        )}
        <p className="profile-total" role="status" data-testid="profile-total">
          {table.total === null
            ? 'Loading…'
            : searching
              ? `${countOf(table.total, 'profile')} ${table.total === 1 ? 'matches' : 'match'}`
              : table.previousPages !== null
                ? `${countOf(table.total, 'profile')} · sorting…`
                : countOf(table.total, 'profile')}
        </p>
      </div>
      <div ref={areaRef} className={shownCard ? 'profile-area with-card' : 'profile-area'}>
        {empty && !searching ? (
          <div className="profile-empty">
            {isDatabase ? (
              <>
                <p>No profiles yet.</p>
                <button type="button" className="button button-primary" onClick={() => openImportWizard({ databaseId })}>
                  Import a CSV file…
                </button>
              </>
            ) : (
              <p>{emptyText ?? 'No profiles.'}</p>
            )}
          </div>
        ) : (
          <ProfileGrid table={table} fields={fields} {...(label ? { label } : {})} {...(stratumLabels ? { stratumLabels } : {})} />
        )}
        {shownCard && (
          <ProfileCardPanel card={shownCard} fields={fields} returnFocus={() => areaRef.current?.querySelector<HTMLElement>('[role="grid"]')?.focus()} />
        )}
      </div>
      {empty && searching && <p className="empty-note profile-no-match">No profile matches “{table.search?.text}”.</p>}
    </div>
  );
}
