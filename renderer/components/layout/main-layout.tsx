import type { OpenProjectState } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { compactCount } from '../../lib/text';
import { selectDatabases } from '../../store/databases/selectors';
import { selectIsBusy } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { DatabasePage } from '../database/database-page';
import { DatabasesPage } from '../databases/databases-page';
import { OverviewPage } from '../overview/overview-page';

/**
 * The pages of an open project. Only what exists is listed: Overview, Databases and each
 * database under it; segments, campaigns and the simulator join when they are built.
 */
export function MainLayout({ project }: { project: OpenProjectState }) {
  const { save, saveAs, closeProject, navigate } = useActions();
  const busy = useApp(selectIsBusy);
  const route = useApp((s) => s.route);
  const databases = useApp(selectDatabases);
  const fill = route.page === 'database';
  return (
    <div className="main-layout">
      <header className="app-header">
        <h1 className="project-title">{project.name}</h1>
        <div className="toolbar" role="toolbar" aria-label="Project">
          <button type="button" className="button button-plain" disabled={busy} onClick={() => void save()}>
            Save
          </button>
          <button type="button" className="button button-plain" disabled={busy} onClick={() => void saveAs()}>
            Save as…
          </button>
          <button type="button" className="button button-plain" disabled={busy} onClick={() => void closeProject()}>
            Close project
          </button>
        </div>
      </header>
      <nav className="side-nav" aria-label="Project pages">
        <ul>
          <li>
            <button
              type="button"
              className="nav-item"
              aria-current={route.page === 'overview' ? 'page' : undefined}
              onClick={() => navigate({ page: 'overview' })}
            >
              Overview
            </button>
          </li>
          <li>
            <button
              type="button"
              className="nav-item"
              aria-current={route.page === 'databases' ? 'page' : undefined}
              onClick={() => navigate({ page: 'databases' })}
            >
              Databases
            </button>
            {databases.length > 0 && (
              <ul className="nav-sublist" aria-label="Profile databases">
                {databases.map((db) => (
                  <li key={db.id}>
                    <button
                      type="button"
                      className="nav-item nav-subitem"
                      aria-current={route.page === 'database' && route.databaseId === db.id ? 'page' : undefined}
                      title={`${db.name}: ${formatCount(db.profileCount)} profiles`}
                      onClick={() => navigate({ page: 'database', databaseId: db.id, tab: route.page === 'database' ? route.tab : 'profiles' })}
                    >
                      <span className="nav-label">{db.name}</span>
                      <span className="nav-count" aria-hidden="true">
                        {compactCount(db.profileCount)}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </li>
        </ul>
      </nav>
      <main className={fill ? 'page page-fill' : 'page'} aria-label={pageLabel(route.page)}>
        {route.page === 'overview' && <OverviewPage />}
        {route.page === 'databases' && <DatabasesPage />}
        {route.page === 'database' && <DatabasePage key={route.databaseId} databaseId={route.databaseId} tab={route.tab} />}
      </main>
    </div>
  );
}

function pageLabel(page: 'overview' | 'databases' | 'database'): string {
  return page === 'overview' ? 'Overview' : page === 'databases' ? 'Databases' : 'Database';
}
