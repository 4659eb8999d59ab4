import { useState } from 'react';
import type { OpenProjectState } from '../../../shared/contract/index';
import { selectIsBusy } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { OverviewPage } from '../overview/overview-page';

/**
 * The pages of an open project. Only what exists is listed: pages for databases,
 * segments, campaigns and the simulator join this list when they are built.
 */
const PAGES = [{ id: 'overview', label: 'Overview', render: () => <OverviewPage /> }] as const;
type PageId = (typeof PAGES)[number]['id'];

export function MainLayout({ project }: { project: OpenProjectState }) {
  const [pageId, setPageId] = useState<PageId>('overview');
  const page = PAGES.find((p) => p.id === pageId) ?? PAGES[0];
  const { save, saveAs, closeProject } = useActions();
  const busy = useApp(selectIsBusy);
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
          {PAGES.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className="nav-item"
                aria-current={p.id === pageId ? 'page' : undefined}
                onClick={() => setPageId(p.id)}
              >
                {p.label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className="page" aria-label={page.label}>
        {page.render()}
      </main>
    </div>
  );
}
