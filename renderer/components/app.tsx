import { useEffect } from 'react';
import { runCommand, shortcutCommand } from '../store/commands';
import { selectOpenProject, selectWindowTitle } from '../store/project/selectors';
import { useApp, useStoreApi } from '../store/react';
import { ConfirmDialog } from './dialogs/confirm-dialog';
import { ExportDialog } from './export/export-dialog';
import { DropTarget } from './import/drop-target';
import { ImportWizard } from './import/import-wizard';
import { FileBrowserDialog } from './dialogs/file-browser-dialog';
import { NoticeArea } from './feedback/notice-area';
import { ProgressPanel } from './feedback/progress-panel';
import { RestartBanner } from './feedback/restart-banner';
import { useFocusKeeper } from './layout/focus-keeper';
import { MainLayout } from './layout/main-layout';
import { CreateSegmentDialog } from './segments/create-segment-dialog';
import { StatusBar } from './layout/status-bar';
import { StartScreen } from './start/start-screen';

export interface AppProps {
  /** In Electron the native menu owns the shortcuts; in a browser the page does. */
  readonly pageShortcuts: boolean;
}

export function App({ pageShortcuts }: AppProps) {
  const ready = useApp((s) => s.ready);
  const project = useApp(selectOpenProject);
  const title = useApp(selectWindowTitle);
  const store = useStoreApi();
  useFocusKeeper();

  useEffect(() => {
    document.title = title;
  }, [title]);

  useEffect(() => {
    if (!pageShortcuts) return;
    const onKeyDown = (event: KeyboardEvent) => {
      const command = shortcutCommand(event);
      if (!command) return;
      // Also keeps the browser's own "Save page" and "Open file" from showing.
      event.preventDefault();
      void runCommand(store.getState(), command);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [pageShortcuts, store]);

  return (
    <div className="app">
      <RestartBanner />
      <div className="app-body">
        {!ready ? (
          <main className="loading" aria-busy="true">
            Loading…
          </main>
        ) : project ? (
          <MainLayout project={project} />
        ) : (
          <StartScreen />
        )}
      </div>
      <NoticeArea />
      <StatusBar />
      <ProgressPanel />
      <ImportWizard />
      <CreateSegmentDialog />
      <ExportDialog />
      <FileBrowserDialog />
      <ConfirmDialog />
      <DropTarget />
    </div>
  );
}
