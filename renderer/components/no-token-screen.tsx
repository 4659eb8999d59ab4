import { APP_NAME } from '../../shared/version';

/** Browser mode without an access token: say where the right address comes from. */
export function NoTokenScreen() {
  return (
    <div className="app">
      <main className="start-screen" aria-labelledby="no-token-title">
        <div className="start-column">
          <h1 id="no-token-title">{APP_NAME}</h1>
          <div role="alert" className="notice notice-error">
            <div className="notice-body">
              <p className="notice-title">This page needs its access link</p>
              <p className="notice-message">
                For your safety, the planner only answers pages opened with the address it printed when it started.
              </p>
              <p className="notice-hint">
                Open the address shown by <code>npm run serve</code> in the terminal; it ends in <code>#token=…</code>.
              </p>
            </div>
          </div>
        </div>
      </main>
    </div>
  );
}
