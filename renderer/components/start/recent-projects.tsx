import { selectRecent, formatInstant } from '../../store/start/selectors';
import { selectIsBusy } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';

export function RecentProjects() {
  const recent = useApp(selectRecent);
  const busy = useApp(selectIsBusy);
  const { openProject, forgetRecent } = useActions();
  return (
    <section className="start-section" aria-labelledby="recent-title">
      <h2 id="recent-title" className="section-title">
        Recent projects
      </h2>
      {recent.length === 0 ? (
        <p className="empty-note">No recent projects yet. Projects you open or save appear here.</p>
      ) : (
        <ul className="item-list">
          {recent.map((item) => (
            <li key={item.path} className={`item-row${item.exists ? '' : ' item-missing'}`}>
              <button
                type="button"
                className="item-main link-button"
                disabled={!item.exists || busy}
                onClick={() => void openProject(item.path)}
              >
                {item.name}
              </button>
              <span className="item-path" title={item.path}>
                {item.path}
              </span>
              <span className="item-meta">
                {item.exists ? (
                  formatInstant(item.openedAt)
                ) : (
                  <span className="badge badge-warning">File not found</span>
                )}
              </span>
              <button
                type="button"
                className="button button-plain button-small"
                aria-label={`Forget ${item.name} (${item.path})`}
                title="Remove from this list; the file is not touched"
                onClick={() => void forgetRecent(item.path)}
              >
                Forget
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
