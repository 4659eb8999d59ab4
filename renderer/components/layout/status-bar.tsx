import { useState } from 'react';
import { selectConnectionLabel } from '../../store/engine/selectors';
import { selectIsBusy } from '../../store/operations/selectors';
import {
  selectClockLabel,
  selectFileLabel,
  selectOpenProject,
  selectSaveState,
  selectSaveStateLabel,
} from '../../store/project/selectors';
import { useApp } from '../../store/react';
import { AdvanceClockDialog } from '../clock/advance-clock-dialog';
import { ThemePicker } from './theme-picker';

/** File, saved state, project clock (and advancing it), the theme and connection, always in the same places. */
export function StatusBar() {
  const project = useApp(selectOpenProject);
  const fileLabel = useApp(selectFileLabel);
  const saveState = useApp(selectSaveState);
  const saveLabel = useApp(selectSaveStateLabel);
  const clock = useApp(selectClockLabel);
  const busy = useApp(selectIsBusy);
  const connection = useApp((s) => s.connection);
  const connectionLabel = useApp(selectConnectionLabel);
  const [advancing, setAdvancing] = useState(false);

  return (
    <>
      <footer className="status-bar" aria-label="Status bar">
        {project && (
          <>
            <span className="status-item status-file" data-testid="status-file" title={project.path ?? undefined}>
              {fileLabel}
            </span>
            <span className={`status-item status-save status-save-${saveState ?? 'none'}`} data-testid="status-save-state">
              {saveLabel}
            </span>
            <span className="status-item status-clock" data-testid="status-clock" title="The project clock">
              <span className="status-caption">Project clock</span> {clock}
            </span>
            <button type="button" className="status-button" disabled={busy} onClick={() => setAdvancing(true)}>
              Advance clock…
            </button>
          </>
        )}
        <span className="status-spacer" />
        <ThemePicker />
        <span className={`status-item status-connection status-connection-${connection}`} data-testid="status-connection">
          {connectionLabel}
        </span>
      </footer>
      {/* Outside the bar: the bar's small, muted, one-line text must not style the dialog. */}
      {advancing && project && <AdvanceClockDialog clock={project.clock} onClose={() => setAdvancing(false)} />}
    </>
  );
}
