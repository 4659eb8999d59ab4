import { useState, type FormEvent } from 'react';
import { DEMO_DEFAULT_PROFILES } from '../../../shared/contract/index';
import { addMinutes, clockTimeFromLocalDate, isClockTime } from '../../../shared/domain/clock';
import { formatClock, formatCount } from '../../../shared/format';
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
  const [pastClock, setPastClock] = useState<string | null>(null);
  const startInPast = (event: FormEvent) => {
    event.preventDefault();
    if (pastClock !== null && isClockTime(pastClock)) void newProject({ clock: pastClock });
  };
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
          <button
            type="button"
            className="button button-plain button-large"
            disabled={busy}
            aria-expanded={pastClock !== null}
            onClick={() => setPastClock(pastClock === null ? addMinutes(clockTimeFromLocalDate(new Date()), -365 * 24 * 60).slice(0, 10) + 'T00:00' : null)}
          >
            Start in the past…
          </button>
        </div>
        {pastClock !== null && (
          <form className="start-past" onSubmit={startInPast} aria-label="A new project whose clock starts in the past">
            <div className="field">
              <label className="field-label" htmlFor="start-clock">
                Project clock starts at
              </label>
              <input id="start-clock" type="datetime-local" value={pastClock} aria-describedby="start-clock-hint" onChange={(e) => setPastClock(e.target.value)} required />
            </div>
            <p id="start-clock-hint" className="field-hint" data-testid="start-clock-hint">
              {/* Said back as the status bar writes the clock (the field shows the browser's own format), or what is missing. */}
              {isClockTime(pastClock) ? `The clock starts at ${formatClock(pastClock)}. ` : 'Choose a date and time. '}
              To replay events of a past year: import them, then advance the clock step by step. The clock never goes back later.
            </p>
            <button type="submit" className="button button-primary" disabled={busy || !isClockTime(pastClock)}>
              Create the project
            </button>
          </form>
        )}
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
          <div className="demo-buttons">
            <button type="button" className="button button-plain button-large" disabled={busy} onClick={() => void openDemoProject()}>
              Open the demo project
            </button>
            <button
              type="button"
              className="button button-plain"
              disabled={busy}
              title="The same demo with the project clock a year back: its year of purchases, opens and clicks lies ahead, to play forward"
              onClick={() => void openDemoProject({ replay: true })}
            >
              Replay a year with the demo
            </button>
          </div>
        </section>
        {loaded && <RecoveryList />}
        {loaded && <RecentProjects />}
        <p className="start-footer">Version {APP_VERSION}</p>
      </div>
    </main>
  );
}
