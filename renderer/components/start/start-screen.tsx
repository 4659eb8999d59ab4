import { APP_NAME, APP_VERSION } from '../../../shared/version';
import { selectIsBusy } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { RecentProjects } from './recent-projects';
import { RecoveryList } from './recovery-list';

/** Shown while no project is open: create, open, reopen a recent one, or recover unsaved work. */
export function StartScreen() {
  const { newProject, openProject } = useActions();
  const busy = useApp(selectIsBusy);
  const loaded = useApp((s) => s.startLoaded);
  return (
    <main className="start-screen" aria-labelledby="start-title">
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
        {loaded && <RecoveryList />}
        {loaded && <RecentProjects />}
        <p className="start-footer">Version {APP_VERSION}</p>
      </div>
    </main>
  );
}
