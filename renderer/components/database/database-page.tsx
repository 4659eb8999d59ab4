import { MAX_DATABASE_NAME } from '../../../shared/contract/index';
import { useState, type KeyboardEvent } from 'react';
import { formatCount } from '../../../shared/format';
import { subscriptionLabel } from '../../lib/format-value';
import { countOf } from '../../lib/text';
import { selectDatabaseDetail, selectDatabases, selectDatabaseSummary, subscriptionBreakdown } from '../../store/databases/selectors';
import { databaseNameProblem } from '../../store/databases/validation';
import { DATABASE_TAB_LABELS } from '../../store/navigation/selectors';
import type { DatabaseTab } from '../../store/navigation/slice';
import { selectIsBusy } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { useFocusOnClose } from '../common/focus-on-close';
import { InlineNameEditor } from '../common/inline-name-editor';
import { ProfileBrowser } from '../profiles/profile-browser';
import { FieldsPanel } from './fields-panel';
import { GcgPanel } from './gcg-panel';
import { ImportsPanel } from './imports-panel';

const TABS: readonly DatabaseTab[] = ['profiles', 'fields', 'imports', 'gcg'];

/** One database: its counts, and tabs for its profiles, fields and import history. */
export function DatabasePage({ databaseId, tab }: { databaseId: number; tab: DatabaseTab }) {
  const detail = useApp(selectDatabaseDetail(databaseId));
  const summary = useApp(selectDatabaseSummary(databaseId));
  const databases = useApp(selectDatabases);
  const busy = useApp(selectIsBusy);
  const { navigate, renameDatabase, deleteDatabase, openImportWizard, openExportDialog } = useActions();
  const [renaming, setRenaming] = useState(false);
  const renameButton = useFocusOnClose<HTMLButtonElement>(renaming);
  const name = detail?.name ?? summary?.name ?? '';
  const profileCount = detail?.profileCount ?? summary?.profileCount ?? 0;

  const selectTab = (next: DatabaseTab) => navigate({ page: 'database', databaseId, tab: next });
  const onTabKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = TABS.indexOf(tab);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = TABS[(index + step + TABS.length) % TABS.length] ?? 'profiles';
    selectTab(next);
    document.getElementById(`database-tab-${next}`)?.focus();
  };

  return (
    <div className="database-page">
      <header className="database-header">
        <div className="database-heading">
          {renaming ? (
            <InlineNameEditor
              label="Database name"
              initial={name}
              limit={MAX_DATABASE_NAME}
              validate={(n) => databaseNameProblem(n, databases, databaseId)}
              onSave={(n) => renameDatabase(databaseId, n)}
              onCancel={() => setRenaming(false)}
            />
          ) : (
            <h2 className="page-title database-title" title={name}>
              {name || 'Database'}
            </h2>
          )}
          <p className="database-counts" data-testid="database-counts">
            {detail || summary ? (
              <>
                <strong>{countOf(profileCount, 'profile')}</strong>
                {' · '}
                {countOf(detail?.fieldCount ?? summary?.fieldCount ?? 0, 'field')}
                {detail && ` · ${countOf(detail.imports.length, 'import')}`}
              </>
            ) : (
              'Loading…'
            )}
          </p>
          {detail && detail.profileCount > 0 && (
            <ul className="status-counts" aria-label="Profiles by subscription status">
              {subscriptionBreakdown(detail).map(({ status, count }) => (
                <li key={status} className={`status-chip status-chip-${status}`}>
                  {subscriptionLabel(status)} <span className="status-chip-count">{formatCount(count)}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="database-actions" role="toolbar" aria-label="Database">
          <button type="button" className="button button-primary" disabled={busy} onClick={() => openImportWizard({ databaseId })}>
            Import CSV…
          </button>
          <button type="button" className="button button-plain" disabled={busy || profileCount === 0} onClick={() => openExportDialog(databaseId)}>
            Export CSV…
          </button>
          <button ref={renameButton} type="button" className="button button-plain" disabled={renaming} onClick={() => setRenaming(true)}>
            Rename
          </button>
          <button type="button" className="button button-danger" disabled={busy} onClick={() => void deleteDatabase(databaseId)}>
            Delete
          </button>
        </div>
      </header>
      <div className="tabs" role="tablist" aria-label="Database views" onKeyDown={onTabKey}>
        {TABS.map((t) => (
          <button
            key={t}
            id={`database-tab-${t}`}
            type="button"
            role="tab"
            className="tab"
            aria-selected={t === tab}
            aria-controls={`database-panel-${t}`}
            tabIndex={t === tab ? 0 : -1}
            onClick={() => selectTab(t)}
          >
            {DATABASE_TAB_LABELS[t]}
            {t === 'fields' && detail ? <span className="tab-count">{detail.fields.length}</span> : null}
            {t === 'imports' && detail ? <span className="tab-count">{detail.imports.length}</span> : null}
          </button>
        ))}
      </div>
      <div id={`database-panel-${tab}`} role="tabpanel" aria-labelledby={`database-tab-${tab}`} className={`tab-panel tab-panel-${tab}`}>
        {tab === 'profiles' && <ProfileBrowser databaseId={databaseId} />}
        {tab === 'fields' && (detail ? <FieldsPanel detail={detail} /> : <p className="empty-note">Loading…</p>)}
        {tab === 'imports' && (detail ? <ImportsPanel detail={detail} /> : <p className="empty-note">Loading…</p>)}
        {tab === 'gcg' && (detail ? <GcgPanel detail={detail} /> : <p className="empty-note">Loading…</p>)}
      </div>
    </div>
  );
}
