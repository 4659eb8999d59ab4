import { restartMessage } from '../../store/engine/selectors';
import { useActions, useApp } from '../../store/react';

/** After an engine restart: what happened, and whether unsaved changes were lost. */
export function RestartBanner() {
  const restart = useApp((s) => s.restart);
  const { dismissRestart } = useActions();
  if (!restart) return null;
  const { title, detail } = restartMessage(restart);
  return (
    <div role="alert" className={`banner ${restart.lostUnsavedChanges ? 'banner-error' : 'banner-warning'}`}>
      <div className="banner-text">
        <strong>{title}</strong> {detail}
      </div>
      <button type="button" className="button button-plain button-small" onClick={dismissRestart}>
        Dismiss
      </button>
    </div>
  );
}
