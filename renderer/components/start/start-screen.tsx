import { DEMO_DEFAULT_PROFILES } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { APP_NAME, APP_VERSION } from '../../../shared/version';
import { selectIsBusy } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { RecentProjects } from './recent-projects';
import { RecoveryList } from './recovery-list';

/** Shown while no project is open: create, open, try the demo, reopen a recent one, or recover unsaved work. */
export function StartScreen() {
  const { newProject, openProject, openDemoProject } = useActions();
  const busy = useApp(selectIsBusy);
  const loaded = useApp((s) => s.startLoaded);
  return (
    <main className="start-screen" aria-labelledby="start-title" tabIndex={-1}>
      <div className="start-column">
        <header className="start-header">
          <h1 id="start-title">{APP_NAME}</h1>
          <p className="start-tagline">Plan campaigns offline, with exact and reproducible control groups.</p>
        </header>
        <div className="start-actions">
          <button type="button" className="button button-primary button-large" disabled={busy} onClick={() => void newProject()}>
            New project
          </button>
          <button type="button" className="button button-plain button-large" disabled={busy} onClick={() => void openProject()}>
            Open project…
          </button>
        </div>
        <section className="start-section demo-section" aria-labelledby="demo-title">
          <div className="demo-text">
            <h2 id="demo-title" className="section-title">
              New here?
            </h2>
            <p>
              The demo project has a database of {formatCount(DEMO_DEFAULT_PROFILES)} generated customers to browse, search and export.
              Nothing is saved until you choose to.
            </p>
          </div>
          <button type="button" className="button button-plain button-large" disabled={busy} onClick={() => void openDemoProject()}>
            Open the demo project
          </button>
        </section>
        {loaded && <RecoveryList />}
        {loaded && <RecentProjects />}
        <p className="start-footer">Version {APP_VERSION}</p>
      </div>
    </main>
  );
}
