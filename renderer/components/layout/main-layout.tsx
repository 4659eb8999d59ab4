import type { OpenProjectState } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { compactCount } from '../../lib/text';
import { selectCampaigns } from '../../store/campaigns/selectors';
import { selectDatabases } from '../../store/databases/selectors';
import { PAGE_LABELS } from '../../store/navigation/selectors';
import type { Route } from '../../store/navigation/slice';
import { selectIsBusy } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { selectSegments } from '../../store/segments/selectors';
import { AgendaPage } from '../agenda/agenda-page';
import { CampaignPage } from '../campaign/campaign-page';
import { CampaignsPage } from '../campaigns/campaigns-page';
import { DatabasePage } from '../database/database-page';
import { DatabasesPage } from '../databases/databases-page';
import { OverviewPage } from '../overview/overview-page';
import { SegmentPage } from '../segments/segment-page';
import { SegmentsPage } from '../segments/segments-page';
import { SimulatorPage } from '../simulator/simulator-page';

/** Pages that fill the window: their tables scroll, not the page. */
const FILL_PAGES: ReadonlySet<Route['page']> = new Set(['database', 'segment', 'campaign', 'simulator']);

/**
 * The pages of an open project. Only what exists is listed: Overview, Databases and each
 * database under it, Segments, Campaigns, the Agenda and the Simulator.
 */
export function MainLayout({ project }: { project: OpenProjectState }) {
  const { save, saveAs, closeProject, navigate } = useActions();
  const busy = useApp(selectIsBusy);
  const route = useApp((s) => s.route);
  const databases = useApp(selectDatabases);
  const segments = useApp(selectSegments);
  const campaigns = useApp(selectCampaigns);
  const fill = FILL_PAGES.has(route.page);
  const current = (...pages: Route['page'][]) => (pages.includes(route.page) ? ('page' as const) : undefined);
  return (
    <div className="main-layout">
      <header className="app-header">
        <h1 className="project-title" title={project.name}>
          {project.name}
        </h1>
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
            <button type="button" className="nav-item" aria-current={current('overview')} onClick={() => navigate({ page: 'overview' })}>
              Overview
            </button>
          </li>
          <li>
            <button type="button" className="nav-item" aria-current={current('databases')} onClick={() => navigate({ page: 'databases' })}>
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
          <li>
            <button type="button" className="nav-item nav-counted" aria-current={current('segments', 'segment')} onClick={() => navigate({ page: 'segments' })}>
              <span className="nav-label">Segments</span>
              {segments.length > 0 && (
                <span className="nav-count" aria-hidden="true">
                  {segments.length}
                </span>
              )}
            </button>
          </li>
          <li>
            <button
              type="button"
              className="nav-item nav-counted"
              aria-current={current('campaigns', 'campaign')}
              onClick={() => navigate({ page: 'campaigns', bin: false })}
            >
              <span className="nav-label">Campaigns</span>
              {campaigns.length > 0 && (
                <span className="nav-count" aria-hidden="true">
                  {campaigns.length}
                </span>
              )}
            </button>
          </li>
          <li>
            <button type="button" className="nav-item" aria-current={current('agenda')} onClick={() => navigate({ page: 'agenda' })}>
              Agenda
            </button>
          </li>
          <li>
            <button type="button" className="nav-item" aria-current={current('simulator')} onClick={() => navigate({ page: 'simulator' })}>
              Simulator
            </button>
          </li>
        </ul>
      </nav>
      <main className={fill ? 'page page-fill' : 'page'} aria-label={PAGE_LABELS[route.page]} tabIndex={-1}>
        {route.page === 'overview' && <OverviewPage />}
        {route.page === 'databases' && <DatabasesPage />}
        {route.page === 'database' && <DatabasePage key={route.databaseId} databaseId={route.databaseId} tab={route.tab} />}
        {route.page === 'segments' && <SegmentsPage />}
        {route.page === 'segment' && <SegmentPage key={route.segmentId} segmentId={route.segmentId} />}
        {route.page === 'campaigns' && <CampaignsPage bin={route.bin} />}
        {route.page === 'campaign' && <CampaignPage key={route.campaignId} campaignId={route.campaignId} tab={route.tab} />}
        {route.page === 'simulator' && <SimulatorPage />}
        {route.page === 'agenda' && <AgendaPage />}
      </main>
    </div>
  );
}
